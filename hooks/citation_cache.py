r"""Formats every citation group of the site before any page is rendered, in few pandoc runs.

Checks nothing and adds nothing. Without this hook mkdocs-bibtex starts pandoc once
per page and has it read the whole .bib, rewritten by pybtex, each time: at 50
chapters that is half the build. Here, once the files are known, every citation group
of every page is formatted by mkdocs-bibtex's own pandoc call, in runs of about a
hundred groups spread over the cores, each run reading only its own entries; the
registry's caches then answer each page.

Each run is a pandoc call whose whole input is known (the groups, the entries they
cite, the CSL file, pandoc's version), so what it returned is kept on disk under that
key (scholarly/format_cache.py): a build of unchanged sources starts no pandoc, and
after an edit only the runs holding a changed group or entry are formatted again.
The whole site's answer (what every run returned, merged as the pages read it) is
kept too, under the pages' text, the .bib and every run's inputs: a build of
unchanged sources takes it whole, and neither looks for the groups nor reads the
runs, which repeat a source's reference in every run citing it.
Runs are cut by the groups' own text (scholarly/citation_prefetch.py), so one edited
page does not shift every later run.

pandoc reads the .bib as written (as for the references page), not pybtex's rewrite
of it, which turns ``{\~n}`` into ``{\textasciitilde n}``. Author-date disambiguation
("J. Smith", "2010a") is decided within each run, as it was within each page before.

If mkdocs-bibtex's registry is not the pandoc one this hook knows, it does nothing,
and pages are formatted one by one as before.
"""

from __future__ import annotations

import concurrent.futures
import copy
import importlib.metadata
import os
import pathlib

from mkdocs.plugins import event_priority
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.registry import PandocRegistry
from mkdocs_bibtex.utils import get_path_relative_to_mkdocs_yaml

from scholarly import citation_prefetch, format_cache
from scholarly.check import project_bibliography

# Citation groups per pandoc run. Measured on the 50-chapter bench corpus: pandoc's
# citeproc costs ~30 ms per run plus a time per group that grows with the run's length
# (2 ms at 50 groups, 5 ms at 400, 9 ms at 3,000); around 100 is the cheapest.
RUN_LENGTH = 100


# The pandoc runs of the build under way: started in on_files, collected in order as
# pages need them and all by on_env. `mkdocs serve` keeps this module between builds.
_runs: _Runs | None = None
# The registry those runs feed, until on_env empties its caches.
_fed: PandocRegistry | None = None


class _Runs:
    def __init__(self, registry: PandocRegistry, store: format_cache.Store, key_inputs,
                 answers: format_cache.Store, site_key: str) -> None:
        self.registry = registry
        self.store = store
        # Where the whole site's answer is kept once every run is in, and its key.
        self.answers, self.site_key = answers, site_key
        # What every run's key holds besides its groups and entries: the CSL file,
        # pandoc's version and mkdocs-bibtex's (it reads pandoc's output).
        self.key_inputs = key_inputs
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        # (cache key, future of (inline, references)) per run, in page order.
        self.futures: list[tuple[str, concurrent.futures.Future]] = []

    def start(self, blocks) -> None:
        """Starts pandoc on every run the cache does not answer, in the order given."""
        registry = self.registry
        whole = registry.bib_data_bibtex
        split = citation_prefetch.split_bibtex(whole, registry.bib_data.entries.keys())
        whole_key = format_cache.key(whole) if split is None else ""

        def run(chunk, bib_text):
            # mkdocs-bibtex's own pandoc call, on a copy whose .bib holds only the run's
            # entries: citeproc formats only cited entries anyway; the rest is parsing.
            worker = copy.copy(registry)
            worker.__dict__["bib_data_bibtex"] = bib_text
            return worker._process_with_pandoc(chunk)

        for chunk in citation_prefetch.runs(blocks, RUN_LENGTH):
            cited = (citation.key for block in chunk for citation in block.citations)
            bib_text = citation_prefetch.bib_subset(split, whole, cited)
            key = format_cache.key(*self.key_inputs, whole_key or bib_text,
                                   "\n\n".join(str(block) for block in chunk))
            kept = self.store.get(key)
            if _is_run_result(kept):
                future = concurrent.futures.Future()
                future.set_result(kept)
            else:
                future = self.pool.submit(run, chunk, bib_text)
            self.futures.append((key, future))

    def collect_until(self, blocks) -> None:
        """Takes finished runs, in order, until every block is formatted or none is left."""
        while self.futures and not all(_formatted(self.registry, block) for block in blocks):
            self._collect_next()

    def all_finished(self) -> bool:
        """Whether no run is left to wait for, as in a build the cache answers whole."""
        return all(future.done() for _, future in self.futures)

    def collect_all(self) -> None:
        while self.futures:
            self._collect_next()

    def _collect_next(self) -> None:
        key, future = self.futures.pop(0)
        # A failed pandoc run raises here, as it would inside mkdocs-bibtex.
        inline, references = future.result()
        self.store.put(key, [inline, references])
        self.registry._inline_cache.update(inline)
        self.registry._reference_cache.update(references)

    def finish(self) -> None:
        try:
            self.collect_all()
        finally:
            self.close()
        # Every run of the site was started, in a dirty build too: what is not used
        # now belongs to text that is gone.
        self.store.save(keep_unused=False)
        # What the registry holds now is every run's answer, merged as pages read it.
        self.answers.put(self.site_key, [dict(self.registry._inline_cache),
                                         dict(self.registry._reference_cache)])
        self.answers.save(keep_unused=False)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _is_run_result(value) -> bool:
    """Whether a kept value is what a run returns: two {str: str} mappings."""
    return (isinstance(value, list) and len(value) == 2
            and all(isinstance(part, dict)
                    and all(isinstance(text, str) for text in part.values()) for part in value))


def _formatted(registry: PandocRegistry, block) -> bool:
    return str(block) in registry._inline_cache and all(
        citation.key in registry._reference_cache for citation in block.citations
    )


# on_files comes after every on_config (mkdocs-bibtex builds its registry there) and
# before any page is read.
@event_priority(0)
def on_files(files, config):
    global _runs, _fed
    if _runs is not None:  # a build that failed half-way
        _runs.close()
        _runs = None
    _fed = None
    bibtex = config.plugins.get("bibtex")
    registry = getattr(bibtex, "registry", None)
    if type(registry) is not PandocRegistry or not hasattr(registry, "_reference_cache"):
        return files
    inputs = _input_paths(bibtex.config, config)
    if not inputs:
        return files
    # As written, not pybtex's rewrite (see above); reading it is cheaper too.
    registry.__dict__["bib_data_bibtex"] = _bib_text(bibtex.config, config, inputs[:-1])
    # Only this build's runs answer its pages: a `serve` rebuild must not show what an
    # earlier build's runs said (disambiguation depends on a run's other groups).
    registry._inline_cache.clear()
    registry._reference_cache.clear()
    key_inputs = ("mkdocs-bibtex citation runs", format_cache.pandoc_version(),
                  importlib.metadata.version("mkdocs-bibtex"), inputs[-1].read_bytes())
    folder = format_cache.cache_dir(pathlib.Path(config.docs_dir).parent)
    texts = [file.content_string for file in files.documentation_pages()]
    # The runs a site makes, and so what they answer, depend only on the site's text,
    # the .bib, the inputs of every run and how groups are found and cut: a build of the
    # same takes the whole answer as the last one left it, and neither looks for the
    # groups nor reads the runs (which repeat a source's reference in every run citing it).
    site_key = format_cache.key("citation runs of a site", *key_inputs, str(RUN_LENGTH),
                                bibtex.config.full_bib_command,
                                format_cache.source_code(citation_prefetch.__file__),
                                registry.bib_data_bibtex, *texts)
    answers = format_cache.Store(folder, "citation-answers")
    _fed = registry
    answer = answers.get(site_key)
    if _is_run_result(answer):
        registry._inline_cache.update(answer[0])
        registry._reference_cache.update(answer[1])
        return files
    store = format_cache.Store(folder, "citation-runs")
    _runs = _Runs(registry, store, key_inputs, answers, site_key)
    entries = registry.bib_data.entries
    everything = any(bibtex.config.full_bib_command in text for text in texts)
    _runs.start(citation_prefetch.blocks_to_prefetch(
        texts, entries, cite_every_key=entries.keys() if everything else ()))
    return files


# After citations.py hides what is not a citation (priority 1), before mkdocs-bibtex
# (0) formats the page: the page waits only for the runs holding its own groups, so
# pandoc works on later pages while this one renders.
@event_priority(0.5)
def on_page_markdown(markdown, page, config, files):
    global _runs
    if _runs is not None:
        # Nothing to wait for: every run goes to the registry now, the cache is saved,
        # and the runs are let go (the registry keeps one text per group and per key,
        # where the runs repeat a source's reference in every run citing it).
        if _runs.all_finished():
            runs, _runs = _runs, None
            runs.finish()
        elif config.plugins["bibtex"].config.full_bib_command in markdown:
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
    global _runs, _fed
    if _runs is not None:
        runs, _runs = _runs, None
        runs.finish()
    if _fed is not None:
        # Read by no page from here on, and cleared by the next build's on_files: the
        # formatted groups need not stay in memory while the site is written.
        _fed._inline_cache.clear()
        _fed._reference_cache.clear()
        _fed = None
    return env


def _bib_text(plugin_config, config, bibs: list[pathlib.Path]) -> str:
    """The .bib files as written. One file is the text the source checks read: the
    same string, not a second copy of it."""
    if plugin_config.bib_file is not None:
        return project_bibliography(
            config.config_file_path, plugin_config.bib_file, config.docs_dir).text
    return "\n".join(path.read_text(encoding="utf-8-sig") for path in bibs)


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
