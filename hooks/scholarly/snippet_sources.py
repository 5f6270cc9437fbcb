"""The files a page takes in through pymdownx.snippets (``--8<-- "file.md"`` lines, block
lists between ``--8<--`` lines, and ``auto_append``), so that a citation in an included
file is located in that file, with the page line that includes it.
"""
from __future__ import annotations

import dataclasses
import functools
import pathlib
import re

# pymdownx.snippets' own forms: a marker and a quoted or bare name on one line, or a
# marker alone opening and closing a list of names, one per line. ';' escapes a marker.
INLINE_RE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]+([\"']?)([^\"'\n]+?)\1[ \t]*$", re.MULTILINE)
BLOCK_RE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*\n(.*?)^[ \t]*-{1,}8<-{1,}[ \t]*$",
                      re.MULTILINE | re.DOTALL)
# An included file's own includes are followed this deep, as the extension does.
MAX_DEPTH = 4


@dataclasses.dataclass(frozen=True)
class Included:
    path: pathlib.Path
    text: str
    # Line of the page that includes it (0 for an auto-appended file).
    page_line: int


def _names(text: str) -> list[tuple[int, str]]:
    """(offset, file name) of every include in TEXT."""
    found = [(m.start(), m.group(2).strip()) for m in INLINE_RE.finditer(text)]
    for block in BLOCK_RE.finditer(text):
        offset = block.start(1)
        for line in block.group(1).splitlines(keepends=True):
            name = line.strip()
            if name and not name.startswith(";"):
                found.append((offset, name))
            offset += len(line)
    return sorted(found)


def _resolve(name: str, base_paths: list[pathlib.Path]) -> pathlib.Path | None:
    # A line range or a section after the name (file.md:3:9, file.md:section).
    candidates = [name, re.sub(r"(?::[\w-]*)+$", "", name)]
    for base in base_paths:
        for candidate in candidates:
            path = base / candidate
            if path.is_file():
                return path
    return None


def included_files(page_text: str, base_paths: list[pathlib.Path],
                   auto_append: list[str]) -> list[Included]:
    """Every file the page includes, directly or through another included file."""
    return _included_files(page_text, tuple(base_paths), tuple(auto_append))


# The citation and the footnote checks of a page ask in turn.
@functools.lru_cache(maxsize=2)
def _included_files(page_text: str, base_paths: tuple[pathlib.Path, ...],
                    auto_append: tuple[str, ...]) -> list[Included]:
    found: list[Included] = []
    seen: set[pathlib.Path] = set()

    def follow(text: str, page_line: int | None, depth: int) -> None:
        for offset, name in _names(text):
            path = _resolve(name, base_paths)
            if path is None or path in seen or depth > MAX_DEPTH:
                continue
            seen.add(path)
            line = page_line if page_line is not None else text.count("\n", 0, offset) + 1
            included = path.read_text(encoding="utf-8-sig")
            found.append(Included(path, included, line))
            follow(included, line, depth + 1)

    follow(page_text, None, 1)
    for name in auto_append:
        path = _resolve(name, base_paths)
        if path is not None and path not in seen:
            seen.add(path)
            found.append(Included(path, path.read_text(encoding="utf-8-sig"), 0))
    return found
