"""Checks references.bib once per build, and is what mkdocs-bibtex knows of it.

Every problem (syntax, duplicate or unmatchable keys, missing required fields, bad
years, dates, URLs and DOIs, unescaped '%') is located at ``references.bib:line:col``
and reported with the rest of the build's diagnostics. A file with entries that
cannot be read stops the build here, with what every source check finds in the bib
file and the pages, rather than with a traceback from mkdocs-bibtex.

mkdocs-bibtex's pandoc registry needs only two things from the file: which keys it
holds, in order (to check citations and to list the full bibliography), and the text
pandoc formats from. Both come from the read done here, so pybtex never parses the
file: at 5,000 entries its parse took 0.55 s and 18 MB, for data no one used.
"""
from __future__ import annotations

import os
import pathlib
import types

import mkdocs_bibtex.registry
import pybtex.database
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from scholarly import buildlog
from scholarly.bibliography import Bibliography
from scholarly.check import check_sources, project_bibliography
from scholarly.diagnostics import format_report


class _Present:
    """An entry as mkdocs-bibtex's pandoc registry uses it: present under its key.
    The fields pybtex would hold are never read; pandoc reads them from the file."""

    __slots__ = ("key",)
    # pybtex's BibliographyData looks up "crossref" when it adds an entry.
    fields = types.MappingProxyType({})


# What _check read, for mkdocs-bibtex's registry to take in place of pybtex's parse:
# the file's real path, its (mtime, size) when read, and what was read. Handed over
# once, then dropped.
_read: tuple[str, tuple[int, int], Bibliography] | None = None
# Set when the registry took it: the registry then needs the text as written.
_handed_over: Bibliography | None = None


def _stamp(path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _parse_file_once(file, *args, **kwargs):
    """pybtex's parse_file, as mkdocs-bibtex's registry calls it: for the file _check
    has just read, unchanged since, its keys in order."""
    global _read, _handed_over
    if _read is not None and not args and not kwargs and isinstance(file, (str, os.PathLike)):
        path, stamp, bibliography = _read
        if os.path.realpath(file) == path and _stamp(file) == stamp:
            _read, _handed_over = None, bibliography
            return pybtex.database.BibliographyData(
                entries={key: _Present() for key in bibliography.entries})
    return pybtex.database.parse_file(file, *args, **kwargs)


# Before mkdocs-bibtex's on_config (priority 0), which reads the file, and after
# hooks/csl.py's (100), which decides whether mkdocs-bibtex formats with pandoc.
@event_priority(50)
def _check(config):
    global _read, _handed_over
    _read = _handed_over = None
    bibtex = config.plugins["bibtex"].config
    bib_path = pathlib.Path(config.config_file_path).parent / bibtex.bib_file
    # Taken before reading: a file changed after it is read again by mkdocs-bibtex.
    stamp = _stamp(bib_path)
    bibliography = project_bibliography(config.config_file_path, bibtex.bib_file, config.docs_dir)
    if not bibliography.text and bibliography.diagnostics:
        raise ConfigurationError(str(bibliography.diagnostics[0]))
    buildlog.add(bibliography.diagnostics)
    if bibliography.rejected:
        docs_dir = pathlib.Path(config.docs_dir)
        buildlog.add(check_sources(docs_dir, docs_dir.parent / bibliography.path))
        raise PluginError(f"the sources have problems to fix:\n"
                          f"{format_report(buildlog.collected())}")
    # Without a CSL file mkdocs-bibtex formats with pybtex, from pybtex's own parse.
    if bibtex.csl_file:
        _read = (os.path.realpath(bib_path), stamp, bibliography)
        mkdocs_bibtex.registry.parse_file = _parse_file_once
    return config


# After mkdocs-bibtex's on_config (priority 0) has built its registry.
@event_priority(-50)
def _give_pandoc_the_text_as_written(config):
    """The registry would have pybtex write the .bib out again for pandoc, from fields
    it does not have here; pandoc reads the file as written instead (which also keeps
    ``{\\~n}`` and ``AT\\&T`` as the contributor wrote them)."""
    global _read, _handed_over
    mkdocs_bibtex.registry.parse_file = pybtex.database.parse_file
    registry = getattr(config.plugins["bibtex"], "registry", None)
    if _handed_over is not None and registry is not None:
        registry.__dict__["bib_data_bibtex"] = _handed_over.text
    _read = _handed_over = None
    return config


on_config = CombinedEvent(_check, _give_pandoc_the_text_as_written)
