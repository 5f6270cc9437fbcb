"""Checks references.bib once per build, before mkdocs-bibtex reads it.

Every problem (syntax, duplicate or unmatchable keys, missing required fields, bad
years, dates, URLs and DOIs, unescaped '%') is located at ``references.bib:line:col``
and reported with the rest of the build's diagnostics. A file pybtex cannot read
would stop mkdocs-bibtex with a traceback; then the build stops here instead, with
what every source check finds in the bib file and the pages.
"""
from __future__ import annotations

import pathlib

import pybtex.database
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from pybtex.exceptions import PybtexError

from scholarly import buildlog
from scholarly.bibliography import unescape_specials
from scholarly.check import check_sources, project_bibliography
from scholarly.diagnostics import error, format_report


# Before mkdocs-bibtex's on_config (priority 0), which parses the file with pybtex.
@event_priority(50)
def _check(config):
    bibliography = project_bibliography(
        config.config_file_path, config.plugins["bibtex"].config.bib_file, config.docs_dir)
    if not bibliography.text and bibliography.diagnostics:
        raise ConfigurationError(str(bibliography.diagnostics[0]))
    buildlog.add(bibliography.diagnostics)
    unreadable = bool(bibliography.rejected)
    if not unreadable:
        try:
            pybtex.database.parse_string(bibliography.text, "bibtex")
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
    registry = getattr(config.plugins["bibtex"], "registry", None)
    if registry is not None:
        for entry in registry.bib_data.entries.values():
            for name, value in entry.fields.items():
                entry.fields[name] = unescape_specials(value)
    return config


on_config = CombinedEvent(_check, _unescape_for_pybtex_writer)
