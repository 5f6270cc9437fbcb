"""``make bench``: the project's build against plain MkDocs + Material, same text.

For the real memo and for generated corpora (bench/corpus.py) it runs, each in a
fresh process, the plain build and the project's strict build twice: **cold** (an
empty format cache: what CI and a fresh clone pay) and **warm** (the cache a build
of the same text left: every later local build). The three take turns going first.
It reports medians, the ratios to plain against the goals of issue 13 (cold ≤ 1.5×
plain at the memo and at 50 chapters, ≤ 1.8× at 200; warm ≤ 1.2× at all three), and
peak memory (the largest resident set of the build process or any it waited for,
pandoc included). It also times ``make check``'s work after imports, and a
``mkdocs serve``-style rebuild after one chapter of the 50-chapter corpus is edited,
with a warm cache: full (what ``mkdocs serve`` does) and ``--dirty``.

    python bench/run.py            # >= 5 runs each, all sizes (long: bench/README.md)
    python bench/run.py --quick    # 2 runs, memo and 50 chapters
    python bench/run.py --json     # the same, as JSON on stdout
"""

from __future__ import annotations

import argparse
import compileall
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

# Issue 13: the project's build / plain's, the same text.
COLD_GOALS = {"memo": 1.5, "50ch": 1.5, "200ch": 1.8}
WARM_GOALS = {"memo": 1.2, "50ch": 1.2, "200ch": 1.2}
SERVE_GOAL_S = 2.0
# Each serve sample is two 50-chapter builds; three of them are enough for a median.
SERVE_RUNS = 3
CHECK_GOALS_S = {"memo": 0.3, "200ch": 3.0}
MEMORY_GOAL = 1.5


class BuildFailed(Exception):
    pass


def run_once(args: list[str], cache: pathlib.Path | None = None) -> tuple[float, dict, int]:
    """(wall seconds, the JSON the process printed, peak RSS in KiB) of one process,
    with its format cache in CACHE (none kept if None)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "hooks"),
               SCHOLARLY_CACHE_DIR=str(cache) if cache else "off")
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


MODES = ("plain", "cold", "warm")


def measure_pair(root: pathlib.Path, generated: bool, runs: int, work: pathlib.Path) -> dict:
    """Medians of plain, cold and warm builds of ROOT, taking turns going first."""
    warm_cache = work / f"cache-warm-{root.name}"
    shutil.rmtree(warm_cache, ignore_errors=True)
    base = ["--root", str(root)] + (["--generated"] if generated else [])
    samples: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for index in range(runs):
        # The first round runs cold before warm: its cold build's cache is the one
        # every warm build starts from.
        order = MODES[index % len(MODES) :] + MODES[: index % len(MODES)]
        for mode in order:
            site = work / f"site-{mode}"
            shutil.rmtree(site, ignore_errors=True)
            cache = None
            if mode == "cold":
                cache = warm_cache if index == 0 else work / "cache-cold"
                shutil.rmtree(cache, ignore_errors=True)
            elif mode == "warm":  # every warm build starts from the first cold build's cache
                cache = work / "cache-run"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.copytree(warm_cache, cache)
            build_mode = "plain" if mode == "plain" else "project"
            flags = ["--mode", build_mode, "--site", str(site), *base]
            wall, inside, rss = run_once(flags, cache)
            samples[mode].append({"wall_s": wall, "build_s": inside["build_s"], "rss_kib": rss})
    return {mode: _medians(values) for mode, values in samples.items()}


def _medians(values: list[dict]) -> dict:
    return {
        "wall_s": statistics.median(v["wall_s"] for v in values),
        "build_s": statistics.median(v["build_s"] for v in values),
        "peak_rss_mib": max(v["rss_kib"] for v in values) / 1024,
        "runs": len(values),
    }


def measure_check(root: pathlib.Path, generated: bool, runs: int) -> float:
    flags = ["--mode", "check", "--root", str(root), "--site", "-"]
    answers = [run_once(flags + (["--generated"] if generated else []))[1] for _ in range(runs)]
    if answers[0]["diagnostics"]:
        print(f"bench: make check found {answers[0]['diagnostics']} problems in {root}",
              file=sys.stderr)
    return statistics.median(answer["check_s"] for answer in answers)


def measure_rebuild(source: pathlib.Path, runs: int, work: pathlib.Path, dirty: bool) -> float:
    """The median time of a rebuild after one edit, the cache warm from SOURCE's builds."""
    times = []
    for _ in range(runs):
        root = work / "serve"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(source, root)
        cache = work / "cache-serve"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(work / f"cache-warm-{source.name}", cache)
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
        times.append(run_once(flags + (["--dirty"] if dirty else []), cache)[1]["rebuild_s"])
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


def _verdict(ratio: float, goal: float) -> str:
    return f"≤ {goal}×: {'met' if ratio <= goal else 'not met'}"


def table(results: dict) -> str:
    lines = [
        ("| build of the same text | plain (s) | cold (s) | cold ratio | cold goal "
         "| warm (s) | warm ratio | warm goal | peak memory plain / cold / warm (MiB) |"),
        "|---|---:|---:|---:|---|---:|---:|---|---:|",
    ]
    for size, pair in results["builds"].items():
        plain, cold, warm = pair["plain"], pair["cold"], pair["warm"]
        lines.append(
            f"| {size} | {plain['wall_s']:.2f} "
            f"| {cold['wall_s']:.2f} | {pair['ratio_cold']:.2f}× "
            f"| {_verdict(pair['ratio_cold'], COLD_GOALS[size])} "
            f"| {warm['wall_s']:.2f} | {pair['ratio_warm']:.2f}× "
            f"| {_verdict(pair['ratio_warm'], WARM_GOALS[size])} "
            f"| {plain['peak_rss_mib']:.0f} / {cold['peak_rss_mib']:.0f} "
            f"/ {warm['peak_rss_mib']:.0f} |"
        )
    lines += ["", "| measurement | median | goal |", "|---|---:|---:|"]
    for size, seconds in results["check_s"].items():
        goal = f"≤ {CHECK_GOALS_S[size]} s" if size in CHECK_GOALS_S else "—"
        lines.append(f"| `make check` work, {size} | {seconds:.3f} s | {goal} |")
    for kind, seconds in results["rebuild_s"].items():
        shown = "failed" if seconds is None else f"{seconds:.2f} s"
        lines.append(
            f"| serve rebuild after one edit, 50ch, warm, {kind} | {shown} | ≤ {SERVE_GOAL_S} s |"
        )
    info = results["machine"]
    footer = (
        f"Machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}; "
        f"medians of {results['runs']} alternating runs; times are whole processes; "
        f"cold: an empty format cache, warm: the cache a cold build of the same text left; "
        f"memory goal ≤ {MEMORY_GOAL}× plain at 200ch."
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
    # Python keeps a module's compiled bytecode in __pycache__ and compiles its source
    # again only when it changes; pip compiles every package it installs, plain's
    # included, when it installs it. Where PYTHONDONTWRITEBYTECODE is set (as in many
    # CI images) the hooks alone would be compiled from source in every build: about
    # 27 ms, a cost of that setting, not of the build. Compiled once here, as on any
    # machine without it.
    compileall.compile_dir(REPO / "hooks", quiet=1)
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
            for mode, goals in (("cold", COLD_GOALS), ("warm", WARM_GOALS)):
                pair[f"ratio_{mode}"] = pair[mode]["wall_s"] / pair["plain"]["wall_s"]
                pair[f"goal_{mode}"] = goals[size]
                pair[f"met_{mode}"] = pair[f"ratio_{mode}"] <= goals[size]
                pair[f"memory_ratio_{mode}"] = (
                    pair[mode]["peak_rss_mib"] / pair["plain"]["peak_rss_mib"])
            results["builds"][size] = pair
            results["check_s"][size] = measure_check(root, generated, runs)
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
