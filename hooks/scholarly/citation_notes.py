"""The reference notes mkdocs-bibtex writes under a page, taken out of its Markdown and
put back into its HTML exactly as Python-Markdown's footnotes extension writes notes.

mkdocs-bibtex follows each citation with a note reference ``[^key]`` and appends a
definition ``[^key]: full reference`` for each source the page cites. Converting those
is most of a page's Markdown work (each reference splits the text around it, and every
inline pattern runs over every definition), and the same reference is converted again
on every page citing it. ``take_notes`` replaces each reference by a token no Markdown
pattern reads and removes the definitions; ``put_back`` writes the references into the
converted page, numbered after the author's own notes, with the ids, numbers and back
links the footnotes extension gives them, and a mark where their list goes;
``write_list`` writes the list there. The list is most of a citing page's HTML, and the
whole site's pages are held until the last is written: the list joins a page only in
what is written out.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

# Private-use characters: no Markdown extension reads them, HTML escaping keeps them.
_OPEN, _CLOSE = "\ue000", "\ue001"
# Where a page's list of reference notes goes, until write_list writes it.
_LIST_MARK = "\ue002"
_TOKEN = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# A note definition `[^id]: text` at a line's start, found with the newline before it (take_notes
# puts one before a first line that may be one): led by a literal, the engine skips
# from line to line, where a multi-line `^` would make it try every position of the page.
_DEFINITION = re.compile(r"\n\[\^([^\]\n]+)\]: (.*)")
_REFERENCE = re.compile(r"\[\^([^\]\n]+)\]")
# What the footnotes extension writes around its notes, at the end of the page.
_NOTES_OPEN = '<div class="footnote">\n<hr />\n<ol>\n'
_NOTES_CLOSE = "</ol>\n</div>"
_AUTHOR_NOTE = re.compile(r'<li id="fn:')
_CONVERTED_NOTE = re.compile(r'<li id="fn:(\d+)">\n(.*?)\n</li>', re.DOTALL)
_WRITTEN_REFERENCE = re.compile(
    r'(<sup id="fnref\d*:([^"]+)"><a class="footnote-ref" href="#fn:\2">\d+</a></sup>)')
_BACK_LINK = re.compile(r'(?:&#160;)?<a class="footnote-backref" [^>]*>&#8617;</a>')


@dataclass
class PageNotes:
    """A page's notes: the note id of each token, in text order; each note's Markdown."""

    references: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def take_notes(markdown: str, note_ids: Collection[str]) -> tuple[str, PageNotes]:
    """MARKDOWN without the definitions of notes named in NOTE_IDS, and with each
    reference to one of them replaced by a token. Only references to notes defined on
    the page are replaced: any other ``[^id]`` stays for Markdown."""
    notes = PageNotes()
    texts, references = notes.texts, notes.references
    # Split, not substituted: definitions and references are then replaced in one loop
    # each, without a call per match from the engine. Pieces: text, id, note text, ...
    # A page opening with a note definition gets a newline first, taken off after.
    opens_with_note = markdown.startswith("[^")
    pieces = _DEFINITION.split("\n" + markdown if opens_with_note else markdown)
    if len(pieces) == 1:
        return markdown, notes
    taken = False
    for at in range(1, len(pieces), 3):
        note_id = pieces[at]
        taken = note_id in note_ids
        if taken:
            texts[note_id] = pieces[at + 1]
            pieces[at] = pieces[at + 1] = ""  # with the newline before it
        else:
            pieces[at] = f"\n[^{note_id}]: "
    if taken and not pieces[-1]:  # the last line, with no newline after it to go instead
        pieces[-1] = "\n"
    markdown = "".join(pieces)
    if opens_with_note:
        markdown = markdown[1:]
    if not texts:
        return markdown, notes
    # Pieces: text, id, text, ...
    pieces = _REFERENCE.split(markdown)
    for at in range(1, len(pieces), 2):
        note_id = pieces[at]
        if note_id in texts:
            pieces[at] = f"{_OPEN}{len(references)}{_CLOSE}"
            references.append(note_id)
        else:
            pieces[at] = f"[^{note_id}]"
    return "".join(pieces), notes


# Per note of a page, in order: its id, number, how often it is referred to, its body.
ReferenceList = tuple[tuple[str, int, int, str], ...]
# The page.meta entry holding a page's ReferenceList between put_back and write_list.
REFERENCE_LIST = "scholarly_reference_list"


def put_back(page_html: str, notes: PageNotes, bodies: Mapping[str, str]
             ) -> tuple[str, ReferenceList]:
    """PAGE_HTML with NOTES' references written in and a mark where their list goes,
    and that list, for ``write_list``. BODIES holds, for each note's Markdown, what the
    footnotes extension puts in its ``<li>`` (see ``bodies``)."""
    if not notes.texts:
        return page_html, ()
    notes_at = page_html.rfind(_NOTES_OPEN)
    own = len(_AUTHOR_NOTE.findall(page_html, notes_at)) if notes_at >= 0 else 0
    numbers = {note_id: own + index for index, note_id in enumerate(notes.texts, start=1)}
    seen: dict[str, int] = {}
    # The page in pieces, the text between tokens and the tokens' numbers: the
    # references and the mark go into the pieces, and the page is copied only once, as
    # they are joined.
    pieces = _TOKEN.split(page_html)
    for at in range(1, len(pieces), 2):
        note_id = notes.references[int(pieces[at])]
        occurrence = seen[note_id] = seen.get(note_id, 0) + 1
        pieces[at] = (f'<sup id="{_reference_id(note_id, occurrence)}"><a class="footnote-ref" '
                      f'href="#fn:{note_id}">{numbers[note_id]}</a></sup>')
    reference_list = tuple((note_id, numbers[note_id], seen.get(note_id, 0), bodies[text])
                           for note_id, text in notes.texts.items())
    if notes_at < 0:
        pieces.append(f"\n{_NOTES_OPEN}{_LIST_MARK}{_NOTES_CLOSE}")
        return "".join(pieces), reference_list
    # The mark goes before the page's last list close: no reference written holds one
    # or part of one (a note id has no newline), so it is in the last piece holding it.
    for index in range(len(pieces) - 1, -1, -1):
        close_at = pieces[index].rfind(_NOTES_CLOSE)
        if close_at >= 0:
            piece = pieces[index]
            pieces[index] = piece[:close_at] + _LIST_MARK + piece[close_at:]
            return "".join(pieces), reference_list
    # An opening of notes without a close (the author's own HTML): before the last character.
    page_html = "".join(pieces)
    return page_html[:-1] + _LIST_MARK + page_html[-1:], reference_list


def with_bodies(reference_list: ReferenceList, change: Callable[[str], str]) -> ReferenceList:
    """The list with CHANGE made to each note's body: what a hook does to a page's HTML
    it does to the notes that join it later."""
    return tuple((note_id, number, occurrences, change(body))
                 for note_id, number, occurrences, body in reference_list)


def write_list(page_html: str, reference_list: ReferenceList) -> str:
    """PAGE_HTML (a page ``put_back`` wrote, or any HTML holding it) with the list of its
    reference notes where ``put_back`` left the mark."""
    at = page_html.rfind(_LIST_MARK) if reference_list else -1
    if at < 0:
        return page_html
    items = "".join([_item(*note) for note in reference_list])
    # The mark is once on the page, as put_back left it: the page is then copied once,
    # not three times (it is the largest string of a build's pages).
    if page_html.find(_LIST_MARK) == at:
        return page_html.replace(_LIST_MARK, items, 1)
    return "".join((page_html[:at], items, page_html[at + len(_LIST_MARK):]))


def bodies(texts: list[str], convert: Callable[[str], str]) -> dict[str, str]:
    """{text: its note's body} for notes' TEXTS, from one conversion: CONVERT (the
    pages' Markdown) gets them as one document of note definitions, so each reads as
    it would on a page, and its abbreviations and other per-document work come once."""
    document = "\n".join(f"[^{index}]: {text}" for index, text in enumerate(texts))
    converted = convert(document)
    found = {}
    for match in _CONVERTED_NOTE.finditer(converted, converted.rfind(_NOTES_OPEN)):
        body = _BACK_LINK.sub("", match.group(2)).removesuffix("\n<p></p>")
        found[texts[int(match.group(1))]] = body
    return found


def without_notes(page_html: str, note_ids: Collection[str]) -> str:
    """PAGE_HTML, written by ``put_back``, without the notes NOTE_IDS (a page's
    ``PageNotes.texts``): neither the mark of their list nor the numbers referring to
    them (what search indexes)."""
    at = page_html.rfind(_LIST_MARK)
    if at >= 0:
        page_html = page_html[:at] + page_html[at + len(_LIST_MARK):]
    hidden = frozenset(note_ids)
    # Split, not substituted: no call per reference from the engine. Pieces: text, a
    # reference, its note id, text, ...
    pieces = _WRITTEN_REFERENCE.split(page_html)
    for at in range(1, len(pieces), 3):
        if pieces[at + 1] in hidden:
            pieces[at] = ""
        pieces[at + 1] = ""
    return "".join(pieces)


def without_tokens(text: str) -> str:
    """TEXT (a title in the table of contents) as the toc extension writes a heading
    holding note references: without them."""
    return _TOKEN.sub("", text) if _OPEN in text else text


def _reference_id(note_id: str, occurrence: int) -> str:
    return f"fnref:{note_id}" if occurrence == 1 else f"fnref{occurrence}:{note_id}"


def _item(note_id: str, number: int, occurrences: int, body: str) -> str:
    # The footnotes extension escapes this title: with a number in it, nothing changes.
    title = f"Jump back to footnote {number} in the text"
    links = "".join(
        f'<a class="footnote-backref" href="#{_reference_id(note_id, occurrence)}" '
        f'title="{title}">&#8617;</a>'
        for occurrence in range(1, max(occurrences, 1) + 1)
    )
    if body.endswith("</p>"):
        return f'<li id="fn:{note_id}">\n{body[:-4]}&#160;{links}</p>\n</li>\n'
    return f'<li id="fn:{note_id}">\n{body}\n<p>{links}</p>\n</li>\n'
