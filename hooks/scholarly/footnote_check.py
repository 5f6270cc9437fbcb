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
        if _is_empty(page.text, offset + len(label) + 4):
            report(offset, f"footnote [^{label}] has no text",
                   f"write the note after '[^{label}]:', on the same line")
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


# A definition's first line after the ':', and the next line with text on it.
# White space is any but the line break: Python-Markdown strips a line of all of it
# (U+0085 included) to see whether it is blank.
_FIRST_LINE = re.compile(r"[^\S\n]*(\S?)[^\n]*(?:\n[^\S\n]*)*?(?:\n((?:    |\t)?)[^\S\n]*\S|\Z)")


def _is_empty(text: str, after_colon: int) -> bool:
    """Whether a definition has no text: nothing after its ':' and no indented line
    (its continuation) before the next line of text."""
    match = _FIRST_LINE.match(text, after_colon)
    return not match.group(1) and not match.group(2)
