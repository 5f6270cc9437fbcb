"""This edition's own CITATION.cff and Contribute page."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from conftest import REPO, nav_sources
from scholarly.memo_pdf import pdf_target
from scholarly.site_citation import Person, parse_citation_cff


def test_repository_citation_cff_names_the_memo_as_preferred_citation():
    site, diagnostics = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert diagnostics == []
    # The edition's words are its contributors'; the memo's author is credited
    # through the preferred citation, never as the author of the site's sentences.
    assert site.authors == (Person("Reading edition contributors"),)
    assert site.basis["author"] == [{"family": "Junisbai", "given": "Azamat"}]
    assert site.basis["type"] == "report"
    assert site.basis["issued"] == {"date-parts": [[2022, 5]]}
    assert site.basis["URL"].startswith("https://www.ponarseurasia.org/the-limits-of-authoritarian")


def test_contribute_page_is_contributing_md_and_last_in_the_nav(real_site):
    from mkdocs.config import load_config

    assert nav_sources(load_config(config_file=str(REPO / "mkdocs.yml"))["nav"])[-1] == "contribute.md"
    soup = BeautifulSoup(real_site.page("contribute/index.html"), "html.parser")
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", contributing, flags=re.MULTILINE | re.DOTALL)
    headings = re.findall(r"^## (.+)$", prose, flags=re.MULTILINE)
    page_headings = [h2.get_text().rstrip("¶") for h2 in soup.select("article h2")]
    expected = [re.sub(r"`([^`]+)`", r"\1", heading) for heading in headings]
    assert [heading for heading in page_headings if heading in expected] == expected
    # Citation syntax shown as an example stays an example, not a citation.
    codes = [code.get_text() for code in soup.select("article td code")]
    assert "[@hall2017learning; @junisbai2020learning]" in codes


def test_the_editions_pdf_keeps_its_name(real_site):
    # mkdocs.yml keeps the name this edition's PDF has always had, so links to it work.
    title_page = (real_site.site_dir / "print" / "index.html").read_text(encoding="utf-8")
    assert pdf_target(title_page, real_site.site_dir) == real_site.site_dir / "memo.pdf"
