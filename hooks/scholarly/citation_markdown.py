"""A Python-Markdown extension that renders pandoc citation groups ``[@key, p. 4]``.

A group is read where Python-Markdown's own inline parse meets it, so code spans and
blocks, escapes (``\\[@a]``), links and snippets are whatever Python-Markdown says they
are. The inline processor runs after code spans (190) and escapes (180) and before
footnote references (175) and links (160), so ``[@a][^note]`` is a citation and a note.
Each group becomes the citation pandoc's citeproc formatted for it (found by its text
through ``format_group``): "(Junisbai 2022, n. 3)", each name and year a link to the
page's own reference list. After the inline parse a tree processor appends that list
(the sources the page cites, once each, in the style's order, each with one link back
to its first citation) and notes which rendered groups are still in the tree: a group
that ended up in an attribute (an image's alt text) is not, and is reported.
"""
from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, AtomicString

from .citation_syntax import Found, find_groups, is_citation

# Each group of the source is marked, right after its '[', with its number between two
# private-use characters, before Python-Markdown reads the page: the mark travels with
# the group wherever the parse puts it (a citation, code, an attribute, plain text), so
# each outcome is known for the very group of the source, and the marks are taken out
# of the output.
# The digits are private-use characters too (U+E010 to U+E019): a highlighter that
# splits the mark into tokens leaves nothing visible once every mark character is gone.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK_RE = re.compile("\ue000([\ue010-\ue019]+)\ue001")
MARK_CHARACTERS_RE = re.compile("[\ue000\ue001\ue010-\ue019]")
# A highlighter's token made of mark characters only: removed whole with them.
MARK_TOKEN_RE = re.compile('<span class="[^"<>]*">[\ue000\ue001\ue010-\ue019]+</span>')
_DIGITS = str.maketrans("0123456789", "".join(chr(0xE010 + d) for d in range(10)))
_NUMBERS = str.maketrans("".join(chr(0xE010 + d) for d in range(10)), "0123456789")


def _mark(number: int) -> str:
    return f"{MARK_OPEN}{str(number).translate(_DIGITS)}{MARK_CLOSE}"


def _number(digits: str) -> int:
    return int(digits.translate(_NUMBERS))
# Text inside these is shown as written, on purpose.
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})


def mark_groups(text: str) -> tuple[str, list[Found]]:
    """TEXT with each citation group marked, and the groups found, by number. A group
    whose '[' is escaped is text and is left alone."""
    groups = []
    pieces = []
    position = 0
    for found in find_groups(text):
        before = text[:found.start]
        if (len(before) - len(before.rstrip("\\"))) % 2:
            continue
        pieces.append(text[position:found.start + 1])
        pieces.append(_mark(len(groups)))
        position = found.start + 1
        groups.append(found)
    pieces.append(text[position:])
    return "".join(pieces), groups

# Marks each rendered group in the tree until the tree processor has seen it.
GROUP_ATTRIBUTE = "data-scholarly-group"
# A bracketed span with no bracket inside that is not a link's text.
GROUP_PATTERN = r"\[([^\[\]]*)\](?!\()"


def normalized(text: str) -> str:
    """A group's text with each run of white space as one space: what a group is known
    by, whatever indentation or line breaks the Markdown parse left in it."""
    return " ".join(text.split())


class CitationExtension(Extension):
    """FORMAT_GROUP(normalized group text) is the group's HTML (a ``span.citation``) or
    None; REFERENCE_LIST(keys) is the HTML of a page's list of those sources."""

    def __init__(self, format_group: Callable[[str], str | None],
                 reference_list: Callable[[list[str]], str]) -> None:
        super().__init__()
        self.format_group = format_group
        self.reference_list = reference_list
        self.reset()

    def extendMarkdown(self, md):
        md.registerExtension(self)
        self.reset()
        md.inlinePatterns.register(CitationProcessor(GROUP_PATTERN, self), "scholarly-citation", 176)
        # After the inline parse (20), so every citation is known, and before MkDocs
        # collects the page's ids (5), so links to the list are known to lead somewhere.
        md.treeprocessors.register(ReferenceListProcessor(md, self), "scholarly-references", 5.5)
        # Last: every other postprocessor has put its HTML in.
        md.postprocessors.register(MarkRemover(md, self), "scholarly-marks", 1)

    def reset(self) -> None:
        # The page being converted: MkDocs makes a Markdown instance per page, and the
        # hook reads these once the page is converted.
        self.rendered: list[str] = []  # each group's text, in the order rendered
        # The number of each rendered group's mark (None for a group not marked: one
        # from an included file).
        self.marks: list[int | None] = []
        self.in_tree: set[int] = set()  # indexes into rendered of groups the page shows
        self.cited: dict[str, None] = {}  # keys, in order of first citation
        # Marked groups the output shows in code, as literal text, or in an attribute.
        self.in_code: set[int] = set()
        self.as_text: set[int] = set()
        self.in_attribute: set[int] = set()


class CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, extension: CitationExtension) -> None:
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m, data):
        # A group holding a code span or an escape is not one pandoc reads as a citation
        # either; it stays text, and the check of the output reports it.
        mark = MARK_RE.match(m.group(1))
        inner = m.group(1)[mark.end():] if mark else m.group(1)
        if STX in inner or not is_citation(inner):
            return None, None, None
        text = f"[{inner}]"
        extension = self.extension
        index = len(extension.rendered)
        extension.rendered.append(text)
        extension.marks.append(_number(mark.group(1)) if mark else None)
        html = extension.format_group(normalized(text))
        element = _element(html) if html else _unformatted(text)
        element.set(GROUP_ATTRIBUTE, str(index))
        return element, m.start(0), m.end(0)


def _element(html: str) -> etree.Element:
    element = etree.fromstring(html)
    for node in element.iter():
        # Finished text: no other inline pattern (smart quotes, abbreviations) may touch it.
        if node.text:
            node.text = AtomicString(node.text)
        if node.tail and node is not element:
            node.tail = AtomicString(node.tail)
    return element


def _unformatted(text: str) -> etree.Element:
    """A group pandoc did not format (the build fails on it): shown as written."""
    element = etree.Element("span", {"class": "citation"})
    element.text = AtomicString(text)
    return element


class ReferenceListProcessor(Treeprocessor):
    def __init__(self, md, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        extension = self.extension
        # In document order (the inline parse meets a table's or a list's text after
        # the paragraphs that follow it): the first link to each source is its first
        # citation, where the reference list's back link leads.
        for node in root.iter():
            index = node.get(GROUP_ATTRIBUTE)
            if index is None:
                continue
            extension.in_tree.add(int(index))
            del node.attrib[GROUP_ATTRIBUTE]
            for link in node.iter("a"):
                key = link.get("href", "").removeprefix("#ref-")
                if key and key not in extension.cited:
                    extension.cited[key] = None
                    link.set("id", f"cite-{key}")
        listing = extension.reference_list(list(extension.cited)) if extension.cited else ""
        if listing:
            root.append(_element(listing))


class MarkRemover(Postprocessor):
    """Notes where each group's mark ended up in the output, and removes the marks."""

    def __init__(self, md, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if MARK_OPEN not in text:
            return text
        reader = _MarkReader(self.extension)
        reader.feed(text)
        reader.close()
        return MARK_CHARACTERS_RE.sub("", MARK_TOKEN_RE.sub("", text))


class _MarkReader(html.parser.HTMLParser):
    def __init__(self, extension: CitationExtension) -> None:
        super().__init__(convert_charrefs=True)
        self.extension = extension
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_TAGS:
            self.code_depth += 1
        self._attributes(attrs)

    def handle_startendtag(self, tag, attrs):
        self._attributes(attrs)

    def handle_endtag(self, tag):
        if tag in CODE_TAGS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if MARK_OPEN in data:
            marks = {_number(digits) for digits in MARK_RE.findall(data)}
            (self.extension.in_code if self.code_depth else self.extension.as_text).update(marks)

    def handle_comment(self, data):
        # A group in an HTML comment is not published.
        return

    def _attributes(self, attrs) -> None:
        for _, value in attrs:
            if value and MARK_OPEN in value:
                self.extension.in_attribute.update(_number(d) for d in MARK_RE.findall(value))
