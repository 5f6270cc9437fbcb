"""What a converted page shows of its citation groups and of citation and note syntax.

Reads the page's HTML as a browser would (the standard library's HTML parser): where
each group's mark (``citation_syntax.mark_groups``) ended up, in code, in plain text or
in an attribute value; and each citation group (``[... @key ...]``) and footnote
reference (``[^label]``) still literal outside code or inside an attribute (an image's
alt text, an abbreviation's title), marked or not (text from an included file carries
no mark). The hooks locate them in the source.
"""
from __future__ import annotations

import dataclasses
import functools
import html.parser
import re

from .citation_syntax import (
    BRACKETS_RE,
    MARK_CHARACTERS_RE,
    MARK_OPEN,
    MARK_RE,
    is_citation,
    mark_number,
    normalized,
)

FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")
# Text inside these is shown as written, on purpose.
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
# Text of one of these never runs on into the next: a group stays within a paragraph.
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4",
                        "h5", "h6", "td", "th", "tr", "table", "section", "blockquote",
                        "details", "summary", "br", "hr", "figure", "figcaption", "article"})


@dataclasses.dataclass
class Output:
    # Marks of groups the output shows in code, as plain text, in an attribute value.
    in_code: set[int] = dataclasses.field(default_factory=set)
    as_text: set[int] = dataclasses.field(default_factory=set)
    in_attribute: set[int] = dataclasses.field(default_factory=set)
    # Marks in an HTML comment: not published, on purpose.
    in_comment: set[int] = dataclasses.field(default_factory=set)
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
        self.output = Output()

    def handle_starttag(self, tag, attrs):
        self._flush(tag)
        if tag in CODE_TAGS:
            self.code_depth += 1
        self._attributes(attrs)

    def handle_startendtag(self, tag, attrs):
        self._flush(tag)
        self._attributes(attrs)

    def handle_endtag(self, tag):
        self._flush(tag)
        if tag in CODE_TAGS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if MARK_OPEN in data:
            marks = {mark_number(digits) for digits in MARK_RE.findall(data)}
            (self.output.in_code if self.code_depth else self.output.as_text).update(marks)
            data = MARK_CHARACTERS_RE.sub("", data)
        if not self.code_depth:
            self.text.append(data)

    def handle_comment(self, data):
        if MARK_OPEN in data:
            self.output.in_comment.update(mark_number(d) for d in MARK_RE.findall(data))

    def _attributes(self, attrs) -> None:
        for _, value in attrs:
            if not value or "@" not in value and MARK_OPEN not in value:
                continue
            if MARK_OPEN in value:
                self.output.in_attribute.update(mark_number(d) for d in MARK_RE.findall(value))
                value = MARK_CHARACTERS_RE.sub("", value)
            self.output.attribute_groups.extend(_groups(value))

    def _flush(self, tag: str) -> None:
        # Text split by inline tags (emphasis) is read as one run, as a group may hold
        # them; a block ends the run.
        if tag in BLOCK_TAGS:
            self.text.append("\n\n")

    def close(self):
        super().close()
        text = self.output.text = "".join(self.text)
        self.output.literal_groups.extend(_groups(text))
        self.output.literal_footnotes.extend(FOOTNOTE_RE.findall(text))


def _groups(text: str) -> list[str]:
    return [normalized(match.group()) for match in BRACKETS_RE.finditer(text)
            if is_citation(match.group(1))]


# Kept for the page just converted: the citation and the footnote checks both ask.
@functools.lru_cache(maxsize=2)
def read_output(page_html: str) -> Output:
    # Every group holds an '@' and every note reference '[^': a page with neither and
    # no mark (most pages, once their citations are rendered) is not read.
    if "@" not in page_html and "[^" not in page_html and MARK_OPEN not in page_html:
        return Output()
    reader = _Reader()
    reader.feed(page_html)
    reader.close()
    return reader.output
