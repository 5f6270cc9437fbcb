"""The references page lists every entry of references.bib in the site's style."""
import pytest
from bs4 import BeautifulSoup

from conftest import REPO

MARKER = "<!-- full-bibliography -->"

BIB = """\
@book{tokayev2020book,
  author = {Тоқаев, Қасым-Жомарт},
  title = {Book of {Kazakhstan} \\& Notes},
  publisher = {Publisher},
  year = {2020},
}
@article{unused2019x,
  author = {Nazarbayev, Nursultan and M{\\"u}ller, J{\\'o}zsef},
  title = {Pages <script>alert(1)</script>},
  journal = {Journal},
  pages = {143--161},
  year = {2019},
}
"""
PAGES = {
    "index.md": f"# Sources\n\nAs shown [@tokayev2020book; @unused2019x].\n\n{MARKER}\n",
    "other.md": "# Other\n\nNo list here [@tokayev2020book].\n",
}


@pytest.fixture
def built(build_site):
    site = build_site(PAGES, bib=BIB)
    assert site.ok, site.output
    return site


def full_list(site, page="index.html"):
    return BeautifulSoup(site.page(page), "html.parser").select_one("div.csl-bib-body.full-bibliography")


def test_page_without_marker_has_no_full_list(built):
    assert full_list(built, "other/index.html") is None


def test_full_list_holds_every_entry_as_a_list_item_without_back_links(built):
    listing = full_list(built)
    assert listing["role"] == "list"
    entries = listing.select("div.csl-entry")
    # In the style's order (Chicago: by author, Latin before Cyrillic), each once.
    assert [entry["id"] for entry in entries] == ["ref-unused2019x", "ref-tokayev2020book"]
    assert all(entry["role"] == "listitem" for entry in entries)
    assert listing.select("a.reference-backref") == []


@pytest.mark.parametrize(
    "expected",
    [
        "Тоқаев, Қасым-Жомарт",
        "József Müller",
        "</span> &amp; Notes",
        "&lt;Script&gt;alert(1)",
        "143–61",
    ],
)
def test_every_entry_is_formatted_and_escaped(built, expected):
    listing = str(full_list(built))
    assert expected in listing
    assert "<script>" not in listing


def test_editing_the_bib_changes_the_list(build_site):
    before = build_site(PAGES, bib=BIB)
    assert "Publisher" in str(full_list(before))
    after = build_site(PAGES, bib=BIB.replace("Publisher", "Other House"))
    assert after.ok, after.output
    assert "Other House" in str(full_list(after)) and "Publisher" not in str(full_list(after))


def test_real_references_page_has_the_marker():
    assert MARKER in (REPO / "docs" / "references.md").read_text(encoding="utf-8")


def test_search_indexes_the_text_without_the_page_reference_list(build_site):
    import json

    site = build_site({"index.md": "# T\n\nA claim about learning [@a].\n"},
                      bib="@book{a, author={Ab, Cd}, title={Unmistakable Title}, publisher={P}, "
                          "year={2020}}\n")
    assert site.ok, site.output
    assert 'class="references"' in site.page("index.html")
    texts = " ".join(doc["text"] for doc in json.loads(site.page("search/search_index.json"))["docs"])
    # The citation is indexed as its text.
    assert "A claim about learning (Ab 2020)." in texts
    assert "Unmistakable Title" not in texts
    # The page as written keeps both.
    assert 'class="citation"' in site.page("index.html")


@pytest.mark.parametrize(("fields", "shown"), [
    pytest.param("type={Policy memo}, institution={I}, year={2022}, month=may",
                 "Published May 2022.", id="report_month_the_style_leaves_out"),
    pytest.param("type={Policy memo}, institution={I}, date={2019-10}",
                 "Published October 2019.", id="report_date_with_a_month"),
    pytest.param("type={Policy memo}, institution={I}, year={2022}, note={A note the style does not print.}",
                 "A note the style does not print.", id="note"),
    pytest.param("type={Policy memo}, institution={I}, year={2022}", None, id="year_alone"),
])
def test_the_full_list_shows_what_the_style_leaves_out_of_an_entry(build_site, fields, shown):
    bib = f"@report{{r, author={{Ab, Cd}}, title={{T}}, {fields}}}\n"
    site = build_site({"index.md": "# Home\n\nA claim [@r].\n",
                       "all.md": "# All\n\n<!-- full-bibliography -->\n"}, bib=bib)
    assert site.ok, site.output
    note = BeautifulSoup(site.page("all/index.html"), "html.parser").select_one("#ref-r .csl-note")
    assert (note.get_text() if note else None) == shown
