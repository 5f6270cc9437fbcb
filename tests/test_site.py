"""The real site: it builds clean, has its nine pages, and every citation renders."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pybtex.database
import pytest
from bs4 import BeautifulSoup

from conftest import REPO

CHAPTERS = {
    "index.md": "index.html",
    "authoritarian-learning.md": "authoritarian-learning/index.html",
    "transition.md": "transition/index.html",
    "coup-attempt.md": "coup-attempt/index.html",
    "unanswered-questions.md": "unanswered-questions/index.html",
    "open-questions.md": "open-questions/index.html",
    "timeline.md": "timeline/index.html",
    "people.md": "people/index.html",
    "references.md": "references/index.html",
}
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]+`")
CITATION_GROUP = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
KEY = re.compile(r"@([A-Za-z0-9_-]+)")


def bibliography():
    return pybtex.database.parse_file(str(REPO / "references.bib")).entries


def cited_keys(source: str) -> list[str]:
    prose = CODE_SPAN.sub("", FENCE.sub("", source))
    return [key for group in CITATION_GROUP.findall(prose) for key in KEY.findall(group)]


def letters(text: str) -> str:
    """Only letters and digits, case-folded: titles compared across typography."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def soup(site, path):
    return BeautifulSoup(site.page(path), "html.parser")


def test_real_site_builds_strict_without_warnings(real_site):
    assert real_site.ok, real_site.output
    assert real_site.messages == []


@pytest.mark.parametrize("source,page", sorted(CHAPTERS.items()))
def test_chapter_has_title_and_summary_paragraph(real_site, source, page):
    article = soup(real_site, page).select_one("article")
    heading = article.find("h1")
    assert heading and heading.get_text(strip=True)
    # The first paragraph after the title that is not the version line.
    summary = next(
        (p for p in heading.find_next_siblings("p") if "citable-version" not in p.get("class", [])),
        None,
    )
    assert summary is not None, f"{source}: no paragraph right after the title"
    assert len(summary.get_text().split()) >= 25, f"{source}: the summary is too short"


@pytest.mark.parametrize("source,page", sorted(CHAPTERS.items()))
def test_every_citation_renders_as_a_note_with_its_title(real_site, source, page):
    entries = bibliography()
    html = soup(real_site, page)
    for key in set(cited_keys((REPO / "docs" / source).read_text(encoding="utf-8"))):
        note = html.find(id=f"fn:{key}")
        assert note is not None, f"{source}: [@{key}] has no note on {page}"
        title = entries[key].fields["title"].replace("{", "").replace("}", "")
        assert letters(title) in letters(note.get_text()), f"{source}: note for {key}"


def test_every_entry_is_cited_and_every_citation_resolves():
    entries = set(bibliography())
    cited = set()
    for path in sorted((REPO / "docs").rglob("*.md")):
        cited.update(cited_keys(path.read_text(encoding="utf-8")))
    assert cited - entries == set(), "citations with no entry in references.bib"
    assert entries - cited == set(), "entries of references.bib never cited"


@pytest.mark.parametrize("page", sorted(CHAPTERS.values()))
def test_no_citation_or_footnote_syntax_left_outside_code(real_site, page):
    html = soup(real_site, page)
    for code in html.select("code, pre, script, style"):
        code.decompose()
    text = html.get_text()
    for literal in ("[@", "[^", "\\bibliography", "\\full_bibliography"):
        assert literal not in text, f"{page}: literal {literal!r} on the page"


ASSET_ATTRIBUTES = {
    "script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
    "video": "src", "embed": "src", "track": "src", "object": "data",
}


def third_party_assets(html: BeautifulSoup) -> list[str]:
    """Addresses on another host that a browser would load (not links to follow)."""
    found = []
    for tag in html.find_all(True):
        urls = []
        if tag.name in ASSET_ATTRIBUTES and tag.get(ASSET_ATTRIBUTES[tag.name]):
            urls.append(tag[ASSET_ATTRIBUTES[tag.name]])
        if tag.name == "link" and not {"canonical", "alternate"} & set(tag.get("rel", [])):
            urls.append(tag.get("href", ""))
        if tag.get("srcset"):
            urls.extend(part.split()[0] for part in tag["srcset"].split(","))
        if tag.get("style") and "url(" in tag["style"]:
            urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", tag["style"]))
        found.extend(url for url in urls if urlsplit(url).netloc or url.startswith("//"))
    return found


def test_asset_check_sees_a_font_cdn():
    page = BeautifulSoup(
        '<link rel="stylesheet" href="https://fonts.example.net/css">'
        '<link rel="canonical" href="https://memo.example.org/">'
        '<img src="/local.png"><script src="//cdn.example.com/x.js"></script>',
        "html.parser",
    )
    assert third_party_assets(page) == ["https://fonts.example.net/css", "//cdn.example.com/x.js"]


def test_no_page_loads_an_asset_from_another_host(real_site):
    pages = sorted(real_site.site_dir.rglob("*.html"))
    assert pages
    offending = {
        str(p.relative_to(real_site.site_dir)): third_party_assets(
            BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        )
        for p in pages
    }
    assert {page: urls for page, urls in offending.items() if urls} == {}


def test_stylesheets_import_nothing_from_another_host(real_site):
    for css in real_site.site_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css
        assert not re.search(r"url\(['\"]?(https?:)?//", text), css
