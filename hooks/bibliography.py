"""Checks references.bib once per build, before mkdocs-bibtex reads it.

Every problem (syntax, duplicate or unmatchable keys, missing required fields, bad
years, dates, URLs and DOIs, unescaped '%') is located at ``references.bib:line:col``
and reported with the rest of the build's diagnostics. A file pybtex cannot read
would stop mkdocs-bibtex with a traceback; then the build stops here instead, with
what every source check finds in the bib file and the pages. What pybtex read here
is what mkdocs-bibtex's registry gets: the file is not parsed twice.
"""
from __future__ import annotations

import os
import pathlib

import mkdocs_bibtex.registry
import pybtex.database
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from pybtex.exceptions import PybtexError

from scholarly import buildlog
from scholarly.bibliography import unescape_specials
from scholarly.check import check_sources, project_bibliography
from scholarly.diagnostics import error, format_report

# What _check parsed, for mkdocs-bibtex's registry to take instead of parsing the same
# file again (0.6 s and 20 MB at 5,000 entries): the file's real path, its
# (mtime, size) when read, and pybtex's data. Handed over once, then dropped.
_parsed: tuple[str, tuple[int, int], pybtex.database.BibliographyData] | None = None


def _stamp(path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _parse_file_once(file, *args, **kwargs):
    """pybtex's parse_file, as mkdocs-bibtex's registry calls it: for the file _check
    has just parsed, unchanged since, the data it parsed."""
    global _parsed
    if _parsed is not None and not args and not kwargs and isinstance(file, (str, os.PathLike)):
        path, stamp, data = _parsed
        if os.path.realpath(file) == path and _stamp(file) == stamp:
            _parsed = None
            return data
    return pybtex.database.parse_file(file, *args, **kwargs)


# Before mkdocs-bibtex's on_config (priority 0), which parses the file with pybtex.
@event_priority(50)
def _check(config):
    global _parsed
    _parsed = None
    bib_file = config.plugins["bibtex"].config.bib_file
    bib_path = pathlib.Path(config.config_file_path).parent / bib_file
    # Taken before reading: a file changed after it is parsed again by mkdocs-bibtex.
    stamp = _stamp(bib_path)
    bibliography = project_bibliography(config.config_file_path, bib_file, config.docs_dir)
    if not bibliography.text and bibliography.diagnostics:
        raise ConfigurationError(str(bibliography.diagnostics[0]))
    buildlog.add(bibliography.diagnostics)
    unreadable = bool(bibliography.rejected)
    if not unreadable:
        try:
            data = pybtex.database.parse_string(bibliography.text, "bibtex")
            _parsed = (os.path.realpath(bib_path), stamp, data)
            mkdocs_bibtex.registry.parse_file = _parse_file_once
        except PybtexError as problem:
            line = getattr(problem, "lineno", None) or 1
            buildlog.add([error(bibliography.path, line, 1,
                                f"pybtex cannot read the file: {problem}")])
            unreadable = True
    if unreadable:
        docs_dir = pathlib.Path(config.docs_dir)
        buildlog.add(check_sources(docs_dir, docs_dir.parent / bibliography.path))
        raise PluginError(f"the sources have problems to fix:\n"
                          f"{format_report(buildlog.collected())}")
    return config


# After mkdocs-bibtex's on_config (priority 0) has parsed the file into its registry.
@event_priority(-50)
def _unescape_for_pybtex_writer(config):
    """pandoc reads pybtex's re-serialisation of the file, and pybtex escapes '&', '%',
    '_' and '#' once more when it writes them: ``AT\\&T`` would reach pandoc as
    ``AT\\\\&T`` (a line break, then '&'). Stored unescaped, they are written right."""
    global _parsed
    _parsed = None
    mkdocs_bibtex.registry.parse_file = pybtex.database.parse_file
    registry = getattr(config.plugins["bibtex"], "registry", None)
    if registry is not None:
        for entry in registry.bib_data.entries.values():
            for name, value in entry.fields.items():
                entry.fields[name] = unescape_specials(value)
    return config


on_config = CombinedEvent(_check, _unescape_for_pybtex_writer)
