"""``python -m scholarly.check``: every source check of the build, without building.

Reads ``docs_dir`` and the bibtex plugin's ``bib_file`` from mkdocs.yml, checks
references.bib and every Markdown page, prints the same report as ``mkdocs build``
(with GitHub annotations when ``GITHUB_ACTIONS=true``) and exits 1 when the build
would fail: on any error, or on any warning when the build is strict.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys

import yaml

from .bibliography import Bibliography, load_bibliography, unused_entries
from .citation_check import check_citations
from .diagnostics import ERROR, Diagnostic, format_report
from .footnote_check import check_footnotes
from .markdown_scan import scan, strip_front_matter


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: ``!ENV``, ``!relative`` and Python tags become
    plain values; only docs_dir, strict and the bibtex settings are needed here."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def display_path(path: pathlib.Path, root: pathlib.Path) -> str:
    """How a file is named in messages: relative to the project (docs_dir's parent)."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def project_bibliography(config_file: str, bib_file: str, docs_dir: str) -> Bibliography:
    """The bib file as mkdocs-bibtex finds it (relative to mkdocs.yml), parsed once per
    change of the file, and named in messages relative to the project."""
    path = pathlib.Path(config_file).parent / bib_file
    return load_bibliography(path, display_path(path, pathlib.Path(docs_dir).parent))


def check_page(source: str, shown_as: str, keys: frozenset[str]) -> tuple[list[Diagnostic], set[str]]:
    """Citation and footnote diagnostics of one Markdown source file, and the keys it cites."""
    body, line_offset = strip_front_matter(source)
    page = scan(body, line_offset)
    diagnostics, cited = check_citations(page, shown_as, keys)
    diagnostics.extend(check_footnotes(page, shown_as, keys))
    return diagnostics, cited


def settings(config_file: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, bool]:
    """(docs_dir, bib file, strict) from mkdocs.yml."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    base = config_file.resolve().parent
    docs_dir = base / str(config.get("docs_dir") or "docs")
    bib_file = "references.bib"
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("bibtex"), dict):
            bib_file = plugin["bibtex"].get("bib_file") or bib_file
    return docs_dir, base / bib_file, bool(config.get("strict"))


def check_sources(docs_dir: pathlib.Path, bib_path: pathlib.Path) -> list[Diagnostic]:
    root = docs_dir.parent
    bibliography: Bibliography = load_bibliography(bib_path, display_path(bib_path, root))
    diagnostics = list(bibliography.diagnostics)
    cited: set[str] = set()
    pages = sorted(p for p in docs_dir.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(docs_dir).parts))
    for path in pages:
        found, keys = check_page(path.read_text(encoding="utf-8-sig"),
                                 display_path(path, root), bibliography.keys)
        diagnostics.extend(found)
        cited |= keys
    if bibliography.text:
        diagnostics.extend(unused_entries(bibliography, cited))
    return diagnostics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scholarly.check", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=pathlib.Path)
    parser.add_argument("-s", "--strict", action="store_true",
                        help="fail on warnings too (as mkdocs.yml's strict: true does)")
    args = parser.parse_args(argv)
    try:
        docs_dir, bib_path, strict = settings(args.config_file)
    except (OSError, yaml.YAMLError) as problem:
        print(f"{args.config_file}: error: cannot read the configuration: {problem}",
              file=sys.stderr)
        return 1
    diagnostics = check_sources(docs_dir, bib_path)
    print(format_report(diagnostics, github=os.environ.get("GITHUB_ACTIONS") == "true"))
    errors = any(d.severity == ERROR for d in diagnostics)
    return 1 if errors or (diagnostics and (strict or args.strict)) else 0


if __name__ == "__main__":
    sys.exit(main())
