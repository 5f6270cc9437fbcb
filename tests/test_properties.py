"""Random Markdown and BibTeX never make the checks raise: only diagnostics, located
inside the input, or nothing."""
from __future__ import annotations

import re

import pybtex.database
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.exceptions import PybtexError

from scholarly.bibliography import parse_bibliography
from scholarly.check import check_page
from scholarly.citation_check import BARE_KEY_RE, _follows_word
from scholarly.citation_notes import PageNotes, put_back, take_notes, without_notes
from scholarly.markdown_scan import (
    BRACKET_GROUP_RE,
    FILLER,
    scan,
    shield,
    strip_front_matter,
    unshield,
)
from scholarly.pandoc_markup import plain_spans
from scholarly.print_edition import mark_bare_urls

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
def test_random_markdown_gives_only_located_diagnostics(source):
    diagnostics, cited = check_page(source, "docs/x.md", KEYS)
    assert_located(diagnostics, source, "docs/x.md")
    assert cited <= KEYS


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_shielding_hides_every_other_bracket_and_is_undone(source):
    body, line_offset = strip_front_matter(source)
    page = scan(body, line_offset)
    shielded = shield(page)
    outside = shielded
    for group in page.citation_groups:
        outside = outside.replace(group.text.replace("\n", " "), "")
    assert not set("[]@") & set(outside) or any(g.wrapped for g in page.citation_groups)
    if not any(g.wrapped for g in page.citation_groups):
        assert unshield(shielded) == body


@settings(max_examples=200, deadline=None)
@given(st.lists(BIB_PIECES | st.text(max_size=2), max_size=40).map("".join))
def test_random_bibtex_gives_only_located_diagnostics(text):
    bibliography = parse_bibliography(text)
    assert_located(bibliography.diagnostics, text, "references.bib")
    readable = bibliography.renderable_text()
    assert readable.count("\n") == text.count("\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(BIB_PIECES, max_size=30).map("".join))
def test_what_passes_the_check_is_readable_by_pybtex(text):
    bibliography = parse_bibliography(text)
    if not bibliography.diagnostics:
        try:
            pybtex.database.parse_string(text, "bibtex")
        except PybtexError as problem:
            raise AssertionError(f"pybtex rejects what the check accepts: {problem}") from None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a@.-[ _x9é²\n]", max_size=20))
def test_bare_keys_are_the_at_signs_no_word_character_precedes(text):
    oracle = re.compile(r"(?<![\w@.\-\[])@([\w-]+)")
    found = [(m.start(), m.group(1)) for m in BARE_KEY_RE.finditer(text)
             if not _follows_word(text, m.start())]
    assert found == [(m.start(), m.group(1)) for m in oracle.finditer(text)]


# Each pattern of the scan that was rewritten for speed, against the plain form it
# replaced: the same matches on any text.
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a[]@ \t\n", max_size=30))
def test_bracket_groups_are_those_of_one_character_at_a_time(text):
    oracle = re.compile(r"\[((?:[^\[\]\n]|\n(?![ \t]*\n))*)\]")
    assert ([m.span(1) for m in BRACKET_GROUP_RE.finditer(text)]
            == [m.span(1) for m in oracle.finditer(text)])


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


@settings(max_examples=500, deadline=None)
@given(st.lists(PANDOC_NOTE_PIECES, max_size=30).map("".join))
@example("x [^a]: \\<b\\>\n[^a]: \\<b\\>")
def test_plain_spans_change_what_the_multiline_patterns_changed(text):
    assert plain_spans(text) == plain_spans_as_first_written(text)


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


@settings(max_examples=500, deadline=None)
@given(st.lists(NOTE_PIECES, max_size=30).map("".join))
@example("[^a]: first\n[^a]: second")
@example("x\n[^a]: last, no newline after")
def test_notes_are_taken_as_the_multiline_pattern_took_them(text):
    markdown, notes = take_notes(text, {"a"})
    assert (markdown, notes.references, notes.texts) == take_notes_as_first_written(text, {"a"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['<a href="', "http", "s", "://", "x", '">', "</a>", '"', "\\1"]),
                max_size=20).map("".join))
@example('<a href="http://x">http://x</a>')
def test_bare_url_links_are_marked_as_the_template_marked_them(html):
    oracle = re.compile(r'<a href="(https?://[^"]+)">\1</a>')
    assert mark_bare_urls(html) == oracle.sub(r'<a class="reading-bare-url" href="\1">\1</a>', html)


HTML_PIECES = st.sampled_from([
    "\ue0000\ue001", "\ue0001\ue001", "\ue0002\ue001", '<div class="footnote">\n<hr />\n<ol>\n',
    "</ol>\n</div>", "</ol>", "\n", '<li id="fn:', "x", "<sup>",
])


def put_back_as_first_written(page_html: str, notes: PageNotes, bodies: dict):
    notes_open, notes_close, mark = '<div class="footnote">\n<hr />\n<ol>\n', "</ol>\n</div>", "\ue002"
    notes_at = page_html.rfind(notes_open)
    own = len(re.findall('<li id="fn:', page_html[notes_at:])) if notes_at >= 0 else 0
    numbers = {note_id: own + index for index, note_id in enumerate(notes.texts, start=1)}
    seen = {}

    def reference(match):
        note_id = notes.references[int(match[1])]
        seen[note_id] = seen.get(note_id, 0) + 1
        reference_id = f"fnref:{note_id}" if seen[note_id] == 1 else f"fnref{seen[note_id]}:{note_id}"
        return (f'<sup id="{reference_id}"><a class="footnote-ref" '
                f'href="#fn:{note_id}">{numbers[note_id]}</a></sup>')

    page_html = re.sub("\ue000(\\d+)\ue001", reference, page_html)
    reference_list = tuple((note_id, numbers[note_id], seen.get(note_id, 0), bodies[text])
                           for note_id, text in notes.texts.items())
    if notes_at < 0:
        return f"{page_html}\n{notes_open}{mark}{notes_close}", reference_list
    close_at = page_html.rfind(notes_close)
    return page_html[:close_at] + mark + page_html[close_at:], reference_list


@settings(max_examples=500, deadline=None)
@given(st.lists(HTML_PIECES, max_size=20).map("".join))
def test_references_are_put_back_as_one_substitution_put_them(page_html):
    notes = PageNotes(references=["a", "b", "a"], texts={"a": "A.", "b": "B."})
    bodies = {"A.": "<p>A.</p>", "B.": "<p>B.</p>"}
    assert put_back(page_html, notes, bodies) == put_back_as_first_written(page_html, notes, bodies)


WRITTEN_REFERENCE_PIECES = st.sampled_from([
    '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>',
    '<sup id="fnref2:b"><a class="footnote-ref" href="#fn:b">2</a></sup>',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">3</a></sup>',
    '<sup id="fnref', ":a", '">', "</sup>", "\ue002", "x",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(WRITTEN_REFERENCE_PIECES, max_size=12).map("".join))
def test_notes_are_hidden_as_one_substitution_hid_them(page_html):
    oracle = re.compile(
        r'<sup id="fnref\d*:([^"]+)"><a class="footnote-ref" href="#fn:\1">\d+</a></sup>')
    at = page_html.rfind("\ue002")
    expected = page_html[:at] + page_html[at + 1:] if at >= 0 else page_html
    expected = oracle.sub(lambda match: "" if match[1] in {"a", "b"} else match[0], expected)
    assert without_notes(page_html, ["a", "b"]) == expected
