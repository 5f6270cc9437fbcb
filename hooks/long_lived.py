"""Keeps Python's cycle collector away from what a build loads once and keeps.

Checks and adds nothing. By the time the files are known, the hooks
hold the bibliography's keys and texts, every formatted citation and what the format
cache kept: many thousands of objects at 5,000 references, alive until the build
ends. Every full collection walks them all again, and the pages' conversion triggers
many: at 200 chapters that was a tenth of the build. Frozen (``gc.freeze``), they are skipped;
they are still freed as usual when nothing refers to them any more.
"""
from __future__ import annotations

import gc

from mkdocs.plugins import event_priority


# First of all: `mkdocs serve` builds again in this process, and what the last build
# froze must become collectable again.
@event_priority(1000)
def on_config(config):
    gc.unfreeze()
    return config


# Last of on_files: every hook has loaded what it keeps for the build.
@event_priority(-1000)
def on_files(files, config):
    gc.freeze()
    return files


def on_shutdown():
    gc.unfreeze()
