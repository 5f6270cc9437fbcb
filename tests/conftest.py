"""Shared fixtures: the repository's paths, and tiny sites built with the real config.

A tiny site is the real ``mkdocs.yml`` (same theme, plugins, hooks and extensions) with
its own ``docs/`` and ``references.bib`` in ``tmp_path``, built with ``--strict``.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import pathlib
import textwrap

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

REPO = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
# The engine's settings, which every site's mkdocs.yml inherits.
_REAL_CONFIG = (REPO / "mkdocs.base.yml").read_text(encoding="utf-8")
REAL_MARKDOWN_EXTENSIONS = _REAL_CONFIG[_REAL_CONFIG.index("\nmarkdown_extensions:") + 1:
                                        _REAL_CONFIG.index("\nvalidation:") + 1]


def nav_sources(items) -> list[str]:
    """Every Markdown file a nav (as mkdocs.yml writes it) lists, in order."""
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found.extend(nav_sources(value))
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


def built_path(source: str) -> str:
    """Where MkDocs writes the page of SOURCE (``a/b.md`` -> ``a/b/index.html``)."""
    stem = source.removesuffix(".md").removesuffix("index").rstrip("/")
    return f"{stem}/index.html" if stem else "index.html"


@dataclasses.dataclass
class BuiltSite:
    ok: bool
    site_dir: pathlib.Path
    # Everything MkDocs and the hooks logged at WARNING or above, as printed.
    messages: list[str]

    def page(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    @property
    def output(self) -> str:
        return "\n".join(self.messages)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # As printed: the message, and the traceback a handler would add after it.
        self.messages.append(self.format(record))


def build_and_capture(cfg, site_dir: pathlib.Path, *, dirty: bool = False) -> BuiltSite:
    """Run a build as ``mkdocs build`` would, keeping what it logged instead of exiting."""
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    try:
        build(cfg, dirty=dirty)
        ok = True
    except (Abort, ConfigurationError) as failure:
        # What `mkdocs build` prints before it exits non-zero.
        capture.messages.append(str(failure))
        ok = False
    finally:
        logger.removeHandler(capture)
    return BuiltSite(ok=ok, site_dir=site_dir, messages=capture.messages)


@pytest.fixture
def build_site(tmp_path, monkeypatch):
    """Build a tiny site: ``build_site({"index.md": "..."}, bib="...")``.

    Page texts are dedented. ``config`` entries override top-level settings of
    mkdocs.yml; ``extra`` entries override its ``extra`` settings. ``dirty=True``
    rebuilds the site as ``mkdocs serve --dirty`` does, not strict (MkDocs warns on
    every dirty build): only pages written since the last build are read and written.
    ``public_url`` is the address CITATION.cff states; without it the site is a preview
    build, with no public address.
    """
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    def _build(pages: dict[str, str], bib: str = "", *, config=None, extra=None,
               dirty: bool = False, public_url: str | None = None) -> BuiltSite:
        docs = tmp_path / "docs"
        for name, text in pages.items():
            target = docs / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        bib_path = tmp_path / "references.bib"
        bib_path.write_text(textwrap.dedent(bib).lstrip("\n"), encoding="utf-8")
        site_dir = tmp_path / "site"
        overrides = {"docs_dir": str(docs), "site_dir": str(site_dir)}
        overrides.update(config or {})
        strict = overrides.pop("strict", not dirty)
        cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=strict, **overrides)
        # load_config ignores None overrides; a tiny site lists its pages by itself.
        cfg["nav"] = (config or {}).get("nav")
        cfg.extra["bibliography"] = str(bib_path)
        if public_url:
            cfg.extra["citation_file"] = str(citation_file_stating(public_url, tmp_path))
        cfg.extra.update(extra or {})
        return build_and_capture(cfg, site_dir, dirty=dirty)

    return _build


def citation_file_stating(public_url: str, folder: pathlib.Path) -> pathlib.Path:
    """The repository's CITATION.cff, stating the address the site is published at."""
    cff = folder / "CITATION.cff"
    cff.write_text((REPO / "CITATION.cff").read_text(encoding="utf-8") + f'url: "{public_url}"\n',
                   encoding="utf-8")
    return cff


# A site's own CITATION.cff, for an original memo: the least a build accepts.
ORIGINAL_MEMO_CITATION = """\
cff-version: 1.2.0
message: Cite it as below.
title: "Water in the Aral Sea Basin"
authors:
  - family-names: Doe
    given-names: Jane
version: 1.0.0
date-released: "2026-01-15"
license: CC-BY-4.0
"""


# The address the tests publish a site at (a domain reserved for examples).
PUBLIC_URL = "https://example.org/edition/"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> BuiltSite:
    """The repository's own site as a clone builds it, once per test session with
    ``--strict``: a preview, unless CITATION.cff states the site's address."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = tmp_path_factory.mktemp("real-site")
    cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
    return build_and_capture(cfg, site_dir)


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> BuiltSite:
    """The repository's own site as published: CITATION.cff stating PUBLIC_URL."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    folder = tmp_path_factory.mktemp("published-site")
    cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=True, site_dir=str(folder / "site"))
    cfg.extra["citation_file"] = str(citation_file_stating(PUBLIC_URL, folder))
    return build_and_capture(cfg, folder / "site")


@dataclasses.dataclass
class CheckRun:
    exit_code: int
    # The report's diagnostic lines, without the closing count.
    lines: list[str]
    output: str


@pytest.fixture
def run_check(tmp_path, capsys, monkeypatch):
    """``python -m scholarly.check`` on a tiny project: ``run_check({"index.md": ...}, bib)``.

    Its mkdocs.yml has the real one's ``!ENV`` and ``!relative`` tags and ``strict``.
    """
    from scholarly import check

    # A test run on GitHub Actions must print what a local one prints.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def _run(pages: dict[str, str], bib: str = "", *, argv=(), strict=True) -> CheckRun:
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: Tiny\n"
            "site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\n"
            f"strict: {str(strict).lower()}\n"
            "plugins:\n  - search\n"
            "extra:\n  bibliography: references.bib\n  csl_style: chicago-author-date\n"
            # The site's own Markdown extensions: the check converts pages with them.
            + REAL_MARKDOWN_EXTENSIONS,
            encoding="utf-8",
        )
        (tmp_path / "CITATION.cff").write_text((REPO / "CITATION.cff").read_text(encoding="utf-8"),
                                               encoding="utf-8")
        # The real extensions append the abbreviations to every page.
        (tmp_path / "includes").mkdir(exist_ok=True)
        (tmp_path / "includes" / "abbreviations.md").touch()
        for name, text in pages.items():
            target = tmp_path / "docs" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        (tmp_path / "references.bib").write_text(textwrap.dedent(bib).lstrip("\n"), encoding="utf-8")
        capsys.readouterr()
        exit_code = check.main(["--config-file", str(tmp_path / "mkdocs.yml"), *argv])
        output = capsys.readouterr().out
        return CheckRun(exit_code, output.splitlines()[:-1], output)

    return _run
