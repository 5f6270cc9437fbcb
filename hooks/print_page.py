"""Adds the whole memo on one page (``print/``), for printing and for ``make pdf``.

The page is generated, never written by hand: its Markdown is only the site's title,
and once every chapter is converted it receives every page listed above it in the
nav, in order, rebased by ``scholarly.print_edition``. Every page also marks links whose text is
their own URL, so the print stylesheet does not print the URL twice.
"""

from __future__ import annotations

import pathlib
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from scholarly.citation_formats import format_styled
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
    styled = format_styled(records, {"Chicago": config.extra["csl_style"]})
    edition_of = styled["basis"]["Chicago"] if citation.basis else ""
    pdf_href = posixpath.relpath(PDF_NAME, page.url)
    return title_page(citation, styled["edition"]["Chicago"], edition_of, pdf_href)
