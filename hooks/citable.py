"""Makes every page and every section citable.

Adds: the version and last change of each page; a "Cite this page" box and, under
every h2/h3, a "Cite this section" box (Chicago, APA, MLA, BibTeX, RIS, CSL-JSON);
per-page downloads (``citation.bib``, ``.ris``, ``.json``) and the whole bibliography
(``downloads/references.*``); and ``page.meta["citable"]``, which
``overrides/main.html`` turns into Highwire, Dublin Core and JSON-LD metadata.
Checks: every h2/h3 in Markdown has an explicit ``{#id}``, and front matter is YAML
MkDocs can read (what it cannot read it publishes as text, silently).

Metadata comes from CITATION.cff (next to mkdocs.yml); page dates from git.
"""
from __future__ import annotations

import concurrent.futures
import html
import json
import logging
import pathlib
import re
import subprocess

from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import event_priority

from scholarly import build_mode, buildlog, cite_box, cited, format_cache
from scholarly import citation_formats as formats
from scholarly.check import bibliography_path, display_path, read_site_citation
from scholarly.diagnostics import error
from scholarly.markdown_scan import front_matter_problem, strip_front_matter
from scholarly.pandoc import PandocError
from scholarly.print_edition import PRINT_PAGE, edition_record
from scholarly.site_citation import SiteCitation

log = logging.getLogger("mkdocs.hooks.citable")

DOWNLOAD_NAMES = {"BibTeX": "citation.bib", "RIS": "citation.ris", "CSL-JSON": "citation.json"}
# Each section's own files, in this folder of its page's: cite/<section id>.ris. The
# formats reference managers import from a download; CSL-JSON is in the section's box
# and in its page's file (at 50 chapters, a third file per section cost a tenth of a
# warm build).
SECTION_DOWNLOADS = "cite"
SECTION_SUFFIXES = {"BibTeX": ".bib", "RIS": ".ris"}
BIBLIOGRAPHY_NAMES = {"BibTeX": "downloads/references.bib", "RIS": "downloads/references.ris",
                      "CSL-JSON": "downloads/references.json"}


class _Build:
    """What one build learns; reset in on_config because `mkdocs serve` keeps modules.

    What is kept per page (its records and their styled forms) is let go once the page
    is written: the build's peak memory comes at its end, while the search plugin
    serialises its index, and nothing kept here should still be alive then.
    """

    def __init__(self) -> None:
        self.site: SiteCitation | None = None
        self.changed: dict[str, str] = {}
        # page url -> {"page": record, "sections": [...], "updated": date}, from the
        # page's content until the page is written.
        self.pages: dict[str, dict] = {}
        self.styled: dict[str, dict] = {}  # record id -> its styled forms, likewise
        # How each style writes an access date, for the boxes' script.
        self.access_dates: dict[str, list[str]] = {}
        self.bib_path: pathlib.Path | None = None
        # The whole bibliography as [RIS, CSL-JSON] if on_config converted it; else
        # on_files reads them from the format cache, writes them and lets them go.
        self.downloads: list[str] | None = None
        # Each bib key's Highwire form and JSON-LD work text: finished texts, kept by
        # the format cache, not the records they come from (several times their size).
        self.sources = formats.SourceTexts([], b"", [])
        # The downloads are many small files (two a section): creating one waits on the
        # disk, not on Python, so they are written beside the build, which goes on with
        # the next page; on_post_build waits for every one.
        self.writer = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.writes: list[concurrent.futures.Future] = []


_build = _Build()


@event_priority(50)
def on_config(config):
    global _build
    # A build that failed did not reach on_post_build: its writer stops here.
    _build.writer.shutdown()
    _build = _Build()
    _build.site, diagnostics = read_site_citation(config)
    if _build.site is None:
        raise ConfigurationError("\n".join(str(d) for d in diagnostics))
    _build.changed = _last_changes(pathlib.Path(config.docs_dir))
    _build.bib_path = bibliography_path(config)
    if _build.bib_path.is_file():
        try:
            _build.sources, _build.downloads = formats.bibliography_sources_kept(
                _build.bib_path, _cache_dir(config))
        except formats.UnreadableBibliography as problem:
            # What the .bib check did not see, pandoc did: the build fails
            # on this message, and the site has no bibliography downloads.
            shown = display_path(_build.bib_path, pathlib.Path(config.docs_dir).parent)
            buildlog.add([error(shown, 1, 1, f"the file cannot be converted: {problem}",
                                "correct the entry the message names")])
            _build.bib_path = None
    return config


def _cache_dir(config) -> pathlib.Path | None:
    return format_cache.cache_dir(pathlib.Path(config.docs_dir).parent)


def _last_changes(docs_dir: pathlib.Path) -> dict[str, str]:
    """{absolute source path: date of its last commit}, from one `git log`."""
    try:
        top = subprocess.run(["git", "-C", str(docs_dir), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        out = subprocess.run(["git", "-C", top, "log", "--format=%x00%cs", "--name-only", "--",
                              str(docs_dir)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    changed: dict[str, str] = {}
    date = ""
    for line in out.splitlines():
        if line.startswith("\x00"):
            date = line[1:]
        elif line:
            changed.setdefault(str(pathlib.Path(top, line).resolve()), date)
    return changed


def on_files(files, config):
    # The site directory is cleaned just before this event, and the whole bibliography's
    # texts are written (and let go) while the build holds little else.
    _write_bibliography(pathlib.Path(config.site_dir), _cache_dir(config))
    return files


def _write_bibliography(site_dir: pathlib.Path, cache_dir: pathlib.Path | None) -> None:
    if _build.bib_path is None or not _build.bib_path.is_file():
        return
    bib_download = site_dir / BIBLIOGRAPHY_NAMES["BibTeX"]
    bib_download.parent.mkdir(parents=True, exist_ok=True)
    bib_download.write_text(_build.bib_path.read_text(encoding="utf-8"), encoding="utf-8")
    downloads = _build.downloads or formats.bibliography_downloads_kept(_build.bib_path, cache_dir)
    _build.downloads = None
    for label, text in zip(("RIS", "CSL-JSON"), downloads):
        (site_dir / BIBLIOGRAPHY_NAMES[label]).write_text(text, encoding="utf-8")


# First, while the page's Markdown is the contributor's own.
@event_priority(90)
def on_page_markdown(markdown, page, config, files):
    if page.file.abs_src_path is None:
        return markdown
    offset = strip_front_matter(page.file.content_string)[1]
    buildlog.add(cite_box.headings_without_id(markdown, f"docs/{page.file.src_uri}", 1 + offset))
    # MkDocs publishes front matter it cannot read as text, and says nothing.
    front_matter = front_matter_problem(page.file.content_string, f"docs/{page.file.src_uri}")
    if front_matter:
        buildlog.add([front_matter])
    return markdown


def on_page_content(html_text, page, config, files):
    site = _build.site
    # Pages generated by other hooks repeat sections cited here; the print page is
    # the whole edition, and carries its metadata (no boxes: its chapters are cited
    # on their own pages).
    if page.file.abs_src_path is None:
        if page.file.src_uri == PRINT_PAGE:
            _build.pages[page.url] = {"page": edition_record(site, page.canonical_url), "sections": [],
                                      "updated": site.date_released, "whole_edition": True}
        return html_text
    updated = _build.changed.get(str(pathlib.Path(page.file.abs_src_path).resolve()), site.date_released)
    # None in a preview build: it has no public address to cite (hooks/public_address.py).
    url = page.canonical_url
    key = page.url.strip("/").replace("/", "-") or "index"
    title = _heading(page) or site.title
    page_record = formats.page_record(site, id=key, title=title, url=url, updated=updated)
    sections = [
        formats.section_record(site, id=f"{key}:{item.id}", title=html.unescape(item.title),
                               page_title=title, url=f"{url}#{item.id}" if url else None,
                               updated=updated)
        for item in _headings(page.toc)
    ]
    _build.pages[page.url] = {"page": page_record, "sections": sections, "updated": updated}
    return html_text


def _heading(page) -> str:
    """The page's own title: its first h1, not its label in the menu ("Home")."""
    for item in page.toc:
        if item.level == 1:
            return html.unescape(item.title)
    return html.unescape(page.title) if page.title else ""


def _headings(toc):
    """h2 and h3 entries of the page's table of contents, in page order."""
    for item in toc:
        if item.level in (2, 3):
            yield item
        yield from _headings(item.children)


def _template_data(site: SiteCitation, record: dict, updated: str, page) -> dict:
    """What overrides/main.html writes into <head>; the template escapes every value."""
    references = _cited_references(page)
    url = record.get("URL")
    json_ld = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "headline": record["title"],
        "name": record["title"],
        "author": [_schema_agent(person) for person in site.authors],
        "datePublished": site.date_released,
        "dateModified": updated,
        "version": site.version,
        "inLanguage": "en",
        **({"url": url} if url else {}),
        "isPartOf": {"@type": "WebSite", "name": site.title, "version": site.version,
                     **({"url": site.url} if site.url else {})},
        "citation": _CITATIONS,
    }
    if site.license:
        json_ld["license"] = licence_url(site.license)
    if site.basis:
        json_ld["isBasedOn"] = {
            "@type": "Report", "name": site.basis["title"],
            "author": [{"@type": "Person", "name": cite_box.display_name(name)}
                       for name in site.basis.get("author", []) if "family" in name],
            **({"url": site.basis["URL"]} if "URL" in site.basis else {})}
    return {
        "title": record["title"],
        "site_title": site.title,
        # Highwire: "Given Family"; an organisation's name with a comma after it, which
        # Zotero reads as a family name alone, kept whole.
        "authors": [person.display if person.given else f"{person.family}," for person in site.authors],
        "authors_inverted": [person.inverted for person in site.authors],
        "publication_date": site.date_released.replace("-", "/"),
        "online_date": updated.replace("-", "/"),
        "updated": updated,
        "version": site.version,
        "url": url,
        "description": site.abstract,
        "license": f"{site.license} ({licence_url(site.license)})" if site.license else "",
        "references": [ref["text"] for ref in references],
        "json_ld": _json_text(json_ld).replace(
            f'"citation": {_json_text(_CITATIONS)}',
            '"citation": [' + ", ".join(_build.sources.work(ref["key"]) for ref in references) + "]",
            1),
    }


def licence_url(spdx_id: str) -> str:
    """The licence's page at SPDX, which names every licence by its identifier."""
    return f"https://spdx.org/licenses/{spdx_id}.html"


def _schema_agent(person) -> dict:
    """A schema.org author: a Person with a given name, else an Organization."""
    return {"@type": "Person" if person.given else "Organization", "name": person.display}


# Stands for the JSON-LD's list of cited works, which is written in from the works'
# JSON texts: the text json.dumps makes of the list. Inside a JSON string every quote
# is escaped, so only the key itself reads '"citation": "…"'.
_CITATIONS = "cited works"


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cited_references(page) -> list[dict]:
    """The sources this page cites, as Highwire citation_reference strings."""
    return [{"key": key, "text": _build.sources.highwire(key)}
            for key in cited.by_page.get(page.url, []) if key in _build.sources]


@event_priority(-100)
def on_env(env, config, files):
    # The whole-edition page carries metadata only: no box shows a styled citation of it.
    records = [r for entry in _build.pages.values() if not entry.get("whole_edition")
               for r in [entry["page"], *entry["sections"]]]
    store = format_cache.Store(_cache_dir(config), "citable-styled")
    try:
        _build.styled = formats.format_styled_kept(records, store)
        _build.access_dates = formats.access_dates_kept(store)
    except PandocError as problem:
        # The boxes cite the site as CITATION.cff describes it.
        buildlog.add([error("CITATION.cff", 1, 1, f"pandoc cannot format the site's citations: "
                            f"{problem}", "correct CITATION.cff or the style it names")])
        return env
    # A dirty build formats only the pages it read: the others' entries stay.
    store.save(keep_unused=build_mode.dirty)
    return env


def on_page_context(context, page, config, nav):
    # Made just before the page's template reads it, and dropped once the page is
    # written (on_post_page): made for every page at once, the JSON-LD adds up.
    entry = _build.pages.get(page.url)
    if entry is not None:
        page.meta["citable"] = _template_data(_build.site, entry["page"], entry["updated"], page)
    return context


def on_post_page(output, page, config):
    page.meta.pop("citable", None)
    # A dirty build reads and writes only the changed pages: the pages written here
    # are the pages whose records this build made, and their downloads are rewritten.
    entry = _build.pages.pop(page.url, None)
    if entry is None or entry.get("whole_edition"):
        return output
    site = _build.site
    records = [entry["page"], *entry["sections"]]
    exported = [_exported(record) for record in records]
    machine = [_machine(record) for record in exported]
    _build.writes.append(_build.writer.submit(
        _write_downloads, pathlib.Path(config.site_dir), page.url, exported, machine))
    base = "../" * page.url.count("/") if page.url else ""
    bibliography = {label: base + name for label, name in BIBLIOGRAPHY_NAMES.items()}
    preview = "" if config.site_url else cite_box.preview_notice()
    boxes = {}
    for section, section_machine in zip(entry["sections"], machine[1:]):
        fragment = section["id"].rpartition(":")[2]
        downloads = {label: f"{SECTION_DOWNLOADS}/{fragment}{suffix}"
                     for label, suffix in SECTION_SUFFIXES.items()}
        boxes[fragment] = cite_box.section_box(
            fragment, preview + _formats(section, section_machine, downloads))
    updated = "-".join(f"{p:02d}" for p in entry["page"]["issued"]["date-parts"][0])
    version_line = cite_box.version_line(site.version, site.date_released, updated)
    page_box = cite_box.page_box(
        preview + _formats(entry["page"], machine[0], DOWNLOAD_NAMES)
        + cite_box.access_date_forms(_build.access_dates), DOWNLOAD_NAMES, bibliography)
    return _write_in(output, boxes, version_line, page_box)


def _formats(record: dict, machine: dict[str, str], downloads: dict[str, str]) -> str:
    return cite_box.formats_html(_build.styled.pop(record["id"], {}), machine, downloads)


def _exported(record: dict) -> dict:
    """The record as the downloads give it: with CITATION.cff's abstract as its note,
    which says what the edition is and the work it is based on, and stays with the item
    in a reference manager (the cite boxes' styles do not print it)."""
    return dict(record, note=_build.site.abstract) if _build.site.abstract else record


def _machine(record: dict) -> dict[str, str]:
    """The record's BibTeX, RIS and CSL-JSON: shown in its box and joined into its
    page's downloads."""
    return {
        "BibTeX": formats.to_bibtex([record]),
        "RIS": formats.to_ris([record]),
        "CSL-JSON": formats.to_csl_json([record]),
    }


def _write_downloads(site_dir: pathlib.Path, url: str, records: list[dict],
                     machine: list[dict[str, str]]) -> None:
    """The page's files (the page and its sections), and each section's own, which a
    reference manager imports as that one section."""
    folder = site_dir / url if url.endswith("/") or not url else site_dir / pathlib.Path(url).parent
    folder.mkdir(parents=True, exist_ok=True)
    # Both formats of several records are their records' texts, one after another.
    for label in ("BibTeX", "RIS"):
        (folder / DOWNLOAD_NAMES[label]).write_text(
            "\n".join(texts[label] for texts in machine), encoding="utf-8")
    (folder / DOWNLOAD_NAMES["CSL-JSON"]).write_text(formats.to_csl_json(records), encoding="utf-8")
    if len(records) > 1:
        (folder / SECTION_DOWNLOADS).mkdir(exist_ok=True)
    for record, texts in zip(records[1:], machine[1:]):
        stem = folder / SECTION_DOWNLOADS / record["id"].rpartition(":")[2]
        for label, suffix in SECTION_SUFFIXES.items():
            stem.with_name(stem.name + suffix).write_text(texts[label], encoding="utf-8")


_PLACES = re.compile(r'<h([23]) id="([^"]*)"[^>]*>.*?</h\1>|</h1>|</article>', re.DOTALL)


def _write_in(output: str, boxes: dict[str, str], version_line: str, page_box: str) -> str:
    """OUTPUT with each section's box after the first h2/h3 carrying its id, the
    version line after the first h1 and the page's box closing the first article:
    one pass over the page."""
    pending = {"</h1>": version_line, "</article>": page_box}

    def write(match: re.Match) -> str:
        found = match.group(0)
        if match.group(1):
            return found + boxes.pop(match.group(2), "")
        if found not in pending:
            return found
        added = pending.pop(found)
        return found + added if found == "</h1>" else added + found

    return _PLACES.sub(write, output)


# Before the search plugin's on_post_build (priority 0), which serialises its index
# and makes the build's peak memory: the sources' forms are let go first.
@event_priority(100)
def on_post_build(config):
    global _build
    for write in _build.writes:
        write.result()  # raises what writing a download raised
    _build.writer.shutdown()
    # Every page is written; the next build (`mkdocs serve`) starts afresh in on_config.
    _build = _Build()
