"""The whole-memo page: chapters rebased so that ids, headings and links still work."""

from __future__ import annotations

import types

import pytest

from scholarly import format_cache
from scholarly.print_edition import (
    Chapter,
    chapter_sections,
    chapter_slug,
    mark_bare_urls,
    pdf_name,
    pdf_name_problem,
    whole_memo,
)


def rebased(html: str, url: str = "transition/", slug: str = "transition") -> str:
    chapters = [
        Chapter("index", "", "<p>Home</p>"),
        Chapter(slug, url, html),
        Chapter("people", "people/", "<p>People</p>"),
    ]
    section = whole_memo(chapters, "print/").split("</section>")[1]
    return section.split(">", 1)[1].strip()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Ids and same-page links get the chapter's prefix: notes of two chapters differ.
        ('<li id="fn:hall2017">x</li>', '<li id="transition--fn:hall2017">x</li>'),
        ('<a href="#fn:hall2017">1</a>', '<a href="#transition--fn:hall2017">1</a>'),
        ('<div aria-labelledby="a b">', '<div aria-labelledby="transition--a transition--b">'),
        # Headings go one level down, under the page's own title.
        ('<h1 id="t">T</h1>', '<h2 id="transition--t">T</h2>'),
        ("<h6>Deep</h6>", "<h6>Deep</h6>"),
        # A link to another chapter of the memo lands on it inside the page.
        ('<a href="../people/#nazarbayev">N</a>', '<a href="#people--nazarbayev">N</a>'),
        ('<a href="../people/">P</a>', '<a href="#people">P</a>'),
        ('<a href="..">Home</a>', '<a href="#index">Home</a>'),
        # Other relative links still resolve from print/; absolute ones stay as they are.
        ('<a href="../changes/#v1">C</a>', '<a href="../changes/#v1">C</a>'),
        ('<img src="../img/map.png">', '<img src="../img/map.png">'),
        ('<a href="https://example.org/x">E</a>', '<a href="https://example.org/x">E</a>'),
        ('<a href="mailto:a@b.org">M</a>', '<a href="mailto:a@b.org">M</a>'),
        # Attribute names that merely end like an id attribute are left alone.
        ('<p data-id="x">y</p>', '<p data-id="x">y</p>'),
    ],
)
def test_chapter_is_rebased_into_the_whole_memo(html, expected):
    assert rebased(html) == expected


def test_links_from_the_home_page_resolve_from_the_site_root():
    assert rebased('<a href="people/#a">P</a> <img src="img/m.png">', url="", slug="home") == (
        '<a href="#people--a">P</a> <img src="../img/m.png">'
    )


@pytest.mark.parametrize(
    ("src_uri", "slug"),
    [
        ("index.md", "index"),
        ("transition.md", "transition"),
        ("people/index.md", "people"),
        ("a/b.md", "a-b"),
    ],
)
def test_chapter_slug_comes_from_the_source_path(src_uri, slug):
    assert chapter_slug(src_uri) == slug


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<a href="https://x.org/a">https://x.org/a</a>',
            '<a class="reading-bare-url" href="https://x.org/a">https://x.org/a</a>',
        ),
        ('<a href="https://x.org/a">the report</a>', '<a href="https://x.org/a">the report</a>'),
    ],
)
def test_links_whose_text_is_their_url_are_marked_for_print(html, expected):
    assert mark_bare_urls(html) == expected


@pytest.mark.parametrize("body", ["<p>Aliyev. 2010.</p>", "<p>A lone \ud800 surrogate.</p>"])
def test_a_kept_chapter_reads_back_as_it_was_rebased(tmp_path, body):
    html = (f'<p id="t">Text<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>\n'
            f'<div class="footnote">\n<hr />\n<ol>\n<li id="fn:1">{body}</li>\n</ol>\n</div>')
    chapters = [Chapter("index", "", "<p>Home</p>"), Chapter("transition", "transition/", html)]
    rebased = list(chapter_sections(chapters, "print/"))
    for _ in range(2):  # the first build keeps the chapters, the second reads them back
        kept = format_cache.FileStore(tmp_path, "print-chapters")
        assert list(chapter_sections(chapters, "print/", kept)) == rebased
    assert body.removesuffix("</p>") in rebased[1] and 'id="transition--fn:1"' in rebased[1]


@pytest.mark.parametrize(
    ("is_edition", "configured", "expected"),
    [
        (True, None, "edition.pdf"),
        (False, None, "memo.pdf"),
        # A site that published its PDF under another name keeps it.
        (True, "memo.pdf", "memo.pdf"),
        (False, "aral-sea-water.pdf", "aral-sea-water.pdf"),
    ],
)
def test_the_pdf_is_named_for_an_edition_or_a_memo_unless_the_site_names_it(
        is_edition, configured, expected):
    citation = types.SimpleNamespace(basis={"id": "basis"} if is_edition else None)
    assert pdf_name(citation, configured) == expected


NOT_A_PDF_NAME = (" is not a PDF file name for the top of the site — write letters, digits, "
                  "'.', '-' or '_' ending in .pdf, e.g. memo.pdf")


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        (None, None),
        ("memo.pdf", None),
        ("Aral_sea.v2.pdf", None),
        ("memo", "'memo'" + NOT_A_PDF_NAME),
        ("pdf/memo.pdf", "'pdf/memo.pdf'" + NOT_A_PDF_NAME),
        ("my memo.pdf", "'my memo.pdf'" + NOT_A_PDF_NAME),
        (".pdf", "'.pdf'" + NOT_A_PDF_NAME),
        (3, "3" + NOT_A_PDF_NAME),
    ],
)
def test_a_pdf_name_in_mkdocs_yml_is_a_file_at_the_top_of_the_site(configured, message):
    assert pdf_name_problem(configured) == message
