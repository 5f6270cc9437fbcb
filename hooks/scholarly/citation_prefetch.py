"""Which citation groups to format before the pages are rendered, and formatted ones kept.

mkdocs-bibtex formats a page's citation groups when it reaches the page: one pandoc
run per page, each reading the whole bibliography again. Handing it every group of
the site first, in runs of a chosen length, each with a .bib of only the entries it
cites, is much cheaper. The groups are found the way mkdocs-bibtex finds them
(``CitationBlock.from_markdown``), so each is a cache hit when its page comes.

Formatted text is kept here, keyed by the bytes of the bibliography and the style:
``mkdocs serve`` keeps this module loaded, so a rebuild formats only what is new.
"""

from __future__ import annotations

import hashlib
import pathlib
import re
from collections.abc import Container, Iterable

from mkdocs_bibtex.citation import Citation, CitationBlock

# digest of (bibliography, style) -> (citation group -> inline text, key -> reference text)
_formatted: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def blocks_to_prefetch(
    texts: Iterable[str], known_keys: Container[str], *, cite_every_key: Iterable[str] = ()
) -> list[CitationBlock]:
    """Each distinct citation group of the texts whose keys all exist, in first-seen order.

    A group citing an unknown key is left out: the page's own pass reports it where it
    is, and the citation check names file and line. ``cite_every_key`` adds a one-key
    group for each key (what a full bibliography asks mkdocs-bibtex to format).
    """
    seen: dict[str, CitationBlock] = {}
    for text in texts:
        for block in CitationBlock.from_markdown(text):
            if all(citation.key in known_keys for citation in block.citations):
                seen.setdefault(str(block), block)
    for key in cite_every_key:
        block = CitationBlock(citations=[Citation(key=key)])
        seen.setdefault(str(block), block)
    return list(seen.values())


def chunked(blocks: list[CitationBlock], size: int) -> list[list[CitationBlock]]:
    """The blocks in runs of ``size``: citeproc's time per citation grows with the run's
    length, and each run costs a process start, so neither one run nor one per group."""
    return [blocks[start : start + size] for start in range(0, len(blocks), size)]


_AT_LINE_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_ENTRY_HEAD = re.compile(r"[ \t]*@[ \t]*(\w+)[ \t]*\{[ \t]*([^,\s{}]+)[ \t]*,")
_SHARED_KINDS = {"string", "preamble", "comment"}
# An entry that borrows fields from another needs that one beside it in any subset.
_BORROWS = re.compile(r"\b(?:crossref|xref|xdata)\s*=", re.IGNORECASE)


def split_bibtex(text: str, keys: Iterable[str]) -> tuple[str, dict[str, str]] | None:
    """A .bib file as (what every subset needs, {key: entry text}), or None if unsure.

    A subset for pandoc is the shared part (``@string``, ``@preamble``, comments) and
    the entries it cites. Anything unexpected — an entry that borrows from another,
    an '@' opening a line inside a value, unbalanced braces — gives None: then each
    run reads the whole file, which is slower and always right.
    """
    if _BORROWS.search(text):
        return None
    known = set(keys)
    cuts = [match.start() for match in _AT_LINE_START.finditer(text)]
    shared = [text[: cuts[0]] if cuts else text]
    entries: dict[str, str] = {}
    for start, end in zip(cuts, [*cuts[1:], len(text)]):
        piece = text[start:end]
        head = _ENTRY_HEAD.match(piece)
        if head is None:
            if not re.match(r"[ \t]*@[ \t]*(string|preamble|comment)\b", piece, re.IGNORECASE):
                return None
            shared.append(piece)
        elif head.group(1).lower() in _SHARED_KINDS:
            shared.append(piece)
        elif head.group(2) in known and head.group(2) not in entries and _balanced(piece):
            entries[head.group(2)] = piece.rstrip() + "\n"
        else:
            return None
    return "".join(shared), entries


def _balanced(piece: str) -> bool:
    unescaped = piece.replace("\\{", "").replace("\\}", "")
    return unescaped.count("{") == unescaped.count("}")


def bib_subset(split: tuple[str, dict[str, str]] | None, whole: str, keys: Iterable[str]) -> str:
    """The .bib text pandoc needs for these (known) keys."""
    if split is None:
        return whole
    shared, entries = split
    return shared + "\n".join(entries[key] for key in dict.fromkeys(keys))


def content_digest(paths: Iterable[pathlib.Path]) -> str:
    """One digest of the files' bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        content = path.read_bytes()
        digest.update(len(content).to_bytes(8, "big"))
        digest.update(content)
    return digest.hexdigest()


def recall(digest: str) -> tuple[dict[str, str], dict[str, str]]:
    """What was formatted for these inputs before (empty dicts when nothing was)."""
    return _formatted.get(digest, ({}, {}))


def remember(digest: str, inline: dict[str, str], references: dict[str, str]) -> None:
    """Keeps only the latest inputs' results: an edited .bib makes the old ones stale."""
    _formatted.clear()
    _formatted[digest] = (dict(inline), dict(references))
