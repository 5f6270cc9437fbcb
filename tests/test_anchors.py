"""The anchor ledger: published section URLs cannot vanish; aliases keep old ones working."""
from __future__ import annotations

import pytest

from scholarly import anchors

PUBLISHED = {
    "/coup-attempt/": "docs/coup-attempt.md",
    "/coup-attempt/#who-led": "docs/coup-attempt.md",
    "/timeline/": "docs/timeline.md",
    "/timeline/#jan-2022": "docs/timeline.md",
}


def check(ledger_text: str) -> list[str]:
    ledger, diagnostics = anchors.parse_ledger(ledger_text)
    return [str(d) for d in diagnostics + anchors.check_ledger(ledger, PUBLISHED)]


@pytest.mark.parametrize(
    ("ledger_text", "expected"),
    [
        ("/coup-attempt/#who-led\n/timeline/#jan-2022\n", []),
        ("# comment\n/coup-attempt/#leaders\n",
         [("anchors.lock:2:1: error: published anchor '/coup-attempt/#leaders' no longer exists in "
          "docs/coup-attempt.md — restore the heading id {#leaders}, or add under [aliases] in "
          "anchors.lock: /coup-attempt/#leaders -> /coup-attempt/#new-id")]),
        ("/people/#leaders\n",
         [("anchors.lock:1:1: error: published anchor '/people/#leaders': its page '/people/' no "
          "longer exists — restore the page, or add under [aliases] in anchors.lock: "
          "/people/ -> /new-page/")]),
        ("/coup-attempt/#leaders\n\n[aliases]\n/coup-attempt/#leaders -> /coup-attempt/#who-led\n", []),
        ("/people/#jan-2022\n[aliases]\n/people/ -> /timeline/\n", []),
        ("/coup-attempt/#leaders\n[aliases]\n/coup-attempt/#leaders -> /coup-attempt/#gone\n",
         [("anchors.lock:1:1: error: published anchor '/coup-attempt/#leaders' is aliased to "
          "'/coup-attempt/#gone', which does not exist — point the alias at an existing /page/#id")]),
        ("coup-attempt#who-led\n",
         [("anchors.lock:1:1: error: ledger entry 'coup-attempt#who-led' is not a site path — "
          "entries look like /coup-attempt/#why-it-failed")]),
        ("[aliases]\n/a/#b /a/#c\n",
         [("anchors.lock:2:1: error: alias '/a/#b /a/#c' is not 'old -> new' — write e.g. "
          "/coup-attempt/#old-id -> /coup-attempt/#new-id")]),
    ],
)
def test_ledger_check_names_the_anchor_and_both_ways_out(ledger_text, expected):
    assert check(ledger_text) == expected


def test_new_anchors_are_listed_not_errors():
    ledger, _ = anchors.parse_ledger("/coup-attempt/#who-led\n")
    assert anchors.check_ledger(ledger, PUBLISHED) == []
    assert anchors.new_anchors(ledger, PUBLISHED) == ["/coup-attempt/", "/timeline/", "/timeline/#jan-2022"]


def test_aliases_give_old_fragments_and_redirects():
    ledger, _ = anchors.parse_ledger(
        "/coup-attempt/#leaders\n/people/#jan-2022\n[aliases]\n"
        "/coup-attempt/#leaders -> /coup-attempt/#who-led\n/people/ -> /timeline/\n")
    fragments, redirects = anchors.aliases_to_honour(ledger, PUBLISHED)
    assert fragments == {"/coup-attempt/#who-led": ["leaders"]}
    assert redirects == {"/people/": "/timeline/"}


def test_update_adds_new_anchors_and_keeps_comments_and_aliases():
    before = "# mine\n/timeline/#jan-2022\n\n[aliases]\n/a/#b -> /timeline/#jan-2022\n"
    after = anchors.updated_ledger(before, {"/coup-attempt/#who-led": "x", "/timeline/#jan-2022": "y"})
    assert after == ("# mine\n\n/coup-attempt/#who-led\n/timeline/#jan-2022\n\n"
                     "[aliases]\n/a/#b -> /timeline/#jan-2022\n")
    assert anchors.updated_ledger(after, {"/coup-attempt/#who-led": "x"}) == after


def test_first_ledger_gets_the_explanatory_header():
    text = anchors.updated_ledger("", {"/t/#a": "docs/t.md"})
    assert text.startswith(anchors.HEADER)
    assert "\n/t/#a\n\n[aliases]\n" in text


CHAPTER = """\
# Chapter

## Who led it {#who-led}

Text.
"""


def test_renamed_heading_id_fails_the_build_with_the_promised_message(build_site, tmp_path):
    (tmp_path / "anchors.lock").write_text("/chapter/#leaders\n", encoding="utf-8")
    site = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER})
    assert not site.ok
    assert ("anchors.lock:1:1: error: published anchor '/chapter/#leaders' no longer exists in "
            "docs/chapter.md — restore the heading id {#leaders}, or add under [aliases] in "
            "anchors.lock: /chapter/#leaders -> /chapter/#new-id") in site.output


def test_alias_repairs_the_build_and_the_old_fragment_still_lands(build_site, tmp_path):
    (tmp_path / "anchors.lock").write_text(
        "/chapter/#leaders\n/old-chapter/#who-led\n[aliases]\n/chapter/#leaders -> /chapter/#who-led\n"
        "/old-chapter/ -> /chapter/\n", encoding="utf-8")
    site = build_site({"index.md": "# Home\n", "chapter.md": CHAPTER})
    assert site.ok, site.output
    page = site.page("chapter/index.html")
    assert '<span id="leaders" class="anchor-alias"></span><h2 id="who-led"' in page
    redirect = site.page("old-chapter/index.html")
    assert 'url=../chapter/"' in redirect
    assert 'location.replace("../chapter/" + location.hash)' in redirect
