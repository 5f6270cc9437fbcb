"""Real .bib files, as scholars' tools write them (tests/fixtures/bib/, sources and
licences in its README), each made a site's references.bib with one page citing every
key: what biblatex accepts builds, with every entry's title in the page's list."""
from __future__ import annotations

import codecs
import re

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES
from scholarly.bibliography import parse_bibliography

BIB = FIXTURES / "bib"
WORD_RE = re.compile(r"[^\W_]+")

# What the check refuses in each file, and why biblatex would print it wrong: a URL
# field holding several addresses makes one broken link.
REFUSED = {
    "biblatex-examples.bib": [],
    "zotero-bbt-readonly-group-3430.bib": [],
    "bibtexparser-mendeley-random.bib": [
        "references.bib:366:39: error: url of 'shayevitz11' holds 2 addresses; a link has one — keep one address in url; put another in note",
        "references.bib:702:39: error: url of 'hayashi15b' holds 2 addresses; a link has one — keep one address in url; put another in note",
        "references.bib:1981:63: error: url of 'gisin10' holds 2 addresses; a link has one — keep one address in url; put another in note",
        "references.bib:2075:40: error: url of 'wilde15' holds 3 addresses; a link has one — keep one address in url; put another in note",
        "references.bib:2744:39: error: url of 'brandao14' holds 3 addresses; a link has one — keep one address in url; put another in note",
    ],
}


def _citation(key: str) -> str:
    return f"[@{{{key}}}]"


def _page_citing_every_key(bib_text: str) -> str:
    entries = parse_bibliography(bib_text).entries
    cited = [key for key, entry in entries.items() if entry.type != "xdata"]
    return "# Every source\n\n" + "\n\n".join(f"Cited: {_citation(key)}." for key in cited) + "\n"


def _title_words(title: str) -> list[str]:
    plain = codecs.decode(title, "ulatex").replace("{", "").replace("}", "")
    plain = re.sub(r"\\[A-Za-z]+", " ", plain)  # a command of biblatex's, e.g. \mkbibquote
    plain = re.sub(r"\$[^$]*\$", " ", plain)  # math is set by pandoc its own way
    return [word.casefold() for word in WORD_RE.findall(plain)]


def _fixed(bib_text: str) -> str:
    """The file as a contributor fixes what the check refuses: one address a URL."""
    return re.sub(r"(?m)^(url = \{\S+) [^}]*\}", r"\1}", bib_text)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_the_check_refuses_in_a_real_file_is_only_what_biblatex_prints_wrong(run_check, name):
    text = (BIB / name).read_text(encoding="utf-8")
    run = run_check({"index.md": _page_citing_every_key(text)}, text)
    assert [line for line in run.lines if ": error: " in line or ": warning: " in line] == REFUSED[name]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_real_file_builds_with_every_entry_and_its_title_in_the_list(build_site, name):
    text = _fixed((BIB / name).read_text(encoding="utf-8"))
    bibliography = parse_bibliography(text)
    site = build_site({"index.md": _page_citing_every_key(text)}, bib=text)
    assert site.ok, site.output
    assert "Traceback" not in site.output
    soup = BeautifulSoup(site.page("index.html"), "html.parser")
    listed = {element["id"].removeprefix("ref-"): element.get_text()
              for element in soup.select(".references .csl-entry")}
    shown = {key for key, entry in bibliography.entries.items() if entry.type not in ("xdata", "set")}
    assert set(listed) == shown
    missing_titles = []
    for key in shown:
        # The title's first long words, each in the entry as listed (the style may
        # change their case, quote them or set a command of biblatex's its own way).
        words = [word for word in _title_words(bibliography.entries[key].title) if len(word) >= 4][:3]
        text_listed = listed[key].casefold()
        if not words or not all(word in text_listed for word in words):
            missing_titles.append((key, words, listed[key][:200]))
    assert missing_titles == [], "\n".join(map(repr, missing_titles))
    # A set is cited as its members.
    for key, members in bibliography.sets.items():
        citation = soup.find(string=re.compile(re.escape(key)))
        assert citation is None or "n.d." not in citation
        assert all(member in listed for member in members)
