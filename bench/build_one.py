"""One benchmark build in a fresh process; prints what it measured as one JSON line.

``--mode project`` builds with the repository's ``mkdocs.yml`` as it is (every hook,
mkdocs-bibtex, the theme overrides). ``--mode plain`` builds the same text with the
same theme settings and Markdown extensions, but only MkDocs, Material and search:
citations stay literal text. The runner (``bench/run.py``) times the whole process;
this reports the time inside it, after imports, too.

``--mode renderer`` is the floor of the project's build: MkDocs, Material and
mkdocs-bibtex rendering the citations, with only the hooks that feed mkdocs-bibtex
(the .bib's keys in place of a pybtex parse, the CSL file, the cached citation runs)
and convert its notes once; no check of the pages, cite box, metadata, print page or
download. Run with a warm format cache, it is what mkdocs-bibtex costs before the
project adds anything.

``--mode check`` times ``make check``'s work (every source check, no build) after
its imports.

``--edit PAGE`` then does what ``mkdocs serve`` does after a save: it adds to PAGE a
sentence with a citation group no page had (one more pandoc run, as a real edit may
need), loads the configuration again and rebuilds in the same process (``--dirty``:
only changed pages, as ``mkdocs serve --dirty``), and reports that rebuild's time.
A dirty build is not strict: MkDocs itself warns on every dirty build.

The format cache (``hooks/scholarly/format_cache.py``) is wherever the caller's
``SCHOLARLY_CACHE_DIR`` says: the runner chooses an empty one (cold) or one a build
of the same text filled (warm).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pathlib
import re
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
RENDERER_HOOKS = ("bibliography", "csl", "citation_cache", "pandoc_markup", "citation_notes")


def load(mode: str, root: pathlib.Path, site: pathlib.Path, generated: bool, dirty: bool = False):
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    overrides = {"docs_dir": str(root / "docs"), "site_dir": str(site)}
    if mode == "renderer":
        overrides["hooks"] = [str(REPO / "hooks" / f"{name}.py") for name in RENDERER_HOOKS]
    if mode == "plain":
        with open(REPO / "mkdocs.yml", encoding="utf-8") as file:
            theme = dict(yaml_load(file, get_yaml_loader(config=MkDocsConfig()))["theme"])
        theme.pop("custom_dir", None)
        overrides |= {"plugins": ["search"], "hooks": [], "theme": theme}
    # Plain is not strict: without the hooks, pages they generate (named in the nav)
    # are missing and citations are literal text; the work done is the same.
    config = load_config(
        config_file=str(REPO / "mkdocs.yml"), strict=mode == "project" and not dirty, **overrides
    )
    if generated:
        # A generated corpus lists its own pages; the site's nav names the memo's.
        config["nav"] = None
    if mode in ("project", "renderer"):
        config.plugins["bibtex"].config.bib_file = str(root / "references.bib")
    return config


def check(root: pathlib.Path) -> float:
    """Seconds ``make check``'s work takes on ROOT, after its imports."""
    from scholarly.check import check_sources

    started = time.perf_counter()
    check_sources(root / "docs", root / "references.bib")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("project", "plain", "renderer", "check"), required=True)
    parser.add_argument(
        "--root",
        type=pathlib.Path,
        required=True,
        help="directory holding docs/ and references.bib",
    )
    parser.add_argument("--site", type=pathlib.Path, required=True)
    parser.add_argument("--generated", action="store_true")
    parser.add_argument("--edit", help="a page under docs/ to edit, then rebuild")
    parser.add_argument("--dirty", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.path.insert(0, str(REPO / "hooks"))
    if args.mode == "check":
        print(json.dumps({"check_s": check(args.root)}))
        return
    import mkdocs.commands.build as build_command

    # What the command line sets up: warnings counted for --strict, shown on stderr.
    logging.getLogger("mkdocs").addHandler(logging.StreamHandler())
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    started = time.perf_counter()
    config = load(args.mode, args.root, args.site, args.generated, args.dirty)
    command = "serve" if args.edit else "build"
    config.plugins.on_startup(command=command, dirty=args.dirty)
    build_command.build(config, dirty=args.dirty)
    result = {"build_s": time.perf_counter() - started}

    if args.edit:
        page = args.root / "docs" / args.edit
        # mtime resolution: make sure the edit is newer than the first build's output.
        time.sleep(0.05)
        text = page.read_text(encoding="utf-8")
        key = re.search(r"\[@([^\s,;\]]+)", text).group(1)
        with page.open("a", encoding="utf-8") as file:
            file.write(f"\nAn edit saved at {time.time()} [@{key}, 9999].\n")
        started = time.perf_counter()
        config = load(args.mode, args.root, args.site, args.generated, args.dirty)
        build_command.build(config, dirty=args.dirty)
        result["rebuild_s"] = time.perf_counter() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main()
