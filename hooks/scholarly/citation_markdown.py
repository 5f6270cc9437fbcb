"""A Python-Markdown extension that renders pandoc citation groups ``[@key, p. 4]``.

A group is read where Python-Markdown's own inline parse meets it, so code spans and
blocks, escapes (``\\[@a]``), links and snippets are whatever Python-Markdown says they
are. The inline processor runs after code spans (190) and escapes (180) and before
footnote references (175) and links (160), so ``[@a][^note]`` is a citation and a note.
It leaves an empty element numbering the group where the group stood; a last
postprocessor puts there the citation pandoc's citeproc formatted for it (found by its
text through ``format_group``): "(Junisbai 2022, n. 3)", each name and year a link to
the page's own reference list, which it appends (the sources the page cites, once
each, in the style's order, each with one link back to its first citation). A group
that ended up in an attribute (an image's alt text) has no element left in the output,
and is reported. Finished HTML joins the page after the Markdown processors, so none
of them (smart quotes, abbreviations, MkDocs' link resolution) reads it again, and it
costs the conversion one small element a citation.

A group the page's text carries marked (``citation_syntax.mark_groups``) is known by
its mark; the postprocessor also reads where the other marks ended up (code, text, an
attribute) and removes them all.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.util import STX

from .citation_syntax import MARK_CHARACTERS_RE, MARK_RE, is_citation, mark_number, normalized
from .rendered_check import Output, read_output

# A highlighter's token made of mark characters only: removed whole with them.
MARK_TOKEN_RE = re.compile('<span class="[^"<>]*">[\ue000\ue001\ue010-\ue019]+</span>')

# The element a rendered group leaves until the postprocessor writes it.
GROUP_ATTRIBUTE = "data-scholarly-group"
GROUP_ELEMENT_RE = re.compile(f'<span {GROUP_ATTRIBUTE}="(\\d+)"></span>')
CITED_LINK_RE = re.compile(r'<a href="#ref-([^"]*)"')
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
        # Last: every other postprocessor has put its HTML in.
        md.postprocessors.register(CitationWriter(md, self), "scholarly-citations", 1)

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
        return etree.Element("span", {GROUP_ATTRIBUTE: str(index)}), m.start(0), m.end(0)


class CitationWriter(Postprocessor):
    """Reads the output for where each group's mark ended up and for citation syntax
    left as written (``rendered_check``); writes each rendered group's citation and the
    page's reference list; removes the marks."""

    def __init__(self, md, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        extension = self.extension
        extension.output = read_output(text)
        if extension.rendered:
            text = GROUP_ELEMENT_RE.sub(self._citation, text)
            if extension.cited:
                text += "\n" + extension.reference_list(list(extension.cited))
        if not MARK_CHARACTERS_RE.search(text):
            return text
        return MARK_CHARACTERS_RE.sub("", MARK_TOKEN_RE.sub("", text))

    def _citation(self, match: re.Match) -> str:
        """One group's citation; called in document order, so the first link to each
        source, where the reference list's back link leads, is its first citation."""
        extension = self.extension
        index = int(match.group(1))
        extension.in_tree.add(index)
        text = extension.rendered[index]
        formatted = extension.format_group(normalized(text))
        if formatted is None:  # pandoc could not format it: the build fails on it
            return f'<span class="citation">{html.escape(text)}</span>'
        for link in CITED_LINK_RE.finditer(formatted):
            key = html.unescape(link.group(1))
            if key not in extension.cited:
                extension.cited[key] = None
                formatted = formatted.replace(
                    link.group(0), f'{link.group(0)} id="cite-{link.group(1)}"', 1)
        return formatted
