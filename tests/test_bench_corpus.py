"""The benchmark's corpus generator: same seed, same bytes; and its text builds."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import corpus

from scholarly.citation_prefetch import bib_subset, blocks_to_prefetch, split_bibtex


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
            # Every citation group became text and a note: none is left as typed.
            assert "[@" not in html
            assert 'class="footnote"' in html


@pytest.mark.parametrize(
    "texts, known, expected",
    [
        (["[@a] and [@a]"], {"a"}, ["[@a]"]),
        (["[@a, 12]", "[@a; @b]"], {"a", "b"}, ["[@a, 12]", "[@a; @b]"]),
        # An unknown key is left to the page's own pass, which reports it.
        (["[@a; @nosuchkey]", "[@a]"], {"a"}, ["[@a]"]),
    ],
)
def test_prefetch_takes_each_group_of_known_keys_once(texts, known, expected):
    assert [str(block) for block in blocks_to_prefetch(texts, known)] == expected


def test_split_bibtex_keeps_macros_for_every_subset():
    text = (
        '@string{ponars = "PONARS Eurasia"}\n@report{a,\n  institution = ponars,\n}\n'
        "@book{b,\n  title = {B},\n}\n"
    )
    split = split_bibtex(text, ["a", "b"])
    assert (
        bib_subset(split, text, ["b"])
        == '@string{ponars = "PONARS Eurasia"}\n@book{b,\n  title = {B},\n}\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        # a subset without the parent would lose its fields
        "@book{a,\n  crossref = {b},\n}\n@book{b,\n  title = {B},\n}\n",
        # an '@' opening a line inside a value must not cut the entry
        "@book{a,\n  note = {see\n@b for more},\n}\n",
    ],
)
def test_split_bibtex_gives_up_when_unsure(text):
    assert split_bibtex(text, ["a", "b"]) is None
    assert bib_subset(None, text, ["a"]) == text


def test_renderer_mode_runs_mkdocs_bibtex_with_only_the_hooks_that_feed_it(tmp_path):
    import build_one

    generated = corpus.generate(*corpus.SIZES["tiny"])
    generated.write(tmp_path / "tiny")
    config = build_one.load("renderer", tmp_path / "tiny", tmp_path / "site", generated=True)
    hooks = sorted(name.rsplit("/", 1)[-1].removesuffix(".py")
                   for name in config.plugins if name.endswith(".py"))
    assert "bibtex" in config.plugins and "material/search" in config.plugins
    assert hooks == sorted(build_one.RENDERER_HOOKS)
