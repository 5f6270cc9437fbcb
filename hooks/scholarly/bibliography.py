"""references.bib -> entries with their source positions, and what is wrong with them.

pybtex stops at the first problem, reports a missing brace where the file ends rather
than where the brace was opened, names no file, and raises a traceback on a duplicate
key. This module reads the file itself, keeps going after an error, and locates every
problem at ``references.bib:line:col``. It also says which entries are whole: a file
with broken entries is not handed to pandoc, and the build reports every problem of
the sources and pages in the same run.

The checks follow biblatex (``biblatex_model``): what biblatex cannot read, or would
print wrong (a broken link, a date it drops), is an error; what it accepts but its data
model check would point out (a required field missing, after crossref and xdata
inheritance) and one person spelt two ways are notices. What pandoc reads is the file
as biblatex means it (``Bibliography.pandoc_text``): a DOI given as an address is the
DOI, a reference manager's escapes in verbatim fields are gone, and @set entries are
left out (a citation of a set cites its members).
"""
from __future__ import annotations

import bisect
import calendar
import codecs
import dataclasses
import difflib
import functools
import pathlib
import re
import unicodedata
import urllib.parse

import latexcodec  # noqa: F401  (registers the "ulatex" codec)

from . import biblatex_model as model
from .diagnostics import Diagnostic, error, notice, warning

_SPACE_RUN = re.compile(r"[ \t\r\n]*")
_DELIMITED_STOP = re.compile(r'[\\{}"\n]')
MONTH_ORDER = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_MACROS = frozenset(MONTH_ORDER)
ENTRY_START_RE = re.compile(r"\n[ \t]*@")
NAME_RE = re.compile(r"[A-Za-z_][\w:.+/-]*")
ENTRY_KEY_RE = re.compile(r"[^\s,{}()=\"#%']+")
# A field after an entry's end: an extra closing brace ended the entry too early.
STRAY_FIELD_RE = re.compile(r"[ \t]*,?\s*([A-Za-z_][\w-]*)[ \t]*=")
FIELD_START_RE = re.compile(r"\n[ \t]*[A-Za-z_][\w-]*[ \t]*=")
YEAR_RE = re.compile(r"-?\d+")
# How people write "no date" in a year field: an undated source has no year at all.
UNDATED_RE = re.compile(r"(n\.?\s*d\.?|s\.\s*d\.|o\.\s*j\.|undated|no date|unknown)",
                        re.IGNORECASE)
# A date as biblatex reads one (manual §2.3.8, ISO 8601-2 level 1): a year (negative
# before the common era, digits left unspecified as X), month or season (21-24), day,
# time with its zone; '?' uncertain, '~' approximate, '%' both.
_TIME = r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?"
DATE_PART_RE = re.compile(r"(-?\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|XX)(?:-(\d{2}|XX)(" + _TIME
                          + r")?)?)?[?~%]?")
DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
# What people put before a DOI: a resolver's address or 'doi:'.
DOI_PREFIX_RE = re.compile(r"(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)", re.IGNORECASE)
HTTP_RE = re.compile(r"https?://[^\s/]+", re.IGNORECASE)
SCRIPT_SCHEME_RE = re.compile(r"\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)
UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
# A character a reference manager escaped in a verbatim field, where biblatex keeps the
# backslash and braces as written: Mendeley writes '{\_}' and '{\%}' in URLs and DOIs.
VERBATIM_ESCAPE_RE = re.compile(r"\{\\([_%&#$~])\}|\\([_%&#$~])")

NEWS_SUBTYPES = frozenset({"newspaper", "magazine"})
# The word that separates the names of a name list.
AND_WORD_RE = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


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
    # The note as written, braces removed: the references page shows it with the entry,
    # which the style does not.
    note: str = ""
    # "May 2022" where the entry gives a month: the references page shows it where the
    # style prints the year alone (Chicago's reports, for one).
    published: str = ""
    # The keys it takes data from (crossref, xdata) or, for a @set, its members.
    uses: tuple[str, ...] = ()


@dataclasses.dataclass
class Bibliography:
    path: str
    text: str
    entries: dict[str, Entry]
    diagnostics: list[Diagnostic]
    # Entries pandoc must not see: unparseable ones and second copies of a key.
    rejected: list[Entry]
    # (start, end, text): values pandoc must read otherwise than written, as biblatex
    # means them (a DOI given as an address is the DOI; '{\_}' in a URL is '_').
    rewrites: list[tuple[int, int, str]] = dataclasses.field(default_factory=list)

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(self.entries)

    @functools.cached_property
    def sets(self) -> dict[str, tuple[str, ...]]:
        """{key of a @set: its members' keys}: citing a set cites its members."""
        return {key: entry.uses for key, entry in self.entries.items()
                if entry.type == "set" and not entry.broken}

    def pandoc_text(self) -> str:
        """The file as pandoc is to read it: rejected entries and @set entries (pandoc
        has no sets; their members are cited instead) blanked out, lines kept; values
        rewritten as biblatex reads them."""
        edits = [(entry.start, entry.end, re.sub(r"[^\n]", " ", self.text[entry.start:entry.end]))
                 for entry in [*self.rejected, *(self.entries[key] for key in self.sets)]]
        edits.extend(self.rewrites)
        if not edits:
            return self.text
        parts, position = [], 0
        for start, end, replacement in sorted(edits):
            if start < position:  # a rewrite inside an entry already blanked
                continue
            parts.append(self.text[position:start])
            parts.append(replacement)
            position = end
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
        self.rewrites: list[tuple[int, int, str]] = []

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


@dataclasses.dataclass
class _Facts:
    """What the checks across entries need of one entry, once its fields are let go."""

    type: str  # canonical: an alias read as biblatex reads it
    fields: frozenset[str]  # canonical names
    # crossref, xdata and entryset: field name -> (line, column, the keys it names).
    links: dict[str, tuple[int, int, list[str]]]
    news: bool
    # Each person named: (name as written, its parts, line, column).
    people: list[tuple[str, Person, int, int]]


def parse_bibliography(text: str, path: str = "references.bib") -> Bibliography:
    """Read a BibTeX file; every problem becomes a Diagnostic, never an exception."""
    reader = _Reader(text, path)
    entries: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    rejected: list[Entry] = []
    facts: dict[str, _Facts] = {}
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
        facts[entry.key] = _facts_of(entry, reader)
        entry.first_name = _first_name(entry.fields)
        if "title" in entry.fields:
            entry.title = entry.fields["title"].value.replace("{", "").replace("}", "")
        if "note" in entry.fields:
            entry.note = " ".join(entry.fields["note"].value.replace("{", "").replace("}", "").split())
        entry.published = _month_and_year(entry.fields)
        entry.uses = _uses(entry)
        entry.fields = {}
    reader.diagnostics.extend(check_across_entries(entries, facts, reader))
    return Bibliography(path, text, entries, reader.diagnostics, rejected, reader.rewrites)


def _month_and_year(fields: dict[str, Field]) -> str:
    """"May 2022" from a date with a month, or from year and month; "" without a month."""
    date = fields.get("date")
    if date:
        match = DATE_PART_RE.match(date.value.strip("{} "))
        month = match.group(2) if match else None
        if match and month and month.isdigit() and 1 <= int(month) <= 12:
            return f"{calendar.month_name[int(month)]} {match.group(1)}"
        return ""
    year, month = fields.get("year"), fields.get("month")
    if not (year and month and YEAR_RE.fullmatch(year.value.strip("{} "))):
        return ""
    written = month.value.strip("{} ").lower()
    number = (int(written) if written.isdigit()
              else next((index for index, name in enumerate(MONTH_ORDER, 1)
                         if written[:3] == name), 0))
    return f"{calendar.month_name[number]} {year.value.strip('{} ')}" if 1 <= number <= 12 else ""


def _listed_keys(value: str) -> list[str]:
    return [key.strip() for key in value.replace("{", "").replace("}", "").split(",") if key.strip()]


def _uses(entry: Entry) -> tuple[str, ...]:
    fields = entry.fields
    if entry.type == "set":
        return tuple(_listed_keys(fields["entryset"].value)) if "entryset" in fields else ()
    keys = _listed_keys(fields["crossref"].value) if "crossref" in fields else []
    if "xdata" in fields:
        keys.extend(_listed_keys(fields["xdata"].value))
    return tuple(keys)


def _facts_of(entry: Entry, reader: _Reader) -> _Facts:
    canonical = frozenset(model.canonical_field(name) for name in entry.fields)
    if entry.type in model.TYPE_FIELD_OF_ALIAS:
        canonical |= {"type"}
    subtype = entry.fields.get("entrysubtype")
    return _Facts(
        type=model.canonical_type(entry.type),
        fields=canonical,
        links={name: (entry.fields[name].line, entry.fields[name].column,
                      _listed_keys(entry.fields[name].value))
               for name in ("crossref", "xdata", "entryset") if name in entry.fields},
        news=entry.type == "article" and subtype is not None
        and subtype.value.strip().lower() in NEWS_SUBTYPES,
        people=_people(entry, reader),
    )


def _people(entry: Entry, reader: _Reader) -> list[tuple[str, Person, int, int]]:
    """Each person the entry's name fields name, with where; a name biblatex cannot
    read is an error, reported here, once."""
    people = []
    for field in entry.fields.values():
        # An empty field is an error already ("is empty").
        if model.canonical_field(field.name) not in model.NAME_FIELDS or not field.value.strip():
            continue
        for offset, written in split_names(field.value):
            name = read_name(written)
            if isinstance(name, NameProblem):
                reader.error(field.value_offset + offset,
                             f"{name.message} in '{field.name}' of '{entry.key}'", name.hint)
            elif name is not None:
                line, column = reader.position(field.value_offset + offset)
                people.append((written, name, line, column))
    return people


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
    """Problems of one well-formed entry on its own: its type and its values."""
    path = reader.path
    found: list[Diagnostic] = []
    if not entry.fields:
        found.append(error(path, entry.line, entry.column, f"entry '{entry.key}' has no fields",
                           "add author, title and year, or remove the entry"))
        return found
    if entry.type not in model.KNOWN_TYPES:
        close = difflib.get_close_matches(entry.type, sorted(model.KNOWN_TYPES), n=1)
        hint = f"did you mean '@{close[0]}'?" if close else "use one of biblatex's entry types"
        found.append(error(path, entry.line, entry.column,
                           f"unknown entry type '@{entry.type}' in '{entry.key}'", hint))
    for field in entry.fields.values():
        found.extend(_check_field(field, entry, reader))
    date, year = entry.fields.get("date"), entry.fields.get("year")
    if date and year and YEAR_RE.fullmatch(year.value.strip("{} ")):
        date_year = DATE_PART_RE.match(date.value.strip("{} "))
        if date_year and date_year.group(1) != year.value.strip("{} "):
            found.append(notice(path, year.line, year.column,
                                f"year {year.value.strip('{} ')} of '{entry.key}' differs from "
                                f"its date {date.value.strip('{} ')}, which biblatex and the "
                                "citations print", "remove year, or correct one of the two"))
    return found


def check_across_entries(entries: dict[str, Entry], facts: dict[str, _Facts],
                         reader: _Reader) -> list[Diagnostic]:
    """What needs more than one entry: crossref, xdata and set members that exist, the
    fields each type requires once those are inherited, one person spelt two ways."""
    path = reader.path
    found: list[Diagnostic] = []
    linking_to_nothing = set()
    for key, entry_facts in facts.items():
        for name, (line, column, targets) in entry_facts.links.items():
            for target in targets:
                if target not in entries:
                    linking_to_nothing.add(key)
                    close = difflib.get_close_matches(target, list(entries), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "add that entry, or remove the field"
                    found.append(error(path, line, column,
                                       f"{name} of '{key}' names '{target}', which is no entry", hint))
    for key, entry_facts in facts.items():
        # An error already: "has no fields", or a parent that is no entry.
        if not entry_facts.fields or key in linking_to_nothing:
            continue
        present = entry_facts.fields | _inherited(key, entries, facts)
        entry = entries[key]
        for alternatives in model.REQUIRED.get(entry_facts.type, ()):
            if entry_facts.news and alternatives == model.AUTHOR:
                continue  # an unsigned news piece is cited by its paper's name
            if any(name in present for name in alternatives):
                continue
            wanted = " or ".join(f"'{name}'" for name in alternatives)
            if alternatives == model.DATE:
                hint = ("add date = {...}; without one the source is cited as undated "
                        "('n.d.')")
            elif alternatives == model.TITLE:
                hint = ("add title = {...}; a source whose title is not known keeps a "
                        "description in type = {...} (printed as Chicago sets descriptive "
                        "titles, without quotation marks or italics) and says so in note")
            elif entry.type == "article" and alternatives == model.AUTHOR:
                hint = ("a newspaper or magazine piece without an author: add "
                        "entrysubtype = {newspaper}")
            else:
                hint = f"add {alternatives[0]} = {{...}}"
            found.append(notice(path, entry.line, entry.column,
                                f"@{entry.type} '{key}' has no {wanted}, which biblatex "
                                "requires", hint))
    found.extend(_spelling_variants(entries, facts, path))
    return found


def _inherited(key: str, entries: dict[str, Entry], facts: dict[str, _Facts]) -> set[str]:
    """The fields entry KEY takes from its crossref parent and xdata entries, each with
    what it holds from its own ancestors (a cycle is followed once)."""
    taken: set[str] = set()
    if entries[key].type == "set":  # a set's members are not its parents
        return taken
    for parent in entries[key].uses:
        if parent in facts and parent != key:
            held = facts[parent].fields | _ancestors_fields(parent, entries, facts, {key, parent})
            taken |= model.inherited_fields(facts[parent].type, facts[key].type, held)
    return taken


def _ancestors_fields(key: str, entries: dict[str, Entry], facts: dict[str, _Facts],
                      seen: set[str]) -> set[str]:
    fields: set[str] = set()
    for parent in entries[key].uses:
        if parent in facts and parent not in seen:
            seen.add(parent)
            fields |= facts[parent].fields | _ancestors_fields(parent, entries, facts, seen)
    return fields


def _check_field(field: Field, entry: Entry, reader: _Reader) -> list[Diagnostic]:
    path, value = reader.path, field.value
    name = model.canonical_field(field.name)
    found: list[Diagnostic] = []

    def at_value(offset_in_value: int, message: str, hint: str = "") -> None:
        line, column = reader.position(field.value_offset + offset_in_value)
        found.append(error(path, line, column, message, hint))

    if not value.strip():
        at_value(0, f"field '{field.name}' of '{entry.key}' is empty", "fill it in or remove it")
        return found
    if name in model.VERBATIM_FIELDS:
        found.extend(_check_verbatim(field, name, entry, reader))
        return found
    percent = UNESCAPED_PERCENT_RE.search(value)
    if percent:
        at_value(percent.start(), f"unescaped '%' in field '{field.name}' of '{entry.key}' "
                 "cuts the rest of the field", "write '\\%'")
    stripped = value.strip().strip("{}").strip()
    if name == "year" and not YEAR_RE.fullmatch(stripped):
        if UNDATED_RE.fullmatch(stripped):
            at_value(0, f"year '{value}' of '{entry.key}' says the source is undated",
                     "leave out year and date: the citation then reads 'n.d.' by itself")
        else:
            at_value(0, f"year '{value}' of '{entry.key}' is not a year",
                     "write year = {2022}; put a full date in date = {2022-01-05}")
    elif name in model.DATE_FIELDS and not valid_date(stripped):
        at_value(0, f"{field.name} '{value}' of '{entry.key}' is not a date",
                 "write it as biblatex reads dates: 2022, 2022-01, 2022-01-05, "
                 "2022-01-05T14:30, or a range 2022-01-05/2022-02-01 (open: 2022-01-05/)")
    return found


def _check_verbatim(field: Field, name: str, entry: Entry, reader: _Reader) -> list[Diagnostic]:
    """url and doi, read as biblatex reads verbatim fields; a reference manager's
    escapes ('{\\_}') and a DOI's resolver address are rewritten for pandoc."""
    path, value = reader.path, field.value
    found: list[Diagnostic] = []

    def at_value(offset_in_value: int, message: str, hint: str = "") -> None:
        line, column = reader.position(field.value_offset + offset_in_value)
        found.append(error(path, line, column, message, hint))

    meant = VERBATIM_ESCAPE_RE.sub(lambda m: m.group(1) or m.group(2), value).strip()
    if name == "url":
        scheme = SCRIPT_SCHEME_RE.match(meant)
        addresses = meant.split()
        if scheme:
            at_value(0, f"url of '{entry.key}' uses the '{scheme.group(1).lower()}:' scheme, "
                     "which would put a script link on the page", "use an https:// address")
        elif len(addresses) > 1:
            second_address = list(re.finditer(r"\S+", value))[1].start()
            at_value(second_address,
                     f"url of '{entry.key}' holds {len(addresses)} addresses; a link has one",
                     "keep one address in url; put another in note")
        elif not HTTP_RE.match(meant):
            at_value(0, f"url '{value}' of '{entry.key}' is not an http(s) address",
                     "write the full address, starting with https://")
    elif name == "doi":
        if SCRIPT_SCHEME_RE.match(meant):
            at_value(0, f"doi of '{entry.key}' is a script link, not a DOI",
                     "write it as 10.<registrant>/<suffix>")
            return found
        prefix = DOI_PREFIX_RE.match(meant)
        if prefix:
            meant = urllib.parse.unquote(meant[prefix.end():])
        if not DOI_RE.fullmatch(meant):
            at_value(0, f"doi '{value}' of '{entry.key}' is not a DOI",
                     "write it as 10.<registrant>/<suffix>, e.g. 10.1080/21599165.2017.1307826")
    if not found and meant != value:
        reader.rewrites.append((field.value_offset, field.value_offset + len(value), meant))
    return found


def valid_date(text: str) -> bool:
    """Whether TEXT is a date or a date range as biblatex reads one."""
    parts = text.split("/")
    if len(parts) > 2 or not any(part not in ("", "..") for part in parts):
        return False
    if len(parts) == 1 and not parts[0]:
        return False
    return all(part in ("", "..") or _valid_date_part(part) for part in parts)


def _valid_date_part(part: str) -> bool:
    match = DATE_PART_RE.fullmatch(part)
    if not match:
        return False
    year, month, day = match.group(1), match.group(2), match.group(3)
    if month is None or month == "XX":
        return True
    if not (1 <= int(month) <= 12 or (21 <= int(month) <= 24 and day is None)):
        return False
    if day is None or day == "XX":
        return True
    if "X" in year:
        return 1 <= int(day) <= 31
    return 1 <= int(day) <= calendar.monthrange(int(year) or 2000, int(month))[1]


def split_names(value: str) -> list[tuple[int, str]]:
    """The names of a name list ('A and B'), each with its offset in VALUE: the words
    between the words 'and' outside braces, as BibTeX splits them ('A and and B' holds
    an empty name)."""
    if not AND_WORD_RE.search(value):
        return [(len(value) - len(value.lstrip()), value.strip())]
    names, start, depth = [], 0, 0
    for word in re.finditer(r"\S+", value):
        text = word.group()
        if depth == 0 and text.lower() == "and":
            names.append((start, value[start:word.start()]))
            start = word.end()
        depth += text.count("{") - text.count("}")
    names.append((start, value[start:]))
    return [(offset + len(name) - len(name.lstrip()), name.strip()) for offset, name in names]


def _top_level(text: str, char: str) -> list[int]:
    """Offsets of CHAR in TEXT outside braces."""
    if char not in text:
        return []
    if "{" not in text:
        return [position for position, current in enumerate(text) if current == char]
    found, depth = [], 0
    for position, current in enumerate(text):
        if current == "{":
            depth += 1
        elif current == "}":
            depth -= 1
        elif current == char and depth == 0:
            found.append(position)
    return found


def _parts(text: str, cuts: list[int]) -> list[str]:
    bounds = [-1, *cuts, len(text)]
    return [text[bounds[i] + 1:bounds[i + 1]] for i in range(len(bounds) - 1)]


@dataclasses.dataclass(frozen=True)
class Person:
    family: str  # decoded from LaTeX, braces removed
    given: str


def _plain(text: str) -> str:
    if "\\" in text:  # decoding is slow, and most names hold no LaTeX
        text = codecs.decode(text, "ulatex")
    return text.replace("{", "").replace("}", "").strip()


@dataclasses.dataclass(frozen=True)
class NameProblem:
    message: str  # what is wrong
    hint: str  # how to fix it


def read_name(written: str) -> Person | NameProblem | None:
    """One name of a name list as biblatex reads it: the person (family and given
    names), what is wrong with it, or None for 'others' and a name in braces (an
    organisation)."""
    if not written:
        return NameProblem("an empty name (two 'and' in a row, or one at an end)",
                           "remove the extra 'and'")
    if written == "others":
        return None
    commas = _top_level(written, ",")
    if _top_level(written, "="):
        parts = {}
        for part in _parts(written, commas):
            key, equals, value = part.partition("=")
            if not equals or key.strip().lower() not in model.NAME_PART_KEYS:
                return NameProblem(f"'{part.strip()}' is not a part of biblatex's extended name format",
                                   "write family=..., given=..., prefix=..., suffix=... or useprefix=...")
            parts[key.strip().lower()] = value.strip()
        return Person(_plain(parts.get("family", "")), _plain(parts.get("given", "")))
    if len(commas) > 2:
        return NameProblem(f"name '{written}' has {len(commas)} commas, which biblatex cannot read as "
                           "one person's name",
                           "separate people with ' and ': Family, Given and Family, Given")
    if written.startswith("{") and written.endswith("}") and not _top_level(written[1:-1], "}"):
        return None
    if commas:
        pieces = _parts(written, commas)
        return Person(_plain(pieces[0]), _plain(pieces[-1]) if len(pieces) > 1 else "")
    words = written.split()
    # 'First von Last': the family name starts at the first word in lower case (a
    # particle), else it is the last word.
    family_from = next((i for i, word in enumerate(words[:-1]) if i and word[:1].islower()),
                       len(words) - 1)
    return Person(_plain(" ".join(words[family_from:])), _plain(" ".join(words[:family_from])))


def _folded(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _given_tokens(given: str) -> list[str]:
    return [token for token in re.split(r"[\s.\-]+", _folded(given)) if token]


def _same_person(first: Person, second: Person) -> bool:
    """Whether two spellings could well be one person: family names alike but for
    accents and case, given names alike where both have them, one an initial of the
    other allowed."""
    if _folded(first.family) != _folded(second.family):
        return False
    tokens_first, tokens_second = _given_tokens(first.given), _given_tokens(second.given)
    if not tokens_first or not tokens_second:
        return False
    for one, other in zip(tokens_first, tokens_second):
        short, long = sorted((one, other), key=len)
        if not (one == other or (len(short) == 1 and long.startswith(short))):
            return False
    return True


def _spelling_variants(entries: dict[str, Entry], facts: dict[str, _Facts],
                       path: str) -> list[Diagnostic]:
    """A notice where a person's name is spelt otherwise than in an earlier entry: the
    style then tells the two spellings apart as two people ("P. Micklin", "P. P.
    Micklin") or prints both."""
    found: list[Diagnostic] = []
    first_spelling: dict[str, list[tuple[Person, str, str, int]]] = {}
    for key, entry_facts in facts.items():
        for written, person, line, column in entry_facts.people:
            known = first_spelling.setdefault(_folded(person.family), [])
            if any(person == seen for seen, *_ in known):
                continue
            for seen, seen_written, seen_key, seen_line in known:
                if _same_person(seen, person):
                    found.append(notice(
                        path, line, column,
                        f"'{written}' in '{key}' and '{seen_written}' in '{seen_key}' (line "
                        f"{seen_line}) look like one person spelt two ways; citations will "
                        "tell them apart as two",
                        "spell the name the same way in both entries"))
                    break
            known.append((person, written, key, line))
    return found


def unused_entries(bibliography: Bibliography, cited: set[str]) -> list[Diagnostic]:
    """A warning for each entry no page cites (mkdocs --strict turns them into failures).
    What a cited entry takes data from (crossref, xdata) or holds (a set's members) is
    used too; an @xdata entry is never cited itself."""
    used, pending = set(), list(cited)
    while pending:
        key = pending.pop()
        if key in used or key not in bibliography.entries:
            continue
        used.add(key)
        pending.extend(bibliography.entries[key].uses)
    return [
        warning(bibliography.path, entry.line, entry.column, f"entry '{key}' is never cited",
                f"cite it as [@{key}] or remove it")
        for key, entry in bibliography.entries.items()
        # A broken entry is an error already.
        if key not in used and not entry.broken and entry.type != "xdata"
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
    from . import biblatex_model, diagnostics, format_cache

    text = path.read_text(encoding="utf-8-sig")
    store = format_cache.Store(format_cache.cache_dir(path.parent), "bibliography-check")
    entry_key = format_cache.key("bibliography check",
                                 format_cache.source_code(__file__, diagnostics.__file__,
                                                           biblatex_model.__file__),
                                 shown_as, text)
    bibliography = _from_kept(store.get(entry_key), shown_as, text)
    if bibliography is None:
        bibliography = parse_bibliography(text, shown_as)
        store.put(entry_key, _to_kept(bibliography))
    # Only the file as it is now is worth keeping.
    store.save(keep_unused=False)
    return bibliography


_ENTRY_SLOTS = ("type", "key", "line", "column", "key_line", "key_column", "start", "end", "broken",
                "first_name", "title", "uses", "note", "published")


def _to_kept(bibliography: Bibliography) -> dict:
    return {
        "entries": [[getattr(e, slot) for slot in _ENTRY_SLOTS] for e in bibliography.entries.values()],
        "rejected": [[getattr(e, slot) for slot in _ENTRY_SLOTS] for e in bibliography.rejected],
        "diagnostics": [dataclasses.astuple(d) for d in bibliography.diagnostics],
        "rewrites": bibliography.rewrites,
    }


def _from_kept(kept, shown_as: str, text: str) -> Bibliography | None:
    """The Bibliography a kept value describes, or None if it is not one _to_kept wrote."""
    try:
        entries = [_kept_entry(values) for values in kept["entries"]]
        rejected = [_kept_entry(values) for values in kept["rejected"]]
        diagnostics = [Diagnostic(*values) for values in kept["diagnostics"]]
        rewrites = [(int(start), int(end), str(replacement))
                    for start, end, replacement in kept["rewrites"]]
    except (TypeError, KeyError, ValueError):
        return None
    return Bibliography(shown_as, text, {entry.key: entry for entry in entries}, diagnostics,
                        rejected, rewrites)


def _kept_entry(values: list) -> Entry:
    entry = Entry(**dict(zip(_ENTRY_SLOTS, values, strict=True)))
    entry.uses = tuple(entry.uses)
    return entry
