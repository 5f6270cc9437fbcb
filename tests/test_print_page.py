"""The whole-memo page (hooks/print_page.py): written with its chapters streamed in."""

from __future__ import annotations

import logging
import types

import pytest
from bs4 import BeautifulSoup

import print_page
from conftest import ORIGINAL_MEMO_CITATION, REPO
from scholarly.check import load_site_config, setting_place
from scholarly.memo_pdf import pdf_target
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
    print_page._pending = print_page._WholeMemo(page, CHAPTERS, {c.slug: c.slug for c in CHAPTERS})
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


# The same site as an edition of another work.
EDITION_CFF = ORIGINAL_MEMO_CITATION.replace("Water in the Aral Sea Basin", "Water: A Reading Edition") + """\
preferred-citation:
  type: report
  title: "Water in the Aral Sea Basin"
  authors:
    - family-names: Doe
      given-names: Jane
  year: 2021
"""


@pytest.mark.parametrize(
    ("original", "configured", "href"),
    [
        (False, None, "../edition.pdf"),
        (True, None, "../memo.pdf"),
        (False, "aral-sea-water.pdf", "../aral-sea-water.pdf"),
    ],
)
def test_the_title_page_links_the_pdf_by_the_name_the_site_gives_it(
        build_site, tmp_path, original, configured, href):
    citation_file = tmp_path / "SITE.cff"
    citation_file.write_text(ORIGINAL_MEMO_CITATION if original else EDITION_CFF, encoding="utf-8")
    extra = {"pdf_name": configured, "citation_file": str(citation_file)}
    site = build_site({"index.md": "# Home\n\nText.\n"}, extra=extra)
    assert site.ok, site.output
    page_html = site.page("print/index.html")
    [link] = BeautifulSoup(page_html, "html.parser").select("p.reading-download a")
    assert link["href"] == href
    work = "memo" if original else "edition"
    assert link.get_text() == f"Download the whole {work} as a PDF"
    assert pdf_target(page_html, site.site_dir) == site.site_dir / href.removeprefix("../")


def test_a_pdf_name_that_is_no_file_name_stops_the_build_where_make_check_says(build_site):
    site = build_site({"index.md": "# Home\n"}, extra={"pdf_name": "pdf/memo.pdf"})
    assert not site.ok
    # Located as `make check` locates the site's setting (mkdocs.yml:1:1 where it sets none).
    path, line, column = setting_place(load_site_config(REPO / "mkdocs.yml"), "pdf_name")
    assert site.output == (f"{path}:{line}:{column}: error: extra.pdf_name: 'pdf/memo.pdf' is not a "
                           "PDF file name for the top of the site — write letters, digits, '.', "
                           "'-' or '_' ending in .pdf, e.g. memo.pdf")


def test_a_print_page_without_its_download_link_is_reported_not_guessed(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        pdf_target("<html><article>no title page</article></html>", tmp_path)
    assert str(stopped.value) == (f"{tmp_path / 'print' / 'index.html'}: no PDF download link on "
                                  "the title page — is CITATION.cff there? Build the site again "
                                  "(`make site`)")


@pytest.mark.parametrize(("command", "shown"), [("serve", "Second words."), ("build", "First words.")])
def test_a_dirty_rebuild_under_serve_puts_the_edited_chapter_on_the_print_page(
        build_site, monkeypatch, command, shown):
    from scholarly import build_mode

    monkeypatch.setattr(build_mode, "command", command)
    monkeypatch.setattr(print_page, "_served_sections", {})
    nav = {"nav": ["index.md", "b.md", {"Whole edition": "print.md"}]}
    first = build_site({"index.md": "# Home\n\nHome text.\n", "b.md": "# B\n\nFirst words.\n"},
                       config=nav)
    assert first.ok, first.output
    monkeypatch.setattr(build_mode, "dirty", True)
    rebuilt = build_site({"b.md": "# B\n\nSecond words.\n"}, config=nav, dirty=True)
    assert rebuilt.ok, rebuilt.output
    assert "Second words." in rebuilt.page("b/index.html")
    # Elsewhere than under serve, the print page stays as the last full build wrote it.
    whole = BeautifulSoup(rebuilt.page("print/index.html"), "html.parser")
    assert [section["id"] for section in whole.select("section.reading-chapter")] == ["index", "b"]
    assert [link.get_text() for link in whole.select("nav.reading-contents a")] == ["Home", "B"]
    chapters = [section.get_text() for section in whole.select("section.reading-chapter")]
    [not_shown] = {"First words.", "Second words."} - {shown}
    assert "Home text." in chapters[0] and shown in chapters[1] and not_shown not in chapters[1]
