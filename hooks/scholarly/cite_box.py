"""What a page shows and says about citing: "Cite this" boxes, the sources it cites
(``[@key]`` in its Markdown, as Highwire and schema.org entries), and the check that
every section heading has an explicit id.

Every format is in the page as plain text, so citing works without JavaScript and
in print; the script only adds copy buttons. A section's box is a ``<details>``
element: closed, it costs one line of the page.
"""
from __future__ import annotations

import html
import json
import re

from .diagnostics import Diagnostic, error

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{2,3})\s+(.*?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")


def issued_parts(record: dict) -> list[int]:
    """[year, month, day] (as far as known) of a CSL record's date, the start of a
    range; [] for an undated source, which pandoc writes as no parts at all."""
    parts = record.get("issued", {}).get("date-parts") or [[]]
    return [int(part) for part in parts[0]] if parts[0] else []


def headings_without_id(markdown: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    """An error for every ##/### heading without an explicit ``{#id}``.

    Ids made from the heading text change when a word of the heading does, and a
    published section URL with them; an explicit id survives rewording.
    """
    diagnostics = []
    fence = None
    for number, line in enumerate(markdown.splitlines(), start=first_line):
        opened = _FENCE.match(line)
        if opened:
            marker = opened.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        heading = _HEADING.match(line)
        if heading and not _ATTR_ID.search(heading.group(2)):
            text = heading.group(2)
            suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section-id"
            diagnostics.append(error(
                path, number, 1,
                f"heading {text!r} has no explicit id, so its section URL is not stable",
                f"write it as: {heading.group(1)} {text} {{#{suggestion}}}",
            ))
    return diagnostics


def version_line(version: str, released: str, updated: str) -> str:
    return (
        f'<p class="citable-version">Version {html.escape(version)} '
        f'(released <time datetime="{released}">{released}</time>) · '
        f'last changed <time datetime="{updated}">{updated}</time></p>'
    )


def formats_html(styled: dict, machine: dict[str, str], downloads: dict[str, str]) -> str:
    """Chicago/APA/MLA as text (``Styled``: without an access date; the page's script
    writes the reader's date in where the style has one), then BibTeX/RIS/CSL-JSON,
    each a copyable block with its download."""
    parts = ['<dl class="citable-styles">']
    for label, entry in styled.items():
        accessed = (f' data-style="{html.escape(label)}" data-accessed="{html.escape(entry.accessed)}"'
                    if entry.accessed else "")
        parts.append(f'<dt>{label}</dt><dd><p class="citable-copy"{accessed}>{html.escape(entry.text)}</p></dd>')
    parts.append("</dl>")
    # Records are for reference managers, and long: behind one quiet control.
    parts.append(f'<details class="citable-records"><summary>{", ".join(machine)}</summary>')
    for label, text in machine.items():
        link = downloads.get(label)
        download = f' <a href="{html.escape(link)}" download>download</a>' if link else ""
        parts.append(
            f'<p class="citable-record-label">{label}{download}</p>'
            f'<pre class="citable-copy citable-record"><code>{html.escape(text)}</code></pre>'
        )
    parts.append("</details>")
    return "".join(parts)


def preview_notice() -> str:
    """What a cite box says in a build with no public address (``public_address``)."""
    return ('<p class="citable-preview"><strong>Preview build — no public address '
            "yet.</strong> These citations give no URL; a published build gives the "
            "address stated in CITATION.cff.</p>")


def access_date_forms(forms: dict[str, list[str]]) -> str:
    """The styles' forms of an access date, for the page's script."""
    return ('<script type="application/json" id="citable-access-dates">'
            + json.dumps(forms, ensure_ascii=False).replace("<", "\\u003c") + "</script>")


def section_box(section_id: str, body: str) -> str:
    return (
        f'<details class="citable citable-section" data-section="{html.escape(section_id)}">'
        f"<summary>Cite this section</summary>{body}</details>"
    )


def page_box(body: str, downloads: dict[str, str], bibliography: dict[str, str]) -> str:
    links = " · ".join(
        f'<a href="{html.escape(href)}" download>{label}</a>' for label, href in downloads.items()
    )
    bib_links = " · ".join(
        f'<a href="{html.escape(href)}" download>{label}</a>' for label, href in bibliography.items()
    )
    return (
        '<aside class="citable citable-page" aria-label="Cite this page">'
        f"<h2 id=\"cite-this-page\" class=\"citable-title\">Cite this page</h2>{body}"
        f'<p class="citable-downloads">This page and its sections: {links}.'
        f" All sources of the site: {bib_links}.</p></aside>"
    )


def display_name(name: dict) -> str:
    """A CSL name as read in running text: "Given Family", or an organisation's name."""
    return name.get("literal") or f"{name.get('given', '')} {name.get('family', '')}".strip()


def highwire_reference(record: dict) -> str:
    """One source in the ``citation_reference`` form Google Scholar reads."""
    # A source whose title is not known has a description in its genre (the .bib's type).
    fields = [("citation_title", record.get("title") or record.get("genre", ""))]
    fields.extend(("citation_author", display_name(name)) for name in record.get("author", []))
    parts = issued_parts(record)
    if parts:
        fields.append(("citation_publication_date", str(parts[0])))
    for csl_key, tag in (("container-title", "citation_journal_title"), ("volume", "citation_volume"),
                         ("issue", "citation_issue"), ("publisher", "citation_publisher"),
                         ("DOI", "citation_doi"), ("URL", "citation_public_url")):
        if record.get(csl_key):
            fields.append((tag, str(record[csl_key])))
    return "; ".join(f"{tag}={value}" for tag, value in fields)


def creative_work(record: dict, titles: dict[str, str]) -> dict:
    """A cited source as schema.org sees it."""
    kinds = {"article-journal": "ScholarlyArticle", "report": "Report", "book": "Book"}
    work = {"@type": kinds.get(record.get("type"), "CreativeWork"),
            "name": titles.get(record["id"], record.get("title") or record.get("genre", ""))}
    names = [display_name(name) for name in record.get("author", [])]
    if names:
        work["author"] = [{"@type": "Person", "name": name} for name in names]
    parts = issued_parts(record)
    if parts:
        work["datePublished"] = "-".join(f"{int(p):02d}" for p in parts)
    if record.get("container-title"):
        work["isPartOf"] = {"@type": "Periodical", "name": record["container-title"]}
    if record.get("URL"):
        work["url"] = record["URL"]
    return work
