"""`make new`: a site for another memo, made from this repository's template, builds
at once, as an original memo or as an edition; and `copier update` gives it a later
engine while keeping its content."""
from __future__ import annotations

import os
import pathlib
import pty
import select
import signal
import subprocess
import time

import pytest
from mkdocs.config import load_config

from conftest import REPO, build_and_capture
from scholarly.memo_pdf import pdf_target
from scholarly.site_citation import parse_citation_cff

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_NOSYSTEM": "1"}
COPIER = pathlib.Path(REPO / ".venv" / "bin" / "copier")


def run(*args, cwd, **env):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **GIT_ENV, **env}, stdin=subprocess.DEVNULL)


def build(site: pathlib.Path):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    cfg = load_config(config_file=str(site / "mkdocs.yml"), strict=True, site_dir=str(site / "site"))
    return build_and_capture(cfg, site / "site")


@pytest.mark.parametrize(("variables", "edition"), [
    pytest.param(["TITLE=Water in the Aral Sea Basin", "AUTHORS=Doe, Jane; Roe, Richard"], False,
                 id="original_memo"),
    pytest.param(["TITLE=The Aral Sea Crisis: A Reading Edition", "AUTHORS=Reading edition contributors",
                  "EDITION=yes", "BASIS_TITLE=The Aral Sea Crisis", "BASIS_AUTHORS=Doe, Jane",
                  "BASIS_YEAR=2021", "LICENCE=CC-BY-SA-4.0"], True, id="edition"),
])
def test_make_new_writes_a_site_that_builds_at_once(tmp_path, variables, edition):
    site = tmp_path / "new-site"
    made = run("make", "--no-print-directory", "new", f"DEST={site}", *variables, cwd=REPO)
    assert made.returncode == 0, made.stdout + made.stderr
    assert (site / ".git").is_dir()
    citation, problems = parse_citation_cff((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert problems == []
    assert citation.title == variables[0].removeprefix("TITLE=")
    assert (citation.basis is not None) == edition
    # The engine came along; this memo's own content and content tests did not.
    assert (site / "hooks" / "citations.py").read_bytes() == (REPO / "hooks" / "citations.py").read_bytes()
    assert not (site / "tests" / "memo").exists()
    assert not (site / "tests" / "test_new_site.py").exists()
    # The site's own files say what it is, under its licence, and nothing of this memo.
    licence = (site / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert ("CC BY-SA 4.0" in licence) == ("LICENCE=CC-BY-SA-4.0" in variables)
    assert ("*The Aral Sea Crisis*, the work this site is an edition of" in licence) == edition
    if edition:
        assert citation.abstract == "A reading edition of The Aral Sea Crisis, by Jane Doe."
    ours, _ = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    own_files = [path for path in site.rglob("*") if path.is_file() and not path.is_symlink()
                 and path.relative_to(site).parts[0] in {"docs", "includes", "README.md", "CONTRIBUTING.md",
                                                         "LICENSE-CONTENT.md", "CITATION.cff", "mkdocs.yml",
                                                         "references.bib", "anchors.lock"}
                 and path.suffix in {".md", ".cff", ".yml", ".bib", ".lock", ".txt"}]
    assert {"CITATION.cff", "README.md", "LICENSE-CONTENT.md", "chapter.md"} <= {p.name for p in own_files}
    assert [path for path in own_files if ours.title in path.read_text(encoding="utf-8")] == []
    skeleton = {path.name.removesuffix(".jinja") for path in (REPO / "template" / "docs").iterdir()}
    assert set(os.listdir(site / "docs")) == skeleton
    built = build(site)
    assert built.ok, built.output
    assert built.messages == []
    title_page = (site / "site" / "print" / "index.html").read_text(encoding="utf-8")
    assert ("Cite this edition:" in title_page) == edition
    assert ("Cite this memo:" in title_page) == (not edition)
    # `make site` writes the PDF where the title page links it.
    pdf = site / "site" / ("edition.pdf" if edition else "memo.pdf")
    assert pdf_target(title_page, site / "site") == pdf


def test_make_new_without_a_folder_says_how_to_give_one():
    made = run("make", "--no-print-directory", "new", cwd=REPO)
    assert made.returncode != 0
    assert "make new: name the new site's folder, e.g. make new DEST=../my-memo" in made.stderr


def test_make_new_in_a_site_says_where_to_run_it(tmp_path):
    site = tmp_path / "new-site"
    assert run("make", "--no-print-directory", "new", f"DEST={site}", cwd=REPO).returncode == 0
    made = run("make", "--no-print-directory", "new", f"DEST={tmp_path / 'another'}", cwd=site)
    assert made.returncode != 0
    assert ("make new: this folder is a site; run make new in the repository it was made from"
            in made.stderr)


def test_copier_update_brings_a_later_engine_and_keeps_the_sites_content(tmp_path):
    # The template at one commit: a clone of this repository as committed.
    template = tmp_path / "template"
    assert run("git", "clone", "--quiet", "--depth", "1", f"file://{REPO}", str(template),
               cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    made = run(str(COPIER), "copy", "--trust", "--defaults", "--vcs-ref", "HEAD",
               "--data", "title=Water", str(template), str(site), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    chapter = site / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe site's own sentence.\n",
                       encoding="utf-8")
    assert run("git", "add", "-A", cwd=site).returncode == 0
    assert run("git", "commit", "--quiet", "-m", "the site's content", cwd=site).returncode == 0
    # A later engine: a change to a hook and to a stylesheet, committed to the template.
    engine_files = [template / "hooks" / "watch.py", template / "docs" / "stylesheets" / "reading.css"]
    for path in engine_files:
        path.write_text(path.read_text(encoding="utf-8") + "\n/* a later engine */\n"
                        if path.suffix == ".css" else path.read_text(encoding="utf-8")
                        + "\n# a later engine\n", encoding="utf-8")
    assert run("git", "commit", "--quiet", "-am", "a later engine", cwd=template).returncode == 0
    updated = run(str(COPIER), "update", "--trust", "--defaults", "--vcs-ref", "HEAD", cwd=site)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert (site / "hooks" / "watch.py").read_text(encoding="utf-8").endswith("# a later engine\n")
    assert "a later engine" in (site / "docs" / "stylesheets" / "reading.css").read_text(encoding="utf-8")
    assert chapter.read_text(encoding="utf-8").endswith("The site's own sentence.\n")
    assert "title: Water" in (site / ".copier-answers.yml").read_text(encoding="utf-8")


def answer_at_a_terminal(command: list[str], cwd: pathlib.Path,
                         script: list[tuple[bytes, bytes]]) -> tuple[int, int, bytes]:
    """Runs COMMAND at a pseudo-terminal, typing each answer of SCRIPT once its question
    shows; the exit status, how many answers were typed, and what the terminal showed."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the command, at the terminal
        os.chdir(cwd)
        os.environ.update(GIT_ENV)
        os.execvp(command[0], command)
    shown, typed, asked_from = b"", 0, 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([terminal], [], [], 0.2)[0]:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the command has ended
                break
            if not chunk:
                break
            shown += chunk
            if b"\x1b[6n" in chunk:  # the prompt asks where the cursor is
                os.write(terminal, b"\x1b[1;1R")
        if typed < len(script) and script[typed][0] in shown[asked_from:]:
            asked_from = shown.index(script[typed][0], asked_from) + 1
            time.sleep(0.3)  # the prompt is drawn before it reads
            os.write(terminal, script[typed][1])
            typed += 1
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), typed, shown


def test_make_new_at_a_terminal_asks_what_the_variables_do_not_give(tmp_path):
    site = tmp_path / "asked"
    # \x15 clears the default copier offers in the line.
    status, typed, shown = answer_at_a_terminal(
        ["make", "--no-print-directory", "new", f"DEST={site}"], REPO,
        [(b"The site's title", b"\x15Water in the Aral Sea Basin\r"),
         (b"Its authors or editors", b"\x15Doe, Jane; Roe, Richard\r"),
         (b"Is the site an edition", b"n"),
         (b"The address the site will be published at", b"\x15https://example.org/aral/\r"),
         (b"The repository's address", b"\r"),
         (b"The licence of the text", b"\r")])
    assert (status, typed) == (0, 6), shown.decode("utf-8", "replace")[-2000:]
    citation, problems = parse_citation_cff((site / "CITATION.cff").read_text(encoding="utf-8"))
    assert problems == []
    assert citation.title == "Water in the Aral Sea Basin"
    assert [person.display for person in citation.authors] == ["Jane Doe", "Richard Roe"]
    assert citation.basis is None
    assert citation.url == "https://example.org/aral/"
    assert (site / ".git").is_dir()
