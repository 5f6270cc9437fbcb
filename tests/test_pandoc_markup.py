import pytest

from scholarly.pandoc_markup import plain_spans


@pytest.mark.parametrize(
    "markdown,expected",
    [
        ("*On [Kazakhstan's]{.nocase} Way*", "*On Kazakhstan's Way*"),
        ("[NATO]{.nocase} and [USA]{.nocase}", "NATO and USA"),
        ("[Sic]{.smallcaps}", '<span class="smallcaps">Sic</span>'),
        ("[a link](https://example.org){.external}", "[a link](https://example.org){.external}"),
        ("[not a span] {.nocase}", "[not a span] {.nocase}"),
        ("[^a2020x]: On \\<b\\> tags.", "[^a2020x]: On &lt;b&gt; tags."),
        ("Prose keeps \\<b\\> as written.", "Prose keeps \\<b\\> as written."),
    ],
)
def test_pandoc_spans_become_plain_markdown(markdown, expected):
    assert plain_spans(markdown) == expected


def test_protected_title_word_renders_without_brackets(build_site):
    site = build_site(
        {"index.md": "# Home\n\nAs argued [@a2020x].\n"},
        bib="@book{a2020x, author={Aliyev, A.}, title={On {Kazakhstan's} Transition},"
        " publisher={P}, year={2020}}\n",
    )
    assert site.ok, site.output
    html = site.page("index.html")
    assert "On Kazakhstan&rsquo;s Transition" in html and "{.nocase}" not in html


def test_code_that_looks_like_a_pandoc_span_is_kept(build_site):
    site = build_site({"index.md": "# Home\n\nWrite `[word]{.nocase}` in a title.\n"})
    assert site.ok, site.output
    assert "<code>[word]{.nocase}</code>" in site.page("index.html")


def test_angle_brackets_in_a_title_show_without_backslashes(build_site):
    site = build_site(
        {"index.md": "# Home\n\nAs argued [@a2020x].\n"},
        bib="@book{a2020x, author={Aliyev, A.}, title={The <b> Tag}, publisher={P}, year={2020}}\n",
    )
    assert site.ok, site.output
    html = site.page("index.html")
    assert "The &lt;b&gt; Tag" in html and "\\&lt;" not in html
