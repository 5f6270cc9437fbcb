"""Screenshots of one chapter in the light and dark palettes and on a phone, and of a
section's cite box opened on a phone, saved under test-artifacts/ (git-ignored) for a
person to look at."""

from __future__ import annotations

from PIL import Image, ImageStat

from .browser_site import PHONE, chapter_pages

CHAPTER = chapter_pages()[0]


def test_chapter_screenshots_light_dark_and_phone(visit, artifacts):
    name = CHAPTER.strip("/").replace("/", "-")
    shots = {
        "light": visit(CHAPTER),
        "dark": visit(CHAPTER, scheme="dark"),
        "phone": visit(CHAPTER, viewport=PHONE),
    }
    images = {}
    for label, opened in shots.items():
        target = artifacts / f"{name}-{label}.png"
        target.unlink(missing_ok=True)
        opened.page.screenshot(path=str(target), full_page=label == "phone")
        images[label] = Image.open(target).convert("L")
    assert images["phone"].width == PHONE["width"]
    # The dark palette really is dark: the average pixel is far darker than in light.
    assert ImageStat.Stat(images["dark"]).mean[0] < ImageStat.Stat(images["light"]).mean[0] / 2


def test_a_section_cite_box_on_a_phone_gives_todays_access_date(visit, artifacts):
    import datetime

    opened = visit(CHAPTER, viewport=PHONE)
    page = opened.page
    box = page.locator("details.citable-section").first
    box.locator("> summary").click()
    chicago = box.locator(".citable-copy").first.inner_text()
    today = datetime.date.today()
    assert f"Accessed {today:%B} {today.day}, {today.year}." in chicago
    assert "{accessed}" not in chicago and "[date]" not in chicago
    target = artifacts / f"{CHAPTER.strip('/')}-cite-box-phone.png"
    target.unlink(missing_ok=True)
    box.screenshot(path=str(target))
    assert box.bounding_box()["width"] <= PHONE["width"]
