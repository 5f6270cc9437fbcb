"""How this process builds: ``dirty`` is true under ``mkdocs serve --dirty`` (or
``build --dirty``), where a rebuild reads only the pages changed since the last one,
so checks over every page (unused entries, the anchor ledger) must wait for a full
build. ``command`` is MkDocs' command: ``build``, ``serve`` or ``gh-deploy``. Set once
by ``hooks/report.py`` in ``on_startup``."""

dirty = False
command = "build"
