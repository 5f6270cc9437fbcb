"""scholarly/format_cache.py: formatted text kept on disk, atomically, ignored when unreadable;
and the cite-this entries and full bibliography that use it."""

from __future__ import annotations

import pathlib

import pytest

from conftest import REPO
from scholarly import citation_formats, citation_formatting, format_cache, pandoc
from scholarly.site_citation import parse_citation_cff


def test_a_value_saved_is_read_back_by_the_next_build(tmp_path):
    store = format_cache.Store(tmp_path, "kind")
    store.put("k", {"Chicago": "text"})
    store.save(keep_unused=False)
    assert format_cache.Store(tmp_path, "kind").get("k") == {"Chicago": "text"}
    assert [path.name for path in tmp_path.iterdir()] == ["kind.json"]


@pytest.mark.parametrize("keep_unused, expected", [(False, None), (True, "old")])
def test_what_a_build_did_not_use_is_dropped_unless_kept(tmp_path, keep_unused, expected):
    first = format_cache.Store(tmp_path, "kind")
    first.put("old", "old")
    first.save(keep_unused=False)
    second = format_cache.Store(tmp_path, "kind")
    second.put("new", "new")
    second.save(keep_unused=keep_unused)
    third = format_cache.Store(tmp_path, "kind")
    assert (third.get("old"), third.get("new")) == (expected, "new")


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe", b"[]", b'{"version": "0", "entries": {"k": 1}}',
    b'{"version": "1", "entries": ["k"]}',
])
def test_an_unreadable_file_is_an_empty_cache(tmp_path, content):
    (tmp_path / "kind.json").write_bytes(content)
    store = format_cache.Store(tmp_path, "kind")
    assert store.get("k") is None
    store.put("k", 2)
    store.save(keep_unused=False)
    assert format_cache.Store(tmp_path, "kind").get("k") == 2


def test_a_folder_that_cannot_be_written_is_only_a_slower_build(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = format_cache.Store(blocker / "cache", "kind")
    store.put("k", 1)
    store.save(keep_unused=False)  # no exception
    assert not (blocker / "cache").exists()


@pytest.mark.parametrize("setting, expected", [
    (None, "project/.cache/scholarly"), ("elsewhere", "elsewhere"), ("off", None), ("OFF", None),
])
def test_cache_dir_is_next_to_docs_unless_the_environment_says(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv(format_cache.ENVIRONMENT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(format_cache.ENVIRONMENT_VARIABLE, setting)
    folder = format_cache.cache_dir("project")
    assert (folder.as_posix() if folder else None) == expected


def test_keys_differ_when_any_part_differs():
    assert format_cache.key("ab", "c") != format_cache.key("a", "bc")
    assert format_cache.key("a", b"b") == format_cache.key("a", "b")


@pytest.fixture
def pandoc_calls(monkeypatch):
    calls: list[list[str]] = []
    original = citation_formats.format_styled

    def counting(records, styles=citation_formats.STYLES):
        calls.append([record["id"] for record in records])
        return original(records, styles)

    monkeypatch.setattr(citation_formats, "format_styled", counting)
    return calls


def _records():
    site, _ = parse_citation_cff((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    page = citation_formats.page_record(site, id="one", title="One", url="https://example.org/one/",
                                        updated="2024-05-01")
    section = citation_formats.section_record(site, id="one:a", title="A", page_title="One",
                                              url="https://example.org/one/#a", updated="2024-05-01")
    return [page, section]


def test_styled_entries_come_from_the_store_as_pandoc_wrote_them(tmp_path, pandoc_calls):
    cold = citation_formats.format_styled_kept(_records(), store := format_cache.Store(tmp_path, "s"))
    store.save(keep_unused=False)
    warm = citation_formats.format_styled_kept(_records(), format_cache.Store(tmp_path, "s"))
    assert list(warm.items()) == list(cold.items())  # same entries, same order
    assert [list(entry) for entry in warm.values()] == [list(entry) for entry in cold.values()]
    assert pandoc_calls == [["one", "one:a"]]


def test_only_a_changed_record_is_styled_again(tmp_path, pandoc_calls):
    store = format_cache.Store(tmp_path, "s")
    citation_formats.format_styled_kept(_records(), store)
    store.save(keep_unused=False)
    changed = _records()
    changed[1]["title"] = "B"
    styled = citation_formats.format_styled_kept(changed, format_cache.Store(tmp_path, "s"))
    assert pandoc_calls == [["one", "one:a"], ["one:a"]]
    assert "“B.”" in styled["one:a"]["Chicago"].text


BIB = "@book{a, author={Ca{\\~n}as, Ana}, title={Power}, publisher={P}, year={2001}}\n"
CSL = pathlib.Path(citation_formats.STYLE_DIR, "chicago-author-date.csl")


@pytest.fixture
def pandoc_runs(monkeypatch):
    tasks: list[str] = []
    original = pandoc.run

    def counting(task, **request):
        tasks.append(task)
        return original(task, **request)

    monkeypatch.setattr(pandoc, "run", counting)
    return tasks


def test_bibliography_entries_are_formatted_once_per_content(tmp_path, pandoc_runs):
    cold = citation_formatting.bibliography_entries(BIB, CSL, tmp_path)
    assert list(cold) == ["a"] and "Cañas" in cold["a"]
    assert citation_formatting.bibliography_entries(BIB, CSL, tmp_path) == cold
    assert pandoc_runs == ["bibliography"]
    changed = citation_formatting.bibliography_entries(BIB.replace("Power", "Powers"), CSL, tmp_path)
    assert "Powers" in changed["a"] and pandoc_runs == ["bibliography", "bibliography"]


def test_citation_runs_are_formatted_once_per_content(tmp_path, pandoc_runs):
    groups = ["[@a]", "[@a, p. 4]"]
    cold = citation_formatting.format_site(BIB, CSL, groups, tmp_path)
    assert set(cold.groups) == set(groups) and cold.problems == {}
    assert "Cañas" in cold.groups["[@a]"] and "4" in cold.groups["[@a, p. 4]"]
    # The two runs go on side by side: either may start first.
    assert sorted(pandoc_runs) == ["bibliography", "cite"]
    warm = citation_formatting.format_site(BIB, CSL, groups, tmp_path)
    assert (warm.groups, warm.entries) == (cold.groups, cold.entries)
    assert sorted(pandoc_runs) == ["bibliography", "cite"]  # nothing formatted again


def test_a_file_store_reads_back_its_texts_and_drops_what_a_build_did_not_use(tmp_path):
    first = format_cache.FileStore(tmp_path, "texts")
    first.put("a", "Zürich – Łódź")
    first.put("b", "kept for one build")
    first.save(keep_unused=False)
    second = format_cache.FileStore(tmp_path, "texts")
    assert second.get("a") == "Zürich – Łódź"
    assert second.get("missing") is None
    second.put("c", "lone \ud800 surrogate")  # not kept: UTF-8 cannot hold it
    second.save(keep_unused=False)
    assert sorted(path.name for path in (tmp_path / "texts").iterdir()) == ["a"]
    assert format_cache.FileStore(None, "texts").get("a") is None


def test_a_file_store_that_cannot_remove_an_old_text_is_only_a_bigger_cache(tmp_path, monkeypatch):
    format_cache.FileStore(tmp_path, "texts").put("old", "from an earlier build")

    def refuse(path, missing_ok=False):
        raise PermissionError(f"cannot remove {path}")

    monkeypatch.setattr(pathlib.Path, "unlink", refuse)
    current = format_cache.FileStore(tmp_path, "texts")
    current.put("new", "this build")
    current.save(keep_unused=False)
    assert sorted(path.name for path in (tmp_path / "texts").iterdir()) == ["new", "old"]
