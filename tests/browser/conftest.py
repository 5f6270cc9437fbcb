"""The built site in a real browser: Debian's Chromium driven by Playwright.

The repository's site is built once per session (``real_site``), served on
127.0.0.1 by Python's http.server in a thread, and opened in Chromium from
``/usr/bin/chromium`` (``make browser-deps`` installs it). Every visit records
console errors and any request to another host; those requests are aborted, so a
test never reaches the network.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import http.server
import pathlib
import threading
from urllib.parse import urlsplit

import pytest

from .browser_site import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, serious_violations


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as static hosts such as GitHub Pages do: text gzip-compressed."""

    COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml")

    def do_GET(self):
        path = pathlib.Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in self.COMPRESSED):
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_dir(published_site) -> pathlib.Path:
    """The site as published (its cite boxes give an address), served from here."""
    if not published_site.ok:
        pytest.fail(f"the site does not build with --strict:\n{published_site.output}")
    return published_site.site_dir


@pytest.fixture(scope="session")
def base_url(site_dir):
    handler = functools.partial(_GzipHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclasses.dataclass
class Visit:
    """One page opened in a fresh browser context, with what went wrong while loading."""

    page: object
    console_errors: list[str]
    foreign_requests: list[str]
    # Same-origin URL paths the page requested, in order.
    requested_paths: list[str]
    # Bytes each finished request moved over the wire (headers and encoded body).
    transferred: dict[str, int]


def open_page(browser, url: str, *, scheme: str = "light", viewport=DESKTOP) -> Visit:
    """Open ``url`` in a new context and wait until the network is quiet."""
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    # A failing wait should fail in seconds, not after the default 30.
    context.set_default_timeout(10_000)
    errors: list[str] = []
    foreign: list[str] = []
    requested: list[str] = []

    def route(route):
        target = urlsplit(route.request.url)
        if target.hostname == "127.0.0.1":
            requested.append(target.path)
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    transferred: dict[str, int] = {}

    def finished(request):
        sizes = request.sizes()
        transferred[urlsplit(request.url).path] = (
            sizes["responseHeadersSize"] + sizes["responseBodySize"]
        )

    page.on("requestfinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return Visit(page, errors, foreign, requested, transferred)


@pytest.fixture
def visit(browser, base_url):
    """``visit("transition/", scheme="dark", viewport=PHONE)`` -> Visit, page fully loaded."""
    visits = []

    def _visit(path: str, **options) -> Visit:
        visits.append(open_page(browser, base_url + path, **options))
        return visits[-1]

    yield _visit
    for opened in visits:
        opened.page.context.close()


@dataclasses.dataclass
class PageReport:
    """What one page shows in the browser, gathered in a single visit."""

    console_errors: list[str]
    foreign_requests: list[str]
    requested_paths: list[str]
    transferred: dict[str, int]
    lang: str | None
    skip_links: int
    heading_levels: list[int]
    # "light"/"dark" -> serious or critical axe violations, one line each.
    serious_violations: dict[str, list[str]]
    phone_scroll_width: int
    # On a phone, the height of the page title's box below the last line of its words.
    phone_title_blank_below: float


# The title's words' last line box (its text, not the heading's permalink).
_TITLE_BLANK_BELOW = """h => {
  const range = document.createRange();
  const words = [...h.childNodes].filter(node => node.nodeType === Node.TEXT_NODE);
  range.setStartBefore(words[0]);
  range.setEndAfter(words[words.length - 1]);
  const lines = [...range.getClientRects()];
  return h.getBoundingClientRect().bottom - Math.max(...lines.map(line => line.bottom));
}"""


def _inspect(browser, url: str) -> PageReport:
    opened = open_page(browser, url)
    page = opened.page
    try:
        violations = {"light": serious_violations(page)}
        # The reader's own switch to the dark palette, as Material stores it.
        page.locator('label[for="__palette_1"]').click()
        page.wait_for_selector('body[data-md-color-scheme="slate"]')
        violations["dark"] = serious_violations(page)
        page.set_viewport_size(PHONE)
        return PageReport(
            console_errors=opened.console_errors,
            foreign_requests=opened.foreign_requests,
            requested_paths=opened.requested_paths,
            transferred=dict(opened.transferred),
            lang=page.locator("html").get_attribute("lang"),
            skip_links=page.locator("a.md-skip").count(),
            heading_levels=page.eval_on_selector_all(
                "article :is(h1, h2, h3, h4, h5, h6)", "hs => hs.map(h => Number(h.tagName[1]))"
            ),
            serious_violations=violations,
            phone_scroll_width=page.evaluate("document.documentElement.scrollWidth"),
            phone_title_blank_below=page.eval_on_selector("article h1", _TITLE_BLANK_BELOW),
        )
    finally:
        page.context.close()


@pytest.fixture(scope="session")
def page_report(browser, base_url):
    """``page_report("transition/")`` -> PageReport, each page visited once per session."""
    reports: dict[str, PageReport] = {}

    def _report(path: str) -> PageReport:
        if path not in reports:
            reports[path] = _inspect(browser, base_url + path)
        return reports[path]

    return _report


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
