"""Notes and citations read in place: hover, keyboard focus and touch show the note,
Escape hides it, and every note links back to where it is cited."""

from __future__ import annotations

import re

import pybtex.database
import pytest

from .browser_site import PHONE, REPO, nav_pages, page_file, serious_violations

NOTE_REF = re.compile(r'<a class="footnote-ref" href="#fn:([^"]+)"')
NOTE = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.DOTALL)
PREVIEW = ".md-tooltip2--active .md-tooltip2__inner"


def bib_keys() -> set[str]:
    return set(pybtex.database.parse_file(str(REPO / "references.bib")).entries)


def first_reference(site_dir, kind: str) -> tuple[str, str]:
    """(page path, note id) of the first citation, or hand-written note, in the memo."""
    keys = bib_keys()
    for path in nav_pages(section="The memo"):
        for note in NOTE_REF.findall(page_file(site_dir, path).read_text(encoding="utf-8")):
            if (note in keys) == (kind == "citation"):
                return path, note
    pytest.fail(f"no {kind} in any chapter of the memo")


def note_text(page, note: str) -> str:
    """The note's text as the reader sees it at the foot of the page, without back-links."""
    return page.evaluate(
        """id => {
            const copy = document.getElementById(id).cloneNode(true);
            copy.querySelectorAll('.footnote-backref').forEach(a => a.remove());
            return copy.innerText.trim();
        }""",
        f"fn:{note}",
    )


def reference_link(page, note: str):
    return page.locator(f'a.footnote-ref[href="#fn:{note}"]').first


@pytest.mark.parametrize("kind", ["citation", "note"])
def test_hovering_a_reference_shows_its_text(visit, site_dir, kind):
    path, note = first_reference(site_dir, kind)
    page = visit(path).page
    reference_link(page, note).hover()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert note_text(page, note) in preview.inner_text()


@pytest.mark.parametrize("kind", ["citation", "note"])
def test_focusing_a_reference_shows_its_text_and_escape_hides_it(visit, site_dir, kind):
    path, note = first_reference(site_dir, kind)
    page = visit(path).page
    link = reference_link(page, note)
    link.focus()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert note_text(page, note) in preview.inner_text()
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert link.evaluate("a => a === document.activeElement")


def test_tapping_a_reference_on_a_phone_reaches_the_note(browser, base_url, site_dir):
    path, note = first_reference(site_dir, "citation")
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + path)
        reference_link(page, note).tap()
        page.wait_for_url(f"**#fn:{note}")
        assert page.locator(f'[id="fn:{note}"]').is_visible()
    finally:
        context.close()


def test_an_open_preview_has_no_serious_accessibility_violation(visit, site_dir):
    path, note = first_reference(site_dir, "citation")
    page = visit(path).page
    reference_link(page, note).focus()
    page.locator(PREVIEW).wait_for(state="visible")
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", nav_pages())
def test_every_note_links_back_to_the_text(site_dir, path):
    html = page_file(site_dir, path).read_text(encoding="utf-8")
    without_backlink = [note for note, body in NOTE.findall(html) if "footnote-backref" not in body]
    assert without_backlink == []
