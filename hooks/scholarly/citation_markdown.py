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
that ended up in an attribute (an image's alt text) is not, and is reported. A group
the page's text carries marked (``citation_syntax.mark_groups``) is known by its mark;
a last postprocessor reads where the other marks ended up (code, text, an attribute)
and removes them all.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, AtomicString

from .citation_syntax import MARK_CHARACTERS_RE, MARK_RE, is_citation, mark_number, normalized
from .rendered_check import Output, read_output

# A highlighter's token made of mark characters only: removed whole with them.
MARK_TOKEN_RE = re.compile('<span class="[^"<>]*">[\ue000\ue001\ue010-\ue019]+</span>')

# Marks each rendered group in the tree until the tree processor has seen it.
GROUP_ATTRIBUTE = "data-scholarly-group"
# A bracketed span with no bracket inside that is not a link's text.
GROUP_PATTERN = r"\[([^\[\]]*)\](?!\()"


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
        # What the output shows of the marks and of citation syntax left as written.
        self.output = Output()


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
        extension.marks.append(mark_number(mark.group(1)) if mark else None)
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
    """Reads the output for where each group's mark ended up and for citation syntax
    left as written (``rendered_check``), then removes the marks."""

    def __init__(self, md, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        self.extension.output = read_output(text)
        if not MARK_CHARACTERS_RE.search(text):
            return text
        return MARK_CHARACTERS_RE.sub("", MARK_TOKEN_RE.sub("", text))
