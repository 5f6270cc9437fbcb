"""``make bench``: the project's build against plain MkDocs + Material, same text.

For the real memo and for generated corpora (bench/corpus.py) it runs, each in a
fresh process, the project's strict build and the plain build, alternating which
goes first, and reports medians, the ratio project / plain, and peak memory (the
largest resident set of the build process or any it waited for, pandoc included).
It also times ``make check``'s work after imports, and a ``mkdocs serve``-style
rebuild after one chapter of the 50-chapter corpus is edited: full (what
``mkdocs serve`` does) and ``--dirty``.

    python bench/run.py            # >= 5 runs each, all sizes (several minutes)
    python bench/run.py --quick    # 2 runs, memo and 50 chapters
    python bench/run.py --json     # the same, as JSON on stdout
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus

GOALS = {"memo": 1.3, "50ch": 1.3, "200ch": 1.5}
SERVE_GOAL_S = 2.0
# Each serve sample is two 50-chapter builds; three keep `make bench` under 15 minutes.
SERVE_RUNS = 3
CHECK_GOALS_S = {"memo": 0.3, "200ch": 3.0}
MEMORY_GOAL = 1.5


class BuildFailed(Exception):
    pass


def run_once(args: list[str]) -> tuple[float, dict, int]:
    """(wall seconds, the JSON the process printed, peak RSS in KiB) of one process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(HERE / "build_one.py"), *args],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=err,
        )
        # wait4, not Popen.wait: it returns this child's own rusage, whose ru_maxrss
        # covers the descendants it waited for, so pandoc's memory counts too.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise BuildFailed(f"{' '.join(args)}\n{stderr[-3000:]}")
    return wall, json.loads(stdout.strip().splitlines()[-1]), usage.ru_maxrss


def measure_pair(root: pathlib.Path, generated: bool, runs: int, work: pathlib.Path) -> dict:
    samples = {"plain": [], "project": []}
    for index in range(runs):
        order = ("plain", "project") if index % 2 == 0 else ("project", "plain")
        for mode in order:
            site = work / f"site-{mode}"
            shutil.rmtree(site, ignore_errors=True)
            flags = ["--mode", mode, "--root", str(root), "--site", str(site)]
            wall, inside, rss = run_once(flags + (["--generated"] if generated else []))
            samples[mode].append({"wall_s": wall, "build_s": inside["build_s"], "rss_kib": rss})
    return {mode: _medians(values) for mode, values in samples.items()}


def _medians(values: list[dict]) -> dict:
    return {
        "wall_s": statistics.median(v["wall_s"] for v in values),
        "build_s": statistics.median(v["build_s"] for v in values),
        "peak_rss_mib": max(v["rss_kib"] for v in values) / 1024,
        "runs": len(values),
    }


def measure_check(root: pathlib.Path, runs: int) -> float:
    return statistics.median(
        run_once(["--mode", "check", "--root", str(root), "--site", "-"])[1]["check_s"]
        for _ in range(runs)
    )


def measure_rebuild(source: pathlib.Path, runs: int, work: pathlib.Path, dirty: bool) -> float:
    times = []
    for _ in range(runs):
        root = work / "serve"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source, root)
        flags = [
            "--mode",
            "project",
            "--root",
            str(root),
            "--site",
            str(work / "site-serve"),
            "--generated",
            "--edit",
            "chapter-025.md",
        ]
        times.append(run_once(flags + (["--dirty"] if dirty else []))[1]["rebuild_s"])
    return statistics.median(times)


def machine() -> dict:
    model = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def table(results: dict) -> str:
    header = (
        "| build of the same text | plain (s) | project (s) | ratio | goal "
        "| plain peak MiB | project peak MiB | memory ratio |"
    )
    lines = [
        header,
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, pair in results["builds"].items():
        plain, project = pair["plain"], pair["project"]
        lines.append(
            f"| {size} | {plain['wall_s']:.2f} | {project['wall_s']:.2f} "
            f"| {pair['ratio']:.2f}× | ≤ {GOALS[size]}× "
            f"| {plain['peak_rss_mib']:.0f} | {project['peak_rss_mib']:.0f} "
            f"| {pair['memory_ratio']:.2f}× |"
        )
    lines += ["", "| measurement | median | goal |", "|---|---:|---:|"]
    for size, seconds in results["check_s"].items():
        goal = f"≤ {CHECK_GOALS_S[size]} s" if size in CHECK_GOALS_S else "—"
        lines.append(f"| `make check` work, {size} | {seconds:.3f} s | {goal} |")
    for kind, seconds in results["rebuild_s"].items():
        shown = "failed" if seconds is None else f"{seconds:.2f} s"
        lines.append(
            f"| serve rebuild after one edit, 50ch, {kind} | {shown} | ≤ {SERVE_GOAL_S} s |"
        )
    info = results["machine"]
    footer = (
        f"Machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}; "
        f"medians of {results['runs']} alternating runs; times are whole processes."
    )
    lines += ["", footer]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 runs; memo and 50 chapters")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 5)
    sizes = ["memo", "50ch"] if args.quick else ["memo", "50ch", "200ch"]

    results: dict = {
        "machine": machine(),
        "runs": runs,
        "builds": {},
        "check_s": {},
        "rebuild_s": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = pathlib.Path(tmp)
        roots = {"memo": (REPO, False)}
        for size in sizes[1:]:
            chapters, references = corpus.SIZES[size]
            corpus.generate(chapters, references).write(work / size)
            roots[size] = (work / size, True)
        for size in sizes:
            root, generated = roots[size]
            print(f"bench: {size} …", file=sys.stderr, flush=True)
            pair = measure_pair(root, generated, runs, work)
            pair["ratio"] = pair["project"]["wall_s"] / pair["plain"]["wall_s"]
            pair["memory_ratio"] = pair["project"]["peak_rss_mib"] / pair["plain"]["peak_rss_mib"]
            results["builds"][size] = pair
            results["check_s"][size] = measure_check(root, runs)
        print("bench: serve rebuilds …", file=sys.stderr, flush=True)
        for kind, dirty in (("full", False), ("dirty", True)):
            try:
                results["rebuild_s"][kind] = measure_rebuild(
                    work / "50ch", min(runs, SERVE_RUNS), work, dirty
                )
            except BuildFailed as failure:
                # A hook that breaks `serve --dirty` is a finding, not a reason to lose
                # the rest of the table.
                print(f"bench: {kind} rebuild failed: {failure}", file=sys.stderr)
                results["rebuild_s"][kind] = None
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
