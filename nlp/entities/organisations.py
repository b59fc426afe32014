"""Names of organisations and people, cleaned and made canonical.

* ``clean_name`` trims what the model leaves around a name: the first line only (boilerplate
  runs headlines together), a leading "the", a possessive "'s", quotes and brackets.
* ``strip_titles`` drops titles and roles before a person's name ("US Secretary of State
  Antony Blinken" -> "Antony Blinken"); titles are data, ``data/titles.txt``.
* ``defined_acronyms`` reads the acronyms an article defines: "Ministry of Defence (MoD)"
  (or the other way round, "MoD (Ministry of Defence)"); the long form is trimmed on the
  left until its word initials spell the acronym, so "the British Ministry of Defence (MoD)"
  defines MoD as "Ministry of Defence".
* ``OrganisationTable`` holds well-known organisations (``data/organisations.yml``): the
  canonical name, acronyms used without definition ("UN", "NATO") and other names
  ("Wagner" -> "Wagner Group").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_POSSESSIVE_RE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_EDGE_JUNK = " \t\"'‘’“”`()[]{}.,;:!?-–—*•|"
#: capitals outside ASCII count too: "NÚKIB", "ÚOOÚ"
_UPPER = "A-ZÀ-ÖØ-Þ"
_ACRONYM = rf"[{_UPPER}][A-Za-zÀ-ÖØ-öø-ÿ&.]{{0,10}}[{_UPPER}0-9]\.?"
_NAME_WORD = r"[A-Z][\w'’&.-]*"
_LINK_WORD = r"(?:of|the|for|and|on|in|de|du|des|la|le|&|del|en|y|e|el|los|las|da|do|dos|das|di|della|der|die|und|für|fur|et)"
_LONG_FORM = rf"{_NAME_WORD}(?:\s+(?:{_LINK_WORD}\s+)*{_NAME_WORD}){{0,9}}"
LONG_THEN_ACRONYM_RE = re.compile(rf"(?<![\w'’&.-])({_LONG_FORM})\s*\(\s*({_ACRONYM})\s*\)")
ACRONYM_THEN_LONG_RE = re.compile(rf"\b({_ACRONYM})\s*\(\s*({_LONG_FORM})\s*\)")
#: words that may give their initial to an acronym or not: English, and the particles of the
#: Romance and Germanic names wire copy keeps ("Sindicato Unitario de Trabajadores en la
#: Educacion del Peru (SUTEP)", "Partido dos Trabalhadores (PT)")
_LINK_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "le", "&",
                         "del", "en", "y", "e", "el", "los", "las", "da", "do", "dos", "das", "di", "della",
                         "der", "die", "und", "für", "fur", "et"})
_AKA_RE = re.compile(r"^(?:a\.k\.a\.?|A\.K\.A\.?|aka|AKA)\s+(?=[A-Z])")


def clean_name(text: str) -> str:
    """Trim a name as the model found it: first line, no leading "the", no possessive.

    :param text: e.g. "the Wagner group's\\n\\nLatest"
    """
    line = next((part for part in text.splitlines() if part.strip()), "")
    name = " ".join(line.split()).strip(_EDGE_JUNK.replace(".", ""))
    # A final dot belongs to an abbreviation ("U.K.") but not to a sentence ("Reid.").
    if name.endswith(".") and "." not in name[:-1]:
        name = name.rstrip(".")
    if name[:4].lower() == "the ":
        name = name[4:]
    name = _AKA_RE.sub("", name)  # "Zeljko Raznatovic, a.k.a. Arkan": the model takes "a.k.a Arkan"
    name = _POSSESSIVE_RE.sub("", name).strip(_EDGE_JUNK.replace(".", ""))
    return name


def first_line_span(text: str, start: int) -> tuple[int, int]:
    """Character offsets of the first non-blank line of ``text`` found at ``start``.

    :param text: an entity's text
    :param start: its start offset in the document
    """
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            return start + offset + lead, start + offset + len(line.rstrip())
        offset += len(line)
    return start, start + len(text)


@lru_cache(maxsize=1)
def load_titles(path: Path = DATA_DIR / "titles.txt") -> tuple[str, ...]:
    """Titles and roles, longest first so that "Prime Minister" wins over "Minister".

    :param path: one title a line, ``#`` comments
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(sorted({l.strip() for l in lines if l.strip() and not l.startswith("#")}, key=len, reverse=True))


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern[str]:
    """Titles at the start of a name, one or more ("US Secretary of State" needs two passes
    of country-then-title, so a country word is not a title: it is left for the caller)."""
    alternatives = "|".join(re.escape(t) for t in load_titles())
    # a hyphen joins two titles ("Brigadier-General", "Lieutenant-Colonel"), not a title
    # and a surname ("Prince-Bythewood" keeps its name)
    return re.compile(rf"^(?:(?:{alternatives})(?:\s+|$|-(?=(?:{alternatives})(?:\s|$))))+")


@lru_cache(maxsize=1)
def title_end_pattern() -> re.Pattern[str]:
    """Titles of more than one word ending where a search stops: finds "Secretary of State"
    around the "State" the model took for an organisation."""
    alternatives = "|".join(re.escape(t) for t in load_titles() if " " in t)
    return re.compile(rf"\b(?:{alternatives})$")


def strip_titles(name: str) -> str:
    """Drop leading titles and roles: "President Vladimir Putin" -> "Vladimir Putin".

    :param name: a cleaned person name
    """
    rest = title_pattern().sub("", name).strip()
    if not rest and name in ("Bishop", "Pastor"):
        return name  # a title that is a surname too, alone: "c Lara b Bishop"
    if " " not in rest and rest and name.split()[-2:-1] and name.split()[-2] in EPITHET_TITLES:
        return f"{name.split()[-2]} {rest}"  # "Imam Hussein", "Mullah Omar": the title is part of how they are known
    return rest


#: titles that stay before a single name: "Imam Hussein" is not Saddam Hussein, "Mullah Omar"
#: no Omar Bakri Mohammed
EPITHET_TITLES = frozenset({"Imam", "Mullah", "Maulana", "Emir"})


def is_only_title(name: str) -> bool:
    """Whether a "name" is nothing but titles ("PM", "Secretary of State").

    :param name: a cleaned name
    """
    return bool(name) and not strip_titles(name)


def _initials_spell(words: list[str], letters: str, mode: str = "loose") -> bool:
    """Whether ``letters`` can be read off ``words``: each capitalised word gives its initial
    and maybe more of its letters (``strict``: only its initial; ``prefix``: the first letters
    of the word, "CO-mmission for CO-ncord and PA-cification"; ``loose``: letters found in
    order inside it); link words ("of", "de") may give their initial or not.
    """
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if not letters:
        return all(w.lower() in _LINK_WORDS for w in words)
    lowered = word.lower()
    if lowered in _LINK_WORDS and _initials_spell(rest, letters, mode):
        return True
    if lowered[0] != letters[0]:
        return False
    # The word gives its initial plus the next k acronym letters (in order inside it, or
    # right after its initial in ``prefix`` mode).
    for taken in range(1, 2 if mode == "strict" else len(letters) + 1):
        if taken > 1 and not (lowered.startswith(letters[:taken]) if mode == "prefix"
                              else _in_order(letters[1:taken], lowered[1:])):
            break
        if _initials_spell(rest, letters[taken:], mode):
            return True
    return False


def _in_order(needle: str, haystack: str) -> bool:
    """Whether the characters of ``needle`` appear in ``haystack`` in order."""
    it = iter(haystack)
    return all(ch in it for ch in needle)


def acronym_long_form(long_form: str, acronym: str) -> str | None:
    """The shortest tail of ``long_form`` whose words spell ``acronym`` by their initials, or
    else the shortest whose words spell it with their first letters ("Commission for Concord
    and Pacification (COCOPA)", not "Concord and Pacification"), else the shortest whose words
    spell it with more of their letters, if any: "Pakistan People's Party (PPP)" is the whole
    name, not "People's Party" (P, e-o-P, P).

    :param long_form: e.g. "British Ministry of Defence"
    :param acronym: e.g. "MoD"
    :returns: e.g. "Ministry of Defence"
    """
    letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
    words = long_form.split()
    if len(letters) < 2:
        return None
    for mode in ("strict", "prefix", "loose"):
        for first in range(len(words) - 1, -1, -1):
            tail = words[first:]
            if tail[0].lower() not in _LINK_WORDS and _initials_spell(tail, letters, mode):
                return " ".join(tail)
    return None


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms the text defines, "Ministry of Defence (MoD)" -> {"MoD": "Ministry of Defence"}.

    :param text: an article
    """
    found: dict[str, str] = {}
    if "(" not in text:
        return found
    for match in LONG_THEN_ACRONYM_RE.finditer(text):
        long_form = acronym_long_form(clean_name(match.group(1)), match.group(2))
        if long_form:  # "Malaysia Digital Telekom Bhd (MDT)": the company is "Malaysia Digital Telekom"
            found.setdefault(match.group(2).rstrip("."), without_legal_form(long_form))
    for match in ACRONYM_THEN_LONG_RE.finditer(text):
        long_form = acronym_long_form(clean_name(match.group(2)), match.group(1))
        if long_form and long_form == clean_name(match.group(2)):
            found.setdefault(match.group(1).rstrip("."), long_form)
    return found


@dataclass(frozen=True)
class KnownOrganisation:
    """A well-known organisation from ``data/organisations.yml``.

    :param name: canonical name
    :param country: ISO alpha-2 of its home country, if it has one
    :param kind: entity kind, "organisation" unless the table says otherwise
    :param ambiguous: its one-word names are common words or names too ("Apple", "Wagner")
    """

    name: str
    country: str | None = None
    kind: str = "organisation"
    ambiguous: bool = False


@dataclass(frozen=True)
class OrganisationTable:
    """Look-ups into the well-known organisations.

    :param acronyms: acronym as written -> organisation ("UN", "MoD")
    :param names: casefolded name or alias -> organisation
    :param designators: casefolded words that end an organisation's name and may be
        left out ("group", "corp", "plc"): "Wagner" is "Wagner Group"
    """

    acronyms: dict[str, KnownOrganisation]
    names: dict[str, KnownOrganisation]
    designators: frozenset[str]
    written_forms: dict[KnownOrganisation, list[str]] = field(default_factory=dict)

    def lookup(self, name: str) -> KnownOrganisation | None:
        """The organisation a cleaned name or acronym stands for, if well known.

        :param name: e.g. "UN", "Wagner group", "the Pentagon"
        """
        return self.acronyms.get(name) or self.names.get(name.casefold())

    def matcher_phrases(self) -> list[str]:
        """Names safe to mark before the model runs, as written in the table.

        Acronyms of three letters or more that are not English words in capitals ("WHO",
        "IS" are left to the model), every name of two words or more, and one-word names
        of entries not marked ambiguous.
        """
        phrases = [a for a in self.acronyms if len(a.replace(".", "")) >= 3 and a.lower() not in _STOP_WORDS]
        # The tokenizer keeps a sentence's full stop on mixed-case acronyms ("the MoD.").
        phrases += [a + "." for a in phrases if not a.isupper() and not a.endswith(".")]
        for org, forms in self.written_forms.items():
            phrases.extend(f for f in forms if " " in f or not org.ambiguous)
        return phrases


@lru_cache(maxsize=1)
def load_organisations(data_dir: Path = DATA_DIR) -> OrganisationTable:
    """Read ``organisations.yml``, ``sports_clubs.txt`` and ``org_designators.txt`` once.

    :param data_dir: folder of the data files
    """
    entries = yaml.safe_load((data_dir / "organisations.yml").read_text(encoding="utf-8"))
    acronyms: dict[str, KnownOrganisation] = {}
    names: dict[str, KnownOrganisation] = {}
    written: dict[KnownOrganisation, list[str]] = {}
    for entry in entries:
        org = KnownOrganisation(
            entry["name"], entry.get("country"), entry.get("kind", "organisation"), bool(entry.get("ambiguous"))
        )
        forms = [org.name, *(str(a) for a in entry.get("aliases") or ())]
        # a firm of two names is written with "and" as often as with "&" ("Tate and Lyle")
        written[org] = list(dict.fromkeys([*forms, *(f.replace(" & ", " and ") for f in forms)]))
        for form in written[org]:
            names[clean_name(form).casefold()] = org
        for acronym in entry.get("acronyms") or ():
            acronyms[str(acronym)] = org
    for line in (data_dir / "sports_clubs.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms = [f.strip() for f in line.removeprefix("~").split("|") if f.strip()]
        # "Celtic", "Roma" (marked "~") are words too, and "Tottenham", "Everton", "Benfica"
        # districts: only the longer names; the one-word name is left to the sports rules.
        forms = [f for f in forms if " " in f or not (line.startswith("~") or _names_a_place(f))]
        if not forms:
            continue
        club = KnownOrganisation(forms[0], None, "organisation", False)
        if clean_name(forms[0]).casefold() in names:
            continue  # the main table's entry wins
        written[club] = forms
        for form in forms:
            names.setdefault(clean_name(form).casefold(), club)
    designators = read_word_list(data_dir / "org_designators.txt")
    return OrganisationTable(acronyms, names, designators, written)


def _names_a_place(name: str) -> bool:
    """Whether a one-word club name is also a country, city or region our gazetteers know."""
    from newsarchive.nlp.entities.countries import known_place, load_gazetteer

    return known_place(name) is not None or load_gazetteer().country_code(name) is not None


def read_word_list(path: Path) -> frozenset[str]:
    """A data file of one word or phrase a line, ``#`` comments, casefolded.

    :param path: the file
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip().casefold() for l in lines if l.strip() and not l.startswith("#"))


@dataclass(frozen=True)
class NameWords:
    """The word lists that steer kinds, all casefolded.

    :param generic: words that are no name alone ("Commission") and regional adjectives
    :param org_words: words that end organisation names ("Health", "Ltd")
    :param roles: job words that come before or after a person's name ("analyst")
    :param org_nouns: nouns that describe an organisation ("registrar", "start-up")
    :param regions: continents, seas and broad regions, places of no one country ("Europe")
    :param table_words: words that head rows of results and price tables ("Extras", "Steer")
    :param event_words: last words of events, prizes and charts ("Awards", "Marathon")
    :param given_names: common given names ("Nicola", "Joko")
    :param place_last: last words that make a name a place ("Avenue", "Strip")
    :param place_first: first words that make a name a place ("Mount", "Lake")
    """

    generic: frozenset[str]
    org_words: frozenset[str]
    roles: frozenset[str]
    org_nouns: frozenset[str]
    regions: frozenset[str] = frozenset()
    table_words: frozenset[str] = frozenset()
    event_words: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    place_last: frozenset[str] = frozenset()
    place_first: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def name_words(data_dir: Path = DATA_DIR) -> NameWords:
    """Read the word lists of ``data/`` once.

    :param data_dir: folder of ``generic_names.txt``, ``org_words.txt``,
        ``person_roles.txt``, ``org_nouns.txt``, ``regions.txt``, ``table_words.txt``,
        ``event_words.txt``, ``given_names.txt`` (with ``given_names_more.txt``, built by
        ``tools/build_given_names.py``) and ``place_words.txt``
    """
    place_words = read_word_list(data_dir / "place_words.txt")
    return NameWords(
        generic=read_word_list(data_dir / "generic_names.txt"),
        org_words=read_word_list(data_dir / "org_words.txt") | legal_forms(data_dir / "legal_forms.txt"),
        roles=read_word_list(data_dir / "person_roles.txt") | {t.casefold() for t in load_titles()},
        org_nouns=read_word_list(data_dir / "org_nouns.txt"),
        regions=read_word_list(data_dir / "regions.txt"),
        table_words=read_word_list(data_dir / "table_words.txt"),
        event_words=read_word_list(data_dir / "event_words.txt"),
        given_names=read_word_list(data_dir / "given_names.txt") | read_word_list(data_dir / "given_names_more.txt"),
        place_last=frozenset(w for w in place_words if not w.startswith("first:")),
        place_first=frozenset(w.removeprefix("first:").strip() for w in place_words if w.startswith("first:")),
    )


@lru_cache(maxsize=1)
def group_cue_patterns(path: Path = DATA_DIR / "group_cues.txt") -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled cues that a name is a non-state group: one pattern for the words before the
    name, one for the words after it.

    :param path: ``before: REGEX`` / ``after: REGEX`` lines, ``#`` comments
    """
    sides: dict[str, list[str]] = {"before": [], "after": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        side, _, pattern = line.partition(":")
        if side.strip() in sides and not line.startswith("#"):
            sides[side.strip()].append(f"(?:{pattern.strip()})")
    return re.compile("|".join(sides["before"]), re.I), re.compile("|".join(sides["after"]), re.I)


@lru_cache(maxsize=1)
def legal_forms(path: Path = DATA_DIR / "legal_forms.txt") -> frozenset[str]:
    """Legal forms that end company names ("Ltd", "AG", "B.V."), casefolded, no final stop."""
    return frozenset(form.rstrip(".") for form in read_word_list(path))


def without_legal_form(name: str, rounds: int = 2) -> str:
    """The name without a trailing legal form: "Deltaport Terminals B.V." -> "Deltaport
    Terminals", "Acme, Inc." -> "Acme". A one-word name is left alone ("SA" alone is no
    company), and so is "& Co", which is part of a firm's name ("Merrill Lynch & Co Inc" ->
    "Merrill Lynch & Co", not "Schroder Wertheim &"). Two forms in a row both go ("Seri Mutiara
    Securities Sdn Bhd" -> "Seri Mutiara Securities").

    :param name: a cleaned organisation name
    """
    for _round in range(rounds):  # two forms in a row: "Sdn Bhd", "Pty Ltd", "Co Ltd"
        head, _, last = name.rpartition(" ")
        head = head.rstrip(" ,")
        if not (head and last.casefold().rstrip(".") in legal_forms() and any(c.isalpha() for c in head)
                and not head.endswith(("&", " and"))):
            break
        name = head
    return name


def without_designator(name: str, designators: frozenset[str]) -> str:
    """The name without a trailing designator: "Wagner Group" -> "Wagner".

    :param name: a cleaned organisation name
    :param designators: casefolded designator words
    """
    head, _, last = name.rpartition(" ")
    return head if head and last.casefold().rstrip(".") in designators else name
