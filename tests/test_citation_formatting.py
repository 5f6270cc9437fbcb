"""The site's citations and bibliography formatted in runs read as one run over the
whole bibliography would have them: same texts, same disambiguation, same order."""
from __future__ import annotations

import pathlib
import re
import sys
import tempfile
import time

import pypandoc
import pytest

from conftest import REPO
from scholarly import citation_formatting, pandoc
from scholarly.bibliography import parse_bibliography
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
# Read by the project's own reader: every key, in the file's order, and each entry's
# first author, which orders the runs.
ENTRIES = parse_bibliography(BIB).entries
KEYS = list(ENTRIES)


@pytest.mark.parametrize("run_length", [1, 7])
def test_the_bibliography_in_short_runs_is_the_bibliography_in_one(run_length):
    one = pandoc.run("bibliography", bibtex=BIB, csl=str(CSL), run_length=10_000)["entries"]
    runs = pandoc.run("bibliography", bibtex=BIB, csl=str(CSL), run_length=run_length)["entries"]
    assert runs == one
    assert any("2022a" in entry["html"] for entry in one)


def test_citations_in_short_runs_read_as_in_one(tmp_path, monkeypatch):
    groups = [f"[@{key}]" for key in KEYS] + [f"[@{a}; @{b}, p. 4]" for a, b in zip(KEYS, KEYS[3:])]
    one = citation_formatting.format_site(BIB, CSL, groups, None)
    monkeypatch.setattr(citation_formatting, "RUN_LENGTH", 3)
    monkeypatch.setattr(citation_formatting, "CUT_EVERY", 3)
    short = citation_formatting.format_site(BIB, CSL, groups, tmp_path)
    assert len(citation_formatting.runs(groups)) > 10
    assert short.groups == one.groups
    assert short.entries == one.entries


def test_citations_read_as_pandoc_citeproc_writes_them_in_one_document(tmp_path):
    # pandoc's own command line, the style file as published: the runs, the entries
    # they also cite and the copy of the style they are given change no citation.
    groups = [f"[@{key}]" for key in KEYS] + [f"[see @{a}, chap. 2; @{b}]" for a, b in zip(KEYS, KEYS[5:])]
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    document = pypandoc.convert_text(
        "\n\n".join(groups), "html", format="markdown",
        extra_args=["--citeproc", f"--csl={CSL}", f"--bibliography={tmp_path / 'references.bib'}",
                    "--metadata=link-citations:true", "--wrap=none"])
    paragraphs = re.findall(r"<p>(.*?)</p>", document.split('<div id="refs"')[0], re.DOTALL)
    first_names = {key: entry.first_name for key, entry in ENTRIES.items()}
    formatted = citation_formatting.format_site(BIB, CSL, groups, None, first_names)
    assert [formatted.groups[group] for group in groups] == paragraphs
    assert any("2022a" in paragraph for paragraph in paragraphs)


def test_formatting_leaves_no_file_behind():
    before = set(pathlib.Path(tempfile.gettempdir()).glob("lua_*"))
    citation_formatting.format_site(BIB, CSL, ["[@one2022]"], None)
    pandoc.run("bibliography", bibtex=BIB, csl=str(CSL), run_length=7)
    # Another test's pandoc may hold a copy for a moment: what is left must go.
    for _ in range(20):
        left = set(pathlib.Path(tempfile.gettempdir()).glob("lua_*")) - before
        if not left:
            break
        time.sleep(0.1)
    assert not left


def test_mkdocs_bibtex_is_neither_pinned_nor_installed():
    import importlib.util

    pins = "".join((REPO / name).read_text(encoding="utf-8").lower()
                   for name in ("requirements.txt", "requirements-dev.txt", "constraints.txt"))
    assert "mkdocs-bibtex" not in pins
    assert importlib.util.find_spec("mkdocs_bibtex") is None
