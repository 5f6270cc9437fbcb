"""Theme overrides in overrides/partials/: nothing fetched from the code host, named dialogs."""

from __future__ import annotations

import re

REPO_URL = "https://github.com/example/memo"


def test_repository_link_is_plain_and_fetches_nothing(build_site):
    site = build_site({"index.md": "# Home\n\nText.\n"}, config={"repo_url": REPO_URL})
    assert site.ok, site.output
    page = site.page("index.html")
    # Material's JavaScript fetches repository statistics for this component.
    assert 'data-md-component="source"' not in page
    assert re.search(rf'<a href="{REPO_URL}" title="[^"]+" class="md-source">', page)


def test_search_dialog_has_a_name(build_site):
    site = build_site({"index.md": "# Home\n\nText.\n"})
    assert site.ok, site.output
    assert re.search(
        r'<div class="md-search"[^>]*role="dialog" aria-label="Search"', site.page("index.html")
    )
