"""What the browser tests share besides fixtures: where things are, and which pages exist."""

from __future__ import annotations

import os
import pathlib

from mkdocs.config import load_config

REPO = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _nav_files(items, section: str | None) -> list[str]:
    files = []
    for item in items:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            files += _nav_files(value, None if title == section else section)
        elif section is None and value.endswith(".md"):
            files.append(value)
    return files


def nav_pages(section: str | None = None) -> list[str]:
    """The pages of mkdocs.yml's nav, or of one of its sections, as URL paths
    (``""``, ``"transition/"``)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    nav = load_config(config_file=str(REPO / "mkdocs.yml"))["nav"]
    paths = []
    for name in _nav_files(nav, section):
        stem = name.removesuffix(".md")
        paths.append("" if stem == "index" else stem.removesuffix("/index") + "/")
    return paths


def chapter_pages() -> list[str]:
    """The pages of the nav's first section: the site's chapters, whatever the section
    is called ("The memo" here)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    nav = load_config(config_file=str(REPO / "mkdocs.yml"))["nav"]
    first = next(next(iter(item)) for item in nav
                 if isinstance(item, dict) and isinstance(next(iter(item.values())), list))
    return nav_pages(section=first)


def page_file(site_dir: pathlib.Path, url_path: str) -> pathlib.Path:
    """The built file a URL path of the test server serves."""
    target = site_dir / url_path.lstrip("/")
    return target / "index.html" if url_path in ("", "/") or url_path.endswith("/") else target


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
