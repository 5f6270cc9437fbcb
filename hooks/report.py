"""Prints every diagnostic of the build together, then fails the build on any error.

Runs in ``on_env``: MkDocs has read and converted every page by then and written
none, so a build with a broken citation never leaves a half-written site behind.
Under ``mkdocs serve`` errors do not stop the build: every page shows them at its top
(``on_post_page``), live reload brings them to the browser, and the next build
without them takes them away; ``mkdocs build`` (``make site``, CI) still fails.
Warnings go through MkDocs' logger, so ``--strict`` counts them; notices (what
biblatex accepts but a reader may notice) are logged as information, which it does not.
"""
from __future__ import annotations

import logging
import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scholarly import build_mode, buildlog
from scholarly.diagnostics import ERROR, NOTICE, error_panel, format_report

log = logging.getLogger("mkdocs.hooks.report")


def on_startup(command, dirty):
    build_mode.dirty = dirty
    build_mode.command = command


# What every page shows at its top in a `mkdocs serve` build with errors.
_serve_panel = ""


# First of all on_config handlers: later ones may already add diagnostics.
@event_priority(1000)
def on_config(config):
    global _serve_panel
    buildlog.reset()
    _serve_panel = ""


# Last of all on_env handlers, so every other hook has reported.
@event_priority(-1000)
def on_env(env, config, files):
    diagnostics = buildlog.collected()
    if not diagnostics:
        return env
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    if any(d.severity == ERROR for d in diagnostics):
        report = f"the sources have problems to fix:\n{format_report(diagnostics, github)}"
        if build_mode.command != "serve":
            raise PluginError(report)
        global _serve_panel
        _serve_panel = error_panel(diagnostics)
        log.error(report)
        return env
    for diagnostic in sorted(set(diagnostics)):
        # A notice is news, not a problem: MkDocs' strict mode counts only warnings.
        write = log.info if diagnostic.severity == NOTICE else log.warning
        for line in format_report([diagnostic], github).splitlines()[:-1]:
            write(line)
    return env


# Last of all on_post_page handlers, so every other hook has written into the page.
@event_priority(-1000)
def on_post_page(output, page, config):
    if not _serve_panel or not output:
        return output
    article = '<article class="md-content__inner md-typeset">'
    return output.replace(article, article + _serve_panel, 1)
