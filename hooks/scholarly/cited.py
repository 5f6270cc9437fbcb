"""Which sources each page cites, as the citation renderer met them: written by
hooks/citations.py once a page is converted, read by hooks/citable.py for the page's
metadata. Emptied when a build starts (``mkdocs serve`` keeps modules loaded)."""

by_page: dict[str, list[str]] = {}  # page url -> keys, in order of first citation


def reset() -> None:
    by_page.clear()
