"""What Zotero's Embedded Metadata translator makes of a page's meta tags, by its
documented rules (zotero/translators, "Embedded Metadata.js" and the RDF.js it feeds):
item type, creators, title, date and URL. Only what the tests need, written from the
translator's rules, so that a test reads a page as "Save to Zotero" does."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

# Highwire tags that fix the item type; the last one in the page wins.
HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
_EDGE_PUNCTUATION = r"[\s\u00a0.,/\[\]:]+"


def clean_author(author: str, use_comma: bool) -> tuple[str, str]:
    """(last name, first name), as ``ZU.cleanAuthor`` splits a name."""
    author = re.sub(f"^{_EDGE_PUNCTUATION}", "", author)
    author = re.sub(f"{_EDGE_PUNCTUATION}$", "", author)
    author = re.sub(r"[\s\u00a0]+", " ", author, count=1)
    if use_comma:
        parts = re.split(r", ?", author)
        return (parts[0], parts[1]) if len(parts) > 1 else (author, "")
    first, _, last = author.rpartition(" ")
    return last, first


def zotero_item(page_html: str) -> dict:
    """The item "Save to Zotero" makes of PAGE_HTML by Embedded Metadata's rules."""
    soup = BeautifulSoup(page_html, "html.parser")
    tags = [(tag.get("name") or tag.get("property"), tag.get("content", ""))
            for tag in soup.find_all("meta") if tag.get("name") or tag.get("property")]
    named: dict[str, list[str]] = {}
    for name, content in tags:
        named.setdefault(name, []).append(content)
    highwire_type = None
    for name, _ in tags:
        highwire_type = HIGHWIRE_TYPES.get(name, highwire_type)
    guess = None
    if "citation_title" in named or "citation_series_title" in named:
        guess = "journalArticle"
    if "citation_isbn" in named:
        guess = "book"
    og_type = {"website": "webpage"}.get((named.get("og:type") or [""])[0])
    # hwType, then the RDF ranking (og before dc before the default), then the guess.
    item_type = highwire_type or og_type or guess or ("webpage" if tags else None)
    creators = [clean_author(value, "," in value) for value in named.get("citation_author", [])]
    date = next((named[name][0] for name in ("citation_date", "citation_cover_date",
                                             "citation_publication_date") if name in named), None)
    canonical = soup.find("link", rel="canonical")
    url = next((named[name][0] for name in ("citation_public_url", "og:url",
                                            "citation_abstract_html_url") if name in named),
               canonical["href"] if canonical else None)
    return {"itemType": item_type, "creators": creators,
            "title": (named.get("citation_title") or [None])[0], "date": date, "url": url}
