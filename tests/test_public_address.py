"""The address a build's citations give: CITATION.cff's url, agreed with site_url."""
from __future__ import annotations

import pytest

from conftest import PUBLIC_URL
from scholarly.public_address import Address, public_address

STATED = PUBLIC_URL


@pytest.mark.parametrize(
    ("stated", "built_for", "serving", "expected"),
    [
        pytest.param(STATED, None, False, Address(STATED), id="stated_only"),
        pytest.param("https://example.org/edition", None, False, Address(STATED), id="stated_without_slash"),
        pytest.param(STATED, STATED, False, Address(STATED), id="published_where_stated"),
        pytest.param("", None, False, Address(None), id="preview"),
        pytest.param("", "http://127.0.0.1:8000/", True, Address("http://127.0.0.1:8000/"), id="serve"),
        pytest.param(STATED, "http://127.0.0.1:8000/", True, Address("http://127.0.0.1:8000/"),
                     id="serve_with_a_stated_address"),
        pytest.param(STATED, "https://someone.github.io/repo/", False, Address(None, (
            "url https://example.org/edition/ is not the address the site is built for, "
            "https://someone.github.io/repo/ (site_url, or SITE_URL): its citations would send "
            "readers elsewhere — make the two agree")), id="published_elsewhere"),
        pytest.param("", "https://someone.github.io/repo/", False, Address(None, (
            "no url, and the site is built for https://someone.github.io/repo/: add "
            'url: "https://someone.github.io/repo/", which states the address the site\'s '
            "citations give")), id="published_without_a_stated_address"),
    ],
)
def test_public_address(stated, built_for, serving, expected):
    assert public_address(stated, built_for, serving) == expected


def test_a_build_for_another_address_stops_with_the_message(build_site, monkeypatch):
    site = build_site({"index.md": "# Home\n"}, public_url=STATED,
                      config={"site_url": "https://someone.github.io/repo/"})
    assert not site.ok
    assert site.messages[-1] == (
        "CITATION.cff: url https://example.org/edition/ is not the address the site is built "
        "for, https://someone.github.io/repo/ (site_url, or SITE_URL): its citations would send "
        "readers elsewhere — make the two agree")


def test_a_published_build_gives_only_the_stated_address(build_site):
    site = build_site({"index.md": "# Home\n\n## A {#a}\n"}, public_url=STATED)
    assert site.ok, site.output
    for path in site.site_dir.rglob("*"):
        if path.suffix in (".html", ".xml", ".bib", ".ris", ".json"):
            assert "127.0.0.1" not in path.read_text(encoding="utf-8"), path
    assert f'<link rel="canonical" href="{STATED}">' in site.page("index.html")


def test_no_page_or_export_of_the_published_site_names_a_local_address(published_site):
    assert published_site.ok, published_site.output
    local = [path for path in published_site.site_dir.rglob("*")
             if path.suffix in (".html", ".xml", ".bib", ".ris", ".json")
             and ("127.0.0.1" in (text := path.read_text(encoding="utf-8")) or "localhost" in text)]
    assert local == []
    assert f'<link rel="canonical" href="{PUBLIC_URL}">' in published_site.page("index.html")
