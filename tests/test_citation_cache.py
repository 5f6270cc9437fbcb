"""hooks/citation_cache.py: every citation group formatted before the pages, in few pandoc runs,
from the .bib as written, and not again on a rebuild of the same sources."""

from __future__ import annotations

import math

import pytest
from mkdocs_bibtex.registry import PandocRegistry

import citation_cache

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


def test_runs_hold_at_most_run_length_groups(build_site, pandoc_runs):
    groups = citation_cache.RUN_LENGTH + 5
    text = "# Many\n\n" + " ".join(f"Page [@hall2017, {n}]." for n in range(1, groups))
    text += " And [@canas2001]."
    site = build_site({"index.md": text}, bib=BIB)
    assert site.ok, site.output
    assert [len(run) for run in pandoc_runs] == [citation_cache.RUN_LENGTH, 5]
    assert len(pandoc_runs) == math.ceil(groups / citation_cache.RUN_LENGTH)


def test_rebuild_of_the_same_sources_starts_no_pandoc(build_site, pandoc_runs):
    assert build_site(PAGES, bib=BIB).ok
    pandoc_runs.clear()
    # The .bib is written again (a newer file, same bytes): mkdocs-bibtex reparses it.
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    assert pandoc_runs == []


def test_latex_accents_reach_pandoc_as_written(build_site):
    site = build_site(PAGES, bib=BIB)
    html = site.page("index.html")
    assert "(Cañas 2001, 12)" in html
    assert "textasciitilde" not in html
