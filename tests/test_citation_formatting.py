"""The site's citations and bibliography formatted in runs read as one run over the
whole bibliography would have them: same texts, same disambiguation, same order."""
from __future__ import annotations

import sys

import pytest

from conftest import REPO
from scholarly import citation_formatting, pandoc
from scholarly.citation_formats import STYLE_DIR

sys.path.insert(0, str(REPO / "bench"))
import corpus

CSL = STYLE_DIR / "chicago-author-date.csl"
# Two reports of one outlet in one year ("Reuters 2022a", "2022b") among the corpus's
# authors, several of whom share a surname.
# Two works of one author in one year: the bibliography tells them apart (2022a, 2022b).
SAME_AUTHOR_AND_YEAR = ("@book{one2022, author = {Writer, Ann}, title = {One}, year = {2022}}\n"
                        "@book{two2022, author = {Writer, Ann}, title = {Two}, year = {2022}}\n")
BIB = SAME_AUTHOR_AND_YEAR + corpus.generate(3, 40, seed=5).bib


@pytest.mark.parametrize("run_length", [1, 7])
def test_the_bibliography_in_short_runs_is_the_bibliography_in_one(run_length):
    one = pandoc.run("bibliography", bibtex=BIB, csl=str(CSL), run_length=10_000)["entries"]
    runs = pandoc.run("bibliography", bibtex=BIB, csl=str(CSL), run_length=run_length)["entries"]
    assert runs == one
    assert any("2022a" in entry["html"] for entry in one)


def test_citations_in_short_runs_read_as_in_one(tmp_path, monkeypatch):
    keys = [line.split("{", 1)[1].split(",", 1)[0] for line in BIB.splitlines()
            if line.startswith("@") and not line.lower().startswith(("@string", "@comment"))]
    groups = [f"[@{key}]" for key in keys] + [f"[@{a}; @{b}, p. 4]" for a, b in zip(keys, keys[3:])]
    one = citation_formatting.format_site(BIB, CSL, groups, None)
    monkeypatch.setattr(citation_formatting, "RUN_LENGTH", 3)
    monkeypatch.setattr(citation_formatting, "CUT_EVERY", 3)
    short = citation_formatting.format_site(BIB, CSL, groups, tmp_path)
    assert len(citation_formatting.runs(groups)) > 10
    assert short.groups == one.groups
    assert short.entries == one.entries


def test_mkdocs_bibtex_is_neither_pinned_nor_installed():
    import importlib.util

    pins = "".join((REPO / name).read_text(encoding="utf-8").lower()
                   for name in ("requirements.txt", "requirements-dev.txt", "constraints.txt"))
    assert "mkdocs-bibtex" not in pins
    assert importlib.util.find_spec("mkdocs_bibtex") is None
