"""Citation records in five formats, each checked by an independent reader."""
from __future__ import annotations

import json

import jsonschema
import pytest
import rispy
from pybtex.database import parse_string

from conftest import FIXTURES
from scholarly import citation_formats as formats
from scholarly.site_citation import Person, SiteCitation

CSL_SCHEMA = json.loads((FIXTURES / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
SITE = SiteCitation(title="The Limits of Authoritarian Learning",
                    authors=(Person("Junisbai", "Azamat"),), version="1.0.0",
                    date_released="2026-11-25")
URL = "https://example.org/coup-attempt/"


def section(id_="coup-attempt:security-services", title="The security services",
            fragment="security-services", updated="2026-11-20"):
    return formats.section_record(SITE, id=id_, title=title, page_title="The coup attempt",
                                  url=f"{URL}#{fragment}", updated=updated)


# A section is a web page whose container is its chapter, on the edition's site: each
# style names the three in its own order, with the version and the full date.
@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("Chicago", formats.Styled(
            "Junisbai, Azamat. 2026. “The Security Services.” Version 1.0.0. The Coup Attempt, The "
            "Limits of Authoritarian Learning, November 20. "
            "https://example.org/coup-attempt/#security-services.",
            "Junisbai, Azamat. 2026. “The Security Services.” Version 1.0.0. The Coup Attempt, The "
            "Limits of Authoritarian Learning, November 20. Accessed {accessed}. "
            "https://example.org/coup-attempt/#security-services.")),
        ("APA", formats.Styled(
            "Junisbai, A. (2026, November 20). The security services. The Limits of Authoritarian "
            "Learning. The Coup Attempt. https://example.org/coup-attempt/#security-services")),
        ("MLA", formats.Styled(
            "Junisbai, Azamat. “The Security Services.” The Coup Attempt, Version 1.0.0, The Limits "
            "of Authoritarian Learning, 20 Nov. 2026, "
            "https://example.org/coup-attempt/#security-services.")),
    ],
)
def test_section_citation_in_each_style(style, expected):
    assert formats.format_styled([section()])["coup-attempt:security-services"][style] == expected


def test_formatting_together_equals_formatting_each_record_alone():
    records = [section(), section("p:a", "Who led it?", "who-led"), formats.page_record(
        SITE, id="p", title="The coup attempt", url=URL, updated="2026-11-20")]
    together = formats.format_styled(records)
    for record in records:
        assert together[record["id"]] == formats.format_styled([record])[record["id"]]


def test_the_style_not_this_code_decides_capitalisation_and_punctuation():
    styled = formats.format_styled([section("p:q", "who led it?", "q")])["p:q"]
    assert "“Who Led It?” Version 1.0.0. The Coup Attempt" in styled["Chicago"].text


def test_sections_of_one_page_get_no_year_suffixes():
    records = [section(f"p:s{n}", f"Section {n}", f"s{n}") for n in range(3)]
    for entry in formats.format_styled(records).values():
        assert all("2026a" not in styled.text and "2026b" not in styled.text for styled in entry.values())


def test_bibtex_parses_with_pybtex_and_keeps_the_fragment():
    entry = parse_string(formats.to_bibtex([section()]), "bibtex").entries[
        "coup-attempt:security-services"]
    assert entry.type == "online"
    assert entry.fields["title"] == "The security services"
    assert entry.fields["url"] == f"{URL}#security-services"
    assert entry.fields["version"] == "1.0.0"
    assert str(entry.persons["author"][0]) == "Junisbai, Azamat"


def test_ris_parses_with_rispy_and_keeps_the_fragment():
    [entry] = rispy.loads(formats.to_ris([section()]))
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == "The security services"
    assert entry["urls"] == [f"{URL}#security-services"]
    assert entry["authors"] == ["Junisbai, Azamat"]


def test_csl_json_is_valid_against_the_csl_schema():
    data = json.loads(formats.to_csl_json([section()]))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(data)
    assert data[0]["URL"] == f"{URL}#security-services"
    assert data[0]["title"] == "The security services"


def test_unbalanced_braces_cannot_break_a_bibtex_entry():
    text = formats.to_bibtex([section("p:b", "A } brace", "b")])
    assert parse_string(text, "bibtex").entries["p:b"].fields["title"] == "A brace"


def test_source_texts_read_back_from_the_cache_as_made():
    sources = {"a": ("citation_title=Ауэзов; citation_author=Ä", '{"name": "“Ауэзов”"}'),
               "b": ("", "{}"), "c": ("citation_title=𝔄", '{"name": "x"}')}
    kept = formats.SourceTexts.from_stored(json.loads(json.dumps(formats.SourceTexts.of(sources).stored())))
    assert {key: (kept.highwire(key), kept.work(key)) for key in sources} == sources
    assert "a" in kept and "d" not in kept


@pytest.mark.parametrize("stored", [None, {"a": ["x", "y"]}, [["a"], "xy", [1]], [["a"], "xy", [1, 3]],
                                    [["a"], 5, [1, 2]], [["a"], "xy", ["1", "2"]]])
def test_source_texts_not_as_stored_are_not_read(stored):
    assert formats.SourceTexts.from_stored(stored) is None
