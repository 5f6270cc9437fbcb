"""The benchmark's corpus generator: same seed, same bytes; its text builds; and the
builds ``bench/build_one.py`` sets up: plain, the project's, ``make check``'s."""

from __future__ import annotations

import pathlib
import re
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import build_one
import corpus


def test_same_seed_gives_the_same_bytes():
    assert corpus.generate(4, 20, seed=7) == corpus.generate(4, 20, seed=7)


def test_another_seed_gives_another_corpus():
    assert corpus.generate(4, 20, seed=7) != corpus.generate(4, 20, seed=8)


def test_every_reference_is_cited():
    generated = corpus.generate(5, 40)
    keys = set(re.findall(r"^@\w+\{([^,]+),", generated.bib, re.MULTILINE))
    cited = set(re.findall(r"@([\w-]+)[\];,]", "".join(generated.pages.values())))
    assert len(keys) == 40
    assert keys <= cited


def test_corpus_has_every_citation_form_and_footnotes():
    text = "".join(corpus.generate(5, 40).pages.values())
    assert re.search(r"\[@[\w-]+\]", text)  # [@a]
    assert re.search(r"\[@[\w-]+, \d+\]", text)  # [@a, 12]
    assert re.search(r"\[@[\w-]+; @[\w-]+\]", text)  # [@a; @b]
    assert re.search(r"^\[\^n\d+\]: ", text, re.MULTILINE)
    assert re.search(r"^## .* \{#ch\d+-s\d+\}$", text, re.MULTILINE)


def test_tiny_corpus_builds_with_the_project_config(build_site):
    generated = corpus.generate(*corpus.SIZES["tiny"])
    site = build_site(generated.pages, bib=generated.bib)
    assert site.ok, site.output
    for name in generated.pages:
        if name.startswith("chapter-"):
            html = site.page(name.replace(".md", "/index.html"))
            # Every citation group became text linked to the page's reference list:
            # none is left as typed.
            assert "[@" not in html
            assert 'class="citation"' in html
            assert 'class="csl-entry"' in html


def test_plain_mode_is_mkdocs_and_material_alone(tmp_path):
    generated = corpus.generate(*corpus.SIZES["tiny"])
    generated.write(tmp_path / "tiny")
    config = build_one.load("plain", tmp_path / "tiny", tmp_path / "site", generated=True)
    assert list(config.plugins) == ["material/search"]
    assert config.theme.name == "material"
    assert not config.theme.custom_dir


def test_project_mode_reads_the_corpus_bibliography_with_every_hook(tmp_path):
    from scholarly.check import bibliography_path

    generated = corpus.generate(*corpus.SIZES["tiny"])
    generated.write(tmp_path / "tiny")
    config = build_one.load("project", tmp_path / "tiny", tmp_path / "site", generated=True)
    hooks = {name.rsplit("/", 1)[-1] for name in config.plugins if name.endswith(".py")}
    assert {"citations.py", "bibliography.py", "citable.py"} <= hooks
    assert bibliography_path(config) == tmp_path / "tiny" / "references.bib"
    assert config.strict


def test_check_mode_reads_a_corpus_config_made_for_it(tmp_path):
    from mkdocs.config import load_config

    from scholarly.check import bibliography_path, check_sources

    generated = corpus.generate(*corpus.SIZES["tiny"])
    root = tmp_path / "tiny"
    generated.write(root)
    config_file = build_one.corpus_config(root)
    config = load_config(str(config_file))
    assert pathlib.Path(config.docs_dir) == root / "docs"
    assert bibliography_path(config) == root / "references.bib"
    # The generated text is clean: every key it cites is in its .bib, and each is cited.
    assert check_sources(config_file) == []
