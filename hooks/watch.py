"""Tells ``mkdocs serve`` to rebuild when a source the build reads outside docs/
changes: the bibliography, CITATION.cff, the anchor ledger and the snippets' folders
(``scholarly.check.sources_outside_docs``). MkDocs itself watches docs/, mkdocs.yml
and what ``watch:`` lists."""
from __future__ import annotations

from scholarly.check import sources_outside_docs


def on_serve(server, config, builder):
    for path in sources_outside_docs(config):
        server.watch(str(path))
    return server
