"""The real site: it builds clean, has the pages its nav lists, and every citation renders."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pybtex.database
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from conftest import REPO, built_path, nav_sources
from scholarly.citation_syntax import find_groups


def _chapters() -> dict[str, str]:
    """Each page the authors wrote that the site's own nav lists -> its built page."""
    config = load_config(config_file=str(REPO / "mkdocs.yml"))
    # Not a page a hook generates.
    return {source: built_path(source) for source in nav_sources(config["nav"])
            if (REPO / "docs" / source).is_file()}


CHAPTERS = _chapters()
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]+`")


def bibliography():
    return pybtex.database.parse_file(str(REPO / "references.bib")).entries


def cited_keys(source: str) -> list[str]:
    prose = CODE_SPAN.sub("", FENCE.sub("", source))
    return [key for found in find_groups(prose) for key in found.group.keys]


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
    # The first paragraph after the title that is not the version line or a headnote.
    summary = next(
        (p for p in heading.find_next_siblings("p")
         if not {"citable-version", "reading-headnote"} & set(p.get("class", []))),
        None,
    )
    assert summary is not None, f"{source}: no paragraph right after the title"
    assert len(summary.get_text().split()) >= 25, f"{source}: the summary is too short"


@pytest.mark.parametrize("source,page", sorted(CHAPTERS.items()))
def test_every_citation_links_to_its_entry_with_its_title(real_site, source, page):
    entries = bibliography()
    html = soup(real_site, page)
    linked = {key for span in html.select("span.citation") for key in span["data-cites"].split()}
    for key in set(cited_keys((REPO / "docs" / source).read_text(encoding="utf-8"))):
        assert key in linked, f"{source}: [@{key}] is not rendered as a citation on {page}"
        assert html.select(f'span.citation a[href="#ref-{key}"]'), f"{source}: [@{key}] links nowhere"
        entry = html.find(id=f"ref-{key}")
        assert entry is not None, f"{source}: [@{key}] has no entry on {page}"
        # A source whose title is not known is listed by its description (type).
        fields = entries[key].fields
        title = (fields.get("title") or fields["type"]).replace("{", "").replace("}", "")
        assert letters(title) in letters(entry.get_text()), f"{source}: entry for {key}"


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


# The "Done when": author-date citations carry no note of their own, the
# author's notes are numbered 1..n in reading order with at most two return links each,
# and every page that cites lists exactly the sources its citations link to.

def reading_units(site) -> list[tuple[str, BeautifulSoup]]:
    """Every authored page's article, and every chapter of the whole-memo page (each
    chapter keeps its own notes and references there)."""
    units = [(page, soup(site, page).select_one("article")) for page in sorted(CHAPTERS.values())]
    for path in sorted(site.site_dir.rglob("index.html")):
        for chapter in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select(
                "section.reading-chapter"):
            units.append((f"{path.relative_to(site.site_dir)}#{chapter['id']}", chapter))
    return units


def note_of(unit: BeautifulSoup, ref) -> BeautifulSoup | None:
    return unit.find(id=ref["href"].removeprefix("#"))


def note_text(note) -> str:
    """A note's text without its return links."""
    note = BeautifulSoup(str(note), "html.parser")
    for back in note.select("a.footnote-backref"):
        back.decompose()
    return " ".join(note.get_text().split())


def test_the_real_site_has_notes_citations_and_a_print_page(real_site):
    units = reading_units(real_site)
    assert any("#" in name for name, _ in units), "no chapter on the whole-memo page"
    assert any(unit.select("a.footnote-ref") for _, unit in units)
    assert any(unit.select("span.citation") for _, unit in units)


def test_no_note_is_just_a_bibliography_entry(real_site):
    entries = {" ".join(entry.get_text().split()).removesuffix("↩︎").strip()
               for _, unit in reading_units(real_site)
               for entry in unit.select("div.csl-entry")}
    for name, unit in reading_units(real_site):
        for ref in unit.select("a.footnote-ref"):
            note = note_of(unit, ref)
            assert note is not None, f"{name}: {ref['href']} leads nowhere"
            text = note_text(note)
            assert text not in entries, f"{name}: note {ref.get_text()} is a bibliography entry"
            assert not note.select("div.csl-entry"), f"{name}: note {ref.get_text()} holds an entry"
        for citation in unit.select("span.citation"):
            after = citation.next_sibling
            marker = after if getattr(after, "name", None) == "sup" else None
            if marker is not None and marker.get("id", "").startswith(("fnref", f"{name}--fnref")):
                # Only a note the author wrote may follow a citation.
                assert note_text(note_of(unit, marker.a)) not in entries, name


def test_notes_are_numbered_one_to_n_in_reading_order(real_site):
    for name, unit in reading_units(real_site):
        refs = unit.select("a.footnote-ref")
        firsts: list[str] = []
        for ref in refs:
            if ref["href"] not in firsts:
                firsts.append(ref["href"])
        numbers = {ref["href"]: ref.get_text() for ref in refs}
        assert [numbers[href] for href in firsts] == [str(n) for n in range(1, len(firsts) + 1)], name
        notes = [li for div in unit.select("div.footnote") for li in div.select("ol > li")]
        assert [f"#{li['id']}" for li in notes] == firsts, f"{name}: notes listed out of reading order"


def test_no_note_has_more_than_two_return_links(real_site):
    for name, unit in reading_units(real_site):
        for note in (li for div in unit.select("div.footnote") for li in div.select("ol > li")):
            assert len(note.select("a.footnote-backref")) <= 2, f"{name}: {note['id']}"
        for entry in unit.select("div.csl-entry"):
            assert len(entry.select("a.reference-backref")) <= 1, f"{name}: {entry['id']}"


def test_every_page_that_cites_lists_exactly_the_sources_it_links_to(real_site):
    for name, unit in reading_units(real_site):
        linked: list[str] = []
        for link in unit.select('span.citation a[role="doc-biblioref"]'):
            key = link["href"].split("#", 1)[1].split("ref-", 1)[1]
            if key not in linked:
                linked.append(key)
        sections = unit.select("section.references")
        if not linked:
            assert sections == [], f"{name}: a reference list without citations"
            continue
        assert len(sections) == 1, f"{name}: {len(sections)} reference lists"
        listed = [entry["id"].split("ref-", 1)[1] for entry in sections[0].select("div.csl-entry")]
        assert len(listed) == len(set(listed)), f"{name}: an entry listed twice"
        assert sorted(listed) == sorted(linked), name
        for key in listed:
            entry = sections[0].find(id=lambda i, k=key: i is not None and i.endswith(f"ref-{k}"))
            [back] = entry.select("a.reference-backref")
            target = unit.find(id=back["href"].removeprefix("#"))
            assert target is not None and target.name == "a", f"{name}: back link of {key}"
            assert target.find_parent("span", class_="citation") is not None, name
        # The list comes last: after the author's notes.
        footnotes = unit.select("div.footnote")
        if footnotes:
            assert str(unit).index('class="footnote"') < str(unit).index('class="references"'), name


def test_the_references_page_lists_every_entry_once_without_back_links(real_site):
    [page] = [page for source, page in CHAPTERS.items()
              if "<!-- full-bibliography -->" in (REPO / "docs" / source).read_text(encoding="utf-8")]
    [listing] = soup(real_site, page).select("div.csl-bib-body.full-bibliography")
    ids = [entry["id"] for entry in listing.select("div.csl-entry")]
    assert sorted(ids) == sorted(f"ref-{key}" for key in bibliography())
    assert listing.select("a.reference-backref") == []


def test_every_entry_leads_back_to_the_first_citation_in_reading_order(real_site):
    for name, unit in reading_units(real_site):
        links = unit.select('span.citation a[role="doc-biblioref"]')
        for section in unit.select("section.references"):
            for back in section.select("a.reference-backref"):
                key = back["href"].split("cite-", 1)[1]
                first = next(a for a in links if a["href"].endswith(f"#ref-{key}")
                             or a["href"].endswith(f"--ref-{key}"))
                assert first is unit.find(id=back["href"].removeprefix("#")), f"{name}: {key}"


@pytest.mark.parametrize("first", [
    pytest.param("Para *em [@a]*.\n", id="paragraph"),
    pytest.param("| x |\n|---|\n| [@a] |\n", id="table"),
    pytest.param("- item [@a]\n", id="list"),
    pytest.param("> quote [@a]\n", id="quote"),
])
def test_the_first_citation_in_reading_order_carries_the_back_link_target(build_site, first):
    site = build_site({"index.md": f"# T\n\n{first}\nLater [@a].\n"},
                      bib="@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n")
    assert site.ok, site.output
    article = BeautifulSoup(site.page("index.html"), "html.parser").select_one("article")
    links = article.select('span.citation a[href="#ref-a"]')
    assert len(links) == 2 and links[0].get("id") == "cite-a" and links[1].get("id") is None
