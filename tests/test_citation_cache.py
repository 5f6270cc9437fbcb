"""hooks/citation_cache.py: every citation group formatted before the pages, in few pandoc runs,
from the .bib as written, and kept on disk: not formatted again for the same sources."""

from __future__ import annotations

import json
import time

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.registry import PandocRegistry

import citation_cache
from conftest import REPO
from scholarly import citation_prefetch
from scholarly.citation_prefetch import runs

BIB = """\
@book{canas2001,
  author = {Ca{\\~n}as, Ana},
  title = {Protest and Power},
  publisher = {Routledge},
  year = {2001},
}
@article{hall2017,
  author = {Hall, Stephen G. F. and Ambrosio, Thomas},
  title = {Authoritarian Learning: A Conceptual Overview},
  journal = {East European Politics},
  volume = {33},
  number = {2},
  pages = {143--161},
  year = {2017},
}
"""

PAGES = {
    "index.md": "# Home\n\nA claim [@canas2001, 12].\n",
    "one.md": "# One\n\nTwo claims [@hall2017; @canas2001] and [@hall2017, 150].\n",
}


@pytest.fixture(autouse=True)
def cache_next_to_docs(monkeypatch):
    """Each tiny site keeps its cache in its own folder, next to its docs/."""
    monkeypatch.delenv("SCHOLARLY_CACHE_DIR", raising=False)


@pytest.fixture
def pandoc_runs(monkeypatch):
    """The citation groups of each pandoc run mkdocs-bibtex makes, in order."""
    runs: list[list[str]] = []
    original = PandocRegistry._process_with_pandoc

    def counting(self, blocks):
        runs.append([str(block) for block in blocks])
        return original(self, blocks)

    monkeypatch.setattr(PandocRegistry, "_process_with_pandoc", counting)
    return runs


def test_all_groups_of_the_site_go_to_pandoc_in_one_run(build_site, pandoc_runs):
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    assert pandoc_runs == [["[@canas2001, 12]", "[@hall2017; @canas2001]", "[@hall2017, 150]"]]


def test_runs_hold_at_most_twice_run_length_groups(build_site, pandoc_runs):
    groups = 3 * citation_cache.RUN_LENGTH
    text = "# Many\n\n" + " ".join(f"Page [@hall2017, {n}]." for n in range(1, groups))
    text += " And [@canas2001]."
    site = build_site({"index.md": text}, bib=BIB)
    assert site.ok, site.output
    assert sum(len(run) for run in pandoc_runs) == groups
    assert len(pandoc_runs) > 1
    assert max(len(run) for run in pandoc_runs) <= 2 * citation_cache.RUN_LENGTH


def _groups(count, first=1):
    return [CitationBlock.from_markdown(f"[@hall2017, {n}]")[0] for n in range(first, first + count)]


def test_a_group_added_changes_only_its_own_run():
    before = runs(_groups(1000), 100)
    blocks = _groups(1000)
    blocks.insert(500, _groups(1, first=5000)[0])
    after = runs(blocks, 100)
    old = {tuple(map(str, run)) for run in before}
    new = {tuple(map(str, run)) for run in after}
    assert len(new - old) == 1
    assert len(old - new) == 1


def test_rebuild_of_the_same_sources_starts_no_pandoc(build_site, pandoc_runs):
    assert build_site(PAGES, bib=BIB).ok
    pandoc_runs.clear()
    # The .bib is written again (a newer file, same bytes): mkdocs-bibtex reparses it.
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    assert pandoc_runs == []


def test_groups_are_found_again_only_when_the_text_changed(build_site, monkeypatch):
    searches = []
    find = citation_prefetch.blocks_to_prefetch
    monkeypatch.setattr(citation_prefetch, "blocks_to_prefetch",
                        lambda *args, **kwargs: searches.append(1) or find(*args, **kwargs))
    assert build_site(PAGES, bib=BIB).ok
    assert build_site(PAGES, bib=BIB).ok
    assert len(searches) == 1
    edited = {**PAGES, "index.md": PAGES["index.md"] + "\nMore [@hall2017, 7].\n"}
    site = build_site(edited, bib=BIB)
    assert site.ok, site.output
    assert len(searches) == 2
    assert "More (Hall and Ambrosio 2017, 7)" in site.page("index.html")


def test_latex_accents_reach_pandoc_as_written(build_site):
    site = build_site(PAGES, bib=BIB)
    html = site.page("index.html")
    assert "(Cañas 2001, 12)" in html
    assert "textasciitilde" not in html


def html_pages(site):
    """The pages and the citation downloads (.bib, .ris, CSL-JSON) of a built site."""
    return {path.relative_to(site.site_dir).as_posix(): path.read_bytes()
            for path in sorted(site.site_dir.rglob("*"))
            if path.suffix in {".html", ".bib", ".ris", ".json"}}


def test_a_build_from_the_cache_writes_the_same_bytes(build_site, pandoc_runs, tmp_path):
    cold = build_site(PAGES, bib=BIB)
    assert cold.ok, cold.output
    cold_pages = html_pages(cold)
    assert (tmp_path / ".cache" / "scholarly" / "citation-runs.json").is_file()
    pandoc_runs.clear()
    warm = build_site(PAGES, bib=BIB)
    assert warm.ok, warm.output
    assert pandoc_runs == []
    assert html_pages(warm) == cold_pages


def test_an_edited_entry_is_formatted_again(build_site, pandoc_runs):
    assert build_site(PAGES, bib=BIB).ok
    pandoc_runs.clear()
    site = build_site(PAGES, bib=BIB.replace("Protest and Power", "Protest and Counterpower"))
    assert site.ok, site.output
    assert len(pandoc_runs) == 1
    assert "Protest and Counterpower" in site.page("index.html")


def _every_value_broken(text):
    stored = json.loads(text)
    return json.dumps({**stored, "entries": {key: "broken" for key in stored["entries"]}})


@pytest.mark.parametrize("break_cache", [
    lambda text: "{not json",
    lambda text: text[: len(text) // 2],
    lambda text: json.dumps(dict(json.loads(text), version="0")),
    lambda text: '{"version": "1", "entries": []}',
    _every_value_broken,
], ids=["not-json", "cut-short", "other-version", "entries-not-a-mapping", "values-broken"])
def test_an_unreadable_cache_is_formatted_again(build_site, pandoc_runs, tmp_path, break_cache):
    cold = html_pages(build_site(PAGES, bib=BIB))
    kept = [tmp_path / ".cache" / "scholarly" / f"citation-{name}.json" for name in ("runs", "answers")]
    for stored in kept:
        stored.write_text(break_cache(stored.read_text(encoding="utf-8")), encoding="utf-8")
    pandoc_runs.clear()
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    assert len(pandoc_runs) == 1
    assert html_pages(site) == cold
    assert all(json.loads(stored.read_text(encoding="utf-8"))["version"] == "1" for stored in kept)


def test_without_the_sites_answer_the_kept_runs_answer_again(build_site, pandoc_runs, tmp_path):
    cold = html_pages(build_site(PAGES, bib=BIB))
    answers = tmp_path / ".cache" / "scholarly" / "citation-answers.json"
    answers.write_text(_every_value_broken(answers.read_text(encoding="utf-8")), encoding="utf-8")
    pandoc_runs.clear()
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    assert pandoc_runs == []
    assert html_pages(site) == cold


def _dirty_rebuild(tmp_path):
    """What `mkdocs serve --dirty` does after a save: only changed pages are built."""
    # Not strict: MkDocs warns on every dirty build.
    cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=False, docs_dir=str(tmp_path / "docs"),
                      site_dir=str(tmp_path / "site"))
    cfg["nav"] = None
    cfg.plugins["bibtex"].config.bib_file = str(tmp_path / "references.bib")
    cfg.plugins["bibtex"].last_configured = None
    cfg.plugins.on_startup(command="serve", dirty=True)
    try:
        build(cfg, dirty=True)  # a failed build raises, with its diagnostics
    finally:
        # MkDocs keeps hook modules for the process: the next test's build is not dirty.
        cfg.plugins.on_startup(command="build", dirty=False)


def test_a_dirty_rebuild_formats_the_edited_page_and_keeps_the_others(build_site, tmp_path):
    assert build_site(PAGES, bib=BIB).ok
    print_page = (tmp_path / "site" / "print" / "index.html").read_bytes()
    home = (tmp_path / "site" / "index.html").read_bytes()
    time.sleep(0.05)  # the edit is newer than the first build's output
    (tmp_path / "docs" / "one.md").write_text("# One\n\nOnly [@hall2017, 151] now.\n", encoding="utf-8")
    # canas2001 is cited only on the page the dirty build does not read: not "unused".
    _dirty_rebuild(tmp_path)
    site = tmp_path / "site"
    assert "(Hall and Ambrosio 2017, 151)" in (site / "one" / "index.html").read_text(encoding="utf-8")
    assert (site / "print" / "index.html").read_bytes() == print_page
    assert (site / "index.html").read_bytes() == home
