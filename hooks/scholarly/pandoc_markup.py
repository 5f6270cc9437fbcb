"""Pandoc-only Markdown that mkdocs-bibtex copies into notes, made plain Markdown.

pandoc writes a title word protected by braces in BibTeX (``{Kazakhstan's}``) as the
bracketed span ``[Kazakhstan's]{.nocase}``, small capitals as ``[text]{.smallcaps}``,
and escapes ``<`` and ``>`` with a backslash. Python-Markdown knows none of these
and would print the brackets and backslashes.

Run on the page while ``hooks/citations.py`` has hidden every bracket an author
wrote: the spans found are then only those of the generated notes.
"""
from __future__ import annotations

import re

_SPAN = re.compile(r"\[([^\[\]\n]*)\]\{\.(nocase|smallcaps)\}")
# A note definition mkdocs-bibtex appended: `[^key]: formatted reference`.
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]\n]+\]: .*$", re.MULTILINE)


def plain_spans(markdown: str) -> str:
    markdown = _SPAN.sub(_replacement, markdown)
    return _NOTE_DEFINITION.sub(_unescape_angles, markdown)


def _replacement(match: re.Match) -> str:
    text, kind = match.groups()
    if kind == "smallcaps":
        return f'<span class="smallcaps">{text}</span>'
    return text


def _unescape_angles(match: re.Match) -> str:
    return match.group().replace("\\<", "&lt;").replace("\\>", "&gt;")
