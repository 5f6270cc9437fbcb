"""``python -m scholarly.memo_pdf SITE_DIR``: the whole edition or memo as a PDF in SITE_DIR.

Takes the built whole-edition page (``print/index.html``, see hooks/print_page.py), keeps
its article, and sets it with WeasyPrint under ``stylesheets/memo-pdf.css``: a title
page with the citation, contents with page numbers, each chapter from a new page, page
numbers in the footer, and the references, the last chapter, as the bibliography. The
PDF goes where the page's download link leads: the build named it ``edition.pdf``,
``memo.pdf`` or ``extra.pdf_name``.
"""

from __future__ import annotations

import html
import pathlib
import posixpath
import re
import sys

PRINT_PAGE = pathlib.Path("print", "index.html")
STYLESHEET = pathlib.Path("stylesheets", "memo-pdf.css")

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
_LANG = re.compile(r'<html lang="([^"]*)"')
_DOWNLOAD = re.compile(r'<p class="reading-download"><a href="([^"]+)" download>')


def _meta(page_html: str, name: str) -> list[str]:
    """The contents of the page's meta tags NAME, escaped as the page has them."""
    return re.findall(f'<meta name="{re.escape(name)}" content="([^"]*)"', page_html)


def pdf_document(page_html: str) -> str:
    """The article of the whole-edition page as a document of its own, for the PDF; the
    PDF's title, author, subject and language are the page's citation metadata (the
    edition's, from CITATION.cff)."""
    article = _ARTICLE.search(page_html)
    if article is None:
        raise ValueError("the whole-edition page has no Material article element")
    lang = _LANG.search(page_html)
    title = _meta(page_html, "citation_title")
    head = ['<meta charset="utf-8">', f"<title>{title[0] if title else ''}</title>"]
    authors = _meta(page_html, "DC.creator")
    if authors:
        head.append(f'<meta name="author" content="{"; ".join(authors)}">')
    description = _meta(page_html, "DC.description")
    if description:
        head.append(f'<meta name="description" content="{description[0]}">')
    return (
        f'<!doctype html>\n<html lang="{lang[1] if lang else "en"}">\n<head>\n'
        + "\n".join(head)
        + f'\n</head>\n<body>\n<article class="md-typeset">{article[1]}</article>\n</body>\n</html>\n'
    )


def pdf_target(page_html: str, site_dir: pathlib.Path) -> pathlib.Path:
    """Where the whole-edition page's download link leads, in SITE_DIR."""
    link = _DOWNLOAD.search(page_html)
    if link is None:
        raise SystemExit(f"{site_dir / PRINT_PAGE}: no PDF download link on the title page — "
                         "is CITATION.cff there? Build the site again (`make site`)")
    return site_dir / posixpath.normpath(posixpath.join(PRINT_PAGE.parent.as_posix(),
                                                        html.unescape(link[1])))


def write_pdf(site_dir: pathlib.Path) -> pathlib.Path:
    import weasyprint  # only `make pdf` needs it; the site build does not

    page = site_dir / PRINT_PAGE
    if not page.is_file():
        raise SystemExit(f"{page}: not found — build the site first (`make site`)")
    page_html = page.read_text(encoding="utf-8")
    target = pdf_target(page_html, site_dir)
    weasyprint.HTML(string=pdf_document(page_html), base_url=page.resolve().as_uri()).write_pdf(
        target, stylesheets=[weasyprint.CSS(filename=site_dir / STYLESHEET)])
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m scholarly.memo_pdf SITE_DIR", file=sys.stderr)
        return 2
    print(write_pdf(pathlib.Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
