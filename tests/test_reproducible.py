"""Two builds of the same sources on different days are byte-identical, and so are a
build that formats every citation and one that reads them all from the format cache.

Each build runs in its own process with the clock moved (time.time and datetime),
and the same SOURCE_DATE_EPOCH, as `make site` derives it from the last commit.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import REPO

BUILD_WITH_SHIFTED_CLOCK = textwrap.dedent("""
    import datetime, sys, time
    shift = float(sys.argv[1])
    real_time, real_time_ns, real_datetime = time.time, time.time_ns, datetime.datetime
    time.time = lambda: real_time() + shift
    time.time_ns = lambda: real_time_ns() + int(shift * 1e9)

    class ShiftedDatetime(real_datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.now(tz) + datetime.timedelta(seconds=shift)

        @classmethod
        def utcnow(cls):
            return real_datetime.utcnow() + datetime.timedelta(seconds=shift)

    datetime.datetime = ShiftedDatetime
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    root = sys.argv[2]
    config = load_config(config_file=sys.argv[3], strict=True, docs_dir=root + "/docs",
                         site_dir=root + "/site-" + sys.argv[4])
    config["nav"] = None
    config.extra["bibliography"] = root + "/references.bib"
    build(config)
""")

PAGES = {
    "index.md": "# Home\n\nSee [the chapter](chapter.md).\n",
    "chapter.md": ("# Chapter\n\n## Who led it {#who-led}\n\nText [@hall2017learning, 145].\n\n"
                   "Again [@hall2017learning].[^aside]\n\n[^aside]: An author's note.\n"),
}
BIB = ("@article{hall2017learning, author={Hall, Stephen G. F. and Ambrosio, Thomas}, "
       "title={Authoritarian Learning}, journal={East European Politics}, year={2017}}\n")


def tree(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def write_sources(root):
    (root / "docs").mkdir()
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "references.bib").write_text(BIB, encoding="utf-8")


def start_build(root, shift, name, cache):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(REPO / "hooks"), SCHOLARLY_CACHE_DIR=str(cache))
    return subprocess.Popen(
        [sys.executable, "-c", BUILD_WITH_SHIFTED_CLOCK, shift, str(root), str(REPO / "mkdocs.yml"), name],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process):
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output


def test_builds_on_different_days_are_byte_identical(tmp_path):
    write_sources(tmp_path)
    days_apart = {shift: start_build(tmp_path, shift, shift, tmp_path / f"cache-{shift}")
                  for shift in ("0", str(3 * 86400 + 3671))}
    for process in days_apart.values():
        finish(process)
    first, second = (tree(tmp_path / f"site-{shift}") for shift in days_apart)
    assert "sitemap.xml.gz" in first and "chapter/citation.bib" in first
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_warm_rebuild_from_the_format_cache_is_byte_identical(tmp_path):
    write_sources(tmp_path)
    cache = tmp_path / "cache"
    finish(start_build(tmp_path, "0", "cold", cache))
    assert (cache / "citation-runs.json").is_file() and (cache / "bibliography-entries.json").is_file()
    finish(start_build(tmp_path, "0", "warm", cache))
    cold, warm = tree(tmp_path / "site-cold"), tree(tmp_path / "site-warm")
    assert 'id="ref-hall2017learning"' in cold["chapter/index.html"].decode()
    assert sorted(cold) == sorted(warm)
    assert [name for name in cold if cold[name] != warm[name]] == []
