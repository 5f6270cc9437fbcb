"""The whole-memo page (hooks/print_page.py): written with its chapters streamed in."""

from __future__ import annotations

import logging
import types

import pytest
from bs4 import BeautifulSoup

import print_page
from scholarly.print_edition import Chapter, whole_memo

CHAPTERS = [
    Chapter("index", "", '<h1 id="home">Home</h1>\n<p>Zürich – Łódź</p>'),
    # A lone surrogate: MkDocs writes what UTF-8 cannot hold as a character reference.
    Chapter("b", "b/", '<p><a href="../#home">back</a> \ud800</p>'),
]
MARK = print_page.WHOLE_MEMO_MARK


@pytest.mark.parametrize(
    ("rendered", "returned"),
    [
        # The mark once: the page is written here, MkDocs is told to write nothing.
        (f"<html>\n<article>{MARK}</article>\n</html>\n", ""),
        # A template showing the content twice gets the chapters twice, as returned text.
        (f"<main>{MARK}</main><aside>{MARK}</aside>\n", None),
    ],
)
def test_print_page_is_the_rendered_page_with_the_chapters_at_the_mark(
    tmp_path, rendered, returned
):
    target = tmp_path / "print" / "index.html"
    page = types.SimpleNamespace(
        meta={}, url="print/", file=types.SimpleNamespace(abs_dest_path=str(target))
    )
    print_page._pending = print_page._WholeMemo(page, CHAPTERS)
    expected = rendered.replace(MARK, whole_memo(CHAPTERS, "print/"))
    config = types.SimpleNamespace(docs_dir=str(tmp_path / "docs"))
    try:
        output = print_page.on_post_page(rendered, page, config)
    finally:
        print_page.on_post_build(None)
    if returned is None:
        assert output == expected
        assert not target.exists()
    else:
        assert output == returned
        assert target.read_bytes() == expected.encode("utf-8", errors="xmlcharrefreplace")


def test_a_built_print_page_holds_every_chapter_and_is_not_reported_skipped(build_site, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site({"index.md": "# Home\n\nHello.\n", "b.md": "# B\n\n[Back](index.md)\n"})
    assert site.ok, site.output
    page = site.page("print/index.html")
    assert page.count('<section class="reading-chapter" id="index">') == 1
    assert page.index('id="index">') < page.index('<section class="reading-chapter" id="b">')
    assert '<a href="#index">Back</a>' in page
    assert MARK not in page
    assert page.endswith("</html>")
    assert "Page skipped" not in caplog.text


def test_a_chapter_rebased_by_an_earlier_build_is_read_back_until_it_changes(
    build_site, monkeypatch
):
    from scholarly import print_edition

    monkeypatch.delenv("SCHOLARLY_CACHE_DIR", raising=False)
    pages = {"index.md": "# Home\n\nHello.\n", "b.md": "# B\n\n[Back](index.md)\n"}
    first = build_site(pages)
    assert first.ok, first.output
    written = first.page("print/index.html")
    rebased = []
    rebase = print_edition._rebase
    monkeypatch.setattr(print_edition, "_rebase",
                        lambda chapter, *args: rebased.append(chapter.slug) or rebase(chapter, *args))
    again = build_site(pages)
    assert again.ok, again.output
    assert rebased == []
    assert again.page("print/index.html") == written
    edited = build_site({**pages, "b.md": "# B\n\n[Back home](index.md)\n"})
    assert edited.ok, edited.output
    assert rebased == ["b"]
    assert '<a href="#index">Back home</a>' in edited.page("print/index.html")


def test_each_chapter_keeps_its_notes_and_references_apart_on_the_print_page(build_site):
    bib = "@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n"
    chapter = "# {}\n\nText [@a].[^n] More [@a].\n\n[^n]: The author's note.\n"
    site = build_site({"index.md": chapter.format("Home"), "b.md": chapter.format("B")}, bib=bib)
    assert site.ok, site.output
    page = BeautifulSoup(site.page("print/index.html"), "html.parser")
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "an id appears twice on the print page"
    sections = page.select("section.reading-chapter")
    assert [s["id"] for s in sections] == ["index", "b"]
    for section in sections:
        slug = section["id"]
        [entry] = section.select("section.references div.csl-entry")
        assert entry["id"] == f"{slug}--ref-a"
        [back] = entry.select("a.reference-backref")
        assert back["href"] == f"#{slug}--cite-a" and section.find(id=f"{slug}--cite-a") is not None
        assert [a["href"] for a in section.select("span.citation a")] == [f"#{slug}--ref-a"] * 2
        assert [a.get_text() for a in section.select("a.footnote-ref")] == ["1"]
        assert len(section.select("div.footnote li")) == 1
