"""What a chapter looks like when printed from the browser: only the text, its notes,
and the address of every link."""

from __future__ import annotations

from .browser_site import chapter_pages, nav_pages

CHAPTER = chapter_pages()[0]
SCREEN_ONLY = [
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
]


def printed(visit, path=CHAPTER):
    page = visit(path).page
    page.emulate_media(media="print")
    return page


def test_print_shows_no_navigation(visit):
    page = printed(visit)
    shown = [s for s in SCREEN_ONLY if page.locator(s).first.is_visible()]
    assert shown == []


def test_print_keeps_the_notes_with_their_full_references(visit):
    page = printed(visit)
    notes = page.locator(".footnote li")
    assert notes.count() > 0
    assert notes.first.is_visible()


def _printed_links(visit, selector: str) -> list[list[str]]:
    """[address, what print shows after it] of the links SELECTOR finds in the text of
    every page of the nav."""
    shown = []
    for path in nav_pages():
        page = printed(visit, path)
        shown += page.evaluate(
            """selector => [...document.querySelectorAll(selector)]
                .filter(a => !a.closest('.footnote') && !a.classList.contains('reading-bare-url'))
                .map(a => [a.href, a.getAttribute('data-print-href'),
                           getComputedStyle(a, '::after').content])""", selector)
    return shown


def test_print_writes_out_the_address_of_links_in_the_text(visit):
    shown = _printed_links(visit, 'article a[href^="http"]')
    assert shown, "no page has a link in its text to print"
    assert [href for href, _, after in shown if href not in after] == []


def test_whole_memo_page_starts_each_chapter_on_a_new_sheet(visit):
    page = printed(visit, "print/")
    chapters = page.locator(".reading-chapter").count()
    breaks = page.eval_on_selector_all(
        ".reading-chapter + .reading-chapter", "cs => cs.map(c => getComputedStyle(c).breakBefore)"
    )
    assert chapters >= 2
    assert breaks == ["page"] * (chapters - 1)


def test_a_printed_chapter_says_once_how_to_cite_it_with_no_records_or_return_arrows(visit, artifacts):
    page = printed(visit)
    visible = page.evaluate(
        """() => {
          const shown = s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length;
          return {records: shown('.citable-records'), downloads: shown('.citable-downloads'),
                  sectionBoxes: shown('details.citable-section'), backrefs: shown('.footnote-backref, .reference-backref'),
                  citations: shown('.citable-page .citable-styles dd')};
        }"""
    )
    assert visible == {"records": 0, "downloads": 0, "sectionBoxes": 0, "backrefs": 0, "citations": 1}
    target = artifacts / f"{CHAPTER.strip('/')}-print.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0


def test_print_writes_out_the_public_address_of_links_to_other_pages(visit, published_site):
    from conftest import PUBLIC_URL

    shown = _printed_links(visit, "article a[data-print-href]")
    assert shown, "no page links to another"
    assert [address for _, address, after in shown
            if not address.startswith(PUBLIC_URL) or f"<{address}>" not in after] == []
