"""Renders and checks citations ``[@key, p. 4]``: Chicago author-date (or the CSL style
``extra.csl_style`` names), each name and year a link to the page's own reference list.

Registers the citation extension (``scholarly.citation_markdown``) with the site's
Markdown extensions; formats every group of the site, and every entry of the .bib, in
few pandoc runs before the first page is converted (``scholarly.citation_formatting``);
fills ``<!-- full-bibliography -->`` with every entry. Once a page is converted, the
groups it rendered are checked and located in its source, and the output is read for
citation syntax left as text or inside an attribute: each a ``file:line:col`` error.
Entries of references.bib no page cites are reported when every page has been read (a
dirty build, which reads only the pages changed since the last one, skips this).
"""
from __future__ import annotations

import html
import pathlib
import re

from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import CombinedEvent, event_priority

from scholarly import build_mode, buildlog, cited, format_cache
from scholarly.bibliography import unused_entries
from scholarly.check import (
    check_converted,
    display_path,
    page_sources,
    project_bibliography,
    project_root,
    setting_error,
    snippet_settings,
)
from scholarly.citation_formatting import Formatted, format_site, style_path, style_problem
from scholarly.citation_markdown import CitationExtension
from scholarly.citation_syntax import expand_sets, group_texts, mark_groups, normalized
from scholarly.diagnostics import error
from scholarly.markdown_scan import strip_front_matter
from scholarly.pandoc import PandocError
from scholarly.snippet_sources import included_files

FULL_BIBLIOGRAPHY = "<!-- full-bibliography -->"
# Where a page's reference list begins: it ends the page's content.
REFERENCE_LIST_START = '<section class="references"'


class _Build:
    """What one build learns; reset in on_config because `mkdocs serve` keeps modules."""

    def __init__(self) -> None:
        self.bibliography = None
        self.csl_path: pathlib.Path | None = None
        self.formatted = Formatted({}, {}, {})
        self.extension = CitationExtension(self.format_group, self.reference_list)
        self.snippets: tuple[list[pathlib.Path], list[str]] = ([], [])
        self.cache_dir: pathlib.Path | None = None
        self.cited: set[str] = set()
        self.read: set[str] = set()  # source pages checked, by src_uri
        # Each page's groups by their marks, from its Markdown until its content.
        self.marked: dict[str, list] = {}
        # A page's content while search reads it without its citations' markup.
        self.contents_for_readers: dict[str, str] = {}

    def format_group(self, text: str) -> str | None:
        if text not in self.formatted.groups and text not in self.formatted.problems:
            # A group the scan before the build did not see (it should not happen): it
            # is formatted now, with the same rules as the rest.
            self.format_groups([text])
        return self.formatted.groups.get(text)

    def format_groups(self, groups: list[str]) -> None:
        if not self.bibliography or not self.bibliography.text:
            return
        bibliography = self.bibliography
        # A group citing a @set is formatted as citing its members (pandoc has no sets).
        as_formatted = {group: expand_sets(group, bibliography.sets) for group in groups}
        try:
            first_names = {key: entry.first_name for key, entry in bibliography.entries.items()}
            formatted = format_site(bibliography.pandoc_text(), self.csl_path,
                                    set(as_formatted.values()), self.cache_dir, first_names)
        except PandocError as problem:
            buildlog.add([error(bibliography.path, 1, 1,
                                f"pandoc cannot format the citations: {problem}",
                                "correct the entry or the style it names")])
            return
        for group, formatted_as in as_formatted.items():
            if formatted_as in formatted.groups:
                self.formatted.groups[group] = formatted.groups[formatted_as]
            elif formatted_as in formatted.problems:
                self.formatted.problems[group] = formatted.problems[formatted_as]
        self.formatted.entries = formatted.entries

    def reference_list(self, keys: list[str]) -> str:
        """A page's list of the sources it cites, in the style's order."""
        wanted = set(keys)
        items = [_entry(key, body, back=True)
                 for key, body in self.formatted.entries.items() if key in wanted]
        if not items:
            return ""
        # The title is not a heading element: the list is not a section of the page's
        # contents, to cite or to link to.
        return (f'{REFERENCE_LIST_START}>\n'
                '<p class="references__title" role="heading" aria-level="2">References</p>\n'
                '<div class="csl-bib-body" role="list">\n' + "\n".join(items) + "\n</div>\n</section>")


def _shown_note(entry, body: str) -> str:
    """What the whole bibliography adds under an entry: its month and year where the
    style printed the year alone, and the .bib's note, which no style prints."""
    if entry is None:
        return ""
    month = entry.published.split(" ")[0] if entry.published else ""
    published = f"Published {entry.published}." if month and month not in body else ""
    return " ".join(part for part in (published, entry.note) if part)


def _entry(key: str, body: str, back: bool, note: str = "") -> str:
    """One entry of a list; NOTE (the .bib's note, which the style does not print) under
    it, where the whole bibliography explains a record."""
    escaped = html.escape(key)
    link = (f' <a class="reference-backref" href="#cite-{escaped}" '
            'aria-label="Back to the first citation">↩︎</a>') if back else ""
    shown_note = f'<span class="csl-note">{html.escape(note)}</span>' if note else ""
    return (f'<div class="csl-entry" id="ref-{escaped}" role="listitem">{body.strip()}{link}'
            f'{shown_note}</div>')


_build = _Build()


# After hooks/bibliography.py (50) has read and checked the .bib.
@event_priority(40)
def on_config(config):
    global _build
    _build = _Build()
    cited.reset()
    name = config.extra.get("csl_style")
    problem = style_problem(name)
    if problem:
        raise ConfigurationError(str(setting_error(config, "csl_style", problem)))
    _build.csl_path = style_path(name)
    _build.bibliography = project_bibliography(config)
    _build.snippets = snippet_settings(config)
    _build.cache_dir = format_cache.cache_dir(project_root(config))
    config.markdown_extensions.append(_build.extension)
    return config


def on_files(files, config):
    groups: set[str] = set()
    for file in files.documentation_pages():
        if file.abs_src_path is None:
            continue
        text = file.content_string
        groups.update(normalized(group) for group in group_texts(text))
        for included in included_files(text, *_build.snippets):
            groups.update(normalized(group) for group in group_texts(included.text))
    _build.format_groups(sorted(groups))
    return files


# Last: the groups are marked in the text Python-Markdown will read, after every other
# hook has changed it (none may change it after this).
@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    if page.file.abs_src_path is not None:
        markdown, _build.marked[page.file.src_uri] = mark_groups(markdown)
    if FULL_BIBLIOGRAPHY not in markdown:
        return markdown
    entries = _build.bibliography.entries if _build.bibliography else {}
    items = "\n".join(_entry(key, body, back=False, note=_shown_note(entries.get(key), body))
                      for key, body in _build.formatted.entries.items())
    # Blank lines around keep Python-Markdown from wrapping the block in a paragraph.
    listing = f'\n<div class="csl-bib-body full-bibliography" role="list">\n{items}\n</div>\n'
    return markdown.replace(FULL_BIBLIOGRAPHY, listing)


# Before hooks/citable.py (0), which reads the keys the page cites.
@event_priority(50)
def on_page_content(html_text, page, config, files):
    if page.file.abs_src_path is None:  # generated by a hook, not written by an author
        return html_text
    body, line_offset = strip_front_matter(page.file.content_string)
    root = project_root(config)
    sources = page_sources(body, line_offset, display_path(pathlib.Path(page.file.abs_src_path), root),
                           root, _build.snippets)
    keys = _build.bibliography.keys if _build.bibliography else frozenset()
    marked = _build.marked.pop(page.file.src_uri, [])
    diagnostics, page_keys = check_converted(_build.extension, marked, sources, keys,
                                             _build.formatted.problems)
    buildlog.add(diagnostics)
    sets = _build.bibliography.sets if _build.bibliography else {}
    # A page citing a @set cites its members: they are what its metadata lists.
    cited.by_page[page.url] = list(dict.fromkeys(
        member for key in page_keys for member in sets.get(key) or (key,)))
    _build.cited.update(page_keys)
    _build.read.add(page.file.src_uri)
    return html_text


# Search indexes a page's text, not its list of references (the References page lists
# them all), and a citation as its text: before Material's search plugin (0) reads the
# content, the list and the citations' opening tags are taken away (their closing tags
# close nothing the plugin has open, and it passes over them); after it, before the
# template writes the page, the content is given back. Material's parser works tag by
# tag in Python: the citations' tags took it two and a half times plain's time.
SEARCH_SKIPS_RE = re.compile(r'<span class="citation" data-cites="[^"]*">|<a href="#ref-[^"]*"[^>]*>')


@event_priority(10)
def _content_for_search(context, page, config, nav):
    content = page.content or ""
    if 'class="citation"' in content:
        _build.contents_for_readers[page.url] = content
        at = content.rfind(REFERENCE_LIST_START)
        page.content = SEARCH_SKIPS_RE.sub("", content[:at] if at >= 0 else content)
    return context


@event_priority(-10)
def _content_for_readers(context, page, config, nav):
    content = _build.contents_for_readers.pop(page.url, None)
    if content is not None:
        page.content = content
    return context


on_page_context = CombinedEvent(_content_for_search, _content_for_readers)


# Before hooks/report.py (priority -1000) prints the build's diagnostics.
@event_priority(-100)
def _report_unused(env, config, files):
    authored = {file.src_uri for file in files.documentation_pages() if file.abs_src_path}
    if build_mode.dirty and not authored <= _build.read:
        # Only some pages were read: their citations say nothing of what the rest cite.
        return env
    if _build.bibliography and _build.bibliography.text:
        buildlog.add(unused_entries(_build.bibliography, _build.cited))
    return env


# Every page is converted: the site's formatted citations are let go before the pages
# are written and search writes its index, when the build holds the most.
@event_priority(-900)
def _release_formatted(env, config, files):
    _build.formatted = Formatted({}, {}, {})
    return env


on_env = CombinedEvent(_report_unused, _release_formatted)
