"""CITATION.cff -> the site's citation record: title, authors, version, dates, licence.

CITATION.cff is the one place the site's citation metadata lives; every citation,
meta tag and download is built from the :class:`SiteCitation` read here. Problems are
returned as diagnostics naming the file and line, never raised as tracebacks.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools

import yaml

from .diagnostics import Diagnostic, error

REQUIRED = ("cff-version", "message", "title", "authors", "version", "date-released")


@dataclasses.dataclass(frozen=True)
class Person:
    family: str
    given: str = ""

    @property
    def display(self) -> str:
        """"Given Family", the form Highwire and schema.org expect."""
        return f"{self.given} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """"Family, Given", the form Dublin Core and BibTeX expect."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def csl(self) -> dict:
        return {"family": self.family, "given": self.given} if self.given else {
            "literal": self.family
        }


@dataclasses.dataclass(frozen=True)
class SiteCitation:
    title: str
    authors: tuple[Person, ...]
    version: str
    date_released: str  # ISO date, YYYY-MM-DD
    license: str = ""
    url: str = ""
    abstract: str = ""
    # The work this site is an edition of (CFF preferred-citation), as a CSL record.
    basis: dict | None = None


# Cached: the cite boxes and the print page both read the same file in one build.
@functools.lru_cache(maxsize=4)
def parse_citation_cff(text: str, path: str = "CITATION.cff") -> tuple[SiteCitation | None, list[Diagnostic]]:
    """The site's citation record, or None and diagnostics saying what to fix."""
    try:
        node, data = _read_yaml(text, _QUICK_LOADER)
    except yaml.YAMLError:
        # The pure-Python parser says more about what is wrong (which character).
        try:
            node, data = _read_yaml(text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            return None, [error(path, line, column,
                                f"CITATION.cff is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                                "indent with spaces, and quote a value that holds ': ' or starts with"
                                " a character YAML reserves")]
    if not isinstance(data, dict):
        return None, [error(path, 1, 1, "CITATION.cff must be a mapping of CFF keys")]
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        return None, [
            error(path, 1, 1, f"CITATION.cff lacks {key!r}", "see https://citation-file-format.github.io/")
            for key in missing
        ]
    authors = _people(data["authors"])
    if not authors:
        return None, [error(path, lines["authors"], 1, "CITATION.cff: every author needs family-names or name")]
    released = _iso_date(data["date-released"])
    if released is None:
        return None, [
            error(path, lines["date-released"], 1,
                  f"CITATION.cff: date-released {data['date-released']!r} is not a date",
                  'write it as "YYYY-MM-DD"')
        ]
    basis = data.get("preferred-citation")
    return SiteCitation(
        title=str(data["title"]).strip(),
        authors=authors,
        version=str(data["version"]),
        date_released=released,
        license=_text_licence(data.get("license")),
        url=str(data.get("url", "")),
        abstract=" ".join(str(data.get("abstract", "")).split()),
        basis=reference_to_csl(basis, "basis") if isinstance(basis, dict) else None,
    ), []


# libyaml's parser, which PyYAML's wheels include: ten times quicker than the pure-Python one.
_QUICK_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str, loader_class) -> tuple[yaml.Node | None, object]:
    """The document's node tree (for line numbers) and its value, from one parse."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def reference_to_csl(reference: dict, id_: str) -> dict:
    """A CFF reference (e.g. preferred-citation) as a CSL-JSON record."""
    types = {"report": "report", "article": "article-journal", "book": "book",
             "webpage": "webpage", "software": "software", "dataset": "dataset"}
    record: dict = {"id": id_, "type": types.get(reference.get("type", ""), "document"),
                    "title": str(reference.get("title", ""))}
    authors = _people(reference.get("authors", []))
    if authors:
        record["author"] = [a.csl() for a in authors]
    if reference.get("year"):
        parts = [int(reference["year"])] + ([int(reference["month"])] if reference.get("month") else [])
        record["issued"] = {"date-parts": [parts]}
    for cff_key, csl_key in (("collection-title", "collection-title"), ("url", "URL"),
                             ("doi", "DOI"), ("journal", "container-title"),
                             ("volume", "volume"), ("issue", "issue")):
        if reference.get(cff_key):
            record[csl_key] = str(reference[cff_key])
    institution = reference.get("institution") or reference.get("publisher")
    if isinstance(institution, dict) and institution.get("name"):
        record["publisher"] = str(institution["name"])
    return record


def _people(entries) -> tuple[Person, ...]:
    people = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            return ()
        if entry.get("family-names"):
            people.append(Person(str(entry["family-names"]), str(entry.get("given-names", ""))))
        elif entry.get("name"):
            people.append(Person(str(entry["name"])))
        else:
            return ()
    return tuple(people)


def _text_licence(value) -> str:
    """The licence of the text: CFF allows a list, whose first entry is the text's here."""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def _iso_date(value) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None
