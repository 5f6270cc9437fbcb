"""Checks every citation group ``[see @key, p. 4; @other]`` of a page against the keys
of references.bib.

mkdocs-bibtex drops an unknown key from the page with a warning naming neither page
nor line, and cuts a key at ':' or '.'; each of those becomes a located error here,
with the key the author probably meant.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Container

from .diagnostics import Diagnostic, error
from .markdown_scan import PLACEHOLDERS, Scan

VALID_KEY_RE = re.compile(r"[\w-]+")
KEY_TOKEN_RE = re.compile(r"[^\s,;\]]*")
# An item's '@' (or '-@', author suppressed): at its start or after a space.
_KEY_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=\s))-?@")
# '@key' not preceded by a word character or one of "@.-[" (checked by _follows_word):
# led by the literal '@', the search skips the rest of the text at C speed, where a
# lookbehind first would be tried at every character of every page.
BARE_KEY_RE = re.compile(r"@([\w-]+)")
NOT_BEFORE_BARE_KEY = frozenset("_@.-[")
# Locator labels pandoc's English CSL locale recognises, and their forms without a dot.
LOCATOR_LABELS = frozenset((
    "p.", "pp.", "page", "pages", "chap.", "chapter", "chapters", "sec.", "section",
    "sections", "para.", "paragraph", "paragraphs", "n.", "nn.", "note", "notes", "vol.",
    "vols.", "volume", "volumes", "fig.", "figs.", "figure", "figures", "l.", "ll.", "line",
    "lines", "bk.", "book", "books", "col.", "cols.", "column", "columns", "no.", "number",
    "¶", "§",
))
UNDOTTED_LABELS = {label[:-1]: label for label in LOCATOR_LABELS if label.endswith(".")}
LABEL_RE = re.compile(r"(\S+)\s*(.*)", re.DOTALL)
DANGLING_RANGE_RE = re.compile(r"^[-–—]|[-–—]$")
EXAMPLE = "[@key, p. 4]"


def check_citations(page: Scan, path: str, keys: frozenset[str]) -> tuple[list[Diagnostic], set[str]]:
    """Diagnostics for the page's citation groups, and the keys it cites correctly."""
    found: list[Diagnostic] = []
    cited: set[str] = set()
    folded = _folded(keys)

    def report(offset: int, message: str, hint: str = "") -> None:
        line, column = page.position(offset)
        found.append(error(path, line, column, message, hint))

    for group in page.citation_groups:
        for item in group.items:
            _check_item(item.text, item.start, keys, folded, cited, report)
    for start in page.unclosed_fences:
        line, column = page.position(start)
        fence = page.text[start:].lstrip(" \t")[:3]
        found.append(error(path, line, column, "code fence is never closed, so the rest of "
                           "the page is code and its citations are not checked",
                           f"close it with {fence} on a line of its own"))
    found.extend(_bare_keys(page, path, keys))
    found.extend(_reserved_characters(page, path))
    return found, cited


@functools.lru_cache(maxsize=4)
def _folded(keys: frozenset[str]) -> dict[str, str]:
    """Each key by its lower case, made once per bibliography, not once per page."""
    return {key.lower(): key for key in keys}


def cited_keys(page: Scan, keys: Container[str]) -> list[str]:
    """The keys of ``keys`` the page cites, in order of first use."""
    found: dict[str, None] = {}
    for group in page.citation_groups:
        for item in group.items:
            key = _item_key(item.text)[1]
            if key in keys:
                found.setdefault(key)
    return list(found)


def _item_key(text: str) -> tuple[int, str | None]:
    """Where an item's key starts and the key ('' after a lone '@'), or (-1, None)."""
    marker = _KEY_MARKER_RE.search(text)
    if not marker:
        return -1, None
    return marker.end(), KEY_TOKEN_RE.match(text, marker.end()).group()


def _check_item(text, start, keys, folded, cited, report) -> None:
    if not text.strip():
        report(start, "empty item in a citation group: remove the extra ';'")
        return
    key_start, key = _item_key(text)
    if key is None:
        report(start + len(text) - len(text.lstrip()),
               f"'{text.strip()}' has no @key; a citation group holds only citations",
               "write [@key, p. 4] for each source, separated by ';'")
        return
    at = start + key_start - 1
    if not key:
        report(at, "'@' without a citation key", "write [@key]: the key from references.bib")
        return
    rest = text[key_start + len(key):]
    if not VALID_KEY_RE.fullmatch(key):
        bad = sorted({c for c in key if not VALID_KEY_RE.fullmatch(c)})
        cut = VALID_KEY_RE.match(key)
        report(at, f"citation key '{key}' contains {', '.join(repr(c) for c in bad)}, where "
               f"mkdocs-bibtex would cut it to '{cut.group() if cut else ''}'",
               "keys may hold only letters, digits, '-' and '_': rename the entry in "
               "references.bib and here")
    elif key in keys:
        cited.add(key)
    elif key.lower() in folded:
        report(at, f"citation key '{key}' differs only in case from '{folded[key.lower()]}'",
               f"write [@{folded[key.lower()]}]: keys are case-sensitive")
    else:
        close = difflib.get_close_matches(key, sorted(keys), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "add it to references.bib"
        report(at, f"unknown citation key '{key}'", hint)
    _check_locator(rest, start + key_start + len(key), key, report)


def _check_locator(rest: str, offset: int, key: str, report) -> None:
    if not rest.strip():
        return
    if not rest.startswith(","):
        lead = len(rest) - len(rest.lstrip())
        report(offset + lead, f"text '{rest.strip()}' after citation key '{key}' needs a comma "
               "before it", f"write [@{key}, {rest.strip()}]")
        return
    locator = rest[1:]
    lead = len(locator) - len(locator.lstrip())
    locator_offset = offset + 1 + lead
    locator = locator.strip()
    if not locator:
        report(offset, f"empty locator after '{key},'", f"write {EXAMPLE} or drop the comma")
        return
    label, value = LABEL_RE.match(locator).groups()
    if label in UNDOTTED_LABELS and value:
        report(locator_offset, f"locator label '{label}' needs its full stop",
               f"write '{UNDOTTED_LABELS[label]} {value}'")
    elif label in LOCATOR_LABELS and not value:
        report(locator_offset, f"locator '{label}' has no number",
               f"write [@{key}, {label} N]")
    elif label in LOCATOR_LABELS and DANGLING_RANGE_RE.search(value.strip()):
        report(locator_offset, f"range in locator '{locator}' is incomplete",
               f"write both ends: [@{key}, {label} first–last]")


def _bare_keys(page: Scan, path: str, keys: frozenset[str]) -> list[Diagnostic]:
    """A known key written as '@key' outside brackets stays literal text on the page."""
    group_starts = [g.start for g in page.citation_groups]
    found = []
    text = page.structural
    for match in BARE_KEY_RE.finditer(text):
        if match.group(1) not in keys or _follows_word(text, match.start()):
            continue
        index = bisect.bisect_right(group_starts, match.start()) - 1
        if index >= 0 and match.start() < page.citation_groups[index].end:
            continue
        line, column = page.position(match.start())
        found.append(error(path, line, column,
                           f"'@{match.group(1)}' outside brackets is not a citation",
                           f"write [@{match.group(1)}]"))
    return found


def _follows_word(text: str, at: int) -> bool:
    """Whether TEXT[AT] comes right after a word character (as regex \\w) or "@.-[":
    part of an address, a name or a citation group, not a bare key."""
    if not at:
        return False
    before = text[at - 1]
    return before.isalnum() or before in NOT_BEFORE_BARE_KEY


def _reserved_characters(page: Scan, path: str) -> list[Diagnostic]:
    found = []
    for char in PLACEHOLDERS.values():
        offset = page.text.find(char)
        if offset >= 0:
            line, column = page.position(offset)
            found.append(error(path, line, column,
                               f"the page contains U+{ord(char):04X}, a Unicode noncharacter "
                               "the build reserves for itself", "remove it"))
    return found
