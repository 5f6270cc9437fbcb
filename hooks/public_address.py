"""Sets the address the site's citations give (``site_url``) from CITATION.cff's url.

A published build whose address differs from CITATION.cff's, or is missing from it,
stops with a message saying which to change; a build with no public address at all
is a preview, and the cite boxes say so (``scholarly.public_address``).
"""
from __future__ import annotations

from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import event_priority

from scholarly import build_mode
from scholarly.check import citation_path
from scholarly.public_address import public_address
from scholarly.site_citation import parse_citation_cff


# Before hooks/citable.py (50) and print_page.py, which cite the site at this address.
@event_priority(60)
def on_config(config):
    path = citation_path(config)
    site, _ = parse_citation_cff(path.read_text(encoding="utf-8")) if path.is_file() else (None, [])
    # A missing or broken CITATION.cff is reported, with its line, by hooks/citable.py.
    address = public_address(site.url if site else "", config.site_url,
                             serving=build_mode.command == "serve")
    if address.problem:
        raise ConfigurationError(f"{path.name}: {address.problem}")
    config.site_url = address.url
    return config
