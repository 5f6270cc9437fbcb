"""CITATION.cff: valid CFF 1.2.0, and read into the record every citation uses."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, REPO
from scholarly.site_citation import parse_citation_cff

CFF_SCHEMA = json.loads((FIXTURES / "schemas" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))

VALID = """\
cff-version: 1.2.0
message: Cite it.
title: A Site
authors:
  - family-names: Junisbai
    given-names: Azamat
version: 2.0.0
date-released: "2026-01-02"
license: CC-BY-4.0
"""


def test_repository_citation_cff_is_valid_cff_1_2_0():
    data = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(CFF_SCHEMA).validate(data)


def test_valid_file_gives_the_site_record():
    site, diagnostics = parse_citation_cff(VALID)
    assert diagnostics == []
    assert (site.title, site.version, site.date_released, site.license) == (
        "A Site", "2.0.0", "2026-01-02", "CC-BY-4.0")
    assert site.authors[0].display == "Azamat Junisbai"
    assert site.authors[0].inverted == "Junisbai, Azamat"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("title: A Site\n", ""),
         "CITATION.cff:1:1: error: CITATION.cff lacks 'title' — see https://citation-file-format.github.io/"),
        (VALID.replace('"2026-01-02"', "next spring"),
         ("CITATION.cff:8:1: error: CITATION.cff: date-released 'next spring' is not a date — "
         'write it as "YYYY-MM-DD"')),
        (VALID.replace("  - family-names: Junisbai\n    given-names: Azamat\n", "  - orcid: x\n"),
         "CITATION.cff:4:1: error: CITATION.cff: every author needs family-names or name"),
        ("- just\n- a list\n", "CITATION.cff:1:1: error: CITATION.cff must be a mapping of CFF keys"),
        (VALID.replace("version: 2.0.0", "version: 2.0.0\n\ttab: indented"),
         ("CITATION.cff:8:1: error: CITATION.cff is not valid YAML: found character '\\t' that cannot"
         " start any token — indent with spaces, and quote a value that holds ': ' or starts with a"
         " character YAML reserves")),
        (VALID.replace("title: A Site", "title: A Site: the edition"),
         ("CITATION.cff:3:14: error: CITATION.cff is not valid YAML: mapping values are not allowed"
         " here — indent with spaces, and quote a value that holds ': ' or starts with a character"
         " YAML reserves")),
    ],
)
def test_problems_are_reported_with_line_and_fix(text, expected):
    site, diagnostics = parse_citation_cff(text)
    assert site is None
    assert [str(d) for d in diagnostics] == [expected]


def test_licence_list_gives_the_text_licence_first():
    site, diagnostics = parse_citation_cff(VALID.replace("license: CC-BY-4.0", "license:\n  - CC-BY-4.0\n  - MIT"))
    assert diagnostics == []
    assert site.license == "CC-BY-4.0"


def test_repository_citation_cff_states_both_licences():
    data = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["license"] == ["CC-BY-4.0", "MIT"]
