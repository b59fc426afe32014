"""When a gazetteer match is only part of a longer proper name, and is better left to the model."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token


def is_name_word(token: Token) -> bool:
    """A capitalised word that is not a stop word: the kind that continues a name."""
    return token.is_title and token.is_alpha and not token.is_stop


def name_continues_after(doc: Doc, end: int) -> bool:
    """A capitalised word right after the match, in the same sentence ("Jordan Henderson",
    "NATO Summit"); a match ending in a full stop ("the U.K.") ends its sentence.

    :param doc: the doc
    :param end: token index after the match
    """
    if end >= len(doc) or doc[end].is_sent_start:
        return False
    if not is_name_word(doc[end]):
        # a capitalised stop word between name words: "Credit Suisse First Boston"
        return (doc[end].is_title and doc[end].is_alpha and doc[end].is_stop and end + 1 < len(doc)
                and not doc[end - 1].text.endswith(".") and is_name_word(doc[end + 1]))
    if doc[end - 1].text.endswith("."):
        # "He flew to the U.K. Officials said": the sentencizer does not end the sentence
        # there, so the name goes on only when its words hold an organisation word
        # ("U.S. Senate Banking Committee"), or its one word is an institution ("U.S. Army").
        run = []
        for token in doc[end : end + 4]:
            if not (is_name_word(token) or token.lower_ in ("of", "and")):
                break
            run.append(token.lower_)
        if len(run) == 1:  # "the U.S. Police said" may be a new sentence; "U.S. Senate" is not
            return run[0] in INSTITUTIONS
        return bool(set(run) & _org_words())
    return True


#: One word after "U.S." or "U.K." that continues the name ("U.S. Senate", "U.K. Treasury")
INSTITUTIONS = frozenset("senate congress army navy treasury embassy government administration parliament "
                         "ministry department court marines".split())


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    from newsarchive.nlp.entities.organisations import name_words

    return name_words().org_words


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    from newsarchive.nlp.entities.organisations import name_words

    return name_words().given_names


def _known_place(name: str):
    from newsarchive.nlp.entities.countries import known_place

    return known_place(name)


def name_continues_before(doc: Doc, start: int, possessive: bool = False) -> bool:
    """A capitalised word right before the match ("Michael Jordan"), or one before "of" /
    "of the" ("State Bank of India", "Court of Justice of the European Union") or before a
    possessive ("Women's National Basketball Association") when ``possessive`` is set: an
    organisation's name, not a country's ("Kate's Seychelles honeymoon"), and not after a
    country or a place ("Russia's Interfax", "Moscow's Federal Security Service") or a
    hyphened modifier ("pro-Iranian Hizbollah").

    :param doc: the doc
    :param start: token index of the match
    """
    if start == 0 or doc[start].is_sent_start:
        return False
    index = start - 1
    if doc[index].lower_ == "the" and index > 0 and doc[index - 1].lower_ == "of":
        index -= 1
    if doc[index].lower_ == "of":
        return index > 0 and is_name_word(doc[index - 1])
    if possessive and doc[index].text in ("'s", "’s") and index > 0:
        # "Women's National Basketball Association"; not "Russia's Interfax", "Moscow's ..."
        owner = doc[index - 1]
        return is_name_word(owner) and not owner.ent_type_ and _known_place(owner.text) is None
    if (index > 0 and doc[index].text in ("-", "–") and not doc[index].whitespace_
            and not doc[index - 1].whitespace_ and is_name_word(doc[index - 1])):
        return _known_place(doc[index - 1].text) is None  # "Williams-Renault"; not "Anglo-Dutch Unilever"
    if index > 0 and doc[index - 1].text in ("-", "–") and not doc[index - 1].whitespace_:
        # "pro-Iranian Hizbollah", "Syrian-backed Hezbollah": a modifier, not the name; but
        # "Jean-Pierre Siemens" is a person's name
        return (index > 1 and doc[index - 2].lower_ in _given_names() and doc[index].lower_ in _given_names()
                and index == start - 1)
    if index == start - 1 and doc[index].is_sent_start and doc[index].lower_ in STANDING_WORDS:
        return False  # "Champions Borussia Dortmund went top": a description opening the sentence
    return is_name_word(doc[index]) and index == start - 1


#: Words that open a sports report's sentence before a side's name and are no part of it
#: ("Champions Borussia Dortmund", "Leaders Ajax Amsterdam", "Holders Juventus")
STANDING_WORDS = frozenset("champions holders leaders hosts visitors newcomers promoted relegated defending "
                           "unbeaten struggling rivals neighbours giants outsiders favourites underdogs "
                           "title-holders runners-up".split())


def inside_longer_name(doc: Doc, start: int, end: int, possessive: bool = False) -> bool:
    """Whether the match at ``start:end`` looks like part of a longer proper name.

    :param doc: the doc
    :param start: token index of the match
    :param end: token index after the match
    :param possessive: a name word and "'s" before the match continue the name too
    """
    return name_continues_after(doc, end) or name_continues_before(doc, start, possessive)
