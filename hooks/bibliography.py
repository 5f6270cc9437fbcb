"""Checks references.bib once per build.

The file is read as biblatex reads it (``scholarly.bibliography``, with biblatex's data
model in ``scholarly.biblatex_model``). Every problem (syntax, duplicate keys, unknown
types, crossref/xdata/set links to no entry, years, dates, names, URLs and DOIs,
unescaped '%') is located at ``references.bib:line:col`` and reported with the rest of
the build's diagnostics; what biblatex accepts but a reader may miss (a required field
missing, one person spelt two ways) is a notice, which fails nothing. A file with entries that cannot be read stops the
build here, with what every source check finds in the .bib and the pages, before pandoc
is asked to read it. The file is ``extra.bibliography`` in mkdocs.yml (default
``references.bib``, next to mkdocs.yml).
"""
from __future__ import annotations

import pathlib

from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority

from scholarly import buildlog
from scholarly.check import check_sources, project_bibliography
from scholarly.diagnostics import format_report


# Before hooks/citations.py (40), which formats from the file this reads.
@event_priority(50)
def on_config(config):
    bibliography = project_bibliography(config)
    if not bibliography.text and bibliography.diagnostics:
        raise ConfigurationError(str(bibliography.diagnostics[0]))
    buildlog.add(bibliography.diagnostics)
    if bibliography.rejected:
        buildlog.add(check_sources(pathlib.Path(config.config_file_path), config))
        raise PluginError(f"the sources have problems to fix:\n"
                          f"{format_report(buildlog.collected())}")
    return config
