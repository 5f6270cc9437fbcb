"""Citation groups: every bad one located in the source file (front matter counted),
every group Markdown does not render as a citation (literal text, an attribute) reported,
good Markdown left alone, and code, e-mail addresses and URLs reaching the page exactly
as written."""
from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from scholarly.bibliography import parse_bibliography
from scholarly.check import PageChecker, load_site_config

HALL = (
    "@article{hall2017learning, author={Hall, Stephen G. F. and Ambrosio, Thomas},\n"
    "  title={Authoritarian Learning}, journal={East European Politics}, year={2017}}\n"
)
# Two short keys more, for the good pages only (the bad ones are checked against HALL,
# each citing it, so that no entry is unused).
AB = "@book{ab2020, author={A, B}, title={T}, publisher={P}, year={2020}}\n" \
     "@book{cd2021, author={C, D}, title={U}, publisher={P}, year={2021}}\n"
KEYS = parse_bibliography(HALL + AB).keys


@pytest.fixture(scope="module")
def checker() -> PageChecker:
    return PageChecker(load_site_config(REPO / "mkdocs.yml"))


BAD_PAGES = [
    pytest.param(
        '*[UN]: United Nations [@hall2017learning]\n*[UN]: United Nations\n\nThe UN [@hall2017learning].\n',
        [
            "docs/index.md:1:23: error: citation '[@hall2017learning]' is not on the page: the Markdown that holds it was dropped (an abbreviation defined again elsewhere, a link definition nothing uses) — write it in the text",
        ],
        id='abbreviation_defined_again',
    ),
    pytest.param(
        '[site]: https://example.org "See [@hall2017learning]"\n\nText [@hall2017learning].\n',
        [
            "docs/index.md:1:34: error: citation '[@hall2017learning]' is not on the page: the Markdown that holds it was dropped (an abbreviation defined again elsewhere, a link definition nothing uses) — write it in the text",
        ],
        id='link_definition_nothing_uses',
    ),
    pytest.param(
        'See [@hall2017lerning].\n',
        [
            "docs/index.md:1:6: error: unknown citation key 'hall2017lerning' — did you mean 'hall2017learning'?",
        ],
        id='unknown_key_with_close_match',
    ),
    pytest.param(
        'See [@nobody1999].\n',
        [
            "docs/index.md:1:6: error: unknown citation key 'nobody1999' — add it to references.bib",
        ],
        id='unknown_key_without_close_match',
    ),
    pytest.param(
        'See [@Hall2017Learning, p. 4].\n',
        [
            "docs/index.md:1:6: error: citation key 'Hall2017Learning' differs only in case from 'hall2017learning' — write [@hall2017learning]: keys are case-sensitive",
        ],
        id='case_only_mismatch',
    ),
    pytest.param(
        'See [@hall:2017].\n',
        [
            "docs/index.md:1:6: error: unknown citation key 'hall:2017' — did you mean 'hall2017learning'?",
        ],
        id='key_with_colon_is_a_key',
    ),
    pytest.param(
        'See [@hall2017learning/ch2].\n',
        [
            "docs/index.md:1:6: error: unknown citation key 'hall2017learning/ch2' — did you mean 'hall2017learning'?",
        ],
        id='key_with_slash_is_a_key',
    ),
    pytest.param(
        'See [@hall2017learning.]\n',
        [
            "docs/index.md:1:23: error: text '.' after citation key 'hall2017learning' needs a comma before it — write [@hall2017learning, .]",
        ],
        id='trailing_dot_is_not_part_of_the_key',
    ),
    pytest.param(
        'See [@{hall2017learnin}].\n',
        [
            "docs/index.md:1:6: error: unknown citation key 'hall2017learnin' — did you mean 'hall2017learning'?",
        ],
        id='unknown_braced_key',
    ),
    pytest.param(
        'See [@].\n',
        [
            "docs/index.md:1:6: error: '@' without a citation key — write [@key]: the key from references.bib",
        ],
        id='empty_group',
    ),
    pytest.param(
        'See [@hall2017learning;].\n',
        [
            "docs/index.md:1:24: error: empty item in a citation group: remove the extra ';'",
        ],
        id='empty_item_after_semicolon',
    ),
    pytest.param(
        'See [@hall2017learning; p. 4].\n',
        [
            "docs/index.md:1:25: error: 'p. 4' has no @key; a citation group holds only citations — write [@key, p. 4] for each source, separated by ';'",
        ],
        id='item_without_key',
    ),
    pytest.param(
        'See [@hall2017learning p. 4].\n',
        [
            "docs/index.md:1:24: error: text 'p. 4' after citation key 'hall2017learning' needs a comma before it — write [@hall2017learning, p. 4]",
        ],
        id='locator_without_comma',
    ),
    pytest.param(
        'See [@hall2017learning, ].\n',
        [
            "docs/index.md:1:23: error: empty locator after 'hall2017learning,' — write [@key, p. 4] or drop the comma",
        ],
        id='empty_locator',
    ),
    pytest.param(
        'See [@hall2017learning, pp.].\n',
        [
            "docs/index.md:1:25: error: locator 'pp.' has no number — write [@hall2017learning, pp. N]",
        ],
        id='locator_label_without_number',
    ),
    pytest.param(
        'See [@hall2017learning, p 4].\n',
        [
            "docs/index.md:1:25: error: locator label 'p' needs its full stop — write 'p. 4'",
        ],
        id='locator_label_without_full_stop',
    ),
    pytest.param(
        'See [@hall2017learning, pp. 143-].\n',
        [
            "docs/index.md:1:25: error: range in locator 'pp. 143-' is incomplete — write both ends: [@hall2017learning, pp. first–last]",
        ],
        id='locator_range_without_end',
    ),
    pytest.param(
        'See [@hall2017learning;\n  @hal2017learning, p. 4].\n',
        [
            "docs/index.md:2:3: error: unknown citation key 'hal2017learning' — did you mean 'hall2017learning'?",
        ],
        id='wrapped_group_reports_the_second_line',
    ),
    pytest.param(
        '---\ntitle: Page\nsearch:\n  boost: 2\n---\n\n# Page\n\nSee [@nobody].\n',
        [
            "docs/index.md:9:6: error: unknown citation key 'nobody' — add it to references.bib",
        ],
        id='line_counts_front_matter',
    ),
    pytest.param(
        'Title: Page\nSummary: x\n\nSee [@nobody].\n',
        [
            "docs/index.md:4:6: error: unknown citation key 'nobody' — add it to references.bib",
        ],
        id='multimarkdown_meta_counts_too',
    ),
    pytest.param(
        'As @hall2017learning argues.\n',
        [
            "docs/index.md:1:4: error: '@hall2017learning' outside brackets is not a citation — write [@hall2017learning]",
        ],
        id='bare_key_outside_brackets',
    ),
    pytest.param(
        '# Learning [@hal2017learning]\n',
        [
            "docs/index.md:1:13: error: unknown citation key 'hal2017learning' — did you mean 'hall2017learning'?",
        ],
        id='unknown_key_in_heading',
    ),
    pytest.param(
        '| a | b |\n|---|---|\n| x | [@hal2017learning] |\n',
        [
            "docs/index.md:3:8: error: unknown citation key 'hal2017learning' — did you mean 'hall2017learning'?",
        ],
        id='unknown_key_in_table',
    ),
    pytest.param(
        '!!! note\n    See [@hal2017learning].\n',
        [
            "docs/index.md:2:10: error: unknown citation key 'hal2017learning' — did you mean 'hall2017learning'?",
        ],
        id='unknown_key_in_admonition',
    ),
    pytest.param(
        '- item\n\n    See [@hal2017learning].\n',
        [
            "docs/index.md:3:10: error: unknown citation key 'hal2017learning' — did you mean 'hall2017learning'?",
        ],
        id='unknown_key_in_list_continuation',
    ),
    pytest.param(
        'Text.\n\n```python\n[@nobody]\n',
        [
            "docs/index.md:4:2: error: unknown citation key 'nobody' — add it to references.bib",
        ],
        id='unclosed_fence_is_not_code',
    ),
    pytest.param(
        '[see @hall2017learning](https://example.org)\n',
        [
            "docs/index.md:1:1: error: '[see @hall2017learning]' is published as literal text, not as a citation — Markdown read it as something else here (a link's text, a reference link); write the citation apart, or escape its bracket (\\[@key]) to show it as written",
        ],
        id='group_as_link_text_is_literal',
    ),
    pytest.param(
        '[x][@nobody].\n\n[@nobody]: https://x.org\n',
        [
            "docs/index.md:1:5: error: unknown citation key 'nobody' — add it to references.bib",
            "docs/index.md:3:1: error: citation '[@nobody]' is not on the page: the Markdown that holds it was dropped (an abbreviation defined again elsewhere, a link definition nothing uses) — write it in the text",
        ],
        id='group_as_reference_label_is_a_citation',
    ),
    pytest.param(
        '![alt [@hall2017learning]](x.png)\n',
        [
            "docs/index.md:1:7: error: citation '[@hall2017learning]' is inside an HTML attribute (an image's alt text or a link's title), where it cannot be shown as a citation — move it out, into the text or the image's caption",
        ],
        id='citation_in_image_alt_text',
    ),
    pytest.param(
        'The NSC met.\n\n*[NSC]: National Security Committee [@hall2017learning]\n',
        [
            "docs/index.md:3:37: error: citation '[@hall2017learning]' is inside an HTML attribute (an abbreviation's definition, an image's alt text or a title), where it shows as written — move it out, into the text",
        ],
        id='citation_in_abbreviation_definition',
    ),
]


@pytest.mark.parametrize(("page", "expected"), BAD_PAGES)
def test_bad_citation_is_reported_at_its_source_line_and_fails_the_check(run_check, page, expected):
    # The page cites the entry correctly too, after the case, so no unused-entry warning.
    run = run_check({"index.md": page + "\n\nCited [@hall2017learning].\n"}, HALL)
    assert run.lines == expected
    assert run.exit_code == 1


GOOD_PAGES = {
    "email_in_text_and_brackets": "Write to me@example.org [or mail me@example.org].\n",
    "urls_with_at_signs": (
        "See https://medium.com/@user and <https://x.org/@a> and [a post](https://x.org/@b)\n"
        "and [https://x.org/@c] and <me@example.org>.\n"
    ),
    "decorator_and_citations_in_inline_code": "Use `@decorator`, `[@hall2017lerning]` and ``[@x]``.\n",
    "citation_syntax_in_fenced_code": "```python\n@decorator\nx = [@nobody; @]\n```\n\n~~~\n[@a:b]\n~~~\n",
    "indented_code": "Text.\n\n    [@nobody, p]\n    @decorator\n",
    "fence_inside_admonition": "!!! note\n    ```\n    [@nobody]\n    ```\n",
    "citations_everywhere": (
        "---\ntitle: Front matter\n---\n\n# Heading [@hall2017learning]\n\n"
        "| a | b |\n|---|---|\n| [see @hall2017learning, pp. 143–161] | [-@hall2017learning] |\n\n"
        "!!! note\n    In an admonition [@hall2017learning, n. 3].\n\n"
        "- In a list [@hall2017learning, chap. 2; @hall2017learning, sec. 4]\n"
        "Wrapped [see @hall2017learning,\np. 150].\n"
    ),
    "escaped_brackets_and_at_sign": "Shown as written: \\[@hall2017learning\\] and \\@hall2017learning.\n",
    "indented_code_after_paren_item": "1) item\n\n    [@nobody, p]\n",
    "citation_then_note": "[@ab2020][^n]\n\n[^n]: N.\n",
    "note_then_citation": "A claim[^n][@ab2020]\n\n[^n]: N.\n",
    "citation_then_citation": "[@ab2020][@cd2021]\n",
    "two_keys_then_note": "[@ab2020; @cd2021][^n]\n\n[^n]: N.\n",
    "keys_braced_and_in_front_of_punctuation": "As [@{ab2020}] shows [@cd2021]. And [@ab2020, p. 4]; [see @cd2021].\n",
    "colon_after_citation": "As argued [@hall2017learning]: learning has limits.\n",
    "html_comment": "<!-- [@nobody] is still to be added -->\nText.\n",
    "escaped_backtick_is_not_code": "A \\` tick, then [@hall2017learning].\n",
    # An admonition's marker needs no space: its indented text is a citation.
    "admonition_without_space_then_indented": "!!!note\n    [@ab2020]\n",
    # Where Python-Markdown reads code, an unknown key is shown as code, not checked.
    "heading_without_space_then_indented": "##Heading\n\n    [@nobody]\n",
    "setext_heading_then_indented": "Heading\n=======\n\n    [@nobody]\n",
    "quoted_code_block": ">     code [@nobody]\n",
    "tilde_fence_in_blockquote": "> ~~~\n> [@nobody]\n> ~~~\n",
    "two_space_list_then_eight_space_line": "- item [@ab2020]\n\n        [@nobody]\n",
}


GOOD_PAGE_PARAMS = [pytest.param(page, id=name) for name, page in GOOD_PAGES.items()] + [
    # hooks bug: a URL whose path holds '/@<known key>' is reported as a bare key
    # (citation_check._follows_word does not count '/' as part of an address).
    pytest.param("See <https://x.org/@ab2020> and https://medium.com/@cd2021.\n",
                 id="url_path_with_a_known_key"),
]


@pytest.mark.parametrize("page", GOOD_PAGE_PARAMS)
def test_good_page_has_no_diagnostics(checker, page):
    assert checker.check(page, "docs/index.md", KEYS)[0] == []


def test_cited_keys_are_collected_once_in_order_of_first_citation(checker):
    page = "[@cd2021; @nobody] and [@hall2017learning] and [@cd2021], but not `[@ab2020]`."
    assert checker.check(page, "docs/index.md", KEYS)[1] == ["cd2021", "hall2017learning"]


TOKAYEV = "@book{tokayev2020, author={Тоқаев, Қасым-Жомарт}, title={Book}, publisher={P}, year={2020}}\n"
ESCAPES = (
    "@article{nazarbayev, author={Назарбаев, Нурсултан and Caf\\'e, Andr\\'e},\n"
    "  title={{Kazakhstan's} Path -- {AT\\&T} and <b>bold</b> <script>x</script>},\n"
    "  journal={J \\& K}, year={1995}}\n"
)


def test_code_email_and_wrapped_citations_reach_the_page_as_intended(build_site):
    site = build_site(
        {
            "index.md": """
                # Notes [@tokayev2020]

                Mail [mail me@example.org] or see https://x.org/@user. Wrapped [see @tokayev2020,
                p. 7] here; and [@nazarbayev].

                Inline `[@tokayev2020]` and `@decorator`.

                ```python
                @decorator
                x = [@tokayev2020]
                ```
            """
        },
        bib=TOKAYEV + ESCAPES,
    )
    assert site.ok, site.output
    html = site.page("index.html")
    assert "[mail me@example.org]" in html
    assert "https://x.org/@user" in html
    assert "<code>[@tokayev2020]</code>" in html
    assert '<span class="nd">@decorator</span>' in html
    assert '<span class="nd">@tokayev2020</span><span class="p">]</span>' in html
    assert '(see <a href="#ref-tokayev2020" role="doc-biblioref">Тоқаев 2020, 7</a>)' in html
    assert "Тоқаев, Қасым-Жомарт. 2020." in html
    assert "Назарбаев, Нурсултан, and André Café. 1995." in html
    assert ('<span class="nocase">Kazakhstan’s</span> Path – <span>AT&amp;T</span> and '
            "&lt;b&gt;bold&lt;/b&gt;") in html
    assert "<b>bold" not in html and "<script>x" not in html
    assert "<em>J &amp; K</em>" in html


def test_broken_citations_and_notes_fail_the_build_together_with_annotations(build_site, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    site = build_site(
        {
            "index.md": "# Home\n\nText [@tokayev2020].\n",
            "chapter.md": "---\ntitle: Chapter\n---\n\n# Chapter\n\nSee [@tokaev2020], a note[^1].\n",
        },
        bib=TOKAYEV,
    )
    assert not site.ok
    assert "Traceback" not in site.output
    assert (
        "docs/chapter.md:7:6: error: unknown citation key 'tokaev2020' — did you mean 'tokayev2020'?\n"
        "::error file=docs/chapter.md,line=7,col=6::unknown citation key 'tokaev2020' — did you mean 'tokayev2020'?\n"
        "docs/chapter.md:7:26: error: footnote [^1] has no definition — add a definition '[^1]: ...' at the end of the page\n"
    ) in site.output
    assert not (site.site_dir / "chapter" / "index.html").exists()


def test_highlighted_code_is_as_without_the_marks(checker):
    from scholarly.citation_syntax import mark_groups

    code = "```python\n@decorator\nx = [@tokayev2020]\n```\n"
    marked, groups = mark_groups(code)
    assert len(groups) == 1
    with_marks = checker.converter.reset().convert(marked)
    assert with_marks == checker.converter.reset().convert(code)


def test_a_citation_in_an_included_file_is_rendered_and_located_there(tmp_path):
    """pymdownx.snippets text: the unknown key is reported in the included file, with
    the page line that includes it; the known one renders."""
    config = load_site_config(REPO / "mkdocs.yml")
    config.mdx_configs["pymdownx.snippets"] = {"base_path": [str(tmp_path)], "auto_append": []}
    (tmp_path / "part.md").write_text("Included [@ab2020] and\n[@nobody].\n", encoding="utf-8")
    checker = PageChecker(config)
    page = "# T\n\nBefore.\n\n--8<-- \"part.md\"\n"
    diagnostics, cited = checker.check(page, "docs/index.md", KEYS)
    shown_as = os.path.relpath(tmp_path / "part.md", checker.root)
    expected = (f"{shown_as}:2:2: error: unknown citation key 'nobody' (in text included by "
                "docs/index.md:5) — add it to references.bib")
    assert [str(d) for d in diagnostics] == [expected]
    assert cited == ["ab2020"]


def test_a_dirty_rebuild_renders_a_new_citation_of_the_changed_page(build_site, monkeypatch):
    from scholarly import build_mode

    bib = HALL + AB
    pages = {"index.md": "# Home\n\nA claim [@ab2020].\n",
             "chapter.md": "# Chapter\n\nAnother [@cd2021] and [@hall2017learning].\n"}
    first = build_site(pages, bib=bib)
    assert first.ok, first.output
    monkeypatch.setattr(build_mode, "dirty", True)
    rebuilt = build_site({"chapter.md": "# Chapter\n\nNow [see @cd2021, p. 9] and "
                                        "[@hall2017learning; @ab2020].\n"}, bib=bib, dirty=True)
    assert rebuilt.ok, rebuilt.output
    chapter = rebuilt.page("chapter/index.html")
    assert "(see <a" in chapter and ">C 2021, 9</a>)" in chapter
    assert chapter.count('class="csl-entry"') == 3
    assert "[@" not in chapter


def _rendered(text: str, mark: int | None, problems=None):
    """check_rendered on a page that rendered one group, TEXT, with MARK."""
    from scholarly.check import Positions
    from scholarly.citation_check import RenderedPage, Source, check_rendered
    from scholarly.citation_syntax import mark_groups
    from scholarly.rendered_check import Output

    # A group without a mark stands for text from elsewhere: the page does not hold it.
    body = f"A claim {text}.\n" if mark is not None else "A claim.\n"
    _, marked = mark_groups(body)
    page = RenderedPage([text], [mark], {0}, Output())
    return check_rendered(page, marked, [Source("docs/index.md", body, Positions(body))],
                          KEYS, problems or {})[0]


@pytest.mark.parametrize(("text", "mark", "problems", "expected"), [
    pytest.param("[@ab2020]", 0, {"[@ab2020]": "not one citation"},
                 "docs/index.md:1:9: error: pandoc does not read '[@ab2020]' as one citation — "
                 "write [@key] or [see @key, p. 4]; separate several with ';'",
                 id="pandoc_reads_no_citation"),
    pytest.param("[@ab2020, cited in @cd2021]", 0, {"[@ab2020, cited in @cd2021]": "nested citation"},
                 "docs/index.md:1:9: error: '[@ab2020, cited in @cd2021]' holds a citation inside "
                 "another's words, which pandoc's citeproc prints as that one citation alone — "
                 "separate the two with ';': [@source; cited in @work]",
                 id="citation_inside_another"),
    pytest.param("[@ab2020]", None, {},
                 "docs/index.md:1:1: error: citation '[@ab2020]' was rendered from text the check "
                 "cannot find in the page or the files it includes — write the group on one line, "
                 "without tabs", id="rendered_group_not_in_the_sources"),
])
def test_what_the_renderer_and_the_source_disagree_on_is_located(text, mark, problems, expected):
    assert [str(d) for d in _rendered(text, mark, problems)] == [expected]


def test_a_pandoc_failure_is_a_located_error_and_no_traceback(build_site, monkeypatch):
    from scholarly import pandoc

    def failing(task, **request):
        raise pandoc.PandocError("Error parsing the style: unexpected end of input")

    monkeypatch.setattr(pandoc, "run", failing)
    site = build_site({"index.md": "# T\n\nA claim [@ab2020].\n"}, bib=AB.split("\n")[0] + "\n")
    assert not site.ok
    assert "Traceback" not in site.output
    lines = site.output.splitlines()
    assert ("references.bib:1:1: error: pandoc cannot format the citations: Error parsing the "
            "style: unexpected end of input — correct the entry or the style it names") in lines
    assert ("CITATION.cff:1:1: error: pandoc cannot format the site's citations: Error parsing "
            "the style: unexpected end of input — correct CITATION.cff or the style it names"
            ) in lines


def test_a_pandoc_failure_on_the_print_title_page_is_one_located_line(build_site, monkeypatch):
    from scholarly import pandoc

    run = pandoc.run

    def failing_for_the_title_page(task, **request):
        # The title page asks for the site's style; the cite boxes for three others.
        if task == "styled" and any(path.endswith("/chicago-author-date.csl")
                                    for path in request["styles"].values()):
            raise pandoc.PandocError("Error parsing the style")
        return run(task, **request)

    monkeypatch.setattr(pandoc, "run", failing_for_the_title_page)
    site = build_site({"index.md": "# T\n\nA claim [@ab2020].\n"}, bib=AB.split("\n")[0] + "\n",
                      config={"nav": ["index.md", {"Whole edition": "print.md"}]})
    assert not site.ok
    assert "Traceback" not in site.output
    assert ("CITATION.cff:1:1: error: pandoc cannot format the whole edition's "
            "title page: Error parsing the style") in site.messages


def test_pandoc_reads_a_citation_inside_anothers_words_as_nested(build_site):
    # What the renderer is told, from pandoc's own reading: never published.
    site = build_site({"index.md": "# Page\n\nA claim [@ab2020, cited in @hall2017learning].\n"},
                      bib=HALL + AB)
    assert not site.ok
    assert ("docs/index.md:3:9: error: '[@ab2020, cited in @hall2017learning]' holds a citation "
            "inside another's words, which pandoc's citeproc prints as that one citation alone — "
            "separate the two with ';': [@source; cited in @work]") in site.output.splitlines()


def test_serve_shows_the_builds_errors_on_every_page_and_build_still_fails(build_site, monkeypatch):
    from scholarly import build_mode

    pages = {"index.md": "# Home\n\nA claim [@nobody].\n", "other.md": "# Other\n\nText.\n"}
    built = build_site(pages, bib=AB)
    assert not built.ok and "docs/index.md:3:10: error: unknown citation key 'nobody'" in built.output
    monkeypatch.setattr(build_mode, "command", "serve")
    served = build_site(pages, bib=AB, config={"strict": False})
    assert served.ok
    for page in ("index.html", "other/index.html"):
        panel = BeautifulSoup(served.page(page), "html.parser").select_one("article .admonition.failure")
        assert panel is not None
        assert "docs/index.md:3:10 error: unknown citation key 'nobody'" in " ".join(panel.get_text(" ").split())
    # The next build without the error shows no panel.
    fixed = build_site({**pages, "index.md": "# Home\n\nA claim [@ab2020].\n"}, bib=AB,
                       config={"strict": False})
    assert fixed.ok and "admonition failure" not in fixed.page("index.html")
