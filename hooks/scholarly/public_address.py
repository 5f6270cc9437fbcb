"""Which address the site's citations give: the public URL CITATION.cff states, and
nothing else.

A citation holds an address for good, so a build cites only the address CITATION.cff
names (``url``). Publishing (``site_url`` set, as the Pages workflow sets it from
the Pages address) must agree with it. A build that knows no public address is a
preview: its cite boxes say so and its pages name no address, rather than one that
works only on this machine. ``mkdocs serve`` cites the address it serves on.
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Address:
    # The address to cite, ending in '/'; None in a preview build.
    url: str | None
    # What stops the build, or None.
    problem: str | None = None


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def public_address(stated: str, built_for: str | None, serving: bool) -> Address:
    """The address to cite, from STATED (CITATION.cff's url, '' if none), BUILT_FOR
    (mkdocs' site_url: the Pages address when publishing, the local one when
    SERVING). A problem is said of CITATION.cff."""
    if serving:
        return Address(built_for)
    if not stated:
        if built_for:
            return Address(None, (
                f"no url, and the site is built for {built_for}: add "
                f'url: "{_with_slash(built_for)}", which states the address the site\'s '
                "citations give"))
        return Address(None)
    if built_for and _with_slash(built_for) != _with_slash(stated):
        return Address(None, (
            f"url {stated} is not the address the site is built for, {built_for} "
            "(site_url, or SITE_URL): its citations would send readers elsewhere — make "
            "the two agree"))
    return Address(_with_slash(stated))
