"""Footnotes: references and definitions that do not match, labels that make bad HTML
ids, all located in the source file; good notes left alone."""
from __future__ import annotations

import pytest

from conftest import REPO
from scholarly.bibliography import parse_bibliography
from scholarly.check import PageChecker, load_site_config

HALL = (
    "@article{hall2017learning, author={Hall, Stephen G. F. and Ambrosio, Thomas},\n"
    "  title={Authoritarian Learning}, journal={East European Politics}, year={2017}}\n"
)
KEYS = parse_bibliography(HALL).keys


BAD_NOTES = [
    pytest.param(
        'B[^b] then A[^a].\n\n[^a]:\n[^b]: Two.\n',
        [
            "docs/index.md:3:1: error: footnote [^a] has no text — write the note after '[^a]:', on the same line",
        ],
        id='empty_note_numbered_in_reading_order',
    ),
    pytest.param(
        'Text[^1].\n',
        [
            "docs/index.md:1:5: error: footnote [^1] has no definition — add a definition '[^1]: ...' at the end of the page",
        ],
        id='reference_without_definition',
    ),
    pytest.param(
        'Text[^note-a] and[^note-b].\n\n[^note-a]: A.\n',
        [
            'docs/index.md:1:18: error: footnote [^note-b] has no definition — did you mean [^note-a]?',
        ],
        id='reference_with_close_definition',
    ),
    pytest.param(
        'Text.\n\n[^1]: Orphan.\n',
        [
            'docs/index.md:3:1: error: footnote [^1] is defined but never referred to — refer to it with [^1] in the text, or remove it',
        ],
        id='definition_never_referred_to',
    ),
    pytest.param(
        'Text[^1].\n\n[^1]: One.\n[^1]: Two.\n',
        [
            'docs/index.md:4:1: error: footnote [^1] is defined twice, here and at line 3 — merge the two notes or rename one of them',
        ],
        id='duplicate_definition',
    ),
    pytest.param(
        'Text[^my note].\n\n[^my note]: A.\n',
        [
            "docs/index.md:1:7: error: footnote label 'my note' contains a space, which breaks its HTML id — use letters, digits, '-' and '_', e.g. [^my-note]",
        ],
        id='label_with_space',
    ),
    pytest.param(
        'Text[^fn:1.a].\n\n[^fn:1.a]: A.\n',
        [
            "docs/index.md:1:7: error: footnote label 'fn:1.a' contains '.', ':', which makes a fragile HTML id — use letters, digits, '-' and '_', e.g. [^fn-1-a]",
        ],
        id='label_with_colon_and_dot',
    ),
    pytest.param(
        'Text[^].\n\n[^]: A.\n',
        [
            'docs/index.md:1:7: error: empty footnote label — write [^1] or [^a-name]',
        ],
        id='empty_label',
    ),
    pytest.param(
        'Text[^n].\n\n<div>\n[^n]: Note.\n</div>\n',
        [
            "docs/index.md:1:5: error: footnote reference [^n] is published as literal text — define it with '[^n]: ...' outside any code block, or write \\[^n] to show it as written",
        ],
        id='definition_inside_html_leaves_reference_literal',
    ),
    pytest.param(
        'Text[^n].\n\n1) item\n\n    [^n]: Note.\n',
        [
            "docs/index.md:1:5: error: footnote reference [^n] is published as literal text — define it with '[^n]: ...' outside any code block, or write \\[^n] to show it as written",
        ],
        id='definition_in_indented_code_leaves_reference_literal',
    ),
    pytest.param(
        'Text [@hall2017learning][^n] here.\n',
        [
            "docs/index.md:1:25: error: footnote [^n] has no definition — add a definition '[^n]: ...' at the end of the page",
        ],
        id='undefined_note_after_citation',
    ),
    pytest.param(
        '!!! note\n    Text[^2].\n',
        [
            "docs/index.md:2:9: error: footnote [^2] has no definition — add a definition '[^2]: ...' at the end of the page",
        ],
        id='reference_in_admonition_without_definition',
    ),
    pytest.param(
        '| a | b |\n|---|---|\n| x[^t] | y |\n',
        [
            "docs/index.md:3:4: error: footnote [^t] has no definition — add a definition '[^t]: ...' at the end of the page",
        ],
        id='reference_in_table_without_definition',
    ),
    pytest.param(
        '---\ntitle: T\n---\n\nText[^gone].\n',
        [
            "docs/index.md:5:5: error: footnote [^gone] has no definition — add a definition '[^gone]: ...' at the end of the page",
        ],
        id='front_matter_counted',
    ),
]


@pytest.mark.parametrize(("page", "expected"), BAD_NOTES)
def test_bad_footnote_is_reported_at_its_source_line_and_fails_the_check(run_check, page, expected):
    run = run_check({"index.md": page + "\n\nCited [@hall2017learning].\n"}, HALL)
    assert run.lines == expected
    assert run.exit_code == 1


GOOD_PAGES = {
    "note_in_admonition_defined_at_the_end": "!!! note\n    Text[^1].\n\n[^1]: A note.\n",
    "note_defined_inside_admonition": "!!! note\n    Text[^a].\n\n    [^a]: Defined here.\n",
    "notes_in_table": "| a | b |\n|---|---|\n| x[^t] | y[^u] |\n\n[^t]: T.\n[^u]: U.\n",
    "multi_paragraph_note_referring_to_another": (
        "Text[^long].\n\n[^long]: First paragraph.\n\n    Second paragraph, see[^short].\n\n"
        "        code in the note [^nothing]\n\n[^short]: Short.\n"
    ),
    "note_syntax_in_code": "Use `[^1]` like this:\n\n```markdown\nText[^1].\n\n[^1]: Note.\n```\n",
    "label_equal_to_a_bib_key": "Text[^hall2017learning] [@hall2017learning].\n\n[^hall2017learning]: Mine.\n",
    "citation_and_note_side_by_side": "[@hall2017learning][^n] and[^n2][@hall2017learning]\n\n[^n]: N.\n[^n2]: M.\n",
    "note_text_on_the_indented_lines_below": "Text[^a] and[^b].\n\n[^b]: B.\n[^a]:\n\n    Below.\n",
    "front_matter_and_unicode_labels": "---\ntitle: T\n---\n\nТекст[^примечание-1].\n\n[^примечание-1]: Note.\n",
}


@pytest.mark.parametrize("page", GOOD_PAGES.values(), ids=GOOD_PAGES.keys())
def test_good_notes_have_no_diagnostics(page):
    checker = PageChecker(load_site_config(REPO / "mkdocs.yml"))
    assert checker.check(page, "docs/index.md", KEYS)[0] == []


@pytest.mark.parametrize("page", [
    pytest.param("Text.\n\n[^a]: [^a]: \n", id="note_whose_text_is_another_definition"),
    pytest.param("B[^b] then A[^a].\n\n[^a]:\n[^b]: Two.\n", id="empty_note_out_of_order"),
])
def test_notes_python_markdown_leaves_empty_do_not_stop_the_build_with_a_traceback(build_site, page):
    site = build_site({"index.md": "# T\n\n" + page + "\nCited [@hall2017learning].\n"}, bib=HALL)
    assert "Traceback" not in site.output
    assert "AttributeError" not in site.output
