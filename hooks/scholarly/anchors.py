"""The anchor ledger: every section URL the site has published, so none vanishes silently.

``anchors.lock`` lists published anchors (``/page/#id``), one a line, and under an
``[aliases]`` line, renamed ones (``/old/#id -> /new/#id``, or a whole page,
``/old/ -> /new/``). A listed anchor must still exist, directly or through an alias;
if not, the build names it and the two ways out. New anchors are not errors: ``make
anchors`` adds them. Pure functions: text and sets in, data and diagnostics out.
"""
from __future__ import annotations

import dataclasses

from .diagnostics import Diagnostic, error

ALIASES_HEADER = "[aliases]"
HEADER = """\
# Anchor ledger: every section URL this site has published (page#id), one a line.
# The build fails if one disappears: restore its id, or declare an alias below
# ("/old/#id -> /new/#id", or "/old-page/ -> /new-page/" for a moved page).
# `make anchors` adds new ids; never delete a line once it is published.
"""


@dataclasses.dataclass
class Ledger:
    anchors: dict[str, int]  # anchor -> line in the ledger
    aliases: dict[str, tuple[str, int]]  # old anchor or page -> (new, line)


def parse_ledger(text: str, path: str = "anchors.lock") -> tuple[Ledger, list[Diagnostic]]:
    ledger = Ledger({}, {})
    diagnostics = []
    in_aliases = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == ALIASES_HEADER:
            in_aliases = True
            continue
        if in_aliases:
            old, arrow, new = (part.strip() for part in line.partition("->"))
            if not arrow or not old or not new:
                diagnostics.append(error(path, number, 1, f"alias {line!r} is not 'old -> new'",
                                         "write e.g. /coup-attempt/#old-id -> /coup-attempt/#new-id"))
                continue
            ledger.aliases[old] = (new, number)
        elif not line.startswith("/"):
            diagnostics.append(error(path, number, 1, f"ledger entry {line!r} is not a site path",
                                     "entries look like /coup-attempt/#why-it-failed"))
        else:
            ledger.anchors[line] = number
    return ledger, diagnostics


def resolve(anchor: str, aliases: dict[str, tuple[str, int]]) -> str:
    """Where an old anchor lands now: through an anchor alias, else a page alias."""
    seen = set()
    while anchor not in seen:
        seen.add(anchor)
        if anchor in aliases:
            anchor = aliases[anchor][0]
            continue
        page, hash_, fragment = anchor.partition("#")
        if page in aliases:
            anchor = aliases[page][0] + hash_ + fragment
            continue
        break
    return anchor


def check_ledger(ledger: Ledger, published: dict[str, str], path: str = "anchors.lock") -> list[Diagnostic]:
    """Errors for ledger anchors and alias targets that no longer exist.

    ``published`` maps every anchor of this build to the source file that holds it.
    """
    diagnostics = []
    pages = {anchor.partition("#")[0]: source for anchor, source in published.items()}
    for anchor, line in sorted(ledger.anchors.items(), key=lambda item: item[1]):
        target = resolve(anchor, ledger.aliases)
        if target in published:
            continue
        page, _, fragment = anchor.partition("#")
        if target != anchor:
            diagnostics.append(error(
                path, line, 1,
                f"published anchor {anchor!r} is aliased to {target!r}, which does not exist",
                "point the alias at an existing /page/#id",
            ))
        elif page in pages:
            diagnostics.append(error(
                path, line, 1,
                f"published anchor {anchor!r} no longer exists in {pages[page]}",
                f"restore the heading id {{#{fragment}}}, or add under {ALIASES_HEADER} "
                f"in {path}: {anchor} -> {page}#new-id",
            ))
        else:
            diagnostics.append(error(
                path, line, 1,
                f"published anchor {anchor!r}: its page {page!r} no longer exists",
                f"restore the page, or add under {ALIASES_HEADER} in {path}: {page} -> /new-page/",
            ))
    return diagnostics


def new_anchors(ledger: Ledger, published: dict[str, str]) -> list[str]:
    """Anchors of this build not yet in the ledger, in stable order."""
    return sorted(a for a in published if a not in ledger.anchors)


def aliases_to_honour(ledger: Ledger, published: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """What the site must serve for old URLs.

    Returns ``{current page: [old fragments that must land on it]}`` keyed by the
    current anchor, and ``{old page path: new page path}`` for redirect pages.
    """
    fragments: dict[str, list[str]] = {}
    redirects: dict[str, str] = {}
    pages = {anchor.partition("#")[0] for anchor in published}
    for old in sorted(set(ledger.anchors) | set(ledger.aliases)):
        if "#" not in old:
            target = resolve(old, ledger.aliases)
            if old not in pages and target in pages:
                redirects[old] = target
            continue
        target = resolve(old, ledger.aliases)
        if target == old or target not in published:
            continue
        old_page, _, old_fragment = old.partition("#")
        new_page, _, new_fragment = target.partition("#")
        if old_page == new_page and old_fragment != new_fragment:
            fragments.setdefault(target, []).append(old_fragment)
        elif old_page != new_page and old_page not in pages:
            redirects.setdefault(old_page, new_page)
    return fragments, redirects


def updated_ledger(text: str, published: dict[str, str]) -> str:
    """The ledger with this build's new anchors added; comments and aliases kept."""
    ledger, _ = parse_ledger(text)
    anchors = sorted(set(ledger.anchors) | set(published))
    lines = text.splitlines()
    aliases_at = next((i for i, line in enumerate(lines) if line.strip() == ALIASES_HEADER), len(lines))
    head = [line for line in lines[:aliases_at] if line.strip().startswith("#")] or HEADER.splitlines()
    tail = lines[aliases_at:] or ["", ALIASES_HEADER]
    return "\n".join(head + [""] + anchors + ([""] if tail[0].strip() else []) + tail) + "\n"
