"""This memo's chapters, as an editor reads them beside the memo: each says which of
the memo's sections it follows, and cites the memo for what a reader may check, not
after every sentence."""
from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from conftest import built_path

# The memo's parts, as it heads them (its opening has no heading).
MEMO_SECTIONS = ("opening", "You Can’t Have Your Cake and Eat It Too", "The January 2022 Coup Attempt",
                 "Unanswered Questions and Helpful Clues", "Conclusions and Questions for the Future")
MEMO_KEY = "junisbai2022limits"


def memo_chapters() -> list[str]:
    """The pages of the nav's section "The memo"."""
    from mkdocs.config import load_config

    from conftest import REPO, nav_sources

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    nav = load_config(config_file=str(REPO / "mkdocs.yml"))["nav"]
    [section] = [item["The memo"] for item in nav if isinstance(item, dict) and "The memo" in item]
    return [built_path(source) for source in nav_sources(section)]


def chapter_text(page_html: str):
    """The chapter as a reader reads it: its article without the reference list, the
    cite boxes and the version line."""
    article = BeautifulSoup(page_html, "html.parser").select_one("article")
    for extra in article.select(".references, .citable, .citable-version, .headerlink"):
        extra.decompose()
    return article


@pytest.mark.parametrize("page", memo_chapters())
def test_each_memo_chapter_names_the_memo_sections_it_follows(real_site, page):
    article = chapter_text(real_site.page(page))
    headnote = article.select_one("p.reading-headnote")
    assert headnote is not None, f"{page}: no headnote"
    assert headnote.find_previous_sibling("h1") is not None
    named = [section for section in MEMO_SECTIONS if section in headnote.get_text()]
    assert named, f"{page}: the headnote names none of the memo's sections"
    assert headnote.select(f'span.citation a[href="#ref-{MEMO_KEY}"]')


@pytest.mark.parametrize("page", memo_chapters())
def test_memo_chapters_cite_the_memo_at_most_once_per_100_words(real_site, page):
    article = chapter_text(real_site.page(page))
    memo_citations = [span for span in article.select("span.citation")
                      if MEMO_KEY in span["data-cites"].split()]
    words = len(article.get_text(" ").split())
    assert len(memo_citations) * 100 <= words, f"{page}: {len(memo_citations)} in {words} words"


@pytest.mark.parametrize("page", memo_chapters())
def test_a_memo_section_cited_as_a_locator_is_one_section(real_site, page):
    # Each locator names one of the memo's sections: "sec.", never "secs.".
    article = chapter_text(real_site.page(page))
    assert [span.get_text() for span in article.select("span.citation") if "secs." in span.get_text()] == []
