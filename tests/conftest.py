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
    # MkDocs keeps one mkdocs-bibtex object per process (as `mkdocs serve` does), and
    # it skips reading a .bib older than its last configuration, even another file:
    # every build of a test reads its own bibliography.
    cfg.plugins["bibtex"].last_configured = None
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
    mkdocs.yml; ``bibtex`` entries override the bibtex plugin's settings. ``dirty=True``
    rebuilds the site as ``mkdocs serve --dirty`` does, not strict (MkDocs warns on
    every dirty build): only pages written since the last build are read and written.
    """
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    def _build(pages: dict[str, str], bib: str = "", *, config=None, bibtex=None,
               dirty: bool = False) -> BuiltSite:
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
        cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=not dirty, **overrides)
        # load_config ignores None overrides; a tiny site lists its pages by itself.
        cfg["nav"] = (config or {}).get("nav")
        bibtex_config = cfg.plugins["bibtex"].config
        bibtex_config.bib_file = str(bib_path)
        for key, value in (bibtex or {}).items():
            setattr(bibtex_config, key, value)
        return build_and_capture(cfg, site_dir, dirty=dirty)

    return _build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> BuiltSite:
    """The repository's own site, built once per test session with ``--strict``."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = tmp_path_factory.mktemp("real-site")
    cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
    return build_and_capture(cfg, site_dir)


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
            "site_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\n"
            f"strict: {str(strict).lower()}\n"
            "plugins:\n  - search\n  - bibtex:\n      bib_file: references.bib\n"
            "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [!relative $config_dir]\n",
            encoding="utf-8",
        )
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
