"""Keeps ``mkdocs serve`` showing what a build would: it rebuilds when a source the
build reads outside docs/ changes (the bibliography, CITATION.cff, the anchor ledger,
included files: ``scholarly.check.sources_outside_docs``), and, in a dirty rebuild
(``make serve``), every page when the pages or the nav change, since each page's
navigation lists them all. MkDocs itself watches docs/, mkdocs.yml and ``watch:``."""
from __future__ import annotations

import pathlib

from scholarly import build_mode
from scholarly.check import sources_outside_docs

# The pages and nav of the last build in this process (`mkdocs serve` keeps modules).
_last_pages_and_nav: tuple | None = None


def on_serve(server, config, builder):
    for path in sources_outside_docs(config):
        server.watch(str(path))
    return server


def on_files(files, config):
    global _last_pages_and_nav
    pages = [file for file in files.documentation_pages() if file.abs_src_path]
    current = (tuple(sorted(file.src_uri for file in pages)), repr(config.nav))
    if build_mode.dirty and _last_pages_and_nav not in (None, current):
        # A dirty build writes only pages whose output is older than their source, or
        # missing: removing every page's output makes it write them all, once.
        for file in pages:
            pathlib.Path(file.abs_dest_path).unlink(missing_ok=True)
    _last_pages_and_nav = current
    return files
