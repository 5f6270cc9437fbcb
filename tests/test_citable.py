"""Cite this page / section: boxes, meta tags, JSON-LD and downloads on a tiny site."""
from __future__ import annotations

import json

import jsonschema
import pytest
import rispy
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from conftest import FIXTURES, PUBLIC_URL
from scholarly.cite_box import headings_without_id

CSL_SCHEMA = json.loads((FIXTURES / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
BIB = """\
@article{hall2017learning,
  author  = {Hall, Stephen G. F. and Ambrosio, Thomas},
  title   = {Authoritarian Learning: A Conceptual Overview},
  journal = {East European Politics},
  volume  = {33}, number = {2}, pages = {143--161}, year = {2017},
}
@report{junisbai2022limits,
  author = {Junisbai, Azamat},
  title  = {The Limits of Authoritarian Learning},
  institution = {PONARS Eurasia}, year = {2022},
}
"""
CHAPTER = """\
---
description: A chapter.
---
# The coup attempt

Intro [@junisbai2022limits].

## Who led it {#who-led}

Hall and Ambrosio [@hall2017learning, 145].

### The security services {#security-services}

Text.
"""
BASE = PUBLIC_URL + "chapter/"


_BUILT = []


@pytest.fixture
def built(build_site):
    """One build of the tiny site, shared by the read-only checks below (it is slow)."""
    if not _BUILT:
        _BUILT.append(build_site({"index.md": "# Home\n", "chapter.md": CHAPTER}, bib=BIB,
                                 public_url=PUBLIC_URL))
    assert _BUILT[0].ok, _BUILT[0].output
    return _BUILT[0]


def meta(soup, name):
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def site_citation():
    from conftest import REPO
    from scholarly.site_citation import parse_citation_cff

    return parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))[0]


def test_highwire_and_dublin_core_tags_carry_the_page_record(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    site = site_citation()
    assert meta(soup, "citation_title") == ["The coup attempt"]
    # A person as "Given Family"; an organisation's name kept whole by a comma after it.
    assert meta(soup, "citation_author") == [
        person.display if person.given else f"{person.family}," for person in site.authors]
    assert meta(soup, "citation_journal_title") == []
    assert meta(soup, "citation_public_url") == [BASE]
    assert meta(soup, "citation_language") == ["en"]
    assert meta(soup, "citation_publication_date")[0].count("/") == 2
    assert meta(soup, "DC.creator") == [person.inverted for person in site.authors]
    assert meta(soup, "DC.identifier") == [BASE]
    assert len(soup.find_all("link", rel="canonical")) == 1


def test_every_citation_reference_is_a_source_the_page_cites(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    references = meta(soup, "citation_reference")
    bib = parse_string(BIB, "bibtex").entries
    # The keys the page's rendered citations link to, as a reader follows them.
    keys = {key for span in soup.select("span.citation") for key in span["data-cites"].split()}
    cited_titles = {bib[key].fields["title"] for key in keys}
    titles = {ref.split(";")[0].removeprefix("citation_title=") for ref in references}
    assert titles == cited_titles == {"Authoritarian Learning: A Conceptual Overview",
                                      "The Limits of Authoritarian Learning"}


def test_json_ld_is_a_web_page_of_the_site(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    [script] = soup.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    site = site_citation()
    assert data["@type"] == "WebPage"
    assert data["headline"] == "The coup attempt"
    assert data["url"] == BASE
    assert data["author"] == [{"@type": "Person" if person.given else "Organization", "name": person.display}
                              for person in site.authors]
    assert data["isPartOf"]["@type"] == "WebSite"
    assert data["isPartOf"]["name"] == site.title
    if site.basis:  # an edition of another work
        assert data["isBasedOn"]["name"] == site.basis["title"]
    else:
        assert "isBasedOn" not in data
    assert len(data["citation"]) == 2


def test_every_section_has_a_cite_box_with_its_fragment_url_in_its_chapter(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    site = site_citation()
    for fragment, title in (("who-led", "Who Led It"), ("security-services", "The Security Services")):
        box = soup.find("details", attrs={"data-section": fragment})
        text = box.get_text(" ")
        assert f"“{title}.”" in text
        assert f"{BASE}#{fragment}" in text
        # Section, chapter, edition: no dash joining the two containers.
        chicago = box.find("p", class_="citable-copy").get_text()
        assert f"The Coup Attempt, {site.title}" in chicago
        assert " — " not in chicago
        assert [dt.get_text() for dt in box.find_all("dt")] == ["Chicago", "APA", "MLA"]
        assert [label.get_text().split()[0] for label in box.select(".citable-record-label")] == [
            "BibTeX", "RIS", "CSL-JSON"]
        assert [a["href"] for a in box.select(".citable-record-label a")] == [
            f"cite/{fragment}.bib", f"cite/{fragment}.ris"]


def test_no_citation_holds_a_placeholder_and_the_access_date_is_the_scripts(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    texts = [block.get_text() for block in soup.select(".citable-copy")]
    assert texts and not [text for text in texts if "[date]" in text or "Accessed" in text]
    with_access = soup.select(".citable-copy[data-accessed]")
    assert with_access and all("{accessed}" in block["data-accessed"] for block in with_access)
    forms = json.loads(soup.find("script", id="citable-access-dates").string)
    assert forms["Chicago"][0] == "January 22, 1111"
    assert len(forms["MLA"]) == 12 and all("1111" in form for form in forms["MLA"])


def test_a_build_without_a_public_address_is_a_preview_that_names_no_address(build_site):
    site = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER}, bib=BIB)
    assert site.ok, site.output
    page = site.page("chapter/index.html")
    soup = BeautifulSoup(page, "html.parser")
    boxes = soup.select(".citable")
    assert boxes and all(box.find(class_="citable-preview") for box in boxes)
    assert "127.0.0.1" not in page and "localhost" not in page
    assert meta(soup, "citation_public_url") == [] and soup.find("link", rel="canonical") is None


def test_page_shows_version_and_last_change(built):
    soup = BeautifulSoup(built.page("chapter/index.html"), "html.parser")
    line = soup.find("p", class_="citable-version").get_text()
    assert line.startswith(f"Version {site_citation().version} (released ")
    assert soup.find("aside", class_="citable-page").find("h2").get_text() == "Cite this page"


def test_each_section_has_its_own_files(built):
    folder = built.site_dir / "chapter" / "cite"
    [entry] = rispy.loads((folder / "who-led.ris").read_text(encoding="utf-8"))
    assert (entry["type_of_reference"], entry["title"], entry["urls"]) == (
        "ELEC", "Who led it", [f"{BASE}#who-led"])
    assert set(parse_string((folder / "who-led.bib").read_text(encoding="utf-8"), "bibtex").entries) == {
        "chapter:who-led"}
    [entry] = rispy.loads((folder / "security-services.ris").read_text(encoding="utf-8"))
    assert entry["urls"] == [f"{BASE}#security-services"]


def test_downloads_parse_and_hold_every_section(built):
    folder = built.site_dir / "chapter"
    bib = parse_string((folder / "citation.bib").read_text(encoding="utf-8"), "bibtex")
    assert bib.entries["chapter:who-led"].fields["url"] == f"{BASE}#who-led"
    assert bib.entries["chapter:security-services"].fields["title"] == "The security services"
    ris = rispy.loads((folder / "citation.ris").read_text(encoding="utf-8"))
    assert [entry["urls"] for entry in ris] == [[BASE], [f"{BASE}#who-led"], [f"{BASE}#security-services"]]
    records = json.loads((folder / "citation.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(records)
    assert [r["title"] for r in records] == ["The coup attempt", "Who led it", "The security services"]


def test_whole_bibliography_is_downloadable(built):
    folder = built.site_dir / "downloads"
    assert set(parse_string((folder / "references.bib").read_text(encoding="utf-8"), "bibtex").entries) == {
        "hall2017learning", "junisbai2022limits"}
    records = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(records)
    assert len(rispy.loads((folder / "references.ris").read_text(encoding="utf-8"))) == 2


def test_heading_without_id_fails_the_build_at_its_source_line(build_site):
    site = build_site({"index.md": "---\ntitle: Home\n---\n# Home\n\n## Who led it\n"})
    assert not site.ok
    assert ("docs/index.md:6:1: error: heading 'Who led it' has no explicit id, so its section URL "
            "is not stable — write it as: ## Who led it {#who-led-it}") in site.output


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("## A {#a}\n### B {: #b .x}\n", []),
        ("```\n## not a heading\n```\n", []),
        ("# Title\n\n### Deep\n",
         [("docs/x.md:3:1: error: heading 'Deep' has no explicit id, so its section URL is not "
          "stable — write it as: ### Deep {#deep}")]),
    ],
)
def test_headings_without_id(markdown, expected):
    assert [str(d) for d in headings_without_id(markdown, "docs/x.md")] == expected


def test_heading_without_id_is_reported_at_its_source_line_after_front_matter(build_site):
    site = build_site({"index.md": "---\ntitle: T\n---\n\n# T\n\nText.\n\n## No id\n"})
    assert not site.ok
    assert ("docs/index.md:9:1: error: heading 'No id' has no explicit id, so its section URL "
            "is not stable — write it as: ## No id {#no-id}") in site.output


def test_dirty_rebuild_rewrites_the_changed_pages_downloads_and_keeps_the_others(build_site, monkeypatch):
    from scholarly import build_mode

    first = build_site({"index.md": "# Home\n\n## Welcome {#welcome}\n", "chapter.md": CHAPTER}, bib=BIB)
    assert first.ok, first.output
    home_downloads = {name: (first.site_dir / name).read_bytes()
                      for name in ("citation.bib", "citation.ris", "citation.json")}
    monkeypatch.setattr(build_mode, "dirty", True)
    rebuilt = build_site({"chapter.md": CHAPTER + "\n## Aftermath {#aftermath}\n\nText.\n"}, bib=BIB, dirty=True)
    assert rebuilt.ok, rebuilt.output
    folder = rebuilt.site_dir / "chapter"
    assert "chapter:aftermath" in parse_string((folder / "citation.bib").read_text(encoding="utf-8"), "bibtex").entries
    assert [r["id"] for r in json.loads((folder / "citation.json").read_text(encoding="utf-8"))] == [
        "chapter", "chapter:who-led", "chapter:security-services", "chapter:aftermath"]
    assert [entry["id"] for entry in rispy.loads((folder / "citation.ris").read_text(encoding="utf-8"))][-1] == (
        "chapter:aftermath")
    assert {name: (rebuilt.site_dir / name).read_bytes() for name in home_downloads} == home_downloads
    assert (rebuilt.site_dir / "downloads" / "references.json").is_file()


def test_warm_build_writes_the_same_bibliography_without_converting_it(build_site, monkeypatch, tmp_path):
    from scholarly import citation_formats

    monkeypatch.setenv("SCHOLARLY_CACHE_DIR", str(tmp_path / "cache"))
    pages = {"index.md": "# Home\n", "chapter.md": CHAPTER}
    cold = build_site(pages, bib=BIB)
    assert cold.ok, cold.output
    names = ("downloads/references.ris", "downloads/references.json", "chapter/index.html")
    written = {name: (cold.site_dir / name).read_bytes() for name in names}

    def no_conversion(bibtex):
        raise AssertionError("references.bib converted again")

    monkeypatch.setattr(citation_formats, "bibtex_to_csl", no_conversion)
    warm = build_site(pages, bib=BIB)
    assert warm.ok, warm.output
    assert {name: (warm.site_dir / name).read_bytes() for name in names} == written


def test_a_comment_holding_an_address_builds_and_titles_come_through(build_site):
    # biblatex reads this file; pybtex refuses the '@' in the comment.
    bib = ("@comment{ written by someone@example.org }\n"
           "@book{a, author={Ab, Cd}, title={The {OSCE} Title}, publisher={P}, year={2020}}\n")
    site = build_site({"index.md": "# T\n\nA claim [@a].\n"}, bib=bib)
    assert site.ok, site.output
    assert 'citation_reference" content="citation_title=The OSCE Title;' in site.page("index.html")


def test_a_bib_pandoc_cannot_convert_is_a_located_error_not_a_traceback(build_site, monkeypatch):
    from scholarly import pandoc

    run = pandoc.run

    def failing_to_convert(task, **request):
        if task == "csljson":
            raise pandoc.PandocError("unexpected end of input")
        return run(task, **request)

    monkeypatch.setattr(pandoc, "run", failing_to_convert)
    bib = "@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n"
    site = build_site({"index.md": "# T\n\nA claim [@a].\n"}, bib=bib)
    assert not site.ok
    assert "Traceback" not in site.output
    assert ("references.bib:1:1: error: the file cannot be converted: unexpected end of input "
            "— correct the entry the message names") in site.output.splitlines()


def test_every_export_says_what_the_edition_is_based_on(built):
    # CITATION.cff's abstract, which names the work an edition is based on, is each
    # record's note; without an abstract there is no note.
    note = site_citation().abstract or None
    folder = built.site_dir / "chapter"
    for entry in parse_string((folder / "citation.bib").read_text(encoding="utf-8"), "bibtex").entries.values():
        assert entry.fields.get("note") == note
    assert all(entry.get("notes") == ([note] if note else None)
               for entry in rispy.loads((folder / "citation.ris").read_text(encoding="utf-8")))
    assert all(record.get("note") == note
               for record in json.loads((folder / "citation.json").read_text(encoding="utf-8")))


def test_a_dirty_rebuild_after_a_new_page_gives_every_page_the_new_navigation(build_site, monkeypatch):
    from scholarly import build_mode

    nav = {"nav": ["index.md", "chapter.md", "print.md"]}
    first = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER}, bib=BIB, config=nav)
    assert first.ok, first.output
    monkeypatch.setattr(build_mode, "dirty", True)
    rebuilt = build_site({"added.md": "# Added\n\nText.\n"}, bib=BIB, dirty=True,
                         config={"nav": ["index.md", "chapter.md", "added.md", "print.md"]})
    assert rebuilt.ok, rebuilt.output
    # The home page was not edited, yet its navigation lists the new page.
    assert 'href="added/"' in rebuilt.page("index.html")


def test_a_missing_citation_file_stops_the_build_with_the_checks_message(build_site, tmp_path):
    site = build_site({"index.md": "# Home\n"}, extra={"citation_file": str(tmp_path / "NONE.cff")})
    assert not site.ok
    assert site.output.endswith("NONE.cff:1:1: error: CITATION.cff is missing; the site's citations "
                                "come from it — add one (README: \"Cite this site\")")
