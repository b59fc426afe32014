"""Teams in sports results lines that the model did not mark.

Newswire prints results one match a line: "Ajax Amsterdam 3 Feyenoord Rotterdam 1",
"CHICAGO 5 Pittsburgh 3" (the home team in capitals). The small model, trained on running
prose, marks few names in such lines, or only part of one ("Vitesse" of "Vitesse Arnhem").
A line that is exactly two capitalised names each followed by a score names two teams:
each becomes an organisation mention (a country there is its national team, a city the
club named after it: :mod:`newsarchive.nlp.entities.names` decides which), replacing any
shorter model mention inside it.

A table row that is a name and four or more figures ("Ajax Amsterdam 24 17 4 3 55 20 55")
is a standings row when the name played in a results line of the same article; golf and
athletics tables have the same shape with people in them, so a name seen nowhere else is
left to the model.
"""

from __future__ import annotations

import re

from newsarchive.nlp.entities.mentions import NAME_LABELS, Context, RawMention
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
#: results lines are searched in this much of the text (a results page is short)
SEARCH_LIMIT = 100_000


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
