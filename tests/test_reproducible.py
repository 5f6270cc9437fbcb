"""Two builds of the same sources on different days are byte-identical.

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
                         site_dir=root + "/site-" + sys.argv[1])
    config["nav"] = None
    config.plugins["bibtex"].config.bib_file = root + "/references.bib"
    build(config)
""")

PAGES = {
    "index.md": "# Home\n\nSee [the chapter](chapter.md).\n",
    "chapter.md": "# Chapter\n\n## Who led it {#who-led}\n\nText [@hall2017learning, 145].\n",
}
BIB = ("@article{hall2017learning, author={Hall, Stephen G. F. and Ambrosio, Thomas}, "
       "title={Authoritarian Learning}, journal={East European Politics}, year={2017}}\n")


def tree(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_builds_on_different_days_are_byte_identical(tmp_path):
    (tmp_path / "docs").mkdir()
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(REPO / "hooks"))
    days_apart = {shift: subprocess.Popen(
        [sys.executable, "-c", BUILD_WITH_SHIFTED_CLOCK, shift, str(tmp_path), str(REPO / "mkdocs.yml")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for shift in ("0", str(3 * 86400 + 3671))}
    for process in days_apart.values():
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output
    first, second = (tree(tmp_path / f"site-{shift}") for shift in days_apart)
    assert "sitemap.xml.gz" in first and "chapter/citation.bib" in first
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
