"""Adds the whole memo on one page (``print/``), for printing and for ``make pdf``.

The page is generated, never written by hand: its Markdown is only the site's title,
and once every chapter is converted it receives every page listed above it in the
nav, in order, rebased by ``scholarly.print_edition``. Every page also marks links whose text is
their own URL, so the print stylesheet does not print the URL twice. A dirty build
(``mkdocs serve --dirty``) reads only the chapters changed since the last build, so
it leaves the print page as the last full build wrote it.
"""

from __future__ import annotations

import pathlib
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from scholarly import format_cache
from scholarly.citation_formats import format_styled_kept
from scholarly.print_edition import (
    Chapter,
    chapter_slug,
    contents,
    edition_record,
    mark_bare_urls,
    title_page,
    whole_memo,
)
from scholarly.site_citation import parse_citation_cff

PRINT_PAGE = "print.md"
# Written into the site by `make pdf`.
PDF_NAME = "memo.pdf"


def on_files(files, config):
    if files.get_file_from_path(PRINT_PAGE) is not None:
        raise PluginError(
            f"docs/{PRINT_PAGE}: this page is generated from the chapters — rename the file"
        )
    markdown = f"---\nsearch:\n  exclude: true\n---\n\n# {config.site_name}\n"
    files.append(File.generated(config, PRINT_PAGE, content=markdown))
    return files


def on_page_content(html, page, config, files):
    return mark_bare_urls(html)


# Templates are rendered after every page's Markdown is converted, so here all
# chapters' content is final.
def on_page_context(context, page, config, nav):
    if page.file.src_uri != PRINT_PAGE:
        return context
    pages = nav.pages[: nav.pages.index(page)]
    if any(p.content is None for p in pages):  # a dirty build did not read them
        page.meta["print_page_not_rebuilt"] = True
        return context
    chapters = [Chapter(chapter_slug(p.file.src_uri), p.url, p.content) for p in pages]
    titles = {chapter.slug: p.title for chapter, p in zip(chapters, pages)}
    page.content = "\n".join(
        [
            page.content,
            _opening(config, page),
            contents(chapters, titles),
            whole_memo(chapters, page.url),
        ]
    )
    return context


# Last of the page's post_page hooks: empty output makes MkDocs skip writing the page,
# so a dirty build keeps the print page of the last full build.
@event_priority(-100)
def on_post_page(output, page, config):
    return "" if page.meta.get("print_page_not_rebuilt") else output


def _opening(config, page) -> str:
    cff = pathlib.Path(config.config_file_path).parent / "CITATION.cff"
    if not cff.is_file():
        return ""
    # A broken CITATION.cff is reported, with its line, by the hooks that cite the site.
    citation, _ = parse_citation_cff(cff.read_text(encoding="utf-8"))
    if citation is None:
        return ""
    records = [edition_record(citation, config.site_url)]
    records += [citation.basis] if citation.basis else []
    # The site's own style: a title page has no reader's access date to print.
    store = format_cache.Store(format_cache.cache_dir(pathlib.Path(config.docs_dir).parent),
                               "print-title")
    styled = format_styled_kept(records, store, {"Chicago": config.extra["csl_style"]})
    store.save(keep_unused=False)
    edition_of = styled["basis"]["Chicago"] if citation.basis else ""
    pdf_href = posixpath.relpath(PDF_NAME, page.url)
    return title_page(citation, styled["edition"]["Chicago"], edition_of, pdf_href)
