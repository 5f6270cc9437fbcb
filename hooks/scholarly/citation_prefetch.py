"""Which citation groups to format before the pages are rendered, and formatted ones kept.

mkdocs-bibtex formats a page's citation groups when it reaches the page: one pandoc
run per page, each reading the whole bibliography again. Handing it every group of
the site first, in runs of a chosen length, each with a .bib of only the entries it
cites, is much cheaper. The groups are found the way mkdocs-bibtex finds them
(``CitationBlock.from_markdown``), so each is a cache hit when its page comes.

Runs are cut where the groups' own text says (see ``runs``), not every N groups, so
an edit to one page changes only the runs holding its groups: the others are the same
pandoc inputs as before, answered from the format cache (scholarly/format_cache.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Iterable

from mkdocs_bibtex.citation import Citation, CitationBlock


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


def runs(blocks: list[CitationBlock], average: int) -> list[list[CitationBlock]]:
    """The blocks, in order, in runs of about ``average`` (at most twice that).

    citeproc's time per group grows with a run's length and each run costs a process
    start, so neither one run nor one per group. A run ends after a group whose text
    hashes to a multiple of ``average``: inserting or removing a group changes its
    own run only, where cutting every N groups would shift every later run (and miss
    the cache for all of them).
    """
    cut: list[list[CitationBlock]] = [[]]
    for block in blocks:
        cut[-1].append(block)
        if len(cut[-1]) >= 2 * average or _ends_run(str(block), average):
            cut.append([])
    return [run for run in cut if run]


def _ends_run(text: str, average: int) -> bool:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % average == 0


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
