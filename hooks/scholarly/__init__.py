"""The project's checks and data builders: pure functions over text and data.

Nothing in this package imports MkDocs, so tests and ``make check`` call it directly.
"""
