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
        '@article{a, author={Ab, Cd}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @article 'a' is missing 'journal' or 'journaltitle' — add journal = {...}",
        ],
        id='article_without_journal',
    ),
    pytest.param(
        '@article{a, title={T}, journal={Reuters}, year={2022}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @article 'a' is missing 'author' — a newspaper or magazine piece without an author: add entrysubtype = {newspaper}",
        ],
        id='article_without_author',
    ),
    pytest.param(
        '@article{a, title={T}, entrysubtype={newspaper}, date={2022-01-05}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @article 'a' is missing 'journal' or 'journaltitle' — add journal = {...}",
        ],
        id='newspaper_without_journal',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @book 'a' is missing 'publisher' — add publisher = {...}",
        ],
        id='book_without_publisher',
    ),
    pytest.param(
        '@book{a, editor={Ab, Cd}, title={T}, publisher={P}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @book 'a' is missing 'year' or 'date' — add year = {...}",
        ],
        id='book_without_year_or_date',
    ),
    pytest.param(
        '@incollection{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @incollection 'a' is missing 'booktitle' — add booktitle = {...}",
        ],
        id='incollection_without_booktitle',
    ),
    pytest.param(
        '@report{a, author={Ab, Cd}, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @report 'a' is missing 'institution' — add institution = {...}",
        ],
        id='report_without_institution',
    ),
    pytest.param(
        '@techreport{a, title={T}, institution={I}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @techreport 'a' is missing 'author' — add author = {...}",
        ],
        id='techreport_without_author',
    ),
    pytest.param(
        '@online{a, title={T}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @online 'a' is missing 'url' — add url = {...}",
        ],
        id='online_without_url',
    ),
    pytest.param(
        '@misc{a, author={Ab, Cd}, year={2020}}\n',
        CITES_A,
        [
            "references.bib:1:1: error: @misc 'a' is missing 'title' — add title = {...}",
        ],
        id='misc_without_title',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={20}}\n',
        CITES_A,
        [
            "references.bib:1:59: error: year '20' of 'a' is not a four-digit year — write year = {2022}; put a full date in date = {2022-01-05}",
        ],
        id='two_digit_year',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020a}}\n',
        CITES_A,
        [
            "references.bib:1:59: error: year '2020a' of 'a' is not a four-digit year — write year = {2022}; put a full date in date = {2022-01-05}",
        ],
        id='year_with_letter',
    ),
    pytest.param(
        '@misc{a, title={T}, date={2022-13-01}}\n',
        CITES_A,
        [
            "references.bib:1:27: error: date '2022-13-01' of 'a' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD, or a range YYYY-MM-DD/YYYY-MM-DD",
        ],
        id='impossible_month_in_date',
    ),
    pytest.param(
        '@misc{a, title={T}, date={5 January 2022}}\n',
        CITES_A,
        [
            "references.bib:1:27: error: date '5 January 2022' of 'a' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD, or a range YYYY-MM-DD/YYYY-MM-DD",
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
        '@online{a, title={T}, year={2020}, url={javascript:alert(1)}}\n',
        CITES_A,
        [
            "references.bib:1:41: error: url of 'a' uses the 'javascript:' scheme, which would put a script link on the page — use an https:// address",
        ],
        id='javascript_url',
    ),
    pytest.param(
        '@online{a, title={T}, year={2020}, url={data:text/html,<script>x</script>}}\n',
        CITES_A,
        [
            "references.bib:1:41: error: url of 'a' uses the 'data:' scheme, which would put a script link on the page — use an https:// address",
        ],
        id='data_url',
    ),
    pytest.param(
        '@online{a, title={T}, year={2020}, url={www.example.org/x}}\n',
        CITES_A,
        [
            "references.bib:1:41: error: url 'www.example.org/x' of 'a' is not an http(s) address — write the full address, starting with https://",
        ],
        id='relative_url',
    ),
    pytest.param(
        '@book{a, author={Ab, Cd}, title={T}, publisher={P}, year={2020}, doi={doi:10.1080/123}}\n',
        CITES_A,
        [
            "references.bib:1:71: error: doi 'doi:10.1080/123' of 'a' is not a DOI — write it as 10.<registrant>/<suffix>, without 'doi:'",
        ],
        id='doi_with_prefix',
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
@online{o, title = {T}, url = {http://example.org/@user}, urldate = {2022-05-01}}
@misc{m, title = {T}, year = {2022}, doi = {10.1080/abc.123}}
@comment{ not an entry @ all }
"""


def test_good_bibliography_has_no_diagnostics():
    bibliography = parse_bibliography(GOOD_BIBLIOGRAPHY)
    assert bibliography.diagnostics == []
    assert sorted(bibliography.keys) == ["c", "hall2017learning", "m", "news", "o", "r", "tokayev2020"]
    assert bibliography.entries["news"].line == 12


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


def test_rejected_entries_are_blanked_so_pybtex_reads_the_rest():
    text = BOOK + "@book{b, title={T,\n  year={2020}}\n" + BOOK + BOOK.replace("{a,", "{d,")
    bibliography = parse_bibliography(text)
    readable = bibliography.renderable_text()
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
    assert len(first.diagnostics) == 5 and first.rejected
    assert again.diagnostics == first.diagnostics
    assert [(e.key, e.line, e.column, e.broken) for e in again.entries.values()] == [
        (e.key, e.line, e.column, e.broken) for e in first.entries.values()]
    assert again.renderable_text() == first.renderable_text()
