"""Reference notes taken out of the Markdown and written back into the HTML.

Python-Markdown's footnotes extension, with the site's own extensions, is the oracle:
for text as mkdocs-bibtex writes it, taking the notes out, converting, and putting
them back must give the page Python-Markdown gives.
"""
from __future__ import annotations

import json
import re

import markdown
import pytest
from mkdocs.config import load_config

from conftest import REPO
from scholarly.citation_notes import (
    bodies,
    put_back,
    take_notes,
    without_notes,
    without_tokens,
    write_list,
)

NOTE_IDS = frozenset({"a2010x", "b2011y"})


@pytest.fixture(scope="module")
def new_markdown():
    config = load_config(config_file=str(REPO / "mkdocs.yml"))

    def _new():
        return markdown.Markdown(extensions=config.markdown_extensions,
                                 extension_configs=config.mdx_configs)
    return _new


def _put_back(text: str, new_markdown):
    """The page's HTML as it is held until written out, and its list of reference notes."""
    body, notes = take_notes(text, NOTE_IDS)
    converter = new_markdown()

    def convert(document):
        converter.reset()
        return converter.convert(document)
    return put_back(new_markdown().convert(body), notes, bodies(list(notes.texts.values()), convert))


def _through_notes(text: str, new_markdown) -> str:
    return write_list(*_put_back(text, new_markdown))


@pytest.mark.parametrize(
    "text",
    [
        # One citation, no note of the author's.
        "Text (A 2010)[^a2010x].\n\n[^a2010x]: Aliyev. 2010. *Title*.\n",
        # The author's note first, citations numbered after it; a source cited twice.
        ("One[^n1] (A 2010)[^a2010x], two (A 2010, 4)[^a2010x].\n\n[^n1]: Own note.\n\n"
         "[^a2010x]: Aliyev. 2010. *Title*.\n"),
        # A citation inside the author's note, and two sources in one group.
        ("Text[^n1] (A 2010; B 2011)[^a2010x] [^b2011y].\n\n[^n1]: Note (A 2010)[^a2010x].\n\n"
         "[^a2010x]: Aliyev. 2010. \"Quoted -- title.\" <https://example.org/a>.\n"
         "[^b2011y]: Bekov. 2011. *OSCE Report*.\n"),
        # A note reading as a list, not a paragraph: the back link gets its own paragraph.
        "Text (A 2010)[^a2010x].\n\n[^a2010x]: 1. Odd entry.\n",
        # A citation in a heading.
        "## Heading (A 2010)[^a2010x] {#heading}\n\nText.\n\n[^a2010x]: Aliyev. 2010.\n",
    ],
    ids=["one", "duplicates-after-own-note", "in-own-note", "list-like-note", "heading"],
)
def test_notes_put_back_read_as_python_markdown_writes_them(text, new_markdown):
    assert _through_notes(text, new_markdown) == new_markdown().convert(text)


def test_repeated_citations_are_numbered_in_reading_order(new_markdown):
    # Python-Markdown numbers a repeated reference in the order it walks the tree,
    # which puts table cells after the paragraphs below them.
    text = ("| Who |\n|---|\n| A (A 2010)[^a2010x] |\n\nThen (A 2010)[^a2010x].\n\n"
            "[^a2010x]: Aliyev. 2010.\n")
    html = _through_notes(text, new_markdown)
    assert re.findall(r'<sup id="(fnref\d*):a2010x"', html) == ["fnref", "fnref2"]
    assert html.index('id="fnref:a2010x"') < html.index("Then")


def test_only_notes_named_are_taken():
    text = "Own[^n1] and cited[^a2010x].\n\n[^n1]: Own.\n[^a2010x]: Aliyev.\n"
    body, notes = take_notes(text, NOTE_IDS)
    assert "[^n1]" in body and "[^n1]: Own." in body
    assert "[^a2010x]" not in body
    assert notes.texts == {"a2010x": "Aliyev."}
    assert notes.references == ["a2010x"]


def test_a_page_without_notes_is_left_alone():
    text = "No citation [^n1].\n\n[^n1]: Own.\n"
    assert take_notes(text, NOTE_IDS)[0] == text


def test_search_reads_the_page_without_the_notes(new_markdown):
    text = "Own[^n1] (A 2010)[^a2010x].\n\n[^n1]: Own note.\n\n[^a2010x]: Aliyev. *Title*.\n"
    _, notes = take_notes(text, NOTE_IDS)
    html, _ = _put_back(text, new_markdown)
    searched = without_notes(html, list(notes.texts))
    assert "Own note." in searched and "Aliyev" not in searched
    assert 'href="#fn:n1"' in searched and 'href="#fn:a2010x"' not in searched
    assert searched.endswith("</ol>\n</div>")


def test_headings_lose_their_note_references(new_markdown):
    text = "## Heading (A 2010)[^a2010x] {#h}\n\n[^a2010x]: Aliyev.\n"
    body, _ = take_notes(text, NOTE_IDS)
    converter = new_markdown()
    converter.convert(body)
    expected = new_markdown()
    expected.convert(text)
    assert [without_tokens(t["name"]) for t in converter.toc_tokens[0:1]] == \
        [t["name"] for t in expected.toc_tokens[0:1]]


def test_built_page_keeps_notes_and_search_index_leaves_them_out(build_site):
    site = build_site(
        {"index.md": "# Home\n\nAs argued before [@a2010x, 12] and again [@a2010x].\n"},
        bib="@book{a2010x, author={Aliyev, Arman}, title={Steppe Politics},"
        " publisher={Press}, year={2010}}\n",
    )
    assert site.ok, site.output
    html = site.page("index.html")
    assert '<li id="fn:a2010x">' in html and "<em>Steppe Politics</em>" in html
    assert 'href="#fnref2:a2010x"' in html and "\ue000" not in html
    index = json.loads(site.page("search/search_index.json"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "As argued before" in text and "Steppe Politics" not in text


def test_the_list_of_reference_notes_joins_the_page_only_when_written_out(new_markdown):
    text = "Own[^n1] (A 2010)[^a2010x].\n\n[^n1]: Own note.\n\n[^a2010x]: Aliyev. *Title*.\n"
    held, reference_list = _put_back(text, new_markdown)
    assert "Aliyev" not in held
    assert [note[:3] for note in reference_list] == [("a2010x", 2, 1)]
    assert write_list(held, reference_list) == new_markdown().convert(text)


def test_a_private_use_character_of_the_authors_stays_where_it_was_written(new_markdown):
    # The list's mark is a private-use character too: the list goes at the last one.
    text = "Text \ue002 (A 2010)[^a2010x].\n\n[^a2010x]: Aliyev. 2010.\n"
    assert _through_notes(text, new_markdown) == new_markdown().convert(text)
