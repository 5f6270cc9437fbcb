"""A deterministic, seeded corpus for the benchmark: chapters and a .bib shaped like the site's.

Each chapter has an ``h1``, ``h2`` sections and ``h3`` subsections with explicit ids
(``{#...}``), citation groups in the forms the site uses (``[@a]``, ``[@a, 12]``,
``[@a; @b]``), and footnotes with definitions, some of which cite. The .bib holds
articles, books, reports and online sources, with Unicode and LaTeX-accented names.
Every reference is cited at least once. URLs point at ``example.org``, the domain
reserved for examples, so no generated record can pass for a real one.

The same ``(chapters, references, seed)`` always gives the same bytes:

    python bench/corpus.py --chapters 50 --references 1000 --out /tmp/corpus-50
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import random
import unicodedata

SIZES = {
    # name: (chapters, references); "memo" is the real site and is not generated.
    "tiny": (3, 12),
    "50ch": (50, 1000),
    "200ch": (200, 5000),
}

# (BibTeX spelling, plain spelling): half the names need a LaTeX decoder, half are Unicode.
SURNAMES = [
    ("Junisbai", "Junisbai"),
    ('M{\\"u}ller', "Müller"),
    ("Dvo{\\v{r}}{\\'a}k", "Dvořák"),
    ("{\\L}ukasiewicz", "Łukasiewicz"),
    ("Ca{\\~n}as", "Cañas"),
    ('Sch{\\"o}n', "Schön"),
    ("Nazarbayeva", "Nazarbayeva"),
    ("Tokayev", "Tokayev"),
    ("Şahin", "Şahin"),
    ("Ağca", "Ağca"),
    ("Žukauskas", "Žukauskas"),
    ("Øster", "Øster"),
    ("Hall", "Hall"),
    ("Ambrosio", "Ambrosio"),
    ("Beissinger", "Beissinger"),
    ("Cooley", "Cooley"),
    ("Isaacs", "Isaacs"),
    ("Schatz", "Schatz"),
    ("Lewis", "Lewis"),
    ("Koch", "Koch"),
    ("Тасмагамбетов", "Тасмагамбетов"),
    ("Ерланова", "Ерланова"),
    ("Garc{\\'i}a", "García"),
    ("Fran{\\c{c}}ois", "François"),
]
# Most authors get a name built from these, so a large .bib has as many distinct
# authors as a real one rather than two dozen names each cited hundreds of times.
SYLLABLES = [
    "ka",
    "zak",
    "bai",
    "nur",
    "sul",
    "tan",
    "ov",
    "mar",
    "lin",
    "son",
    "berg",
    "ger",
    "ros",
    "vic",
    "ski",
    "ard",
    "hel",
    "mon",
    "tur",
    "jan",
]
GIVEN = [
    "Azamat",
    "Aigerim",
    "Stephen G. F.",
    "Thomas",
    "Erica",
    "Alexander",
    "Rico",
    "Edward",
    "Jürgen",
    "Zoë",
    "Łucja",
    "Ömer",
    "Dinara",
    "Saltanat",
    "Nurlan",
    "Jean-Luc",
]
WORDS = [
    "authoritarian",
    "learning",
    "regime",
    "elite",
    "succession",
    "transition",
    "protest",
    "security",
    "council",
    "president",
    "nation",
    "leader",
    "clan",
    "patronage",
    "oil",
    "rents",
    "gas",
    "price",
    "region",
    "Almaty",
    "capital",
    "Astana",
    "January",
    "unrest",
    "coup",
    "attempt",
    "power",
    "sharing",
    "legitimacy",
    "reform",
    "constitution",
    "parliament",
    "party",
    "Amanat",
    "family",
    "business",
    "network",
    "loyalty",
    "purge",
    "intelligence",
    "service",
    "committee",
    "army",
    "troops",
    "peacekeeping",
    "mission",
    "Moscow",
    "Beijing",
    "neighbours",
    "diffusion",
    "emulation",
    "lesson",
    "model",
    "strategy",
    "survival",
    "institution",
    "informal",
    "formal",
    "rule",
    "law",
    "court",
    "media",
    "internet",
    "shutdown",
    "censorship",
    "information",
    "narrative",
    "terrorism",
    "official",
    "account",
]
JOURNALS = [
    "East European Politics",
    "Central Asian Survey",
    "Europe-Asia Studies",
    "Post-Soviet Affairs",
    "Problems of Post-Communism",
    "Journal of Democracy",
]
PUBLISHERS = [
    ("Cambridge University Press", "Cambridge"),
    ("Oxford University Press", "Oxford"),
    ("Routledge", "London"),
    ("Cornell University Press", "Ithaca, NY"),
]
INSTITUTIONS = ["PONARS Eurasia", "Carnegie Endowment", "Chatham House", "OSCE/ODIHR"]


@dataclasses.dataclass(frozen=True)
class Corpus:
    pages: dict[str, str]  # path under docs/ -> Markdown
    bib: str

    def write(self, root: pathlib.Path) -> None:
        """Writes ``root/docs/*.md`` and ``root/references.bib``."""
        docs = root / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        for name, text in self.pages.items():
            (docs / name).write_text(text, encoding="utf-8")
        (root / "references.bib").write_text(self.bib, encoding="utf-8")


def generate(chapters: int, references: int, seed: int = 2022) -> Corpus:
    rng = random.Random(seed)
    keys, bib = _bibliography(rng, references)
    pages = {"index.md": _index(chapters)}
    uncited = list(keys)
    for number in range(1, chapters + 1):
        # Every key is cited somewhere: each chapter takes its share of the uncited ones first.
        share = uncited[: -(-len(keys) // chapters)]
        del uncited[: len(share)]
        pages[f"chapter-{number:03d}.md"] = _chapter(rng, number, keys, share)
    return Corpus(pages=pages, bib=bib)


def _surname(rng: random.Random) -> tuple[str, str]:
    """(BibTeX spelling, plain spelling): a listed name one time in four, else a built one."""
    if rng.random() < 0.25:
        return rng.choice(SURNAMES)
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return name, name


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower()).replace("ł", "l").replace("ø", "o")
    return "".join(c for c in decomposed if "a" <= c <= "z")


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(8, 22))
    return text[0].upper() + text[1:] + "."


def _bibliography(rng: random.Random, count: int) -> tuple[list[str], str]:
    keys: list[str] = []
    entries: list[str] = []
    for index in range(count):
        kind = ("article", "book", "report", "online")[index % 4]
        authors = [_surname(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
        year = 1995 + rng.randrange(28)
        title_words = _words(rng, rng.randint(4, 10))
        ascii_surname = _ascii(authors[0][1]) or "anon"
        key = f"{ascii_surname}{year}{title_words.split()[0]}{index}"
        keys.append(key)
        fields = {
            "author": " and ".join(f"{bib_name}, {rng.choice(GIVEN)}" for bib_name, _ in authors),
            "title": title_words[0].upper() + title_words[1:],
            "year": str(year),
        }
        if kind == "article":
            first_page = rng.randint(1, 400)
            fields |= {
                "journal": rng.choice(JOURNALS),
                "volume": str(rng.randint(1, 70)),
                "number": str(rng.randint(1, 8)),
                "pages": f"{first_page}--{first_page + rng.randint(8, 30)}",
            }
        elif kind == "book":
            publisher, address = rng.choice(PUBLISHERS)
            fields |= {"publisher": publisher, "address": address}
        elif kind == "report":
            fields |= {"institution": rng.choice(INSTITUTIONS), "type": "Policy Memo"}
        else:
            fields |= {
                "url": f"https://example.org/bench/{key}",
                "urldate": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "organization": rng.choice(INSTITUTIONS),
            }
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        entries.append(f"@{kind}{{{key},\n{body},\n}}\n")
    return keys, "\n".join(entries)


def _citation_group(rng: random.Random, keys: list[str], first: str | None) -> str:
    key = first or rng.choice(keys)
    form = rng.randrange(4)
    if form == 0:
        return f"[@{key}]"
    if form == 1:
        return f"[@{key}, {rng.randint(1, 300)}]"
    if form == 2:
        start = rng.randint(1, 300)
        return f"[@{key}, {start}–{start + rng.randint(1, 9)}]"
    return f"[@{key}; @{rng.choice(keys)}]"


def _chapter(rng: random.Random, number: int, keys: list[str], must_cite: list[str]) -> str:
    pending = list(must_cite)
    notes: list[str] = []
    lines = [f"# Chapter {number}: {_words(rng, 4)}", "", _sentence(rng), ""]
    for section in range(1, rng.randint(4, 7) + 1):
        lines += [f"## {_words(rng, 3).capitalize()} {{#ch{number}-s{section}}}", ""]
        for sub in range(rng.randint(0, 2) + 1):
            if sub:
                lines += [f"### {_words(rng, 3).capitalize()} {{#ch{number}-s{section}-{sub}}}", ""]
            for _ in range(rng.randint(2, 3)):
                sentences = []
                for _ in range(rng.randint(3, 6)):
                    sentence = _sentence(rng)
                    roll = rng.random()
                    if pending or roll < 0.45:
                        group = _citation_group(rng, keys, pending.pop() if pending else None)
                        sentence = f"{sentence[:-1]} {group}."
                    elif roll < 0.55:
                        label = f"n{len(notes) + 1}"
                        cite = f" {_citation_group(rng, keys, None)}" if rng.random() < 0.3 else ""
                        notes.append(f"[^{label}]: {_sentence(rng)}{cite}")
                        sentence += f"[^{label}]"
                    sentences.append(sentence)
                lines += [" ".join(sentences), ""]
    # Citations left over (few sections, many keys) close the chapter.
    while pending:
        lines += [f"See also {_citation_group(rng, keys, pending.pop())}.", ""]
    lines += notes
    return "\n".join(lines) + "\n"


def _index(chapters: int) -> str:
    links = "\n".join(f"- [Chapter {n}](chapter-{n:03d}.md)" for n in range(1, chapters + 1))
    return f"# A generated corpus\n\n{chapters} chapters for the benchmark.\n\n{links}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, required=True)
    parser.add_argument("--references", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    generate(args.chapters, args.references, args.seed).write(args.out)


if __name__ == "__main__":
    main()
