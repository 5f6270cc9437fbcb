"""references.bib -> entries with their source positions, and what is wrong with them.

pybtex stops at the first problem, reports a missing brace where the file ends rather
than where the brace was opened, names no file, and raises a traceback on a duplicate
key. This module reads the file itself, keeps going after an error, and locates every
problem at ``references.bib:line:col``. It also says which entries are whole: a file
with broken entries is not handed to pandoc, and the build reports every problem of
the sources and pages in the same run.
"""
from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import pathlib
import re

from .diagnostics import Diagnostic, error, warning

_SPACE_RUN = re.compile(r"[ \t\r\n]*")
_DELIMITED_STOP = re.compile(r'[\\{}"\n]')
MONTH_MACROS = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)
ENTRY_START_RE = re.compile(r"\n[ \t]*@")
NAME_RE = re.compile(r"[A-Za-z_][\w:.+/-]*")
ENTRY_KEY_RE = re.compile(r"[^\s,{}()=\"#%']+")
# A field after an entry's end: an extra closing brace ended the entry too early.
STRAY_FIELD_RE = re.compile(r"[ \t]*,?\s*([A-Za-z_][\w-]*)[ \t]*=")
FIELD_START_RE = re.compile(r"\n[ \t]*[A-Za-z_][\w-]*[ \t]*=")
YEAR_RE = re.compile(r"\d{4}")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
DOI_URL_RE = re.compile(r"https?://(dx\.)?doi\.org/10\.\d{4,9}/\S+", re.IGNORECASE)
HTTP_RE = re.compile(r"https?://[^\s/]+", re.IGNORECASE)
SCRIPT_SCHEME_RE = re.compile(r"\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)
UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")

NEWS_SUBTYPES = frozenset({"newspaper", "magazine"})
# Each requirement is a tuple of alternatives: any one of them satisfies it.
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "news": (("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")),
    "report": (("author",), ("title",), ("institution",), ("year", "date")),
    "online": (("title",), ("url",), ("year", "date", "urldate")),
    "misc": (("title",), ("year", "date")),
}
REQUIRED_FIELDS["techreport"] = REQUIRED_FIELDS["report"]
KNOWN_TYPES = frozenset(REQUIRED_FIELDS) - {"news"} | {
    "booklet", "collection", "conference", "dataset", "inbook", "inproceedings",
    "manual", "mastersthesis", "periodical", "phdthesis", "proceedings", "software",
    "thesis", "unpublished", "electronic", "www",
}
DEFAULT_REQUIRED = (("title",), ("year", "date"))


# Slots: a 5,000-entry file holds tens of thousands of these for the whole build.
@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    name: str
    # The value as written, without its outer braces or quotes.
    value: str
    line: int
    column: int
    # Where the value's first character is, to locate problems inside it.
    value_offset: int


@dataclasses.dataclass(slots=True)
class Entry:
    type: str
    key: str
    line: int
    column: int
    key_line: int
    key_column: int
    start: int
    end: int
    # Only while the entry is read and checked: parse_bibliography empties it then. Kept
    # for every entry of the build, fields would be most of the reader's memory, and
    # nothing reads them again (pandoc formats from the file itself).
    fields: dict[str, Field] = dataclasses.field(default_factory=dict)
    broken: bool = False
    # The first name in a citation's author position, roughly, lower case: entries
    # that share it are formatted in the same runs (scholarly.citation_formatting).
    first_name: str = ""
    # The title as written, braces removed: what the page metadata shows.
    title: str = ""


@dataclasses.dataclass
class Bibliography:
    path: str
    text: str
    entries: dict[str, Entry]
    diagnostics: list[Diagnostic]
    # Entries pandoc must not see: unparseable ones and second copies of a key.
    rejected: list[Entry]

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(self.entries)

    def renderable_text(self) -> str:
        """The file with rejected entries blanked out (lines kept), for pybtex."""
        if not self.rejected:
            return self.text
        parts, position = [], 0
        for entry in sorted(self.rejected, key=lambda e: e.start):
            parts.append(self.text[position:entry.start])
            parts.append(re.sub(r"[^\n]", " ", self.text[entry.start:entry.end]))
            position = entry.end
        parts.append(self.text[position:])
        return "".join(parts)


class _Syntax(Exception):
    def __init__(self, offset: int, message: str, hint: str = "", resume: int | None = None):
        super().__init__(message)
        self.offset, self.message, self.hint, self.resume = offset, message, hint, resume


class _Reader:
    def __init__(self, text: str, path: str):
        self.text, self.path = text, path
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.diagnostics: list[Diagnostic] = []
        self.macros: set[str] = set(MONTH_MACROS)

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def error(self, offset: int, message: str, hint: str = "") -> None:
        line, column = self.position(offset)
        self.diagnostics.append(error(self.path, line, column, message, hint))

    def skip_space(self, pos: int) -> int:
        return _SPACE_RUN.match(self.text, pos).end()

    def next_entry_start(self, pos: int) -> int:
        match = ENTRY_START_RE.search(self.text, pos)
        return match.end() - 1 if match else len(self.text)

    # A value: pieces ({...}, "...", a number, a macro name) joined by '#'.
    def value(self, pos: int, field: str) -> tuple[str, int, int]:
        pieces, first_offset = [], None
        while True:
            pos = self.skip_space(pos)
            if pos >= len(self.text):
                raise _Syntax(pos, f"field '{field}' has no value", "write field = {value}")
            char = self.text[pos]
            if char in "{\"":
                content, content_start, pos = self.delimited(pos, field)
            elif char.isdigit():
                end = re.compile(r"\d+").match(self.text, pos).end()
                content, content_start, pos = self.text[pos:end], pos, end
            elif NAME_RE.match(self.text, pos):
                name = NAME_RE.match(self.text, pos).group()
                if name.lower() not in self.macros:
                    raise _Syntax(
                        pos, f"field '{field}' uses '{name}', which is not a defined @string",
                        f"write {field} = {{{name}}} for literal text",
                    )
                content, content_start, pos = name, pos, pos + len(name)
            else:
                raise _Syntax(pos, f"field '{field}' has no value", "write field = {value}")
            pieces.append(content)
            if first_offset is None:
                first_offset = content_start
            after = self.skip_space(pos)
            if after < len(self.text) and self.text[after] == "#":
                pos = after + 1
                continue
            return "".join(pieces), first_offset, pos

    def delimited(self, start: int, field: str) -> tuple[str, int, int]:
        text, opener = self.text, self.text[start]
        depth, pos = 0, start + 1
        while True:
            # Only these characters change anything: jump from one to the next.
            stop = _DELIMITED_STOP.search(text, pos)
            if stop is None:
                break
            pos = stop.start()
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    if opener == "{":
                        return text[start + 1:pos], start + 1, pos + 1
                    raise _Syntax(pos, f"unbalanced '}}' in field '{field}'",
                                  "remove it or add the matching '{'")
                depth -= 1
            elif char == '"' and opener == '"' and depth == 0:
                return text[start + 1:pos], start + 1, pos + 1
            elif char == "\n":
                # A value that runs into the next field or entry lost its closing delimiter.
                nxt = FIELD_START_RE.match(text, pos) if depth == 0 else None
                entry = ENTRY_START_RE.match(text, pos)
                if nxt or entry:
                    closer = "}" if opener == "{" else '"'
                    raise _Syntax(
                        start, f"'{opener}' opened here for field '{field}' is never closed",
                        f"add '{closer}' at the end of the value",
                        resume=self.next_entry_start(pos),
                    )
            pos += 1
        closer = "}" if opener == "{" else '"'
        raise _Syntax(start, f"'{opener}' opened here for field '{field}' is never closed",
                      f"add '{closer}' at the end of the value", resume=len(text))


_BRACES_AND_COMMANDS = re.compile(r"[{}]|\\[A-Za-z]+\s*|\\.")


def _first_name(fields: dict[str, Field]) -> str:
    """The first author's (or editor's) family name, else the title's first word."""
    for name in ("author", "editor", "translator"):
        if name in fields:
            first = re.split(r"\s+and\s+", fields[name].value.strip(), maxsplit=1)[0]
            family = first.split(",", 1)[0] if "," in first else (first.split() or [""])[-1]
            return _BRACES_AND_COMMANDS.sub("", family).strip().lower()
    for name in ("journaltitle", "journal", "title"):
        if name in fields:
            words = _BRACES_AND_COMMANDS.sub("", fields[name].value).split()
            return words[0].lower() if words else ""
    return ""


def parse_bibliography(text: str, path: str = "references.bib") -> Bibliography:
    """Read a BibTeX file; every problem becomes a Diagnostic, never an exception."""
    reader = _Reader(text, path)
    entries: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    rejected: list[Entry] = []
    pos = 0
    while True:
        at = text.find("@", pos)
        if at < 0:
            break
        entry = _read_block(reader, at)
        pos = entry.end if entry else reader.next_entry_start(at + 1)
        if entry is None or entry.type == "comment":
            continue
        stray = None if entry.broken else STRAY_FIELD_RE.match(text, entry.end)
        if stray:
            reader.error(stray.start(1), f"field '{stray.group(1)}' is outside entry "
                         f"'{entry.key}', which ends at line {reader.position(entry.end - 1)[0]}",
                         f"remove the extra '{text[entry.end - 1]}' that ends the entry early")
            entry.broken = True
        if entry.broken:
            rejected.append(entry)
            # Still known, so its citations are not reported as unknown keys as well.
            if entry.key:
                entries.setdefault(entry.key, entry)
            continue
        if entry.type in ("preamble", "string"):
            continue
        first = folded.get(entry.key.lower())
        if first is not None:
            rejected.append(entry)
            if first.key == entry.key:
                message = f"duplicate key '{entry.key}': also defined at line {first.line}"
            else:
                message = (f"key '{entry.key}' differs only in case from '{first.key}' "
                           f"(line {first.line}); BibTeX treats them as the same key")
            reader.diagnostics.append(error(path, entry.key_line, entry.key_column, message,
                                            "rename or remove one of the two entries"))
            continue
        folded[entry.key.lower()] = entry
        entries[entry.key] = entry
        reader.diagnostics.extend(check_entry(entry, reader))
        entry.first_name = _first_name(entry.fields)
        if "title" in entry.fields:
            entry.title = entry.fields["title"].value.replace("{", "").replace("}", "")
        entry.fields = {}
    return Bibliography(path, text, entries, reader.diagnostics, rejected)


def _read_block(reader: _Reader, at: int) -> Entry | None:
    text = reader.text
    name = NAME_RE.match(text, at + 1)
    if not name:
        reader.error(at, "'@' outside an entry", "BibTeX reads every '@' as the start of an "
                     "entry: remove it or write 'at' in comments")
        return None
    kind = name.group().lower()
    line, column = reader.position(at)
    opener_at = reader.skip_space(name.end())
    if opener_at >= len(text) or text[opener_at] not in "{(":
        reader.error(at, f"'@{name.group()}' is not followed by '{{'",
                     "BibTeX reads every '@' as the start of an entry: remove it or write "
                     "'at' in comments")
        return None
    closer = "}" if text[opener_at] == "{" else ")"
    entry = Entry(kind, "", line, column, line, column, at, len(text))
    try:
        if kind == "comment":
            if closer == "}":
                entry.end = reader.delimited(opener_at, "@comment")[2]
            else:
                entry.end = text.find(")", opener_at) + 1 or len(text)
            return entry
        pos = reader.skip_space(opener_at + 1)
        if kind in ("preamble", "string"):
            if kind == "string":
                macro = NAME_RE.match(text, pos)
                if not macro:
                    raise _Syntax(pos, "@string needs a name", "write @string{name = {text}}")
                pos = _expect(reader, reader.skip_space(macro.end()), "=", "after the @string name")
                _, _, pos = reader.value(pos + 1, macro.group())
                reader.macros.add(macro.group().lower())
            else:
                _, _, pos = reader.value(pos, "@preamble")
            pos = _expect(reader, reader.skip_space(pos), closer, f"to close @{kind}")
            entry.end = pos + 1
            return entry
        _read_entry(reader, entry, pos, closer)
    except _Syntax as problem:
        reader.error(problem.offset, problem.message, problem.hint)
        entry.broken = True
        entry.end = problem.resume if problem.resume is not None else reader.next_entry_start(
            problem.offset)
    return entry


def _expect(reader: _Reader, pos: int, char: str, where: str) -> int:
    if pos < len(reader.text) and reader.text[pos] == char:
        return pos
    found = repr(reader.text[pos]) if pos < len(reader.text) else "the end of the file"
    raise _Syntax(pos, f"expected '{char}' {where}, found {found}")


def _read_entry(reader: _Reader, entry: Entry, pos: int, closer: str) -> None:
    text = reader.text
    key = ENTRY_KEY_RE.match(text, pos)
    after_key = reader.skip_space(key.end()) if key else pos
    if not key or (after_key < len(text) and text[after_key] == "="):
        raise _Syntax(pos, f"@{entry.type} entry has no key",
                      f"write @{entry.type}{{key, field = {{...}}, ...}}")
    entry.key = key.group()
    entry.key_line, entry.key_column = reader.position(pos)
    pos = after_key
    if pos < len(text) and text[pos] == closer:
        entry.end = pos + 1
        return
    if pos >= len(text) or text[pos] != ",":
        raise _Syntax(pos, f"expected ',' after the key '{entry.key}'")
    pos += 1
    while True:
        last_value_end = pos
        pos = reader.skip_space(pos)
        if pos < len(text) and text[pos] == closer:
            entry.end = pos + 1
            return
        name = NAME_RE.match(text, pos)
        if not name:
            if pos >= len(text) or text[pos] == "@":
                raise _Syntax(last_value_end, f"entry '{entry.key}' is missing its closing "
                              f"'{closer}'", f"add '{closer}' here", resume=pos)
            raise _Syntax(pos, f"expected a field name or '{closer}' in entry '{entry.key}', "
                          f"found {text[pos]!r}")
        field_name, field_offset = name.group().lower(), pos
        field_line, field_column = reader.position(pos)
        pos = reader.skip_space(name.end())
        if pos >= len(text) or text[pos] != "=":
            raise _Syntax(pos, f"expected '=' after field name '{name.group()}'")
        value, value_offset, pos = reader.value(pos + 1, field_name)
        if field_name in entry.fields:
            reader.error(field_offset, f"field '{field_name}' appears twice in entry '{entry.key}'",
                         "keep one of them")
        else:
            entry.fields[field_name] = Field(field_name, value, field_line, field_column,
                                             value_offset)
        value_end, pos = pos, reader.skip_space(pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == closer:
            entry.end = pos + 1
            return
        following = NAME_RE.match(text, pos)
        if following and reader.skip_space(following.end()) < len(text) and \
                text[reader.skip_space(following.end())] == "=":
            raise _Syntax(pos, f"missing ',' before field '{following.group()}'",
                          f"add ',' after the value of '{field_name}'")
        if pos >= len(text) or text[pos] == "@":
            raise _Syntax(value_end, f"entry '{entry.key}' is missing its closing '{closer}'",
                          f"add '{closer}' here", resume=pos)
        raise _Syntax(pos, f"expected ',' or '{closer}' after field '{field_name}', "
                      f"found {text[pos]!r}")


def check_entry(entry: Entry, reader: _Reader) -> list[Diagnostic]:
    """Problems of one well-formed entry: key, type, required fields, values."""
    path = reader.path
    found: list[Diagnostic] = []
    if not entry.fields:
        found.append(error(path, entry.line, entry.column, f"entry '{entry.key}' has no fields",
                           "add author, title and year, or remove the entry"))
        return found
    if entry.type not in KNOWN_TYPES:
        close = difflib.get_close_matches(entry.type, sorted(KNOWN_TYPES), n=1)
        hint = f"did you mean '@{close[0]}'?" if close else "use a BibTeX/BibLaTeX entry type"
        found.append(error(path, entry.line, entry.column,
                           f"unknown entry type '@{entry.type}' in '{entry.key}'", hint))
    subtype = entry.fields.get("entrysubtype")
    kind = "news" if entry.type == "article" and subtype and \
        subtype.value.strip().lower() in NEWS_SUBTYPES else entry.type
    for alternatives in REQUIRED_FIELDS.get(kind, DEFAULT_REQUIRED):
        if not any(name in entry.fields for name in alternatives):
            wanted = " or ".join(f"'{name}'" for name in alternatives)
            hint = ("a newspaper or magazine piece without an author: add "
                    "entrysubtype = {newspaper}" if kind == "article" and alternatives == (
                        "author",) else f"add {alternatives[0]} = {{...}}")
            found.append(error(path, entry.line, entry.column,
                               f"@{entry.type} '{entry.key}' is missing {wanted}", hint))
    for field in entry.fields.values():
        found.extend(_check_field(field, entry, reader))
    return found


def _check_field(field: Field, entry: Entry, reader: _Reader) -> list[Diagnostic]:
    path, value = reader.path, field.value
    found: list[Diagnostic] = []

    def at_value(offset_in_value: int, message: str, hint: str = "") -> None:
        line, column = reader.position(field.value_offset + offset_in_value)
        found.append(error(path, line, column, message, hint))

    if not value.strip():
        at_value(0, f"field '{field.name}' of '{entry.key}' is empty", "fill it in or remove it")
        return found
    percent = UNESCAPED_PERCENT_RE.search(value)
    if percent:
        at_value(percent.start(), f"unescaped '%' in field '{field.name}' of '{entry.key}' "
                 "cuts the rest of the field", "write '\\%'")
    stripped = value.strip().strip("{}").strip()
    if field.name == "year" and not YEAR_RE.fullmatch(stripped):
        at_value(0, f"year '{value}' of '{entry.key}' is not a four-digit year",
                 "write year = {2022}; put a full date in date = {2022-01-05}")
    elif field.name in ("date", "urldate"):
        if not _valid_date(stripped):
            at_value(0, f"{field.name} '{value}' of '{entry.key}' is not a date",
                     "write YYYY, YYYY-MM or YYYY-MM-DD, or a range YYYY-MM-DD/YYYY-MM-DD")
    elif field.name == "url":
        scheme = SCRIPT_SCHEME_RE.match(value)
        if scheme:
            at_value(0, f"url of '{entry.key}' uses the '{scheme.group(1).lower()}:' scheme, "
                     "which would put a script link on the page", "use an https:// address")
        elif not HTTP_RE.match(stripped) or re.search(r"\s", stripped):
            at_value(0, f"url '{value}' of '{entry.key}' is not an http(s) address",
                     "write the full address, starting with https://")
    elif field.name == "doi":
        if SCRIPT_SCHEME_RE.match(value):
            at_value(0, f"doi of '{entry.key}' is a script link, not a DOI",
                     "write it as 10.<registrant>/<suffix>")
        elif not (DOI_RE.fullmatch(stripped) or DOI_URL_RE.fullmatch(stripped)):
            at_value(0, f"doi '{value}' of '{entry.key}' is not a DOI",
                     "write it as 10.<registrant>/<suffix>, without 'doi:'")
    return found


def _valid_date(text: str) -> bool:
    parts = text.split("/")
    if len(parts) > 2 or not all(parts) and len(parts) == 1:
        return False
    for part in parts:
        if part in ("", ".."):
            continue
        match = DATE_RE.fullmatch(part)
        if not match:
            return False
        month, day = match.group(2), match.group(3)
        if month and not 1 <= int(month) <= 12:
            return False
        if day and not 1 <= int(day) <= 31:
            return False
    return True


def unused_entries(bibliography: Bibliography, cited: set[str]) -> list[Diagnostic]:
    """A warning for each entry no page cites (mkdocs --strict turns them into failures)."""
    return [
        warning(bibliography.path, entry.line, entry.column, f"entry '{key}' is never cited",
                f"cite it as [@{key}] or remove it")
        for key, entry in bibliography.entries.items()
        # A broken entry is an error already.
        if key not in cited and not entry.broken
    ]


def load_bibliography(path: pathlib.Path, shown_as: str) -> Bibliography:
    """The parsed file; parsed again only when it changes (hooks share one parse)."""
    try:
        stat = path.stat()
    except OSError:
        return Bibliography(shown_as, "", {}, [error(shown_as, 1, 1, "file not found",
                            "create it, or correct extra.bibliography in mkdocs.yml")], [])
    return _load(path, shown_as, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load(path: pathlib.Path, shown_as: str, mtime_ns: int, size: int) -> Bibliography:
    """The file's reading, kept on disk (``format_cache``) under its text, its name in
    messages and this reader's code: reading 5,000 entries takes 0.2 s, loading what
    was found 0.02 s."""
    from . import diagnostics, format_cache

    text = path.read_text(encoding="utf-8-sig")
    store = format_cache.Store(format_cache.cache_dir(path.parent), "bibliography-check")
    entry_key = format_cache.key("bibliography check",
                                 format_cache.source_code(__file__, diagnostics.__file__),
                                 shown_as, text)
    bibliography = _from_kept(store.get(entry_key), shown_as, text)
    if bibliography is None:
        bibliography = parse_bibliography(text, shown_as)
        store.put(entry_key, _to_kept(bibliography))
    # Only the file as it is now is worth keeping.
    store.save(keep_unused=False)
    return bibliography


_ENTRY_SLOTS = ("type", "key", "line", "column", "key_line", "key_column", "start", "end", "broken",
                "first_name", "title")


def _to_kept(bibliography: Bibliography) -> dict:
    return {
        "entries": [[getattr(e, slot) for slot in _ENTRY_SLOTS] for e in bibliography.entries.values()],
        "rejected": [[getattr(e, slot) for slot in _ENTRY_SLOTS] for e in bibliography.rejected],
        "diagnostics": [dataclasses.astuple(d) for d in bibliography.diagnostics],
    }


def _from_kept(kept, shown_as: str, text: str) -> Bibliography | None:
    """The Bibliography a kept value describes, or None if it is not one _to_kept wrote."""
    try:
        entries = [Entry(**dict(zip(_ENTRY_SLOTS, values))) for values in kept["entries"]]
        rejected = [Entry(**dict(zip(_ENTRY_SLOTS, values))) for values in kept["rejected"]]
        diagnostics = [Diagnostic(*values) for values in kept["diagnostics"]]
    except (TypeError, KeyError):
        return None
    return Bibliography(shown_as, text, {entry.key: entry for entry in entries}, diagnostics, rejected)
