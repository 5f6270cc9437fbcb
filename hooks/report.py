"""Prints every diagnostic of the build together, then fails the build on any error.

Runs in ``on_env``: MkDocs has read and converted every page by then and written
none, so a build with a broken citation never leaves a half-written site behind.
Warnings go through MkDocs' logger, so ``--strict`` counts them; notices (what
biblatex accepts but a reader may notice) are logged as information, which it does not.
"""
from __future__ import annotations

import logging
import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scholarly import build_mode, buildlog
from scholarly.diagnostics import ERROR, NOTICE, format_report

log = logging.getLogger("mkdocs.hooks.report")


def on_startup(command, dirty):
    build_mode.dirty = dirty
    build_mode.command = command


# First of all on_config handlers: later ones may already add diagnostics.
@event_priority(1000)
def on_config(config):
    buildlog.reset()


# Last of all on_env handlers, so every other hook has reported.
@event_priority(-1000)
def on_env(env, config, files):
    diagnostics = buildlog.collected()
    if not diagnostics:
        return env
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if any(d.severity == ERROR for d in diagnostics):
        raise PluginError(f"the sources have problems to fix:\n{format_report(diagnostics, github)}")
    for diagnostic in sorted(set(diagnostics)):
        # A notice is news, not a problem: MkDocs' strict mode counts only warnings.
        write = log.info if diagnostic.severity == NOTICE else log.warning
        for line in format_report([diagnostic], github).splitlines()[:-1]:
            write(line)
    return env
