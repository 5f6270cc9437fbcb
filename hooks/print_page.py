"""Adds the whole edition on one page (``print/``), for printing and for ``make pdf``.

The page is generated, never written by hand: its Markdown is only the site's title,
and once every chapter is converted it receives every page listed above it in the
nav, in order, rebased by ``scholarly.print_edition``, and written one chapter at a
time into the page MkDocs rendered around them: the whole edition is never one string
in memory. Every page also marks links whose text is their own URL, so the print
stylesheet does not print the URL twice, and gives each link to another page of the
site its public address, which print shows. A dirty build
(``mkdocs serve --dirty``, ``make serve``) reads only the chapters changed since the
last build: under ``mkdocs serve`` the print page takes the other chapters as the
last build that read them made them, so an edit shows there too; elsewhere it is left
as the last full build wrote it.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import pathlib
import posixpath
from collections.abc import Iterable, Iterator

from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from scholarly import build_mode, format_cache
from scholarly.check import read_site_citation, setting_error
from scholarly.citation_formats import format_styled_kept
from scholarly.pandoc import PandocError
from scholarly.print_edition import (
    PRINT_PAGE,
    Chapter,
    chapter_sections,
    chapter_slug,
    contents,
    edition_record,
    mark_bare_urls,
    mark_site_links,
    pdf_name,
    pdf_name_problem,
    title_page,
    whole_memo,
)


def on_config(config):
    problem = pdf_name_problem(config.extra.get("pdf_name"))
    if problem:
        raise ConfigurationError(str(setting_error(config, "pdf_name", problem)))
    return config


def on_files(files, config):
    if files.get_file_from_path(PRINT_PAGE) is not None:
        raise PluginError(
            f"docs/{PRINT_PAGE}: this page is generated from the chapters — rename the file"
        )
    markdown = f"---\nsearch:\n  exclude: true\n---\n\n# {config.site_name}\n"
    files.append(File.generated(config, PRINT_PAGE, content=markdown))
    return files


def on_page_content(html, page, config, files):
    return mark_site_links(mark_bare_urls(html), page.url, config.site_url)


# Where the chapters go in the rendered print page. The page holds every chapter
# (15 MB of text at 200 chapters): put through the template, the post_page hooks and
# MkDocs' writer whole, it would be copied five times over. The template renders the page
# around this mark instead, and on_post_page writes it with the chapters streamed in.
WHOLE_MEMO_MARK = "<!-- whole memo: every chapter, written in by hooks/print_page.py -->"
# What MkDocs logs (INFO) for a page whose output is empty, as the print page's is
# once on_post_page has written it.
SKIPPED_NOTICE = f"Page skipped: '{PRINT_PAGE}'. Generated empty output."
BUILD_LOG = logging.getLogger("mkdocs.commands.build")


@dataclasses.dataclass
class _WholeMemo:
    page: Page
    chapters: list[Chapter]
    titles: dict[str, str]


# Under `mkdocs serve`, each chapter's section of the print page and its title, by
# slug, as the last build that read the chapter made them: a dirty rebuild reads only
# the chapters changed since, and takes the others from here. Kept from build to build
# on purpose (the server keeps this module loaded); a full build makes every entry
# again, and adding, removing or moving a page makes the next build a full one
# (hooks/watch.py). Not kept by `mkdocs build`, whose memory stays one chapter deep.
_served_sections: dict[str, tuple[str, str]] = {}


# The print page between its on_page_context and its on_post_page.
_pending: _WholeMemo | None = None


class _HideSkippedNotice(logging.Filter):
    """The print page was written by on_post_page, not skipped: MkDocs' notice would
    say otherwise. Drops that one notice, then itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() != SKIPPED_NOTICE:
            return True
        BUILD_LOG.removeFilter(self)
        return False


_hide_skipped_notice = _HideSkippedNotice()


def on_pre_build(config):
    global _pending
    _pending = None


# Templates are rendered after every page's Markdown is converted, so here all
# chapters' content is final.
def on_page_context(context, page, config, nav):
    global _pending
    if page.file.src_uri != PRINT_PAGE:
        return context
    # Every page listed above it in the nav; every page of the nav if the nav omits it
    # (MkDocs then warns that the page is not in the nav).
    pages = nav.pages[: nav.pages.index(page)] if page in nav.pages else list(nav.pages)
    chapters = [Chapter(chapter_slug(p.file.src_uri), p.url, p.content) for p in pages]
    # A dirty build did not read these: under `mkdocs serve` an earlier build made them.
    unread = [chapter.slug for chapter in chapters if chapter.html is None]
    if unread and not (build_mode.command == "serve"
                       and all(slug in _served_sections for slug in unread)):
        page.meta["print_page_not_rebuilt"] = True
        return context
    titles = {chapter.slug: p.title if chapter.html is not None else _served_sections[chapter.slug][0]
              for chapter, p in zip(chapters, pages)}
    page.content = "\n".join(
        [page.content, _opening(config, page), contents(chapters, titles), WHOLE_MEMO_MARK]
    )
    _pending = _WholeMemo(page, chapters, titles)
    return context


# Last of the page's post_page hooks, so the others have seen the page (without its
# chapters: none of them changes a chapter). Empty output makes MkDocs skip writing
# the page: a dirty build keeps the print page of the last full build, and a full
# build has written it here.
@event_priority(-100)
def on_post_page(output, page, config):
    global _pending
    if page.meta.get("print_page_not_rebuilt"):
        return ""
    if _pending is None or _pending.page is not page:
        return output
    whole, _pending = _pending, None
    made = {slug: section for slug, (_, section) in _served_sections.items()}
    before, mark, after = output.partition(WHOLE_MEMO_MARK)
    if not mark or WHOLE_MEMO_MARK in after:  # the template did not show the content once
        return output.replace(WHOLE_MEMO_MARK, whole_memo(whole.chapters, page.url, made))
    kept = format_cache.FileStore(format_cache.cache_dir(pathlib.Path(config.docs_dir).parent),
                                  "print-chapters")
    sections = chapter_sections(whole.chapters, page.url, kept, made)
    if build_mode.command == "serve":
        sections = _served(sections, whole)
    _write(page.file.abs_dest_path, itertools.chain([before], _newline_between(sections), [after]))
    # A dirty build rebased only the chapters it read: the others' entries stay.
    kept.save(keep_unused=build_mode.dirty)
    BUILD_LOG.addFilter(_hide_skipped_notice)
    return ""


def on_post_build(config):
    BUILD_LOG.removeFilter(_hide_skipped_notice)


def _served(sections: Iterator[str], whole: _WholeMemo) -> Iterator[str]:
    """SECTIONS as they are written, each kept with its chapter's title for the next
    dirty rebuild under `mkdocs serve`."""
    for chapter, section in zip(whole.chapters, sections):
        _served_sections[chapter.slug] = (whole.titles[chapter.slug], section)
        yield section


def _newline_between(sections: Iterator[str]) -> Iterator[str]:
    """The sections with a newline between each two, as ``"\\n".join`` puts them."""
    for index, section in enumerate(sections):
        if index:
            yield "\n"
        yield section


def _write(path: str, pieces: Iterable[str]) -> None:
    """The pieces, one after another, as MkDocs writes a page's output: UTF-8, with
    what UTF-8 cannot hold (lone surrogates) as character references."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        for piece in pieces:
            file.write(piece.encode("utf-8", errors="xmlcharrefreplace"))


def _opening(config, page) -> str:
    # A missing or broken CITATION.cff is reported, with its line, by hooks/citable.py.
    citation, _ = read_site_citation(config)
    if citation is None:
        return ""
    records = [edition_record(citation, config.site_url)]
    records += [citation.basis] if citation.basis else []
    # The site's own style: a title page has no reader's access date to print.
    store = format_cache.Store(format_cache.cache_dir(pathlib.Path(config.docs_dir).parent),
                               "print-title")
    try:
        styled = format_styled_kept(records, store, {"Chicago": config.extra["csl_style"]})
    except PandocError as problem:
        # After the build's report: its own message, as a diagnostic reads.
        raise PluginError(f"CITATION.cff:1:1: error: pandoc cannot format the whole edition's "
                          f"title page: {problem}") from problem
    store.save(keep_unused=False)
    edition_of = styled["basis"]["Chicago"].text if citation.basis else ""
    # `make site` writes the PDF where this link leads (scholarly.memo_pdf).
    pdf_href = posixpath.relpath(pdf_name(citation, config.extra.get("pdf_name")), page.url)
    return title_page(citation, styled["edition"]["Chicago"].text, edition_of, pdf_href,
                      preview=not config.site_url)
