"""`make pdf`: the whole edition as a PDF, with a title page, page numbers and every chapter."""

from __future__ import annotations

import re

import pypdf
import pytest

from conftest import REPO
from scholarly.memo_pdf import pdf_document, write_pdf
from scholarly.site_citation import parse_citation_cff

H1 = re.compile(r"<h1[^>]*>(.*?)<a class=\"headerlink\"|<h1[^>]*>(.*?)</h1>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="session")
def built(real_site):
    if not real_site.ok:
        pytest.fail(f"the site does not build with --strict:\n{real_site.output}")
    return real_site.site_dir


@pytest.fixture(scope="session")
def pdf_reader(built) -> pypdf.PdfReader:
    return pypdf.PdfReader(write_pdf(built))


@pytest.fixture(scope="session")
def pdf_pages(pdf_reader) -> list[str]:
    return [words(page.extract_text()) for page in pdf_reader.pages]


def test_the_pdf_metadata_is_the_editions(pdf_reader):
    citation, _ = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    metadata = pdf_reader.metadata
    assert metadata.title == citation.title
    assert metadata.author == "; ".join(person.inverted for person in citation.authors)
    assert metadata.subject == (citation.abstract or None)
    assert pdf_reader.trailer["/Root"]["/Lang"] == "en"


def chapter_titles(site_dir) -> list[str]:
    """The title of every page the whole edition is made of, in order."""
    whole = (site_dir / "print" / "index.html").read_text(encoding="utf-8")
    titles = []
    for slug in re.findall(r'<section class="reading-chapter" id="([^"]+)">', whole):
        page = site_dir / ("index.html" if slug == "index" else f"{slug}/index.html")
        match = H1.search(page.read_text(encoding="utf-8"))
        titles.append(words(TAG.sub("", match[1] or match[2])))
    return titles


def test_title_page_names_the_memo_and_how_to_cite_it(pdf_pages):
    citation, _ = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    first = pdf_pages[0]
    assert first.startswith(words(citation.title))
    # An edition of another work says so; an original memo cites itself.
    if citation.basis:
        assert "Cite this edition: " in first and "An edition of: " in first
    else:
        assert "Cite this memo: " in first and "An edition of: " not in first


def test_every_page_shows_its_number(pdf_pages):
    total = len(pdf_pages)
    missing = [n for n, text in enumerate(pdf_pages, 1) if f"Page {n} of {total}" not in text]
    assert missing == []


def test_pdf_contains_every_chapter_title_with_the_references_last(built, pdf_pages):
    titles = chapter_titles(built)
    assert len(titles) >= 2, titles
    # Past the title page and contents, each chapter opens a page with its title.
    openings = {
        title: n
        for n, text in enumerate(pdf_pages)
        for title in titles
        if n > 1 and text.startswith(title)
    }
    assert [t for t in titles if t not in openings] == []
    assert max(openings, key=openings.get) == titles[-1] == "References"


def test_a_page_without_an_article_is_refused_with_its_reason():
    with pytest.raises(ValueError, match="the whole-edition page has no Material article element"):
        pdf_document("<html><body><p>Not built by MkDocs</p></body></html>")
