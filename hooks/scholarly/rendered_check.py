"""What a converted page still shows of citation and footnote syntax.

Reads the page's HTML as a browser would (the standard library's HTML parser) and
returns each citation group (``[... @key ...]``) and footnote reference (``[^label]``)
that is still literal text outside code, and each one inside an attribute value (an
image's alt text, an abbreviation's title): syntax the Markdown parse did not turn into
a citation or a note, published as written. The hook locates them in the source.
"""
from __future__ import annotations

import dataclasses
import functools
import html.parser
import re

from .citation_markdown import normalized
from .citation_syntax import BRACKETS_RE, is_citation

FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")
# Text inside these is shown as written, on purpose.
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
# Text of one of these never runs on into the next: a group stays within a paragraph.
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4",
                        "h5", "h6", "td", "th", "tr", "table", "section", "blockquote",
                        "details", "summary", "br", "hr", "figure", "figcaption", "article"})


@dataclasses.dataclass
class Leftovers:
    # Normalised texts, once per occurrence, in page order.
    literal_groups: list[str] = dataclasses.field(default_factory=list)
    attribute_groups: list[str] = dataclasses.field(default_factory=list)
    literal_footnotes: list[str] = dataclasses.field(default_factory=list)
    # The page's text outside code, blocks apart.
    text: str = ""


class _Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code_depth = 0
        self.text: list[str] = []
        self.leftovers = Leftovers()

    def handle_starttag(self, tag, attrs):
        self._flush(tag)
        if tag in CODE_TAGS:
            self.code_depth += 1
        for _, value in attrs:
            if value and "@" in value:
                self.leftovers.attribute_groups.extend(_groups(value))

    def handle_startendtag(self, tag, attrs):
        self._flush(tag)
        for _, value in attrs:
            if value and "@" in value:
                self.leftovers.attribute_groups.extend(_groups(value))

    def handle_endtag(self, tag):
        self._flush(tag)
        if tag in CODE_TAGS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self.text.append(data)

    def _flush(self, tag: str) -> None:
        # Text split by inline tags (emphasis) is read as one run, as a group may hold
        # them; a block ends the run.
        if tag in BLOCK_TAGS:
            self.text.append("\n\n")

    def close(self):
        super().close()
        text = self.leftovers.text = "".join(self.text)
        self.leftovers.literal_groups.extend(_groups(text))
        self.leftovers.literal_footnotes.extend(FOOTNOTE_RE.findall(text))


def _groups(text: str) -> list[str]:
    return [normalized(match.group()) for match in BRACKETS_RE.finditer(text)
            if is_citation(match.group(1))]


# Kept for the page just converted: the citation and the footnote hooks both ask.
@functools.lru_cache(maxsize=2)
def leftovers(page_html: str) -> Leftovers:
    # Every group holds an '@' and every note reference '[^': a page with neither (most
    # pages, once their citations are rendered) is not read.
    if "@" not in page_html and "[^" not in page_html:
        return Leftovers()
    reader = _Reader()
    reader.feed(page_html)
    reader.close()
    return reader.leftovers
