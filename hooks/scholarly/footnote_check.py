"""Checks a page's footnotes: every ``[^label]`` has one definition, every definition
is referred to, and labels make good HTML ids.

Python-Markdown leaves an undefined ``[^x]`` as literal text and publishes an unused or
second definition without a word.
"""
from __future__ import annotations

import difflib
import re

from .diagnostics import Diagnostic, error
from .markdown_scan import Scan

GOOD_LABEL_RE = re.compile(r"[\w-]+")


def check_footnotes(page: Scan, path: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []

    def report(offset: int, message: str, hint: str = "") -> None:
        line, column = page.position(offset)
        found.append(error(path, line, column, message, hint))

    first_definition: dict[str, int] = {}
    for definition in page.footnote_defs:
        label = definition.label
        if label in first_definition:
            first_line = page.position(first_definition[label])[0]
            report(definition.start, f"footnote [^{label}] is defined twice, here and at line "
                   f"{first_line}", "merge the two notes or rename one of them")
        else:
            first_definition[label] = definition.start
    referenced = {ref.label for ref in page.footnote_refs}
    defined = sorted(first_definition)

    labels_seen: set[str] = set()
    for mark in sorted(page.footnote_defs + page.footnote_refs, key=lambda m: m.start):
        if mark.label in labels_seen:
            continue
        labels_seen.add(mark.label)
        problem = _label_problem(mark.label)
        if problem:
            report(mark.start + 2, *problem)

    for ref in page.footnote_refs:
        if ref.label not in first_definition:
            close = difflib.get_close_matches(ref.label, defined, n=1)
            hint = (f"did you mean [^{close[0]}]?" if close
                    else f"add a definition '[^{ref.label}]: ...' at the end of the page")
            report(ref.start, f"footnote [^{ref.label}] has no definition", hint)
    for label, offset in first_definition.items():
        if label not in referenced:
            report(offset, f"footnote [^{label}] is defined but never referred to",
                   f"refer to it with [^{label}] in the text, or remove it")
    return found


def _label_problem(label: str) -> tuple[str, str] | None:
    if not label.strip():
        return "empty footnote label", "write [^1] or [^a-name]"
    if GOOD_LABEL_RE.fullmatch(label):
        return None
    suggestion = re.sub(r"[^\w-]+", "-", label.strip()).strip("-") or "note"
    if re.search(r"\s", label):
        return (f"footnote label '{label}' contains a space, which breaks its HTML id",
                f"use letters, digits, '-' and '_', e.g. [^{suggestion}]")
    bad = sorted({c for c in label if not GOOD_LABEL_RE.fullmatch(c)})
    characters = ", ".join(repr(c) for c in bad)
    return (f"footnote label '{label}' contains {characters}, which makes a fragile HTML id",
            f"use letters, digits, '-' and '_', e.g. [^{suggestion}]")


_EMPTY_BODY = re.compile(r"\]:[ \t]*(?=\n(?![ \t]*\S)|\n?\Z)")


def fill_empty_unreferenced(text: str, page: Scan) -> str:
    """TEXT with each empty definition that nothing refers to given a body, lines kept.

    Python-Markdown's footnotes extension, numbering notes in reading order, fails with
    an AttributeError on such a definition; the check reports it ("defined but never
    referred to"), and the build fails on that message, not on a traceback.
    """
    referenced = {ref.label for ref in page.footnote_refs}
    pieces, position = [], 0
    for definition in page.footnote_defs:
        if definition.label in referenced:
            continue
        close = definition.start + len(definition.label) + 2
        empty = _EMPTY_BODY.match(text, close)
        if empty:
            pieces.append(text[position:empty.end()])
            pieces.append(" (empty)")
            position = empty.end()
    pieces.append(text[position:])
    return "".join(pieces)
