"""Sets the address the site's citations give (``site_url``) from CITATION.cff's url.

A published build whose address differs from CITATION.cff's, or is missing from it,
stops with a message saying which to change; a build with no public address at all
is a preview, and the cite boxes say so (``scholarly.public_address``).
"""
from __future__ import annotations

from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import event_priority

from scholarly import build_mode
from scholarly.check import citation_path, read_site_citation
from scholarly.public_address import public_address


# Before hooks/citable.py (50) and print_page.py, which cite the site at this address.
@event_priority(60)
def on_config(config):
    # A missing or broken CITATION.cff is reported, with its line, by hooks/citable.py.
    site, _ = read_site_citation(config)
    address = public_address(site.url if site else "", config.site_url,
                             serving=build_mode.command == "serve")
    if address.problem:
        raise ConfigurationError(f"{citation_path(config).name}: {address.problem}")
    config.site_url = address.url
    return config
