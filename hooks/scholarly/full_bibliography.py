"""Every entry of a BibTeX file, formatted by pandoc's citeproc in a CSL style, as HTML.

The references page shows the whole bibliography in the same style as the notes on
the chapters. One pandoc run formats all entries; the result is cached by the bytes
of the .bib, the style and pandoc's version, in memory and on disk (format_cache.py,
in the cache of the project the .bib belongs to), so only the first build pays for it.
"""
from __future__ import annotations

import functools
import pathlib

import pypandoc

from . import format_cache

MARKER = "<!-- full-bibliography -->"
# pandoc's citeproc reads the bibliography from metadata; `@*` cites every entry.
_CITE_ALL = "---\nnocite: '@*'\n---\n"


def insert_bibliography(markdown: str, bib_path: pathlib.Path, csl_path: pathlib.Path) -> str:
    """The page with the marker line replaced by the formatted bibliography."""
    if MARKER not in markdown:
        return markdown
    html = format_bibliography(bib_path, csl_path)
    # Blank lines around keep Python-Markdown from wrapping the block in a paragraph.
    return markdown.replace(MARKER, f"\n{html}\n")


def format_bibliography(bib_path: pathlib.Path, csl_path: pathlib.Path) -> str:
    digest = format_cache.key("full bibliography", format_cache.pandoc_version(),
                              bib_path.read_bytes(), csl_path.read_bytes())
    return _format(str(bib_path), str(csl_path), digest)


@functools.lru_cache(maxsize=4)
def _format(bib_path: str, csl_path: str, digest: str) -> str:
    store = format_cache.Store(format_cache.cache_dir(pathlib.Path(bib_path).parent),
                               "full-bibliography")
    kept = store.get(digest)
    if isinstance(kept, str):
        return kept
    html = _run_pandoc(bib_path, csl_path)
    store.put(digest, html)
    store.save(keep_unused=False)
    return html


def _run_pandoc(bib_path: str, csl_path: str) -> str:
    return pypandoc.convert_text(
        _CITE_ALL,
        to="html",
        format="markdown",
        extra_args=["--citeproc", "--bibliography", bib_path, "--csl", csl_path, "--wrap=none"],
    ).strip()
