"""Teams in sports results lines that the model did not mark.

Newswire prints results one match a line: "Ajax Amsterdam 3 Feyenoord Rotterdam 1",
"CHICAGO 5 Pittsburgh 3" (the home team in capitals). The small model, trained on running
prose, marks few names in such lines, or only part of one ("Vitesse" of "Vitesse Arnhem").
A line that is exactly two capitalised names each followed by a score names two teams:
each becomes an organisation mention (a country there is its national team, a city the
club named after it: :mod:`newsarchive.nlp.entities.names` decides which), replacing any
shorter model mention inside it.

People are named in sports notation the model was not trained on, and it types them
at random there (a bowler as a place): :func:`scorecard_people` reads that notation.

A table row that is a name and four or more figures ("Ajax Amsterdam 24 17 4 3 55 20 55")
is a standings row when the name played in a results line of the same article; golf and
athletics tables have the same shape with people in them, so a name seen nowhere else is
left to the model.
"""

from __future__ import annotations

import re

from newsarchive.nlp.entities.mentions import NAME_LABELS, SPORTS_NOTATION, Context, RawMention
from newsarchive.nlp.entities.surface import title_case

#: A capitalised word of a team's name ("Ajax", "SAN", "St.", "Queens'", "Brighton-Hove").
_WORD = r"[A-Z][\w.'’&-]*"
#: Lower-case words allowed inside a name ("Borussia Moenchengladbach", "Rayo de Vallecano").
_PARTICLE = r"(?:de|del|da|do|di|van|von|der|den|la|le|el|al|of|and|y)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_WORD}|{_PARTICLE}(?=[ \t]+[A-Z])))*"
#: "Ajax Amsterdam 3 Feyenoord Rotterdam 1", maybe a note after it ("(halftime 1-0)", "aet").
_MATCH_RE = re.compile(rf"^[ \t]*({_NAME})[ \t]+(\d{{1,3}})[ \t]+({_NAME})[ \t]+(\d{{1,3}})(?![\w.-])"
                       r"(?:[ \t]+(?:\(.*\)|[a-z.]+))?[ \t]*$", re.M)
#: "Ajax Amsterdam 24 17 4 3 55 20 55": a name, then four figures or more.
_STANDING_RE = re.compile(rf"^[ \t]*({_NAME})(?:[ \t]+\d{{1,4}}){{4,}}[ \t]*$", re.M)
#: a leaderboard has at least this many lines of a score and players
GOLF_LINES = 3
#: results lines are searched in this much of the text (a results page is short)
SEARCH_LIMIT = 100_000


def match_line(line: str) -> bool:
    """Whether ``line`` is the result of one match ("Florida 6 ATLANTA 2")."""
    return _MATCH_RE.fullmatch(line.strip("\n")) is not None


def results_teams(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """``raws`` with the teams of results lines and standings rows added as organisation
    mentions (see the module docstring); a model mention inside a team's name gives way.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    text = ctx.text[:SEARCH_LIMIT]
    teams: list[tuple[int, int]] = []
    played: set[str] = set()
    for match in _MATCH_RE.finditer(text):
        for group in (1, 3):
            teams.append(match.span(group))
            played.add(match.group(group).casefold())
    if not teams:
        return raws
    for match in _STANDING_RE.finditer(text):
        if match.group(1).casefold() in played:
            teams.append(match.span(1))
    added = []
    kept = list(raws)
    for start, end in teams:
        name = text[start:end]
        if all(word.casefold() in ctx.table_words for word in name.split()):
            continue  # "Total 12 ..."
        inside = [r for r in kept if r.start < end and start < r.end]
        if any(r.start <= start and end <= r.end for r in inside):
            continue  # the model has it (or more)
        if any(r.label not in NAME_LABELS and (r.start < start or r.end > end) for r in inside):
            continue  # something else crosses it: leave the line alone
        kept = [r for r in kept if r not in inside or r.label not in NAME_LABELS]
        written = title_case(name) if name.isupper() else name  # "SAN DIEGO": the home team
        added.append(RawMention("ORG", written, start, end, ctx.line_at(start)))
    return sorted(kept + added, key=lambda r: (r.start, -r.end))


#: A surname, or initials and a surname ("Streak", "N. Knight", "de Villiers", "Van Troost").
_PERSON = r"(?:(?:[A-Z]\.[ \t]?)+[ \t]?)?(?:(?:de|van|von|du|le|da)[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?"
#: cricket: the fielder and the bowler of a dismissal ("c Campbell b Streak 15", "lbw b
#: Olonga 48", "st Flower b Strang", "c and b Whittall"), on a line that ends with the runs
_DISMISSAL_RE = re.compile(rf"(?<![\w.])(?:c|b|st|lbw[ \t]+b|c[ \t]+and[ \t]+b)[ \t]+({_PERSON})(?=[ \t]+(?:b[ \t]|\d))")
_SCORE_LINE_END_RE = re.compile(r"\d+[ \t]*$")
#: cricket: the batsman at the start of a line of the scorecard ("N. Knight c Campbell ...")
_BATSMAN_RE = re.compile(rf"^[ \t]*({_PERSON})[ \t]+(?:c|b|lbw|st|run[ \t]+out|not[ \t]+out|retired)[ \t]")
#: cricket: bowling figures after a name ("Streak 24-6-70-2", "Benjamin 9.4-0-43-1")
_BOWLING_RE = re.compile(rf"(?<![\w.])({_PERSON})[ \t]+\d{{1,2}}(?:\.\d)?-\d{{1,2}}-\d{{1,3}}-\d{{1,2}}\b")
#: football: a scorer and the minute ("Ronaldo (12th minute)", "Bebeto (55)", "Shearer (pen 20)")
_SCORER_RE = re.compile(rf"(?<![\w.])({_PERSON})[ \t]+\([ \t]*(?:\d|pen|penalty|o\.?g\.?)")
_SCORERS_LINE_RE = re.compile(r"^[ \t]*(?:scorers?|goals?|goalscorers?)[ \t]*[:-]", re.I)
#: golf: a round's score, then players, each perhaps with a country
#: ("66 Ernie Els (South Africa), Colin Montgomerie")
_GOLF_LINE_RE = re.compile(rf"^[ \t]*\d{{2,3}}[ \t]+((?:{_PERSON}(?:[ \t]+{_PERSON})?(?:[ \t]+\([ \t]*[A-Z][\w. ]*\))?"
                           rf"(?:[ \t]*,[ \t]*|[ \t]*$))+)", re.M)
_GOLF_PLAYER_RE = re.compile(rf"({_PERSON}(?:[ \t]+{_PERSON})?)(?:[ \t]+\([ \t]*[A-Z][\w. ]*\))?[ \t]*(?:,|$)")


def _notation_spans(text: str) -> list[tuple[int, int]]:
    """Where sports notation names a person (see :func:`scorecard_people`)."""
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
    leaderboard = list(_GOLF_LINE_RE.finditer(text))
    if len(leaderboard) < GOLF_LINES:
        leaderboard = []  # "10 Downing Street" alone on a line is an address, not a round of golf
    for line in leaderboard:
        spans.extend((line.start(1) + m.start(1), line.start(1) + m.end(1))
                     for m in _GOLF_PLAYER_RE.finditer(line.group(1)))
    return spans


def scorecard_people(raws: list[RawMention], ctx: Context) -> list[RawMention]:
    """``raws`` with the people of sports notation as person mentions: cricket dismissals
    and bowling figures, football scorers with their minute, golf scores before players. A
    model mention of a name there, typed as anything, gives way to the person.

    :param raws: the article's raw mentions
    :param ctx: the article context
    """
    text = ctx.text[:SEARCH_LIMIT]
    added = []
    kept = list(raws)
    for start, end in _notation_spans(text):
        name = text[start:end]
        if all(word.casefold() in ctx.table_words for word in name.split()) or ctx.gazetteer.country_code(name):
            continue
        inside = [r for r in kept if r.start < end and start < r.end]
        if any(r.label == "PERSON" and r.start <= start and end <= r.end for r in inside):
            continue
        if any(r.label not in NAME_LABELS for r in inside):
            continue
        kept = [r for r in kept if r not in inside]
        added.append(RawMention("PERSON", name, start, end, ctx.line_at(start), host=SPORTS_NOTATION))
    return sorted(kept + added, key=lambda r: (r.start, -r.end))
