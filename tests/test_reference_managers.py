"""What reference managers save from the site: every page read as Zotero's Embedded
Metadata translator reads it (``zotero_rules``), and each section's own files read by
citation-js, as Zotero, Mendeley and EndNote import a downloaded file."""
from __future__ import annotations

import json
import subprocess

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from conftest import PUBLIC_URL, REPO, built_path, nav_sources
from scholarly.site_citation import parse_citation_cff
from zotero_rules import zotero_item

SITE = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))[0]
# How Zotero should hold each person or organisation of CITATION.cff: a person split,
# an organisation's name whole.
CREATORS = [(person.family, person.given) for person in SITE.authors]
CHAPTER = """\
# The coup attempt

Intro.

## Who led it {#who-led}

Text.
"""


def nav_pages() -> list[str]:
    config = load_config(config_file=str(REPO / "mkdocs.yml"))
    return [built_path(source) for source in nav_sources(config["nav"])]


def heading(page_html: str) -> str:
    return BeautifulSoup(page_html, "html.parser").find("h1").get_text().removesuffix("¶").strip()


@pytest.mark.parametrize("path", nav_pages())
def test_zotero_saves_every_page_as_a_web_page_of_the_edition(real_site, path):
    assert real_site.ok, real_site.output
    page = real_site.page(path)
    item = zotero_item(page)
    assert item["itemType"] == "webpage"
    assert item["creators"] == CREATORS
    # Its own heading (the home page's too, not its menu label), the whole edition's on
    # the print page.
    assert item["title"] == (SITE.title if path.startswith("print/") else heading(page))
    assert item["date"] == SITE.date_released.replace("-", "/")


def test_zotero_saves_a_published_page_at_its_public_address(build_site):
    site = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER}, public_url=PUBLIC_URL)
    assert site.ok, site.output
    assert zotero_item(site.page("chapter/index.html"))["url"] == PUBLIC_URL + "chapter/"


def read_with_citation_js(*paths) -> dict:
    done = subprocess.run(["node", str(REPO / "tests" / "readers" / "citation_js.mjs"),
                           *map(str, paths)], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


def test_citation_js_reads_a_sections_files_as_that_section_of_its_chapter(build_site):
    site = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER}, public_url=PUBLIC_URL)
    assert site.ok, site.output
    folder = site.site_dir / "chapter" / "cite"
    read = read_with_citation_js(folder / "who-led.ris", folder / "who-led.bib")
    for items in read.values():
        [item] = items
        assert item["type"] == "webpage"
        assert item["title"] == "Who led it"
        assert item["URL"] == PUBLIC_URL + "chapter/#who-led"
        # Contained in its chapter, on the edition's site.
        assert "The coup attempt" in (item.get("container-title"), item.get("collection-title"))
        assert item["publisher"] == SITE.title
        assert [name.get("literal") or name.get("family") for name in item["author"]] == [
            person.family for person in SITE.authors]
