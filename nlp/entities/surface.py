"""Mentions as written: overlaps, domains, figures, headlines and datelines in capitals, and
the clean form of a name, before its kind is decided."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache


from newsarchive.nlp.entities.countries import HOME_NATIONS, CountryGazetteer, is_place_name, known_place, region_names
from newsarchive.nlp.entities.results import bracketed_scorers
from newsarchive.nlp.entities.domains import is_ip, normalise_url, split_domain
from newsarchive.nlp.entities.organisations import (
    legal_forms,
    clean_name,
    load_organisations,
    name_words,
    strip_titles,
    title_end_pattern,
)
from newsarchive.nlp.entities.mentions import (
    COUNTRY_HIT,
    Context,
    DATELINE,
    DOMAIN_LABELS,
    LINK_ONLY_LABELS,
    NAME_LABELS,
    ROUTE,
    RawMention,
    Resolved,
    SEARCH_LIMIT,
    SpanIndex,
    TEAM_LABEL,
    _COMPASS_RE,
    _LANGUAGE_AFTER_RE,
    _TRAILING_LOWER_RE,
)


#: A contest named after a land, the land first: "the U.S. Open", "Monaco Grand Prix",
#: "America's Cup", "Beijing Games" (newswire annotation calls the whole name MISC, so the
#: land in it is no mention of a place). Capitalised as written, and not followed by another
#: capitalised word ("the China Open University").
_CONTEST_AFTER_RE = re.compile(
    r"(?:['’]s)?[ \t]+(?:Open(?![ \t]+(?:to|for|up)\b)|Grand[ \t]+Prix|Masters|Marathon|Classic|Cup"
    r"|Championships?|Games|Rally|Trophy|Invitational)"
    r"(?![\w'’-]|[ \t]+(?!Of\b|Of\s)[A-Z][a-z])")
#: What comes before such a land in running text ("the U.S. Open", "this year's Boston
#: Marathon", "the 2008 Beijing Games"), not in a Title Case headline ("China Open to Talks").
_CONTEST_BEFORE_RE = re.compile(r"(?:\b[Tt]he|['’]s|\b(?:1[89]|20)\d\d)[ \t]+$")
#: ... or the land last, in a stage race: "Tour de France", "Giro d'Italia", "Vuelta a
#: España", "Tour of Britain"; here the model often calls "the Tour de" an organisation.
_RACE_BEFORE_RE = re.compile(
    r"(?:\b(?:Tour|Giro|Vuelta|Volta|Ronde)[ \t]+(?:de[ \t]+la[ \t]+|de[ \t]+|du[ \t]+|des[ \t]+|d['’]|a[ \t]+"
    r"|al[ \t]+|van[ \t]+)|\b[Tt]he[ \t]+Tour[ \t]+of[ \t]+)$")  # "Modi's Tour of France" is a trip
_RACE_NAME_RE = re.compile(r"(?:the\s+)?(?:Tour|Giro|Vuelta|Volta|Ronde)(?:\s+(?:de\s+la|de|du|des|d['’]|a|al|of|van))?", re.I)


def _in_contest(r: RawMention, ctx: Context) -> bool:
    """Whether a country or place is the land of a contest's name ("the U.S. Open", "Tour
    de France"): part of that name, not a mention of the place."""
    if _RACE_BEFORE_RE.search(ctx.text, max(0, r.start - 20), r.start):
        return True
    if not _CONTEST_AFTER_RE.match(ctx.text, r.end):
        return False
    return r.text[:4].casefold() == "the " or bool(_CONTEST_BEFORE_RE.search(ctx.text, max(0, r.start - 12), r.start))


def _race_head(r: RawMention, ctx: Context) -> bool:
    """Whether the model's name is the head of a stage race whose land follows ("the Tour
    de" before "France", "Tour" before "of Britain"): the race, no organisation or place."""
    if r.label not in ("ORG", "GPE", "LOC", "FAC", "PERSON") or not _RACE_NAME_RE.fullmatch(r.text):
        return False
    rest = ctx.text[r.end : r.end + 40]
    joined = re.match(r"(?:[ \t]+(?:de[ \t]+la|de|du|des|a|al|of|van)[ \t]+|[ \t]*d['’]|[ \t]+)"
                      r"([A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?)", rest)
    if joined is None:
        return False
    land = joined.group(1)
    return any(ctx.gazetteer.country_code(x) or known_place(x) for x in (land, land.split()[0]))


def _keep_country_hit(r: RawMention, ents: SpanIndex, ctx: Context) -> bool:
    """Whether a country or demonym hit is a mention of its own (see the module docstring)."""
    if r.host != "demonym" and _in_contest(r, ctx):
        return False
    host = ents.overlapping(r)
    if host is not None:
        return host.label == "ORG" and (host.start, host.end) != (r.start, r.end)
    if r.host == "guarded":  # a country after a company's legal form and "of" is where it is from
        before = _FORM_OF_RE.search(ctx.words_before(r.start, 24))  # ("Tasman Resources Ltd of Australia")
        return bool(before) and before.group(1).casefold().rstrip(".") in legal_forms()
    return not (r.host == "demonym" and _LANGUAGE_AFTER_RE.match(ctx.text, r.end))


_FORM_OF_RE = re.compile(r"\b([A-Za-z.]+)\s+of\s+(?:the\s+)?$")


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
    kept = [r for r in ents if (r.label in NAME_LABELS or r.label in LINK_ONLY_LABELS)
            and not (r.label in ("GPE", "LOC") and _in_contest(r, ctx)) and not _race_head(r, ctx)]
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


#: a share after a name: "Malacca 40.80 per cent", "Johor 41.77%"
_TRAILING_SHARE_RE = re.compile(r"\s+\d[\d.,]*\s*(?:%|per\s?cent|percent|pct)\.?$", re.I)
#: a day of the week after a name
_TRAILING_WEEKDAY_RE = re.compile(r"\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+(?:morning|afternoon|evening|night))?$")
#: days that are the last word of a name: "Black Friday", "Super Tuesday", "Bloody Sunday"
_DAY_EVENT_WORDS = frozenset("black good super ash bloody palm easter cyber holy maundy shrove giving whit "
                             "trinity low passion plough".split())


def strip_figures(name: str) -> str:
    """A name without the figures the model took into it: trailing figures that are not
    one plain number, a share ("Malacca 40.80 per cent"), leading figures (a date or rank
    before a dateline or a table row); and without a day of the week after it ("Holmenkollen
    Saturday"; "Black Friday", "Sheffield Wednesday" and "the Mail on Sunday" stay).

    :param name: a name as the model found it
    """
    if load_organisations().lookup(name.strip()) is not None:
        return name.strip()  # "1860 Munich", "Schalke 04": the figures are the club's
    name = _LEADING_FIGURES_RE.sub("", _TRAILING_SHARE_RE.sub("", name))
    if weekday := _TRAILING_WEEKDAY_RE.search(name):
        kept = name[: weekday.start()].split()
        # a club or a paper named for its day stays whole: "Sheffield Wednesday", "Mail on Sunday"
        if (kept and kept[-1].casefold() not in _DAY_EVENT_WORDS and kept[-1] != "on"
                and load_organisations().lookup(name) is None):
            name = name[: weekday.start()]  # "in Holmenkollen Saturday": the day is no part of the place
    tail = _TRAILING_FIGURES_RE.search(name)
    if tail and (len(tail.group(0).split()) > 1 or not tail.group(0).strip().isdigit()):
        name = name[: tail.start()]
    return name.strip()


#: "Boston 5", "Partizan Belgrade 2": a capitalised name and a score (a whole number, no share).
#: (The name is at most six words: unbounded, a line of 100,000 capitalised words took minutes.)
_NAME_SCORE_RE = re.compile(r"(?<![\w.'’-])[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,5} \d{1,3}\b"
                            r"(?![.,]\d)(?!\s*(?:%|per\s?cent|percent|pct)\b)")  # no share: "Johor 41.77 per cent"
_FIGURE_RE = re.compile(r"\d")


@lru_cache(maxsize=1024)
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


@lru_cache(maxsize=1024)
def shouted(line: str) -> bool:
    """Whether a line is written in capitals: a headline or a dateline ("CRICKET - LARA
    ENDURES ...", "MELBOURNE 1996-12-06").

    :param line: one line of the text
    """
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def title_case(text: str) -> str:
    """"NEW YORK" -> "New York", "ST. LOUIS" -> "St. Louis" (for look-ups of shouted names)."""
    return " ".join("-".join(p[:1] + p[1:].lower() for p in w.split("-")) if w.isupper() else w
                    for w in text.split())


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
        if any(c.islower() for c in written) or not (shouted(ctx.line_at(r.start)) or shouted(r.sentence)):
            out.append(r)
            continue
        name = title_case(written)
        at = r.text.find(written) if written in r.text else 0
        if ctx.known_acronym(written) or ctx.organisations.lookup(written):
            out.append(r)
        elif ctx.gazetteer.country_code(name) or ctx.gazetteer.country_code(written):
            # "UK:" stays "UK" (a country's alias is written so), "GERMANY" becomes "Germany"
            shown = name if ctx.gazetteer.country_code(name) else written
            out.append(RawMention("GPE", shown, r.start + at, r.start + at + len(shown), r.sentence))
        elif known_place(name) or name.casefold() in ctx.regions:
            out.append(RawMention("GPE", name, r.start + at, r.start + at + len(name), r.sentence))
        elif ctx.organisations.lookup(name):
            out.append(RawMention("ORG", name, r.start + at, r.start + at + len(name), r.sentence))
    return _newspaper_lines(_datelines(_no_surname_countries(_shouted_countries(out, ctx, raws), raws, ctx), ctx), ctx)


def _no_surname_countries(out: list[RawMention], model: list[RawMention], ctx: Context) -> list[RawMention]:
    """Without the countries of a headline in capitals that are the surname of a person the
    story names ("JORDAN SCORES 40 AS BULLS BEAT KNICKS" over "Michael Jordan scored 40")."""
    surnames = {words[-1] for r in model if r.label == "PERSON" and any(c.islower() for c in r.text)
                for words in [r.text.casefold().split()] if len(words) >= 2}
    if not surnames:
        return out
    return [r for r in out if not (r.label in (COUNTRY_HIT, "GPE") and " " not in r.text.strip()
                                   and r.text.strip().casefold() in surnames and shouted(ctx.line_at(r.start))
                                   # "JORDAN: KING HUSSEIN ...", "TYSON TO FIGHT IN JORDAN": the country
                                   and not ctx.text.startswith(":", r.end)
                                   and not _PLACE_PREPOSITION_END_RE.search(ctx.text[max(0, r.start - 8) : r.start]))]


#: a preposition of place in capitals right before a headline's word ("TO FIGHT IN JORDAN")
_PLACE_PREPOSITION_END_RE = re.compile(r"\b(?:IN|TO|FROM|INTO|OF|VISITS?|ACROSS)[ \t]+$")


_TITLE_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")
#: how common an English word must be (wordfreq's Zipf scale) to be taken for a word of a
#: headline, not of a name, when the article gives no other sign ("Test" 5.2, "Stanley" 4.2)
HEADLINE_WORD_ZIPF = 4.5


def _title_line_end(ctx: Context) -> int:
    """Where a first line in Title Case ends ("Wagner Fighters Leave Mali After ..."), the
    title :func:`~newsarchive.nlp.entities.extract.analysis_text` puts over the text; 0 when
    the first line is no such title."""
    end = ctx.text.find("\n")
    if end <= 0 or end > HEADLINE_CHARS or not ctx.text[end:].strip():
        return 0
    line = ctx.text[:end]
    long = [w for w in _TITLE_WORD_RE.findall(line) if len(w) > 3]
    if len(long) < 3 or shouted(line) or sum(w[:1].isupper() for w in long) < 0.8 * len(long):
        return 0
    return end


_NAME_SUBJECT_RE = re.compile(r"[ \t]+(?:said|says|was|is|has|had|told|added)\b")


def _headline_word(word: str, body_start: int, ctx: Context) -> bool:
    """A word of the headline, not of a name: the article writes it in lower case
    ("shares"), or its body writes it only at the start of a sentence ("Fighters of the
    Wagner group ..."), or, written nowhere else, it is a common English word that is no
    given name ("Test"; not "Stanley", "Sachs")."""
    from wordfreq import zipf_frequency

    folded = word.casefold()
    if folded in ctx.lower_words():
        return True
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])")
    found = list(pattern.finditer(ctx.text, body_start, SEARCH_LIMIT))
    if found:  # only at sentence starts, and not as the subject of "said", "was" ... ("Stanley said")
        return all(("\n" in b or not b.strip() or b.rstrip()[-1:] in ".!?:\"'“‘")
                   and not _NAME_SUBJECT_RE.match(ctx.text, m.end())
                   for m in found for b in [ctx.text[max(0, m.start() - 3) : m.start()]])
    return folded not in ctx.given_names and zipf_frequency(folded, "en") >= HEADLINE_WORD_ZIPF


def title_headline_names(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """Names the model ran on over the words of a Title Case headline ("Apple Shares Slide",
    "Wagner Fighters Leave Mali"): a name of the title that the body never writes whole,
    whose first words are a name the body writes (or our organisation table knows: "Goldman
    Sachs Profit Beats Forecasts"), keeps only those words, under the model's own label,
    when the first word cut is a word of a headline (:func:`_headline_word`) and no word
    that ends organisations' names ("Deutsche Bank Cuts Jobs", "American Airlines Flight").
    A country or a place named whole ("North Korea"), a person's name and a name our
    table knows whole are left alone, and so is everything when no first words are a name
    of the body. (A country at the end, "... Leave Mali", is the country matcher's own hit.)"""
    end = _title_line_end(ctx)
    if not end or len(ctx.text) > SEARCH_LIMIT:
        return raws
    body_text = ctx.text[end:]
    body = {clean_entity_name(r).casefold() for r in raws
            if r.start >= end and (r.label in NAME_LABELS or r.label == COUNTRY_HIT)}
    out: list[RawMention] = []
    for r in raws:
        words = list(_TITLE_WORD_RE.finditer(r.text))
        name = clean_entity_name(r) if r.label in ("ORG", "GPE", "LOC", "FAC", "NORP") else ""
        if (r.end > end or not name or len(words) < 2 or r.text in body_text
                or ctx.organisations.lookup(name) or ctx.known_acronym(r.text)
                or ctx.gazetteer.country_code(name) or known_place(name) or is_place_name(name)):
            out.append(r)
            continue
        head = next((k for k in range(len(words) - 1, 0, -1)
                     if r.text[: words[k - 1].end()].casefold().removeprefix("the ") in body
                     or (k > 1 and ctx.organisations.lookup(r.text[: words[k - 1].end()]))), 0)
        first_cut = words[head].group(0) if head else ""
        if (not head or first_cut.casefold() in ctx.org_words
                or not _headline_word(first_cut, end, ctx)):
            out.append(r)
            continue
        text = r.text[: words[head - 1].end()]
        out.append(RawMention(r.label, text, r.start, r.start + len(text), r.sentence))
    return out


#: A run of words in capitals, the possessive left out ("GERMANY'S" -> "GERMANY").
_CAPITALS_RUN_RE = re.compile(r"(?<![\w'’.-])[A-Z][A-Z.-]*(?:[ \t]+[A-Z][A-Z.-]*)*(?![\w-])")
#: longest line read as a headline for countries, and most words a country's name has
HEADLINE_CHARS = 200
_COUNTRY_WORDS = 3


_FIRST_WORDS: dict[int, tuple[object, frozenset[str]]] = {}


def _country_first_words(gazetteer: CountryGazetteer) -> frozenset[str]:
    """Casefolded first words of every country name and alias ("united", "germany", "u.s."),
    made once per gazetteer."""
    known = _FIRST_WORDS.get(id(gazetteer))
    if known is None or known[0] is not gazetteer:
        words = frozenset(name.split()[0].casefold() for name in gazetteer.names if name.split())
        known = _FIRST_WORDS[id(gazetteer)] = (gazetteer, words)
    return known[1]


#: given names that are verbs too, never read as a given name before a capitalised word:
#: "FIRMS SUE CHINA", "GUNMEN ROB KENYA BANK"
VERB_GIVEN_NAMES = frozenset("mark sue rob bill frank will pat don grant drew chase".split())


def _after_a_given_name(words: list[re.Match[str]], i: int, after: str, ctx: Context) -> bool:
    """Whether word ``i`` of a run in capitals comes after a given name ("MICHAEL JORDAN",
    "TOM HOLLAND"); not a possessive ("PARADES MARK INDIA'S ...") nor after a verb."""
    before = words[i - 1].group(0).casefold() if i > 0 else ""
    return before in ctx.given_names and before not in VERB_GIVEN_NAMES and after not in ("'", "’")


def _in_a_name(words: list[re.Match[str]], i: int, n: int, people: set[str]) -> bool:
    """Whether the words ``i`` to ``i + n`` of a run in capitals, with the word before or
    after them, are words of a person's name (``people``: runs of two to four words of the
    names, casefolded): "JORDAN HENDERSON" and "Jordan Henderson"."""
    for j in (i - 1, i):
        pair = words[j : j + n + 1] if j >= 0 else []
        if len(pair) == n + 1 and " ".join(w.group(0) for w in pair).casefold() in people:
            return True
    return False


def _shouted_countries(raws: list[RawMention], ctx: Context,
                       model: list[RawMention] | None = None) -> list[RawMention]:
    """Countries in a headline in capitals that the model left unmarked ("GERMANY'S KOHL TO
    MEET YELTSIN", "FRANCE SAYS GERMANY WRONG ON BEEF"): the matcher reads names as they are
    usually written, and the model reads shouted words as nothing or as a person. Only
    countries: many English words in capitals are towns too ("NICE", "READING"). Not one
    after a given name (:func:`_after_a_given_name`), nor one that is a word of a
    person's name the story writes in the usual case with the word before or after it
    ("JORDAN HENDERSON SIGNS" and "Jordan Henderson" in ``model``, the mentions as they
    were before :func:`shouted_names`)."""
    taken = SpanIndex(raws)
    people = {" ".join(words[k : k + m])
              for r in model or () if r.label == "PERSON" and any(c.islower() for c in r.text)
              for words in [r.text.casefold().split()] for m in range(2, _COUNTRY_WORDS + 2)
              for k in range(len(words) - m + 1)}
    firsts = _country_first_words(ctx.gazetteer)
    found: list[RawMention] = []
    start = 0
    text = ctx.text[:SEARCH_LIMIT]
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end]
        if len(line) <= HEADLINE_CHARS and shouted(line):
            for run in _CAPITALS_RUN_RE.finditer(line):
                words = list(re.finditer(r"\S+", run.group(0)))
                i = 0
                while i < len(words):
                    first = words[i].group(0).casefold()
                    if first not in firsts and first.rstrip(".") not in firsts:
                        i += 1
                        continue
                    for n in range(min(_COUNTRY_WORDS, len(words) - i), 0, -1):
                        a = start + run.start() + words[i].start()
                        b = start + run.start() + words[i + n - 1].end()
                        name = title_case(text[a:b])
                        if name.endswith(".") and not ctx.gazetteer.country_code(name):
                            b, name = b - 1, name[:-1]  # "... GO TOP IN GERMANY.": the headline's full stop
                        if ctx.gazetteer.country_code(name) and taken.overlapping(RawMention("GPE", name, a, b, "")) is None:
                            if not (_after_a_given_name(words, i, text[b : b + 1], ctx)
                                    or _in_a_name(words, i, n, people)):
                                found.append(RawMention("GPE", name, a, b, line))
                            i += n - 1
                            break
                    i += 1
        start = end + 1
    found += _shouted_regions(ctx, SpanIndex([*raws, *found]), model or raws)
    return sorted(raws + found, key=lambda r: (r.start, -r.end)) if found else raws


def _written_below(name: str, ctx: Context) -> list[re.Match[str]]:
    """Where the story writes ``name`` as a whole word outside its lines in capitals."""
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])")
    return [m for m in pattern.finditer(ctx.text, 0, SEARCH_LIMIT) if not shouted(ctx.line_at(m.start()))]


def _part_of_a_name_below(name: str, ctx: Context) -> bool:
    """Whether the story writes ``name`` only inside a longer name ("AIR PROVENCE IN TALKS"
    over "Air Provence SA said"): then the headline's words are that name, no region."""
    found = _written_below(name, ctx)
    return bool(found) and all(re.search(r"[A-Z][\w'’.-]*[ \t]+$", ctx.text[max(0, m.start() - 30) : m.start()])
                               or re.match(r"[ \t]+[A-Z]", ctx.text[m.end() : m.end() + 2]) for m in found)


#: a team sport's wire headline, where a region is a side ("CRICKET - YORKSHIRE SIGN BEVAN")
_TEAM_SPORT_LINE_RE = re.compile(r"^\s*(?:CRICKET|SOCCER|RUGBY|FOOTBALL|BASKETBALL|(?:ICE )?HOCKEY|BASEBALL)\b")


@lru_cache(maxsize=1)
def _shouted_regions_re() -> re.Pattern[str]:
    names = sorted((name.upper() for name in region_names()), key=len, reverse=True)
    return re.compile(rf"(?<![\w'’.-])(?:{'|'.join(re.escape(n) for n in names)})(?![\w'’-])")


def _named_otherwise_below(name: str, ctx: Context, model: list[RawMention]) -> bool:
    """Whether the story writes ``name`` but never as a place: no model place there and no
    preposition of place before it ("runs Java programs" under "SUN UNVEILS JAVA CHIP")."""
    found = _written_below(name, ctx)
    places = [r for r in model if r.label in ("GPE", "LOC")]
    return bool(found) and not any(
        re.search(r"\b(?:in|of|from|to|into|across|near|at)[ \t]+(?:the[ \t]+)?$", ctx.text[max(0, m.start() - 12) : m.start()])
        or any(r.start <= m.start() and m.end() <= r.end for r in places) for m in found)


def _shouted_regions(ctx: Context, taken: SpanIndex, model: list[RawMention]) -> list[RawMention]:
    """The regions our table knows ("CHECHNYA", "BAVARIA") in the first headline lines in
    capitals, as places where nothing else was found there."""
    found = []
    head = ctx.text[:2 * HEADLINE_CHARS]
    start = 0
    while start < len(head):
        end = head.find("\n", start)
        end = len(head) if end == -1 else end
        line = head[start:end]
        if len(line) <= HEADLINE_CHARS and shouted(line) and not _TEAM_SPORT_LINE_RE.match(line):
            for match in _shouted_regions_re().finditer(line):
                a, b = start + match.start(), start + match.end()
                mention = RawMention("GPE", title_case(match.group(0)), a, b, line)
                if (taken.overlapping(mention) is None and not _part_of_a_name_below(mention.text, ctx)
                        and not _named_otherwise_below(mention.text, ctx, model)):
                    found.append(mention)
        start = end + 1
    return found


#: A line that is only a short name in capitals ("DAILY NATION", "LE MONDE", "AL-AHRAM").
_CAPITALS_LINE_RE = re.compile(r"^[ \t]*(?:THE[ \t]+)?([A-Z][A-Z'’&-]*(?:[ \t]+[A-Z][A-Z'’&-]*){0,5})[ \t]*$", re.M)


def _newspaper_lines(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """A wire service's press review ("PRESS DIGEST - Kenya - Dec 5" on its first line, then
    "DAILY NATION" above each paper's stories) names each newspaper on a line of its own, in
    capitals: an organisation, which the capitals rule above drops as a headline. Only in
    such a text: elsewhere a short line in capitals is a headline or a section ("LATEST NEWS").
    A country or a known place on such a line stays what it is.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    text = ctx.text[:SEARCH_LIMIT]
    if "PRESS DIGEST" not in text.lstrip()[:200].split("\n", 1)[0].upper():
        return raws
    out = list(raws)
    for match in _CAPITALS_LINE_RE.finditer(text):
        if match.start() == 0:
            continue
        start, end = match.start(1), match.end(1)
        name = title_case(match.group(1))
        if ctx.gazetteer.country_code(name) or known_place(name):
            continue
        inside = [r for r in out if r.start < end and start < r.end]
        if any(r.label not in NAME_LABELS and r.label not in LINK_ONLY_LABELS for r in inside):
            continue
        out = [r for r in out if r not in inside]
        out.append(RawMention("ORG", name, start, end, match.group(0).strip()))
    return sorted(out, key=lambda r: (r.start, -r.end))


#: A dateline: a place in capitals right before the story's date, on a line of its own or
#: run into the text ("MELBOURNE 1996-12-06", "SAO PAULO, Brazil 1996-08-22", "... RESULTS .
#: LONDON 1996-08-24 Results of ..."). Group 1 is the run of capitalised words before it.
_DATELINE_RE = re.compile(r"(?<![\w.'’-])([A-Z][A-Z.'’-]*(?:[ \t]+[A-Z][A-Z.'’-]*){0,5})"
                          r"(?:[ \t]*,[ \t]*([A-Z][\w ]*?))?[ \t]+\d{4}-\d{2}-\d{2}\b")
#: a place in a dateline qualified by its country or its state ("SPA-FRANCORCHAMPS , Belgium",
#: "COMMACK, New York") that no
#: table knows is taken whole when the run of capitals has at most this many words
QUALIFIED_PLACE_WORDS = 3


def _region(name: str) -> bool:
    """Whether ``name`` is a state or region ("New York", "Connecticut"), not a city: a
    dateline "REUTERS, London" or "GM, Detroit" names an organisation's home, no town."""
    place = known_place(name)
    return place is not None and place.population == 0


def _dateline_place(run: str, ctx: Context, qualifier: str | None = None) -> tuple[int, str] | None:
    """The place that ends a run of capitalised words before a date, as ``(offset in the
    run, name in its usual case)``: the longest ending that is a country, a known place or
    looks like a place ("ENGLISH LEAGUE RESULTS LONDON" -> "London"); failing that, a short
    run followed by a country or a place we know ("SALAMANCA , Spain", "COMMACK, New
    York")."""
    words = list(re.finditer(r"\S+", run))
    for first in words:
        name = title_case(run[first.start():])
        if ctx.gazetteer.country_code(name) or known_place(name) or is_place_name(name):
            return first.start(), name
    if (qualifier and (ctx.gazetteer.country_code(qualifier.strip()) or _region(qualifier.strip()))
            and 0 < len(words) <= QUALIFIED_PLACE_WORDS
            and not ctx.known_acronym(run) and not ctx.organisations.lookup(run)
            and not ctx.organisations.lookup(title_case(run))):
        return 0, title_case(run)
    return None


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}"
#: A dateline of today's wires, the place in capitals before the agency in brackets and a
#: dash: "KYIV, Dec 6 (Reuters) -", "WASHINGTON (AP) —", "SAN JOSE, Calif. (AP) -", and the
#: underscore that stood for a dash on the wires of the 1990s ("DUNBLANE, Scotland (AP) _").
_AGENCY_DATELINE_RE = re.compile(
    rf"^[ \t]*([A-Z][A-Z.'’-]*(?:[ \t]+[A-Z][A-Z.'’-]*){{0,3}})"
    rf"(?:[ \t]*,[ \t]*(?!{_MONTH})([A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){{0,2}}))?"
    rf"(?:[ \t]*,[ \t]*{_MONTH})?[ \t]*\(([A-Z][\w .&/-]{{1,40}})\)[ \t]*[-–—_]", re.M)


def _no_firm(match: re.Match[str], ctx: Context) -> bool:
    """The run of a dateline is no organisation's name or acronym ("NATO 1996-08-22")."""
    run = match.group(1)
    return not (ctx.known_acronym(run) or ctx.organisations.lookup(title_case(run)) or ctx.organisations.lookup(run))


#: Words of a run of capitals before a date that make it no place: labels of pages and
#: stories ("UPDATE", "CORRECTION", "WEATHER", "PRESS RELEASE"), days and months, bylines
#: ("BY JOHN SMITH"), sports ("SOCCER")
_NO_DATELINE_WORDS = frozenset(
    "update updated updates correction corrected clarification weather editorial editorials opinion comment "
    "comments letters letter obituary obituaries press release news breaking posted published filed sent "
    "received last first sports sport results result report analysis feature features transcript embargoed "
    "embargo advisory review preview interview summary factbox exclusive urgent bulletin flash alert notice "
    "statement brief briefs briefing digest index page edition version for immediate by from to and of the "
    "at on in monday tuesday wednesday thursday friday saturday sunday today yesterday january february "
    "march april may june july august september october november december soccer football tennis golf cricket "
    "rugby basketball baseball hockey athletics cycling boxing swimming skiing racing motor sailing".split())


def _dateline_alone(match: re.Match[str], ctx: Context) -> bool:
    """Whether a dateline is a line of its own, a short run of capitals and a date and
    nothing else ("FRANKFURT 1996-08-22"): the place there is a place whether or not a
    table knows it by that name (unless :func:`_no_firm` says otherwise)."""
    run = match.group(1)
    line_start = ctx.text.rfind("\n", 0, match.start()) + 1
    line_end = ctx.text.find("\n", match.end())
    rest = ctx.text[match.end() : line_end if line_end != -1 else len(ctx.text)]
    words = run.casefold().split()
    return (not ctx.text[line_start : match.start()].strip() and not rest.strip()
            and len(words) <= QUALIFIED_PLACE_WORDS and match.group(2) is None
            and not any(w in _NO_DATELINE_WORDS for w in words)  # "UPDATE 2024-01-05", "BY JOHN SMITH"
            and not (len(words) > 1 and words[0] in ctx.given_names))  # "JOHN SMITH 1996-08-22": a byline


def _agency_credit(match: re.Match[str], out: list[RawMention], starts: list[int], longest: int,
                   ctx: Context) -> RawMention | None:
    """The agency a dateline credits ("ANKARA, Feb 3 (Reuter) -", "OSLO, Norway (AP) _") as an
    organisation's mention, when our table knows it and the model found nothing there."""
    credit = match.group(3).strip()
    if not (ctx.known_acronym(credit) or ctx.organisations.lookup(credit)):
        return None
    start = match.start(3) + (len(match.group(3)) - len(match.group(3).lstrip()))
    end = start + len(credit)
    if any(start < r.end and r.start < end for r in out[bisect.bisect_left(starts, start - longest) :
                                                        bisect.bisect_left(starts, end)]):
        return None
    return RawMention("ORG", credit, start, end, match.group(0).strip())


def _datelines(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """``raws`` with the place of each dateline as a place mention (``host`` :data:`DATELINE`):
    the model reads "ALGIERS 1996-08-22" as a date, or "LONDON" before results as a club.
    A model mention of the same words gives way; a country hit there stays."""
    out = sorted(raws, key=lambda r: r.start)
    starts = [r.start for r in out]
    longest = max((r.end - r.start for r in out), default=0)
    gone: set[int] = set()  # id() of the mentions a dateline's place replaced
    added: list[RawMention] = []
    added_starts: list[int] = []
    longest_added = 0
    text = ctx.text[:SEARCH_LIMIT]
    for match in [*_DATELINE_RE.finditer(text), *_AGENCY_DATELINE_RE.finditer(text)]:
        if match.re is _AGENCY_DATELINE_RE and (credit := _agency_credit(match, out, starts, longest, ctx)):
            at = bisect.bisect_left(added_starts, credit.start)
            added.insert(at, credit)
            added_starts.insert(at, credit.start)
            longest_added = max(longest_added, credit.end - credit.start)
        found = _dateline_place(match.group(1), ctx, match.group(2))
        if found is None and (_dateline_alone(match, ctx) or match.re is _AGENCY_DATELINE_RE) and _no_firm(match, ctx):
            found = (0, title_case(match.group(1)))  # "FRANKFURT 1996-08-22" ("Frankfurt am Main")
        if found is None:
            continue
        start = match.start(1) + found[0]
        end = match.end(1)
        # the mentions overlapping the place, found by start (pairwise checks took 10 s on
        # 200,000 characters of datelines)
        inside = [r for r in out[bisect.bisect_left(starts, start - longest) : bisect.bisect_left(starts, end)]
                  if start < r.end and id(r) not in gone]
        inside += [r for r in added[bisect.bisect_left(added_starts, start - longest_added) :
                                    bisect.bisect_left(added_starts, end)] if start < r.end and id(r) not in gone]
        if any(r.label not in NAME_LABELS and r.label not in LINK_ONLY_LABELS and r.label != "DATE"
               for r in inside):
            continue  # a country hit, a domain: leave them
        gone.update(id(r) for r in inside if r.label != "DATE")
        place = RawMention("GPE", found[1], start, end, match.group(0).strip(), host=DATELINE)
        at = bisect.bisect_left(added_starts, start)
        added.insert(at, place)
        added_starts.insert(at, start)
        longest_added = max(longest_added, end - start)
    return sorted((r for r in [*out, *added] if id(r) not in gone), key=lambda r: (r.start, -r.end))


_LEADING_ROLE_RE = re.compile(r"^(?:[A-Za-z][\w-]*\s+)+?(?=[A-Z][\w'’-]*\s+[A-Z])")


def _drop_role(match: re.Match[str]) -> str:
    """Drop job words the model took into a name ("lawyer Igor Belyaev", "Analyst Mette
    Holm" at the start of a sentence); keep anything else (particles, first names)."""
    words = match.group(0).split()
    if all(w.casefold() in name_words().roles for w in words):
        return ""
    # lower-case words before the name that are no particle ("magician David Gish", "tweet Ross")
    lower = 0
    while lower < len(words) and re.fullmatch(r"[a-z][a-z-]*", words[lower]) and words[lower] not in _PARTICLES:
        lower += 1
    return " ".join(words[lower:]) + " " if lower < len(words) else ""


#: Lower-case words that belong to people's names ("Ludwig van Beethoven", "Osama bin Laden").
PARTICLES = frozenset("van von der den de du da di del della dos das le la al el bin ibn ben ter ten zu y arap".split())
_PARTICLES = PARTICLES


#: the period of a results headline after a company's name: "Q3", "1H", "H1", "FY", "9-mth"
_REPORT_PERIOD_RE = re.compile(r"(?:[ \t]+(?:Q[1-4]|[1-4]Q|[12]H|H[12]|FY|\d{1,2}-mths?|\d{1,2}-months?))+$")


#: the label of a wire story's closing note, which the model takes into the name after it
_NOTE_LABEL_RE = re.compile(r"^[ \t]*(?:NOTE|Note)[ \t]*[-–:][ \t]*")


def clean_entity_name(r: RawMention) -> str:
    """The cleaned name of a model entity: organisation names lose a bracketed tail and
    trailing lower-case words ("Office of Foreign Assets Control (OFAC" -> "... Control",
    "Wagner group" -> "Wagner"), and places their trailing lower-case words ("Schiphol
    airport" -> "Schiphol"), but not a word of places after a name that is no place alone
    ("the Red sea", "Silicon valley"); any name loses the figures the model took into it."""
    name = strip_figures(clean_name(_NOTE_LABEL_RE.sub("", r.text)))  # "NOTE - Pennine Foods Plc makes ..."
    if r.label == "ORG":
        name = clean_name(_REPORT_PERIOD_RE.sub("", name.split(" (")[0]))  # "Harnischfeger Industries Inc Q3"
        if lead := _LEADING_NOUN_RE.match(name):  # "truckmaker Kessler Fahrzeugwerke"
            if lead.group(1) not in NAME_INNER_WORDS:
                name = name[lead.end():]
        stripped = _TRAILING_LOWER_RE.sub("", name)
        name = stripped if stripped and stripped[0].isupper() else name
    if r.label == "PERSON":
        # a figure after a person's name is a score or runs, never the name ("b Nyathi 88")
        name = re.sub(r"(?<=[A-Za-z.])[ \t]+\d{1,4}$", "", name)
        # titles first: "Datuk Seri Anwar Ibrahim" is not "Seri Anwar Ibrahim" less a role
        name = strip_titles(_LEADING_ROLE_RE.sub(_drop_role, strip_titles(name) or name))
        stripped = _TRAILING_LOWER_RE.sub("", name)  # "Ana Herrera of" (the model took the "of")
        name = stripped if stripped and stripped[0].isupper() else name
    if r.label in ("GPE", "LOC", "FAC"):
        stripped = _TRAILING_LOWER_RE.sub("", name)  # "Schiphol airport", "the Jaffna peninsula"
        tail = name[len(stripped):].split()
        # a word of places stays after a name that is no place alone: "the Red sea", "Persian gulf"
        if (stripped and stripped != name and stripped[0].isupper()
                and (tail[0] not in name_words().place_last or known_place(stripped) is not None
                     or tail[0] in _ADMINISTRATIVE_WORDS)):  # "Maguindanao province"
            name = stripped
    return name


#: a lower-case noun the model took in before a capitalised name ("truckmaker Kessler ...")
_LEADING_NOUN_RE = re.compile(r"^([a-z][a-z-]{3,})\s+(?=[A-Z])")
#: lower-case words of administration after a region's name, never part of it
#: ("county" stays: "Dade county" is "Dade County", as a US county is keyed)
_ADMINISTRATIVE_WORDS = frozenset("province provinces state district region prefecture oblast governorate "
                                  "municipality department".split())


#: Where the model runs two names together: a spaced dash or slash, a colon ("Giro - Nicholas
#: Roche", "Leinster / Munster", "Irish News: Loyalists"), a newspaper's city and its name
#: ("Johannesburg daily Business Day"), a draw's "v" ("Michael Chang v Dean Washington"), a legal
#: form's full stop that ended a sentence ("... Co. Pacific Rating Services said"); and, in names other than people's, a lower-case word no
#: name holds (:data:`NAME_INNER_WORDS`).
#: Lower-case words that may stand inside one name ("Bank of America", "Ciudad del Este",
#: "Médecins sans Frontières"); any other between two capitalised words ends a name the
#: model ran over a clause ("Essen restored Dortmund's lead": a scorer and a club).
NAME_INNER_WORDS = frozenset(
    "of and the for on upon at in to a an by with without against sans under over from into "
    "de del della dello delle dei degli der des du la le les los las van von vom zum zur y e et da do dos das di "
    "al el bin ibn ben bint ul ud und zu ter ten den sur am im op och og af av i "
    "aan bij voor cha nan til".split())  # "Wijk aan Zee", "Chama cha Mapinduzi", "Comhairle nan Eilean Siar"
_JOINER = (r"\s+[-–—/]\s+|:\s+|\s+(?:daily|weekly|newspaper|tabloid)\s+(?=[A-Z])|\s+vs?\.?\s+(?=[A-Z])"
           # a firm's abbreviated legal form that ended a sentence: "Kaneda Securities Co. Pacific Rating Services"
           # (after a firm's name: not "Co. Armagh", "Corp. Bank of India")
           r"|(?:(?<=\w Co\.)|(?<=\w Corp\.)|(?<=\w Inc\.)|(?<=\w Ltd\.)|(?<=\w Plc\.)|(?<=\w Bhd\.))\s+(?=[A-Z])"
           r"(?!(?:Inc|Ltd|Corp|Co|Plc|LLC|SA|AG|NV|Bhd|Berhad|KK)\b)")
_JOINER_RE = re.compile(_JOINER)
#: the same, and a lower-case word no name holds: for names other than people's ("Daniel arap
#: Moi" keeps its particle)
_CLAUSE_JOINER_RE = re.compile(_JOINER + r"|(?<=[a-zà-ÿ])\s+(?!(?:" + "|".join(sorted(NAME_INNER_WORDS, key=len, reverse=True))
                               + r")\s)[a-z]{3,}\s+(?=[A-Z])")
_AMPERSAND_RE = re.compile(r"\s+&\s+")
_AND_RE = re.compile(r"\s+and\s+")
#: Words a name does not end in: the model stopped in the middle of a list ("Jenny Seaton &",
#: "the BP Ultimate Masters of").
_DANGLING_RE = re.compile(r"(?:\s*[&/(–—-]|\s+(?:and|of|or|the|for))+$")


def _own_name(part: str, ctx: Context) -> bool:
    """A part of an "A & B" that is a name on its own: two words or more, a handle, a
    country or a known place ("Karl Langdon & Harvey Deegan", "Northern Ireland & England")."""
    part = clean_name(part)
    return (len(part.split()) >= 2 or part.startswith("@") or ctx.gazetteer.country_code(part) is not None
            or is_place_name(part))


#: the first line of a wire story of a sport of individuals ("TENNIS - SAMPRAS BEATS KRAJICEK
#: .", "GOLF - NORMAN LEADS ."): its one-word names are mostly competitors' surnames
SOLO_SPORT_HEADLINE_RE = re.compile(
    r"^\s*(?:TENNIS|GOLF|CYCLING|ATHLETICS|(?:ALPINE |NORDIC |CROSS-COUNTRY )?SKIING|BOXING|SNOOKER|SQUASH|"
    r"BADMINTON|SWIMMING|CHESS|FIGURE SKATING|SPEED ?SKATING|GYMNASTICS|JUDO|WRESTLING|TRIATHLON|DARTS|"
    r"TABLE TENNIS|BIATHLON)\b[ \t]*[-–—:]")


def solo_sport_story(ctx: Context) -> bool:
    """Whether the text is a wire story of a sport of individuals (see :data:`SOLO_SPORT_HEADLINE_RE`)."""
    return bool(SOLO_SPORT_HEADLINE_RE.match(ctx.text[:120]))


def _lone_competitor(part: str, ctx: Context) -> bool:
    """One capitalised word that no table knows as a place, country or organisation."""
    name = clean_name(part)
    return (bool(re.fullmatch(r"[A-Z][a-zà-öø-ÿ'’-]+", name)) and not is_place_name(name)
            and ctx.gazetteer.country_code(name) is None and ctx.organisations.lookup(name) is None)


def _full_personal_name(part: str) -> bool:
    """Two or three capitalised words, the first a common given name ("Anders Aukland")."""
    words = clean_name(part).split()
    return (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and words[0].casefold() in name_words().given_names)


def _split_ampersand(text: str, ctx: Context) -> list[tuple[int, int]]:
    """Pieces of ``text`` split at an "&" that joins two names of their own, or at an "and"
    between two people's full names ("Anders Aukland and Erling Jevne"); "Procter &
    Gamble", "Marks & Spencer", "Merrill Lynch & Co" and "Ministry of Agriculture and Rural
    Development" stay whole."""
    pieces, start = [], 0
    for match in _AMPERSAND_RE.finditer(text):
        left, right = text[start : match.start()], text[match.end() :].split(" & ")[0]
        last = right.split()[-1].casefold().rstrip(".") if right.split() else ""
        if (_own_name(left, ctx) and _own_name(right, ctx) and last not in name_words().org_words
                and (len(left.split()) >= 2) == (len(right.split()) >= 2)):
            pieces.append((start, match.start()))
            start = match.end()
    for match in _AND_RE.finditer(text, start):
        left, right = text[start : match.start()], text[match.end() :].split(" and ")[0]
        if ((_full_personal_name(left) and _full_personal_name(right))
                or (solo_sport_story(ctx) and _lone_competitor(left, ctx) and _lone_competitor(right, ctx))):  # "Faldo and Els"
            pieces.append((start, match.start()))
            start = match.end()
    pieces.append((start, len(text)))
    return pieces


_TOWN_RE = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}")


def _places_by_comma(r: RawMention, ctx: Context) -> list[RawMention]:
    """The places of a name the model ran over an address's commas ("Grantham,
    Lincolnshire"), when every part is a known place or a country; else nothing."""
    found = []
    at = 0
    parts = r.text.split(",")
    if len(parts) > 2 and not parts[-1].strip():
        parts.pop()  # the model took the comma after the last one too ("Blackburn, Lancashire,")
    for number, part in enumerate(parts):
        start = at + len(part) - len(part.lstrip())
        at += len(part) + 1
        name = part.strip()
        # the first part may be a town no table knows ("Grantham"), when the model did not call it a person
        first_town = number == 0 and r.label != "PERSON" and bool(_TOWN_RE.fullmatch(name))
        if not name or not (first_town or ctx.gazetteer.country_code(name) or known_place(name)):
            return []
        found.append(RawMention("GPE", name, r.start + start, r.start + start + len(name), r.sentence))
    return found if len(found) > 1 else []


#: Words that open a sentence before its first name, which the model takes into the name
#: ("Citing Sahabat Alam Malaysia", "Echoing Annan's comments", "Unlike Emeril Legasse"):
#: participles and prepositions no name starts with ("Reading", "Sterling", "Browning" and
#: "Banning" start names and are left out).
_OPENERS = frozenset("following citing echoing recalling quoting including excluding like unlike despite "
                     "according among amid amongst under before after during without against besides "
                     "addressing asked speaking accusing praising welcoming criticising criticizing "
                     "referring responding commenting urging warning joining backing defending replying "
                     "answering visiting representing blaming thanking congratulating dear enter "
                     "meanwhile however unfortunately fortunately contact".split())
#: what a sentence opens after: the start, a full stop, a line, a quote, a dateline's dash
_OPENS_AFTER = ".!?:;\n\"'“‘`(_-–—"


#: openers that are conjunctions or adverbs too: a verb after the name is its own ("After
#: Tesco Plc reported ..., shares fell", "Meanwhile Acme Corp said ...")
_CLAUSE_OPENERS = frozenset("after before like unlike meanwhile however unfortunately fortunately dear".split())
#: a verb right after a name (and the capitalised words the model left out of it): the name
#: is the sentence's subject ("Visiting Nurse Service of" New York "said")
_VERB_AFTER_RE = re.compile(r"(?:[ \t]++[A-Z][\w.'’-]*+){0,4}+[ \t]+(?:said|says|has|have|had|is|was|are|were|will|would|could|can|may|plans?|"
                            r"manages?|operates?|runs?|owns?|[a-z]+ed)\b")


_SENTENCE_END_RE = re.compile(r"[.!?\n]")


def _clause_before_comma(text: str, start: int) -> bool:
    """Whether a comma and a space come before the sentence ends after ``start``: the name's
    verb is in a clause that opens the sentence ("Following Tesco Plc reported weak sales,
    shares fell"), and the opener no part of the name."""
    end = _SENTENCE_END_RE.search(text, start, start + 400)
    rest = text[start : end.start() if end else start + 400]
    return ", " in rest or ",\t" in rest


def _opens_a_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip()
    return not before or before[-1] in _OPENS_AFTER


def _opener_in_the_name(r: RawMention, first: str, rest: str, ctx: Context) -> bool:
    """Whether the opening word belongs to the name: the subject of its sentence, ending
    in an organisation's word ("Visiting Nurse Service said", "Following Sea Capital
    Partners manages"), or written whole inside another sentence ("... the Visiting Nurse Service")."""
    last = _DANGLING_RE.sub("", rest).split()[-1].casefold().rstrip(".")  # "Visiting Nurse Service of" New York
    verb = _VERB_AFTER_RE.match(ctx.text, r.end)
    if (first.casefold() not in _CLAUSE_OPENERS and (last in ctx.org_words or last in ctx.organisations.designators)
            and verb and not _clause_before_comma(ctx.text, verb.end())):
        return True
    if len(ctx.text) > SEARCH_LIMIT:
        return False
    return any(m.start() != r.start and not _opens_a_sentence(ctx.text, m.start())
               for m in re.finditer(rf"(?<![\w-]){re.escape(r.text)}(?![\w-])", ctx.text))


def _opener_length(r: RawMention, ctx: Context) -> int:
    """How many characters of a model name are a sentence's opening word (see
    :data:`_OPENERS`), with the space after it; 0 when none."""
    first, _, rest = r.text.partition(" ")
    if rest.startswith("the ") and rest[4:5].isupper():
        rest = rest[4:]  # "Contact the New York Commodities Desk"
    if not rest[:1].isupper() or first.casefold() not in _OPENERS or not first[:1].isupper() or first.isupper():
        return 0
    if not _opens_a_sentence(ctx.text, r.start) or _opener_in_the_name(r, first, rest, ctx):
        return 0
    return len(r.text) - len(rest)


#: a route: "a ride from Vergeze to Sisteron", "194 km from Sisteron to Hyeres"
_ROUTE_RE = re.compile(r"\bfrom[ \t]+([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)[ \t]+to[ \t]+([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)\b")
#: a person's full name, then "of" and the team, firm or town ("Jens Kohlhaas of Telekom")
_PERSON_OF_RE = re.compile(r"^([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,2})[ \t]+of[ \t]+([A-Z][\w.&'’-]*(?:[ \t]+[A-Z][\w.&'’-]*){0,3})$")


#: words of travel before a route: "a 185-km ride from ...", "flew from ...", "the stage from ..."
_TRAVEL_BEFORE_RE = re.compile(
    r"\b(?P<word>km|kms|kilometres?|kilometers?|miles?|ride|rides|stage|stages|flights?|flew|fly|flies|route|road|roads|"
    r"journey|trip|march|marched|drive|drove|driven|trains?|bus|travel(?:l)?ed|travel(?:l)?ing|moved|highway|"
    r"pipeline|railway|rail|sailed|walked|trek|convoy|leg|runs?|ran|fled|evacuated|transferred)\b[^.!?]*$", re.I)


#: words of travel that in a story of a team sport move a player between clubs
_TRANSFER_WORDS = frozenset({"moved", "transferred"})


def _route_end(name: str, ctx: Context) -> bool:
    """A route's end that may be a town: a known place or country, or one capitalised word (not
    written in capitals, no demonym, no organisation our table knows)."""
    if known_place(name) is not None or ctx.gazetteer.country_code(name) is not None:
        return True
    return (" " not in name and not name.isupper() and ctx.gazetteer.demonym_code(name) is None
            and ctx.organisations.lookup(name) is None)


def _route_places(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The two ends of a route are places ("a ride from Vergeze to Sisteron"), however the
    model labelled them, and one name it ran over both ends is two: only after words of
    travel ("km", "ride", "flew"), and only ends that may be towns (:func:`_route_end`)."""
    if " to " not in ctx.text:
        return raws
    ends = {}
    for route in _ROUTE_RE.finditer(ctx.text[:SEARCH_LIMIT]):
        names = route.group(1), route.group(2)
        travel = _TRAVEL_BEFORE_RE.search(ctx.words_before(route.start(), 40))
        if not (travel and all(_route_end(name, ctx) for name in names)):
            continue  # "from US Weekly to Time Magazine", "from Medieval Spanish to Modern Spanish"
        if travel.group("word").casefold() in _TRANSFER_WORDS and _TEAM_SPORT_LINE_RE.match(ctx.text):
            continue  # "Shearer moved from Blackburn to Newcastle": a player's clubs
        for group in (1, 2):
            if ctx.gazetteer.country_code(route.group(group)) is None:
                ends[route.span(group)] = route.group(group)
    if not ends:
        return raws
    out = []
    for r in raws:
        if r.label in NAME_LABELS:
            inside = [(a, b) for a, b in ends if r.start <= a and b <= r.end]
            if inside and all(c.isspace() or c in "to" for c in _outside(r, inside)):
                out.extend(RawMention("GPE", ends[(a, b)], a, b, r.sentence, host=ROUTE) for a, b in inside)
                continue
        out.append(r)
    return out


def _outside(r: RawMention, spans: list[tuple[int, int]]) -> str:
    """The characters of a mention outside the given spans."""
    kept = [c for i, c in enumerate(r.text, r.start) if not any(a <= i < b for a, b in spans)]
    return "".join(kept)


def _person_of(r: RawMention, ctx: Context) -> list[RawMention] | None:
    """"Jens Kohlhaas of Telekom": a person's full name (starting with a given name) and the
    team, firm or town the model ran into it, as two mentions."""
    match = _PERSON_OF_RE.match(r.text)
    if not match or match.group(1).split()[0].casefold() not in ctx.given_names:
        return None
    other = match.group(2)
    label = "GPE" if (known_place(other) or ctx.gazetteer.country_code(other)) else "ORG"
    return [RawMention("PERSON", match.group(1), r.start, r.start + match.end(1), r.sentence),
            RawMention(label, other, r.start + match.start(2), r.start + match.end(2), r.sentence)]


def split_joined(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """Names the model ran together, taken apart: at a spaced dash or slash, at a colon,
    and at an "&" between two names of their own; and a name that ends in "&", "of" or a
    dash loses it. Each piece keeps the model's label and is resolved on its own.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    out = []
    for r in _route_places(raws, ctx):
        if r.label not in NAME_LABELS and r.label not in LINK_ONLY_LABELS:
            out.append(r)
            continue
        if r.label == "PERSON" and " of " in r.text and (pieces := _person_of(r, ctx)):
            out.extend(pieces)
            continue
        if cut := _opener_length(r, ctx):  # "Recalling U.N. failures" -> "U.N."
            r = RawMention(r.label, r.text[cut:], r.start + cut, r.end, r.sentence, r.code, r.host)
        if ", " in r.text and (places := _places_by_comma(r, ctx)):
            out.extend(places)  # "Grantham, Lincolnshire", "Blackburn, Lancashire, England"
            continue
        pieces = []
        start = 0
        joiner = _JOINER_RE if r.label == "PERSON" else _CLAUSE_JOINER_RE
        for match in [*joiner.finditer(r.text), None]:
            end = match.start() if match else len(r.text)
            chunk = r.text[start:end]
            pieces += [(start + a, start + b) for a, b in _split_ampersand(chunk, ctx)]
            start = match.end() if match else start
        changed = len(pieces) > 1
        for a, b in pieces:
            trimmed = _DANGLING_RE.sub("", r.text[a:b])
            changed = changed or len(trimmed) != b - a
            b = a + len(trimmed)
            if changed and trimmed.strip():
                out.append(RawMention(r.label, trimmed, r.start + a, r.start + b, r.sentence, r.code, r.host))
        if not changed:
            out.append(r)
    return out


_TEAM_NAME = r"[A-Z][\w.'’&-]*(?:[ \t]+(?:[A-Z][\w.'’&-]*|and|de|del|of|la))*?"
#: A line of match results: a team, its score, maybe the scorers in brackets, the other team
#: and its score, the scores plain whole numbers ("Arsenal 2 Liverpool 0", "Boston 104 MIAMI
#: 99"); not bowling figures ("Benjamin 9.4-0-43-1"), set scores ("6-3") or a standings row.
#: Each team may have its country in brackets, and the line the venue first ("In Athens:
#: Panathinaikos (Greece) 71 Real Madrid (Spain) 65", European club competitions).
_TEAM_COUNTRY = r"(?:[ \t]*\([ \t]*[A-Z][\w.'’ ]{1,30}\))?"
_TEAM_LINE_RE = re.compile(
    rf"^[ \t]*(?:In[ \t]+[A-Z][\w.'’ -]{{1,40}}:[ \t]*)?(?P<a>{_TEAM_NAME}){_TEAM_COUNTRY}[ \t]+\d{{1,3}}[ \t]+"
    rf"(?:\([^)\n]*\)[ \t]*)?(?P<b>{_TEAM_NAME}){_TEAM_COUNTRY}[ \t]+\d{{1,3}}(?![\w.,:/-])",
    re.M,
)
#: A row of a league table: a name and six whole numbers or more (played, won, drawn, lost,
#: goals for and against, points); golf rounds and athletics times have fewer or decimals.
_STANDINGS_RE = re.compile(rf"^[ \t]*(?P<a>{_TEAM_NAME})(?:[ \t]+\d{{1,3}}){{6,}}[ \t]*$", re.M)
#: a team's name of at most six words: bounded, so that a long run of capitalised words costs
#: a few steps at each word, not a scan of the rest of the run (quadratic on 100,000 characters)
_SHORT_TEAM_NAME = r"[A-Z][\w.'’&-]*(?:[ \t]+(?:[A-Z][\w.'’&-]*|and|de|del|of|la)){0,5}?"
_TEAM_SCORE = rf"{_SHORT_TEAM_NAME}[ \t]+\d{{1,3}}(?![\w.,:/-])"
#: Results run together on one line (text joined from sentences without line breaks):
#: four team-and-score pairs in a row or more ("Nottingham Forest 0 Leicester 0 Aston Villa
#: 2 Derby 1"); each pair is then a team (group ``a`` of :data:`_TEAM_SCORE_RE`).
_RESULTS_RUN_RE = re.compile(rf"(?<![\w.'’&-])(?:{_TEAM_SCORE}[ \t]+){{3,}}{_TEAM_SCORE}")
_TEAM_SCORE_RE = re.compile(rf"(?<![\w.'’&-])(?P<a>{_SHORT_TEAM_NAME})[ \t]+\d{{1,3}}(?![\w.,:/-])")
#: Results listed in a sentence, each match a team, its score, the other team and its score,
#: the matches parted by commas or semicolons, two at least ("Results: Chelsea 2 Everton 2,
#: Liverpool 3 Middlesbrough 0."); each team is group ``a`` of :data:`_LISTED_TEAM_RE`.
_LISTED_MATCH = rf"{_TEAM_SCORE}[ \t]+{_SHORT_TEAM_NAME}[ \t]+\d{{1,3}}(?![\w/:-])(?![.,]\d)"
_RESULTS_LIST_RE = re.compile(rf"(?<![\w.'’&-])(?<!\bda )(?<!\bde )(?<!\bdo )(?<!\bdel )(?<!\bdos )(?:{_LISTED_MATCH}[,;][ \t]+)+{_LISTED_MATCH}")
_SCORERS_BEFORE_RE = re.compile(r"\b(?:scorers?|goals?|points|try-scorers|tries|penalties|assists)\b[^.]*$", re.I)
_LISTED_SPORT_RE = re.compile(r"\s*(?:SOCCER|FOOTBALL|RUGBY|BASKETBALL|(?:ICE )?HOCKEY|BASEBALL|CRICKET|AMERICAN FOOTBALL|"
                              r"NFL|NBA|NHL)\b")
_LISTED_TEAM_RE = re.compile(rf"(?<![\w.'’&-])(?P<a>{_SHORT_TEAM_NAME})[ \t]+\d{{1,3}}(?![\w/:-])(?![.,]\d)")


#: a number right after a team's name that may be part of it ("Schalke 04", "Hannover 96"),
#: a score or a table's figures after it
_CLUB_NUMBER_RE = re.compile(r"[ \t]+(\d{2})(?=[ \t]+\d)")


def team_lines(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """The two teams of each line of match results, and the team of each row of a league
    table, as ``TEAM`` mentions: the model reads
    such lines badly ("Chelsea 1 Everton" as one organisation, "Aston Villa" as a person,
    "Arsenal" not at all). What the model marked on a team's words goes; a country there is
    its national team and is left to the country hits.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    if solo_sport_story(ctx):
        return raws  # "3. Orlando 385" in a skating story: a skater's points, no team
    teams = []
    text = ctx.text[:SEARCH_LIMIT]
    runs = [pair for run in _RESULTS_RUN_RE.finditer(text) for pair in _TEAM_SCORE_RE.finditer(text, *run.span())]
    if _LISTED_SPORT_RE.match(text):  # not a poll's "Clinton 49 Dole 35, Perot 8 Undecided 8"
        runs += [pair for run in _RESULTS_LIST_RE.finditer(text) for pair in _LISTED_TEAM_RE.finditer(text, *run.span())
                 # not players and minutes or points: "Scorers: Laudrup 23 Gascoigne 50, McCoist 70 Albertz 85"
                 if not _SCORERS_BEFORE_RE.search(ctx.line_at(run.start()), 0, run.start() - text.rfind("\n", 0, run.start()) - 1)]
    scorers = bracketed_scorers(text) if "(" in text else []
    for match in [*_TEAM_LINE_RE.finditer(text), *_STANDINGS_RE.finditer(text), *runs]:
        for group in ("a", "b") if match.re is _TEAM_LINE_RE else ("a",):
            start, end = match.span(group)
            if any(a <= start and end <= b for a, b in scorers):
                continue  # "( Valdo 30 )": a scorer and the minute
            written = match.group(group)
            if (number := _CLUB_NUMBER_RE.match(text, end)) and ctx.organisations.lookup(f"{written} {number.group(1)}"):
                end = number.end(1)  # "Schalke 04 1": the club's number, then the score
                written = text[start:end]
            name = title_case(written) if written.isupper() and len(written) > 4 else written
            if ctx.gazetteer.country_code(name) or ctx.gazetteer.country_code(written) or name.casefold() in HOME_NATIONS:
                continue  # a national side is its country ("Wales 1 Holland 3": a place)
            if match.re is _STANDINGS_RE and name.split()[0].casefold() in ctx.given_names:
                continue  # a player's row
            teams.append(RawMention(TEAM_LABEL, name, start, end, match.group(0).strip()))
    if not teams:
        return raws
    teams = list({(r.start, r.end): r for r in teams}.values())  # a line's pairs may be in a run too
    spans = SpanIndex(teams)
    kept = [r for r in raws if r.label == COUNTRY_HIT or r.label in DOMAIN_LABELS or not spans.overlapping(r)]
    return sorted(kept + teams, key=lambda r: (r.start, -r.end))
