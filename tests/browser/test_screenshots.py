"""Screenshots of one chapter in the light and dark palettes and on a phone, saved
under test-artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

from PIL import Image, ImageStat

from .browser_site import PHONE, nav_pages

CHAPTER = nav_pages(section="The memo")[0]


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
