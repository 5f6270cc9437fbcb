"""Fills the references page: ``<!-- full-bibliography -->`` becomes every entry of
references.bib in the site's CSL style.

mkdocs-bibtex's own ``\\full_bibliography`` writes footnote definitions that nothing
refers to, which MkDocs' anchor validation reports under ``--strict``; a plain list
anchored ``#ref-<key>`` is what a reader and a link from another page need.
"""
from __future__ import annotations

import pathlib

from scholarly.full_bibliography import insert_bibliography


def on_page_markdown(markdown, page, config, files):
    bibtex = config.plugins["bibtex"].config
    base = pathlib.Path(config.config_file_path).parent
    return insert_bibliography(markdown, base / bibtex.bib_file, pathlib.Path(bibtex.csl_file))
