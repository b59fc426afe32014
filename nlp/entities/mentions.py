"""What entity linking works on: the mentions the pipeline found, what each resolves to,
and the article around them (:class:`Context`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


from newsarchive.nlp.entities.countries import CountryGazetteer, KnownPlace, load_gazetteer
from newsarchive.nlp.entities.domains import DomainInfo
from newsarchive.nlp.entities.organisations import (
    OrganisationTable,
    defined_acronyms,
    load_organisations,
    name_words,
)



#: spaCy labels that name things we keep.
#: Our label for a team named in a line of match results ("Arsenal 2 Liverpool 0").
TEAM_LABEL = "TEAM"
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", TEAM_LABEL})
#: ``RawMention.host`` of a person read off sports notation (:mod:`.results`): resolved as a person
SPORTS_NOTATION = "sports notation"
#: ``RawMention.host`` of the place of a dateline ("LONDON 1996-08-24"): a place, never a club
DATELINE = "dateline"
#: ``host`` of a place that ends a route ("from Vergeze to Sisteron"): a place, whatever else
ROUTE = "route"
#: ``host`` of a PERSON mention that is a competitor's surname written as a country ("Jordan")
SURNAME = "surname"
#: days and months, casefolded: no surname, scorer or dateline place ("in Helena Tuesday")
CALENDAR_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april "
                           "may june july august september october november december".split())
#: Labels the small model gives to names it misreads ("Cole" as PRODUCT): kept only when
#: they link to a person or organisation named elsewhere in the article.
LINK_ONLY_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
DOMAIN_LABELS = {"url": "url", "email": "email", "ip": "ip", "domain": "domain", "suffix": "domain"}
COUNTRY_HIT = "COUNTRY_HIT"
NAMED_KINDS = ("person", "organisation", "group", "place")

_LANGUAGE_AFTER_RE = re.compile(r"-?(?:speaking|language|speakers?)\b|\s+(?:language|speakers?)\b", re.I)
_LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|near|from|to|at|outside|around|across|into|towards?|via|of|and|,)\s*$", re.I
)
_COMPASS_RE = re.compile(r"^(?:(?:north|south|east|west|central|sub-saharan)(?:ern)?[\s-]+)+", re.I)
_TRAILING_LOWER_RE = re.compile(r"(?:\s+[a-z][a-z-]*)+$")


@dataclass
class RawMention:
    """A mention before resolution: what the pipeline saw, with document offsets.

    :param label: a spaCy label, ``COUNTRY_HIT``, or a domain hit kind ("url", "suffix", ...)
    :param text: the text as written
    :param start: document character offset
    :param end: document character offset
    :param sentence: the sentence it is in
    :param code: country code of a country hit
    :param host: host of a domain hit; for a country hit, how it was found
        ("country", "guarded", "demonym")
    """

    label: str
    text: str
    start: int
    end: int
    sentence: str
    code: str | None = None
    host: str | None = None


@dataclass
class Resolved:
    """A mention resolved to the entity it names.

    :param kind: entity kind
    :param name: canonical or cleaned name
    :param key: entity key
    :param country: country code it belongs to
    :param mention: the mention
    :param alias: the surface form, cleaned
    :param domain: split domain, for domain-like kinds
    :param label: the spaCy label it came from ("" for our own hits)
    :param fixed: its name comes from a table or a definition and must not be relinked
    :param place: the city or region of the same name, if any
    """

    kind: str
    name: str
    key: str
    country: str | None
    mention: RawMention
    alias: str
    domain: DomainInfo | None = None
    label: str = ""
    fixed: bool = False
    place: KnownPlace | None = None


@dataclass
class Context:
    """Article-wide knowledge used while resolving its mentions."""

    text: str
    gazetteer: CountryGazetteer
    organisations: OrganisationTable
    acronyms: dict[str, str]
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
    org_names: set[str] = field(default_factory=set)
    _cues: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    #: answers of rules that read every place a name is written, by (rule, name): asked once per name, not per mention
    _memo: dict[tuple[str, str], bool] = field(default_factory=dict)
    #: the text around each place a name is written, by name (see ``names._occurrences``)
    _occurrences: dict[tuple[str, str], tuple[int, list[tuple[str, str]]]] = field(default_factory=dict)

    @classmethod
    def for_text(cls, text: str) -> Context:
        """Load the tables (cached) and read the acronyms the article defines.

        :param text: the article
        """
        words = name_words()
        return cls(
            text, load_gazetteer(), load_organisations(), defined_acronyms(text),
            words.generic, words.org_words, words.roles, words.org_nouns, words.regions, words.table_words,
            words.event_words, words.given_names, words.place_last, words.place_first,
        )

    _lines: dict[int, str] = field(default_factory=dict)

    def line_at(self, position: int) -> str:
        """The line of the text that ``position`` is in: the same string object for every
        position of a line, so that the tests made on lines (results, capitals), cached by
        the line, cost once per line and not once per mention of a long one."""
        start = self.text.rfind("\n", 0, position) + 1
        line = self._lines.get(start)
        if line is None:
            end = self.text.find("\n", position)
            line = self._lines[start] = self.text[start : end if end != -1 else len(self.text)]
        return line

    _lower_words: frozenset[str] | None = None

    def lower_words(self) -> frozenset[str]:
        """The words the article writes in lower case (in its first ``SEARCH_LIMIT``
        characters), read once: "bill" in "a good bill" says "BILL" of a headline is a word."""
        if self._lower_words is None:
            self._lower_words = frozenset(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]*(?![\w'’-])", self.text[:SEARCH_LIMIT]))
        return self._lower_words

    def words_before(self, start: int, width: int = 60) -> str:
        return self.text[max(0, start - width) : start]

    def known_acronym(self, name: str) -> tuple[str, str | None, str] | None:
        """``(canonical name, country, kind)`` of an acronym defined here or well known."""
        if name in self.acronyms:
            long_form = self.acronyms[name]
            known = self.organisations.lookup(long_form)
            table = self.organisations.acronyms.get(name)
            if known is None and table and table.name.casefold().endswith(" " + long_form.casefold()):
                known = table  # "United States Africa Command (AFRICOM)": the letters spell the tail
            if known:
                return known.name, known.country, known.kind
            return long_form, None, "organisation"
        known = self.organisations.acronyms.get(name)
        return (known.name, known.country, known.kind) if known else None


# --- 1. overlaps ------------------------------------------------------------------------------


class SpanIndex:
    """Non-overlapping spans sorted by start, for "which span overlaps this one?" in log time
    (a 5 MB text has a hundred thousand mentions; pairwise checks would take minutes).

    :param spans: mentions that do not overlap one another (model entities, domain hits)
    """

    def __init__(self, spans: Iterable[RawMention]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]

    def overlapping(self, r: RawMention) -> RawMention | None:
        """The span overlapping ``r``, if any (the last one starting before ``r`` ends)."""
        index = bisect.bisect_left(self.starts, r.end) - 1
        while index >= 0 and self.spans[index].end > r.start:
            if self.spans[index].start < r.end:
                return self.spans[index]
            index -= 1
        return None


SEARCH_LIMIT = 200_000
