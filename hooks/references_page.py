"""Fills the references page: ``<!-- full-bibliography -->`` becomes every entry of
references.bib in the site's CSL style.

mkdocs-bibtex's own ``\\full_bibliography`` writes footnote definitions that nothing
refers to, which MkDocs' anchor validation reports under ``--strict``; a plain list
anchored ``#ref-<key>`` is what a reader and a link from another page need.
"""
from __future__ import annotations

import pathlib

from mkdocs.plugins import event_priority

from scholarly.full_bibliography import insert_bibliography


# Late, once hooks/citations.py has given the page back its own text (-1): the list
# is finished HTML that neither mkdocs-bibtex nor the citation checks should read.
@event_priority(-50)
def on_page_markdown(markdown, page, config, files):
    bibtex = config.plugins["bibtex"].config
    base = pathlib.Path(config.config_file_path).parent
    return insert_bibliography(markdown, base / bibtex.bib_file, pathlib.Path(bibtex.csl_file))
