"""Turns the pandoc markup that mkdocs-bibtex leaves in notes into Markdown, so a
brace-protected title word shows as the word, not as ``[word]{.nocase}``."""
from __future__ import annotations

from mkdocs.plugins import event_priority

from scholarly.pandoc_markup import plain_spans


# After mkdocs-bibtex (0) has written its notes, and before hooks/citations.py (-1)
# gives back the brackets it hid: only the generated notes have brackets now.
@event_priority(-0.5)
def on_page_markdown(markdown, page, config, files):
    return plain_spans(markdown)
