"""One benchmark build in a fresh process; prints what it measured as one JSON line.

``--mode project`` builds with the repository's ``mkdocs.yml`` as it is (every hook,
the citation extension of ``hooks/citations.py`` formatting through pandoc, the theme
overrides), its bibliography (``extra.bibliography``) pointed at the corpus's
``references.bib``. ``--mode plain`` builds the same text with the same theme settings
and Markdown extensions, but only MkDocs, Material and search: no hook, citations stay
literal text. The runner (``bench/run.py``) times the whole process; this reports the
time inside it, after imports, too.

``--mode check`` times ``make check``'s work (``scholarly.check.check_sources``: every
source check, no build) after its imports. It reads a mkdocs.yml: the repository's for
the memo; for a generated corpus (``--generated``) one written next to its ``docs/``
(``corpus_config``), the repository's with every path in it made absolute.

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


def _repo_settings(resolve_tags: bool) -> dict:
    """The repository's mkdocs.yml as data. With RESOLVE_TAGS, ``!ENV`` takes the
    environment's value and ``!relative $config_dir`` becomes the repository's path."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import _DirPlaceholder, get_yaml_loader, yaml_load

    placeholder_config = MkDocsConfig(config_file_path=str(REPO / "mkdocs.yml"))
    with open(REPO / "mkdocs.yml", encoding="utf-8") as file:
        settings = yaml_load(file, get_yaml_loader(config=placeholder_config))
    if not resolve_tags:
        return settings

    def resolved(value):
        if isinstance(value, _DirPlaceholder):
            return os.fspath(value)
        if isinstance(value, dict):
            return {key: resolved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolved(item) for item in value]
        return value

    return resolved(settings)


def corpus_config(root: pathlib.Path) -> pathlib.Path:
    """Writes ROOT/mkdocs.yml: the repository's, for the text in ROOT/docs and the
    bibliography ROOT/references.bib, every other path in it (hooks, theme overrides,
    snippets' base path, CITATION.cff) the repository's, absolute. No nav: a generated
    corpus lists its own pages. Returns its path."""
    import yaml

    settings = _repo_settings(resolve_tags=True)
    settings.pop("nav", None)
    settings["docs_dir"] = str(root / "docs")
    settings["site_dir"] = str(root / "site")
    settings["hooks"] = [str(REPO / path) for path in settings.get("hooks", [])]
    settings["watch"] = [str(REPO / path) for path in settings.get("watch", [])]
    theme = settings.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(REPO / theme["custom_dir"])
    settings.setdefault("extra", {})["bibliography"] = str(root / "references.bib")
    # The site's citation metadata, which the build reads next to mkdocs.yml.
    settings["extra"]["citation_file"] = str(REPO / "CITATION.cff")
    for extension in settings.get("markdown_extensions", []):
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            options = extension["pymdownx.snippets"]
            base = options.get("base_path", ["."])
            base = [base] if isinstance(base, str) else base
            options["base_path"] = [str(REPO / path) for path in base]
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(mode: str, root: pathlib.Path, site: pathlib.Path, generated: bool, dirty: bool = False):
    from mkdocs.config import load_config

    overrides = {"docs_dir": str(root / "docs"), "site_dir": str(site)}
    if mode == "plain":
        # Same theme settings, without the project's template overrides; no hook, and
        # of the plugins only search.
        theme = dict(_repo_settings(resolve_tags=False)["theme"])
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
    if mode == "project":
        # bibliography_path joins it to mkdocs.yml's folder: an absolute path stays itself.
        config.extra["bibliography"] = str(root / "references.bib")
    return config


def check(root: pathlib.Path, generated: bool) -> tuple[float, int]:
    """Seconds ``make check``'s work takes on ROOT, after its imports, and how many
    problems (errors and warnings; a notice is none) it found."""
    import markdown  # noqa: F401  (imported by check_sources; not its work)
    import mkdocs.config  # noqa: F401

    from scholarly.check import check_sources

    config_file = corpus_config(root) if generated else REPO / "mkdocs.yml"
    started = time.perf_counter()
    diagnostics = check_sources(config_file)
    seconds = time.perf_counter() - started
    problems = [diagnostic for diagnostic in diagnostics if diagnostic.severity != "notice"]
    # The generated text is meant to be clean: what the check found is shown, not timed.
    for diagnostic in problems[:20]:
        print(f"check: {diagnostic}", file=sys.stderr)
    return seconds, len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("project", "plain", "check"), required=True)
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
        seconds, found = check(args.root.resolve(), args.generated)
        print(json.dumps({"check_s": seconds, "diagnostics": found}))
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
