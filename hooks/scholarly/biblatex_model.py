"""biblatex's data model, as its manual states it: entry types and their aliases, the
fields each type requires, field aliases, which fields hold dates, names or verbatim
text, and what a child entry takes from its ``crossref`` parent.

Data only, read by ``scholarly.bibliography``. Sources: the biblatex manual (§2.1 entry
types, §2.2.5 field aliases, §2.3.8 dates, appendix B "Default crossref setup") and
its default data model, ``blx-dm.def``.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet

# A requirement is a tuple of alternatives: any one of them satisfies it.
Requirement = tuple[str, ...]

AUTHOR = ("author",)
AUTHOR_OR_EDITOR = ("author", "editor")
EDITOR = ("editor",)
TITLE = ("title",)
BOOKTITLE = ("booktitle",)
DATE = ("date", "year")

# The required fields of each type, as the manual's §2.1.1 lists them.
_IN_BOOK: tuple[Requirement, ...] = (AUTHOR, TITLE, BOOKTITLE, DATE)
_COLLECTION: tuple[Requirement, ...] = (EDITOR, TITLE, DATE)
_ARTICLE: tuple[Requirement, ...] = (AUTHOR, TITLE, ("journaltitle",), DATE)
_MISC: tuple[Requirement, ...] = (AUTHOR_OR_EDITOR, TITLE, DATE)
_BY_INSTITUTION: tuple[Requirement, ...] = (AUTHOR, TITLE, ("type",), ("institution",), DATE)
REQUIRED: dict[str, tuple[Requirement, ...]] = {
    "article": _ARTICLE,
    "book": (AUTHOR, TITLE, DATE),
    "mvbook": (AUTHOR, TITLE, DATE),
    "inbook": _IN_BOOK,
    "bookinbook": _IN_BOOK,
    "suppbook": _IN_BOOK,
    "booklet": (AUTHOR_OR_EDITOR, TITLE, DATE),
    "collection": _COLLECTION,
    "mvcollection": _COLLECTION,
    "incollection": _IN_BOOK,
    "suppcollection": _IN_BOOK,
    "dataset": _MISC,
    "manual": _MISC,
    "misc": _MISC,
    "online": (AUTHOR_OR_EDITOR, TITLE, DATE, ("doi", "eprint", "url")),
    "patent": (AUTHOR, TITLE, ("number",), DATE),
    "periodical": _COLLECTION,
    "suppperiodical": _ARTICLE,
    "proceedings": (TITLE, DATE),
    "mvproceedings": (TITLE, DATE),
    "inproceedings": _IN_BOOK,
    "reference": _COLLECTION,
    "mvreference": _COLLECTION,
    "inreference": _IN_BOOK,
    "report": _BY_INSTITUTION,
    "set": (("entryset",),),
    "software": _MISC,
    "thesis": _BY_INSTITUTION,
    "unpublished": (AUTHOR, TITLE, DATE),
    "xdata": (),
}

# Types biblatex knows that its standard styles print as @misc (manual §2.1.3), and
# the custom types: nothing is required of them.
UNSUPPORTED_TYPES = frozenset({
    "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legal",
    "legislation", "letter", "movie", "music", "performance", "review", "standard",
    "video", "customa", "customb", "customc", "customd", "custome", "customf",
})

# BibTeX's types that biblatex reads as another (manual §2.1.2), and the 'type' that
# the alias stands for where it gives one.
TYPE_ALIASES: dict[str, str] = {
    "conference": "inproceedings",
    "electronic": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "www": "online",
}
TYPE_FIELD_OF_ALIAS = frozenset({"mastersthesis", "phdthesis", "techreport"})

KNOWN_TYPES = frozenset(REQUIRED) | UNSUPPORTED_TYPES | frozenset(TYPE_ALIASES)

# BibTeX's field names that biblatex reads as its own (manual §2.2.5).
FIELD_ALIASES: dict[str, str] = {
    "address": "location",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "journal": "journaltitle",
    "key": "sortkey",
    "pdf": "file",
    "primaryclass": "eprintclass",
    "school": "institution",
}

# Fields biblatex reads verbatim: no LaTeX in them, so '%' and '_' are themselves.
VERBATIM_FIELDS = frozenset({"doi", "eprint", "file", "url", "verba", "verbb", "verbc"})
DATE_FIELDS = frozenset({"date", "eventdate", "origdate", "urldate"})
NAME_FIELDS = frozenset({
    "afterword", "annotator", "author", "bookauthor", "commentator", "editor", "editora",
    "editorb", "editorc", "foreword", "holder", "introduction", "namea", "nameb", "namec",
    "translator", "shortauthor", "shorteditor", "sortname",
})
# The parts biblatex's extended name format may name (``family=Heuvel, given=Charles``).
NAME_PART_KEYS = frozenset({
    "family", "given", "prefix", "suffix", "useprefix", "sortingnamekeytemplatename",
    "hash", "id", "gender",
})

# Fields a child never takes from its parent (appendix B).
NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options",
    "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
    "shorthandintro", "sortkey",
})
_MAIN_TITLES = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_BOOK_TITLES = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_JOURNAL_TITLES = {"title": "journaltitle", "subtitle": "journalsubtitle"}
_TITLE_FIELDS = frozenset({"title", "subtitle", "titleaddon", "shorttitle", "sorttitle",
                           "indextitle", "indexsorttitle"})


def _pairs(parents: str, children: str, titles: dict[str, str]) -> dict:
    return {(parent, child): titles for parent in parents.split() for child in children.split()}


# (parent type, child type) -> where the parent's title fields go in the child.
TITLE_INHERITANCE: dict[tuple[str, str], dict[str, str]] = {
    **_pairs("mvbook", "book inbook bookinbook suppbook", _MAIN_TITLES),
    **_pairs("mvcollection mvreference",
             "collection reference incollection inreference suppcollection", _MAIN_TITLES),
    **_pairs("mvproceedings", "proceedings inproceedings", _MAIN_TITLES),
    **_pairs("book", "inbook bookinbook suppbook", _BOOK_TITLES),
    **_pairs("collection reference", "incollection inreference suppcollection", _BOOK_TITLES),
    **_pairs("proceedings", "inproceedings", _BOOK_TITLES),
    **_pairs("periodical", "article suppperiodical", _JOURNAL_TITLES),
}


def canonical_type(entry_type: str) -> str:
    return TYPE_ALIASES.get(entry_type, entry_type)


def canonical_field(name: str) -> str:
    return FIELD_ALIASES.get(name, name)


def inherited_fields(parent_type: str, child_type: str, parent_fields: AbstractSet[str]) -> set[str]:
    """The fields (canonical names) a child of CHILD_TYPE takes from a crossref parent
    of PARENT_TYPE holding PARENT_FIELDS."""
    titles = TITLE_INHERITANCE.get((canonical_type(parent_type), canonical_type(child_type)))
    taken = set()
    for name in parent_fields - NOT_INHERITED:
        if titles is None:
            taken.add(name)
        elif name in titles:
            taken.add(titles[name])
        elif name not in _TITLE_FIELDS:
            taken.add(name)
    # A book's author is also the author of what is in it (appendix B).
    if titles is _BOOK_TITLES and "author" in parent_fields:
        taken.add("bookauthor")
    return taken
