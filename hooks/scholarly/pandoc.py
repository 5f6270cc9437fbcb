"""The one way the project calls pandoc: ``pandoc lua citeproc.lua`` with a JSON request.

Every formatting task (citations, bibliographies, the cite boxes' styled texts, the
.bib as CSL-JSON) is a task of ``citeproc.lua``; see its header. A failed run is a
``PandocError`` carrying pandoc's own message, which the hooks turn into a diagnostic.
"""
from __future__ import annotations

import concurrent.futures
import pathlib
import subprocess

import orjson
import pypandoc

SCRIPT = pathlib.Path(__file__).with_name("citeproc.lua")


class PandocError(Exception):
    """pandoc could not do a task; the message is pandoc's, first line first."""


def run(task: str, **request) -> dict:
    """What ``citeproc.lua`` answers to TASK with REQUEST."""
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "lua", str(SCRIPT)],
        input=orjson.dumps({"task": task, **request}), capture_output=True, check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise PandocError(message)
    return orjson.loads(done.stdout)


def run_all(task: str, requests: list[dict], workers: int) -> list[dict]:
    """``run`` for each request, WORKERS at a time, answers in the requests' order."""
    if len(requests) <= 1 or workers <= 1:
        return [run(task, **request) for request in requests]
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda request: run(task, **request), requests))
