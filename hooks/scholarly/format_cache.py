"""Formatted text kept on disk between builds, keyed by everything that decides it.

pandoc's citeproc is the slowest part of a build, and it formats the same citations
again on every build. A ``Store`` remembers what a pandoc call returned for a key
made of all of that call's inputs (the .bib text it read, the CSL style's bytes, the
text it formatted, which pandoc binary and this cache's format version), so a build of
unchanged sources asks pandoc nothing, and an edited entry, style or citation is a
new key. A value is only ever what pandoc returned for exactly those inputs: a build
with a warm cache writes the same bytes as one without. Other slow passes whose
result depends only on known inputs are kept the same way: the reading and checking
of references.bib (``scholarly.bibliography``), keyed by its text and the reader's code,
and the print page's rebased chapters (``scholarly.print_edition``).

The files live in ``.cache/scholarly/`` next to ``docs/`` (``SCHOLARLY_CACHE_DIR``
overrides it; ``SCHOLARLY_CACHE_DIR=off`` keeps nothing). One JSON file per kind
of formatting, replaced whole and atomically (``Store``); for large texts read one
at a time, a folder with a file per entry (``FileStore``). A file that cannot be read
or is not what this version writes is ignored and written again; one that cannot be
written or removed is only a slower next build.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pathlib
import tempfile

import orjson

# Change when what is stored, or how a stored value is used, changes.
FORMAT_VERSION = "1"
ENVIRONMENT_VARIABLE = "SCHOLARLY_CACHE_DIR"


def cache_dir(project_root: str | os.PathLike) -> pathlib.Path | None:
    """Where the cache of the project whose sources are under PROJECT_ROOT lives."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return None if chosen.lower() == "off" else pathlib.Path(chosen)
    return pathlib.Path(project_root) / ".cache" / "scholarly"


@functools.cache
def pandoc_identity() -> str:
    """Which pandoc formats, for a key: its binary's path, size and modification time,
    which change with the binary (asking pandoc its version costs a process a build)."""
    # Imported here: `make check` keeps what it read in this cache, and asks no pandoc.
    import pypandoc

    path = pypandoc.get_pandoc_path()
    stat = os.stat(path)
    return f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"


@functools.cache
def source_code(*modules: str) -> bytes:
    """The source of the modules (their ``__file__``), for a key: what a kept value was
    made by is one of its inputs. Read once per process."""
    return b"".join(pathlib.Path(module).read_bytes() for module in modules)


def key(*parts: str | bytes) -> str:
    """A digest of the parts, each length-prefixed so that no two lists collide."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for part in parts:
        # surrogatepass: a page may hold a lone surrogate, and a key must still be made.
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Store:
    """One kind of formatted text, as {key: JSON value}, loaded once and saved once."""

    def __init__(self, folder: pathlib.Path | None, name: str) -> None:
        self.path = folder / f"{name}.json" if folder is not None else None
        self._stored = self._read()
        self._used: dict[str, object] = {}

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            content = orjson.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(content, dict) or content.get("version") != FORMAT_VERSION:
            return {}
        entries = content.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, entry_key: str):
        """The value kept for the key, or None."""
        value = self._stored.get(entry_key)
        if value is not None:
            self._used[entry_key] = value
        return value

    def put(self, entry_key: str, value) -> None:
        self._used[entry_key] = value

    def save(self, *, keep_unused: bool) -> None:
        """Writes what this build used; ``keep_unused`` also keeps the rest (a build
        that saw only some pages must not drop what the others need)."""
        if self.path is None:
            return
        entries = {**self._stored, **self._used} if keep_unused else self._used
        if entries == self._stored:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Not sorted: a value read back keeps its mappings' order, as pandoc gave it.
            _write_atomically(self.path, orjson.dumps({"version": FORMAT_VERSION, "entries": entries}))
        # A value JSON cannot hold (a lone surrogate) is not kept: the cache only saves time.
        except (OSError, orjson.JSONEncodeError):
            return
        self._stored = entries


class FileStore:
    """Large texts of one kind, one file each under its key, read one at a time: a
    ``Store`` is one JSON file read whole, and the print page's chapters (15 MB at 200
    chapters) would then all be in memory at once."""

    def __init__(self, folder: pathlib.Path | None, name: str) -> None:
        self.folder = folder / name if folder is not None else None
        self._used: set[str] = set()

    def get(self, entry_key: str) -> str | None:
        """The text kept for the key, or None."""
        if self.folder is None:
            return None
        try:
            text = (self.folder / entry_key).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        self._used.add(entry_key)
        return text

    def put(self, entry_key: str, text: str) -> None:
        if self.folder is None:
            return
        self._used.add(entry_key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / entry_key, text.encode("utf-8"))
        # A text UTF-8 cannot hold (a lone surrogate) is not kept: the cache only saves time.
        except (OSError, UnicodeEncodeError):
            return

    def save(self, *, keep_unused: bool) -> None:
        """Removes the texts this build did not use, unless ``keep_unused``."""
        if self.folder is None or keep_unused:
            return
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in self._used and not name.startswith("."):
                try:
                    (self.folder / name).unlink(missing_ok=True)
                except OSError:
                    return


def _write_atomically(path: pathlib.Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise
