"""What kind of thing a name is (person, organisation, group, place): the words around it,
the tables, and the rules for clubs, regions and communities."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from newsarchive.nlp.entities.countries import HOME_NATIONS, is_place_name, known_place, read_tsv_pairs
from newsarchive.nlp.entities.organisations import (
    DATA_DIR,
    clean_name,
    group_cue_patterns,
    is_only_title,
    legal_forms,
    name_words,
    strip_titles,
    without_designator,
    without_legal_form,
)
from newsarchive.nlp.entities.mentions import (
    CALENDAR_WORDS,
    COUNTRY_HIT,
    DATELINE,
    ROUTE,
    SURNAME,
    SPORTS_NOTATION,
    Context,
    DOMAIN_LABELS,
    RawMention,
    Resolved,
    SEARCH_LIMIT,
    TEAM_LABEL,
    _COMPASS_RE,
)
from newsarchive.nlp.entities.surface import (
    solo_sport_story,
    VERB_GIVEN_NAMES,
    _TRAILING_FIGURES_RE,
    _country,
    _country_of_name,
    _inside_title,
    _is_generic,
    _named,
    _no_capital,
    clean_entity_name,
    resolve_domain,
    results_line,
    shouted,
    strip_figures,
    title_case,
)


def _country_prefix(name: str, ctx: Context) -> str | None:
    """The name without a leading country word, where that word is a modifier and not part
    of the name: "Norwegian National Security Authority" -> "National Security Authority",
    "US Justice Department" -> "Justice Department". A name whose rest starts with another
    word ("Australian Signals Directorate") keeps its country."""
    words = name.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if any(v == name and a.replace(".", "").upper() == initials.upper() for a, v in ctx.acronyms.items()):
        return None  # the acronym spells the country too: "Kenya National Union of Teachers (KNUT)"
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
        if len(words) - size >= 2 and words[size].casefold() in _MODIFIED_HEADS and (
                rest.casefold() not in _COUNTRY_BODIES or _named_of_its_country(rest, prefix, ctx)):
            return rest  # "Russian Central Bank" is the "Central Bank of Russia" the story names too
    return None


def _named_of_its_country(rest: str, prefix: str, ctx: Context) -> bool:
    """Whether the story names the body after its own country too: "Central Bank of Russia"
    for "Russian Central Bank", not "Central Bank of Nigeria" nor "the central bank of the country"."""
    code = _country_of_name(prefix, ctx)
    return any(_country_of_name(m.group(1), ctx) == code
               for m in re.finditer(rf"\b(?i:{re.escape(rest)})\s+of\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)",
                                    ctx.text))


#: Names of national bodies that are no names without their country: "Swiss National Bank",
#: "Israel Defence Forces", "Sudanese Armed Forces" keep it
_COUNTRY_BODIES = frozenset({"national bank", "central bank", "reserve bank", "state bank", "defence forces",
                             "defense forces", "defence force", "defense force", "armed forces"})


#: First words of the names of national bodies that a country word in front only modifies.
_MODIFIED_HEADS = frozenset(
    "ministry department national federal foreign defence defense interior justice home "
    "state central electoral election armed office agency".split()
)


def _resolve_org(r: RawMention, name: str, ctx: Context) -> Resolved:
    """An organisation: our table by name, then a country modifier stripped, then as written
    (less a legal form: "Savanna Cloud Ltd" is "Savanna Cloud")."""
    known = ctx.organisations.lookup(name)
    if known is None:  # "News Corp Ltd" is the table's "News Corp", not "News"
        known = ctx.organisations.lookup(without_legal_form(name, rounds=1))
        name = without_legal_form(name) if known is None else without_legal_form(name, rounds=1)
        known = known or ctx.organisations.lookup(name)
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


def _place_by_its_words(name: str, ctx: Context) -> bool:
    """A name of two words or more whose last word makes it a place ("Collins Avenue", "Gaza
    Strip") or whose first word does ("Mount Kenya", "Fort Lee"); not one that ends in an
    organisation word too. (A name that starts with a given name stays a person's: "Lake",
    "Brook" and "Park" are surnames too.)"""
    words = name.casefold().split()
    if len(words) < 2 or _looks_like_org(name, ctx):
        return False
    if words[-1].rstrip(".") in ctx.place_last:
        return True
    if words[0] in _GIVEN_NAME_STREET_WORDS:  # "Rue McClanahan", "Calle Johansson" are people
        return words[1] in _STREET_PARTICLES or any(_STREET_BEFORE_RE.search(before)
                                                    for before, _after in _occurrences(name, ctx))
    return words[0] in ctx.place_first


#: first words of streets that are given names too ("Rue McClanahan", "Calle Jarnkrok"): a
#: street by them only before a particle ("Rue de Rivoli", "Calle del Carmen") or where the
#: text writes it after a street's preposition ("the cafe on Rue Cler", "along Calle Ocho")
_GIVEN_NAME_STREET_WORDS = frozenset("rue calle rua".split())
_STREET_PARTICLES = frozenset("de del della du des da do dos das di la le los las".split())
_STREET_BEFORE_RE = re.compile(r"\b(?:on|along|down|off|onto|in|near|via)\s+$", re.I)


#: Lower-case nouns that make "the <name> ..." a place ("the Erez crossing", "the Bekaa
#: valley", "the Kandahar province"); "camp" is left out ("the Clinton camp").
_PLACE_NOUN_AFTER_RE = re.compile(r"[ \t]+(?:border[ \t]+)?(?:crossing|checkpoint|border|valley|province|region|"
                                  r"district|enclave|frontier|airport|airfield|oilfield|gas field|peninsula|lagoon|"
                                  r"archipelago|delta|plateau)\b")


#: a country or a region right after a name and a comma: "Saffron Walden, England", "Cary, North Carolina"
_PLACE_AFTER_COMMA_RE = re.compile(r",\s+([A-Z][a-z]++(?:\s+[A-Z][a-z]++)?+)(?!\s?['’]s)(?=\s*(?:[.;:)\n]|,(?!\s*\d)|$))")


def _place_by_the_place_after(r: RawMention, ctx: Context) -> bool:
    """A name followed by a comma and a country or a region of a country, and then by a
    stop or another comma: a town written as addresses are ("Saffron Walden, England,"), not
    "Ken Cuccinelli, Virginia's Attorney General", "Bill Richardson, New Mexico Democrat" or a
    runner's "Ato Boldon, Trinidad, 20.10" (names that start with a given name are not looked at)."""
    match = _PLACE_AFTER_COMMA_RE.match(ctx.text, r.end)
    if not match:
        return False
    place = known_place(match.group(1))
    return ctx.gazetteer.country_code(match.group(1)) is not None or (place is not None and place.population == 0)


def _place_by_the_noun_after(r: RawMention, ctx: Context) -> bool:
    """"the Erez crossing", "the diamond-rich Kono district": a name between "the" (and at most
    two lower-case words) and a lower-case noun of places; or "on Langkawi island", "in
    Maguindanao province": between a preposition of place and such a noun."""
    if _PLACE_NOUN_AFTER_RE.match(ctx.text, r.end):
        return bool(re.search(r"\bthe\s+(?:[a-z][\w-]*\s+){0,2}$", ctx.words_before(r.start, 40), re.I))
    return bool(_PLACE_NOUN_AFTER_PREPOSITION_RE.match(ctx.text, r.end)
                and re.search(r"\b(?:in|on|near|at|from|to|into|off)\s+$", ctx.words_before(r.start, 12)))


#: the same nouns and a few more, after a preposition of place and the name: "on Langkawi
#: island", "in Maguindanao province", "in Ogun state"
_PLACE_NOUN_AFTER_PREPOSITION_RE = re.compile(r"[ \t]+(?:island|islands|province|district|region|county|"
                                              r"prefecture|oblast|governorate|valley|peninsula|"
                                              r"state(?![ \t-]+(?i:run|owned|controlled|backed|funded|television|"
                                              r"tv|radio|media|news|press|broadcaster|agency|company|firm|bank|"
                                              r"oil|gas|airline|carrier|corporation|enterprise|monopoly|utility|"
                                              r"railways?|operator)\b))\b")
#: ... but not "on CCTV state television", "to Sputnik state news agency", "Sberbank state bank"


#: Words before a name that make it a place: "in Capua", "near Husum", "the town of
#: Yeoncheon", "north of Whitebirk" ("in" is left out when a possessive or "'s" follows:
#: "in Apple's case").
_PLACE_BEFORE_RE = re.compile(r"(?:\b(?:in|near|outside|across|throughout)|\b(?:town|city|village|port|province|region|"
                              r"suburb|suburbs|outskirts|district|county) of|"
                              r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)? of)\s+$", re.I)
#: "the small northern Israeli town of Afula": said of a place wherever else the name is
#: written ("the Afula bus station")
_TOWN_OF_BEFORE_RE = re.compile(r"\b(?:town|city|village|port|suburb|outskirts|hamlet|resort|island|islands|islet|"
                                r"province|region|district) of\s+$", re.I)
#: Nouns before "in" that take a company or a person, not a place: "a stake in Glencore",
#: "confidence in Rosneft", "faith in Sunak", "a role in Netflix's series".
_NOT_PLACE_BEFORE_IN_RE = re.compile(
    r"\b(?:stakes?|shares?|shareholdings?|holdings?|interests?|confidence|faith|trust|belief|invest(?:ed|ing|ments?|ors?)?|"
    r"roles?|part|jobs?|career|positions?|changes?|cuts?|rises?|falls?|increases?|declines?|drops?|growth|"
    r"problems?|flaws?|bugs?|vulnerabilit(?:y|ies)|hopes?|pride|involvement|participation|members?|seats?|"
    r"majority|minority|support|loyalty|turmoil|crisis|employees|staff|workers|executives|star(?:red|ring|s)?|ones?|"
    r"believe[sd]?|believing|trusted|trusting|interested)\s+in\s+$", re.I)


def _place_by_the_words_before(name: str, ctx: Context) -> bool:
    """A name of one to three capitalised words the model calls an organisation or a
    person, written after "in", "near" or "the town of" everywhere
    it is written (or after "the town of" once), but not after a noun that takes a company or a person ("a stake in
    Glencore", "faith in Sunak"), starting with no given name and known to no organisation
    table ("in Castelfranco Veneto")."""
    words = name.split()
    if (len(words) > 3 or not all(_SURNAME_RE.fullmatch(w) or (0 < i < len(words) - 1 and w in _STREET_PARTICLES)
                                  for i, w in enumerate(words))  # "Cartagena del Chaira"
            or ctx.organisations.lookup(name) is not None or _looks_like_org(name, ctx)):
        return False
    key = ("place before", name)
    if key not in ctx._memo:
        seen = _occurrences(name, ctx)
        # "the town of Jabal Saraj" says place even of a name that starts like a given name;
        # "in Gordon Brown" would not
        ctx._memo[key] = bool(seen) and (any(_TOWN_OF_BEFORE_RE.search(before)  # not "the town of Shakespeare's birth"
                                             and not after.lstrip().startswith(("'s", "’s")) for before, after in seen)
                                         or (not _given_name_first(name, ctx) and all(
            _PLACE_BEFORE_RE.search(before) and not _NOT_PLACE_BEFORE_IN_RE.search(before)
            and not after.lstrip().startswith(("'s", "’s"))
            for before, after in seen)))
    return ctx._memo[key]


#: Place words that are surnames too: "Kelly Brook", "Tiger Woods", "Harrison Ford" are
#: people; "Mira Road", "Catalina Island", "Martin Street" are places.
SURNAME_PLACE_WORDS = frozenset("brook brooks lake lakes park parks hill hills wood woods field fields ford green "
                                "bay banks bridge bridges church dale rivers".split())


def _surname_of_place_words(name: str, ctx: Context) -> bool:
    """A given name, then a place word that is a surname too ("Kelly Brook")."""
    return name.split()[-1].casefold() in SURNAME_PLACE_WORDS and _given_name_first(name, ctx)


_INITIALLED_RE = re.compile(r"[A-Z][a-z]+\s+(?:[A-Z]\.\s*){1,2}[A-Z][\w'’-]+")


def _initialled_name(name: str, ctx: Context) -> bool:
    """A given name, one or two initials and a surname ("George F. Hauser"): a person's name
    as the model read it, whatever the words around it ("T. Rowe Price" starts with no
    given name)."""
    return bool(_INITIALLED_RE.fullmatch(name)) and _given_name_first(name, ctx)


def _personal(name: str, ctx: Context) -> bool:
    """A given name and a surname, or three words starting with a given name ("Adriana Bosch")."""
    return 2 <= len(name.split()) <= 3 and _given_name_first(name, ctx)


def _given_name_first(name: str, ctx: Context) -> bool:
    """A name that starts with a common given name ("Nicola Sturgeon") and that our
    organisation table does not know."""
    return name.split()[0].casefold() in ctx.given_names and ctx.organisations.lookup(name) is None


#: One word written as surnames are: "Gomery", "McGuinty", "O'Brien", "Smith-Jones"; not
#: "GetReading" or "iPhone".
_SURNAME_RE = re.compile(r"(?:Mc|Mac|O['’]|D['’]|Di|De|Da|La|Le|Fitz)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+)?")


def _lone_surname(name: str, ctx: Context) -> bool:
    """One capitalised word, no organisation our table knows ("Gomery, who led the inquiry")."""
    return (bool(_SURNAME_RE.fullmatch(name))
            and ctx.organisations.lookup(name) is None and not _looks_like_org(name, ctx))


#: "Gomery said he ...", "McGuinty says his office ...": a verb of speech, then "he", "she",
#: "his" or "her" ("Lockheed said on Tuesday that profits rose", "Lockheed said it" and
#: "Boeing told her family" say nothing of a person).
_SPEECH_AFTER_RE = re.compile(r",?\s+(?:(?:said|says|explained|explains|recalled|recalls|admitted|admits|added|adds)"
                              r"|told\s+(?:reporters|journalists|the\s+\w+|[A-Z]\w+))\s+(?:that\s+)?(?:he|she|his|her)\b")
#: "Unilever, who owns the Dove brand": British news writes "who" for companies too
_BUSINESS_WHO_RE = re.compile(r",?\s+who\s+(?:owns?|makes?|sells?|operates?|runs?|produces?|employs?|manufactures?|"
                              r"supplies|supply|provides?|offers?|bought|acquired|has|have|trades?|builds?|is\s+owned)\b")
_OBJECT_OF_RE = re.compile(r"\b(?:of|for|from|at|with|by|in)\s+$")


def _lone_person_cue(name: str, ctx: Context) -> bool:
    """A person cue next to a one-word name that is not the object of a preposition: in
    "members of Scientology, who helped", the "who" is the members'; a company's "who
    owns", "who makes" is no cue."""
    key = ("lone person", name)
    if key not in ctx._memo:
        ctx._memo[key] = any(
            (_person_cue(before, after, ctx) or _SPEECH_AFTER_RE.match(after))
            and not _OBJECT_OF_RE.search(before) and not _BUSINESS_WHO_RE.match(after)
            for before, after in _occurrences(name, ctx))
    return ctx._memo[key]


def _plain_name(name: str, ctx: Context) -> bool:
    """Two or three capitalised words, none of them an organisation word: could be a person."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _looks_like_org(name, ctx)


_NAMED_AS_RE = re.compile(r"\s+(?:named as|named|called|identified as)\s*$", re.I)
_APPOSITION_RE = re.compile(r",\s+(a|an|the|its)\s+((?:[\w'’-]+\s+){0,4}[\w'’-]+)")
_WORDS_AFTER_RE = re.compile(r"\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")
_COORDINATED_BEFORE_RE = re.compile(r"(?<![\w&'’.-])([\w&'’.-]+),?\s+(?:and|or)\s+$")
_COORDINATED_AFTER_RE = re.compile(r",?\s+(?:and|or)\s+([\w&'’.-]+(?: [A-Z][\w&'’.-]*)*)")
_AGE_AFTER_RE = re.compile(r",\s+\d{1,3},(?!\d)")  # not ", 310,089 persons"
_ROLE_FIRST_RE = re.compile(r",\s+([a-z][\w-]*)\s")


def _last_word(text: str) -> str:
    words = _NAMED_AS_RE.sub("", text).split()
    return words[-1].casefold().strip(",") if words else ""


#: Texts longer than this (a whole book, a data dump) are not searched for every name's
#: other occurrences: the cost grows with names times length.
@lru_cache(maxsize=8192)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole word (compiled once: ``re``'s own cache of 512 patterns was
    recompiling most names of every article)."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _occurrences(name: str, ctx: Context, limit: int = 12) -> list[tuple[str, str]]:
    """The text just before and just after each place ``name`` is written (a few of them):
    a clue next to any one of them speaks for the whole entity."""
    key = ("occurrences", name)
    cached = ctx._occurrences.get(key)
    if cached is not None and cached[0] >= limit:
        return cached[1][:limit]
    found = []
    for match in _name_pattern(name).finditer(ctx.text, 0, SEARCH_LIMIT):
        found.append((ctx.text[max(0, match.start() - 60) : match.start()], ctx.text[match.end() : match.end() + 80]))
        if len(found) == limit:
            break
    ctx._occurrences[key] = (limit, found)  # asked by many rules, for the same names
    return found


#: nouns of people that an apposition after a name may head ("Eyad Ismoil, the man who drove
#: ...", "Sophie, his daughter"): said of a person, never of an organisation
_PERSON_NOUNS = frozenset("man woman boy girl mother father son daughter wife husband widow widower brother "
                          "sister grandmother grandfather uncle aunt nephew niece cousin".split())
#: what ends the head of an apposition: "the co-director of the Berkeley Center" is a person,
#: whatever organisation the words after "of" name; a preposition inside a name does not
#: ("a University of Utah history professor")
_APPOSITION_PREPOSITIONS = frozenset("of at for in with from on to".split())
_APPOSITION_RELATIVES = frozenset("who which that whose".split())
#: prefixes of a role: "co-founder", "vice-chairman", "ex-minister", "deputy-director"
_ROLE_PREFIX_RE = re.compile(r"^(?:co|vice|ex|deputy|former|acting|assistant)-")


def _apposition_head(after: str) -> tuple[str, list[str]]:
    """The article of an apposition after a name, and its words up to its first relative word,
    or its first "and", "or", "but" or preposition after a word in lower case, casefolded
    ("Robert Mergess, the co-director of the Berkeley Center" -> ("the", ["co-director"]);
    "Larry Gerlach, a University of Utah history professor who wrote" -> ("a", ["university",
    "of", "utah", "history", "professor"])); ("", []) when there is none."""
    apposition = _APPOSITION_RE.match(after)
    if not apposition:
        return "", []
    words = apposition.group(2).split()
    for i, word in enumerate(words):
        # "and" between two names is inside the head: "the Kueneng and Mapoteng Principal Chief"
        if (word in _APPOSITION_RELATIVES
                or (i and word in ("and", "or", "but", *_APPOSITION_PREPOSITIONS) and words[i - 1][:1].islower())):
            words = words[:i]
            break
    return apposition.group(1), [w.casefold() for w in words]


def _apposition_says(after: str, ctx: Context, personal: bool = False) -> str | None:
    """What an apposition after a name says it is: ``"person"`` when a role or a person's
    noun is among its head words ("a bank spokesman", "a University of Utah history
    professor", "the executive producer of ..."; a person's noun only where no organisation's
    noun follows it: "Girls Aloud, the girl group" is none); else ``"organisation"`` when an
    organisation's noun is ("the UK's national reporting centre", "a municipal utility
    supplying ...", "a unit of ...", "the parent of the Swiss bank"); else None.

    :param personal: the name is a given name and a surname ("Adriana Bosch"): then a head
        whose only organisation's nouns are jobs too ("a producer of the documentary", "a
        publisher") says person, as it would not of "Lukoil, a producer of oil"
    """
    article, head = _apposition_head(after)
    its = article == "its"
    for i, word in enumerate(head):
        org_nouns_after = [w for w in head[i + 1 :] if w in ctx.org_nouns]
        if _is_role(word, ctx):
            if word in ctx.org_nouns:
                continue  # "a Bungalow park developer": a firm's word as much as a job's
            if its and _ROLE_PREFIX_RE.sub("", word) in _FIRM_ROLES:
                continue  # "Comcast, its owner", "Nissan, its alliance partner": firms hold these
            if any(w not in _PERSON_CAPABLE_ORG_NOUNS for w in org_nouns_after):
                continue  # a role before an organisation's noun is a modifier: "a volunteer group",
                # "the activist group", "the general contractor"; not "the executive producer"
            return "person"
        # a person's noun before an organisation's is a modifier: "the girl group", "the sister
        # company"; after it, the head: "a German business man"
        if word in _PERSON_NOUNS and not org_nouns_after:
            return "person"
    org_nouns = [w for w in head if w in ctx.org_nouns and not _is_role(w, ctx)]
    if (personal and org_nouns and all(w in _PERSON_CAPABLE_ORG_NOUNS for w in org_nouns)
            and not _MAKER_OF_GOODS_RE.match(after)):
        return "person"
    return "organisation" if org_nouns else None


#: a maker of goods, never a job: "Sara Lee, a producer of packaged meats", "John Wiley, a
#: publisher of textbooks" (not "a producer of the documentary", "a producer at CBS")
_MAKER_OF_GOODS_RE = re.compile(r",\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:producer|developer|publisher)s?\s+of\s+"
                                r"(?!(?:the|a|an|his|her|their|its|this|that|these|those)\b)[a-z]")

#: organisations' nouns that are jobs too after a role: "the executive producer", "a lead developer"
_PERSON_CAPABLE_ORG_NOUNS = frozenset("producer developer publisher".split())
#: roles that firms hold too, which an apposition with "its" gives a firm as often as a
#: person: "Comcast, its owner", "BHP, its partner", "KPMG, its auditor"
_FIRM_ROLES = frozenset("owner partner adviser advisor auditor broker manager trader consultant developer leader".split())


def _is_role(word: str, ctx: Context) -> bool:
    word = word.casefold()
    return word in ctx.roles or _ROLE_PREFIX_RE.sub("", word) in ctx.roles


#: a legislator's party and seat in brackets right after the name: "John McCain (R-Ariz.)",
#: "Hashim Ismail (BN-Ledang)", "Lim Kit Siang (DAP-Tanjung)"
_PARTY_SEAT_RE = re.compile(r"[ \t]*\([ \t]*[A-Z]{1,4}[ \t]*-[ \t]*[A-Z][\w.'’]*(?:[ \t]+[A-Z][\w.'’]*){0,2}[ \t]*\)")


def _person_cue(before: str, after: str, ctx: Context, personal: bool = False) -> bool:
    """"analyst Marten Kask", "Marcus Hale, a deputy director", "Shapiro, 41,", ", who",
    "David Post, co-founder of ...", "Eyad Ismoil, the man who ...", "his daughter Sophie",
    "Hashim Ismail (BN-Ledang)".

    :param personal: the name is a given name and a surname (see :func:`_apposition_says`)
    """
    if _last_word(before) in ctx.roles or re.search(r"\bnamed as\s*$", before):
        return True
    if _PARTY_SEAT_RE.match(after):
        return True
    if (_last_word(before) in _PERSON_NOUNS and before.rstrip()[-1:].isalpha()
            and before.rsplit(None, 1)[-1].islower()):
        # "whose daughter Sophie", "his wife Hillary"; not "the son of Allah", "a man, Smith",
        # nor a name's own word: "Scouts" of "American Boy Scouts", "Sledge" of "Sister Sledge"
        return True
    if after.startswith((", who ", " who ")) or _AGE_AFTER_RE.match(after):
        return True
    role_first = _ROLE_FIRST_RE.match(after)  # "Moses Kiplagat, chief executive of ..."
    if role_first and _is_role(role_first.group(1), ctx):
        return True
    return _apposition_says(after, ctx, personal) == "person"


#: a possessive, then a person's full name: "Refco's Tom Smith"
_EMPLOYER_OF_RE = re.compile(r"['’]s\s+[A-Z][a-z]+\s+[A-Z][a-z]+")


def _employer_not_person(name: str, ctx: Context) -> bool:
    """Whether a one-word name before "'s Tom Smith" is no person's: no given name, and
    never written after a capitalised word as a surname ("Bill Clinton" makes "Clinton's Leon
    Panetta" the president's man)."""
    if name.casefold() in ctx.given_names or known_place(name) is not None:
        return False
    key = ("employer", name)
    if key not in ctx._memo:  # a surname ("Bill Clinton") or an age ("Yeltsin, 65,") anywhere: a person
        ctx._memo[key] = re.search(rf"[A-Z][a-z]+\s+{re.escape(name)}\b|\b{re.escape(name)},\s+\d{{2}},",
                                   ctx.text[:SEARCH_LIMIT]) is None
    return ctx._memo[key]


#: a job word in lower case, then "at" or "with", right before a name: where someone works
_WORKS_AT_RE = re.compile(r"\b([a-z]+?)s?\s+(?:at|with)\s+(?:the\s+)?$")
_HOME_NATIONS = HOME_NATIONS
#: the first line of a wire sports story: "SOCCER - SHEARER RETURNS FOR NEWCASTLE ."
SPORT_HEADLINE_RE = re.compile(
    r"^\s*(?:SOCCER|FOOTBALL|RUGBY(?: UNION| LEAGUE)?|BASKETBALL|(?:ICE )?HOCKEY|BASEBALL|CRICKET|"
    r"AMERICAN FOOTBALL|NFL|NBA|NHL)\b")
#: words of team sport that make "played for" a club's cue in a sentence ("treaty was signed
#: for Beijing", "played for Vienna's mayor" have none)
_SPORT_WORDS_RE = re.compile(r"\b(?:striker|defender|midfielder|goalkeeper|winger|captain|coach|manager|club|squad|"
                             r"league|cup|season|goals?|match|relegation|promotion|fixtures?|transfer)\b", re.I)
#: what is written before a club: "played for Bolton", "signed for Barcelona", "on loan from Ajax"
_CLUB_BEFORE_RE = re.compile(r"\b(?:(?:play|sign|re-sign)(?:s|ed|ing)?\s+for|on\s+loan\s+(?:from|to|at))\s+(?:the\s+)?$")
#: jobs held at a firm, not at a place ("officials at Ain Sokhna" are at a port)
_FIRM_JOBS = frozenset("analyst economist trader broker dealer strategist banker researcher partner consultant "
                       "manager".split())


#: a player's figures right after the name: "had 28 points and 12 rebounds", "scored two goals"
_STATS_AFTER_RE = re.compile(r"\s+(?:scored|had|added|grabbed|netted|hit|kicked|took)\s+(?:(?:\d{1,3}|an?|one|two|three|"
                             r"four|five|six|seven|eight|nine|ten)\s+(?:points|rebounds|assists|goals?|tries|"
                             r"wickets|birdies|runs|saves|touchdowns|home\s+runs)\b"
                             # the figure alone, the noun left out: "Scottie Pippen added 22 for Chicago"
                             r"|\d{1,3}(?:\s+(?:for|against|as|off|and)\b|\s*[,.;]))")


def _player_stats(name: str, after: str) -> bool:
    """A player's figures after a name of two words or more that no known place starts: a
    person ("Hakeem Olajuwon had 28 points"; "Houston had 28 points" is the team)."""
    return " " in name and bool(_STATS_AFTER_RE.match(after)) and known_place(name.split()[0]) is None


#: nouns of organisations that are players' positions too: "signed centre Doug Weight"
_POSITIONS = frozenset({"centre", "center"})


#: what a company does to what is its own, right after its name: "Infoseek announced its
#: entry", "Pepsico is spinning off its restaurant chains", "Acme cut its forecast" (a person
#: "questioned its decision" or "praised its staff": such verbs are left out)
_FIRM_ACTS_RE = re.compile(
    r"[ \t]+(?:(?:is|was|has|had|will|would)[ \t]+)?(?:announced|announces|announcing|raised|raises|raising|cut|cuts|"
    r"cutting|lowered|lowers|lowering|launched|launches|launching|unveiled|unveils|unveiling|spun[ \t]+off|spins[ \t]+off|"
    r"spinning[ \t]+off|reported|reports|reporting|posted|posts|boosted|trimmed|slashed|issued|listed|priced)[ \t]+its\b")


#: a plural job before a name, then "and" another: "brokers Smith and Jones" may be two
#: people, so the plural says nothing there
_PLURAL_THEN_AND_RE = re.compile(r",?[ \t]+and[ \t]+[A-Z]|,[ \t]+[A-Z]")
#: jobs a firm is hired for, whose plural before one name says firm ("brokers SBC Warburg",
#: "auditors Arthur Andersen"); "ministers Primakov", "partners Smith" are people
_FIRM_HIRED_JOBS = frozenset("analyst economist broker dealer strategist banker consultant auditor adviser advisor "
                             "accountant lawyer solicitor underwriter architect stockbroker insurer lender".split())
#: legal forms written before a company's name (Indonesian, Russian)
_LEGAL_FORM_BEFORE_RE = re.compile(r"(?<![\w.])(?:PT|P\.T\.|CV|OAO|ZAO|OOO|PAO|PJSC|OJSC|JSC)[ \t]+[\"“«]?$")


#: a share price's move right after a name, in a currency's small unit: "Zeneca added 15p",
#: "Hanson fell 3p", "Kobe Shinwa rose 15 yen to 402" (no points or per cent: a candidate
#: "gained 5 points", a player "rose 3 places")
_SHARES_MOVE = (r"[ \t]+(?:(?:preferred|ordinary|common|voting|bearer|[ABH])[ \t]+)?shares[ \t]+(?:rose|fell|gained|lost|"
                r"slipped|eased|firmed|climbed|dropped|jumped|shed|dipped|slid|surged|tumbled|plunged|soared|rallied|"
                r"closed|ended|were)\b")
_SHARE_PRICE_MOVE_RE = re.compile(
    r"[ \t]+(?:rose|fell|added|gained|lost|slipped|eased|firmed|climbed|dropped|jumped|shed|dipped|slid|"
    r"edged[ \t]+(?:up|down|higher|lower))[ \t]+\d[\d.,]*[ \t]*(?:p|pence|cents?|yen|pfennigs?|centimes|"
    r"kopecks?|rupiah|ringgit|baht|won|rupees|pesos|euro[ \t]+cents)\b"
    # not a tax or a retail price: "Gordon Brown added 4p to a packet of cigarettes", "15 cents a gallon"
    r"(?![ \t]+(?:(?:to|on|off|per|for)[ \t]+(?:a|an|the|each|every)\b|a[ \t]))"
    # "Perdana Tenggara shares fell 45 sen", "Paraibana preferred shares rose 3.8 percent"
    r"|" + _SHARES_MOVE)
#: a person has no shares: also after a given name ("Ashok Leyland shares rose 3 rupees")
_SHARES_MOVE_RE = re.compile(_SHARES_MOVE)


def _broker_firm(name: str, before: str, after: str, ctx: Context) -> bool:
    """"advised by broker Whitcombe Lane": in wire copy a broker named by two words that do not
    start with a given name is a firm (the job word says person everywhere else); not one who
    is quoted ("said broker Teoh Kok Leong") or works somewhere ("broker Suresh Mehta of Kotak")."""
    written = _NAMED_AS_RE.sub("", before).split()[-1:] or [""]
    return (written[0] in ("broker", "stockbroker") and " " in name and not _given_name_first(name, ctx)
            and not _FIRM_JOB_TITLED_RE.search(before) and not _BROKER_QUOTED_RE.search(before)
            and not _PERSON_AT_RE.match(after))


#: "said broker ...", "said one broker ...": a person quoted
_BROKER_QUOTED_RE = re.compile(r"\b(?:said|says|added|according\s+to)\s+(?:one\s+|a\s+)?(?:stock)?broker\s*$", re.I)
#: "... of Kotak", "... at Nomura": where a person works
_PERSON_AT_RE = re.compile(r"\s*,?\s*(?:of|at)\s+[A-Z]")


#: a job written with a title before it: "senior broker", "chief stockbroker" are people
_FIRM_JOB_TITLED_RE = re.compile(r"\b(?:senior|chief|head|junior|leading|veteran)\s+(?:stock)?broker\s*$", re.I)


#: right after a news agency's or a paper's name: "the Iprinda news agency", "the Sowetan newspaper"
#: a lower-case noun of a body after a name, perhaps after a word or two of what it does, then
#: a verb or a stop: "the Fedecamaras business federation backed it", "the liberal Yabloko
#: group voted", "the Podkrepa labour confederation said"; not "the Moscow city council"
#: (a place: the caller checks), "the Clinton campaign"
_BODY_NOUN_AFTER_RE = re.compile(
    # the words between describe the body ("business", "labour"): no article, pronoun or verb
    # of speech ("Vajpayee said the party would", "Netanyahu told the party members")
    r"[ \t]+(?:(?!(?:the|a|an|his|her|its|their|our|this|that|to|of|and|or|said|says|told|tells|urged|asked|"
    r"addressed|warned|led|leads|joined|left|quit|called|city|town|municipal|village|district|county|provincial|"
    r"regional|state|local)\b)[a-z][a-z'’-]+[ \t]+){0,2}?"
    # no "faction", "coalition" or "camp": those follow a leader's name ("the Aideed faction",
    # "the Kohl coalition")
    r"(?:federation|confederation|union|association|party|movement|group|"
    r"board|council|committee|chamber|conglomerate|consortium|syndicate|cooperative)"
    r"(?=[ \t]*(?:[,.;:]|(?:said|says|backed|voted|called|urged|warned|demanded|rejected|accused|denied|"
    r"welcomed|threatened|opposed|supported|announced|agreed|won|has|had|was|is|will|would|which|led|leader|"
    r"chairman|president|spokesman|spokeswoman|official|officials|members)\b))")
#: an article before the name, maybe with a word or two ("the Fedecamaras", "the liberal Yabloko"), or a
#: sentence's start ("Sinar Mas group said")
_ARTICLE_BEFORE_RE = re.compile(r"(?:(?<![\w'’-])(?:[Tt]he|[Aa]n?|[Ii]ts)[ \t]+(?:[a-z][\w'’-]*[ \t]+){0,2}|(?:^|[.!?\n][\"'”’]?)\s*)$")
_AGENCY_AFTER_RE = re.compile(r"[ \t]+(?:(?:news|press|information)[ \t]+agency|(?:newspaper|daily|weekly)"
                              # a paper that says something: "the Sowetan newspaper said"; not "the Guayaquil
                              # daily El Universo" (a city), "Clinton weekly radio address" (a person)
                              r"(?=[ \t]*(?:[,.;:]|(?:said|says|reported|reports|quoted|quotes|wrote|writes|carried|"
                              r"published|cited|added|was|is|has|had|on|in)\b)))")
#: an office after "Labour": "Labour Minister", "Labour Ministry", "Labour Secretary"
_OFFICE_AFTER_RE = re.compile(r"[ \t]+(?:Minister|Ministry|Secretary|Department|Office|Court|Code|Day|Inspectorate)\b")


#: nouns of bodies that end a clause as often as they name what follows ("told the committee,
#: Gingrich said", "the coalition Kohl leads"): before a name they say organisation only right
#: before it, where the name then speaks ("the Ivorian marketing board Caistab said")
_BODY_NOUNS = frozenset("board federation confederation association chamber movement coalition alliance commission "
                        "committee consortium cooperative syndicate".split())
_NAME_SPEAKS_RE = re.compile(r"[ \t]*(?:[,;.(]|(?:said|says|has|had|is|was|will|would|announced|reported|agreed|"
                             r"called|urged|warned|rejected|backed|which)\b)")


def _body_noun_names(last: str, before: str, after: str) -> bool:
    """Whether the organisation's noun ``last`` before a name says the name is the body's."""
    if last not in _BODY_NOUNS:
        return True
    return before[-1:].isspace() and before.rstrip()[-1:].isalpha() and bool(_NAME_SPEAKS_RE.match(after))


def _org_cue(name: str, before: str, after: str, ctx: Context) -> bool:
    """"start-up Velora", "Minsk-based Zavod Tekhnika", "Jisc, which", "Action Fraud, the
    UK's national reporting centre", "Eskom chief executive", "Fjordbank and Sparhavn"."""
    last = _last_word(before)
    if _LEGAL_FORM_BEFORE_RE.search(before):
        return True  # "PT Mandala Sekuritas", "OAO Tatneft": a legal form written before the name
    # The noun must be written in lower case: in "the European Environment Agency, Stanley
    # Johnson" the "Agency" ends another name.
    written = _NAMED_AS_RE.sub("", before).split()[-1:] or [""]
    if ((last in ctx.org_nouns and written[0][:1].islower() and _body_noun_names(last, before, after)
         and not (last in _POSITIONS and (_given_name_first(name, ctx) or SPORT_HEADLINE_RE.match(ctx.text[:80]))))
            or last.endswith("-based")):
        return True
    if (last.endswith("s") and (last[:-1] in _FIRM_HIRED_JOBS or last[:-1] in ctx.org_nouns) and written[0][:1].islower()
            and last[:-1] not in _BODY_NOUNS  # "members of both chambers Clinton addressed"
            and not _given_name_first(name, ctx) and not _PLURAL_THEN_AND_RE.match(after)
            and not re.search(r"[A-Z][\w'’.-]*[ \t]+[a-z]+[ \t]*$", before)):  # "Cormann labels Shorten": a verb
        return True  # "brokers SBC Warburg", "auditors Arthur Andersen": a job many hold, one name: a firm
    if _broker_firm(name, before, after, ctx):
        return True
    if _AGENCY_AFTER_RE.match(after):
        return True  # "told the independent Turan news agency"
    if _REPORTED_RE.match(after) and not _given_name_first(name, ctx) and known_place(name) is None:
        return True  # "Gazeta Mercantil reported that ...": a paper or an agency reports; people say
    if (_BODY_NOUN_AFTER_RE.match(after) and _ARTICLE_BEFORE_RE.search(before) and known_place(name) is None
            and ctx.gazetteer.country_code(name) is None
            and ctx.gazetteer.demonym_code(name.split()[-1]) is None and not _given_name_first(name, ctx)):
        return True  # "the Fedecamaras business federation backed it"
    if after.startswith(", which ") and not _given_name_first(name, ctx):
        return True  # "... and Graham Mabury, which proved popular": the programmes are "which"
    if (" " not in name and (employee := _EMPLOYER_OF_RE.match(after)) and _employer_not_person(name, ctx)
            and ctx.organisations.lookup(employee.group(0)[2:].strip()) is None
            and name.casefold() not in notable_surnames()):  # "Kohl's Christian Democrats": a party, a leader
        return True  # "Refco's Tom Smith"
    works_at = _WORKS_AT_RE.search(before)  # "said a dealer at Jardine Fleming", "an analyst with"
    if (works_at and works_at.group(1) in _FIRM_JOBS and not _given_name_first(name, ctx)
            and not after.startswith(("'s", "’s")) and known_place(name) is None):
        return True  # "a lawyer with Maria Lopez", "a lawyer at John Smith's office" stay people
    # "Action Fraud, the UK's national reporting centre"; not "..., the co-director of the
    # Berkeley Center", "..., a bank spokesman"
    if _apposition_says(after, ctx, _personal(name, ctx)) == "organisation":
        return True
    if ((_FIRM_ACTS_RE.match(after) or (_SHARE_PRICE_MOVE_RE.match(after) and not _given_name_first(name, ctx))
         or _SHARES_MOVE_RE.match(after))
            and known_place(name) is None and ctx.gazetteer.country_code(name) is None):
        return True  # "Infoseek announced its entry into ...", "Pepsico is spinning off its restaurants",
        # "Zeneca added 15p", "Kobe Shinwa rose 15 yen to 402"
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
        personal = _personal(name, ctx)
        for before, after in _occurrences(name, ctx):
            person = person or ((_person_cue(before, after, ctx, personal) and not _broker_firm(name, before, after, ctx))
                                or _player_stats(name, after))
            org = org or _org_cue(name, before, after, ctx)
        ctx._cues[name] = (person, org)
    return ctx._cues[name]


#: the office right after an organisation the model found: "EU Farm Commissioner", "Britain's
#: Agriculture Minister"
_PORTFOLIO_HOLDER_RE = re.compile(r"['’]?s?\s+(?:Minister|Commissioner|Secretary|Spokesman|Spokeswoman|Undersecretary|"
                                  r"minister|commissioner|secretary|spokesman|spokeswoman|undersecretary)\b")


#: portfolio words that end no company's name before "spokesman" ("Duke Energy" does)
_PORTFOLIOS = frozenset("agriculture farm trade fisheries interior foreign defence defense tourism "
                        "environment commerce economy transport".split())


def _without_portfolio(name: str) -> str:
    """A name before an office without the common words of the portfolio the model took in:
    "EU Farm" -> "EU", "Agriculture" -> "" (no name). "Ministry of Agriculture" stays."""
    words = name.split()
    while words and words[-1].casefold() in _PORTFOLIOS and (len(words) < 2 or words[-2].casefold() not in ("of", "and", "for")):
        words.pop()
    return " ".join(words)


#: an amount of money the model took for a name: "HK$57.25", "US$ 1.5 billion", "NZ$"
_MONEY_RE = re.compile(r"[A-Z]{0,3}\$\s*[\d.,]*(?:\s*(?:m|mln|bn|billion|million))?$")


#: titles that hospitals, ships and streets are named with ("King George Hospital")
_NAMESAKE_TITLES = frozenset("king queen prince princess saint st lord lady sir dame pope emperor empress sultan "
                             "sheikh president general admiral".split())


#: words that are labels of page furniture and subheadings of stories when alone on a line or
#: before a colon ("Reply", "Subject:", "Background"), and names elsewhere ("Reply SpA",
#: "Timeline Capital")
_LABEL_WORDS = frozenset("reply subject background analysis reaction overview timeline".split())
#: surnames written with an inner capital ("McCain", "DeSantis", "FitzGerald"), no joined words
_INNER_CAPITAL_SURNAME_RE = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|Del|La|Le|Van|Von|Fitz|O)[A-Z][a-z]+")
#: a lower-case letter right before a capital: where words were joined ("WorldCup")
_JOIN_RE = re.compile(r"[a-z][A-Z]")


def _joined_words_tag(r: RawMention, name: str, ctx: Context) -> bool:
    """A hashtag of joined words ("#WorldCup", "#BreakingNews"): no person, unless it starts
    with a given name ("#JoeBiden") or is a surname with an inner capital ("#McCain")."""
    if ctx.text[r.start - 1 : r.start] != "#" or not (name.isascii() and name.isalpha()) or not _JOIN_RE.search(name):
        return False
    first = re.match(r"[A-Z]?[a-z]+", name)
    return not (_INNER_CAPITAL_SURNAME_RE.fullmatch(name) or (first and first.group(0).casefold() in ctx.given_names))


#: the eras written after a year or a century, which the model calls organisations: "BC",
#: "B.C.", "AD", "A.D."; "BCE" and "CE" (also firms' names) only with full stops
_ERA_RE = re.compile(r"BC|B\.C\.|AD|A\.D\.|B\.C\.E\.|C\.E\.")
#: what an era follows: a year, a century or a millennium ("480 BC", "the 5th century BC"),
#: not a rank ("No. 12 BC")
_ERA_BEFORE_RE = re.compile(r"(?<!No\. )(?<!#)(?<!\d)\d+\s*$|(?:\bcentur(?:y|ies)|\bmillenni(?:um|a))\s*$", re.I)


#: how the adjectives of nationality end ("Rwandan", "Iraqi", "Chinese", "Kurdish"); the nouns
#: ("Dane", "Swede", "Turk") are given names or surnames too ("Dane Cook")
_ADJECTIVE_ENDINGS = ("an", "ese", "ish", "i", "ic")


_ROW_LABEL_RE = re.compile(r"[ \t]*((?:[A-Za-z][\w-]{0,24}[ \t]+){1,3}?)(?:[$£€¥][ \t]*)?-?\d")


def _row_label(r: RawMention, line: str, ctx: Context) -> bool:
    """Whether the mention starts a line whose words before its first figure are all words of
    a table's rows ("Avg shrs 27.8 mln vs 27.7 mln", "Shr 8.4p vs 7.2p")."""
    label = _ROW_LABEL_RE.match(line)
    if label is None or not all(w.casefold() in ctx.table_words for w in label.group(1).split()):
        return False
    line_start = ctx.text.rfind("\n", 0, r.start) + 1
    return r.start - line_start < len(label.group(0))


#: a figure right after a row's first word: "Revs 802.6 mln", "Shr $ 0.62"
_FIGURE_AFTER_RE = re.compile(r"[ \t]+(?:[$£€¥][ \t]*)?-?\d")
#: a credit rating (Moody's and Standard & Poor's scales): "Aa3", "A1", "Baa2", "BBB+"
_CREDIT_RATING_RE = re.compile(r"(?:Aaa|Aa[1-3]|A[1-3]|Baa[1-3]|Ba[1-3]|B[1-3]|Caa[1-3]|AAA|AA[+-]|BBB[+-]?|BB[+-]?|A[+-])")


_RATING_WORDS_RE = re.compile(r"\b(?:rat(?:ing|ings|ed|es)|upgrad|downgrad|Moody|Poor['’]s|Fitch|outlook|debt|bonds?)", re.I)


def _names_an_index(name: str, ctx: Context) -> bool:
    """A stock market index, which is no organisation: the name is written before "index" or
    its number somewhere ("the FTSE 100 index", "the Nikkei average", "the DAX index", "the
    Hang Seng Index"), and our table knows no organisation by it."""
    if ctx.organisations.lookup(name) or ctx.known_acronym(name):
        return False
    if name.split()[-1].casefold() in ("index", "indices"):
        return True  # "the Hang Seng Index", "the Human Development Index"
    if (len(name.split()) > 2 or known_place(name) is not None or ctx.gazetteer.country_code(name)
            or _given_name_first(name, ctx)):
        return False  # "the London average", "Tokyo futures", "the UK average": still the place
    if ("any index", "") not in ctx._memo:  # most articles name no index: one search each
        ctx._memo[("any index", "")] = _INDEX_WORD_RE.search(ctx.text, 0, SEARCH_LIMIT) is not None
    if not ctx._memo[("any index", "")]:
        return False
    key = ("index", name)
    if key not in ctx._memo:
        # every time the story writes the name below its headline, before "index" ("the Moscow
        # Times index" of a story that also quotes The Moscow Times names the paper too)
        pattern = _name_pattern(name) if not name.isupper() else re.compile(
            rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
        after = _INDEX_AFTER_I_RE if name.isupper() else _INDEX_AFTER_RE
        found = [m for m in pattern.finditer(ctx.text, 0, SEARCH_LIMIT) if not shouted(ctx.line_at(m.start()))]
        ctx._memo[key] = bool(found) and all(after.match(ctx.text, m.end()) for m in found)
    return ctx._memo[key]


_INDEX_WORD_RE = re.compile(r"\b(?:index|indices|average|futures)\b", re.I)
_INDEX_AFTER = r"(?:[ \t-]+\d{2,4})?[ \t]+(?:share[ \t]+|stock[ \t]+)?(?:[Ii]ndex|[Ii]ndices|average|futures)\b"
_INDEX_AFTER_RE = re.compile(_INDEX_AFTER)
_INDEX_AFTER_I_RE = re.compile(_INDEX_AFTER, re.I)


#: adjectives that open a sentence before a name, capitalised by their place only
_DESCRIBING_FIRST_WORDS = frozenset("injured veteran retired suspended experienced unsettled outgoing embattled "
                                    "beleaguered in-form out-of-form on-loan newly-promoted relegated islamist".split())
#: what a paper or an agency does with the news, right after its name
_REPORTED_RE = re.compile(r"[ \t]+(?:reported[ \t]+(?:that|on[ \t]+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                          r"Sunday))|quoted[ \t]+(?:a|an|the|[A-Z])[^.;]{0,80}?[ \t]as[ \t]+say(?:ing|s))\b")
# not "reported from", nor a person's "Greenspan reported on the economy", "Kinkel quoted a NATO study"
#: what is named after a person or a place without being either: a disease, a law
_NAMED_AFTER_RE = re.compile(r"(?:['’]s?)?[ \t]+(?:disease|syndrome|virus|Bill|Act)\b(?![ \t]+[A-Z])")
_TITLE_WORD_BEFORE_RE = re.compile(r"[A-Z][a-z]+[ \t]+$")
#: the force a common word before it describes: "Riot police", "Security forces"
_FORCE_AFTER_RE = re.compile(r"[ \t]+(?:police|policemen|troops|forces|guards|squads?)\b")


def _sentence_first(r: RawMention, ctx: Context) -> bool:
    """Whether the mention opens a sentence or a line, where a common word has its capital
    by its place ("Riot police fired"; not "between Taylor forces and Johnson forces")."""
    before = ctx.text[max(0, r.start - 8) : r.start].rstrip(" \t")
    return (r.start < 8 and not before) or before[-1:] in ".!?:\"'“‘\n"


def _common_word(name: str) -> bool:
    """Whether ``name`` is a common English word (wordfreq's Zipf 3.5 or more), not a given name."""
    from wordfreq import zipf_frequency  # loaded once, by the headline rules too

    return name.casefold() not in name_words().given_names and zipf_frequency(name.casefold(), "en") >= 3.5


#: one word of a prefix of stance or time and a capitalised name: the whole is a modifier
#: ("pro-Beijing", "Anti-Soviet"); a longer name stays ("Anti-Defamation League",
#: "Pan-Africanist Congress")
_STANCE_PREFIX_RE = re.compile(r"(?i:pro|anti|non|ex|post|pre|neo)-[A-Z][\w'’.-]*|(?i:pan)-[A-Z][\w'’.-]*(?:an|ic|ist)")


def resolve_name(r: RawMention, ctx: Context) -> list[Resolved]:
    """Resolve a model entity (see the module docstring, steps 2 to 4).

    :param r: a raw mention with a spaCy label
    :param ctx: the article context
    """
    if r.host == SURNAME:  # "Jordan, ranked 64th" after "Dean Jordan": linked to the full name later
        return [_named("person", r.text, r, r.text)]
    name = clean_entity_name(r)
    line = ctx.line_at(r.start)
    in_table = results_line(line)
    if in_table:
        name = _TRAILING_FIGURES_RE.sub("", name).strip()  # "Boston 5"
    if not name or _no_capital(name) or not any(c.isalpha() for c in name) or _MONEY_RE.match(name):
        return []
    if (r.label in ("PERSON", "ORG", "NORP") and " " not in name and _FORCE_AFTER_RE.match(ctx.text, r.end)
            and not is_place_name(name) and ctx.gazetteer.country_code(name) is None
            and ctx.gazetteer.demonym_code(name) is None and not name.isupper()
            and ctx.organisations.lookup(name) is None and _sentence_first(r, ctx) and _common_word(name)):
        # (not "NATO troops", "UN police", "Hamas police": a body's own force; not "Johnson forces" mid-sentence)
        return []  # "Riot police fired tear gas", "Security forces": a kind of force, no name
    if _NAMED_AFTER_RE.match(ctx.text, r.end) or (name in ("Bill", "Act") and _TITLE_WORD_BEFORE_RE.search(
            ctx.text, max(0, r.start - 40), r.start)):
        return []  # "Creutzfeldt-Jakob disease", "the Workplace Relations Bill": a disease, a law
    if _STANCE_PREFIX_RE.fullmatch(name):
        return []  # "pro-Beijing unionists", "anti-Soviet", "ex-Yugoslav": a stance or a past, no name
    if name in ("Labour", "Labor") and _OFFICE_AFTER_RE.match(ctx.text, r.end):
        return []  # "Labour Minister Hartmut Renner": the portfolio, not the party
    if (r.label in ("PERSON", "ORG", "NORP") and " " not in name and ctx.text.startswith("-based", r.end)
            and (r.label == "PERSON" or known_place(name) is not None)):  # not "Intel-based PCs", "Muslim-based"
        return [_named("place", name, r, clean_name(r.text))]  # "the Bari-based airline"
    alias = strip_figures(clean_name(r.text))
    words = name.split()
    if len(words) > 1 and words[0].casefold() in _DESCRIBING_FIRST_WORDS:
        name = " ".join(words[1:])  # "Injured Arsenal defender Tony Adams": the model took in the adjective
        alias = name if alias.split()[:1] == words[:1] else alias
        words = words[1:]
    if (r.label in ("ORG", "GPE", "LOC", "FAC") and 3 <= len(words) <= 4 and words[0].casefold() in ctx.roles
            and words[0].casefold() not in _NAMESAKE_TITLES and words[-1].casefold() not in ctx.org_nouns
            and _plain_name(" ".join(words[1:]), ctx) and _given_name_first(" ".join(words[1:]), ctx)):
        name = " ".join(words[1:])  # "Defender Marcel Desailly" at the start of a sentence
        return [_named("person", name, r, alias)]
    if (r.label == "PERSON" and len(words) >= 2 and words[0].endswith(_ADJECTIVE_ENDINGS)
            and words[0].casefold() not in ctx.given_names and ctx.gazetteer.country_code(words[0]) is None
            and ctx.gazetteer.demonym_code(words[0]) is not None):
        if len(words) == 2:  # "Rwandan Hutu refugees", "Iraqi Kurd": a people, no person; the demonym
            at = r.text.find(words[0])  # still names the country
            code = ctx.gazetteer.demonym_code(words[0])
            if at < 0 or not code:
                return []
            demonym = RawMention("NORP", words[0], r.start + at, r.start + at + len(words[0]), r.sentence)
            return [_country(demonym, code, ctx, words[0])]
        name = " ".join(words[1:])  # "Palestinian Yasser Arafat": the nationality is no part of the name
    if r.label == "ORG" and _PORTFOLIO_HOLDER_RE.match(ctx.text, r.end):
        rest = _without_portfolio(name)
        if not rest:
            return []  # "Agriculture Minister"
        if rest != name and (ctx.known_acronym(rest) or ctx.organisations.lookup(rest) or _country_of_name(rest, ctx)):
            name = rest  # "EU Farm Commissioner"; not "a Fair Trade spokesman"
    if r.host == SPORTS_NOTATION:  # a bowler, a scorer, a golfer: the notation says person
        return [_named("person", name, r, alias, fixed=True)]
    if ((in_table or (line.lstrip().startswith(name) and _FIGURE_AFTER_RE.match(line.lstrip()[len(name):])))
            and all(w.casefold() in ctx.table_words for w in name.split())):
        return []  # "Extras 12", "Heifer Cow 55.00-60.00", "Revs 802.6 mln vs 712.3 mln": a row of a table
    if _row_label(r, line, ctx):
        return []  # "Avg shrs 27.8 mln", "Shr 8.4p vs 7.2p": the label of a results table's row
    if (_names_event(name, ctx) or _common_word_first(r, name, ctx) or _people_of_a_country(name, ctx)
            or _names_an_index(name, ctx)
            or (_CREDIT_RATING_RE.fullmatch(name) and _RATING_WORDS_RE.search(r.sentence or line))):
        return []  # ... "upgraded its debt to Aa3 from A1": a rating, no name
    if (r.label in ("ORG", "PERSON", "NORP") and len(words) == 2 and words[1].casefold() in _LEADERS_BODIES
            and words[0].casefold() in notable_surnames() and (at := r.text.find(words[0])) >= 0):
        # "the Clinton Administration", "the Blair government": the leader is the name written
        leader = RawMention(r.label, words[0], r.start + at, r.start + at + len(words[0]), r.sentence, r.code, r.host)
        return [_named("person", words[0], leader, words[0])]
    if r.text.startswith(("a ", "an ")):
        return []  # "a Man of Vision", "an Air Division": the model took in an article no name has
    if name.casefold() in _LABEL_WORDS and (line.strip() == name or ctx.text[r.end : r.end + 1] == ":"):
        return []  # "Reply", "Background" alone on a line, "Subject:": labels and subheadings
    if r.label == "PERSON" and _joined_words_tag(r, name, ctx):
        return []  # "#WorldCup", "#BreakingNews": a hashtag, no person ("#Obama", "#JoeBiden" stay)
    if r.label == "ORG" and _ERA_RE.fullmatch(name) and (
            _ERA_BEFORE_RE.search(ctx.words_before(r.start, 20))
            or (name.startswith("A") and re.match(r"\s*\d", ctx.text[r.end : r.end + 4]))):
        return []  # "the 5th century BC", "AD 79": an era, no organisation

    acronym = ctx.known_acronym(name) if ctx.gazetteer.country_code(name) is None else None
    if acronym:
        return [_named(acronym[2], acronym[0], r, alias, acronym[1], fixed=True)]
    code = _country_of_name(name, ctx)
    if code:
        return [_country(r, code, ctx, alias)]
    if (r.label in ("NORP", "PERSON", "ORG", "GPE") and _a_people(name)
            and not (r.label == "ORG" and SPORT_HEADLINE_RE.match(ctx.text[:80]))):  # "beat Roma 3-0" is the club
        return []  # "Tutsi rebels", "Hutu militiamen": a people is no entity, whatever its fighters do
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


def _common_word_first(r: RawMention, name: str, ctx: Context) -> bool:
    """A lone capitalised word that starts a sentence or a headline and is written in lower
    case elsewhere in the article ("Tributes paid to ...", "Plane diverted ..."): a common
    word, capitalised by its place, not a name."""
    if " " in name or not name[:1].isupper() or name.isupper() or len(ctx.text) > SEARCH_LIMIT:
        return False
    before = ctx.text[max(0, r.start - 3) : r.start]
    if before.strip() and before.rstrip()[-1:] not in ".!?:\"'“‘\n":
        return False
    key = ("lower case elsewhere", name)
    if key not in ctx._memo:  # once per name, not once per mention of it
        ctx._memo[key] = _name_pattern(name.lower()).search(ctx.text) is not None
    return ctx._memo[key]


def _people_of_a_country(name: str, ctx: Context) -> bool:
    """A people named by two demonyms, or a country and a demonym, the second a plural
    ("Bosnian Serbs", "Bosnian Croats", "Kosovo Albanians"), which the model calls a person
    or a group: no name of anyone. "British
    Airways" and "American Airlines" are no demonyms; a name the table knows stays.

    :param name: the cleaned name
    :param ctx: the article context
    """
    words = name.split()
    return (len(words) == 2 and words[1].endswith("s")
            and (ctx.gazetteer.demonym_code(words[0]) or ctx.gazetteer.country_code(words[0])) is not None
            and ctx.gazetteer.demonym_code(words[1][:-1]) is not None  # "Serbs", not "Airways"
            and ctx.organisations.lookup(name) is None)


#: Races and rallies named "the tour of" a land, the whole name: "Tour de France", "Giro
#: d'Italia", "Vuelta a España", "Tour of Britain", "Rallye de Portugal" (not firms "of a
#: country", :func:`_of_a_country`); the land must be a country or a place we know.
_STAGE_RACE_RE = re.compile(r"(?:Tour|Giro|Vuelta|Volta|Rallye?|Ronde)\s+(?:de\s+la|de|du|des|d['’]|a|al|of|van)\s*(?P<land>.+)")
#: lands of races in their own languages that the gazetteer does not hold
_RACE_LANDS = frozenset({"italia", "españa", "espana", "catalunya", "romandie", "suisse", "vlaanderen", "flandres",
                         "algarve", "lombardia"})


def _names_event(name: str, ctx: Context) -> bool:
    """An event, a prize or a chart ("Academy Awards", "Boston Marathon", "Summer
    Paralympics", "Winter Carnival of Magic"): its last word (or two) before any "of" is an
    event word, or it is a stage race or a rally ("Tour de France", :data:`_STAGE_RACE_RE`),
    and our table knows no organisation of that name. A one-word name is a
    company as often ("Carnival",
    "Marathon"), so it is left alone, except the games ("Olympics", "Paralympics")."""
    race = _STAGE_RACE_RE.fullmatch(name)
    if race and ctx.organisations.lookup(name) is None:
        land = race.group("land")
        if ctx.gazetteer.country_code(land) or known_place(land) or land.casefold() in _RACE_LANDS:
            return True  # not "Rally of the Guinean People", not "Tour de France Hotel"
    words = name.casefold().split(" of ")[0].split()  # "Winter Carnival of Magic"
    if len(words) == 1 and not words[0].endswith(("lympics", "olympiad")):
        return False
    if words[-1] not in ctx.event_words and " ".join(words[-2:]) not in ctx.event_words:
        return False
    return ctx.organisations.lookup(name) is None


#: Faiths and their followers, which describe a group but never name one alone ("Moslem
#: rebels", "Sunni militants": newswire calls them MISC, not an organisation).
#: peoples of the news that are no nation of the country table: "Tutsi rebels", "Kurdish
#: fighters" name no group (a group's own name does: "the Tamil Tigers")
_PEOPLES = frozenset("hutu tutsi kurd kurdish tamil sinhalese serb croat bosniak pashtun hazara "
                     "zulu xhosa igbo ibo yoruba hausa ogoni berber tuareg kikuyu luo maasai masai chechen ingush "
                     "abkhaz ossetian kashmiri baluch baloch sindhi mohajir punjabi rohingya karen shan kachin hmong "
                     "uighur uyghur tibetan aborigine aboriginal maori inuit roma gypsy".split())
_FAITHS = frozenset("muslim muslims moslem moslems islamic christian christians catholic catholics protestant "
                    "protestants orthodox jewish jew jews hindu hindus sikh sikhs buddhist buddhists sunni sunnis "
                    "shia shias shiite shiites shi'ite shi'ites alawite alawites druze coptic copts evangelical "
                    "evangelicals".split())


def _a_people(name: str) -> bool:
    """Whether ``name`` is one of the peoples of :data:`_PEOPLES`, singular or plural."""
    folded = name.casefold()
    return folded in _PEOPLES or (folded.endswith("s") and folded[:-1] in _PEOPLES)


def _community(r: RawMention, name: str, ctx: Context) -> bool:
    """A people, faith or party's followers the model calls NORP ("Muslims", "Rohingya",
    "Democrats"): no organisation, no place, so no entity, unless our table or the words
    around make it a group ("the Anti-balaka militias")."""
    if known_place(name) is not None or ctx.organisations.lookup(name):
        return False
    if name.casefold() in _FAITHS:
        return True
    probe = Resolved("group", name, name.casefold(), None, r, name)
    return not _is_group_mention(probe, ctx)


#: Region names that are adjectives too ("Baltic states", "Nordic news sites").
_ADJECTIVE_REGIONS = frozenset("nordic nordics baltic baltics arctic antarctic gulf mediterranean pacific atlantic "
                               "caribbean balkan balkans sahel scandinavian aegean adriatic ionian".split())
_VERBS_AFTER_NAMES = frozenset("said says told added remains remained faces faced warmed warms rose rise rises fell "
                                "fall falls was were is are has have had will would could may might saw took made "
                                "went came grew stayed stays".split())
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
    if word.endswith("ed") and len(word) > 4:
        return False  # a verb in the past: "the Gulf remained calm", "the Balkans stabilised"
    # a noun after it makes it a modifier ("Nordic news sites"); a verb or a function word
    # does not ("the Caribbean did", "the Arctic was")
    return word not in _REGION_NOUNS and word not in STOP_WORDS and word not in _VERBS_AFTER_NAMES


def _sports_club(r: RawMention, name: str, ctx: Context) -> bool:
    """A city or region with a score after it in a results line ("Boston 5 Anaheim 3"), or
    after "played for", "signed for", "on loan from" in a sports story (a wire sports
    headline, or words of team sport in the sentence), is the club named after it; a country
    there is its national team (a place, as newswire has it)."""
    at = ctx.text.find(name, r.start, r.end + 1)
    after = ctx.text[(at if at >= 0 else r.start) + len(name) :]
    if (_CLUB_BEFORE_RE.search(ctx.words_before(r.start, 30)) and ctx.gazetteer.country_code(name) is None
            and name.casefold() not in _HOME_NATIONS and not after.startswith(("'s", "’s"))
            and (SPORT_HEADLINE_RE.match(ctx.text[:80]) or _SPORT_WORDS_RE.search(r.sentence or ctx.line_at(r.start)))):
        return True  # "striker ... played for Barcelona": the club, not the city; "played for England", the country
    return (name.casefold() not in _HOME_NATIONS  # "Wales 1 Holland 3": the nation, a place
            and not solo_sport_story(ctx)  # "2. Orlando 385": a skater's points
            and bool(re.match(r"\s+\d", after) or re.match(r"\s+\d", ctx.text[r.end :])) and results_line(ctx.line_at(r.start)))


#: The biggest cities: a "person" whose last word is one of them is a club or a company
#: ("Partizan Belgrade", "Dynamo Moscow").
CLUB_CITY_POPULATION = 500_000


def _named_after_city(name: str) -> bool:
    words = name.split()
    if len(words) < 2:
        return False
    place = known_place(words[-1])
    return place is not None and place.population >= CLUB_CITY_POPULATION


#: Forms of address that only people take: "Ms Pugh's" (the model says GPE), "Lord Halifax"
#: (ORG). Right before the name or its first word.
_HONORIFIC_RE = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Monsieur|Herr|Frau)\.?\s+$")
_HONORIFIC_FIRST_RE = re.compile(r"(?:Mr|Mrs|Ms|Dr|Monsieur|Herr|Frau)\.?\s+[A-Z]")
#: what follows a firm named after a form of address: "Dr Pepper/Seven-Up Cos Inc", "Miss Universe Inc"
_FIRM_AFTER_RE = re.compile(r"\s*(?:/|-[A-Z]|(?:Inc|Corp|Co|Cos|Ltd|Plc|PLC|LLC|AG|SA|Group|Holdings)\b)")


def _addressed_as_person(r: RawMention, name: str, ctx: Context) -> bool:
    """A name of one or two words written after "Ms", "Dr", "Lord" (or starting with "Ms",
    "Dr"), which our tables know as no organisation and no place word ends: a person."""
    # a firm our table knows, unless one word a title is written before ("Mr. Renault")
    if (len(name.split()) > 2 or (ctx.organisations.lookup(name) is not None and " " in name)
            or _place_by_its_words(name, ctx)
            or _FIRM_AFTER_RE.match(ctx.text, r.end) or any(w.rstrip(".").casefold() in legal_forms() for w in name.split())):
        return False
    return bool(_HONORIFIC_FIRST_RE.match(r.text) or _HONORIFIC_RE.search(ctx.words_before(r.start, 12)))


_OF_COUNTRY_RE = re.compile(r"^[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+(?:de|del|do|da|di|du|des)\s+(?:la\s+)?(.+)$")


def _of_a_country(name: str, ctx: Context) -> bool:
    """"Telefonos de Mexico", "Gaz de France", "Banco do Brasil": a name "... de <country>"
    is a firm or an institution of that country, whatever the model says; people are named
    after towns, not countries."""
    match = _OF_COUNTRY_RE.match(name)
    return bool(match) and ctx.gazetteer.country_code(match.group(1)) is not None and not _given_name_first(name, ctx)


#: Last words of buildings, sites and states named after people or with a given name first
#: ("John F. Kennedy Airport", "Lincoln Memorial", "Victoria Falls", "Roman Empire"): such a
#: name stays the model's place.
_FACILITY_WORDS = frozenset(
    "station airport bridge memorial hall stadium arena hospital hotel tower towers "
    "church chapel cathedral abbey museum gallery library centre center field fields "
    "garden gardens house palace theatre theater school college university building "
    "terminal dam mall market plaza court park castle mosque temple estate farm mill "
    "lodge manor island islands glacier shelf mountain mountains valley desert canyon "
    "falls peak hill hills coast beach forest strait channel cape point empire republic "
    "kingdom state states union federation dynasty caliphate emirate province county "
    "district city town village region line heights sound way gate pass plains isle "
    "highway crossing wharf pier quay dock marina base camp prison jail port ridge meadows "
    "grove wells bluff landing embankment"
    .split())
_PERSON_WORD_RE = re.compile(r"[A-Z](?:[a-z'’]+(?:-[A-Z][a-z'’]+)?|\.)")


def _person_as_place(r: RawMention, name: str, ctx: Context) -> bool:
    """A place (or a product) by the model's label that is a person's name: a given name, at most an
    initial, and one more name word that is no word of a building, a site or a state, no
    country and no place we know ("Germany's Steffi Graf" as FAC); not "Lincoln Memorial",
    "Ross Ice Shelf", "Victoria Falls", "the Roman Empire" or "the Elizabeth Line" (a person
    is no "the ...")."""
    if r.text[:4].casefold() == "the ":
        return False
    words = name.split()
    middle = words[1:-1]
    if (not 2 <= len(words) <= 3 or not all(_PERSON_WORD_RE.fullmatch(w) for w in words)
            or not all(w.endswith(".") for w in middle)):  # "John F. Kennedy", not "Ross Ice Shelf"
        return False
    if not _given_name_first(name, ctx) or _place_by_its_words(name, ctx) or _looks_like_org(name, ctx):
        return False
    last = words[-1].casefold()
    if last in _FACILITY_WORDS or last in ctx.org_nouns:
        return False
    return not any(ctx.gazetteer.country_code(w) or known_place(w) for w in words[1:])


#: what a leader's surname names before it: "the Clinton administration", "the Blair government"
_LEADERS_BODIES = frozenset("administration government cabinet presidency premiership camp era".split())


@lru_cache(maxsize=1)
def notable_surnames() -> frozenset[str]:
    """Casefolded surnames of people the news names by surname alone (``notable_people.tsv``)."""
    return frozenset(surname.casefold() for surname, _full in read_tsv_pairs(DATA_DIR / "notable_people.tsv"))


#: what follows a firm's name, not a person's: "Harris said its quarterly profit rose",
#: "Harris shares fell" (not "Trump shares a video", "Putin said its forces")
_FIRM_NEWS_RE = re.compile(
    r"[ \t]+(?:said|says|reported|posted)[ \t]+its[ \t]+(?:(?:first|second|third|fourth)-quarter[ \t]+|quarterly[ \t]+"
    r"|annual[ \t]+|full-year[ \t]+|net[ \t]+)*(?:profits?|earnings|revenues?|sales|income|loss|shipments|orders|dividend)\b"
    r"|[ \t]+shares[ \t]+(?:rose|fell|gained|lost|jumped|slid|dropped|climbed|tumbled|closed|were)\b")
#: a town's name followed by its state or country: "Clinton, Iowa"
_TOWN_OF_RE = re.compile(r"[ \t]*,[ \t]*([A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)(?![\w'’])")


def _notable_surname(name: str, org_cue: bool, ctx: Context) -> bool:
    """A surname the news writes alone for a well-known person ("Trump said", "Cameron's
    call to arms"), which the model took for an organisation or a place: no organisation's
    cue around it (nor "Harris said its quarterly profit"), no organisation our table knows,
    no country or place we know."""
    if org_cue or name.casefold() not in notable_surnames():
        return False
    key = ("notable surname", name)
    if key not in ctx._memo:  # once per name, not once per mention of it
        ctx._memo[key] = (ctx.organisations.lookup(name) is None and known_place(name) is None
                          and ctx.gazetteer.country_code(name) is None
                          and not any(_FIRM_NEWS_RE.match(after) for _before, after in _occurrences(name, ctx)))
    return ctx._memo[key]


def _notable_surname_as_place(r: RawMention, name: str, ctx: Context) -> bool:
    """The model's place that is a notable surname ("Lavrov" as GPE) is the person; not in a
    dateline ("PERRY, Georgia 1996-08-24"), not after "the" ("in the Hague") and not before
    its state or country ("Clinton, Iowa")."""
    if (r.host == DATELINE or r.text[:4].casefold() == "the "
            or ctx.text[max(0, r.start - 4) : r.start].casefold() == "the "):
        return False
    town_of = _TOWN_OF_RE.match(ctx.text, r.end)
    if town_of and (ctx.gazetteer.country_code(town_of.group(1)) or is_place_name(town_of.group(1))):
        return False
    return _notable_surname(name, name_cues(name, ctx)[1], ctx)


#: a capitalised word right after a name: the surname the model left out ("Magnus" GPE of
#: "second seed Magnus Gustafsson")
_NEXT_WORD_RE = re.compile(r"[ \t]+([A-Z][a-zà-öø-ÿ'’-]+)\b(?![ \t]*['’]s\b)")


def _person_of_one_word(r: RawMention, name: str, ctx: Context) -> str | None:
    """The full name of a person whose one word the model called a place, when no table
    knows it as one: a given name and the capitalised word after it ("Magnus" of "Magnus
    Gustafsson"), or a surname written elsewhere after a given name ("Pechstein", and
    "fellow German Claudia Pechstein" the model did not mark)."""
    if " " in name or not _SURNAME_RE.fullmatch(name) or ctx.organisations.lookup(name) is not None:
        return None
    if ctx.gazetteer.country_code(name) or ctx.gazetteer.demonym_code(name) or name.casefold() in ctx.regions:
        return None
    folded = name.casefold()
    nxt = _NEXT_WORD_RE.match(ctx.text, r.end)
    if (folded in ctx.given_names and folded not in VERB_GIVEN_NAMES and nxt
            and _SURNAME_RE.fullmatch(nxt.group(1)) and nxt.group(1).casefold() not in ctx.given_names
            and nxt.group(1).casefold() not in CALENDAR_WORDS
            and not known_place(nxt.group(1)) and not ctx.gazetteer.country_code(nxt.group(1))
            and nxt.group(1).casefold() not in ctx.org_words and nxt.group(1).casefold() not in ctx.place_last):
        return f"{name} {nxt.group(1)}"
    key = ("surname of a given name", name)
    if key not in ctx._memo and len(ctx.text) <= SEARCH_LIMIT:
        ctx._memo[key] = next(
            (f"{m.group(1)} {name}" for m in re.finditer(rf"\b([A-Z][a-z]+)[ \t]+{re.escape(name)}\b", ctx.text)
             if m.group(1).casefold() in ctx.given_names and m.group(1).casefold() not in VERB_GIVEN_NAMES),
            None)
    return ctx._memo.get(key)


_FIRM_SENTENCE_RE = re.compile(r"\b(?:it|its|shares?|stock|company|carmaker|profits?|revenues?|sales|percent|"
                               r"billion|million)\b", re.I)
_PERSON_SENTENCE_RE = re.compile(r"\b(?:he|his|him|she|her|who|died|born)\b", re.I)


def _surname_of_a_named_person(r: RawMention, name: str, ctx: Context) -> bool:
    """A one-word name our table knows as a firm ("Renault", "Porsche", "Siemens") that is the
    surname of a person the article names in full ("Louis Renault", "Werner von Siemens"),
    and no legal form follows: a mention of that person."""
    if " " in name or not _SURNAME_RE.fullmatch(name) or _FIRM_AFTER_RE.match(ctx.text, r.end):
        return False
    if _FIRM_SENTENCE_RE.search(r.sentence) and not _PERSON_SENTENCE_RE.search(r.sentence):
        return False  # "Porsche shares rose", "Chrysler said it would recall": the firm
    key = ("surname of a named person", name)
    if key not in ctx._memo:
        ctx._memo[key] = len(ctx.text) <= SEARCH_LIMIT and any(
            m.group(1).casefold() in ctx.given_names and m.group(1).casefold() not in VERB_GIVEN_NAMES
            and ctx.organisations.lookup(m.group(0)) is None
            for m in re.finditer(rf"\b([A-Z][a-z]+)(?:-[A-Z][a-z]+)?[ \t]+(?:(?:von|van|de|der|du|le|la)[ \t]+)?"
                                 rf"{re.escape(name)}\b(?![ \t]+[A-Z])", ctx.text))
    return ctx._memo[key]


#: organisation words that are surnames too: a person's cue keeps "David Post" or "Margaret
#: Court" a person; "Raymond James Financial, the broker" or "Ted Baker Plc, the owner of"
#: stay firms
_SURNAME_ORG_WORDS = frozenset("post court press daily herald bank union trust times".split())


#: words of denominations before "Church": "Unification Church", "Anglican Church"
_CHURCH_ADJECTIVES = frozenset(
    "catholic anglican orthodox methodist baptist lutheran presbyterian episcopal episcopalian evangelical reformed "
    "pentecostal coptic apostolic unification scientology moravian mennonite adventist mormon congregational "
    "unitarian protestant christian holy free united national state mother universal roman greek eastern "
    "evangelist charismatic independent".split())
#: organisation words that are common surnames: "Frank Church", "Charlotte Church", "Lesley Stahl"
_SURNAME_WORDS_OF_ORGS = frozenset({"church", "stahl"})


def _surname_as_org_word(name: str, label: str, person_cue: bool, ctx: Context) -> bool:
    """A person's name that ends in an organisation word that is a common surname too: a given
    name and that word ("Frank Church", "Lesley Stahl") or, with a person's cue, any first word
    ("singer Charlotte Church"); a PERSON of the model whose church word follows no word of
    denominations ("Mike Church"); or that word alone as the surname of such a person the story
    names ("Church said"). "Roman Catholic Church", "Unification Church", "Krupp Stahl" stay."""
    words = name.split()
    if words[-1].casefold() not in _SURNAME_WORDS_OF_ORGS or len(words) > 2:
        return False
    if len(words) == 2:
        return (_given_name_first(name, ctx) or person_cue
                or (label == "PERSON" and words[-1].casefold() == "church"
                    and words[0].casefold() not in _CHURCH_ADJECTIVES and not _country_of_name(words[0], ctx)))
    return any(_given_name_first(m.group(0), ctx) or name_cues(m.group(0), ctx)[0]
        for m in re.finditer(rf"\b[A-Z][a-z]+[ \t]+{re.escape(name)}\b(?![ \t]+(?:of|[A-Z]))", ctx.text))


#: words around a one-word name in a story of a sport of individuals that make it a team,
#: a venue or a sponsor, not a competitor: "rode for Telekom", "the ONCE team", "in Kitzbuehel"
_NOT_COMPETITOR_BEFORE_RE = re.compile(
    r"\b(?:(?:in|at|near|for|of|with|joined|team|sponsor)"
    # the second of two: "in Garmisch and Chamonix", "for Festina or Mapei"
    r"(?:[ \t]+(?-i:[A-Z][\w'’-]*)(?:[ \t]+(?-i:[A-Z][\w'’-]*))?,?[ \t]+(?:and|or))?"
    # a sponsor, a maker, a broadcaster, a team joined: "sponsored by (the) Rabobank", "would join Banesto"
    r"|(?:(?:sponsored|backed|supplied|owned|made|run|organi[sz]ed|broadcast|televised|shown)[ \t]+by"
    r"|join|joins|joining|sponsors|sponsoring)(?:[ \t]+the)?"
    # the last word of a longer name: "Gazzetta dello Sport", "Corriere della Sera"
    r"|(?-i:[A-Z][\w'’-]*)[ \t]+(?:dello|della|delle|degli|dei|du|des)"
    # a venue a race goes to: "moved to Vail", "moved from Val d'Isere to Tignes"
    r"|(?:moved?|moves|moving|switched|switch|transferred|shifted)\b[^.\n]{0,40}?[ \t]to)[ \t]+$", re.I)
_NOT_COMPETITOR_AFTER_RE = re.compile(
    r"[ \t]+(?:team|teams|teammates?|squad|rider|riders|club|open|masters|classic|"
    r"championships?|cup|grand|tour|federation|association|meeting|marathon|games|trophy|invitational|"
    r"stadium|arena|circuit|course|resort|downhill|slalom|organi[sz]ers?|officials?|chairman|president|boss|owner|"
    r"manager|spokesman|spokeswoman|executives?)\b"
    # "Heineken sponsors the event", "Showtime will broadcast it", "replaced Novell as sponsor"
    r"|[ \t]+(?:(?:will|would|also|to)[ \t]+)?(?:sponsor|sponsors|sponsored|sponsoring|supplies|supply|supplied|"
    r"broadcast|broadcasts|televise|televises)\b"
    r"|[ \t]+as[ \t]+(?:(?:the|its|title|main|official)[ \t]+)*(?:sponsors?|suppliers?|broadcasters?)\b"
    # "Mapei 's budget", "Festina 's riders"
    r"|[ \t]*['’]s[ \t]+(?:team|teams|riders?|budget|squad|sponsorship)\b"
    # a team or a maker that signs competitors: "Festina and Mapei also want to sign Ullrich",
    # "Diadora and Sergio Tacchini have also signed players"; not "Woods signed a deal", "signed Friday"
    r"|(?:[ \t]+(?:and|or)[ \t]+(?-i:[A-Z][\w'’-]*)(?:[ \t]+(?-i:[A-Z][\w'’-]*))?)?"
    r"(?:[ \t]+(?:have|has|had|also|will|would|want|wants|wanted|to|hope|hopes|hoped|plan|plans|planned|tried|try))*"
    r"[ \t]+(?:sign|signs|signed|signing)[ \t]+(?:up[ \t]+)?(?:(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)\b)(?-i:[A-Z])|(?:players|riders|skiers|athletes|golfers|boxers|drivers)\b)"
    # "Atomic and Salomon said their skiers were ready"
    r"|(?:[ \t]+(?:and|or)[ \t]+(?-i:[A-Z][\w'’-]*))?[ \t]+said[ \t]+(?:its|their)[ \t]+"
    r"(?:players|riders|skiers|athletes|golfers|boxers|drivers|racers)\b"
    # the first word of a longer name: "Gazzetta dello Sport", "Corriere della Sera"
    r"|[ \t]+(?:dello|della|delle|degli|dei|du|des)[ \t]+[A-Z]"
    # "Corel , the sponsor ,", "Speedo , his sponsor", "Telekom , the German team", "Volvo is the tour 's sponsor"
    r"|(?:[ \t]*,|[ \t]+(?:is|was|are|were))[ \t]+(?:the|a|an|his|her|their|its|[A-Z][\w'’-]*[ \t]*['’]s)[ \t]+"
    r"(?:[\w'’-]+[ \t]+){0,3}?(?:sponsors?|suppliers?|team|company|firm|maker|manufacturer|bank|broadcaster|"
    r"channel|network|newspaper|daily|agency|brand|organi[sz]ers?|federation|venue|resort|town|village|stadium|"
    r"circuit|course)\b(?![ \t]+(?:leader|captain|manager|member|mate|rider|director|boss|chief|coach|doctor|"
    r"owner|chairman|president|champion|player|pro|said|says|added|told|announced|reported|confirmed)\b)", re.I)


def _table_org_names(ctx: Context) -> set[str]:
    """The model's organisation names in the text that a table knows ("Nike") or that end in an
    organisation word: a one-word name joined to one of them by "and" is an organisation too."""
    key = ("table orgs",)
    if key not in ctx._memo:
        ctx._memo[key] = {n for n in ctx.org_names
                          if ctx.organisations.lookup(n) is not None or any(w in ctx.org_words for w in n.split()[-1:])}
    return ctx._memo[key]


def _in_a_capitals_headline(r: RawMention, ctx: Context) -> bool:
    """Whether the mention is in a first line written in capitals ("CYCLING - US POSTAL SIGN
    HINCAPIE ."), where the model reads a recased word; the story's text names it again."""
    line_end = ctx.text.find("\n")
    return 0 <= r.start < line_end and not any(c.islower() for c in ctx.text[:line_end])


#: a reporting clause after a name, no apposition: "signed George Hincapie, the team said"
_REPORTING_CLAUSE_RE = re.compile(r"[ \t]*,[ \t]+(?:the|a|an|his|her|its|their)[ \t]+(?:[\w'’-]+[ \t]+){0,2}?"
                                  r"(?:said|says|added|told|announced|reported|confirmed)\b")


def _org_by_the_words_around(before: str, after: str, ctx: Context) -> bool:
    """The few of :func:`_org_cue`'s clues that hold in a sports story too: "sponsor
    Heineken", "Callaway , which makes his clubs", "Corel , the tournament's sponsor", "Nike
    and Titleist" (joined to a table's organisation). Not "Aamodt and Furuseth" (two surnames
    the model typed organisations) nor "Lewis was its champion" (a role after the name)."""
    last = _last_word(before)
    written = _NAMED_AS_RE.sub("", before).split()[-1:] or [""]
    if (last in ctx.org_nouns and written[0][:1].islower() and _body_noun_names(last, before, after)) or last.endswith("-based"):
        return True
    if after.startswith(", which ") or (_apposition_says(after, ctx) == "organisation"
                                        and not _REPORTING_CLAUSE_RE.match(after)):
        return True
    table_orgs = _table_org_names(ctx)
    for coordinated in (_COORDINATED_BEFORE_RE.search(before), _COORDINATED_AFTER_RE.match(after)):
        # joined to a table's organisation ("Nike and Titleist") or to letters ("Mapei and ONCE")
        if coordinated and (coordinated.group(1).casefold() in table_orgs
                            or (len(coordinated.group(1)) > 1 and coordinated.group(1).isupper())):
            return True
    return False


def _competitor(r: RawMention, name: str, ctx: Context) -> bool:
    """A one-word name the model typed an organisation or a place, in a wire story of a sport
    of individuals ("TENNIS - ...", "CYCLING - ..."): a competitor's surname ("Indurain won",
    "beat Muster"), unless a table knows it, it is a dateline's, or the words around make it a
    team, a venue or an event ("the ONCE team", "in Kitzbuehel", "the Muster Open")."""
    if (" " in name or r.host == DATELINE or not _SURNAME_RE.fullmatch(name) or not solo_sport_story(ctx)
            or ctx.organisations.lookup(name) is not None or ctx.known_acronym(name)
            or ctx.gazetteer.country_code(name) or ctx.gazetteer.demonym_code(name) or name.isupper()
            or is_place_name(name) or _in_a_capitals_headline(r, ctx)):
        return False  # "ORLANDO , Florida": a subdivision the place table leaves out; "CYCLING - US POSTAL ..."
    if not name_cues(name, ctx)[0] and any(_org_by_the_words_around(before, after, ctx)
                                           for before, after in _occurrences(name, ctx)):
        return False
    return not any(_NOT_COMPETITOR_BEFORE_RE.search(before) or _NOT_COMPETITOR_AFTER_RE.match(after)
                   for before, after in _occurrences(name, ctx))


_INITIAL_SURNAME_RE = re.compile(r"[A-Z]\.[ \t]?([A-Z][a-z'’-]+)")


_COMPASS_WORDS = {"N": ("North", "Northern", "New"), "S": ("South", "Southern", "Saudi"), "E": ("East", "Eastern"),
                  "W": ("West", "Western"), "C": ("Central",), "L": ("Latin",)}


def _initial_and_surname(name: str, ctx: Context) -> bool:
    """One initial and one word that is no place or country ("P. Ratnayake"; not "N. Korea",
    "S. Africa"): a person's name as scorecards and lists write it."""
    initialled = _INITIAL_SURNAME_RE.fullmatch(name)
    if not initialled:
        return False
    word = initialled.group(1)
    # "W. Sahara", "N. Dakota", "E. Europe", "C. Asia": a compass point's initial and a place
    spelled = [f"{w} {word}" for w in _COMPASS_WORDS.get(name[0], ())]
    return not any(known_place(n) is not None or ctx.gazetteer.country_code(n) or is_place_name(n)
                   or n.casefold() in ctx.regions for n in [word, name, *spelled])


def _team_of_a_city(name: str, r: RawMention, ctx: Context) -> bool:
    """A city and a plural nickname in a sports story: a team ("Brisbane Broncos", "Perth
    Reds", "Chicago Bulls"), not "Niagara Falls" or "Palm Springs" (places of their own)."""
    words = name.split()
    if not 2 <= len(words) <= 4 or known_place(name) is not None:
        return False
    last = words[-1]
    if not (len(last) > 3 and last.endswith("s") and last[0].isupper() and last[1:].islower()
            and last.casefold() not in ctx.place_last and last.casefold() not in ctx.org_words):
        return False
    city = " ".join(words[:-1])
    if known_place(city) is None or ctx.gazetteer.country_code(city) is not None or _given_name_first(name, ctx):
        return False  # "Lawrence Rees", "Paul Sims" are players
    if solo_sport_story(ctx) or _patronymic(last, ctx):
        return False  # "TENNIS - ...": "Madison Keys"; "Chester Williams", "Charlotte Edwards" are players
    if city.casefold() in _CITY_GIVEN_NAMES and not re.search(
            rf"\bthe[ \t]+(?:{re.escape(city)}[ \t]+)?{re.escape(last)}\b", ctx.text, re.I):
        return False  # "Austin Rivers", "Tyler Myers"; not "the Sydney Kings", "the Hamilton Bulldogs"
    return bool(SPORT_HEADLINE_RE.match(ctx.text[:80]) or _SPORT_WORDS_RE.search(r.sentence or ctx.line_at(r.start)))


def _patronymic(word: str, ctx: Context) -> bool:
    """A surname made of a given name and "s": "Williams", "Edwards", "Roberts", "Hughes"."""
    stem = word.casefold()[:-1]
    return stem in ctx.given_names or (stem.endswith("e") and stem[:-1] in ctx.given_names)


#: towns and cities whose names are common given names too (the given-name lists leave places
#: out): "Austin Rivers", "Madison Keys", "Tyler Myers", "Chandler Jones" are players
_CITY_GIVEN_NAMES = frozenset(
    "austin carson chandler charlotte chester clifton dallas darwin denver dudley florence houston irving "
    "jackson kerry lincoln madison milan orlando paris preston regina shelby troy tyler victoria warwick camden "
    "aurora kingston salvador rosario mercedes florencia guadalupe concepcion asuncion soledad lorena savannah "
    "trenton logan virginia carolina quincy alexandria devon kimberley montgomery hastings cheyenne lafayette "
    "dakota".split())


def _resolve_by_label(r: RawMention, name: str, alias: str, ctx: Context) -> Resolved:
    place = known_place(name)
    if r.label in ("GPE", "LOC", "FAC", "ORG") and _addressed_as_person(r, name, ctx):
        return _named("person", strip_titles(name), r, alias)
    if r.label in ("GPE", "LOC", "FAC", "ORG", "PERSON") and _team_of_a_city(name, r, ctx):
        return _named("organisation", name, r, alias, fixed=True)  # "Brisbane Broncos", "Perth Reds"
    if (r.label in ("GPE", "LOC", "FAC", "ORG", "PERSON") and place is not None and r.host != DATELINE
            and _sports_club(r, name, ctx)):
        return _named("organisation", name, r, alias, fixed=True)
    if (r.label in ("GPE", "LOC", "FAC", "NORP") and name.casefold() in notable_surnames()
            and _notable_surname_as_place(r, name, ctx)):
        return _named("person", name, r, alias)
    if r.label == "GPE" and r.host == ROUTE:
        return _named("place", name, r, alias, place.country if place else None)  # "from Vergeze to Sisteron"
    if r.label in ("GPE", "LOC", "FAC"):
        if place is None and (_looks_like_org(name, ctx) or (name_cues(name, ctx) == (False, True)
                                                             and not _place_by_its_words(name, ctx))):
            return _resolve_org(r, name, ctx)  # not "the Taiwan Strait, the agency said"
        if (place is None and " " in name and name_cues(name, ctx) == (True, False)
                and not _place_by_its_words(name, ctx)) or (place is None and _person_as_place(r, name, ctx)):
            return _named("person", strip_titles(name), r, alias)  # "his rival Prabowo Subianto" (FAC)
        if place is None and _initial_and_surname(name, ctx):
            return _named("person", name, r, alias)  # "To bat: N. Dissanayake, P. Ratnayake"
        if place is None and r.host != DATELINE and (full := _person_of_one_word(r, name, ctx)):
            return _named("person", full, r, alias)  # "Pechstein skated", "Claudia Pechstein" elsewhere
        if place is None and _competitor(r, name, ctx):
            return _named("person", name, r, alias)  # "GOLF - ...": "Norman shot a 66"
        return _named("place", name, r, alias, place.country if place else None)
    if r.label == "NORP":  # a known region or city the model took for a people is a place
        # ("fled towards Kisangani"), if a word of place comes before it somewhere ("Roman",
        # "Naga", "Masai" are peoples and towns both), else a group
        kind = "place" if place and (place.population == 0 or re.search(
            rf"\b(?:in|near|outside|towards?|into|to|from|via|across)\s+{re.escape(name)}\b", ctx.text)) else "group"
        return _named(kind, name, r, alias, place.country if place and kind == "place" else None)
    if place is None and _competitor(r, name, ctx) and not _looks_like_org(name, ctx):
        return _named("person", name, r, alias)  # "CYCLING - ...": "Indurain won", "beat Muster 7-6"
    person_cue, org_cue = name_cues(name, ctx)
    if (r.label in ("PERSON", "ORG") and (_place_by_its_words(name, ctx) or _place_by_the_noun_after(r, ctx)
                                         or _place_by_the_words_before(name, ctx))
            and not org_cue
            and not ctx.organisations.lookup(name) and not _surname_of_place_words(name, ctx)):
        return _named("place", name, r, alias, place.country if place else None)
    if (r.label == "PERSON" and not person_cue and not org_cue and not ctx.organisations.lookup(name)
            and not _given_name_first(name, ctx) and _place_by_the_place_after(r, ctx)):
        return _named("place", name, r, alias, place.country if place else None)
    if (r.label in ("PERSON", "ORG") and not org_cue and ctx.organisations.lookup(name) is not None
            and _surname_of_a_named_person(r, name, ctx)):
        found = _named("person", name, r, alias)  # "Louis Renault was arrested ... Renault died"
    elif r.label == "PERSON" and (ctx.organisations.lookup(name) or _of_a_country(name, ctx)):
        found = _resolve_org(r, name, ctx)  # "Reuters" as a person: the table knows better
    elif r.label == "PERSON" and _initialled_name(name, ctx):
        found = _named("person", name, r, alias)  # "operator George F. Hauser"
    elif (r.label == "PERSON" and person_cue and not org_cue and _given_name_first(name, ctx) and len(name.split()) <= 3
          and name.split()[-1].casefold() in _SURNAME_ORG_WORDS):
        found = _named("person", name, r, alias)  # "David Post, co-founder of ...": "Post" ends no firm here
    elif (r.label in ("PERSON", "ORG") and not org_cue and not ctx.organisations.lookup(name)
          and _surname_as_org_word(name, r.label, person_cue, ctx)
          and (r.label == "PERSON" or (_given_name_first(name, ctx)
                                       and (person_cue or name.split()[-1].casefold() != "church")))):
        # a name the model called an organisation: "Lesley Stahl of CBS News"; a church is named
        # after a given name too ("Grace Church", "Emmanuel Church"), so it needs a person's cue
        found = _named("person", name, r, alias)  # "Senator Frank Church", "Lesley Stahl"; not "Krupp Stahl"
    elif r.label == "PERSON" and (_looks_like_org(name, ctx) or (org_cue and not person_cue)
                                  or (_named_after_city(name) and not person_cue
                                      and not _given_name_first(name, ctx))):
        found = _resolve_org(r, name, ctx)
    elif r.label == "PERSON":
        found = _named("person", name, r, alias)
    elif (r.label == "ORG" and not org_cue and ctx.organisations.lookup(name) is None
          and ((_plain_name(name, ctx) and (person_cue or _given_name_first(name, ctx)))
               or (_lone_surname(name, ctx) and _lone_person_cue(name, ctx))
               or _notable_surname(name, org_cue, ctx))):
        found = _named("person", strip_titles(name), r, alias)
    elif (r.label == "PRODUCT" and place is None and not org_cue and _person_as_place(r, name, ctx)
          and not re.search(r"\b(?:an?|his|her|their|my|new|used)\s+$", ctx.words_before(r.start, 12), re.I)):
        found = _named("person", name, r, alias)  # "before Davor Suker pulled one back" (PRODUCT)
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
    if r.label == TEAM_LABEL:  # a team in a line of results: a club, named as written,
        # but "MIAMI 99", "UTAH 98" (home teams in capitals) are Miami, Utah; "PSV", "CSKA" stay
        cased = title_case(r.text)
        name = cased if r.text.isupper() and (len(r.text) > 4 or known_place(cased)) else r.text
        return [_named("organisation", name, r, r.text, fixed=True)]
    return resolve_name(r, ctx)


# --- 3. linking within the article --------------------------------------------------------------


_BRACKETED_ACRONYM_RE = re.compile(r"\s*\(\s*([A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ&]{1,10})\s*\)")


def _is_group_mention(x: Resolved, ctx: Context) -> bool:
    if x.name.endswith((" cartel", " Cartel")):
        return True  # "the Tijuana cartel", "the Cali Cartel"
    before, after = group_cue_patterns()
    window = ctx.words_before(x.mention.start, 60)
    end = x.mention.end
    if bracket := _BRACKETED_ACRONYM_RE.match(ctx.text, end):
        end = bracket.end()
    elif ctx.text.startswith(")", end):  # the acronym itself, defined in brackets: "... (EMC), the"
        end += 1
    return bool(before.search(window) or after.match(ctx.text, end))
