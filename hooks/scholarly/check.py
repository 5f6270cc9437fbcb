"""``python -m scholarly.check``: every source check of the build, without building.

Reads mkdocs.yml as MkDocs does, checks references.bib (``extra.bibliography``), then
converts every Markdown page with the site's own Markdown extensions and the citation
extension, so the groups checked are the groups the site renders (pandoc is not asked
to format them: that is the build's work). Prints the same report as ``mkdocs build``
(with GitHub annotations when ``GITHUB_ACTIONS=true``) and exits 1 when the build would
fail: on any error, or on any warning when the build is strict.

The functions that locate a page's problems are the build's own (``hooks/citations.py``
and ``hooks/footnotes.py`` call them on each page MkDocs converts).
"""
from __future__ import annotations

import argparse
import bisect
import logging
import os
import pathlib
import re
import sys
from collections.abc import Mapping

from . import anchors
from .bibliography import Bibliography, load_bibliography, unused_entries
from .citation_check import RenderedPage, Source, check_rendered, literal_footnotes
from .citation_markdown import CitationExtension
from .citation_syntax import Found, mark_groups
from .diagnostics import Diagnostic, error, failing, format_report
from .empty_notes import EmptyNotesExtension
from .footnote_check import check_footnotes
from .markdown_scan import front_matter_problem, scan, strip_front_matter
from .rendered_check import read_output
from .site_citation import SiteCitation, parse_citation_cff
from .snippet_sources import included_files

DEFAULT_BIBLIOGRAPHY = "references.bib"


def display_path(path: pathlib.Path, root: pathlib.Path) -> str:
    """How a file is named in messages: relative to the project (docs_dir's parent)."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def project_root(config) -> pathlib.Path:
    return pathlib.Path(config.docs_dir).parent


def bibliography_path(config) -> pathlib.Path:
    """``extra.bibliography`` (default references.bib), relative to mkdocs.yml."""
    name = config.extra.get("bibliography") or DEFAULT_BIBLIOGRAPHY
    return pathlib.Path(config.config_file_path).parent / name


def citation_path(config) -> pathlib.Path:
    """``extra.citation_file`` (default CITATION.cff), relative to mkdocs.yml: the
    site's own citation metadata."""
    name = config.extra.get("citation_file") or "CITATION.cff"
    return pathlib.Path(config.config_file_path).parent / name


def project_bibliography(config) -> Bibliography:
    """The site's .bib, parsed once per change of the file, named relative to the project."""
    path = bibliography_path(config)
    return load_bibliography(path, display_path(path, project_root(config)))


class Positions:
    """Offsets of a text -> (line, column), 1-based; LINE_OFFSET lines precede the text.
    The lines are found when a position is first asked for: most pages have none."""

    def __init__(self, text: str, line_offset: int = 0) -> None:
        self.text = text
        self.starts: list[int] = []
        self.line_offset = line_offset

    def __call__(self, offset: int) -> tuple[int, int]:
        if not self.starts:
            self.starts = [0, *(match.end() for match in re.finditer("\n", self.text))]
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1 + self.line_offset, offset - self.starts[index] + 1


def snippet_settings(config) -> tuple[list[pathlib.Path], list[str]]:
    """pymdownx.snippets' base paths and auto-appended files, as the build uses them."""
    settings = config.mdx_configs.get("pymdownx.snippets", {}) or {}
    base = settings.get("base_path", ["."])
    base = [base] if isinstance(base, str) else list(base)
    root = pathlib.Path(config.config_file_path).parent
    return [root / str(path) for path in base], list(settings.get("auto_append", []))


def sources_outside_docs(config) -> list[pathlib.Path]:
    """Every file outside docs/ that a build reads: the bibliography, CITATION.cff, the
    anchor ledger and the files pages include (``--8<--``, and those appended to
    every page)."""
    ledger = project_root(config) / config.extra.get("anchor_ledger", "anchors.lock")
    docs_dir = pathlib.Path(config.docs_dir)
    snippets = snippet_settings(config)
    included = {found.path for page in docs_dir.rglob("*.md")
                for found in included_files(page.read_text(encoding="utf-8-sig"), *snippets)}
    return [path for path in (bibliography_path(config), citation_path(config), ledger,
                              *sorted(included)) if path.exists()]


def page_sources(body: str, line_offset: int, shown_as: str, root: pathlib.Path,
                 snippets: tuple[list[pathlib.Path], list[str]]) -> list[Source]:
    """The page's body (what MkDocs converts), then every file it includes."""
    sources = [Source(shown_as, body, Positions(body, line_offset))]
    for included in included_files(body, *snippets):
        where = (f" (in text included by {shown_as}:{included.page_line + line_offset})"
                 if included.page_line else " (in text added to every page by pymdownx.snippets)")
        sources.append(Source(display_path(included.path, root), included.text,
                              Positions(included.text), where))
    return sources


def check_converted(extension: CitationExtension, marked: list[Found],
                    sources: list[Source], keys: frozenset[str], problems: Mapping[str, str]
                    ) -> tuple[list[Diagnostic], list[str]]:
    """The citation diagnostics of a page just converted with EXTENSION from its body
    with MARKED groups, and the keys it cites in order of first citation."""
    rendered = RenderedPage(list(extension.rendered), list(extension.marks),
                            set(extension.in_tree), extension.output)
    diagnostics, cited = check_rendered(rendered, marked, sources, keys, problems)
    return diagnostics, list(dict.fromkeys(cited))


def footnote_diagnostics(body: str, line_offset: int, page_html: str,
                         sources: list[Source]) -> list[Diagnostic]:
    """The page's footnote problems; where the source shows none, any footnote reference
    the output still shows as written."""
    found = check_footnotes(scan(body, line_offset), sources[0].path)
    if not found:
        found = literal_footnotes(read_output(page_html).literal_footnotes, sources)
    return found


def _section_ids(tokens):
    for token in tokens:
        if token["level"] in (2, 3):
            yield token["id"]
        yield from _section_ids(token["children"])


def page_path(source: pathlib.Path) -> str:
    """The site path MkDocs gives the page of SOURCE (relative to docs/), with
    directory URLs: ``a.md`` -> ``/a/``, ``index.md`` -> ``/``."""
    stem = source.with_suffix("").as_posix()
    stem = stem.removesuffix("index").removesuffix("README").rstrip("/")
    return f"/{stem}/" if stem else "/"


class PageChecker:
    """Checks Markdown pages as the site converts them: its Markdown extensions and
    settings, the citation extension (asking pandoc nothing), the empty-note guard the
    footnotes hook adds, and its snippet files."""

    def __init__(self, config) -> None:
        import markdown

        self.root = project_root(config)
        self.snippets = snippet_settings(config)
        self.extension = CitationExtension(lambda text: None, lambda keys: "")
        self.converter = markdown.Markdown(
            extensions=[*config.markdown_extensions, self.extension, EmptyNotesExtension()],
            extension_configs=config.mdx_configs)

    def check(self, source: str, shown_as: str, keys: frozenset[str]
              ) -> tuple[list[Diagnostic], list[str]]:
        """Every diagnostic of one page's SOURCE (front matter included), and the keys
        it cites."""
        body, line_offset = strip_front_matter(source)
        sources = page_sources(body, line_offset, shown_as, self.root, self.snippets)
        marked_body, marked = mark_groups(body)
        page_html = self.converter.reset().convert(marked_body)
        # The page's section ids (h2, h3), as the build publishes them.
        self.section_ids = list(_section_ids(getattr(self.converter, "toc_tokens", [])))
        diagnostics, cited = check_converted(self.extension, marked, sources, keys, {})
        diagnostics.extend(footnote_diagnostics(body, line_offset, page_html, sources))
        front_matter = front_matter_problem(source, shown_as)
        if front_matter:
            diagnostics.append(front_matter)
        return diagnostics, cited


def load_site_config(config_file: pathlib.Path):
    """mkdocs.yml as MkDocs reads it, without MkDocs' own log lines, and without its
    plugins and hooks: the checks need the Markdown settings, docs_dir and extra, and
    loading the hooks (this project's own, pandoc's wrapper among them) would cost
    more than checking the memo."""
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return load_config(str(config_file), plugins=[], hooks=[])
    finally:
        logger.setLevel(level)


def setting_place(config, name: str) -> tuple[str, int, int]:
    """Where ``extra.NAME`` is set, as a diagnostic names it: the first of mkdocs.yml
    and the files it INHERITs that sets it, and the line and column of the setting;
    mkdocs.yml:1:1 when none sets it."""
    import yaml

    config_file = pathlib.Path(config.config_file_path)
    path = config_file
    for _ in range(10):  # INHERIT chains are short; a loop of them is MkDocs' to report
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (OSError, yaml.YAMLError):
            break
        mapping = ({key.value: value for key, value in root.value}
                   if isinstance(root, yaml.MappingNode) else {})
        extra = mapping.get("extra")
        if isinstance(extra, yaml.MappingNode):
            for key, _ in extra.value:
                if key.value == name:
                    return (display_path(path, config_file.parent), key.start_mark.line + 1,
                            key.start_mark.column + 1)
        parent = mapping.get("INHERIT")
        if not isinstance(parent, yaml.ScalarNode):
            break
        path = path.parent / parent.value
    return config_file.name, 1, 1


def setting_error(config, name: str, problem: str) -> Diagnostic:
    """PROBLEM with ``extra.NAME``, where it is set."""
    return error(*setting_place(config, name), f"extra.{name}: {problem}")


def settings_diagnostics(config) -> list[Diagnostic]:
    """What the build refuses in the site's settings, located: the citation style
    (``extra.csl_style``), the PDF's name (``extra.pdf_name``) and CITATION.cff."""
    from .citation_formatting import style_problem
    from .print_edition import pdf_name_problem

    found = []
    for name, problem in (("csl_style", style_problem(config.extra.get("csl_style"))),
                          ("pdf_name", pdf_name_problem(config.extra.get("pdf_name")))):
        if problem:
            found.append(setting_error(config, name, problem))
    return found + read_site_citation(config)[1]


def read_site_citation(config) -> tuple[SiteCitation | None, list[Diagnostic]]:
    """The site's CITATION.cff (``extra.citation_file``) read, or None and what is wrong
    with it, located: every hook that cites the site, and the check, read it here."""
    path = citation_path(config)
    shown = display_path(path, pathlib.Path(config.config_file_path).parent)
    if not path.is_file():
        return None, [error(shown, 1, 1, "CITATION.cff is missing; the site's citations come from it",
                            "add one (README: \"Cite this site\")")]
    return parse_citation_cff(path.read_text(encoding="utf-8"), shown)


def check_sources(config_file: pathlib.Path, config=None) -> list[Diagnostic]:
    """Every diagnostic a build of the site would report about its sources."""
    config = config or load_site_config(config_file)
    bibliography = project_bibliography(config)
    diagnostics = settings_diagnostics(config) + list(bibliography.diagnostics)
    checker = PageChecker(config)
    docs_dir = pathlib.Path(config.docs_dir)
    cited: set[str] = set()
    published: dict[str, str] = {}
    pages = sorted(p for p in docs_dir.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(docs_dir).parts))
    for path in pages:
        shown = display_path(path, checker.root)
        found, keys = checker.check(path.read_text(encoding="utf-8-sig"), shown, bibliography.keys)
        diagnostics.extend(found)
        cited.update(keys)
        site_path = page_path(path.relative_to(docs_dir))
        published[site_path] = shown
        published.update({f"{site_path}#{section}": shown for section in checker.section_ids})
    if bibliography.text:
        diagnostics.extend(unused_entries(bibliography, cited))
    diagnostics.extend(ledger_diagnostics(config, published))
    return diagnostics


def ledger_diagnostics(config, published: dict[str, str]) -> list[Diagnostic]:
    """The anchor ledger's check (``scholarly.anchors``) over PUBLISHED, the site paths
    and section ids of every page, as the build reports it."""
    name = config.extra.get("anchor_ledger", "anchors.lock")
    path = project_root(config) / name
    if not path.is_file():
        return []
    ledger, found = anchors.parse_ledger(path.read_text(encoding="utf-8"), name)
    return found + anchors.check_ledger(ledger, published, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scholarly.check", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=pathlib.Path)
    parser.add_argument("-s", "--strict", action="store_true",
                        help="fail on warnings too (as mkdocs.yml's strict: true does)")
    args = parser.parse_args(argv)
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        config = load_site_config(args.config_file)
        diagnostics = check_sources(args.config_file, config)
        strict = bool(config.strict)
    except (OSError, ConfigurationError, Abort) as problem:
        print(f"{args.config_file}: error: cannot read the configuration: {problem}",
              file=sys.stderr)
        return 1
    print(format_report(diagnostics, github=os.environ.get("GITHUB_ACTIONS") == "true"))
    return 1 if failing(diagnostics, strict or args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
