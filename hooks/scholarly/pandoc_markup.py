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
# A note definition mkdocs-bibtex appended, `[^key]: formatted reference`, when it starts
# a line. Led by its literal, not by a multi-line `^`: the engine then skips to each
# `[^` instead of trying every position of the page (_unescape_angles checks the start).
_NOTE_DEFINITION = re.compile(r"\[\^[^\]\n]+\]: .*")


def plain_spans(markdown: str) -> str:
    # A page without the literal part of a span, or without an escaped angle, has
    # nothing to change, and most pages have neither: each pass runs only where its
    # first search, for one character, finds it (a character is found far quicker
    # than a string or a pattern).
    if _holds_span_literal(markdown):
        markdown = _SPAN.sub(_replacement, markdown)
    if "\\" not in markdown or ("\\<" not in markdown and "\\>" not in markdown):
        return markdown
    return _NOTE_DEFINITION.sub(_unescape_angles, markdown)


def _holds_span_literal(markdown: str) -> bool:
    """Whether ``]{.`` occurs: sought at each ``{``, rare outside attribute lists."""
    at = markdown.find("{")
    while at >= 0:
        if at > 0 and markdown.startswith("]{.", at - 1):
            return True
        at = markdown.find("{", at + 1)
    return False


def _replacement(match: re.Match) -> str:
    text, kind = match.groups()
    if kind == "smallcaps":
        return f'<span class="smallcaps">{text}</span>'
    return text


def _unescape_angles(match: re.Match) -> str:
    start = match.start()
    if start and match.string[start - 1] != "\n":  # inside a line: not a definition
        return match.group()
    return match.group().replace("\\<", "&lt;").replace("\\>", "&gt;")
