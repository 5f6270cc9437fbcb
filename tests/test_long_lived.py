"""The cycle collector skips what a build keeps, and gets it back for the next build."""
from __future__ import annotations

import gc

import pytest

import long_lived


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_loaded_by_on_files_is_frozen_until_the_next_configuration(unfrozen):
    kept = [[] for _ in range(100)]
    long_lived.on_files([], None)
    assert gc.get_freeze_count() >= len(kept)
    long_lived.on_config({})
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_nothing_frozen_after_shutdown(build_site, unfrozen):
    site = build_site({"index.md": "# Home\n\nText.\n"})
    assert site.ok, site.output
    assert gc.get_freeze_count() > 0
    long_lived.on_shutdown()
    assert gc.get_freeze_count() == 0
