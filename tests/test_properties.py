"""Random Markdown and BibTeX never make the checks raise: only diagnostics, located
inside the input, or nothing."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from scholarly.bibliography import parse_bibliography
from scholarly.check import PageChecker, load_site_config
from scholarly.markdown_scan import FILLER, scan
from scholarly.print_edition import mark_bare_urls

CHECKER = PageChecker(load_site_config(REPO / "mkdocs.yml"))

KEYS = frozenset({"hall2017learning", "junisbai2022limits", "a"})
MARKDOWN_PIECES = st.sampled_from([
    "[", "]", "@", "^", ":", ";", ",", "-", " ", "  ", "    ", "\n", "\n\n", "\t", "`", "```",
    "~~~", "!!! note\n", "- ", "1. ", "> ", "# ", "| ", "<", ">", "\\", "---\n", "p.", "pp. 4-",
    "[@a]", "[@hall2017learning, p. 4]", "[^1]", "[^1]: ", "me@example.org", "https://x.org/@u",
    "<!--", "-->", "@hall2017learning", "key", "Қасым", "%",
])
BIB_PIECES = st.sampled_from([
    "@", "book", "article", "string", "comment", "{", "}", "(", ")", ",", "=", '"', "#", "%",
    "\\", " ", "\n", "a", "key", "title", "year", "2020", "{T}", "url", "{https://x.org}",
    "author = {A, B}", "@book{a, title={T}, year={2020}, publisher={P}, author={A}}\n", "Ё",
    # Names, dates, links and inheritance as biblatex reads them.
    "author = {", " and ", "family=", "given=", "prefix=", "{\\\"u}", "\\'", "others",
    "date = {", "/", "..", "T11:20", "-07:00", "?", "X", "doi = {", "https://doi.org/",
    "10.1000/x", "{\\_}", "crossref = {a}", "xdata = {a, b}", "@set{s, entryset={a,s}}\n",
    "@xdata{x, publisher={P}}\n",
])


def assert_located(diagnostics, text: str, path: str) -> None:
    lines = text.count("\n") + 1
    for diagnostic in diagnostics:
        assert diagnostic.path == path
        assert 1 <= diagnostic.line <= lines, diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.message


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_PIECES | st.text(max_size=3), max_size=40).map("".join))
# A line of white space other than spaces and tabs (U+0085) after a definition.
@example("[^1]: \n\x85")
def test_random_markdown_gives_only_located_diagnostics(source):
    diagnostics, cited = CHECKER.check(source, "docs/x.md", KEYS)
    assert_located(diagnostics, source, "docs/x.md")
    assert set(cited) <= KEYS


# Fragments that are each valid Markdown on their own, joined by blank lines: a page
# made of them must pass, whatever their order; one unknown key on a known line must
# be the one error, on that line.
# Each with the number of citations it renders.
VALID_BLOCKS = {
    "A claim [@hall2017learning].": 1, "Two [@a; @junisbai2022limits, n. 3].": 1,
    "See [see @hall2017learning, chap. 2 and passim].": 1, "Year [-@a] only.": 1,
    "Code `[@nobody]` stays.": 0, "```\n[@nobody] in a fence\n```": 0,
    "*Emphasis* and [a link](https://example.org/@nobody).": 0, "Escaped \\[@nobody] text.": 0,
    "- item [@a]\n- item two": 1, "> quoted [@hall2017learning]": 1, "!!! note\n    Inside [@a].": 1,
    "| a | b |\n|---|---|\n| x [@a] | y |": 1, "<div>raw</div>": 0, "Mail me@example.org.": 0,
    "A note.[^n]\n\n[^n]: It cites [@a].": 1, "![A figure](figure.png)\n\nIts caption [@a].": 1,
    "<!-- [@nobody] later -->": 0, "Term\n:   Defined [@a][@hall2017learning].": 2,
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(sorted(VALID_BLOCKS)), min_size=1, max_size=8, unique=True),
       st.data())
def test_pages_of_valid_blocks_pass_and_one_unknown_key_is_located(blocks, data):
    page = "# T\n\n" + "\n\n".join(blocks) + "\n"
    diagnostics, _ = CHECKER.check(page, "docs/x.md", KEYS)
    assert [str(d) for d in diagnostics] == []
    # Every citation rendered, and no other text taken for one.
    assert len(CHECKER.extension.rendered) == sum(VALID_BLOCKS[block] for block in blocks)
    at = data.draw(st.integers(0, len(blocks)))
    before = "# T\n\n" + "".join(block + "\n\n" for block in blocks[:at])
    broken = before + "Wrong [@nobody2000].\n\n" + "\n\n".join(blocks[at:]) + "\n"
    diagnostics, _ = CHECKER.check(broken, "docs/x.md", KEYS)
    line = before.count("\n") + 1
    assert [(d.line, d.column, d.message) for d in diagnostics] == [
        (line, 8, "unknown citation key 'nobody2000'")]


@settings(max_examples=200, deadline=None)
@given(st.lists(BIB_PIECES | st.text(max_size=2), max_size=40).map("".join))
def test_random_bibtex_gives_only_located_diagnostics(text):
    bibliography = parse_bibliography(text)
    assert_located(bibliography.diagnostics, text, "references.bib")
    readable = bibliography.pandoc_text()
    assert readable.count("\n") == text.count("\n")
    # Each pair of alike people is noted once, whatever the names.
    assert len({str(d) for d in bibliography.diagnostics}) == len(bibliography.diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.lists(BIB_PIECES, max_size=30).map("".join))
def test_what_passes_the_check_gives_each_entry_its_title_as_written(text):
    # The titles the page metadata shows (pybtex, which read them before, refuses
    # files the check and biblatex accept, such as '@comment(@').
    bibliography = parse_bibliography(text)
    if not bibliography.diagnostics:
        titles = {key: entry.title for key, entry in bibliography.entries.items()}
        assert all("{" not in title and "}" not in title for title in titles.values())


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["[^a]:", "[^", "]:", "a", " ", "  ", "\t", ">", "> ", "\n", "`",
                                 FILLER]), max_size=30).map("".join))
@example(">  [^a]: after two spaces, not a definition")
def test_footnote_definitions_are_those_anchored_at_line_starts(text):
    oracle = re.compile(r"^[ \t]*(?:>[ \t]?)*\[\^([^\]\n]*)\]:", re.MULTILINE)
    page = scan(text)
    assert ([(d.label, d.start) for d in page.footnote_defs]
            == [(m.group(1), m.start(1) - 2) for m in oracle.finditer(page.structural)])


PANDOC_NOTE_PIECES = st.sampled_from([
    "[^a]: ", "[^", "]: ", "[", "]", "{.nocase}", "{.smallcaps}", "]{.", "\\<", "\\>", "a",
    " ", "\n",
])


def plain_spans_as_first_written(markdown: str) -> str:
    span = re.compile(r"\[([^\[\]\n]*)\]\{\.(nocase|smallcaps)\}")
    definition = re.compile(r"^\[\^[^\]\n]+\]: .*$", re.MULTILINE)
    markdown = span.sub(lambda m: f'<span class="smallcaps">{m[1]}</span>'
                        if m[2] == "smallcaps" else m[1], markdown)
    return definition.sub(lambda m: m[0].replace("\\<", "&lt;").replace("\\>", "&gt;"),
                          markdown)


NOTE_PIECES = st.sampled_from(["[^a]: ", "[^b]: ", "[^a]", "[^b]", "[^", "]", ": ", "\n", "x", " "])


def take_notes_as_first_written(markdown: str, note_ids) -> tuple[str, list, dict]:
    definition = re.compile(r"^\[\^([^\]\n]+)\]: (.*)\n?", re.MULTILINE)
    texts, references = {}, []

    def take(match):
        if match[1] not in note_ids:
            return match[0]
        texts[match[1]] = match[2]
        return ""

    def token(match):
        if match[1] not in texts:
            return match[0]
        references.append(match[1])
        return f"\ue000{len(references) - 1}\ue001"

    markdown = definition.sub(take, markdown)
    if texts:
        markdown = re.sub(r"\[\^([^\]\n]+)\]", token, markdown)
    return markdown, references, texts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['<a href="', "http", "s", "://", "x", '">', "</a>", '"', "\\1"]),
                max_size=20).map("".join))
@example('<a href="http://x">http://x</a>')
def test_bare_url_links_are_marked_as_the_template_marked_them(html):
    oracle = re.compile(r'<a href="(https?://[^"]+)">\1</a>')
    assert mark_bare_urls(html) == oracle.sub(r'<a class="reading-bare-url" href="\1">\1</a>', html)


# Values biblatex reads, as reference managers write them: any entry made of them is
# valid, so the check must pass it, pandoc must read it and the page metadata made
# from it must not fail (an undated source once raised an IndexError there).
BIBLATEX_VALUES = {
    "author": ["Hall, Stephen G. F.", "family=Heuvel, given=Charles, prefix=van den, useprefix=false",
               "{OSCE/ODIHR}", 'M{\\"u}ller, Hans and others', "Jean de La Fontaine",
               "Ab, Jr, Cd and Ef, Gh"],
    "editor": ["Westfahl, Gary"],
    "title": ["T", "Caf{\\'e} and {AT\\&T}", "50\\% more", "{{Braced}} Title"],
    "journal": ["J"], "institution": ["I"], "type": ["Working paper"], "number": ["12"],
    "booktitle": ["B"], "publisher": ["P"], "location": ["Washington, D.C."],
    "date": ["2022", "2022-05", "2013-10-30T11:20:51-07:00", "1984/1986", "1988/", "199X",
             "2004-22", "1990?", "2016-04-07T10:33"],
    "year": ["2022", "-0044"],
    "urldate": ["2016-04-07T10:33"],
    "url": ["https://example.org/a%20b%2Fc", "http://arxiv.org/abs/1411.4921{\\_}v2"],
    "doi": ["10.1000/xyz", "https://doi.org/10.1000/xyz", "doi:10.1000/a(b)c",
            "http://dx.doi.org/10.1002/%28SICI%291097"],
    "entrysubtype": ["newspaper"],
}
BIBLATEX_TYPES = ["article", "book", "online", "misc", "report", "techreport", "thesis",
                  "phdthesis", "patent", "video", "artwork", "mvbook", "inproceedings",
                  "incollection", "unpublished", "dataset", "software", "www"]


@st.composite
def biblatex_entries(draw):
    entries = []
    for number in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(BIBLATEX_TYPES))
        fields = draw(st.lists(st.sampled_from(sorted(BIBLATEX_VALUES)), unique=True, max_size=8))
        if "date" in fields and "year" in fields:
            fields.remove("year")
        body = ", ".join(f"{name} = {{{draw(st.sampled_from(BIBLATEX_VALUES[name]))}}}"
                         for name in fields)
        entries.append(f"@{kind}{{k{number}:x/{number}, {body or 'title = {T}'}}}\n")
    return "".join(entries)


@settings(max_examples=25, deadline=None)
@given(biblatex_entries())
def test_what_biblatex_reads_passes_the_check_and_pandoc_reads_it(text):
    from scholarly import cite_box
    from scholarly.citation_formats import bibtex_to_csl

    bibliography = parse_bibliography(text)
    assert [d for d in bibliography.diagnostics if d.severity != "notice"] == []
    records = bibtex_to_csl(bibliography.pandoc_text())
    assert sorted(record["id"] for record in records) == sorted(bibliography.keys)
    titles = {key: entry.title for key, entry in bibliography.entries.items()}
    for record in records:
        assert "doi.org" not in record.get("DOI", "")
        assert "{" not in record.get("URL", "")
        cite_box.highwire_reference(record)
        cite_box.creative_work(record, titles)
