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

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from spacy.lang.en.stop_words import STOP_WORDS

from newsarchive.nlp.entities.countries import is_place_name, known_place
from newsarchive.nlp.entities.organisations import (
    EPITHET_TITLES,
    LONG_THEN_ACRONYM_RE,
    clean_name,
    legal_forms,
    without_legal_form,
    without_designator,
)
from newsarchive.nlp.entities.mentions import (
    COUNTRY_HIT,
    Context,
    LINK_ONLY_LABELS,
    NAME_LABELS,
    NAMED_KINDS,
    RawMention,
    SURNAME,
    Resolved,
    SEARCH_LIMIT,
    SpanIndex,
    DATELINE,
    TEAM_LABEL,
    _LOCATIVE_BEFORE_RE,
)
from newsarchive.nlp.entities.results import scorecard_people
from newsarchive.nlp.entities.surface import (
    SOLO_SPORT_HEADLINE_RE,
    solo_sport_story,
    _country_of_name,
    _named,
    clean_entity_name,
    drop_overlapped,
    shouted,
    shouted_names,
    split_joined,
    team_lines,
    title_case,
    title_headline_names,
)
from newsarchive.nlp.entities.names import (
    HOME_NATIONS,
    SPORT_HEADLINE_RE,
    _BRACKETED_ACRONYM_RE,
    _is_group_mention,
    _looks_like_org,
    name_cues,
    resolve_one,
)



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
    # "Mullah Omar" -> "Mohammad Omar" where the article wrote "Mullah Mohammad Omar"
    titled = _unique_map(
        (f"{x.alias.split()[0]} {x.name.split()[-1]}", x.name) for x in resolved
        if x.kind == "person" and " " in x.name and x.alias and x.alias.split()[0] in EPITHET_TITLES
        and x.name.split()[0] not in EPITHET_TITLES)
    named = {x.name for x in resolved if x.kind == "person" and " " in x.name and x.name not in titled}
    tails = {" ".join(n.split()[i:]) for n in named for i in range(1, len(n.split()))}
    full_names = named - tails  # "van Zyl" is short for "Pieter van Zyl", not a full name
    by_tail = _unique_map(
        (" ".join(name.split()[i:]), name) for name in full_names for i in range(len(name.split()))
    )
    # A first name links only where no full name ends in it ("Trump" is a surname first).
    by_first = _unique_map((name.split()[0], name) for name in full_names)
    tails = {" ".join(n.split()[i:]) for n in full_names for i in range(len(n.split()))}
    # A middle word of a name of three links where nothing else claims it: the first of two
    # surnames ("Quispe" of "Olga Quispe Mamani", "Salinas" of "Carlos Salinas de Gortari").
    by_middle = _unique_map((word, name) for name in full_names for word in name.split()[1:-1]
                            if len(word) > 3 and word[:1].isupper() and word.isalpha())
    # Not a word a title gives a person of its own ("Crown Prince Abdullah" is not "Ali
    # Abdullah Saleh", "King Hussein" not "Saddam Hussein al-Tikriti").
    alone = {x.name for x in resolved if x.kind == "person" and " " not in x.name and x.alias and " " in x.alias}
    middles = {k: v for k, v in by_middle.items() if k not in tails and k not in by_first and k not in alone}
    return {**middles, **{k: v for k, v in by_first.items() if k not in tails}, **by_tail, **titled}


#: particles of a founder's surname that may open a firm's name ("Van der Heijden Foods")
_FOUNDER_PARTICLES = frozenset("van der den de von du la le di da del".split())


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
        if (len(words) >= 2 and len(words[-1]) > 3 and words[-1][:1].isupper() and words[-1].endswith("s")
                and words[-1].casefold() not in ("times", "news") and is_place_name(" ".join(words[:-1]))):
            pairs.append((words[-1], name))  # a team's nickname: "the Bulls" of "Chicago Bulls"
    # "Florida" is not short for "Florida Supreme Court": a place or country names itself
    return _unique_map((k, v) for k, v in pairs if k != v and not is_place_name(k) and ctx.gazetteer.country_code(k) is None)


def founder_firm_links(resolved: list[Resolved], ctx: Context) -> dict[str, str]:
    """A firm named after its founder and called by the surname: "Kessler" -> "Heinrich
    Kessler" (of "Heinrich Kessler AG"), "Heijden" -> "Van der Heijden Foods". Only a word of
    one organisation's name, after a given name or a particle, no word of the trade ("Foods")
    and no place; followed only where the short name is itself an organisation ("Kessler
    shares rose"), since a person is called by the surname too ("Hincapie rode for Motorola").

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    orgs = {x.name for x in resolved if x.kind == "organisation" and " " in x.name}
    inner = _unique_map((word, name) for name in orgs for i, word in enumerate(name.split()) if i
                        and len(word) > 3 and word[:1].isupper() and word.isalpha()
                        and word.casefold() not in ctx.org_words and word.casefold() not in ctx.generic
                        and all(w.casefold() in ctx.given_names or w.casefold() in _FOUNDER_PARTICLES
                                for w in name.split()[:i]))
    return {k: v for k, v in inner.items() if not is_place_name(k) and ctx.gazetteer.country_code(k) is None
            and ctx.gazetteer.demonym_code(k) is None}


def city_org_links(resolved: list[Resolved], ctx: Context) -> dict[str, str]:
    """City names that begin exactly one longer organisation name ("Toyota" -> "Toyota
    Motor Corp", "Boston" -> "Boston Red Sox"): followed only where the model itself called
    the short name an organisation (a region, "Florida", names itself).

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    pairs = []
    for name in {x.name for x in resolved if x.kind in ("organisation", "group") and " " in x.name
                 and not name_is_cartel(x.name)}:  # "police in Tijuana" is no "Tijuana Cartel"
        first = name.split()[0]
        place = known_place(first)
        if place is not None and place.population > 0 and ctx.gazetteer.country_code(first) is None:
            pairs.append((first, name))
    return _unique_map(pairs)


def club_city_links(resolved: list[Resolved], ctx: Context) -> dict[str, str]:
    """In a wire sports story, the city a club's name begins or ends with -> the one club of
    the story named so ("Dortmund" -> "Borussia Dortmund", "Leverkusen" -> "Bayer
    Leverkusen", "Hamburg" -> "Hamburg SV"; "Munich" stays when "Bayern Munich" and "1860
    Munich" both play). Followed only by a mention already typed an organisation (the
    model's, or a side of a match report): the city itself names itself.

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    if not SPORT_HEADLINE_RE.match(ctx.text[:80]):
        return {}
    sentences: dict[str, set[tuple[str, str]]] = {}  # a name -> the sentences (within a line) it is written in
    for x in resolved:
        if x.kind == "organisation" and x.name in x.mention.text:  # not "Bayer" linked to "Bayer Leverkusen"
            sentences.setdefault(x.name, set()).add((ctx.line_at(x.mention.start), x.mention.sentence or ""))
    pairs = []
    for name in {x.name for x in resolved if x.kind == "organisation" and " " in x.name}:
        words = name.split()
        if any(w.casefold() in _NOT_CLUB_WORDS for w in re.split(r"[\s-]+", name)):  # "Chicago Sun-Times" too
            continue  # "Chicago Tribune", "Liverpool Echo", "Munich Re": the city's paper or firm
        for city in {words[0], words[-1]}:
            if (known_place(city) is not None and ctx.gazetteer.country_code(city) is None
                    and not sentences.get(city, set()) & sentences.get(name, set())):  # "Inter Milan beat Milan"
                pairs.append((city, name))  # a city or a region ("Derby" is both)
    return _unique_map(pairs)


#: words of the names of a city's papers, firms and bodies, which are no clubs
_NOT_CLUB_WORDS = frozenset(
    "times post herald press tribune journal gazette daily news echo globe inquirer sun star chronicle examiner "
    "telegraph mirror mail courier bee register express observer standard bulletin dispatch record radio "
    "television tv bank exchange university college council authority police airport port re stadium arena "
    "committee corporation".split())


def _initials(words: list[str]) -> str | None:
    """"CCB" for "Centre for Cybersecurity Belgium": the initials of the capitalised words,
    for an acronym the article uses without defining it (three letters or more, so that
    two-letter initials do not catch common abbreviations)."""
    capitals = [w[0] for w in words if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 3 and all(c.isalpha() for c in capitals) else None


#: words before a name that say it is a place: "the western city of Aktyubinsk", "in Kono"
_PLACE_BEFORE_RE = re.compile(r"\b(?:(?:city|town|village|port|capital|province|region|district|state|county|"
                              r"island|suburb|area)\s+of|in|near|outside|towards?|into|to|from|via|across)\s+$", re.I)


def _place_after_at(before: str, ctx: Context) -> bool:
    """"traffic at Heathrow", "reserves at Busang": a place; "an analyst at Golden Harbour",
    "an official at Ok Tedi": a job at a firm."""
    words = before.split()
    if len(words) < 2 or words[-1] != "at" or not before[-1:].isspace():
        return False
    job = words[-2].casefold().strip(",;:'\"")
    return job not in ctx.roles and job.rstrip("s") not in ctx.roles


def _relink(x: Resolved, people: dict[str, str], orgs: dict[str, str], kinds: dict[str, str],
            city_orgs: dict[str, str], place_words: frozenset[str] = frozenset(), ctx: Context | None = None) -> None:
    """Point one mention at the person or organisation its name is short for. A surname a
    rule has settled as a person's (a scorecard's "c Rehman b Qureshi") is still that person's."""
    if x.fixed and x.kind == "person" and x.name in people and " " not in x.name:
        x.name = people[x.name]
        return
    if x.fixed or x.kind not in NAMED_KINDS:
        return
    # A "place" is a person's surname only when no city or region has that name ("Hoogland").
    if x.name in people and (x.kind != "place" or x.place is None):
        x.kind, x.name, x.country = "person", people[x.name], None
    elif x.name in orgs and (x.kind in ("organisation", "person", "group")
                             # a "place" no table knows, short for a firm: "an analyst at Golden Harbour"
                             or (x.kind == "place" and x.place is None and not is_place_name(x.name)
                                 and x.mention.host != DATELINE  # not "on Collins Avenue", "Mount Kenya"
                                 and not {w.casefold() for w in x.name.split()} & place_words
                                 and orgs[x.name].split()[-1][:1].isupper()
                                 and ctx is not None and not _PLACE_BEFORE_RE.search(ctx.words_before(x.mention.start, 25))
                                 and not _place_after_at(ctx.words_before(x.mention.start, 40), ctx))):
        x.name, x.country = orgs[x.name], None
        x.kind = kinds.get(x.name, "organisation")
    elif x.name in city_orgs and x.label == "ORG" and x.kind == "organisation":
        x.name, x.place = city_orgs[x.name], None  # "Toyota" said: the company, not the city
        x.kind = kinds.get(x.name, "organisation")


#: A lone "person" that is a city of at least this many people, and no person's surname in
#: the article, is the city: smaller towns share their names with surnames ("Hayes", "Davis").
BIG_CITY_POPULATION = 200_000


_DATELINE_END_RE = re.compile(r"\d{4}-\d{2}-\d{2}\s*$")
#: A match report: a score ("2-1", not a date) and a word of the game in one sentence.
_SCORE_RE = re.compile(r"(?<![\d-])\d{1,3}-\d{1,3}(?![\d-])")
_MATCH_WORDS_RE = re.compile(
    r"\b(?:beat|beats|beating|drew|draw|draws|lost|lose|loses|won|win|wins|defeated|defeat|thrashed|"
    r"edged|routed|scored|goals?|match|league|cup|season|striker|coach|innings|wickets?|game|games)\b", re.I)
#: Right before a club's name in a match report ("beat Valencia 2-1", "lost to Celta Vigo",
#: "held to a 1-1 draw by Porto", "draw 1-1 with Liverpool").
_OPPONENT_BEFORE_RE = re.compile(
    r"\b(?:beat|beating|defeated|thrashed|edged|routed|(?:drew|draw|drawn)\s+(?:\d{1,2}-\d{1,2}\s+)?with|lost to|losing to|"
    r"lose to|against|v|vs|(?:beaten|held|drawn|draw|defeated|defeat|thrashed|knocked out) by)\.?\s+$", re.I)
#: Right after it ("Barcelona beat ...", "Valencia's Predrag Mijatovic" is no cue).
_RESULT_AFTER_RE = re.compile(
    r"\s+(?:\d{1,3}-\d{1,3}\b|(?:beat|beats|drew|draw|lost|lose|won|win|defeated|thrashed|edged|routed|"
    r"held|hold)\b)", re.I)


#: the words before a town named as the venue of a game: "won in Boston", "In Bristol, where ..."
_VENUE_BEFORE_RE = re.compile(r"(?:^|\b)(?:[Ii]n|at)\s+$")
#: ... but not a player's time at a club: "happy at Newcastle", "two seasons at Barcelona"
_MEMBER_AT_RE = re.compile(r"\b(?:happy|unhappy|settled|stay|stays|stayed|staying|future|career|spell|seasons?|years?|"
                           r"months?|time|life|contract|coach|manager|captain)\s+at\s+$", re.I)


def _venue(x: Resolved, ctx: Context) -> bool:
    """A club's town named as the venue of a game ("Hartford won in Boston"), not the side's
    possessive ("in Seattle's 95-90 victory") nor a player's club ("happy at Newcastle")."""
    before = ctx.words_before(x.mention.start, 40)
    return (bool(_VENUE_BEFORE_RE.search(before[-12:])) and not _MEMBER_AT_RE.search(before)
            and not ctx.text.startswith(("'s", "’s", "'", "’"), x.mention.end))


def _club_in_match_report(x: Resolved, ctx: Context) -> bool:
    """A city named as a side in a match report ("Barcelona beat Valencia 2-1 on Saturday"):
    the sentence has a score and a word of the game, and the name is the subject of a result
    or the opponent after "beat", "drew with", "lost to"."""
    sentence = x.mention.sentence or ctx.line_at(x.mention.start)
    if not (_SCORE_RE.search(sentence) and _MATCH_WORDS_RE.search(sentence)):
        return False
    return bool(_RESULT_AFTER_RE.match(ctx.text, x.mention.end)
                or _OPPONENT_BEFORE_RE.search(ctx.words_before(x.mention.start, 20)))


#: Words of club football, beyond those of a result, in one sentence with a club's name.
_CLUB_WORDS_RE = re.compile(
    r"\b(?:striker|defender|midfielder|goalkeeper|manager|club|squad|signed|transfer|table|points?|"
    r"injury|fixtures?|relegation|promotion|champions|players?|games?|match|league|cup|season|goals?|"
    r"forward|comeback|coach|team|side|draw|drew|beat|win|won|victory|defeat|title)\b", re.I)
#: Right before a club's name in a sports story: a player's move, an appearance, a place in
#: the table ("bought from Blackburn", "return for Newcastle", "one point behind Arsenal").
_CLUB_BEFORE_RE = re.compile(
    r"\b(?:(?:bought|signed|joined|moved|transferred|loan)\s+(?:[A-Z][\w'’-]*\s+){0,3}from|"
    r"(?:play|plays|played|playing|return|returns|returned|signed|signs|debut|appearances?)\s+for|"
    r"(?:scored|scores|netted|struck)\s+(?:(?:twice|once|again|two|three|four|both|all|the|a|late|first|second|"
    r"winner|winning|goals?|goal|equaliser|equalizer|third|header)\s+){0,3}for|"
    r"(?:joined|joins|join)|(?:club|side|strugglers|leaders)|"
    r"points?\s+(?:behind|ahead\s+of|clear\s+of)|against|at\s+home\s+to|away\s+to)\s+$", re.I)
#: a game won or lost ("both won on Sunday", "lost 2-0", "won the derby"), not "won the right
#: to host", "won praise", "lost the bid"
_GAME_WON_OR_LOST = (r"(?:won|lost)(?=\s*(?:[,.;:]|$)|\s+(?:on|at|in|away|again|against|by|to|\d)\b|"
                     r"\s+(?:the|their|its|a|an)\s+(?:\w+\s+)?(?:game|match|derby|title|league|cup|tie|final|"
                     r"championship|replay|play-off)s?\b)")
#: Right after it: a side takes a plural verb in British reports ("Newcastle are second"), a
#: result or a place in the table ("Milan both won", "Karlsruhe went top", "Cologne and
#: Hamburg drew 1-1"), a relative clause of the table ("Karlsruhe, who lead Bayern"), or a
#: player's position after a possessive ("Hamburg's Danish defender").
_CLUB_AFTER_RE = re.compile(
    r"\s+(?:are|were|have)\s+(?!been\b)"
    rf"|\s+(?:both\s+|also\s+)?{_GAME_WON_OR_LOST}"
    r"|\s+(?:both\s+|also\s+)?(?:drew|beat|thrashed|crushed|routed|went\s+top|go\s+top|goes\s+top|"
    r"stayed\s+top|stay\s+top|moved\s+(?:up|top|clear)|climbed|slipped\s+to)\b"
    rf"|\s+and\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:both\s+)?(?:drew\b|{_GAME_WON_OR_LOST})"
    r"|\s*,\s+who\s+(?:lead|led|trail|top|are|were|play|sit|host)\b"
    # a place in the table kept, the side's goals, players and staff: "Liverpool stayed second",
    # "both Newcastle goals", "Newcastle manager Colin Ashworth"
    r"|\s+(?:stayed|stay|stays|remained|remain|remains|climbed|moved|went|go|goes|slipped|dropped)\s+"
    r"(?:second|third|fourth|fifth|sixth|bottom|level|clear)\b"
    r"|\s+(?:goals?|manager|coach|striker|defender|midfielder|goalkeeper)\b"  # not "fans": "the Sydney fans" at a Test
    # a player of the side: "Hamburg's Danish defender Jesper Holm"
    r"|['’]s\s+(?:[A-Z][a-z]+\s+)?(?:defender|striker|midfielder|goalkeeper|keeper|forward|winger|sweeper|"
    r"full-back|playmaker|coach|manager|captain)\b")


#: the other side of a fixture written with "v" ("Blackburn Rovers v Sunderland")
_FIXTURE_BEFORE_RE = re.compile(r"[A-Z][\w.'’&-]*[ \t]+vs?\.?[ \t]+$")
_FIXTURE_AFTER_RE = re.compile(r"[ \t]+vs?\.?[ \t]+[A-Z]")


def _club_in_sports_story(x: Resolved, ctx: Context) -> bool:
    """A city named as a side in a sports story that gives no score: the story's first line
    is a wire sports headline ("SOCCER - ..."), the sentence speaks of the game ("striker",
    "table") and the name follows a player's move or an appearance ("bought from
    Blackburn", "return for Newcastle", "against Tottenham", "one point behind Arsenal") or
    takes a plural verb ("Newcastle are second")."""
    if not SPORT_HEADLINE_RE.match(ctx.text[:80]):
        return False
    if ((_FIXTURE_BEFORE_RE.search(ctx.words_before(x.mention.start, 40))
         or _FIXTURE_AFTER_RE.match(ctx.text, x.mention.end)) and not solo_sport_story(ctx)):
        return True  # a fixture: "Playing on Sunday: Blackburn Rovers v Sunderland"
    sentence = x.mention.sentence or ctx.line_at(x.mention.start)
    if not _CLUB_WORDS_RE.search(sentence):
        return False
    return bool(_CLUB_AFTER_RE.match(ctx.text, x.mention.end)
                or _CLUB_BEFORE_RE.search(ctx.words_before(x.mention.start, 30)))


def _listed_after(before: str) -> str | None:
    """The word before a listing "and" or comma that ends ``before`` ("Mopti and" -> "Mopti",
    "Gao," -> "Gao"), or None when it ends in neither."""
    text = before.rstrip()
    if text.endswith(","):
        text = text[:-1]
    elif text.endswith(" and") or text == "and":
        text = text[:-3]
    else:
        return None
    words = text.split()
    return words[-1].strip("\"'’“”()") if words else ""


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
        if x.place.population >= BIG_CITY_POPULATION and x.name[:1].isupper() and not name_cues(x.name, ctx)[0]:
            return True  # "Sydney", "Kiev" alone, linked to no person and with no cue of one
        before = ctx.words_before(x.mention.start, 40)
        if not _LOCATIVE_BEFORE_RE.search(before):
            return False
        # "and" or a comma lists places only after a place ("Gao, Timbuktu", "Mopti and
        # Gao"), not after a person or a date ("Brooks and Carson", "By 1962, Carson")
        listed = _listed_after(before)
        return listed is None or known_place(listed) is not None
    return False


def link_names(resolved: list[Resolved], ctx: Context) -> list[Resolved]:
    """Link names within the article and settle kinds (step 5 of the module docstring).

    :param resolved: the article's resolved mentions, changed in place
    :param ctx: the article context
    """
    people = person_links(resolved)
    orgs = org_links(resolved, ctx)
    founders = founder_firm_links(resolved, ctx)
    city_orgs = city_org_links(resolved, ctx)
    kinds = {x.name: x.kind for x in resolved if x.kind in ("organisation", "group")}
    teams = {x.name for x in resolved if x.label == TEAM_LABEL}
    for x in resolved:
        if x.kind == "organisation" and not x.fixed and x.name in founders and x.name not in orgs:
            x.name = founders[x.name]  # "Kessler shares rose" after "Heinrich Kessler AG"
        _relink(x, people, orgs, kinds, city_orgs, ctx.place_last | ctx.place_first, ctx)
        if _becomes_place(x, ctx):
            x.kind, x.country = "place", x.place.country
        if (x.name in teams and x.kind in ("person", "place") and not x.fixed and x.mention.host != DATELINE
                and not _venue(x, ctx)):
            x.kind, x.country = "organisation", None  # "Aston Villa 30 18 6 6" below "... 2 Aston Villa 0"
    clubs = {x.name for x in resolved if x.kind in ("place", "person") and not x.fixed and " " not in x.name
             and x.name.casefold() not in HOME_NATIONS  # "Scotland were held by Austria": a nation, a place
             and (x.place or known_place(x.name)) is not None
             and (_club_in_match_report(x, ctx) or _club_in_sports_story(x, ctx))}
    for x in resolved:
        if (x.name in clubs and x.kind in ("place", "person") and not x.fixed
                and x.mention.host != DATELINE and not _DATELINE_END_RE.search(ctx.line_at(x.mention.start))
                and not _venue(x, ctx)):
            x.kind, x.country = "organisation", None  # every mention of the side ("for Barcelona"), not the dateline
            # nor the town as the venue ("Hartford won in Boston")
    if club_links := club_city_links(resolved, ctx):
        for x in resolved:
            if x.kind == "organisation" and (not x.fixed or " " not in x.name) and x.name in club_links:
                x.name, x.place = club_links[x.name], None  # "for Leverkusen": Bayer Leverkusen
    group_names = {
        x.name for x in resolved if x.kind in ("organisation", "group", "person", "place") and _is_group_mention(x, ctx)
    }
    kept = []
    for x in resolved:
        if (x.kind in ("organisation", "person", "place") and x.name in group_names
                and (not x.fixed or x.mention.host == DEFINED_ACRONYM)):  # "the ELN" of a guerrilla group
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


#: a firm's name, its legal form, "of" and a country, as one model entity
_FORM_OF_COUNTRY_RE = re.compile(r"^(.+?[ \t]([A-Za-z.]+))[ \t]+of[ \t]+(?:the[ \t]+)?(\S.*)$")


def _named_by_trade(words: list[str], ctx: Context) -> bool:
    """Whether a firm's name before its legal form is only common words of trade, so that the
    country after it is part of the name: "Food Corp of India", "Life Insurance Corp of India",
    "Power Corp of Canada" (not "Tasman Resources Ltd of Australia")."""
    from wordfreq import zipf_frequency

    return bool(words) and all(
        w.casefold() in ctx.org_words or (zipf_frequency(w.casefold(), "en") >= 3.5 and not is_place_name(w)
                                          and ctx.gazetteer.demonym_code(w) is None
                                          and ctx.gazetteer.country_code(w) is None
                                          and w.casefold() not in ctx.given_names)
        for w in words if w.casefold() not in ("and", "of", "&"))


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
        home = _FORM_OF_COUNTRY_RE.match(r.text) if r.label == "ORG" else None
        if (home and home.group(2).casefold().rstrip(".") in legal_forms()
                and (hit := countries.get(r.start + home.start(3))) is not None and hit.end == r.end
                and not _named_by_trade(home.group(1).split()[:-1], ctx)):
            # "Norland Petroleum Corp of Canada": the firm, and where it is from (the hit stays)
            r = RawMention("ORG", home.group(1), r.start, r.start + home.end(1), r.sentence)
        of = _OF_RE.match(ctx.text, r.end) if r.label == "ORG" else None
        country = countries.get(of.end()) if of else None
        # a company's legal form ends its name: "Exxon Corp of the United States" is the
        # company and where it is from
        ends_in_form = r.text.split()[-1].casefold().rstrip(".") in legal_forms() if r.text.split() else False
        if ends_in_form and country is not None:  # but a state firm named by its trade keeps it: "The Food
            words = r.text.split()[:-1]  # Corp of India", which the model ends at "of"
            ends_in_form = not _named_by_trade(words[1:] if words[:1] == ["The"] else words, ctx)
        if country is not None and r.text[-1:].isalnum() and not ends_in_form:
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


#: "Energy and Mines Ministry": portfolios joined by "and" before a ministry's word, which the
#: model cuts after the "and"
_PORTFOLIOS_BEFORE_RE = re.compile(r"(?:[A-Z][a-z]+,[ \t]+)*[A-Z][a-z]+[ \t]+(?:and|&)[ \t]+$")
_PORTFOLIO_BODIES = frozenset("ministry ministries department committee commission secretariat".split())
#: the portfolios that may stand before "and" ("Energy and Mines"); not other bodies, places or
#: people ("White House and State Department officials", "Police and Interior Ministry")
_PORTFOLIOS = frozenset("agriculture fisheries forestry forests food energy mines mining minerals oil gas petroleum power "
                        "water trade industry industries commerce finance economy economic planning budget labor labour "
                        "employment social welfare health education culture sports sport youth science technology research "
                        "transport transportation communications posts telecommunications information tourism justice home "
                        "interior defence defense security environment housing construction public works lands land rural "
                        "urban development cooperation religious family women children arts natural resources human "
                        "veterans legal constitutional privatisation privatization reconstruction rules ways "
                        "administration immigration ethnic relations".split())


def joined_portfolios(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A ministry named by two portfolios joined by "and" ("the Energy and Mines Ministry",
    "the Trade and Industry Department"): the model's "Mines Ministry" takes in the first.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    out = []
    for r in raws:
        words = r.text.split()
        if (r.label == "ORG" and 2 <= len(words) <= 3 and words[-1].casefold() in _PORTFOLIO_BODIES
                and words[0][:1].isupper() and (before := _PORTFOLIOS_BEFORE_RE.search(ctx.text, max(0, r.start - 60), r.start))
                and before.end() == r.start
                and all(w.strip(",").casefold() in _PORTFOLIOS for w in before.group(0).split()[:-1])):
            r = RawMention("ORG", ctx.text[before.start() : r.end], before.start(), r.end, r.sentence, r.code, r.host)
        out.append(r)
    return out


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


#: words before a country's name that make it the country, even where a player has its name
#: as a surname ("won in Jordan", "flew to Jordan")
_COUNTRY_BEFORE_RE = re.compile(r"\b(?:in|to|from|into|of|for|against|visit|visited|visits|across)\s+$", re.I)


def surname_countries(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """In a wire sports story, a country's name that is the surname of a competitor the story
    names in full before ("Dean Jordan (Australia) ... Jordan, ranked 64th, beat Lebedinsky"),
    unless a preposition of place stands before it or a possessive after it.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    head = ctx.text[:120]
    if not (SPORT_HEADLINE_RE.match(head) or SOLO_SPORT_HEADLINE_RE.match(head)):
        return raws
    people = [(r.start, r.end) for r in raws if r.label == "PERSON"]
    first_named: dict[str, int] = {}  # a country's name -> where a given name first stands before it
    for name in {title_case(r.text) for r in raws if r.label == COUNTRY_HIT and " " not in r.text}:
        for full in re.finditer(rf"\b([A-Z][a-z'’-]+)[ \t]+{re.escape(name)}\b", ctx.text[:SEARCH_LIMIT]):
            if full.group(1).casefold() in ctx.given_names:
                first_named[name] = full.end()
                break
        for r in raws:  # or a full name the model found ("Dean Jordan")
            if r.label == "PERSON" and len(r.text.split()) >= 2 and r.text.split()[-1] == name:
                first_named[name] = min(first_named.get(name, r.end), r.end)
    if not first_named:
        return raws
    spans, headline, kept = set(), set(), set()
    for r in raws:
        name = title_case(r.text)
        if r.label not in (COUNTRY_HIT, "GPE") or name not in first_named:
            continue
        if shouted(ctx.line_at(r.start)):  # "TENNIS - ... JORDAN DRAWS LEBEDINSKY": not "JORDAN:", "IN JORDAN"
            if not (ctx.text.startswith(":", r.end) or _COUNTRY_BEFORE_RE.search(ctx.words_before(r.start, 20))):
                headline.add((r.start, r.end, name))
        elif any(a <= r.start and r.end <= b for a, b in people):
            continue  # the surname inside the full name
        elif (r.start < first_named[name]  # "Dean Jordan (Australia)" first, then "Jordan, ranked 64th"
              or _COUNTRY_BEFORE_RE.search(ctx.words_before(r.start, 20))
              or ctx.text.startswith(("'s", "’s"), r.end)):
            kept.add(name)
        else:
            spans.add((r.start, r.end))
    # the headline's word is the competitor where the body's mentions all are
    converted = {title_case(ctx.text[a:b]) for a, b in spans}
    spans |= {(a, b) for a, b, name in headline if name in converted and name not in kept}
    if not spans:
        return raws
    out = [r for r in raws if not (r.label in (COUNTRY_HIT, "GPE") and (r.start, r.end) in spans)]
    out += [RawMention("PERSON", title_case(ctx.text[a:b]), a, b, ctx.line_at(a), host=SURNAME) for a, b in sorted(spans)]
    return sorted(out, key=lambda r: (r.start, -r.end))


def resolve_mentions(text: str, raws: list[RawMention]) -> list[Resolved]:
    """Resolve and link every raw mention of one article.

    :param text: the article text
    :param raws: its raw mentions
    """
    ctx = Context.for_text(text)
    raws = title_headline_names(split_joined(particle_names(particle_places(cartel_mentions(surname_countries(raws, ctx), ctx),
                                                                            ctx), ctx), ctx), ctx)
    raws = scorecard_people(clubs_before_positions(team_lines(shouted_names(raws, ctx), ctx), ctx), ctx)
    raws = country_led_organisations(organisations_of_countries(raws, ctx), ctx)
    raws = drop_overlapped(listed_names(joined_portfolios(raws, ctx), ctx), ctx)
    raws = _sign_offs(_parties_before_acronyms(raws, ctx), ctx)
    _acronyms_after_orgs(raws, ctx)
    raws = party_seat_mentions(named_party_mentions(defined_acronym_mentions(acronym_long_form_mentions(raws, ctx), ctx),
                                                    ctx), ctx)
    ctx.org_names = {clean_entity_name(r).casefold() for r in raws if r.label == "ORG"}
    resolved = [x for r in raws for x in resolve_one(r, ctx)]
    return headline_mentions(surname_mentions(coordinated_places(link_names(_dedupe(resolved), ctx), ctx), ctx), ctx)


def headline_mentions(resolved: list[Resolved], ctx: Context) -> list[Resolved]:
    """An organisation or a place the body names, written in capitals in the headline
    ("CHRYSLER RECALLS MINIVANS" over "Chrysler Corp said ..."): the model misreads
    headlines in capitals, and :func:`shouted_names` keeps there only what our tables know.
    Names of four letters or more, in a line in capitals near the top, not inside another
    mention, and not written in lower case in the article ("Rally" the club, "rally" the word).

    :param resolved: the article's resolved mentions
    :param ctx: the article context
    """
    head = ctx.text[:HEADLINE_REACH]
    shouted_text = " ".join(line for line in head.splitlines() if shouted(line))
    if not shouted_text or len(ctx.text) > SEARCH_LIMIT:
        return resolved
    taken = SpanIndex(x.mention for x in resolved)
    added: list[Resolved] = []
    seen: set[tuple[str, str]] = set()
    lower_words = ctx.lower_words()
    for x in resolved:
        if x.kind not in ("organisation", "place") or (x.kind, x.key) in seen:
            continue
        seen.add((x.kind, x.key))
        known = ctx.organisations.lookup(x.name)
        if known is not None and known.ambiguous:
            continue  # "SHELL ATTACK KILLS FIVE": the company's name is a word too
        for written in {x.name, x.alias}:
            if len(written) < 4 or not written[:1].isupper() or written.upper() == written:
                continue
            if written.upper() not in shouted_text:
                continue  # not in the headline
            if (written.lower() in lower_words if " " not in written
                    else re.search(rf"(?<![\w-]){re.escape(written.lower())}(?![\w-])", ctx.text)):
                continue  # written in lower case in the article: a word ("rally"), not only a name
            for match in re.compile(rf"(?<![\w.-]){re.escape(written.upper())}(?![\w-])").finditer(head):
                raw = RawMention(x.mention.label or "ORG", match.group(0), match.start(), match.end(), "")
                if not taken.overlapping(raw) and shouted(ctx.line_at(match.start())):
                    added.append(replace(x, mention=raw, alias=match.group(0)))
                    taken = SpanIndex([*(y.mention for y in resolved), *(y.mention for y in added)])
    return resolved + added


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


#: a legislator's party and seat in brackets after a name: "(BN-Ledang)", "(DAP-Teluk Intan)",
#: "(R-Texas)"; the party is an acronym of two letters or more to be named
_PARTY_SEAT_BRACKET_RE = re.compile(r"\([ \t]*([A-Z]{1,4})[ \t]*-[ \t]*([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})[ \t]*\)")


_COMPANY_SUFFIX_RE = re.compile(r"\b(?:AG|Inc|Corp|Co|Plc|PLC|Ltd|SA|NV|Bhd|Berhad|Group|Holdings|Bank|Airlines)\.?$")


def party_seat_mentions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The party and the seat in brackets after a person's name ("Hashim Ismail (BN-Ledang)"):
    the party's acronym is an organisation (two letters or more: "BN", "DAP"; not the "R" of
    "(R-Texas)") and the seat a place, where the model read the bracket as one name or nothing.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if "-" not in ctx.text or len(ctx.text) > SEARCH_LIMIT:
        return raws
    # the names the model found (a person, or a person it took for an organisation), by end
    names_end = {r.end: r for r in raws if r.label in ("PERSON", "ORG") and 2 <= len(r.text.split()) <= 4}
    found = []
    for match in _PARTY_SEAT_BRACKET_RE.finditer(ctx.text):
        end = match.start()
        while end > 0 and ctx.text[end - 1] in " \t":
            end -= 1
        if end not in names_end:
            continue
        if ctx.organisations.lookup(match.group(2)) or ctx.organisations.lookup(ctx.text[match.start(1):match.end(2)]):
            continue  # "(AP-Dow Jones)": an agency's credit, not a party and a seat
        org = names_end[end]
        if org.label == "ORG" and (ctx.organisations.lookup(clean_entity_name(org))
                                   or _COMPANY_SUFFIX_RE.search(org.text)):
            continue  # "Deutsche Bank AG (DBK-Frankfurt)": a company's ticker and its exchange
        if len(match.group(1)) >= 2:
            found.append(RawMention("ORG", match.group(1), match.start(1), match.end(1), ctx.line_at(match.start())))
        found.append(RawMention("GPE", match.group(2), match.start(2), match.end(2), ctx.line_at(match.start())))
    if not found:
        return raws
    spans = SpanIndex(found)
    kept = [r for r in raws if r.label == COUNTRY_HIT or not spans.overlapping(r)]
    return sorted(kept + found, key=lambda r: (r.start, -r.end))


#: the particles between a given name and a surname: "Rolf van der Berg", "Maria de la Cruz"
_PARTICLES_BETWEEN_RE = re.compile(r"[ \t]+(?:van[ \t]+der|van[ \t]+den|van[ \t]+de|van|von[ \t]+der|von|de[ \t]+la|"
                                   r"de|del|della|da|di|du|dos|das|ter|ten)[ \t]+")


def particle_names(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A given name and a surname the model found apart at the particle between them ("Rolf"
    and "Berg" of "Rolf van der Berg"): one person.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    ordered = sorted(raws, key=lambda r: (r.start, -r.end))
    names = [r for r in ordered if r.label in ("PERSON", "ORG", "GPE", "NORP")]
    joined: dict[int, RawMention] = {}
    gone: set[int] = set()
    for a, b in zip(names, names[1:]):
        first = a.text.split()[0] if a.text.split() else ""
        # the model may take the particle's first word into the given name: "Rolf van" + "Berg"
        given_end = a.start + len(a.text) - len(a.text.lstrip()) + len(first)
        if (((a.label == "PERSON" and b.label == "PERSON") or first.casefold() in ctx.given_names)
                and first[:1].isupper() and first.isalpha()
                and _PARTICLES_BETWEEN_RE.fullmatch(ctx.text, given_end, b.start) and " " not in b.text.strip()
                and b.text[:1].isupper() and id(a) not in gone
                # "Santiago de Cuba", "Santiago de Chile": a city named after a saint and a place
                and b.label != "GPE" and known_place(b.text.strip()) is None
                and not ctx.gazetteer.country_code(b.text.strip())):
            gone.update((id(a), id(b)))
            joined[id(a)] = RawMention("PERSON", ctx.text[a.start : b.end], a.start, b.end, a.sentence)
    if not joined:
        return raws
    return [joined.get(id(r), r) for r in ordered if id(r) not in gone or id(r) in joined]


#: particles of Romance place names ("San Cristobal de las Casas", "Mar del Plata")
_CITY_PARTICLES = frozenset("de del da do dos das di du des la las los el y".split())
_PARTICLE = "|".join(sorted(_CITY_PARTICLES))
#: capitalised words and those particles between them, from a name's start
_PARTICLE_RUN_RE = re.compile(rf"[A-ZÀ-Þ][\w'’-]*(?:[ \t]+(?:(?i:{_PARTICLE})[ \t]+)*"
                              r"[A-ZÀ-Þ][\w'’-]*){0,7}")
_PARTICLE_BETWEEN_WORDS_RE = re.compile(rf"\s(?:{_PARTICLE})\s", re.I)


#: a side's name (one to three capitalised words), a player's position, and the player's name:
#: "Toulouse centre Laurent Bastiat", "London Irish winger Declan Mulcahy"
_CLUB_POSITION_RE = re.compile(
    r"(?<![\w'’.-])(?P<club>[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,2})[ \t]+"
    r"(?:centre|center|fly-half|scrum-half|winger|wing|prop|hooker|lock|flanker|full-back|fullback|number[ \t]+eight|"
    r"striker|defender|midfielder|goalkeeper|keeper|forward|guard|quarterback|pitcher|catcher|wicketkeeper|"
    r"batsman|bowler|spinner|opener|playmaker|sweeper|left-back|right-back|centre-back|captain|coach|manager)"
    r"[ \t]+[A-Z][\w'’-]+[ \t]+[A-Z]")
#: a word this common (wordfreq's Zipf scale) before a position is a word of the sentence
#: ("Veteran", "Injured"), not of a side's name, unless a table knows it
_CLUB_WORD_ZIPF = 4.0


def clubs_before_positions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """In a team sport's story, a side named right before a player's position and name
    ("Toulouse centre Laurent Bastiat", "Brive fly-half Olivier Lamarque"), where the model
    marked nothing there or only a place or a people ("London" and "Irish" of "London Irish
    winger Declan Mulcahy"), is a team. A country or a home nation there is the national side
    and is left to the country hits; a common word at a sentence's start is no side.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if not SPORT_HEADLINE_RE.match(ctx.text[:80]) or solo_sport_story(ctx) or len(ctx.text) > SEARCH_LIMIT:
        return raws
    from wordfreq import zipf_frequency  # loaded once, by the headline rules too

    taken = sorted(raws, key=lambda r: r.start)
    added: list[RawMention] = []
    gone: set[int] = set()
    lower_words = ctx.lower_words()
    for match in _CLUB_POSITION_RE.finditer(ctx.text):
        words = match.group("club").split()
        start = match.start("club")
        while words and not (len(words) > 1 and is_place_name(" ".join(words))) and (
                         words[0].casefold() in lower_words or words[0].casefold() in ctx.roles
                         or (zipf_frequency(words[0].casefold(), "en") >= _CLUB_WORD_ZIPF
                             and known_place(words[0]) is None and ctx.gazetteer.country_code(words[0]) is None
                             and ctx.organisations.lookup(words[0]) is None)):
            start = ctx.text.index(words[1], start + len(words[0])) if len(words) > 1 else match.end("club")
            words = words[1:]  # "Veteran Brive winger ...": the side is "Brive"
        name = " ".join(words)
        end = match.end("club")
        if (not name or ctx.gazetteer.country_code(name) or name.casefold() in HOME_NATIONS
                or name.casefold() in ctx.given_names or name.endswith("-born")
                or ctx.gazetteer.demonym_code(name)):
            # "Brazilian striker", "Bosnian-born striker": a player's nationality
            continue
        over = [r for r in taken if r.start < end and r.end > start]
        if any(r.label not in ("GPE", "NORP", "LOC", COUNTRY_HIT) or r.start < start or r.end > end for r in over):
            continue  # the model's own organisation or person there, or a name running past the side's
        gone.update(id(r) for r in over)
        added.append(RawMention(TEAM_LABEL, name, start, end, ctx.line_at(start)))
    if not added:
        return raws
    return sorted([r for r in raws if id(r) not in gone] + added, key=lambda r: (r.start, -r.end))


_PARTICLE_IN_TEXT_RE = re.compile(rf"[A-ZÀ-Þ][\w'’-]*[ \t]+(?i:{_PARTICLE})[ \t]+[A-ZÀ-Þa-z]")


#: a drug cartel named after its city: "the Tijuana cartel", "the Cali cartel"
_CARTEL_RE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)[ \t]+[Cc]artel\b"
                        # not the antitrust office or its work: "the Berlin cartel office", "a Brussels cartel probe"
                        r"(?![ \t]+(?:office|offices|authority|authorities|watchdog|inquiry|investigation|probe|case|cases|"
                        r"rules?|laws?|ruling|fines?|court|regulators?|meeting|talks)\b)")


def name_is_cartel(name: str) -> bool:
    """Whether ``name`` is a cartel's, as :func:`cartel_mentions` writes them."""
    return name.endswith(" Cartel")


def cartel_mentions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A cartel named after its city is a group, whose name keeps the word ("the Tijuana
    cartel"): one mention for the whole, in place of the town the model found in it; the town
    named elsewhere stays a place.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if "artel" not in ctx.text or len(ctx.text) > SEARCH_LIMIT:
        return raws
    out = list(raws)
    for match in _CARTEL_RE.finditer(ctx.text):
        start, end = match.start(1), match.end()
        inside = [r for r in out if r.start < end and r.end > start]
        if any(r.start < start or r.end > end for r in inside) or any(r.label == COUNTRY_HIT for r in inside):
            continue  # "Colombia's Cali cartel" is left as found, and so is a country's name
        out = [r for r in out if r not in inside]
        # written with a capital so that the cartel's word stays in its name
        out.append(RawMention("ORG", f"{match.group(1)} Cartel", start, end, ctx.line_at(start)))
    return sorted(out, key=lambda r: (r.start, -r.end))


def particle_places(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A city whose name has particles, which the model cut or ended there ("San Cristobal de"
    and "Casas" of "San Cristobal de las Casas", "Mar del Plata"): the longest run of
    capitalised words and particles from a mention's start that names a known city becomes
    one place mention, in place of the pieces.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if len(ctx.text) > SEARCH_LIMIT or not _PARTICLE_IN_TEXT_RE.search(ctx.text):
        return raws
    out = sorted(raws, key=lambda r: (r.start, -r.end))
    gone: set[int] = set()
    for r in list(out):
        if r.label not in ("GPE", "LOC", "FAC", "ORG", "PERSON") or id(r) in gone:
            continue
        start = r.start + (4 if r.text[:4].casefold() == "the " else 0)
        run = _PARTICLE_RUN_RE.match(ctx.text, start)
        if run is None or run.end() < r.end or not _PARTICLE_BETWEEN_WORDS_RE.search(run.group(0)):
            continue
        words = run.group(0).split()
        for count in range(len(words), 2, -1):
            if words[count - 1][:1].islower() or words[count - 1].casefold() in _CITY_PARTICLES:
                continue
            name = " ".join(words[:count])
            place = known_place(name)
            end = start + len(re.match(r"\S+(?:\s+\S+){%d}" % (count - 1), run.group(0)).group(0))
            if (place is not None and place.population and " " in name
                    and (end > r.end or (end == r.end and r.label != "GPE"
                                         # a side named so in a sports story: "Vasco da Gama beat Flamengo"
                                         and not (r.label == "ORG" and SPORT_HEADLINE_RE.match(ctx.text[:80]))))):
                # (a whole span of the model's: "Mar del Plata" its PERSON)
                pieces = [x for x in out if x.start < end and x.end > start and x.label in NAME_LABELS]
                gone.update(id(x) for x in pieces)
                out = [x for x in out if id(x) not in gone]
                written = ctx.text[start:end]
                out.append(RawMention("GPE", title_case(written) if written.isupper() else written, start, end,
                                      ctx.line_at(start)))
                break
    return sorted(out, key=lambda r: (r.start, -r.end))


def _opens_sentence(start: int, ctx: Context) -> bool:
    """Whether a word at ``start`` begins a sentence or a line (its capital says nothing)."""
    before = ctx.text[max(0, start - 3) : start]
    return start == 0 or not before.strip() or before.rstrip()[-1:] in ".!?\"\n:"


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
    given: dict[str, set[str]] = {}
    for x in people:
        surnames.setdefault(x.name.split()[-1], set()).add(x.name)
        given.setdefault(x.name.split()[0], set()).add(x.name)
    taken = SpanIndex(x.mention for x in resolved)
    added: list[Resolved] = []
    for surname, names in surnames.items():
        if len(names) != 1 or len(surname) < 3 or not surname[:1].isupper():
            continue
        full = next(iter(names))
        given_name_only = len(given[full.split()[0]]) == 1
        for match in re.finditer(rf"(?<![\w.-]){re.escape(surname)}(?![\w-])", ctx.text):
            raw = RawMention("PERSON", surname, match.start(), match.end(), "")
            if taken.overlapping(raw):
                continue
            if _opens_sentence(match.start(), ctx) and not re.match(r"\s+(?:said|says|told|added)\b|\s*[(,]",
                                                                     ctx.text[match.end() :]):
                continue
            added.append(Resolved("person", full, full.casefold(), None, raw, surname, label="PERSON"))
        if given_name_only and full.split()[0].casefold() in ctx.given_names:
            added.extend(_given_name_mentions(full, taken, ctx))
        if len(surname) < 4 or not surname.isalpha() or surname.lower() in ctx.lower_words():
            continue  # a surname the article also writes as a common word ("bill", "major")
        for match in re.compile(rf"(?<![\w.-]){re.escape(surname.upper())}(?![\w-])").finditer(ctx.text, 0, HEADLINE_REACH):
            raw = RawMention("PERSON", match.group(0), match.start(), match.end(), "")
            if not taken.overlapping(raw) and shouted(ctx.line_at(match.start())):  # "CLINTON SIGNS WELFARE BILL"
                added.append(Resolved("person", full, full.casefold(), None, raw, match.group(0), label="PERSON"))
    return resolved + added


#: a headline in capitals is looked for in this much of the text
HEADLINE_REACH = 400


#: given names that are also months, days or common verbs: "in May", "Will it ..."
_CALENDAR_AND_VERBS = frozenset("january february march april may june july august september october november "
                                "december monday tuesday wednesday thursday friday saturday sunday will said can "
                                "mark bill grant hope rose".split())


def _given_name_mentions(full: str, taken: SpanIndex, ctx: Context) -> list[Resolved]:
    """The given name of the one person of the article who has it, written alone ("Mario J.
    Lucero and Isabel Ruiz ... me and Isabel"): a mention of that person, as the surname is;
    not followed by a capitalised word (another person's full name) and not at the start of
    a sentence unless a verb of saying or a colon follows."""
    first = full.split()[0]
    if len(first) < 3 or not first.isalpha() or first.casefold() in _CALENDAR_AND_VERBS:
        return []
    found = []
    for match in re.finditer(rf"(?<![\w.-]){re.escape(first)}(?![\w-])", ctx.text):
        raw = RawMention("PERSON", first, match.start(), match.end(), "")
        if taken.overlapping(raw) or re.match(r"\s+[A-Z]", ctx.text[match.end() : match.end() + 3]):
            continue
        if _opens_sentence(match.start(), ctx) and not re.match(r"\s+(?:said|says|told|added)\b|\s*:",
                                                                 ctx.text[match.end() :]):
            continue
        found.append(Resolved("person", full, full.casefold(), None, raw, first, label="PERSON"))
    return found




#: a wire story's sign-off: "-- Buenos Aires Newsroom +541 318 0668", "-- London Commodities Desk"
_SIGN_OFF_RE = re.compile(r"^[ \t]*-{1,2}[ \t]*((?:[A-Z][\w.'’-]*[ \t]+){1,4}(?:Newsroom|Desk|Bureau))\b", re.M)


def _sign_offs(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The newsroom of a sign-off as one organisation, whatever the model made of its words
    ("Newsroom" a person, "Buenos Aires" nothing)."""
    if "--" not in ctx.text and "\n-" not in ctx.text:
        return raws
    found = [RawMention("ORG", m.group(1), m.start(1), m.end(1), ctx.line_at(m.start(1)))
             for m in _SIGN_OFF_RE.finditer(ctx.text, 0, SEARCH_LIMIT)]
    if not found:
        return raws
    spans = SpanIndex(found)
    kept = [r for r in raws if r.label == COUNTRY_HIT or not spans.overlapping(r)]
    return sorted(kept + found, key=lambda r: (r.start, -r.end))


def _parties_before_acronyms(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """"Kohl's Christian Democrats (CDU)": a people's name the model gave (NORP) right before
    an acronym in brackets is an organisation, a party most often."""
    out = []
    for r in raws:
        bracket = _BRACKETED_ACRONYM_RE.match(ctx.text, r.end) if r.label == "NORP" and " " in r.text.strip() else None
        if bracket and sum(c.isupper() for c in bracket.group(1)) >= 2:
            r = RawMention("ORG", r.text, r.start, r.end, r.sentence, r.code, r.host)
        out.append(r)
    return out


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
            ctx.acronyms.setdefault(match.group(1), without_legal_form(name))  # "... Telekom Bhd (MDT)"


#: ``RawMention.host`` of an acronym the article defines, written where the model marked nothing
DEFINED_ACRONYM = "defined acronym"
#: acronyms that are English words too, beyond spaCy's stop words
_WORD_ACRONYMS = frozenset("it am us as or on no so do go up is an at be by he if me my we aid art cat ward "
                           "act fit hit man sun war all any and are can for may not the was you".split())


def acronym_long_form_mentions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The long form written before an acronym's brackets as one organisation mention, in
    place of the pieces the model cut it into at its lower-case words: "the National Economic
    Development and Labour Council (NEDLAC)" gave "Labour Council" too, "the Sindicato Unitario
    de Trabajadores en la Educacion del Peru (SUTEP)" two organisations. A country inside the
    long form stays (a country named in an organisation's name counts).

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if not ctx.acronyms or "(" not in ctx.text or len(ctx.text) > SEARCH_LIMIT:
        return raws
    spans = []
    for match in LONG_THEN_ACRONYM_RE.finditer(ctx.text):
        long_form = ctx.acronyms.get(match.group(2).rstrip("."))
        written = match.group(1)
        at = written.rfind(long_form) if long_form and len(long_form.split()) >= 3 else -1
        if at < 0 or not written[at:].startswith(long_form):
            continue
        start = match.start(1) + at
        spans.append((start, start + len(long_form), match.end(), long_form))
    if not spans:
        return raws
    out = list(raws)
    for start, end, bracket_end, long_form in spans:
        def inside(r: RawMention) -> bool:  # the model's piece may run into the brackets: "Pacification (COCOPA"
            first = r.start + (4 if r.text[:4].casefold() == "the " else 0)
            return (r.label in NAME_LABELS and start <= first < end and r.end <= bracket_end
                    and ctx.gazetteer.country_code(clean_entity_name(r)) is None)
        pieces = [r for r in out if inside(r)]
        if not pieces or any(r.end - r.start >= end - start for r in pieces if r.label == "ORG"):
            continue  # the model marked nothing there, or marked the whole
        if any(r.start < end and r.end > start and not inside(r) and r.label in NAME_LABELS
               and ctx.gazetteer.country_code(clean_entity_name(r)) is None for r in out):
            continue  # a name running across the long form's edge: leave it to the other rules
        out = [r for r in out if not inside(r)]
        out.append(RawMention("ORG", long_form, start, end, ctx.line_at(start)))
    return sorted(out, key=lambda r: (r.start, -r.end))


def defined_acronym_mentions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """Every place an acronym the article defines is written ("... African Unity (OAU)",
    "the OAU said"), as a mention of the organisation, where the model marked nothing: the
    small model leaves most acronyms in brackets unmarked.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if not ctx.acronyms or len(ctx.text) > SEARCH_LIMIT:
        return raws
    taken = SpanIndex(raws)
    added = []
    for acronym in ctx.acronyms:
        # two capitals or more ("OAU", "MoD"; not a word like "Sheffield"), no English word ("IT", "AM", "WHO")
        if (sum(c.isupper() for c in acronym) < 2 or not acronym[:1].isupper() or acronym.casefold() in ctx.generic
                or (len(acronym) < 3 and acronym.casefold() in STOP_WORDS) or acronym.casefold() in _WORD_ACRONYMS):
            continue
        for match in re.compile(rf"(?<![\w.&-]){re.escape(acronym)}(?![\w&-])").finditer(ctx.text):
            mention = RawMention("ORG", acronym, match.start(), match.end(), ctx.line_at(match.start()),
                                 host=DEFINED_ACRONYM)
            if taken.overlapping(mention) or shouted(mention.sentence) or re.search(r"\d\s*$", ctx.text[:match.start()][-4:]):
                continue  # a headline in capitals ("IT IS TIME"), a time ("9 AM")
            added.append(mention)
    return sorted(raws + added, key=lambda r: (r.start, -r.end)) if added else raws


#: "the opposition Fidesz party", "Hungary's ruling Fidesz party": a name the model often
#: leaves out, after "the" or a possessive and a word that says politics, before "party"
#: (one line; no "rival": "a rival Christmas party")
_NAMED_PARTY_RE = re.compile(
    r"(?:\b[Tt]he|['’]s)\s+(?:opposition|ruling|governing|nationalist|communist|socialist|conservative|liberal|"
    r"centrist|far-right|far-left|right-wing|left-wing|centre-right|centre-left|center-right|center-left|"
    r"junior coalition)[ \t]+((?:[A-Z][\w'’-]*[ \t]+){0,2}[A-Z][\w'’-]*)[ \t]+[Pp]arty\b")


#: the model's labels that the party rule puts right (not NORP: "the opposition Sunni party")
_RETYPED_AS_PARTY = frozenset({"PERSON", "GPE", "LOC", "FAC"})


def named_party_mentions(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A party named where the text says what it is: "to the opposition Fidesz party" gives
    "Fidesz", as a new mention where the model marked nothing, or in place of the model's
    mention of just that name as a person or a place. Not a nationality ("the ruling
    Hungarian party"), not what the model calls a people ("the opposition Sunni party"), not
    a word of a person's name the article gives elsewhere ("Geert Wilders ... the far-right
    Wilders party") and not a given name.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if "party" not in ctx.text or len(ctx.text) > SEARCH_LIMIT:
        return raws
    taken = SpanIndex(raws)
    at = {(r.start, r.end): r for r in raws if r.label in NAME_LABELS}
    # the words of the people the model found, counted once for the whole text
    people = Counter(word.casefold() for r in raws if r.label == "PERSON" for word in r.text.split())
    added, replaced = [], set()
    for match in _NAMED_PARTY_RE.finditer(ctx.text):
        name, start, end = match.group(1), match.start(1), match.end(1)
        if ctx.gazetteer.demonym_code(name) is not None or ctx.gazetteer.country_code(name) is not None:
            continue
        model = at.get((start, end))
        if model is not None and model.label == "NORP":
            continue  # "the opposition Sunni party": a faith, no party's name
        own = Counter(word.casefold() for word in name.split()) if model is not None and model.label == "PERSON" else {}
        if any(people[word.casefold()] > own.get(word.casefold(), 0) for word in name.split()) \
                or name.casefold() in ctx.given_names:
            continue  # "the far-right Wilders party": the party of a person the article names
        mention = RawMention("ORG", name, start, end, ctx.line_at(start))
        if model is not None and model.label in _RETYPED_AS_PARTY:
            replaced.add(id(model))
            added.append(mention)
        elif not taken.overlapping(mention):
            added.append(mention)
    if not added:
        return raws
    return sorted([r for r in raws if id(r) not in replaced] + added, key=lambda r: (r.start, -r.end))


_PLACE_AFTER_RE = re.compile(r",?\s+(?:and|or)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")
#: a verb after the second name: it opens a clause of its own ("drew in Bochum and Freiburg lost")
_CLAUSE_AFTER_RE = re.compile(r"[ \t]+(?:said|says|won|wins|beat|beats|drew|draws|lost|loses|is|was|were|are|has|had|"
                              r"have|will|would|[a-z]+ed)\b")


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
        elif place and place.population and x.kind == "place" and not SPORT_HEADLINE_RE.match(ctx.text[:80]) \
                and not _CLAUSE_AFTER_RE.match(ctx.text, end) and _LOCATIVE_BEFORE_RE.search(
                ctx.words_before(x.mention.start, 12)) and ctx.organisations.lookup(match.group(1)) is None:
            for y in resolved:  # "arrested in Tijuana and Mexicali": the model's organisation is the town
                if ((y.mention.start, y.mention.end) == (start, end) and y.kind == "organisation" and not y.fixed
                        and y.mention.label in ("ORG", "PERSON")):
                    y.kind, y.name, y.key, y.country = "place", match.group(1), match.group(1).casefold(), place.country
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
