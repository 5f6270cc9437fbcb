"""Converts each reference note mkdocs-bibtex writes once, not once per page citing it.

Checks nothing. mkdocs-bibtex appends to every page a note with the full reference of
each source cited there; converted with the page, those notes cost more than the rest
of its text. Here they leave the page's Markdown (``scholarly.citation_notes``), each
distinct note is converted once and kept in the format cache (``.cache/scholarly/``,
keyed by its Markdown and the pages' Markdown settings), and the notes go back into
the page's HTML as the footnotes extension writes them: same ids, numbers and back
links, so Material's note previews and the print page read them as before. The list
of a page's notes joins its HTML only as the page is written out (``on_post_page``):
MkDocs holds every page's HTML until the last is written, and those lists were the
largest part of it.
"""
from __future__ import annotations

import importlib.metadata
import json
import pathlib

import markdown as python_markdown
from mkdocs.plugins import CombinedEvent, event_priority

from scholarly import build_mode, format_cache
from scholarly.check import project_bibliography
from scholarly.citation_notes import (
    REFERENCE_LIST,
    PageNotes,
    bodies,
    put_back,
    take_notes,
    without_notes,
    without_tokens,
    write_list,
)


class _Build:
    """Reset in on_config: `mkdocs serve` keeps this module between builds."""

    def __init__(self, config=None) -> None:
        self.note_ids: frozenset[str] = frozenset()
        # Page source -> its notes, from its Markdown until they are back in its HTML.
        self.pages: dict[str, PageNotes] = {}
        # Page url -> its whole content, while search reads it without the notes.
        self.hidden: dict[str, str] = {}
        self.bodies: dict[str, str] = {}
        self.markdown = None
        self.settings = ""
        self.store = format_cache.Store(None, "citation-notes")
        if config is None:
            return
        bibtex = config.plugins["bibtex"].config
        keys = project_bibliography(config.config_file_path, bibtex.bib_file, config.docs_dir).keys
        self.note_ids = frozenset(bibtex.footnote_format.format(key=key) for key in keys)
        # The pages' own extensions and settings, so a note reads as it did inside them.
        self.markdown = python_markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        # Hashed once: every note's cache key holds it.
        self.settings = format_cache.key(_markdown_settings(config))
        self.store = format_cache.Store(
            format_cache.cache_dir(pathlib.Path(config.docs_dir).parent), "citation-notes")

    def page_bodies(self, notes: PageNotes) -> dict[str, str]:
        """The converted body of every note of the page, from the cache or converted now."""
        missing: dict[str, str] = {}  # text -> its cache key
        for text in notes.texts.values():
            if text in self.bodies:
                continue
            entry_key = format_cache.key(self.settings, text)
            kept = self.store.get(entry_key)
            if isinstance(kept, str):
                self.bodies[text] = kept
            else:
                missing[text] = entry_key
        if missing:
            converted = bodies(list(missing), self._convert)
            for text, body in converted.items():
                self.store.put(missing[text], body)
            self.bodies.update(converted)
        return self.bodies

    def _convert(self, document: str) -> str:
        self.markdown.reset()
        return self.markdown.convert(document)


def _markdown_settings(config) -> str:
    """What decides how a note's Markdown converts: the extensions, their settings and
    versions, and the files pymdownx.snippets appends to every page (abbreviations)."""
    appended = []
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    for name in snippets.get("auto_append", []):
        for base in snippets.get("base_path", ["."]):
            path = pathlib.Path(base, name)
            if path.is_file():
                appended.append(path.read_text(encoding="utf-8"))
                break
    versions = [importlib.metadata.version(name) for name in ("markdown", "pymdown-extensions")]
    return json.dumps([versions, [str(e) for e in config.markdown_extensions],
                       config.mdx_configs, appended], default=str, sort_keys=True)


_build = _Build()


def on_config(config):
    global _build
    _build = _Build(config)
    return config


# After mkdocs-bibtex (0) wrote the notes and hooks/pandoc_markup.py (-0.5) made them
# Markdown, before hooks/citations.py (-1) gives back the brackets it hid: every
# `[^id]` left is mkdocs-bibtex's.
@event_priority(-0.75)
def on_page_markdown(markdown, page, config, files):
    markdown, notes = take_notes(markdown, _build.note_ids)
    _build.pages[page.file.src_uri] = notes
    return markdown


# Before every other hook reads the page's HTML or its table of contents.
@event_priority(100)
def on_page_content(html, page, config, files):
    page.meta.pop(REFERENCE_LIST, None)
    notes = _build.pages.pop(page.file.src_uri, None)
    if notes is None or not notes.texts:
        return html
    _strip_tokens(page.toc)
    title = without_tokens(page.title) if page.title else page.title
    if title != page.title:
        page.title = title
    html, page.meta[REFERENCE_LIST] = put_back(html, notes, _build.page_bodies(notes))
    return html


# First of the page's post_page hooks: the others see the page as it is published. The
# list stays in the page's meta: the print page (hooks/print_page.py) writes it into
# its copy of the chapter.
@event_priority(100)
def on_post_page(output, page, config):
    return write_list(output, page.meta.get(REFERENCE_LIST, ()))


# Search (priority 0) indexes the page without its reference notes: they repeat the
# References page, on every page citing the source, and would cost as much to index
# as the page's own text.
@event_priority(10)
def _hide_notes(context, page, config, nav):
    reference_list = page.meta.get(REFERENCE_LIST)
    if reference_list:
        _build.hidden[page.url] = page.content
        page.content = without_notes(page.content, [note_id for note_id, *_ in reference_list])
    return context


@event_priority(-10)
def _show_notes(context, page, config, nav):
    if page.url in _build.hidden:
        page.content = _build.hidden.pop(page.url)
    return context


on_page_context = CombinedEvent(_hide_notes, _show_notes)


def _strip_tokens(items) -> None:
    for item in items:
        item.title = without_tokens(item.title)
        _strip_tokens(item.children)


# Every page's notes are converted by now (their lists wait in page.meta): the cache of
# converted notes need not stay in memory while the site is written.
def on_env(env, config, files):
    # A dirty build converts only the pages it read: the others' notes stay.
    _build.store.save(keep_unused=build_mode.dirty)
    _build.bodies.clear()
    _build.store = format_cache.Store(None, "citation-notes")
    return env
