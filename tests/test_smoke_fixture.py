def test_tiny_site_builds(build_site):
    site = build_site({"index.md": "# Hi\n\nText [@a2020t].\n"}, bib="@book{a2020t, author={A, B}, title={T}, publisher={P}, year={2020}}\n")
    assert site.ok, site.output
    assert "(A 2020)" in site.page("index.html")
