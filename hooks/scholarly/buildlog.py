"""The diagnostics of the build under way, gathered from every hook, reported once.

Every hook file adds what its checks find; ``hooks/report.py`` empties the log when a
build starts (``mkdocs serve`` keeps modules loaded between rebuilds) and prints and
judges it when every page has been read, before any page is written.
"""
from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic

_collected: list[Diagnostic] = []


def reset() -> None:
    _collected.clear()


def add(diagnostics: Iterable[Diagnostic]) -> None:
    _collected.extend(diagnostics)


def collected() -> list[Diagnostic]:
    return sorted(set(_collected))
