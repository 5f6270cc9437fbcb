"""Citations and notes read in place: hover and tap show the reference or the note
(a tap neither leaves the page nor scrolls it), Escape hides it, and every note links
back to where it is cited."""

from __future__ import annotations

import re

import pytest

from .browser_site import PHONE, chapter_pages, nav_pages, page_file, serious_violations

NOTE = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.DOTALL)
PREVIEW = "#reading-preview"
LINKS = {"citation": 'a[role="doc-biblioref"]', "note": "a.footnote-ref"}


def first_page_with(site_dir, kind: str) -> str:
    for path in chapter_pages():
        html = page_file(site_dir, path).read_text(encoding="utf-8")
        if ('role="doc-biblioref"' if kind == "citation" else 'class="footnote-ref"') in html:
            return path
    pytest.fail(f"no {kind} in any chapter of the memo")


def target_text(page, link) -> str:
    """The reference or note the link leads to, as the list shows it, without back links."""
    return page.evaluate(
        """a => {
            const copy = document.getElementById(decodeURIComponent(a.hash.slice(1))).cloneNode(true);
            copy.querySelectorAll('.footnote-backref, .reference-backref').forEach(x => x.remove());
            return copy.innerText.trim();
        }""",
        link.element_handle(),
    )


@pytest.mark.parametrize("kind", ["citation", "note"])
def test_hovering_a_reference_shows_its_text_and_escape_hides_it(visit, site_dir, kind):
    page = visit(first_page_with(site_dir, kind)).page
    link = page.locator(LINKS[kind]).first
    link.hover()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert target_text(page, link) in preview.inner_text()
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")


@pytest.mark.parametrize("kind", ["citation", "note"])
def test_keyboard_focus_shows_the_text_and_escape_hides_it_keeping_focus(visit, site_dir, kind):
    page = visit(first_page_with(site_dir, kind)).page
    link = page.locator(LINKS[kind]).first
    page.keyboard.press("Shift")  # the reader is on the keyboard: focus is shown
    link.focus()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert target_text(page, link) in preview.inner_text()
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert link.evaluate("a => a === document.activeElement")


@pytest.mark.parametrize("path", chapter_pages())
def test_tapping_the_first_citation_on_a_phone_shows_it_in_place(browser, base_url, path):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + path)
        link = page.locator(LINKS["citation"]).first
        link.scroll_into_view_if_needed()
        before = page.evaluate("[window.scrollY, location.href]")
        link.tap()
        page.locator(PREVIEW).wait_for(state="visible")
        assert target_text(page, link) in page.locator(PREVIEW).inner_text()
        assert page.evaluate("[window.scrollY, location.href]") == before
    finally:
        context.close()


def test_an_open_preview_has_no_serious_accessibility_violation(visit, site_dir):
    page = visit(first_page_with(site_dir, "citation")).page
    page.locator(LINKS["citation"]).first.hover()
    page.locator(PREVIEW).wait_for(state="visible")
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", nav_pages())
def test_every_note_links_back_to_the_text(site_dir, path):
    html = page_file(site_dir, path).read_text(encoding="utf-8")
    without_backlink = [note for note, body in NOTE.findall(html) if "footnote-backref" not in body]
    assert without_backlink == []
