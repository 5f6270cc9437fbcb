"""The whole edition on one page, for printing and for the PDF, made from the chapters' HTML.

The chapters stay the single source: each rendered chapter is placed in its own
``<section>``, with its ids prefixed by the chapter's slug (notes, references and
sections of different chapters share ids such as ``ref-hall2017learning``), its headings one level
down under the page's own title, and its links rewritten so that a link to another
chapter lands inside this page and any other relative link still resolves from here.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from . import format_cache
from .site_citation import SiteCitation

# What a chapter's HTML changes when it joins the whole memo, found in one pass (at
# 200 chapters the page is 15 MB): attributes holding ids of the page (one, or a
# space-separated list), attributes holding URLs, and heading tags.
_ID_ATTRIBUTES = frozenset({"id", "aria-labelledby", "aria-describedby", "aria-controls", "for"})
_TO_REBASE = re.compile(
    r'(\s)(id|aria-labelledby|aria-describedby|aria-controls|for|href|src)="([^"]*)"'
    r"|<(/?)h([1-6])\b"
)
_WHITESPACE = re.compile(r"\s")
_BARE_URL_LINK = re.compile(r'<a href="(https?://[^"]+)">\1</a>')


@dataclasses.dataclass(frozen=True)
class Chapter:
    # The chapter's anchor on the whole-memo page, e.g. "transition".
    slug: str
    # The chapter's URL from the site root, as MkDocs writes it: "" or "transition/".
    url: str
    # Its content, reference list included; None for a chapter a dirty build did not
    # read, whose section an earlier build made (``chapter_sections``' SECTIONS_MADE).
    html: str | None


def chapter_slug(src_uri: str) -> str:
    """``transition.md`` -> ``transition``; ``people/index.md`` -> ``people``."""
    stem = src_uri.removesuffix(".md").removesuffix("/index")
    return stem.replace("/", "-") or "index"


def mark_bare_urls(content: str) -> str:
    """Give a link whose text is its own URL a class, so print does not repeat the URL."""
    # Called on every page, many without such a link: the string every one holds is
    # sought first, more cheaply than the pattern.
    if '">http' not in content:
        return content
    return _BARE_URL_LINK.sub(_marked_bare_url, content)


def _marked_bare_url(match: re.Match) -> str:
    # A function, not a template: Python 3.11 expands a template in Python at every match.
    return f'<a class="reading-bare-url" href="{match[1]}">{match[1]}</a>'


# A link to another page of the site, as MkDocs writes it: a relative address.
_SITE_LINK = re.compile(r'<a href="((?![a-zA-Z][a-zA-Z0-9+.-]*:|#)[^"]+)"')


def mark_site_links(content: str, page_url: str, site_url: str | None) -> str:
    """Give each link to another page of the site its public address, which print
    shows after it; a build with no public address (a preview) gives none."""
    if not site_url or '<a href="' not in content:
        return content
    base = urljoin(site_url, page_url)

    def marked(match: re.Match) -> str:
        address = urljoin(base, html.unescape(match[1]))
        return f'{match[0]} data-print-href="{html.escape(address)}"'

    return _SITE_LINK.sub(marked, content)


def whole_memo(chapters: list[Chapter], page_url: str,
               sections_made: dict[str, str] | None = None) -> str:
    """The chapters, in order, as one page's HTML at ``page_url`` (e.g. ``"print/"``);
    SECTIONS_MADE as ``chapter_sections`` takes them."""
    return "\n".join(chapter_sections(chapters, page_url, sections_made=sections_made))


def chapter_sections(chapters: list[Chapter], page_url: str,
                     kept: format_cache.FileStore | None = None,
                     sections_made: dict[str, str] | None = None) -> Iterator[str]:
    """The whole memo one chapter at a time: joined by newlines, it is ``whole_memo``.

    A writer that takes them one by one never holds the whole page (15 MB of text at
    200 chapters) besides the chapters it is made from. With KEPT, a chapter rebased
    by an earlier build from the same HTML and chapter list is read back, not
    rebased again (the rebasing is most of the print page's cost). A chapter whose
    html is None is its section in SECTIONS_MADE (by slug), as an earlier build of the
    same chapter list made it."""
    slugs = {_page_path("/" + c.url): c.slug for c in chapters}
    # What a chapter's section depends on besides the chapter: the page's address,
    # every chapter's (links between chapters land inside the page), and this code.
    context = format_cache.key("print chapter",
                               format_cache.source_code(__file__), page_url,
                               *(f"{c.slug}\0{c.url}" for c in chapters))
    for chapter in chapters:
        if chapter.html is None:
            yield (sections_made or {})[chapter.slug]
            continue
        yield (f'<section class="reading-chapter" id="{chapter.slug}">\n'
               f"{_rebased(chapter, slugs, page_url, kept, context)}\n</section>")


def _rebased(chapter: Chapter, slugs: dict[str, str], page_url: str,
             kept: format_cache.FileStore | None, context: str) -> str:
    if kept is None:
        return _rebase(chapter, slugs, page_url)
    entry_key = format_cache.key(context, chapter.slug, chapter.url, chapter.html)
    text = kept.get(entry_key)
    if text is None:
        text = _rebase(chapter, slugs, page_url)
        kept.put(entry_key, text)
    return text


# The generated page that holds the whole edition (hooks/print_page.py).
PRINT_PAGE = "print.md"


def edition_record(citation: SiteCitation, url: str | None) -> dict:
    """This edition as a whole, as a CSL-JSON record for the title page's citation; no
    URL in a build that has no public address."""
    year, month, day = (int(part) for part in citation.date_released.split("-"))
    record = {
        "id": "edition",
        "type": "webpage",
        "title": citation.title,
        "author": [person.csl() for person in citation.authors],
        "issued": {"date-parts": [[year, month, day]]},
        "version": citation.version,
        "language": "en",
    }
    if url:
        record["URL"] = url
    return record


# What the title page of a build with no public address says under its citation.
PREVIEW_NOTICE = ('<p class="reading-preview">Preview build — no public address yet: this '
                  "citation gives no URL.</p>")


def pdf_name(citation: SiteCitation | None, configured: object = None) -> str:
    """The PDF's file name in the site: CONFIGURED (``extra.pdf_name``, for a site that
    published its PDF under another name, which must keep working), else ``edition.pdf``
    for an edition of another work and ``memo.pdf`` for an original memo (CITATION.cff's
    preferred-citation)."""
    if configured is not None:
        return configured
    return "edition.pdf" if citation is not None and citation.basis else "memo.pdf"


def pdf_name_problem(configured: object) -> str | None:
    """What is wrong with CONFIGURED as ``extra.pdf_name``, or None."""
    if configured is None or (isinstance(configured, str) and _PDF_NAME.fullmatch(configured)):
        return None
    return (f"{configured!r} is not a PDF file name for the top of the site — write letters, "
            "digits, '.', '-' or '_' ending in .pdf, e.g. memo.pdf")


# A file at the top of the site: no folder, nothing a URL would need to escape.
_PDF_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.pdf")


def title_page(citation: SiteCitation, cite_as: str, edition_of: str, pdf_href: str,
               preview: bool = False) -> str:
    """What opens the whole edition: authors, edition, how to cite it (in a PREVIEW, with
    no public address, saying so), and the PDF link.

    ``cite_as`` and ``edition_of`` are citations already formatted by a CSL processor.
    """
    authors = " and ".join(html.escape(person.display) for person in citation.authors)
    facts = [f"Version {html.escape(citation.version)}, {html.escape(citation.date_released)}"]
    if citation.license:
        facts.append(f"Licence: {html.escape(citation.license)}")
    parts = ['<div class="reading-title-page">', f'<p class="reading-authors">{authors}</p>']
    if citation.abstract:
        parts.append(f"<p>{html.escape(citation.abstract)}</p>")
    parts.append(f"<p>{' · '.join(facts)}</p>")
    # An edition of another work, or an original memo (CITATION.cff's preferred-citation).
    work = "edition" if citation.basis else "memo"
    parts.append(f'<p class="reading-cite-as">Cite this {work}: {html.escape(cite_as)}</p>')
    if preview:
        parts.append(PREVIEW_NOTICE)
    if edition_of:
        parts.append(f'<p class="reading-cite-as">An edition of: {html.escape(edition_of)}</p>')
    parts.append(
        f'<p class="reading-download"><a href="{html.escape(pdf_href)}" download>'
        f"Download the whole {work} as a PDF</a></p>"
    )
    parts.append("</div>")
    return "\n".join(parts)


def contents(chapters: list[Chapter], titles: dict[str, str]) -> str:
    """A list of the chapters, linking to their sections of the page."""
    items = "\n".join(
        f'<li><a href="#{c.slug}">{html.escape(titles[c.slug])}</a></li>' for c in chapters
    )
    return f'<nav class="reading-contents" aria-label="Contents">\n<ol>\n{items}\n</ol>\n</nav>'


def _page_path(path: str) -> str:
    return path.removesuffix("index.html")


def _rebase(chapter: Chapter, slugs: dict[str, str], page_url: str) -> str:
    prefix = f"{chapter.slug}--"

    def local_ids(value: str) -> str:
        if not value or _WHITESPACE.search(value):
            return " ".join(prefix + token for token in value.split())
        return prefix + value  # one id, by far the most common: no split and join

    def url(attribute: str, value: str) -> str | None:
        """The attribute's new value, escaped; None to keep it as it is."""
        if value.startswith("#") and "&" not in value:  # a note or section of the page
            return f"#{prefix}{value[1:]}"
        value = html.unescape(value)
        if value.startswith("#"):
            return f"#{prefix}{value[1:]}"
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
            return None
        target = urlsplit(urljoin("/" + chapter.url, value))
        slug = slugs.get(_page_path(target.path))
        if slug is not None and attribute == "href":
            anchor = f"{slug}--{target.fragment}" if target.fragment else slug
            return f"#{html.escape(anchor)}"
        relative = posixpath.relpath(target.path, "/" + page_url)
        if target.path.endswith("/") and relative != ".":
            relative += "/"
        fragment = f"#{target.fragment}" if target.fragment else ""
        return html.escape(relative + fragment)

    def rebase(match: re.Match) -> str:
        space, attribute, value = match[1], match[2], match[3]
        if attribute is None:  # a heading tag, one level down
            return f"<{match[4]}h{min(int(match[5]) + 1, 6)}"
        if attribute in _ID_ATTRIBUTES:
            return f'{space}{attribute}="{local_ids(value)}"'
        rebased = url(attribute, value)
        return match[0] if rebased is None else f'{space}{attribute}="{rebased}"'

    return _TO_REBASE.sub(rebase, chapter.html)
