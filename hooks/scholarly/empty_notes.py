"""A Python-Markdown extension that keeps an empty footnote from stopping the build.

With ``USE_DEFINITION_ORDER: false`` (notes numbered in reading order), the footnotes
extension gives every note's back link a new title when it reorders the notes, and an
AttributeError ends the conversion when a note has no back link: the extension adds
none to a note whose text is empty (``[^a]:`` alone, or a body that parses to nothing).
This tree processor, run between the two, gives such a note the back link the extension
gives every other note, in a paragraph of its own. The footnote check reports a note left
empty (``footnote_check``), so the build fails on that message, not on a traceback.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.treeprocessors import Treeprocessor


class EmptyNotesExtension(Extension):
    def extendMarkdown(self, md):
        footnotes = next((ext for ext in md.registeredExtensions
                          if isinstance(ext, FootnoteExtension)), None)
        if footnotes is None:
            return
        # After the notes are made (50), before they are reordered (19).
        md.treeprocessors.register(BackLinkForEveryNote(md, footnotes), "scholarly-empty-notes", 30)


class BackLinkForEveryNote(Treeprocessor):
    def __init__(self, md, footnotes) -> None:
        super().__init__(md)
        self.footnotes = footnotes

    def run(self, root):
        for div in root.iter("div"):
            if div.get("class") != "footnote":
                continue
            for li in div.iter("li"):
                if li.find('.//a[@class="footnote-backref"]') is not None:
                    continue
                note = li.get("id", "").split(self.footnotes.get_separator(), 1)[-1]
                link = etree.SubElement(etree.SubElement(li, "p"), "a")
                link.set("href", "#" + self.footnotes.makeFootnoteRefId(note))
                link.set("class", "footnote-backref")
                link.text = self.footnotes.getConfig("BACKLINK_TEXT")
