"""Pandoc's bracketed citation syntax: ``[@key]``, ``[@key, p. 4]``, ``[see @key, chap. 2
and passim]``, ``[-@key]``, ``[@a; @b]``, ``[@{any key}]``.

One reading of a group, used by the Markdown extension that renders it
(``citation_markdown``), by the checks (``citation_check``) and by the scan that finds
a site's groups before its pages are converted. pandoc reads every group again when it
formats it (``citeproc.lua``), and a group it does not read as one citation is an error,
so what this module calls a citation is what pandoc calls one.

Keys follow pandoc: a letter, digit or '_' first, then word characters and internal
punctuation (``:.#$%&-+?<>~/``), so ``@hall2017.`` cites ``hall2017`` followed by '.';
anything else goes in braces, ``@{10.1000/xyz?a=1}``.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

# A bracketed span with no bracket inside, within one paragraph (no blank line).
BRACKETS_RE = re.compile(r"\[([^\[\]\n]*(?:\n(?![ \t]*\n)[^\[\]\n]*)*)\]")
# Where an item's '@' (or '-@', author suppressed) may stand: at its start, or after
# white space.
KEY_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=[\s;]))-?@")
# A key written without braces: word characters with internal punctuation.
BARE_KEY = r"\w+(?:[:.#$%&\-+?<>~/]+\w+)*"
KEY_RE = re.compile(r"\{([^{}]*)\}|" + BARE_KEY)


@dataclasses.dataclass(frozen=True)
class Item:
    """One citation of a group: offsets are into the group's text (its '[' is 0)."""

    start: int
    text: str
    # Offset of '@' in the group and the key after it ('' after a lone '@'); -1 and
    # None for an item with no '@'.
    at: int = -1
    key: str | None = None
    # What follows the key, as written (", p. 4").
    rest: str = ""
    rest_start: int = -1


@dataclasses.dataclass(frozen=True)
class Group:
    text: str  # from '[' to ']'
    items: tuple[Item, ...]

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items if item.key]


def is_citation(inner: str) -> bool:
    """Whether the text between brackets holds a citation marker: such a group is read
    as citations, and an item of it that cites nothing is an error."""
    return "@" in inner and KEY_MARKER_RE.search(inner) is not None


def parse_group(text: str) -> Group | None:
    """TEXT (``[...]``, brackets included) as a citation group, or None if it is not one."""
    inner = text[1:-1]
    if not is_citation(inner):
        return None
    items = []
    offset = 1
    for part in inner.split(";"):
        items.append(_item(part, offset))
        offset += len(part) + 1
    return Group(text, tuple(items))


def _item(part: str, offset: int) -> Item:
    marker = KEY_MARKER_RE.search(part)
    if not marker:
        return Item(offset, part)
    key_match = KEY_RE.match(part, marker.end())
    if key_match is None:
        key, end = "", marker.end()
    else:
        key = key_match.group(1) if key_match.group(1) is not None else key_match.group()
        end = key_match.end()
    return Item(offset, part, at=offset + marker.end() - 1, key=key, rest=part[end:],
                rest_start=offset + end)


def expand_sets(text: str, sets: Mapping[str, Sequence[str]]) -> str:
    """TEXT (a group) with each @set it cites replaced by the set's members, as biblatex
    cites a set: a prefix goes before the first member, a locator or suffix after the
    last, and '-@' (author suppressed) applies to each."""
    group = parse_group(text)
    if group is None or not any(sets.get(item.key) for item in group.items):
        return text
    items = []
    for item in group.items:
        members = sets.get(item.key) if item.key else None
        if not members:
            items.append(item.text)
            continue
        prefix = text[item.start:item.at]
        marker = "-@" if prefix.endswith("-") else "@"
        cited = [f"{marker}{{{member}}}" for member in members]
        items.append(prefix.removesuffix("-") + "; ".join(cited) + item.rest)
    return "[" + ";".join(items) + "]"


@dataclasses.dataclass(frozen=True)
class Found:
    """A group found in a source text: where it starts, and the group."""

    start: int
    group: Group


def first_key(text: str) -> str:
    """The key of a group's first citation ('' if none): what a group is ordered by,
    without reading the rest of it."""
    inner = text[1:-1]
    marker = KEY_MARKER_RE.search(inner)
    key = KEY_RE.match(inner, marker.end()) if marker else None
    if key is None:
        return ""
    return key.group(1) if key.group(1) is not None else key.group()


def group_texts(text: str) -> list[str]:
    """The text of every citation group in TEXT, as ``find_groups`` finds them, without
    reading their items: what the site's formatting needs to know before the build."""
    return [match.group() for match in BRACKETS_RE.finditer(text)
            if "@" in match.group(1) and is_citation(match.group(1))]


def find_groups(text: str) -> list[Found]:
    """Every bracketed citation group in TEXT, wherever it is (code included): the
    candidates that the rendered page's groups are matched with for their position."""
    found = []
    for match in BRACKETS_RE.finditer(text):
        if "@" not in match.group(1):
            continue
        group = parse_group(match.group())
        if group is not None:
            found.append(Found(match.start(), group))
    return found


def normalized(text: str) -> str:
    """A group's text with each run of white space as one space: what a group is known
    by, whatever indentation or line breaks the Markdown parse left in it."""
    return " ".join(text.split())


def is_escaped(text: str, offset: int) -> bool:
    """Whether TEXT[OFFSET] follows an odd number of backslashes (an escape)."""
    before = text[:offset]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 1


# Each group of the source is marked, right after its '[', with its number between two
# private-use characters, before Python-Markdown reads the page: the mark travels with
# the group wherever the parse puts it (a citation, code, an attribute, plain text), so
# each outcome is known for the very group of the source; the marks are taken out of
# the output. The digits are private-use characters too (U+E010 to U+E019): a
# highlighter that splits a mark into tokens leaves nothing once its characters go.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
MARK_RE = re.compile("\ue000([\ue010-\ue019]+)\ue001")
MARK_CHARACTERS_RE = re.compile("[\ue000\ue001\ue010-\ue019]")
_DIGITS = str.maketrans("0123456789", "".join(chr(0xE010 + d) for d in range(10)))
_NUMBERS = str.maketrans("".join(chr(0xE010 + d) for d in range(10)), "0123456789")


def mark(number: int) -> str:
    return f"{MARK_OPEN}{str(number).translate(_DIGITS)}{MARK_CLOSE}"


def mark_number(digits: str) -> int:
    """The number of a mark, from MARK_RE's group."""
    return int(digits.translate(_NUMBERS))


def unescaped_groups(text: str) -> list[Found]:
    """``find_groups`` without the groups whose '[' is escaped: those are text."""
    return [found for found in find_groups(text) if not is_escaped(text, found.start)]


def mark_groups(text: str) -> tuple[str, list[Found]]:
    """TEXT with each citation group marked, and the groups found, by number. A group
    whose '[' is escaped is text and is left alone."""
    groups = []
    pieces = []
    position = 0
    for found in unescaped_groups(text):
        pieces.append(text[position:found.start + 1])
        pieces.append(mark(len(groups)))
        position = found.start + 1
        groups.append(found)
    pieces.append(text[position:])
    return "".join(pieces), groups
