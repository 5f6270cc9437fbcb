r"""Formats every citation group of the site before any page is rendered, in few pandoc runs.

Checks nothing and adds nothing. Without this hook mkdocs-bibtex starts pandoc once
per page and has it read the whole .bib, rewritten by pybtex, each time: at 50
chapters that is half the build. Here, once the files are known, every citation group
of every page is formatted by mkdocs-bibtex's own pandoc call, in runs of about a
hundred groups spread over the cores, each run reading only its own entries; the
registry's caches then answer each page. ``mkdocs serve`` rebuilds reuse what was
formatted for the same .bib and style (see scholarly/citation_prefetch.py).

pandoc reads the .bib as written (as for the references page), not pybtex's rewrite
of it, which turns ``{\~n}`` into ``{\textasciitilde n}``. Author-date disambiguation
("J. Smith", "2010a") is decided within each run, as it was within each page before.

If mkdocs-bibtex's registry is not the pandoc one this hook knows, it does nothing,
and pages are formatted one by one as before.
"""

from __future__ import annotations

import concurrent.futures
import copy
import os
import pathlib

from mkdocs.plugins import event_priority
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.registry import PandocRegistry
from mkdocs_bibtex.utils import get_path_relative_to_mkdocs_yaml

from scholarly import citation_prefetch

# Citation groups per pandoc run. Measured on the 50-chapter bench corpus: pandoc's
# citeproc costs ~30 ms per run plus a time per group that grows with the run's length
# (2 ms at 50 groups, 5 ms at 400, 9 ms at 3,000); around 100 is the cheapest.
RUN_LENGTH = 100


# The pandoc runs of the build under way: started in on_files, collected in order as
# pages need them and all by on_env. `mkdocs serve` keeps this module between builds.
_runs: _Runs | None = None


class _Runs:
    def __init__(self, registry: PandocRegistry, digest: str | None) -> None:
        self.registry = registry
        self.digest = digest
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        self.futures: list[concurrent.futures.Future] = []

    def start(self, blocks) -> None:
        """Starts pandoc on the blocks not yet formatted, in runs, in the order given."""
        registry = self.registry
        missing = [block for block in blocks if not _formatted(registry, block)]
        if not missing:
            return
        whole = registry.bib_data_bibtex
        split = citation_prefetch.split_bibtex(whole, registry.bib_data.entries.keys())

        def run(chunk):
            # mkdocs-bibtex's own pandoc call, on a copy whose .bib holds only the run's
            # entries: citeproc formats only cited entries anyway; the rest is parsing.
            cited = (citation.key for block in chunk for citation in block.citations)
            worker = copy.copy(registry)
            worker.__dict__["bib_data_bibtex"] = citation_prefetch.bib_subset(split, whole, cited)
            return worker._process_with_pandoc(chunk)

        for chunk in citation_prefetch.chunked(missing, RUN_LENGTH):
            self.futures.append(self.pool.submit(run, chunk))

    def collect_until(self, blocks) -> None:
        """Takes finished runs, in order, until every block is formatted or none is left."""
        while self.futures and not all(_formatted(self.registry, block) for block in blocks):
            self._collect_next()

    def collect_all(self) -> None:
        while self.futures:
            self._collect_next()

    def _collect_next(self) -> None:
        # A failed pandoc run raises here, as it would inside mkdocs-bibtex.
        inline, references = self.futures.pop(0).result()
        self.registry._inline_cache.update(inline)
        self.registry._reference_cache.update(references)

    def finish(self) -> None:
        try:
            self.collect_all()
        finally:
            self.close()
        if self.digest:
            registry = self.registry
            citation_prefetch.remember(
                self.digest, registry._inline_cache, registry._reference_cache
            )

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _formatted(registry: PandocRegistry, block) -> bool:
    return str(block) in registry._inline_cache and all(
        citation.key in registry._reference_cache for citation in block.citations
    )


# on_files comes after every on_config (mkdocs-bibtex builds its registry there) and
# before any page is read.
@event_priority(0)
def on_files(files, config):
    global _runs
    if _runs is not None:  # a build that failed half-way
        _runs.close()
        _runs = None
    bibtex = config.plugins.get("bibtex")
    registry = getattr(bibtex, "registry", None)
    if type(registry) is not PandocRegistry or not hasattr(registry, "_reference_cache"):
        return files
    inputs = _input_paths(bibtex.config, config)
    digest = citation_prefetch.content_digest(inputs) if inputs else None
    if inputs:
        # As written, not pybtex's rewrite (see above); reading it is cheaper too.
        bib_text = "\n".join(path.read_text(encoding="utf-8-sig") for path in inputs[:-1])
        registry.__dict__["bib_data_bibtex"] = bib_text
    if digest:
        inline, references = citation_prefetch.recall(digest)
        registry._inline_cache.update(inline)
        registry._reference_cache.update(references)

    texts = [file.content_string for file in files.documentation_pages()]
    entries = registry.bib_data.entries
    everything = any(bibtex.config.full_bib_command in text for text in texts)
    blocks = citation_prefetch.blocks_to_prefetch(
        texts, entries, cite_every_key=entries.keys() if everything else ()
    )
    _runs = _Runs(registry, digest)
    _runs.start(blocks)
    return files


# After citations.py hides what is not a citation (priority 1), before mkdocs-bibtex
# (0) formats the page: the page waits only for the runs holding its own groups, so
# pandoc works on later pages while this one renders.
@event_priority(0.5)
def on_page_markdown(markdown, page, config, files):
    if _runs is not None:
        if config.plugins["bibtex"].config.full_bib_command in markdown:
            _runs.collect_all()
        else:
            entries = _runs.registry.bib_data.entries
            blocks = [
                block
                for block in CitationBlock.from_markdown(markdown)
                # A group citing an unknown key is in no run; mkdocs-bibtex reports it.
                if all(citation.key in entries for citation in block.citations)
            ]
            _runs.collect_until(blocks)
    return markdown


# Every page is converted by now; what is still running is not needed by any page
# but is kept for the next `serve` rebuild.
@event_priority(0)
def on_env(env, config, files):
    global _runs
    if _runs is not None:
        runs, _runs = _runs, None
        runs.finish()
    return env


def _input_paths(plugin_config, config) -> list[pathlib.Path]:
    """The local .bib files, then the CSL file, mkdocs-bibtex reads; none if any is a URL."""
    if plugin_config.bib_file is not None:
        bibs = [pathlib.Path(get_path_relative_to_mkdocs_yaml(plugin_config.bib_file, config))]
    elif plugin_config.bib_dir is not None:
        folder = pathlib.Path(get_path_relative_to_mkdocs_yaml(plugin_config.bib_dir, config))
        bibs = sorted(folder.rglob("*.bib"))
    else:
        return []
    paths = [*bibs, pathlib.Path(plugin_config.csl_file or "")]
    return paths if all(path.is_file() for path in paths) else []
