"""references.bib checks: every problem located at references.bib:line:col, the exit
code of ``python -m scholarly.check``, and a build that a broken file cannot crash."""
from __future__ import annotations

import logging

import pybtex.database
import pytest
from bs4 import BeautifulSoup

from scholarly import bibliography as reader
from scholarly.bibliography import load_bibliography, parse_bibliography

CITES_A = "[@a]\n"


@pytest.fixture
def run_check(run_check, monkeypatch):
    """conftest's run_check, leaving the "mkdocs" logger as it found it: the check
    quiets it (load_site_config sets it to ERROR) for the rest of the process, and a
    later build in this worker must still report its warnings."""
    from scholarly import check

    real_main = check.main

    def main(argv):
        logger = logging.getLogger("mkdocs")
        level = logger.level
        try:
            return real_main(argv)
        finally:
            logger.setLevel(level)

    monkeypatch.setattr(check, "main", main)
    return run_check
BOOK = "@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n"

BAD_BIBLIOGRAPHIES = [
    pytest.param(
        '@book{a,\n  author = {Ab, Cd},\n  title = {T,\n  publisher = {P},\n  year = {2020},\n}\n',
        CITES_A,
        [
            "references.bib:3:11: error: '{' opened here for field 'title' is never closed — add '}' at the end of the value",
        ],
        id='unclosed_field_brace',
    ),
    pytest.param(
        '@book{a,\n  author = {Ab, Cd},\n  title = "T,\n  publisher = {P},\n  year = {2020},\n}\n',
        CITES_A,
        [
            'references.bib:3:11: error: \'"\' opened here for field \'title\' is never closed — add \'"\' at the end of the value',
        ],
        id='unclosed_quote',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020},\n\n@book{b, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        '[@a; @b]\n',
        [
            "references.bib:1:65: error: entry 'a' is missing its closing '}' — add '}' here",
        ],
        id='unclosed_entry',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020\n',
        CITES_A,
        [
            "references.bib:1:58: error: '{' opened here for field 'year' is never closed — add '}' at the end of the value",
        ],
        id='unclosed_brace_at_end_of_file',
    ),
    pytest.param(
        '@book{a,\n  author = {Ab, Cd}\n  title = {T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:3:3: error: missing ',' before field 'title' — add ',' after the value of 'author'",
        ],
        id='missing_comma_between_fields',
    ),
    pytest.param(
        "@book{a,\n  author = {Ab, Cd},\n  title = {T}},\n  publisher = {P},\n  year = {2020},\n}\n",
        CITES_A,
        [
            "references.bib:4:3: error: field 'publisher' is outside entry 'a', which ends at line 3 — remove the extra '}' that ends the entry early",
        ],
        id='extra_closing_brace',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title {T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:33: error: expected '=' after field name 'title'",
        ],
        id='missing_equals',
    ),
    pytest.param(
        '@book{author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        'No citations.\n',
        [
            'references.bib:1:7: error: @book entry has no key — write @book{key, field = {...}, ...}',
        ],
        id='missing_key',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title=Tee, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:33: error: field 'title' uses 'Tee', which is not a defined @string — write title = {Tee} for literal text",
        ],
        id='undefined_macro',
    ),
    pytest.param(
        '% write to me@example.org\n@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:14: error: '@example.org' is not followed by '{' — BibTeX reads every '@' as the start of an entry: remove it or write 'at' in comments",
        ],
        id='at_sign_in_comment',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n\n@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:3:7: error: duplicate key 'a': also defined at line 1 — rename or remove one of the two entries",
        ],
        id='duplicate_key',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n@book{A, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:2:7: error: key 'A' differs only in case from 'a' (line 1); BibTeX treats them as the same key — rename or remove one of the two entries",
        ],
        id='duplicate_key_in_other_case',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, title={U}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:38: error: field 'title' appears twice in entry 'a' — keep one of them",
        ],
        id='duplicate_field',
    ),
    pytest.param(
        '@book{a}\n',
        CITES_A,
        [
            "references.bib:1:1: error: entry 'a' has no fields — add author, title and year, or remove the entry",
        ],
        id='empty_entry',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={ }, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:34: error: field 'title' of 'a' is empty — fill it in or remove it",
        ],
        id='empty_field',
    ),
    pytest.param(
        '@boook{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: unknown entry type '@boook' in 'a' — did you mean '@book'?",
        ],
        id='unknown_type',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020a}}\n',
        CITES_A,
        [
            "references.bib:1:59: error: year '2020a' of 'a' is not a year — write year = {2022}; put a full date in date = {2022-01-05}",
        ],
        id='year_with_letter',
    ),
    pytest.param(
        '@online{a, author={Ab, Cd}, title={T}, year={n.d.}, url={https://example.org}}\n',
        CITES_A,
        [
            "references.bib:1:46: error: year 'n.d.' of 'a' says the source is undated — leave out year and date: the citation then reads 'n.d.' by itself",
        ],
        id='undated_marker_in_year',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd and Ef, Gh, Ij, Kl}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:29: error: name 'Ef, Gh, Ij, Kl' has 3 commas, which biblatex cannot read as one person's name in 'author' of 'a' — separate people with ' and ': Family, Given and Family, Given",
        ],
        id='name_with_too_many_commas',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd and and Ef, Gh}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:29: error: an empty name (two 'and' in a row, or one at an end) in 'author' of 'a' — remove the extra 'and'",
        ],
        id='empty_name',
    ),
    pytest.param(
        '@book{a, author={family=Heuvel, givenname=Charles}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:18: error: 'givenname=Charles' is not a part of biblatex's extended name format in 'author' of 'a' — write family=..., given=..., prefix=..., suffix=... or useprefix=...",
        ],
        id='extended_name_with_unknown_part',
    ),
    pytest.param(
        '@incollection{a, author={Ab, Cd}, title={T}, crossref={parent}}\n@collection{b, editor={Ab, Cd}, title={B}, year={2020}}\n',
        '[@a; @b]\n',
        [
            "references.bib:1:46: error: crossref of 'a' names 'parent', which is no entry — add that entry, or remove the field",
        ],
        id='crossref_to_no_entry',
    ),
    pytest.param(
        '@set{s, entryset={a,bb}}\n' + BOOK,
        '[@s]\n',
        [
            "references.bib:1:9: error: entryset of 's' names 'bb', which is no entry — add that entry, or remove the field",
        ],
        id='set_member_that_is_no_entry',
    ),
    pytest.param(
        '@misc{a, author={Ab, Cd}, title={T}, date={2022-13-01}}\n',
        CITES_A,
        [
            "references.bib:1:44: error: date '2022-13-01' of 'a' is not a date — write it as biblatex reads dates: 2022, 2022-01, 2022-01-05, 2022-01-05T14:30, or a range 2022-01-05/2022-02-01 (open: 2022-01-05/)",
        ],
        id='impossible_month_in_date',
    ),
    pytest.param(
        '@misc{a, author={Ab, Cd}, title={T}, date={5 January 2022}}\n',
        CITES_A,
        [
            "references.bib:1:44: error: date '5 January 2022' of 'a' is not a date — write it as biblatex reads dates: 2022, 2022-01, 2022-01-05, 2022-01-05T14:30, or a range 2022-01-05/2022-02-01 (open: 2022-01-05/)",
        ],
        id='date_in_words',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={Half of 50% more}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:44: error: unescaped '%' in field 'title' of 'a' cuts the rest of the field — write '\\%'",
        ],
        id='unescaped_percent',
    ),
    pytest.param(
        '@online{a, author={Ab, Cd}, title={T}, year={2020}, url={javascript:alert(1)}}\n',
        CITES_A,
        [
            "references.bib:1:58: error: url of 'a' uses the 'javascript:' scheme, which would put a script link on the page — use an https:// address",
        ],
        id='javascript_url',
    ),
    pytest.param(
        '@online{a, author={Ab, Cd}, title={T}, year={2020}, url={data:text/html,<script>x</script>}}\n',
        CITES_A,
        [
            "references.bib:1:58: error: url of 'a' uses the 'data:' scheme, which would put a script link on the page — use an https:// address",
        ],
        id='data_url',
    ),
    pytest.param(
        '@online{a, author={Ab, Cd}, title={T}, year={2020}, url={www.example.org/x}}\n',
        CITES_A,
        [
            "references.bib:1:58: error: url 'www.example.org/x' of 'a' is not an http(s) address — write the full address, starting with https://",
        ],
        id='relative_url',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}, doi={1080/123}}\n',
        CITES_A,
        [
            "references.bib:1:71: error: doi '1080/123' of 'a' is not a DOI — write it as 10.<registrant>/<suffix>, e.g. 10.1080/21599165.2017.1307826",
        ],
        id='doi_without_directory',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}, url={http://a.org/x http://b.org/y}}\n',
        CITES_A,
        [
            "references.bib:1:86: error: url of 'a' holds 2 addresses; a link has one — keep one address in url; put another in note",
        ],
        id='url_holding_two_addresses',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}, doi={javascript:alert(1)}}\n',
        CITES_A,
        [
            "references.bib:1:71: error: doi of 'a' is a script link, not a DOI — write it as 10.<registrant>/<suffix>",
        ],
        id='doi_javascript',
    ),
]


@pytest.mark.parametrize(("bib", "page", "expected"), BAD_BIBLIOGRAPHIES)
def test_bad_bibliography_is_reported_at_its_line_and_fails_the_check(run_check, bib, page, expected):
    run = run_check({"index.md": page}, bib)
    assert run.lines == expected
    assert run.exit_code == 1


# What biblatex accepts but biber's data model check (--validate-datamodel) would
# point out, and what a reader may notice: notices, which fail no check, strict or not.
NOTICED_BIBLIOGRAPHIES = [
    pytest.param(
        '@article{a, author={Ab, Cd}, title={T}, year={2020}}\n',
        ["references.bib:1:1: notice: @article 'a' has no 'journaltitle', which biblatex requires — add journaltitle = {...}"],
        id='article_without_journal',
    ),
    pytest.param(
        '@article{a, title={T}, journal={Reuters}, year={2022}}\n',
        ["references.bib:1:1: notice: @article 'a' has no 'author', which biblatex requires — a newspaper or magazine piece without an author: add entrysubtype = {newspaper}"],
        id='article_without_author',
    ),
    pytest.param(
        '@article{a, title={T}, entrysubtype={newspaper}, date={2022-01-05}}\n',
        ["references.bib:1:1: notice: @article 'a' has no 'journaltitle', which biblatex requires — add journaltitle = {...}"],
        id='newspaper_without_journal',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}}\n',
        ["references.bib:1:1: notice: @book 'a' has no 'date' or 'year', which biblatex requires — add date = {...}; without one the source is cited as undated ('n.d.')"],
        id='book_without_year_or_date',
    ),
    pytest.param(
        '@incollection{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        ["references.bib:1:1: notice: @incollection 'a' has no 'booktitle', which biblatex requires — add booktitle = {...}"],
        id='incollection_without_booktitle',
    ),
    pytest.param(
        '@collection{p, editor={Ab, Cd}, publisher={P}, year={2020}}\n@incollection{a, author={Ab, Cd}, title={T}, crossref={p}}\n',
        ["references.bib:1:1: notice: @collection 'p' has no 'title', which biblatex requires — add title = {...}; a source whose title is not known keeps a description in type = {...} (printed as Chicago sets descriptive titles, without quotation marks or italics) and says so in note",
         "references.bib:2:1: notice: @incollection 'a' has no 'booktitle', which biblatex requires — add booktitle = {...}"],
        id='incollection_whose_crossref_parent_has_no_title',
    ),
    pytest.param(
        '@report{a, author={Ab, Cd}, title={T}, type={Working paper}, year={2020}}\n',
        ["references.bib:1:1: notice: @report 'a' has no 'institution', which biblatex requires — add institution = {...}"],
        id='report_without_institution',
    ),
    pytest.param(
        '@techreport{a, title={T}, institution={I}, year={2020}}\n',
        ["references.bib:1:1: notice: @techreport 'a' has no 'author', which biblatex requires — add author = {...}"],
        id='techreport_without_author',
    ),
    pytest.param(
        '@online{a, author={Ab, Cd}, title={T}, year={2020}}\n',
        ["references.bib:1:1: notice: @online 'a' has no 'doi' or 'eprint' or 'url', which biblatex requires — add doi = {...}"],
        id='online_without_url',
    ),
    pytest.param(
        '@misc{a, author={Ab, Cd}, year={2020}}\n',
        ["references.bib:1:1: notice: @misc 'a' has no 'title', which biblatex requires — add title = {...}; a source whose title is not known keeps a description in type = {...} (printed as Chicago sets descriptive titles, without quotation marks or italics) and says so in note"],
        id='misc_without_title',
    ),
    pytest.param(
        '@book{a, author={Micklin, Philip}, title={T}, year={2007}}\n@book{b, author={Micklin, Philip P.}, title={U}, year={1988}}\n',
        ["references.bib:2:18: notice: 'Micklin, Philip P.' in 'b' and 'Micklin, Philip' in 'a' (line 1) look like one person spelt two ways; citations will tell them apart as two — spell the name the same way in both entries"],
        id='one_person_with_and_without_middle_initial',
    ),
    pytest.param(
        '@book{a, author={M{\\"u}ller, Hans}, title={T}, year={2007}}\n@book{b, author={Muller, H.}, title={U}, year={1988}}\n',
        ["references.bib:2:18: notice: 'Muller, H.' in 'b' and 'M{\\\"u}ller, Hans' in 'a' (line 1) look like one person spelt two ways; citations will tell them apart as two — spell the name the same way in both entries"],
        id='one_person_with_and_without_diacritics',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, year={1988}, date={1990}}\n',
        ["references.bib:1:38: notice: year 1988 of 'a' differs from its date 1990, which biblatex and the citations print — remove year, or correct one of the two"],
        id='year_that_differs_from_date',
    ),
]


@pytest.mark.parametrize(("bib", "expected"), NOTICED_BIBLIOGRAPHIES)
def test_what_biblatex_accepts_but_a_reader_may_notice_is_a_notice_that_fails_nothing(run_check, bib, expected):
    keys = sorted(parse_bibliography(bib).keys)
    run = run_check({"index.md": "".join(f"[@{key}]\n" for key in keys)}, bib)
    assert run.lines == expected
    assert run.exit_code == 0
    assert run.output.splitlines()[-1] == f"0 error(s), 0 warning(s), {len(expected)} notice(s)"


GOOD_BIBLIOGRAPHY = r"""
% A comment without an at sign, and an escaped \% in a field.
@string{eep = {East European Politics}}
@preamble{"\newcommand{\noop}[1]{}"}
@article{hall2017learning,
  author  = {Hall, Stephen G. F. and Ambrosio, Thomas},
  title   = {Authoritarian Learning: A Conceptual Overview},
  journal = eep # { (Online)},
  volume  = 33, pages = {143--161}, year = 2017, month = jun,
  doi     = {https://doi.org/10.1000/example},
}
@article(news, title = "Kazakh {Ex-leader's} In-laws", journal = {Reuters},
         entrysubtype = {newspaper}, date = {2022-01-05})
@book{tokayev2020, author = {Тоқаев, Қасым-Жомарт}, title = {Жизнь и 100\% {дипломатия}},
      publisher = {Назарбаев и К\textsuperscript{o}}, date = {2020/2021}}
@incollection{c, author = {Caf\'e, Andr\'e}, title = {T}, booktitle = {B}, publisher = {P}, year = {1999}}
@techreport{r, author = {{OSCE/ODIHR}}, title = {T}, institution = {OSCE}, year = {2019}, url = {https://www.osce.org/x}}
@online{o, author = {Ab, Cd}, title = {T}, url = {http://example.org/@user}, date = {2022-05-01}}
@misc{m, author = {Ab, Cd}, title = {T}, year = {2022}, doi = {10.1080/abc.123}}
@comment{ not an entry @ all, written by someone@example.org }
"""

# What biblatex's own example database and reference managers' exports use.
BIBLATEX_DATA_MODEL = r"""
@collection{parent, editor = {Westfahl, Gary}, title = {Space and Beyond}, publisher = {Greenwood},
            location = {Westport, Conn.}, date = 2000}
@incollection{child, author = {Westfahl, Gary}, title = {The True Frontier}, crossref = {parent}}
@mvbook{mv, author = {Knuth, Donald E.}, title = {Computers \& Typesetting}, date = {1984/1986}}
@book{vol, author = {Knuth, Donald E.}, title = {The {\TeX}book}, crossref = {mv}, date = 1984}
@xdata{press, publisher = {Addison-Wesley}, location = {Reading, Mass.}}
@book{withxdata, author = {Knuth, Donald E.}, title = {Digital Typography}, xdata = {press}, date = 1999}
@patent{pat, author = {Almendro, José L.}, title = {Elektromagnetisches Signalhorn}, number = {EU-29702195U},
        date = 1998}
@set{both, entryset = {child,vol}}
@artwork{art, author = {Djenar, Maesa Ayu}, title = {T}, date = {2015}}
@video{vid, author = {{Research Data Netherlands}}, title = {T}, date = {2014-10-13}}
@online{stamp, author = {Ab, Cd}, title = {T}, url = {https://example.org/a%20b%2Fc},
        date = {2013-10-30T11:20:51-07:00}, urldate = {2016-04-07T10:33}}
@book{named, author = {Roorda, Dirk and family=Heuvel, given=Charles, prefix=van den, useprefix=false},
      title = {T}, date = {1988/}, doi = {https://doi.org/10.1000/xyz}}
@thesis{th, author = {Ab, Cd}, title = {T}, type = {phdthesis}, institution = {U}, date = {2004-22}}
@phdthesis{phd, author = {Ab, Cd}, title = {T}, school = {U}, year = {-0044}}
@misc{circa, author = {Ab, Cd}, title = {T}, date = {199X~}}
@article{mendeley, author = {Ab, Cd}, title = {T}, journal = {J}, year = {2015},
         doi = {10.1103/PhysRevLett.115.050501{\_}x}, url = {http://arxiv.org/abs/1411.4921{\_}v2}}
"""


@pytest.mark.parametrize("text", [GOOD_BIBLIOGRAPHY, BIBLATEX_DATA_MODEL],
                         ids=["plain_bibtex", "biblatex_data_model"])
def test_what_biblatex_accepts_has_no_diagnostics(text):
    bibliography = parse_bibliography(text)
    assert bibliography.diagnostics == []


def test_entries_are_known_where_they_stand():
    bibliography = parse_bibliography(GOOD_BIBLIOGRAPHY)
    assert sorted(bibliography.keys) == ["c", "hall2017learning", "m", "news", "o", "r", "tokayev2020"]
    assert bibliography.entries["news"].line == 12


def test_pandoc_reads_a_doi_as_a_doi_a_url_as_meant_and_no_set():
    text = parse_bibliography(BIBLATEX_DATA_MODEL).pandoc_text()
    assert "doi = {10.1000/xyz}" in text
    assert "doi = {10.1103/PhysRevLett.115.050501_x}" in text
    assert "url = {http://arxiv.org/abs/1411.4921_v2}" in text
    assert "@set" not in text and text.count("\n") == BIBLATEX_DATA_MODEL.count("\n")


def test_unused_entries_are_warnings_that_fail_only_a_strict_check(run_check):
    bib = BOOK + BOOK.replace("{a,", "{b,") + BOOK.replace("{a,", "{c,")
    expected = [
        "references.bib:2:1: warning: entry 'b' is never cited — cite it as [@b] or remove it",
        "references.bib:3:1: warning: entry 'c' is never cited — cite it as [@c] or remove it",
    ]
    strict = run_check({"index.md": CITES_A}, bib)
    assert (strict.lines, strict.exit_code) == (expected, 1)
    lenient = run_check({"index.md": CITES_A}, bib, strict=False)
    assert (lenient.lines, lenient.exit_code) == (expected, 0)
    assert run_check({"index.md": CITES_A}, bib, strict=False, argv=["--strict"]).exit_code == 1


def test_missing_bibliography_is_one_located_error(run_check, tmp_path):
    run = run_check({"index.md": "Text.\n"}, "")
    (tmp_path / "references.bib").unlink()
    from scholarly import check

    assert run.exit_code == 0
    assert [str(d) for d in check.check_sources(tmp_path / "mkdocs.yml")] == [
        "references.bib:1:1: error: file not found — create it, or correct extra.bibliography in mkdocs.yml"
    ]


def test_rejected_entries_are_blanked_so_the_rest_is_read():
    text = BOOK + "@book{b, title={T,\n  year={2020}}\n" + BOOK + BOOK.replace("{a,", "{d,")
    bibliography = parse_bibliography(text)
    readable = bibliography.pandoc_text()
    assert readable.count("\n") == text.count("\n")
    assert sorted(pybtex.database.parse_string(readable, "bibtex").entries) == ["a", "d"]


def test_unreadable_bibliography_stops_the_build_with_every_source_problem(build_site):
    site = build_site(
        {"index.md": "# Page\n\nText [@a] and [@nope].\n"},
        bib=BOOK + BOOK,
    )
    assert not site.ok
    assert "Traceback" not in site.output
    assert "references.bib:2:7: error: duplicate key 'a': also defined at line 1" in site.output
    assert "docs/index.md:3:16: error: unknown citation key 'nope'" in site.output


def test_keys_with_colon_slash_or_dot_are_valid_and_cited_as_written(build_site):
    bib = "".join(BOOK.replace("{a,", "{" + key + ",") for key in ("ch:one", "org/report", "a.b"))
    site = build_site({"index.md": "# Page\n\nText [@ch:one; @org/report] and [@a.b].\n"}, bib=bib)
    assert site.ok, site.output
    page = site.page("index.html")
    for key in ("ch:one", "org/report", "a.b"):
        assert f'id="ref-{key}"' in page and f'href="#ref-{key}"' in page


def test_every_entry_is_formatted_from_the_file_as_written(build_site):
    bib = (BOOK.replace("{a,", "{z,").replace("title={T}", r"title={{AT\&T} and Ca{\~n}as}")
           + BOOK)
    site = build_site(
        {"index.md": "# Page\n\nText [@a] and [@z].\n",
         "all.md": "# All\n\n<!-- full-bibliography -->\n"},
        bib=bib,
    )
    assert site.ok, site.output
    assert '<p>Text <span class="citation" data-cites="a">(<a href="#ref-a"' in site.page("index.html")
    listed = BeautifulSoup(site.page("all/index.html"), "html.parser")
    assert listed.find(id="ref-a") is not None
    assert listed.find(id="ref-z").em.get_text() == "AT&T and Cañas"


def test_a_file_read_once_is_not_read_again_and_gives_the_same_findings(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOLARLY_CACHE_DIR", raising=False)
    bib = tmp_path / "references.bib"
    bib.write_text(BOOK + BOOK + "@book{b, title={T}, year={1x}}\n@misc{c, title={T,\n", encoding="utf-8")
    first = load_bibliography(bib, "references.bib")
    reader._load.cache_clear()
    monkeypatch.setattr(reader, "parse_bibliography", lambda *args: pytest.fail("read again"))
    again = load_bibliography(bib, "references.bib")
    assert len(first.diagnostics) == 4 and first.rejected
    assert again.diagnostics == first.diagnostics
    assert [(e.key, e.line, e.column, e.broken) for e in again.entries.values()] == [
        (e.key, e.line, e.column, e.broken) for e in first.entries.values()]
    assert again.pandoc_text() == first.pandoc_text()


def test_biblatex_data_model_builds_and_links_as_meant(build_site):
    bibliography = parse_bibliography(BIBLATEX_DATA_MODEL)
    cited = " ".join(f"[@{key}]" for key, entry in bibliography.entries.items() if entry.type != "xdata")
    site = build_site({"index.md": f"# Sources\n\n{cited}\n"}, bib=BIBLATEX_DATA_MODEL)
    assert site.ok, site.output
    page = BeautifulSoup(site.page("index.html"), "html.parser")
    hrefs = {a["href"] for a in page.select(".references a[href^=http]")}
    assert "https://doi.org/10.1000/xyz" in hrefs
    assert "https://doi.org/10.1103/PhysRevLett.115.050501_x" in hrefs
    # The style prints the DOI, not the URL; the downloads keep the URL as meant.
    assert '"URL": "http://arxiv.org/abs/1411.4921_v2"' in site.page("downloads/references.json")
    assert not [href for href in hrefs if "doi.org/http" in href or "{" in href or "\\" in href]
    # The set is cited as its members; it has no entry of its own.
    assert page.find(id="ref-both") is None
    assert {"ref-child", "ref-vol"} <= {e["id"] for e in page.select(".references .csl-entry")}
    # What the child takes from its crossref parent is printed with it.
    assert "Space and Beyond" in page.find(id="ref-child").get_text()
    assert "Addison-Wesley" in page.find(id="ref-withxdata").get_text()
    assert "van den Heuvel" in page.find(id="ref-named").get_text()


def test_an_undated_source_is_cited_as_nd_and_noted(build_site, caplog):
    bib = "@online{page, author = {Ab, Cd}, title = {A Page}, url = {https://example.org/page}}\n"
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        site = build_site({"index.md": "# Page\n\nA claim [@page].\n"}, bib=bib)
    assert site.ok, site.output
    page = BeautifulSoup(site.page("index.html"), "html.parser")
    assert page.select_one(".citation").get_text() == "(Ab, n.d.)"
    assert "n.d." in page.find(id="ref-page").get_text()
    assert ("references.bib:1:1: notice: @online 'page' has no 'date' or 'year', which biblatex "
            "requires — add date = {...}; without one the source is cited as undated ('n.d.')"
            ) in caplog.messages
