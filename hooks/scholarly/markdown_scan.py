"""One pass over a page's Markdown: where code, URLs and footnotes are, for the footnote
checks (citations are read by the Markdown parse itself: ``citation_markdown``).

Code (fenced and indented blocks, inline spans), HTML comments, autolinks and bare
URLs are located once; footnotes are looked for only outside them. Positions are
offsets into the page body (the text MkDocs hands to ``on_page_markdown``) and are
turned into source lines by adding the front matter MkDocs has stripped.

The block structure follows Python-Markdown with a 4-space tab: content of list items,
admonitions, footnote definitions and definition lists is indented 4 spaces, and only
text indented 4 more than its container, after a blank line, is an indented code block.
"""
from __future__ import annotations

import bisect
import collections
import dataclasses
import functools
import re

import yaml

from .diagnostics import Diagnostic, error

# Front matter, as MkDocs (mkdocs.utils.meta) recognises it.
YAML_FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
META_LINE_RE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*.*")
META_MORE_RE = re.compile(r"^(?:[ ]{4}|\t)\s*.*")

FENCE_OPEN_RE = re.compile(r"(`{3,}|~{3,})")
CONTAINER_RE = re.compile(
    r"(?:[-*+]|\d+[.)])(?:[ \t]|$)"  # list item
    r"|(?:!!!|\?\?\?\+?)[ \t]"  # admonition / details
    r"|\[\^[^\]\n]*\]:"  # footnote definition
    r"|:[ \t]"  # definition list
)
HEADING_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
BACKTICKS_RE = re.compile(r"`+")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
# http(s)://, ftp:// or www. at a word boundary, in any case. Written to start with a
# set of letters, so the regex engine skips ahead to them instead of trying every
# position (three times quicker on a page).
BARE_URL_RE = re.compile(
    r"[HhFfWw](?:(?<=\b[Hh])[Tt][Tt][Pp][Ss]?://|(?<=\b[Ff])[Tt][Pp]://|(?<=\b[Ww])[Ww][Ww]\.)"
    r"[^\s<>\]\[]*"
)
LINK_DESTINATION_RE = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")
FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]\n]*)\]")
# A footnote definition is its label and ':' with only indentation and block quote
# marks before it on its line. Looked for by the label, which the engine finds quickly,
# and then by what precedes it: a pattern anchored at every line start is tried at
# every character (five times slower).
FOOTNOTE_LABEL_RE = re.compile(r"\[\^([^\]\n]*)\]:")
FOOTNOTE_DEF_PREFIX_RE = re.compile(r"[ \t]*(?:>[ \t]?)*")

# Code and similar regions become this in the structural view: not a space, not a
# word character, not a bracket.
FILLER = "\0"


@dataclasses.dataclass(frozen=True)
class FootnoteMark:
    label: str
    start: int  # offset of '['


@dataclasses.dataclass
class Scan:
    text: str
    line_offset: int
    footnote_refs: list[FootnoteMark]
    footnote_defs: list[FootnoteMark]
    # The text with shielded regions replaced by FILLER: what checkers search.
    structural: str
    _line_starts: list[int] = dataclasses.field(default_factory=list, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, in the source file (front matter counted)."""
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self._line_starts[index] + 1


# Cached: the page hooks ask for each page's line offset several times, one page
# after another; a larger cache would only keep old pages' text alive.
@functools.lru_cache(maxsize=2)
@functools.lru_cache(maxsize=512)
def _read_front_matter(text: str) -> tuple[object, yaml.YAMLError | None]:
    """TEXT (between a page's two '---') as YAML, or the error reading it: read once,
    whichever hook or check asks first (a build asks for each page several times)."""
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as problem:
        return None, problem


def front_matter_problem(source: str, path: str) -> Diagnostic | None:
    """An error where a page opens with front matter YAML cannot read: MkDocs then
    publishes it as the page's first lines of text, and says nothing."""
    match = YAML_FRONT_MATTER_RE.match(source)
    if not match:
        return None
    data, problem = _read_front_matter(match.group(1))
    if problem is not None:
        mark = getattr(problem, "problem_mark", None)
        line, column = (mark.line + 2, mark.column + 1) if mark else (1, 1)
        reason = getattr(problem, "problem", None) or "not valid YAML"
        return error(path, line, column, f"front matter is not valid YAML ({reason}), so it "
                     "would be published as text", "quote the value, or write it as a block: "
                     "description: >- and the text on the next lines, indented")
    if not isinstance(data, dict):
        return error(path, 1, 1, "front matter is not a set of 'key: value' lines, so it would "
                     "be published as text", "write key: value lines between the two '---'")
    return None


def strip_front_matter(source: str) -> tuple[str, int]:
    """The body MkDocs converts, and how many source lines precede it."""
    match = YAML_FRONT_MATTER_RE.match(source)
    if match:
        data, _ = _read_front_matter(match.group(1))
        if isinstance(data, dict):
            rest = source[match.end():]
            body = rest.lstrip("\n")
            return body, source.count("\n", 0, len(source) - len(body))
        return source, 0
    lines = source.split("\n")
    index, seen_key = 0, False
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            break
        if META_LINE_RE.match(line):
            seen_key = True
        elif not (seen_key and META_MORE_RE.match(line)):
            break
        index += 1
    if index == 0:
        return source, 0
    body = "\n".join(lines[index:]).lstrip("\n")
    return body, source.count("\n", 0, len(source) - len(body))


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """Fenced and indented code blocks as (start, end) offsets; an unclosed fence runs
    to the end of the text."""
    blocks: list[tuple[int, int]] = []
    containers: list[int] = []
    fence: tuple[str, int, int] | None = None  # (char, length, start offset)
    indented_start = indented_base = None
    after_blank, in_paragraph = True, False
    offset = 0
    lines = text.split("\n")
    for line in lines:
        line_start, offset = offset, offset + len(line) + 1
        end = min(offset, len(text))
        stripped = line.lstrip(" \t")
        if fence:
            char, length, start = fence
            if stripped.startswith(char * length) and not stripped.rstrip().strip(char):
                blocks.append((start, end))
                fence = None
            continue
        if not stripped:
            after_blank, in_paragraph = True, False
            continue
        indent = _indent(line)
        if indented_start is not None:
            if indent >= indented_base + 4:
                continue
            blocks.append((indented_start, line_start))
            indented_start = None
        lazy = in_paragraph and not after_blank
        if not lazy:
            while containers and indent < containers[-1]:
                containers.pop()
        base = containers[-1] if containers else 0
        if not lazy and indent >= base + 4:
            indented_start, indented_base = line_start, base
            after_blank = False
            continue
        opening = FENCE_OPEN_RE.match(stripped)
        if opening and not (opening.group(1)[0] == "`" and "`" in stripped[opening.end():]):
            fence = (opening.group(1)[0], len(opening.group(1)), line_start)
            after_blank, in_paragraph = False, False
            continue
        if CONTAINER_RE.match(stripped):
            containers.append(indent + 4)
        after_blank = False
        in_paragraph = not HEADING_RE.match(stripped)
    if fence:
        blocks.append((fence[2], len(text)))
    if indented_start is not None:
        blocks.append((indented_start, len(text)))
    return blocks


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans in one paragraph, in linear time: a run of N backticks opens
    a span that the next run of exactly N backticks closes."""
    if text.find("`", start, end) < 0:
        return []
    runs = []
    for match in BACKTICKS_RE.finditer(text, start, end):
        run_start, length = match.start(), len(match.group())
        if run_start > 0 and text[run_start - 1] == "\\":
            run_start, length = run_start + 1, length - 1
        if length:
            runs.append((run_start, length))
    by_length: dict[int, collections.deque[int]] = collections.defaultdict(collections.deque)
    for index, (_, length) in enumerate(runs):
        by_length[length].append(index)
    spans, index = [], 0
    while index < len(runs):
        run_start, length = runs[index]
        later = by_length[length]
        while later and later[0] <= index:
            later.popleft()
        if later:
            closing = later[0]
            spans.append((run_start, runs[closing][0] + length))
            index = closing + 1
        else:
            index += 1
    return spans


def _blank_out(text: str, regions: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in sorted(regions):
        if end <= position:
            continue
        start = max(start, position)
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\n]", FILLER, text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


@functools.lru_cache(maxsize=2)
def scan(text: str, line_offset: int = 0) -> Scan:
    """Locate everything the checks need in a page body. Cached: several hooks ask."""
    blocks = _code_blocks(text)
    view = _blank_out(text, blocks)
    inline: list[tuple[int, int]] = []
    paragraph_start = 0
    for blank in BLANK_LINE_RE.finditer(view):
        inline.extend(_code_spans(view, paragraph_start, blank.start()))
        paragraph_start = blank.end()
    inline.extend(_code_spans(view, paragraph_start, len(view)))
    view = _blank_out(view, inline)
    links = [m.span() for pattern in (HTML_COMMENT_RE, AUTOLINK_RE, BARE_URL_RE)
             for m in pattern.finditer(view)]
    links.extend((m.start() + 1, m.end()) for m in LINK_DESTINATION_RE.finditer(view))
    view = _blank_out(view, links)

    definitions = [FootnoteMark(m.group(1), m.start()) for m in FOOTNOTE_LABEL_RE.finditer(view)
                   if FOOTNOTE_DEF_PREFIX_RE.fullmatch(view, view.rfind("\n", 0, m.start()) + 1,
                                                       m.start())]
    definition_starts = {d.start for d in definitions}
    references = [FootnoteMark(m.group(1), m.start()) for m in FOOTNOTE_REF_RE.finditer(view)
                  if m.start() not in definition_starts]
    return Scan(text, line_offset, references, definitions, view)
