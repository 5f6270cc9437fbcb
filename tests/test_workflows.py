"""The contribution path: CI and Pages workflows, issue forms, pre-commit, edit links.

Workflows and issue forms are validated against GitHub's schemas (vendored in
check-jsonschema, so this runs offline) and audited by zizmor offline. Deliberately
bad workflows in tests/fixtures/workflows/ show that both tools do reject.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from conftest import FIXTURES, REPO, build_and_capture, built_path, nav_sources

BIN = pathlib.Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = [
    REPO / ".github" / "ISSUE_TEMPLATE" / "correction.yml",
    REPO / ".github" / "ISSUE_TEMPLATE" / "new-source.yml",
]
ISSUE_CONFIG = REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"
PRE_COMMIT_CONFIG = REPO / ".pre-commit-config.yaml"
# An address reserved for examples: the tests never name a real repository.
EXAMPLE_REPO = "https://git.example.org/memo/site"
# `uses: owner/repo[/path]@<40 hex> # v1.2.3`
PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def run(tool: str, *args: str | os.PathLike) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / tool), *map(str, args)], check=False, cwd=REPO, capture_output=True, text=True
    )


def load_workflow(path: pathlib.Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True)
    return workflow


def steps_using(workflow: dict, action: str) -> list[dict]:
    return [
        step
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if step.get("uses", "").startswith(action + "@")
    ]


def run_commands(workflow: dict) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_both_workflows_exist():
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "pages.yml"]


@pytest.mark.parametrize(
    "schema, paths",
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("custom.github-workflows-require-timeout", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [ISSUE_CONFIG]),
    ],
)
def test_github_files_match_their_schema(schema, paths):
    result = run("check-jsonschema", "--builtin-schema", schema, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema_rejects_a_malformed_workflow():
    result = run(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        FIXTURES / "workflows" / "malformed.yml",
    )
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def test_zizmor_finds_nothing_in_our_workflows():
    result = run("zizmor", "--offline", "--persona=pedantic", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_rejects_an_unsafe_workflow():
    result = run("zizmor", "--offline", FIXTURES / "workflows" / "unsafe.yml")
    assert result.returncode != 0
    for audit in ("dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"):
        assert f"[{audit}]" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_sha_with_its_version(path):
    uses_lines = [line for line in path.read_text().splitlines() if "uses:" in line]
    assert uses_lines
    assert [line for line in uses_lines if not PINNED_USES.match(line)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkout_never_keeps_the_token(path):
    checkouts = steps_using(load_workflow(path), "actions/checkout")
    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_ci_runs_on_every_pull_request_and_push_with_read_only_access():
    ci = load_workflow(REPO / ".github" / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values())
    assert not any("pull_request_target" in path.read_text() for path in WORKFLOWS)


def test_ci_checks_first_then_builds_keeps_the_site_and_tests():
    ci = load_workflow(REPO / ".github" / "workflows" / "ci.yml")
    assert run_commands(ci) == ["make check", "make site", "make test"]
    (setup,) = steps_using(ci, "actions/setup-python")
    assert setup["with"]["python-version"] == "3.11"
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"].split() == [
        "constraints.txt",
        "requirements*.txt",
    ]
    uploads = [step["with"]["path"] for step in steps_using(ci, "actions/upload-artifact")]
    assert "site/" in uploads


def test_makefile_check_is_what_ci_runs_first():
    # The ::error annotations come from the checks; `make check` must run them.
    assert "$(BIN)/python -m scholarly.check" in (REPO / "Makefile").read_text()


def test_pages_builds_read_only_and_only_the_deploy_job_may_publish():
    pages = load_workflow(REPO / ".github" / "workflows" / "pages.yml")
    assert pages["on"]["push"] == {"branches": ["main"]}
    assert pages["permissions"] == {}
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    (upload,) = steps_using(pages, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site/"
    (make_site,) = [step for step in build["steps"] if step.get("run") == "make site"]
    assert make_site["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert make_site["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


def test_pre_commit_config_is_valid():
    result = run("pre-commit", "validate-config", PRE_COMMIT_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "filename, checked",
    [
        ("docs/coup-attempt.md", True),
        ("references.bib", True),
        ("CONTRIBUTING.md", True),
        ("hooks/report.py", False),
        ("mkdocs.yml", False),
    ],
)
def test_pre_commit_runs_the_integrity_check_on_markdown_and_bibtex(filename, checked):
    (hook,) = [
        hook
        for repo in yaml.safe_load(PRE_COMMIT_CONFIG.read_text())["repos"]
        for hook in repo["hooks"]
        if hook["id"] == "scholarly-check"
    ]
    assert hook["entry"].endswith("-m scholarly.check")
    assert bool(re.search(hook["files"], filename)) is checked


def test_pre_commit_ruff_hook_rejects_bad_python(tmp_path):
    """The ruff hook runs for real, in a scratch repository that shares our .venv."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copy(PRE_COMMIT_CONFIG, tmp_path / ".pre-commit-config.yaml")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    (tmp_path / "unused.py").write_text("import os\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}

    def in_scratch(*args):
        return subprocess.run(
            args, check=False, cwd=tmp_path, env=env, capture_output=True, text=True
        )

    in_scratch("git", "init", "-q")
    in_scratch("git", "add", ".pre-commit-config.yaml", "pyproject.toml", "unused.py")
    result = in_scratch(str(BIN / "pre-commit"), "run", "ruff", "--files", "unused.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F401" in result.stdout


def test_python_code_passes_ruff():
    result = run("ruff", "check", "--no-cache", "hooks", "tests")
    assert result.returncode == 0, result.stdout


@pytest.fixture(scope="module")
def site_with_repository(tmp_path_factory):
    """The real site, built as CI builds it: REPO_URL and EDIT_URI set."""
    site_dir = tmp_path_factory.mktemp("site-with-repository")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_MKDOCS_2_WARNING", "1")
        env.setenv("REPO_URL", EXAMPLE_REPO)
        env.setenv("EDIT_URI", "edit/main/docs/")
        cfg = load_config(config_file=str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
        site = build_and_capture(cfg, site_dir)
    assert site.ok, site.output
    return site


NAV = nav_sources(yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"])


@pytest.mark.parametrize("source", NAV)
def test_every_page_links_to_edit_and_view_its_source(site_with_repository, source):
    soup = BeautifulSoup(site_with_repository.page(built_path(source)), "html.parser")
    buttons = [a["href"] for a in soup.select("article a.md-content__button")]
    if (REPO / "docs" / source).is_file():
        assert buttons == [
            f"{EXAMPLE_REPO}/edit/main/docs/{source}",
            f"{EXAMPLE_REPO}/raw/main/docs/{source}",
        ]
        assert soup.select_one("article a.md-content__button[rel=edit]") is not None
    else:
        # A page a hook generates has no file to edit: no button to a missing file.
        assert buttons == []
    # Material's JavaScript asks the code host's API for repository statistics from
    # any element marked as the source component: a request to another host.
    assert soup.select('[data-md-component="source"]') == []
    assert soup.select_one("a.md-source")["href"] == EXAMPLE_REPO


def test_without_a_repository_address_pages_have_no_edit_links(build_site, monkeypatch):
    monkeypatch.delenv("REPO_URL", raising=False)
    monkeypatch.delenv("EDIT_URI", raising=False)
    site = build_site({"index.md": "# Home\n\nText.\n"})
    assert site.ok, site.output
    assert "md-content__button" not in site.page("index.html")
    assert "md-source" not in site.page("index.html")


