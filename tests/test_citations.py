"""Citation groups: every bad one located in the source file (front matter counted),
good Markdown left alone, and code, e-mail addresses and URLs reaching the page exactly
as written although mkdocs-bibtex rewrites any ``[...]`` holding an '@'."""
from __future__ import annotations

import pytest

from scholarly.bibliography import parse_bibliography
from scholarly.check import check_page
from scholarly.markdown_scan import scan

HALL = (
    "@article{hall2017learning, author={Hall, Stephen G. F. and Ambrosio, Thomas},\n"
    "  title={Authoritarian Learning}, journal={East European Politics}, year={2017}}\n"
)
KEYS = parse_bibliography(HALL).keys

BAD_PAGES = [
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
            "docs/index.md:1:6: error: citation key 'hall:2017' contains ':', where mkdocs-bibtex would cut it to 'hall' — keys may hold only letters, digits, '-' and '_': rename the entry in references.bib and here",
        ],
        id='key_with_colon',
    ),
    pytest.param(
        'See [@hall2017learning.]\n',
        [
            "docs/index.md:1:6: error: citation key 'hall2017learning.' contains '.', where mkdocs-bibtex would cut it to 'hall2017learning' — keys may hold only letters, digits, '-' and '_': rename the entry in references.bib and here",
        ],
        id='key_with_trailing_dot',
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
        'Text [@hall2017learning].\n\n```python\n@decorator\n',
        [
            'docs/index.md:3:1: error: code fence is never closed, so the rest of the page is code and its citations are not checked — close it with ``` on a line of its own',
        ],
        id='unclosed_fence',
    ),
    pytest.param(
        'Text \ufdd2 here.\n',
        [
            'docs/index.md:1:6: error: the page contains U+FDD2, a Unicode noncharacter the build reserves for itself — remove it',
        ],
        id='noncharacter_in_page',
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
    "links_and_reference_definitions": "[@hall2017learning](https://x.org) and [x][@y].\n\n[@y]: https://x.org\n",
    "colon_after_citation": "As argued [@hall2017learning]: learning has limits.\n",
    "html_comment": "<!-- [@nobody] is still to be added -->\nText.\n",
    "escaped_backtick_is_not_code": "A \\` tick, then [@hall2017learning].\n",
}


@pytest.mark.parametrize("page", GOOD_PAGES.values(), ids=GOOD_PAGES.keys())
def test_good_page_has_no_diagnostics(page):
    assert check_page(page, "docs/index.md", KEYS)[0] == []


def test_code_comments_and_urls_are_located_once():
    body = "A `[@x]` <!-- [@y] -->\n\n```\n[@z]\n```\n\nhttps://x.org/@u [@a]\n"
    page = scan(body)
    assert [body[start:end] for start, end in page.shielded] == [
        "`[@x]`", "<!-- [@y] -->", "```\n[@z]\n```\n", "https://x.org/@u",
    ]
    assert [group.text for group in page.citation_groups] == ["[@a]"]


def test_cited_keys_are_collected():
    assert check_page("[@hall2017learning; @nobody]", "docs/index.md", KEYS)[1] == {"hall2017learning"}


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
    assert '<span class="p">[</span><span class="nd">@tokayev2020</span><span class="p">]</span>' in html
    assert "(see Тоқаев 2020, 7)" in html
    assert "Тоқаев, Қасым-Жомарт. 2020." in html
    assert "Назарбаев, Нурсултан, and André Café. 1995." in html
    assert "Kazakhstan&rsquo;s Path &ndash; AT&amp;T and" in html
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
