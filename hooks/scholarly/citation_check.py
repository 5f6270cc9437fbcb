"""Checks a page's citation groups ``[see @key, p. 4; @other]`` against references.bib.

The groups checked are the groups the Markdown extension rendered (``citation_markdown``):
each is matched, by its text, with a group found in the page's source (or in a file the
page includes), which gives its ``file:line:col``. A rendered group that the source does
not hold is reported, so is a group the output still shows as literal text or inside an
HTML attribute (``rendered_check``): what is checked is what renders.
"""
from __future__ import annotations

import collections
import dataclasses
import difflib
import functools
import re
from collections.abc import Callable, Mapping

from .citation_syntax import (
    BARE_KEY,
    BRACKETS_RE,
    Found,
    Group,
    find_groups,
    normalized,
    unescaped_groups,
)
from .diagnostics import Diagnostic, error
from .rendered_check import Output

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

# report(offset into the group's text, message, hint)
Report = Callable[..., None]


@functools.lru_cache(maxsize=4)
def _folded(keys: frozenset[str]) -> dict[str, str]:
    """Each key by its lower case, made once per bibliography, not once per page."""
    return {key.lower(): key for key in keys}


def check_group(group: Group, keys: frozenset[str], report: Report) -> list[str]:
    """Reports each problem of GROUP; returns the known keys it cites."""
    cited = []
    folded = _folded(keys)
    for item in group.items:
        if not item.text.strip():
            report(item.start, "empty item in a citation group: remove the extra ';'")
            continue
        if item.key is None:
            report(item.start + len(item.text) - len(item.text.lstrip()),
                   f"'{item.text.strip()}' has no @key; a citation group holds only citations",
                   "write [@key, p. 4] for each source, separated by ';'")
            continue
        if not item.key:
            report(item.at, "'@' without a citation key", "write [@key]: the key from references.bib")
            continue
        key = item.key
        if key in keys:
            cited.append(key)
        elif key.lower() in folded:
            report(item.at, f"citation key '{key}' differs only in case from '{folded[key.lower()]}'",
                   f"write [@{folded[key.lower()]}]: keys are case-sensitive")
        else:
            close = difflib.get_close_matches(key, sorted(keys), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "add it to references.bib"
            report(item.at, f"unknown citation key '{key}'", hint)
        _check_locator(item.rest, item.rest_start, key, report)
    return cited


def _check_locator(rest: str, offset: int, key: str, report: Report) -> None:
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


def diagnostics_of_group(group: Group, keys: frozenset[str], path: str,
                         position: Callable[[int], tuple[int, int]], start: int,
                         suffix: str = "") -> tuple[list[Diagnostic], list[str]]:
    """check_group's problems located in PATH: POSITION turns an offset of that file
    into (line, column); START is the group's offset there. SUFFIX ends each message
    (where the text came from)."""
    found: list[Diagnostic] = []

    def report(offset: int, message: str, hint: str = "") -> None:
        line, column = position(start + offset)
        found.append(error(path, line, column, message + suffix, hint))

    cited = check_group(group, keys, report)
    return found, cited


@dataclasses.dataclass(frozen=True)
class Source:
    """A text the page is made of: its own body, or a file it includes."""

    path: str  # as named in messages
    text: str
    position: Callable[[int], tuple[int, int]]
    # Ends each message about this text: where it was included from.
    origin: str = ""


@dataclasses.dataclass
class RenderedPage:
    """What the Markdown extension did with one page (see citation_markdown)."""

    rendered: list[str]  # each group's text, in the order rendered
    marks: list[int | None]  # the mark of each rendered group; None: from an included file
    in_tree: set[int]  # indexes of rendered groups the page shows as elements
    output: Output  # where the marks ended up; syntax left as written


def _candidates(sources: list[Source]) -> dict[str, collections.deque]:
    """Each source's groups by their normalised text, in source order; a group whose '['
    is escaped is text, not a candidate."""
    found: dict[str, collections.deque] = collections.defaultdict(collections.deque)
    for source in sources:
        for candidate in unescaped_groups(source.text):
            found[normalized(candidate.group.text)].append((source, candidate))
    return found


def check_rendered(page: RenderedPage, marked: list[Found], sources: list[Source],
                   keys: frozenset[str], problems: Mapping[str, str]
                   ) -> tuple[list[Diagnostic], list[str]]:
    """Diagnostics for every group the page rendered, located in its source, and for
    citation syntax the output still shows; and the known keys it cites. MARKED are
    the page's own groups by their mark (``citation_syntax.mark_groups``); SOURCES the
    page body, then the files it includes."""
    found: list[Diagnostic] = []
    cited: list[str] = []
    page_source = sources[0]
    included = _candidates(sources[1:])

    def at(source: Source, start: int, message: str, hint: str) -> None:
        line, column = source.position(start)
        found.append(error(source.path, line, column, message + source.origin, hint))

    for index, (text, mark) in enumerate(zip(page.rendered, page.marks)):
        shown = normalized(text)
        if mark is not None:
            source, candidate = page_source, marked[mark]
        elif included.get(shown):
            source, candidate = included[shown].popleft()
        else:
            found.append(error(page_source.path, 1, 1,
                               f"citation '{shown}' was rendered from text the check cannot find "
                               "in the page or the files it includes",
                               "write the group on one line, without tabs"))
            continue
        group_found, group_cited = diagnostics_of_group(
            candidate.group, keys, source.path, source.position, candidate.start, source.origin)
        found.extend(group_found)
        cited.extend(group_cited)
        if problems.get(shown) == "nested citation" and not group_found:
            at(source, candidate.start, f"'{shown}' holds a citation inside another's words, "
               "which pandoc's citeproc prints as that one citation alone",
               "separate the two with ';': [@source; cited in @work]")
        elif shown in problems and not group_found:
            at(source, candidate.start, f"pandoc does not read '{shown}' as one citation",
               "write [@key] or [see @key, p. 4]; separate several with ';'")
        if index not in page.in_tree:
            at(source, candidate.start, f"citation '{shown}' is inside an HTML attribute (an "
               "image's alt text or a link's title), where it cannot be shown as a citation",
               "move it out, into the text or the image's caption")
    for mark in sorted(page.output.as_text):
        candidate = marked[mark]
        at(page_source, candidate.start,
           f"'{normalized(candidate.group.text)}' is published as literal text, not as a citation",
           "Markdown read it as something else here (a link's text, a reference link); "
           "write the citation apart, or escape its bracket (\\[@key]) to show it as written")
    attribute_marks = sorted(page.output.in_attribute)
    for mark in attribute_marks:
        candidate = marked[mark]
        at(page_source, candidate.start, _IN_ATTRIBUTE.format(normalized(candidate.group.text)),
           "move it out, into the text")
    # A mark found nowhere: the Markdown holding the group was dropped (an abbreviation
    # defined again elsewhere, a link definition never used).
    output = page.output
    placed = ({mark for mark in page.marks if mark is not None} | output.in_code
              | output.as_text | output.in_attribute | output.in_comment)
    for mark, candidate in enumerate(marked):
        if mark not in placed:
            at(page_source, candidate.start,
               f"citation '{normalized(candidate.group.text)}' is not on the page: the "
               "Markdown that holds it was dropped (an abbreviation defined again elsewhere, "
               "a link definition nothing uses)", "write it in the text")
    # Groups from included files carry no mark: they are known by their text.
    for shown in page.output.literal_groups:
        if included.get(shown):
            source, candidate = included[shown].popleft()
            at(source, candidate.start, f"'{shown}' is published as literal text, not as a citation",
               "escape its bracket (\\[@key]) to show it as written")
    for shown in page.output.attribute_groups:
        if included.get(shown):
            source, candidate = included[shown].popleft()
            at(source, candidate.start, _IN_ATTRIBUTE.format(shown), "move it out, into the text")
    found.extend(_bare_keys(page.output.text, sources, keys))
    return found, cited


_IN_ATTRIBUTE = ("citation '{}' is inside an HTML attribute (an abbreviation's definition, an "
                 "image's alt text or a title), where it shows as written")


def _bare_keys(text: str, sources: list[Source], keys: frozenset[str]) -> list[Diagnostic]:
    """A known key written as '@key' outside brackets stays literal text on the page."""
    found = []
    reported: set[str] = set()
    # A group left as text is reported whole, not its key again.
    text = BRACKETS_RE.sub("", text)
    for match in BARE_KEY_RE.finditer(text):
        key = match.group(1)
        if key not in keys or key in reported or _follows_word(text, match.start()):
            continue
        reported.add(key)
        for source in sources:
            at = _bare_key_in(source.text, key)
            if at >= 0:
                line, column = source.position(at)
                found.append(error(source.path, line, column,
                                   f"'@{key}' outside brackets is not a citation" + source.origin,
                                   f"write [@{key}]"))
                break
    return found


BARE_KEY_RE = re.compile(f"@({BARE_KEY})")
# A key after these is part of an address, a name or a path, not a bare key.
NOT_BEFORE_BARE_KEY = frozenset("_@.-[/")


def _bare_key_in(text: str, key: str) -> int:
    """Offset of the first '@key' in TEXT that stands alone (not escaped, not inside a
    bracketed group, which is reported as a group), or -1."""
    groups = [(found.start, found.start + len(found.group.text)) for found in find_groups(text)]
    for match in re.finditer("@" + re.escape(key) + r"(?![\w])", text):
        at = match.start()
        if (_follows_word(text, at) or text[at - 1:at] == "\\"
                or any(start < at < end for start, end in groups)):
            continue
        return at
    return -1


def _follows_word(text: str, at: int) -> bool:
    """Whether TEXT[AT] comes right after a word character or one of "_@.-[": part of an
    address, a name or a citation group, not a bare key."""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] in NOT_BEFORE_BARE_KEY)


def literal_footnotes(labels: list[str], sources: list[Source]) -> list[Diagnostic]:
    """A footnote reference the output still shows as ``[^label]``: located at its first
    occurrence in the sources that is not a definition."""
    found = []
    for label in dict.fromkeys(labels):
        for source in sources:
            match = re.search(r"(?<!\\)\[\^" + re.escape(label) + r"\](?!:)", source.text)
            if match:
                line, column = source.position(match.start())
                found.append(error(source.path, line, column,
                                   f"footnote reference [^{label}] is published as literal text"
                                   + source.origin,
                                   f"define it with '[^{label}]: ...' outside any code block, "
                                   f"or write \\[^{label}] to show it as written"))
                break
    return found
