"""Every page of the nav, opened in Chromium: clean, private, accessible, phone-sized.

Each page is visited once (``page_report``); the tests below read that one visit.
"""

from __future__ import annotations

import itertools

import pytest

from .browser_site import PHONE, chapter_pages, nav_pages, page_file

PAGES = nav_pages()
# The memo's own chapters: what a reader opens from a shared link, often on a phone.
CHAPTERS = chapter_pages()
PAGE_WEIGHT_LIMIT = 250 * 1024


@pytest.mark.parametrize("path", PAGES)
def test_page_logs_no_console_error(page_report, path):
    assert page_report(path).console_errors == []


@pytest.mark.parametrize("path", PAGES)
def test_page_requests_nothing_from_another_host(page_report, path):
    assert page_report(path).foreign_requests == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(page_report, path, scheme):
    assert page_report(path).serious_violations[scheme] == []


@pytest.mark.parametrize("path", PAGES)
def test_page_declares_english_and_has_a_skip_link(page_report, path):
    report = page_report(path)
    assert (report.lang, report.skip_links) == ("en", 1)


@pytest.mark.parametrize("path", PAGES)
def test_headings_start_at_h1_and_skip_no_level(page_report, path):
    levels = page_report(path).heading_levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert (levels[:1], skips) == ([1], [])


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_overflow(page_report, path):
    assert page_report(path).phone_scroll_width <= PHONE["width"]


@pytest.mark.parametrize("path", PAGES)
def test_phone_shows_no_empty_line_under_the_page_title(page_report, path):
    # Material's hidden permalink after a title that fills the width took a line of its own.
    assert page_report(path).phone_title_blank_below < 4


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_with_all_it_loads_transfers_at_most_250_kb(page_report, site_dir, path):
    report = page_report(path)
    as_files = sum(
        page_file(site_dir, url_path).stat().st_size for url_path in report.requested_paths
    )
    transferred = sum(report.transferred.values())
    print(
        f"{path}: {transferred / 1024:.0f} KB transferred gzip-compressed, {as_files / 1024:.0f} KB as files"
    )
    assert set(report.transferred) == set(report.requested_paths)
    assert transferred <= PAGE_WEIGHT_LIMIT, report.transferred


def test_keyboard_focus_starts_at_a_visible_skip_link(visit):
    page = visit(CHAPTERS[0]).page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """(el => ({
            skip: el.classList.contains("md-skip"),
            width: el.offsetWidth,
            outline: getComputedStyle(el).outlineStyle,
        }))(document.activeElement)"""
    )
    assert focused["skip"]
    assert focused["width"] > 0
    assert focused["outline"] != "none"
