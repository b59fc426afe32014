"""People of sports notation, which the model was not trained on.

Newswire sports pages name people in notation, not prose: a cricket scorecard ("N. Knight
c Campbell b Streak 15"), bowling figures ("Streak 24-6-70-2"), a scorers line ("Scorers:
Ronaldo (12th minute)") or the scorers in brackets after a side's goals ("Ajax 2 ( Musampa
12 , Babangida 80 )"), a golf leaderboard ("66 Ernie Els (South Africa), Colin
Montgomerie"). The small model marks few of these names, and types those it marks at
random (a bowler as a place, a fielder as an organisation). :func:`scorecard_people` reads
the notation and makes each a person. (Teams of results lines are
:func:`newsarchive.nlp.entities.surface.team_lines`.)
"""

from __future__ import annotations

import re
from bisect import bisect_left

from newsarchive.nlp.entities.mentions import (
    CALENDAR_WORDS,
    LINK_ONLY_LABELS,
    NAME_LABELS,
    SPORTS_NOTATION,
    TEAM_LABEL,
    Context,
    RawMention,
)

#: a leaderboard has at least this many lines of a score and players
GOLF_LINES = 3
#: sports notation is searched in this much of the text (a results page is short)
SEARCH_LIMIT = 100_000
#: a mention longer than this (characters) is looked at for every name of the notation
LONG_MENTION = 200


#: A surname, or initials and a surname ("Streak", "N. Knight", "de Villiers", "Van Troost").
_PERSON = r"(?:(?:[A-Z]\.[ \t]?){1,4}[ \t]?)?(?:(?:de|van|von|du|le|da)[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?"
#: cricket: the fielder and the bowler of a dismissal ("c Campbell b Streak 15", "lbw b
#: Olonga 48", "st Flower b Strang", "c and b Whittall"), on a line that ends with the runs
_DISMISSAL_RE = re.compile(rf"(?<![\w.'’-])(?:c|b|st|lbw[ \t]+b|c[ \t]+and[ \t]+b)[ \t]+({_PERSON})(?=[ \t]+(?:b[ \t]|\d))")
_SCORE_LINE_END_RE = re.compile(r"\d+[ \t]*$")
#: cricket: the batsman at the start of a line of the scorecard ("N. Knight c Campbell ...")
_BATSMAN_RE = re.compile(rf"^[ \t]*({_PERSON})[ \t]+(?:c|b|lbw|st|run[ \t]+out|not[ \t]+out|retired)[ \t]")
#: cricket: bowling figures after a name ("Streak 24-6-70-2", "Benjamin 9.4-0-43-1")
_BOWLING_RE = re.compile(rf"(?<![\w.'’-])({_PERSON})[ \t]+\d{{1,2}}(?:\.\d)?-\d{{1,2}}-\d{{1,3}}-\d{{1,2}}\b")
#: football: a scorer and the minute ("Ronaldo (12th minute)", "Bebeto (55)", "Shearer (pen 20)")
_SCORER_RE = re.compile(rf"(?<![\w.'’-])({_PERSON})[ \t]+\([ \t]*(?:\d|pen|penalty|o\.?g\.?)")
_SCORERS_LINE_RE = re.compile(r"^[ \t]*(?:(?:leading|top)[ \t]+)?(?:scorers?|goals?|goalscorers?)[ \t]*[:-]", re.I)
#: in a line of leading scorers, a side and its players with their points: "Panathinaikos -
#: Dino Karras 22, Nikos Vlachos 14; Real Madrid - Alberto Ruiz 19"
_SIDE_OF_SCORERS_RE = re.compile(r"(?:[:;][ \t]*)([A-Z][\w'’&.-]*(?:[ \t]+[A-Z][\w'’&.-]*){0,3})[ \t]+[-–][ \t]+(?=[A-Z])")
#: football: the scorers in brackets after a side's goals, each with the minute ("Ajax 2 (
#: Musampa 12 , Babangida 80 pen ) Feyenoord 0"); ten scorers at most
_SCORER_MINUTE = rf"{_PERSON}[ \t]+\d{{1,3}}(?:[ \t]*(?:pen|penalty|o\.?g\.?))?"
#: a scorer's further goals are minutes alone after a comma: "( Nilis 20 , 55 , Jonk 70 )"
_MINUTE_ALONE = r"\d{1,3}(?:[ \t]*(?:pen|penalty|o\.?g\.?))?"
_BRACKETED_SCORERS_RE = re.compile(rf"(?<![\w.,-])\d{{1,2}}[ \t]*\([ \t]*({_SCORER_MINUTE}(?:[ \t]*,[ \t]*(?:{_SCORER_MINUTE}|{_MINUTE_ALONE})){{0,9}})[ \t]*\)")
_SCORER_MINUTE_RE = re.compile(rf"(?<![\w.'’-])({_PERSON})[ \t]+\d{{1,3}}")
#: golf: a round's score, then players, each perhaps with a country and the scores of each
#: round ("66 Ernie Els (South Africa), Colin Montgomerie", "132 Des Terblanche 65 67")
_ROUNDS = r"(?:[ \t]+\d{2}){0,4}"
_GOLF_LINE_RE = re.compile(rf"^[ \t]*\d{{2,3}}[ \t]+((?:{_PERSON}(?:[ \t]+{_PERSON})?(?:[ \t]+\([ \t]*[A-Z][\w. ]*\))?"
                           rf"{_ROUNDS}(?:[ \t]*,[ \t]*|[ \t]*$))+)", re.M)
_GOLF_PLAYER_RE = re.compile(rf"(?<![\w.'’-])({_PERSON}(?:[ \t]+{_PERSON})?)(?:[ \t]+\([ \t]*[A-Z][\w. ]*\))?{_ROUNDS}"
                             r"[ \t]*(?:,|$)")


#: A competitor's full name: two to four capitalised words ("Thomas Muster", "Jose Maria Olazabal").
_FULL_NAME = r"[A-Z][\w'’-]+(?:[ \t]+(?:(?:de|van|von|der|da|di|le|la|del)[ \t]+)?[A-Z][\w'’-]+){1,3}"
#: a player and his points in a line of scorers: "Dino Karras 22"
_POINTS_SCORER_RE = re.compile(rf"(?<![\w'’-])({_FULL_NAME})[ \t]+\d{{1,3}}(?![\w:-]|\.\d)")
_COUNTRY_IN_BRACKETS = r"[ \t]*\([ \t]*(?P<country>[A-Z][\w. ]*?)[ \t]*\)"
#: results of individual sports: a competitor with a country in brackets, first in a line
#: after a rank or a seeding ("1. Michael Schumacher ( Germany )", "1 - Thomas Muster ( Austria )
#: beat ...") or after "beat" or a draw's "v" ("beat 4 - Boris Becker ( Germany ) 7-5 6-4",
#: "qualifier v 2-Alberto Carrasco (Spain)"), or after a rank inside a line that runs several
#: results together ("36.18 seconds 2. Marco Orlando (Italy) 36.29 3. Dirk-Jan Kuipers (Netherlands)")
_ATHLETE_RE = re.compile(rf"(?:^[ \t]*(?:\d{{1,3}}[.)]?[ \t]*(?:-[ \t]*)?)?|\b(?:beat|v|vs)\.?[ \t]+(?:\d{{1,2}}[ \t]*-[ \t]*)?"
                         rf"|(?<=[ \t])(?P<inline>\d{{1,3}})\.[ \t]+)"
                         rf"(?P<name>{_FULL_NAME}){_COUNTRY_IN_BRACKETS}", re.M)
#: after a competitor and a country in brackets: a score, then another side and its country,
#: as a results line of clubs writes them
_SECOND_SIDE_RE = re.compile(r"[ \t]+\d{1,3}[ \t]+[A-Z][\w.'’&-]*(?:[ \t]+[A-Z][\w.'’&-]*){0,4}[ \t]*\(")
#: a draw's or a fixture's "v" between two sides ("Ajax Amsterdam (Netherlands) v Porto (Portugal)")
_V_AFTER_RE = re.compile(r"[ \t]+vs?\.?[ \t]")
_V_BEFORE_RE = re.compile(r"\bvs?\.?[ \t]+(?:\d{1,2}[ \t]*-[ \t]*)?$")


def _facing_side(text: str, match: re.Match) -> bool:
    """Whether a competitor with a country in brackets faces another side in its line: a
    score and a second side after it, or a draw's "v" before or after it."""
    return bool(_SECOND_SIDE_RE.match(text, match.end()) or _V_AFTER_RE.match(text, match.end())
                or _V_BEFORE_RE.search(text, match.start(), match.start("name")))


def _club_sides(name: str, ctx: Context) -> bool:
    """Whether sides that face each other in a results or draw line are clubs, not players: in
    a wire story of a team sport they are ("Efes Pilsen (Turkey) 78 ...", "Ajax Amsterdam
    (Netherlands) v Atletico Madrid (Spain)"); in one of a sport of individuals they are not
    ("Stephen Hendry (Scotland) 9 Alan McManus (Scotland) 4", a tennis draw's "v"); elsewhere,
    a side that does not start with a given name is."""
    from newsarchive.nlp.entities.names import SPORT_HEADLINE_RE  # both import this module
    from newsarchive.nlp.entities.surface import SOLO_SPORT_HEADLINE_RE

    head = ctx.text[:120]
    if SPORT_HEADLINE_RE.match(head):
        return True
    if SOLO_SPORT_HEADLINE_RE.match(head):
        return False
    return name.split()[0].split("-")[0].casefold() not in ctx.given_names


def _ranked_club(name: str, ctx: Context) -> bool:
    """Whether a name ranked inside a line of several results is a club: outside a story of a
    sport of individuals, one that does not start with a given name ("2. Ajax Amsterdam
    (Netherlands) 104"; not "2. Hristo Stoichkov (Bulgaria) 3" among a football story's scorers)."""
    from newsarchive.nlp.entities.surface import SOLO_SPORT_HEADLINE_RE  # it imports this module

    return (not SOLO_SPORT_HEADLINE_RE.match(ctx.text[:120])
            and name.split()[0].split("-")[0].casefold() not in ctx.given_names)


#: the team after such a competitor, before the time or the gap ("( Germany ) Ferrari 1:28:15",
#: "( Switzerland ) ONCE same time") or at the end of the line ("(Germany) Telekom")
_TEAM_AFTER_RE = re.compile(r"\)[ \t]+(?P<team>[A-Z][\w&.'’-]*(?:[ \t]+[A-Z][\w&.'’-]*)?)(?:[ \t]+"
                            r"(?:\d|(?:all[ \t]+)?same[ \t]+time\b|s\.t\.)|[ \t]*(?=\n|$))")

#: what a results line writes after a competitor where a team may stand ("(Spain) Retired")
_NOT_TEAMS = frozenset("retired disqualified injured withdrew withdrawn abandoned dnf dns dsq disq walkover".split())

#: a side and its goals outside the brackets of a results line ("Benfica 1", "Porto 1")
_SIDE_SCORE_RE = re.compile(r"(?<![\w.'’&-])[A-Z][\w.'’&-]*[ \t]+\d{1,2}(?![\w.:/-])")
_NOT_SCORERS = CALENDAR_WORDS | {"article", "section", "chapter"}


#: a squad or line-up lists at least this many players, each with a club in brackets
SQUAD_ITEMS = 3
#: one player of a squad list with the club (or country) in brackets: "Will Carling
#: (Harlequins)", "Phil de Glanville ( Bath )"
_SQUAD_ITEM_RE = re.compile(rf"(?<![\w.'’-])(?P<name>{_FULL_NAME})[ \t]*\([ \t]*(?P<club>[A-Z][\w.&'’-]*"
                            r"(?:[ \t]+[A-Z][\w.&'’-]*){0,3})[ \t]*\)")
#: what comes shortly before a squad list: its heading or a position ("Squad:", "Goalkeepers -")
_SQUAD_CONTEXT_RE = re.compile(r"\b(?:squad|team|line-?up|goalkeepers?|defenders?|midfielders?|forwards?|strikers?|"
                               r"backs|reserves|substitutes|replacements|(?:goal|top[ \t]+|leading[ \t]+)?scorers)\b", re.I)
#: a party and a state in brackets after a politician: "(R-Kan.)", "(D-Mass.)"
_PARTY_TAG_RE = re.compile(r"[A-Z]-[A-Z][\w.]*")
#: what joins two items of a squad list: a comma, "and", or a line break, perhaps then the
#: rank or the goals of a list of scorers ("11 - Lee Dunmore (Newcastle)\n9 - Kevin ...")
_SQUAD_JOINER_RE = re.compile(r"[ \t]*(?:[,;]|\band\b)?[ \t]*(?:\n[ \t]*(?:\d{1,3}[ \t]*[-–.)]?[ \t]*)?)?")


#: a rugby or football line-up numbers its players by position, on one line: "15 - Gareth
#: Pryce; 14 - Ieuan Rees, 13 - Dafydd Morgan"; at least this many on the line
NUMBERED_PLAYERS = 4
_NUMBERED_PLAYER_RE = re.compile(rf"(?:^|[,;:][ \t]*)\d{{1,2}}[ \t]*[-–][ \t]*({_FULL_NAME})(?=[ \t]*(?:[,;.]|$|\())")


def squad_names(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of the players (``PERSON``) and clubs (:data:`TEAM_LABEL`) of
    squad lists: at least :data:`SQUAD_ITEMS` full names in a row, each followed by a club in
    brackets and joined by commas, semicolons or "and" ("Squad: Jon Callard (Bath), Will
    Carling (Harlequins), ..."), with a squad's heading or a position shortly before (lists of
    politicians with their party or state are written so too). The model reads such lists as
    prose and types the players at random. A country in brackets stays for the country hits;
    only its player is named here."""
    items = list(_SQUAD_ITEM_RE.finditer(text))
    runs: list[list[re.Match[str]]] = []
    for item in items:
        if runs and _SQUAD_JOINER_RE.fullmatch(text, runs[-1][-1].end(), item.start()) is not None:
            runs[-1].append(item)
        else:
            runs.append([item])
    named = []
    for run in runs:
        if len(run) < SQUAD_ITEMS or not _SQUAD_CONTEXT_RE.search(text, max(0, run[0].start() - 300), run[0].start()):
            continue
        if any(_PARTY_TAG_RE.fullmatch(item.group("club")) for item in run):
            continue  # "Bob Dole (R-Kan.)": a politician's party and state
        for item in run:
            named.append((*item.span("name"), "PERSON"))
            named.append((*item.span("club"), TEAM_LABEL))
    return named


def bracketed_scorers(text: str) -> list[tuple[int, int]]:
    """Spans of the brackets that list a side's scorers ("( Musampa 12 , Babangida 80 )"),
    on a line that gives two sides their goals outside brackets ("Benfica 1 ( Valdo 30 )
    Porto 1"): their "name minute" pairs are people, not teams of a results line. "Apollo 11
    (July 16)" and "Game 7 (June 22)" are no such line."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        groups = list(_BRACKETED_SCORERS_RE.finditer(line.group(0)))
        if not groups:
            continue
        outside = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group(0)), line.group(0))
        if len(_SIDE_SCORE_RE.findall(outside)) < 2:
            continue
        for group in groups:
            if not any(w.casefold() in _NOT_SCORERS for w in re.findall(r"[A-Za-z]+", group.group(1))):
                spans.append((line.start() + group.start(1), line.start() + group.end(1)))
    return spans


def _notation_spans(text: str, ctx: Context | None = None) -> list[tuple[int, int]]:
    """Where sports notation names a person (see :func:`scorecard_people`)."""
    return [(start, end) for start, end, label in _notation_names(text, ctx) if label == "PERSON"]


def _notation_names(text: str, ctx: Context | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of the people (``PERSON``) and teams (:data:`TEAM_LABEL`) that
    sports notation names; the competitors with a country in brackets need ``ctx`` (its
    gazetteer says what a country is)."""
    named = [(start, end, "PERSON") for start, end in _people_spans(text)]
    for line_match in re.finditer(r"[^\n]+", text):
        line = line_match.group(0)
        if _SCORERS_LINE_RE.match(line):  # "Leading scorers: Panathinaikos - Dino Karras 22, ..."
            base = line_match.start()
            named.extend((base + m.start(1), base + m.end(1), "PERSON") for m in _POINTS_SCORER_RE.finditer(line))
            named.extend((base + m.start(1), base + m.end(1), TEAM_LABEL) for m in _SIDE_OF_SCORERS_RE.finditer(line))
    if ctx is None:
        return named
    if "(" in text:
        named.extend((start, end, label) for start, end, label in squad_names(text)
                     if label == "PERSON" or not ctx.gazetteer.country_code(text[start:end]))
    for match in _ATHLETE_RE.finditer(text):
        if not ctx.gazetteer.country_code(match.group("country")):
            continue  # "Total ( France )" is written so too; a country in brackets is the test
        if _facing_side(text, match) and _club_sides(match.group("name"), ctx):
            continue  # "Efes Pilsen (Turkey) 78 Kinder Bologna (Italy) 71", "Ajax (Netherlands) v Porto (Portugal)"
        if match.group("inline") and _ranked_club(match.group("name"), ctx):
            continue  # "Top five: 1. Juventus (Italy) 2. Ajax Amsterdam (Netherlands) 3. Real Madrid (Spain)"
        named.append((*match.span("name"), "PERSON"))
        team = _TEAM_AFTER_RE.match(text, match.end("country"))
        if team is None:
            team = _TEAM_AFTER_RE.match(text, text.find(")", match.end("country")))
        if (team is not None and not ctx.gazetteer.country_code(team.group("team"))
                and team.group("team").casefold() not in _NOT_TEAMS):
            named.append((*team.span("team"), TEAM_LABEL))
    return named


def _people_spans(text: str) -> list[tuple[int, int]]:
    """Where cricket, golf and football notation names a person."""
    spans = []
    for line_match in re.finditer(r"[^\n]+", text):
        line, base = line_match.group(0), line_match.start()
        if _SCORE_LINE_END_RE.search(line):
            dismissals = [(base + m.start(1), base + m.end(1)) for m in _DISMISSAL_RE.finditer(line)]
            batsman = _BATSMAN_RE.match(line)
            if batsman and (dismissals or re.search(r"\b(?:not|run)[ \t]+out\b", line)):
                spans.append((base + batsman.start(1), base + batsman.end(1)))
            spans.extend(dismissals)
        spans.extend((base + m.start(1), base + m.end(1)) for m in _BOWLING_RE.finditer(line))
        if _SCORERS_LINE_RE.match(line):
            spans.extend((base + m.start(1), base + m.end(1)) for m in _SCORER_RE.finditer(line))
        for start, end in bracketed_scorers(line):
            spans.extend((base + m.start(1), base + m.end(1)) for m in _SCORER_MINUTE_RE.finditer(line, start, end))
    for line_match in re.finditer(r"[^\n]+", text):
        numbered = list(_NUMBERED_PLAYER_RE.finditer(line_match.group(0)))
        if len(numbered) >= NUMBERED_PLAYERS:  # "15 - Gareth Pryce; 14 - Ieuan Rees, 13 - ..."
            spans.extend((line_match.start() + m.start(1), line_match.start() + m.end(1)) for m in numbered)
    leaderboard = list(_GOLF_LINE_RE.finditer(text))
    if len(leaderboard) < GOLF_LINES:
        leaderboard = []  # "10 Downing Street" alone on a line is an address, not a round of golf
    for line in leaderboard:
        spans.extend((line.start(1) + m.start(1), line.start(1) + m.end(1))
                     for m in _GOLF_PLAYER_RE.finditer(line.group(1)))
    return spans


#: the model's labels of figures and dates, which it also puts on a surname next to scores
_FIGURE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def _lettered_figure(r: RawMention, start: int, end: int) -> bool:
    """A "date" or "number" whose part over a name (``start``, ``end``) is letters only: the
    model's reading of a surname among scores ("Justin Hobday 71 63" gives "Hobday 71 63" as
    a DATE)."""
    overlap = r.text[max(start, r.start) - r.start : min(end, r.end) - r.start]
    return r.label in _FIGURE_LABELS and not any(c.isdigit() for c in overlap)


#: the lower-case words of a cricket dismissal, inside a mention the model ran over two names
_NOTATION_WORD_RE = re.compile(r"(?<![\w'’-])(?:c|b|st|lbw|c&b)(?![\w'’-])")


def scorecard_people(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """``raws`` with the people of sports notation as person mentions: cricket dismissals
    and bowling figures, football scorers with their minute, golf scores before players. A
    model mention of a name there, typed as anything, gives way to the person.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    text = ctx.text[:SEARCH_LIMIT]
    # Mentions in order of start, so that those over a name are found by bisection from the
    # name's end back to its start less the longest mention of up to LONG_MENTION characters:
    # the cost grows with the names times the mentions near each, not times all mentions (a
    # page of 5,000 squad entries).
    ordered = sorted(raws, key=lambda r: r.start)
    starts = [r.start for r in ordered]
    # the few long mentions are always looked at, so that one of them does not widen the search for all
    long_ones = [i for i, r in enumerate(ordered) if r.end - r.start > LONG_MENTION]
    longest = max((r.end - r.start for r in ordered if r.end - r.start <= LONG_MENTION), default=0)
    dropped: set[int] = set()
    added = []
    for start, end, label in _notation_names(text, ctx):
        name = text[start:end]
        if all(word.casefold() in ctx.table_words for word in name.split()) or ctx.gazetteer.country_code(name):
            continue
        first, last = bisect_left(starts, start - longest), bisect_left(starts, end)
        near = range(first, last)
        inside = [i for i in (*near, *(i for i in long_ones if not first <= i < last))
                  if i not in dropped and ordered[i].start < end and ordered[i].end > start]
        inside.sort()
        if any(ordered[i].label == label and ordered[i].start <= start and end <= ordered[i].end
               and not _NOTATION_WORD_RE.search(ordered[i].text) for i in inside):
            continue  # the model's own mention of the name; not one it ran over "Moyo b Hallett"
        if any(ordered[i].label not in NAME_LABELS and ordered[i].label not in LINK_ONLY_LABELS
               and not _lettered_figure(ordered[i], start, end) for i in inside):
            continue  # a date, a number, a domain, a country hit: no person of the notation
        dropped.update(inside)
        added.append(RawMention(label, name, start, end, ctx.line_at(start), host=SPORTS_NOTATION))
    kept = [r for i, r in enumerate(ordered) if i not in dropped]
    return sorted(kept + added, key=lambda r: (r.start, -r.end))
