"""Resolve what the pipeline marked into entities, and link the names of one article.

Input: ``RawMention``s (model entities with their spaCy label, country-name and demonym hits
from ``newsarchive_countries``, domain hits from ``newsarchive_domains``). Output: one
``Resolved`` per mention, saying which entity it names. The rules, in order:

1. **Overlaps.** Domain hits win over anything the model put on the same characters. A
   country or demonym hit inside an organisation's name ("US Treasury", "State Bank of
   India") is a mention of the country too; inside anything else it is dropped (the entity
   speaks for itself, and "Russian-speaking" or a LANGUAGE span names a language).
2. **Label mapping**, with our tables first: an acronym the article defines or our table
   knows is an organisation whatever the model said ("MoD" as GPE); a country name or
   demonym is a country whatever the model said ("Lithuanian" as ORG); GPE/LOC/FAC are
   places, NORP is a demonym's country, a place (a region the model took for a people), or
   a group.
3. **Names cleaned**: first line, no "the", no possessive, no trailing lower-case words
   ("Wagner group" -> "Wagner"), titles stripped from people, bare titles and generic words
   ("State" in "Secretary of State", "Commission") dropped, and names with no capital letter
   dropped (the model's "foreign ministry" is a description, not a name).
4. **Kind fixes from the words around**: a "person" ending in an organisation word is an
   organisation ("Quellis Media"); an "organisation" right after a job word is a person
   ("spokesperson Kadri Leppik"); an organisation or person that is a known city or region
   is a place (the small model often calls "Bamako" an ORG); a name said to be a gang,
   militia or hacking crew is a ``group`` (``data/group_cues.txt``).
5. **Linking** within the article: a short person name goes to the one longer name it ends
   or starts ("Putin" -> "Vladimir Putin", "Chen" -> "Chen Wei-ting"); a shorter name that
   begins exactly one longer organisation name goes to it ("Rhinegate" -> "Rhinegate
   Health"); "Foo" and "Foo Group" are one; our table gives canonical names ("UN" ->
   "United Nations"); an acronym in brackets right after an organisation the model found
   stands for it even when its letters spell another language ("... (BSI)").
6. **Gaps**: a known city or region listed with a place the model found ("near Gao and
   Timbuktu") is added when the model missed it.

Clues "in the words around" a name are looked for next to each place the name is written
in the article (up to ``SEARCH_LIMIT`` characters), so one telling phrase ("payments
start-up Velora") settles the kind of every mention.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from newsarchive.nlp.entities.countries import CountryGazetteer, KnownPlace, is_place_name, known_place, load_gazetteer
from newsarchive.nlp.entities.domains import DomainInfo, is_ip, normalise_url, split_domain
from newsarchive.nlp.entities.organisations import (
    OrganisationTable,
    clean_name,
    defined_acronyms,
    group_cue_patterns,
    is_only_title,
    load_organisations,
    name_words,
    strip_titles,
    title_end_pattern,
    without_designator,
    without_legal_form,
)

#: spaCy labels that name things we keep.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
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
    org_names: set[str] = field(default_factory=set)
    _cues: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    @classmethod
    def for_text(cls, text: str) -> Context:
        """Load the tables (cached) and read the acronyms the article defines.

        :param text: the article
        """
        words = name_words()
        return cls(
            text, load_gazetteer(), load_organisations(), defined_acronyms(text),
            words.generic, words.org_words, words.roles, words.org_nouns, words.regions, words.table_words,
        )

    def line_at(self, position: int) -> str:
        """The line of the text that ``position`` is in."""
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return self.text[start : end if end != -1 else len(self.text)]

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


def _keep_country_hit(r: RawMention, ents: SpanIndex, ctx: Context) -> bool:
    """Whether a country or demonym hit is a mention of its own (see the module docstring)."""
    host = ents.overlapping(r)
    if host is not None:
        return host.label == "ORG" and (host.start, host.end) != (r.start, r.end)
    if r.host == "guarded":
        return False
    return not (r.host == "demonym" and _LANGUAGE_AFTER_RE.match(ctx.text, r.end))


def drop_overlapped(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """Settle overlaps between domain hits, model entities and country hits.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    domains = [r for r in raws if r.label in DOMAIN_LABELS]
    by_domain = SpanIndex(domains)
    ents = [r for r in raws if r.label not in DOMAIN_LABELS and r.label != COUNTRY_HIT]
    ents = [r for r in ents if not by_domain.overlapping(r)]
    by_ent = SpanIndex(ents)
    hits = [r for r in raws if r.label == COUNTRY_HIT and not by_domain.overlapping(r)]
    hits = [r for r in hits if _keep_country_hit(r, by_ent, ctx)]
    kept = [r for r in ents if r.label in NAME_LABELS or r.label in LINK_ONLY_LABELS]
    return sorted(domains + hits + kept, key=lambda r: (r.start, -r.end))


# --- 2. one mention at a time -----------------------------------------------------------------


def resolve_domain(r: RawMention) -> list[Resolved]:
    """A URL or e-mail address names its host too; a URL on an IP address names the address."""
    kind = DOMAIN_LABELS[r.label]
    host = r.host or ""
    if kind == "ip":
        return [Resolved("ip", r.text, host or r.text, None, r, r.text)]
    info = None if is_ip(host) else split_domain(host)
    found: list[Resolved] = []
    if kind == "url":
        key = normalise_url(r.text)
        found.append(Resolved("url", key, key, info.cctld_country if info else None, r, r.text, info))
    elif kind == "email":
        if info is None:
            return []
        found.append(Resolved("email", r.text.lower(), r.text.lower(), info.cctld_country, r, r.text, info))
    if kind == "domain":
        if info is None:
            return []
        return [Resolved("domain", info.domain, info.domain, info.cctld_country, r, r.text, info)]
    at = r.text.lower().rfind(host) if host else -1
    if at >= 0:
        inner = RawMention("domain", r.text[at : at + len(host)], r.start + at, r.start + at + len(host), r.sentence)
        if info is not None:
            found.append(Resolved("domain", info.domain, info.domain, info.cctld_country, inner, inner.text, info))
        elif is_ip(host):
            found.append(Resolved("ip", host, host, None, inner, inner.text))
    return found


def _country(r: RawMention, code: str, ctx: Context, alias: str) -> Resolved:
    return Resolved("country", ctx.gazetteer.name_of(code), code, code, r, alias, label=r.label, fixed=True)


def _named(kind: str, name: str, r: RawMention, alias: str, country: str | None = None, fixed: bool = False) -> Resolved:
    return Resolved(kind, name, name.casefold(), country, r, alias, label=r.label, fixed=fixed)


def _is_generic(name: str, ctx: Context) -> bool:
    """A lone common word ("Commission"), a region ("Europe", "North Africa") or a regional
    adjective ("west African")."""
    folded = name.casefold()
    return folded in ctx.generic or _COMPASS_RE.sub("", folded).strip() in ctx.generic


def _no_capital(name: str) -> bool:
    """Written all in lower case (scripts without case, like Chinese, are not)."""
    return any(c.islower() for c in name) and not any(c.isupper() for c in name)


def _inside_title(r: RawMention, ctx: Context) -> bool:
    """Whether a name is the tail of a title ("State" in "Secretary of State")."""
    match = title_end_pattern().search(ctx.text, max(0, r.start - 40), r.end)
    return bool(match) and match.start() < r.start and match.end() == r.end


def _country_of_name(name: str, ctx: Context) -> str | None:
    return ctx.gazetteer.country_code(name) or ctx.gazetteer.demonym_code(name)


#: Figures after a name: scores, bowling figures, phone numbers ("Benjamin 9.4-0-43-1",
#: "New York Commodities Desk +1 212 859"); a plain number stays ("Apollo 11", "Boeing 747").
_TRAILING_FIGURES_RE = re.compile(r"(?:\s+[+(]?\d[\d.,:/()+-]*)+$")
_LEADING_FIGURES_RE = re.compile(r"^[+(]?\d[\d.,:/()+-]*\s+(?=[A-Z])")


def strip_figures(name: str) -> str:
    """A name without the figures the model took into it: trailing figures that are not
    one plain number, and leading ones (a date or rank before a dateline or a table row).

    :param name: a name as the model found it
    """
    name = _LEADING_FIGURES_RE.sub("", name)
    tail = _TRAILING_FIGURES_RE.search(name)
    if tail and (len(tail.group(0).split()) > 1 or not tail.group(0).strip().isdigit()):
        name = name[: tail.start()]
    return name.strip()


#: "Boston 5", "Partizan Belgrade 2": a capitalised name and a score.
_NAME_SCORE_RE = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)* \d{1,3}\b")
_FIGURE_RE = re.compile(r"\d")


def results_line(line: str) -> bool:
    """Whether a line is sports results or a table ("Boston 5 Anaheim 3", "Benjamin
    9.4-0-43-1, Ambrose 10-2-30-2", "Steer 1,200 lbs 65.00-70.00"): two or more names
    followed by scores, or mostly figures.

    :param line: one line of the text
    """
    if len(_NAME_SCORE_RE.findall(line)) >= 2:
        return True
    words = line.split()
    return len(words) >= 3 and sum(bool(_FIGURE_RE.search(w)) for w in words) >= 0.4 * len(words)


def shouted(line: str) -> bool:
    """Whether a line is written in capitals: a headline or a dateline ("CRICKET - LARA
    ENDURES ...", "MELBOURNE 1996-12-06").

    :param line: one line of the text
    """
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _title_case(text: str) -> str:
    """"NEW YORK" -> "New York", "ST. LOUIS" -> "St. Louis" (for look-ups of shouted names)."""
    return " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in text.split())


def shouted_names(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """Names in a line written in capitals: the small model reads headlines and datelines as
    names ("CRICKET - LARA ENDURES", "GUNMEN"). There a name in capitals is kept only when
    our tables know it, in its usual case: a country, a known city or region, an
    organisation or acronym ("ALGERIA" -> Algeria, "MELBOURNE" -> Melbourne, "NATO").
    The story names its people and organisations again in the body.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    out = []
    for r in raws:
        if r.label not in NAME_LABELS and r.label not in LINK_ONLY_LABELS:
            out.append(r)
            continue
        written = strip_figures(clean_name(r.text))
        if any(c.islower() for c in written) or not shouted(ctx.line_at(r.start)):
            out.append(r)
            continue
        name = _title_case(written)
        at = r.text.find(written) if written in r.text else 0
        if ctx.known_acronym(written) or ctx.organisations.lookup(written):
            out.append(r)
        elif ctx.gazetteer.country_code(name) or ctx.gazetteer.country_code(written):
            out.append(RawMention("GPE", name, r.start + at, r.start + at + len(name), r.sentence))
        elif known_place(name) or name.casefold() in ctx.regions:
            out.append(RawMention("GPE", name, r.start + at, r.start + at + len(name), r.sentence))
        elif ctx.organisations.lookup(name):
            out.append(RawMention("ORG", name, r.start + at, r.start + at + len(name), r.sentence))
    return out + _datelines(out, ctx)


#: A dateline on a line of its own: "MELBOURNE 1996-12-06", "SAO PAULO, Brazil 1996-08-22".
_DATELINE_RE = re.compile(r"^[ \t]*([A-Z][A-Z.'’ -]*[A-Z.])(?:,[ \t]*[\w ]+)?[ \t]+\d{4}-\d{2}-\d{2}[ \t]*$", re.M)


def _datelines(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The place of a dateline the model did not mark (it reads "ALGIERS 1996-08-22" as a date)."""
    taken = SpanIndex(raws)
    found = []
    for match in _DATELINE_RE.finditer(ctx.text[:SEARCH_LIMIT]):
        start, end = match.span(1)
        name = _title_case(match.group(1))
        raw = RawMention("GPE", name, start, end, match.group(0).strip())
        if taken.overlapping(raw):
            continue
        if ctx.gazetteer.country_code(name) or known_place(name) or is_place_name(name):
            found.append(raw)
    return found


def clean_entity_name(r: RawMention) -> str:
    """The cleaned name of a model entity: organisation names lose a bracketed tail and
    trailing lower-case words ("Office of Foreign Assets Control (OFAC" -> "... Control",
    "Wagner group" -> "Wagner"); any name loses the figures the model took into it."""
    name = strip_figures(clean_name(r.text))
    if r.label == "ORG":
        name = clean_name(name.split(" (")[0])
        stripped = _TRAILING_LOWER_RE.sub("", name)
        name = stripped if stripped and stripped[0].isupper() else name
    if r.label == "PERSON":
        name = strip_titles(_LEADING_ROLE_RE.sub(_drop_role, name))
        stripped = _TRAILING_LOWER_RE.sub("", name)  # "Ana Herrera of" (the model took the "of")
        name = stripped if stripped and stripped[0].isupper() else name
    return name


_LEADING_ROLE_RE = re.compile(r"^(?:[A-Za-z][\w-]*\s+)+?(?=[A-Z][\w'’-]*\s+[A-Z])")


def _drop_role(match: re.Match[str]) -> str:
    """Drop job words the model took into a name ("lawyer Igor Belyaev", "Analyst Mette
    Holm" at the start of a sentence); keep anything else (particles, first names)."""
    words = match.group(0).split()
    return "" if all(w.casefold() in name_words().roles for w in words) else match.group(0)


def _country_prefix(name: str, ctx: Context) -> str | None:
    """The name without a leading country word, where that word is a modifier and not part
    of the name: "Norwegian National Security Authority" -> "National Security Authority",
    "US Justice Department" -> "Justice Department". A name whose rest starts with another
    word ("Australian Signals Directorate") keeps its country."""
    words = name.split()
    for size in (1, 2):
        if len(words) <= size:
            break
        prefix, rest = " ".join(words[:size]), " ".join(words[size:])
        if not _country_of_name(prefix, ctx):
            continue
        if ctx.organisations.lookup(rest) or rest.casefold() in ctx.org_names:
            return rest
        if rest in ctx.acronyms.values():
            return rest
        if len(words) - size >= 2 and words[size].casefold() in _MODIFIED_HEADS:
            return rest
    return None


#: First words of the names of national bodies that a country word in front only modifies.
_MODIFIED_HEADS = frozenset(
    "ministry department national federal foreign defence defense interior justice home "
    "state central electoral election armed office agency".split()
)


def _resolve_org(r: RawMention, name: str, ctx: Context) -> Resolved:
    """An organisation: our table by name, then a country modifier stripped, then as written
    (less a legal form: "Savanna Cloud Ltd" is "Savanna Cloud")."""
    known = ctx.organisations.lookup(name)
    if known is None:
        name = without_legal_form(name)
        known = ctx.organisations.lookup(name)
    if known is None:
        rest = _country_prefix(name, ctx)
        if rest:
            name = rest
            acronym = ctx.known_acronym(name)
            if acronym:
                return _named(acronym[2], acronym[0], r, clean_name(r.text), acronym[1], fixed=True)
        designators = ctx.organisations.designators
        known = ctx.organisations.lookup(name) or ctx.organisations.lookup(without_designator(name, designators))
    if known:
        return _named(known.kind, known.name, r, clean_name(r.text), known.country, fixed=True)
    long_form = next((v for v in ctx.acronyms.values() if v.casefold() == name.casefold()), None)
    return _named("organisation", long_form or name, r, clean_name(r.text))


def _looks_like_org(name: str, ctx: Context) -> bool:
    return name.split()[-1].casefold() in ctx.org_words


def _plain_name(name: str, ctx: Context) -> bool:
    """Two or three capitalised words, none of them an organisation word: could be a person."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _looks_like_org(name, ctx)


_NAMED_AS_RE = re.compile(r"\s+(?:named as|named|called|identified as)\s*$", re.I)
_APPOSITION_RE = re.compile(r",\s+(?:a|an|the)\s+((?:[\w'’-]+\s+){0,4}[\w'’-]+)")
_WORDS_AFTER_RE = re.compile(r"\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")
_COORDINATED_BEFORE_RE = re.compile(r"([\w&'’.-]+),?\s+(?:and|or)\s+$")
_COORDINATED_AFTER_RE = re.compile(r",?\s+(?:and|or)\s+([\w&'’.-]+(?: [A-Z][\w&'’.-]*)*)")
_AGE_AFTER_RE = re.compile(r",\s+\d{1,3},")
_ROLE_FIRST_RE = re.compile(r",\s+([a-z][\w-]*)\s")


def _last_word(text: str) -> str:
    words = _NAMED_AS_RE.sub("", text).split()
    return words[-1].casefold().strip(",") if words else ""


#: Texts longer than this (a whole book, a data dump) are not searched for every name's
#: other occurrences: the cost grows with names times length.
SEARCH_LIMIT = 200_000


@lru_cache(maxsize=8192)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole word (compiled once: ``re``'s own cache of 512 patterns was
    recompiling most names of every article)."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _occurrences(name: str, ctx: Context, limit: int = 12) -> list[tuple[str, str]]:
    """The text just before and just after each place ``name`` is written (a few of them):
    a clue next to any one of them speaks for the whole entity."""
    found = []
    for match in _name_pattern(name).finditer(ctx.text, 0, SEARCH_LIMIT):
        found.append((ctx.text[max(0, match.start() - 60) : match.start()], ctx.text[match.end() : match.end() + 80]))
        if len(found) == limit:
            break
    return found


def _person_cue(before: str, after: str, ctx: Context) -> bool:
    """"analyst Marten Kask", "Marcus Hale, a deputy director", "Shapiro, 41,", ", who"."""
    if _last_word(before) in ctx.roles or re.search(r"\bnamed as\s*$", before):
        return True
    if after.startswith((", who ", " who ")) or _AGE_AFTER_RE.match(after):
        return True
    role_first = _ROLE_FIRST_RE.match(after)  # "Moses Kiplagat, chief executive of ..."
    if role_first and role_first.group(1).casefold() in ctx.roles:
        return True
    apposition = _APPOSITION_RE.match(after)
    return bool(apposition) and any(w.casefold() in ctx.roles for w in apposition.group(1).split())


def _org_cue(name: str, before: str, after: str, ctx: Context) -> bool:
    """"start-up Velora", "Minsk-based Zavod Tekhnika", "Jisc, which", "Action Fraud, the
    UK's national reporting centre", "Eskom chief executive", "Fjordbank and Sparhavn"."""
    last = _last_word(before)
    # The noun must be written in lower case: in "the European Environment Agency, Stanley
    # Johnson" the "Agency" ends another name.
    written = _NAMED_AS_RE.sub("", before).split()[-1:] or [""]
    if (last in ctx.org_nouns and written[0][:1].islower()) or last.endswith("-based"):
        return True
    if after.startswith(", which "):
        return True
    apposition = _APPOSITION_RE.match(after)
    if apposition and any(w.casefold() in ctx.org_nouns for w in apposition.group(1).split()):
        return True
    words_after = _WORDS_AFTER_RE.match(after)
    if " " not in name and words_after and any(w in ctx.roles for w in words_after.group(1).split()):
        return not words_after.group(1).startswith(("said", "says"))
    # "Fjordbank and Sparhavn": only a one-word name joined to an organisation's name (in
    # "Dario Benedetti and Hana Novak" the model's "Benedetti" ORG is a person's surname).
    if " " in name:
        return False
    coordinated = _COORDINATED_BEFORE_RE.search(before)
    if coordinated and coordinated.group(1).casefold() in ctx.org_names:
        return not re.search(r"[A-Z][\w'’-]+\s+[\w'’-]+,?\s+(?:and|or)\s+$", before)
    coordinated = _COORDINATED_AFTER_RE.match(after)
    return bool(coordinated) and coordinated.group(1).casefold() in ctx.org_names


def name_cues(name: str, ctx: Context) -> tuple[bool, bool]:
    """Whether the words around ``name`` anywhere in the article say person, and organisation.

    :param name: a cleaned name
    :param ctx: the article context
    :returns: ``(person_cue, org_cue)``
    """
    if name not in ctx._cues:
        person = org = False
        for before, after in _occurrences(name, ctx):
            person = person or _person_cue(before, after, ctx)
            org = org or _org_cue(name, before, after, ctx)
        ctx._cues[name] = (person, org)
    return ctx._cues[name]


def resolve_name(r: RawMention, ctx: Context) -> list[Resolved]:
    """Resolve a model entity (see the module docstring, steps 2 to 4).

    :param r: a raw mention with a spaCy label
    :param ctx: the article context
    """
    name = clean_entity_name(r)
    line = ctx.line_at(r.start)
    in_table = results_line(line)
    if in_table:
        name = _TRAILING_FIGURES_RE.sub("", name).strip()  # "Boston 5"
    if not name or _no_capital(name) or not any(c.isalpha() for c in name):
        return []
    alias = strip_figures(clean_name(r.text))
    if in_table and all(w.casefold() in ctx.table_words for w in name.split()):
        return []  # "Extras 12", "Heifer Cow 55.00-60.00": a row of a table

    acronym = ctx.known_acronym(name) if ctx.gazetteer.country_code(name) is None else None
    if acronym:
        return [_named(acronym[2], acronym[0], r, alias, acronym[1], fixed=True)]
    code = _country_of_name(name, ctx)
    if code:
        return [_country(r, code, ctx, alias)]
    region = name.casefold().removeprefix("the ")
    if region in ctx.regions or (r.label in ("LOC", "GPE", "NORP") and _COMPASS_RE.sub("", region) in ctx.regions):
        # "Europe", "Latin America", "west Africa"; not "Nordic news sites", "Gulf Clan"
        if name[:1].islower():  # "central Mediterranean", "southern Africa": the region is the rest
            name = _COMPASS_RE.sub("", name) or name
        return [] if _adjectival_region(r, name, ctx) else [_named("place", name, r, alias)]
    if is_only_title(name) or _is_generic(name, ctx) or _inside_title(r, ctx):
        return []
    if r.label == "NORP" and _community(r, name, ctx):
        return []
    return [_resolve_by_label(r, name, alias, ctx)]


def _community(r: RawMention, name: str, ctx: Context) -> bool:
    """A people, faith or party's followers the model calls NORP ("Muslims", "Rohingya",
    "Democrats"): no organisation, no place, so no entity, unless our table or the words
    around make it a group ("the Anti-balaka militias")."""
    if known_place(name) is not None or ctx.organisations.lookup(name):
        return False
    probe = Resolved("group", name, name.casefold(), None, r, name)
    return not _is_group_mention(probe, ctx)


#: Region names that are adjectives too ("Baltic states", "Nordic news sites").
_ADJECTIVE_REGIONS = frozenset("nordic nordics baltic baltics arctic antarctic gulf mediterranean pacific atlantic "
                               "caribbean balkan balkans sahel scandinavian".split())
_VERBS_AFTER_NAMES = frozenset("said says told added remains remained faces faced warmed warms".split())
#: Nouns after such a word that keep it a place ("the Baltic region", "the Caribbean coast").
_REGION_NOUNS = frozenset("region regions sea coast area basin rim".split())


def _adjectival_region(r: RawMention, name: str, ctx: Context) -> bool:
    """Whether a region's name is used as a modifier or is part of a longer name: followed
    by a capitalised word or a hyphen ("Gulf Clan", "Asia-Europe"), or, for names that are
    adjectives too, by a lower-case word other than "region", "sea", "coast"."""
    after = ctx.text[r.end : r.end + 40]
    if re.match(r"(?:-|\s+[A-Z])", after):
        return True
    following = re.match(r"\s+([a-z][\w-]*)", after)
    if not following or name.casefold().split()[-1] not in _ADJECTIVE_REGIONS:
        return False
    word = following.group(1)
    # a noun after it makes it a modifier ("Nordic news sites"); a verb or a function word
    # does not ("the Caribbean did", "the Arctic was")
    return word not in _REGION_NOUNS and word not in STOP_WORDS and word not in _VERBS_AFTER_NAMES


def _sports_club(r: RawMention, name: str, ctx: Context) -> bool:
    """A city or region with a score after it in a results line ("Boston 5 Anaheim 3") is
    the club named after it; a country there is its national team (a place, as newswire has it)."""
    at = ctx.text.find(name, r.start, r.end + 1)
    after = ctx.text[(at if at >= 0 else r.start) + len(name) :]
    return bool(re.match(r"\s+\d", after) or re.match(r"\s+\d", ctx.text[r.end :])) and results_line(ctx.line_at(r.start))


#: The biggest cities: a "person" whose last word is one of them is a club or a company
#: ("Partizan Belgrade", "Dynamo Moscow").
CLUB_CITY_POPULATION = 500_000


def _named_after_city(name: str) -> bool:
    words = name.split()
    if len(words) < 2:
        return False
    place = known_place(words[-1])
    return place is not None and place.population >= CLUB_CITY_POPULATION


def _resolve_by_label(r: RawMention, name: str, alias: str, ctx: Context) -> Resolved:
    place = known_place(name)
    if r.label in ("GPE", "LOC", "FAC", "ORG", "PERSON") and place is not None and _sports_club(r, name, ctx):
        return _named("organisation", name, r, alias, fixed=True)
    if r.label in ("GPE", "LOC", "FAC"):
        if place is None and (_looks_like_org(name, ctx) or name_cues(name, ctx) == (False, True)):
            return _resolve_org(r, name, ctx)
        return _named("place", name, r, alias, place.country if place else None)
    if r.label == "NORP":
        kind = "place" if place and place.population == 0 else "group"
        return _named(kind, name, r, alias, place.country if place and kind == "place" else None)
    person_cue, org_cue = name_cues(name, ctx)
    if r.label == "PERSON" and ctx.organisations.lookup(name):
        found = _resolve_org(r, name, ctx)  # "Reuters" as a person: the table knows better
    elif r.label == "PERSON" and (_looks_like_org(name, ctx) or (org_cue and not person_cue)
                                  or (_named_after_city(name) and not person_cue)):
        found = _resolve_org(r, name, ctx)
    elif r.label == "PERSON":
        found = _named("person", name, r, alias)
    elif r.label == "ORG" and not org_cue and _plain_name(name, ctx) and person_cue:
        found = _named("person", strip_titles(name), r, alias)
    else:
        found = _resolve_org(r, name, ctx)
    if not found.fixed:
        found.place = place
    return found


def resolve_one(r: RawMention, ctx: Context) -> list[Resolved]:
    """Resolve one raw mention of any sort.

    :param r: the mention
    :param ctx: the article context
    """
    if r.label in DOMAIN_LABELS:
        return resolve_domain(r)
    if r.label == COUNTRY_HIT:
        return [_country(r, r.code, ctx, r.text)] if r.code else []
    return resolve_name(r, ctx)


# --- 3. linking within the article --------------------------------------------------------------


def _unique_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Keys that map to exactly one value."""
    seen: dict[str, set[str]] = {}
    for short, full in pairs:
        seen.setdefault(short, set()).add(full)
    return {short: fulls.pop() for short, fulls in seen.items() if len(fulls) == 1}


def person_links(resolved: list[Resolved]) -> dict[str, str]:
    """Short person names -> the one full name they end or start.

    "Putin" and "Vladimir Putin" -> "Vladimir Putin"; "van Zyl" -> "Pieter van Zyl";
    "Chen" -> "Chen Wei-ting" (family name first). A short name shared by two full names
    ("James" in "LeBron James" and "Deborah James") links to neither.

    :param resolved: the article's resolved mentions
    """
    named = {x.name for x in resolved if x.kind == "person" and " " in x.name}
    tails = {" ".join(n.split()[i:]) for n in named for i in range(1, len(n.split()))}
    full_names = named - tails  # "van Zyl" is short for "Pieter van Zyl", not a full name
    by_tail = _unique_map(
        (" ".join(name.split()[i:]), name) for name in full_names for i in range(len(name.split()))
    )
    # A first name links only where no full name ends in it ("Trump" is a surname first).
    by_first = _unique_map((name.split()[0], name) for name in full_names)
    tails = {" ".join(n.split()[i:]) for n in full_names for i in range(len(n.split()))}
    return {**{k: v for k, v in by_first.items() if k not in tails}, **by_tail}


def org_links(resolved: list[Resolved], ctx: Context) -> dict[str, str]:
    """Shorter names -> the one longer organisation name they begin ("Rhinegate" ->
    "Rhinegate Health", "Harbor Point" -> "Harbor Point Software"), and "Foo" -> "Foo Group".

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    orgs = {x.name for x in resolved if x.kind in ("organisation", "group") and " " in x.name}
    pairs = []
    for name in orgs:
        words = name.split()
        prefixes = (" ".join(words[:i]) for i in range(1, len(words)))
        # "Florida" is not short for "Florida Supreme Court": a place names itself
        pairs += [(p, name) for p in prefixes if p.casefold() not in ctx.generic and p[-1:].isalnum()]
        pairs.append((without_designator(name, ctx.organisations.designators), name))
        if initials := _initials(words):
            pairs.append((initials, name))
    # "Florida" is not short for "Florida Supreme Court": a place or country names itself
    return _unique_map((k, v) for k, v in pairs if k != v and not is_place_name(k) and ctx.gazetteer.country_code(k) is None)


def _initials(words: list[str]) -> str | None:
    """"CCB" for "Centre for Cybersecurity Belgium": the initials of the capitalised words,
    for an acronym the article uses without defining it (three letters or more, so that
    two-letter initials do not catch common abbreviations)."""
    capitals = [w[0] for w in words if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 3 and all(c.isalpha() for c in capitals) else None


def _relink(x: Resolved, people: dict[str, str], orgs: dict[str, str], kinds: dict[str, str]) -> None:
    """Point one mention at the person or organisation its name is short for."""
    if x.fixed or x.kind not in NAMED_KINDS:
        return
    # A "place" is a person's surname only when no city or region has that name ("Hoogland").
    if x.name in people and (x.kind != "place" or x.place is None):
        x.kind, x.name, x.country = "person", people[x.name], None
    elif x.name in orgs and x.kind in ("organisation", "person", "group"):
        x.name = orgs[x.name]
        x.kind = kinds.get(x.name, "organisation")


def _becomes_place(x: Resolved, ctx: Context) -> bool:
    """An unlinked organisation or person that is a known city or region: a place, for a
    person only where a preposition of place comes before it ("near Gao")."""
    if x.place is None or x.fixed:
        return False
    if x.kind == "organisation" and x.label == "ORG":
        return True
    if x.kind == "person" and " " not in x.name:
        if ctx.text.startswith("-based", x.mention.end):
            return True
        return bool(_LOCATIVE_BEFORE_RE.search(ctx.words_before(x.mention.start, 20)))
    return False


def _is_group_mention(x: Resolved, ctx: Context) -> bool:
    before, after = group_cue_patterns()
    window = ctx.words_before(x.mention.start, 60)
    end = x.mention.end
    if bracket := _BRACKETED_ACRONYM_RE.match(ctx.text, end):
        end = bracket.end()
    elif ctx.text.startswith(")", end):  # the acronym itself, defined in brackets: "... (EMC), the"
        end += 1
    return bool(before.search(window) or after.match(ctx.text, end))


def link_names(resolved: list[Resolved], ctx: Context) -> list[Resolved]:
    """Link names within the article and settle kinds (step 5 of the module docstring).

    :param resolved: the article's resolved mentions, changed in place
    :param ctx: the article context
    """
    people = person_links(resolved)
    orgs = org_links(resolved, ctx)
    kinds = {x.name: x.kind for x in resolved if x.kind in ("organisation", "group")}
    for x in resolved:
        _relink(x, people, orgs, kinds)
        if _becomes_place(x, ctx):
            x.kind, x.country = "place", x.place.country
    group_names = {
        x.name for x in resolved if x.kind in ("organisation", "group", "person", "place") and _is_group_mention(x, ctx)
    }
    kept = []
    for x in resolved:
        if x.kind in ("organisation", "person", "place") and x.name in group_names and not x.fixed:
            x.kind, x.country = "group", None
        if x.label in LINK_ONLY_LABELS and x.kind not in ("person", "organisation", "group") and not x.fixed:
            continue
        if x.label in LINK_ONLY_LABELS and not x.fixed and x.name == x.alias and x.kind != "person":
            continue
        if x.kind in NAMED_KINDS:
            x.key = x.name.casefold()
        kept.append(x)
    return kept


_OF_RE = re.compile(r" of (?:the )?")


def organisations_of_countries(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """"The Communications Authority of Kenya": the country the name ends with is part of
    it, but the country matcher ran first, so the model found "Communications Authority"
    and "Kenya" apart. Join them into one organisation; the country hit stays, a mention of
    the country too.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    countries = {r.start: r for r in raws if r.label == COUNTRY_HIT and r.code and r.host in ("country", "guarded")}
    if not countries:
        return raws
    joined: dict[int, RawMention] = {}  # start of the country's own entity -> joined org
    out = []
    for r in raws:
        of = _OF_RE.match(ctx.text, r.end) if r.label == "ORG" else None
        country = countries.get(of.end()) if of else None
        if country is not None and r.text[-1:].isalnum():
            merged = RawMention("ORG", ctx.text[r.start : country.end], r.start, country.end, r.sentence)
            joined[country.start] = merged
            out.append(merged)
        else:
            out.append(r)
    return [r for r in out if r.label == COUNTRY_HIT or r.start not in joined]  # the country's own entity goes


#: first words of names that go on with a list: "Ministry of Education, Culture, Sports,
#: Science and Technology", "Party of Action and Solidarity"
_LISTING_HEADS = frozenset(
    "ministry department office party federation institute council commission committee "
    "union association bureau agency centre center academy society authority".split()
)
_LIST_TAIL_RE = re.compile(r"(?:(?:,\s+|\s+and\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)+")


def listed_names(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """"Ministry of Education, Culture, Sports, Science and Technology": the model stops such
    a name at the first comma or "and". A name that starts with an organisation word and
    "of" takes in the capitalised words listed after it, up to the last one after "and";
    the list stops at another organisation's first word ("... and Ministry of Finance"), a
    name of its own ("... and Oxford University"), an acronym, or a country.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    extended: list[RawMention] = []
    for r in raws:
        words = clean_name(r.text).split()
        if r.label != "ORG" or len(words) < 3 or words[0].casefold() not in _LISTING_HEADS or words[1] != "of":
            continue
        # the model sometimes keeps the joiner: "Party of Action and" + "Solidarity"
        start_of_tail = r.start + len(re.sub(r"(?:,|\s+and)\s*$", "", r.text))
        tail = _LIST_TAIL_RE.match(ctx.text, start_of_tail)
        if not tail:
            continue
        items = re.split(r",\s+|\s+and\s+", tail.group(0))[1:]
        joiners = re.findall(r",\s+|\s+and\s+", tail.group(0))
        kept = 0
        for number, written in enumerate(items):
            item = clean_name(written)  # "Britain's" -> "Britain"
            first = item.split()[0] if item else ""
            if (not first or first.casefold() in _LISTING_HEADS or first.isupper() or first.casefold() == "the"
                    or _country_of_name(item, ctx) or _country_of_name(first, ctx)
                    or (" " in item and _looks_like_org(item, ctx))):  # "... and Oxford University"
                break
            if "and" in joiners[number]:
                kept = number + 1
        if kept:
            end = start_of_tail + sum(len(j) for j in joiners[:kept]) + sum(len(i) for i in items[:kept])
            extended.append(RawMention("ORG", ctx.text[r.start : end], r.start, end, r.sentence))
    if not extended:
        return raws
    spans = SpanIndex(extended)
    kept_raws = [r for r in raws if r.label == COUNTRY_HIT or not spans.overlapping(r)]
    return sorted(kept_raws + extended, key=lambda r: (r.start, -r.end))


def resolve_mentions(text: str, raws: list[RawMention]) -> list[Resolved]:
    """Resolve and link every raw mention of one article.

    :param text: the article text
    :param raws: its raw mentions
    """
    ctx = Context.for_text(text)
    raws = shouted_names(raws, ctx)
    raws = country_led_organisations(organisations_of_countries(raws, ctx), ctx)
    raws = drop_overlapped(listed_names(raws, ctx), ctx)
    _acronyms_after_orgs(raws, ctx)
    ctx.org_names = {clean_entity_name(r).casefold() for r in raws if r.label == "ORG"}
    resolved = [x for r in raws for x in resolve_one(r, ctx)]
    return surname_mentions(coordinated_places(link_names(_dedupe(resolved), ctx), ctx), ctx)


def country_led_organisations(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """"U.S. Senate Banking Committee", "PT Telekomunikasi Indonesia": the model found the
    country and the rest apart because our matcher marked the country first. A country
    written right before or right after an organisation's name, with one space between
    them, is part of that name; the country hit stays, a mention of the country too.
    (Resolution may still file "U.S. Senate Banking Committee" under a canonical name
    without the country; the name as written stays an alias.)

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    countries = [r for r in raws if r.label in ("GPE", COUNTRY_HIT) and ctx.gazetteer.country_code(clean_name(r.text))]
    if not countries:
        return raws
    by_end = {r.end: r for r in countries}
    by_start = {r.start: r for r in countries}
    merged: list[RawMention] = []
    used: set[int] = set()
    for r in raws:
        if r.label != "ORG" or "\n" in r.text:
            continue
        before = by_end.get(r.start - 1)
        after = by_start.get(r.end + 1)
        start, end = r.start, r.end
        if before is not None and ctx.text[before.end : r.start] == " ":
            start = before.start
        if (after is not None and ctx.text[r.end : after.start] == " " and r.text[-1:].isalpha()
                and not re.match(r"\s*[A-Z0-9]", ctx.text[after.end : after.end + 3])):
            end = after.end  # "PT Telekomunikasi Indonesia", not "Toyota Japan Motor"
        if (start, end) != (r.start, r.end):
            used.add(id(r))
            merged.append(RawMention("ORG", ctx.text[start:end], start, end, r.sentence))
    if not merged:
        return raws
    gpe_inside = {(m.start, m.end) for m in merged}
    kept = [r for r in raws if id(r) not in used and not (
        r.label == "GPE" and any(a <= r.start and r.end <= b for a, b in gpe_inside))]
    return sorted(kept + merged, key=lambda r: (r.start, -r.end))


_SURNAME_RE_CACHE: dict[str, re.Pattern[str]] = {}


def surname_mentions(resolved: list[Resolved], ctx: Context) -> list[Resolved]:
    """A person's surname written alone elsewhere in the article is a mention of that person
    when the model did not mark it: "Prime Minister John Major ... Major told reporters".
    Only surnames of one full name in the article, written with a capital, not inside
    another mention, and not at the start of a sentence unless a verb of saying follows.

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    people = [x for x in resolved if x.kind == "person" and " " in x.name]
    if not people or len(ctx.text) > SEARCH_LIMIT:
        return resolved
    surnames: dict[str, set[str]] = {}
    for x in people:
        surnames.setdefault(x.name.split()[-1], set()).add(x.name)
    taken = SpanIndex(x.mention for x in resolved)
    added: list[Resolved] = []
    for surname, names in surnames.items():
        if len(names) != 1 or len(surname) < 3 or not surname[:1].isupper():
            continue
        full = next(iter(names))
        for match in re.finditer(rf"(?<![\w.-]){re.escape(surname)}(?![\w-])", ctx.text):
            raw = RawMention("PERSON", surname, match.start(), match.end(), "")
            if taken.overlapping(raw):
                continue
            before = ctx.text[max(0, match.start() - 3) : match.start()]
            sentence_start = match.start() == 0 or not before.strip() or before.rstrip()[-1:] in ".!?\"\n:"
            if sentence_start and not re.match(r"\s+(?:said|says|told|added|\(|,)", ctx.text[match.end() :]):
                continue
            added.append(Resolved("person", full, full.casefold(), None, raw, surname, label="PERSON"))
    return resolved + added


_BRACKETED_ACRONYM_RE = re.compile(r"\s*\(\s*([A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ&]{1,10})\s*\)")


def _acronyms_after_orgs(raws: list[RawMention], ctx: Context) -> None:
    """"Federal Office for Information Security (BSI)": an acronym in brackets right after
    an organisation the model found is defined by it, even when (as with names in another
    language) its letters do not spell the English words."""
    for r in raws:
        if r.label != "ORG":
            continue
        name = clean_entity_name(r)
        match = _BRACKETED_ACRONYM_RE.match(ctx.text, r.end) or _BRACKETED_ACRONYM_RE.match(r.text, len(r.text.split(" (")[0]))
        if match and name and match.group(1) != name and ctx.gazetteer.country_code(match.group(1)) is None:
            ctx.acronyms.setdefault(match.group(1), name)


_PLACE_AFTER_RE = re.compile(r",?\s+(?:and|or)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")


def coordinated_places(resolved: list[Resolved], ctx: Context) -> list[Resolved]:
    """Places the model missed in a list with one it found: "near Gao and Timbuktu". Only
    names in the place table are taken, and only where nothing else was found.

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    taken = SpanIndex(x.mention for x in resolved)
    added = []
    for x in resolved:
        if x.kind not in ("place", "country"):
            continue
        match = _PLACE_AFTER_RE.match(ctx.text, x.mention.end)
        if not match:
            continue
        start, end = match.span(1)
        place = known_place(match.group(1))
        raw = RawMention("GPE", match.group(1), start, end, x.mention.sentence)
        if place and not taken.overlapping(raw) and all(a.mention.start != start for a in added):
            added.append(_named("place", match.group(1), raw, match.group(1), place.country))
    return resolved + added


def _dedupe(resolved: list[Resolved]) -> list[Resolved]:
    """One mention per entity per stretch of text (a country hit and the model's own span)."""
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for x in resolved:
        marker = (x.kind, x.key, x.mention.start, x.mention.end)
        if marker not in seen:
            seen.add(marker)
            unique.append(x)
    return unique
