"""Entities journalists can trust: countries, places, organisations, people, groups and domains,
found by spaCy and our components, then normalised and linked within each article.

The steps, in order:

1. ``prepare_text`` makes any input safe (bytes decoded, control characters blanked with
   offsets kept) and ``split_chunks`` cuts long texts under spaCy's ``max_length`` at
   paragraph or sentence ends, remembering each piece's offset.
2. The pipeline (``newsarchive.nlp.entities.pipeline.load_nlp``) runs: country names and well-known organisations
   are fixed before ``ner``, domains found after it. ``raw_mentions`` turns every entity
   span, country hit and domain hit into a ``RawMention`` with document offsets and its
   sentence.
3. ``newsarchive.nlp.entities.linking.resolve_mentions`` says which entity each mention names: the spaCy label
   mapping (PERSON -> person, ORG -> organisation, GPE that is a country -> country, other
   GPE/LOC/FAC -> place, NORP that is a demonym -> country else group), corrected by our
   tables and the words around, then names linked within the article.
4. ``group_entities`` makes one ``Entity`` per ``(kind, key)`` with its aliases and mentions;
   a country written only as a demonym becomes a ``nationality`` (see ``Entity``).

Nothing here knows about Scrapy or SQLite: text in, dataclasses out.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsarchive.nlp.entities.components.countries import COUNTRY_HITS
from newsarchive.nlp.entities.countries import country_code, known_place, load_gazetteer
from newsarchive.nlp.entities.components.domains import DOMAIN_HITS
from newsarchive.nlp.entities.components.guards import STANDING_WORDS
from newsarchive.nlp.entities.domains import DomainInfo
from newsarchive.nlp.entities.linking import resolve_mentions
from newsarchive.nlp.entities.mentions import COUNTRY_HIT, RawMention, Resolved
from newsarchive.nlp.entities.organisations import first_line_span, legal_forms, load_titles, name_words
from newsarchive.nlp.entities.surface import PARTICLES
from newsarchive.nlp.entities.spacing import OffsetMap, unspace
from newsarchive.nlp.entities.pipeline import CHUNK_CHARS, DEFAULT_MODEL, load_nlp

__all__ = [
    "ARCHIVE_KINDS",
    "DEFAULT_MODEL",
    "DomainInfo",
    "Entity",
    "Mention",
    "entity_to_dict",
    "extract_entities",
    "extract_entities_many",
    "load_nlp",
]

logger = logging.getLogger("newsarchive.nlp.entities.extract")

# Control characters other than tab, newline and carriage return, blanked to a space so
# that offsets into the text stay right.
_CONTROL_CHARS = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
_SURROGATES_RE = re.compile(r"[\ud800-\udfff]")


@dataclass
class Mention:
    """One place an entity is named.

    :param text: the text as written
    :param start: character offset into the input text
    :param end: character offset after the last character
    :param sentence: the sentence it is in
    """

    text: str
    start: int
    end: int
    sentence: str


@dataclass
class Entity:
    """A distinct thing an article names, with every mention of it.

    :param kind: country, nationality, place, organisation, person, group, domain, email,
        url, ip. A country written only as its people or adjective ("Malian troops", "two
        Britons") is a ``nationality``, not a ``country``: the text names no place, as
        standard NER annotation has it (CoNLL's MISC, OntoNotes' NORP). The archive files it
        under its country all the same (:attr:`archive_kind`).
    :param name: display name, canonical ("Ministry of Defence", "Mali", ".ml"); a
        nationality's is its country's ("Mali")
    :param key: identity across the archive (ISO alpha-2, normalised host, casefolded name)
    :param country_code: ISO alpha-2 it belongs to, where known
    :param aliases: other surface forms seen ("MoD", "Putin")
    :param mentions: every mention, in text order
    :param domain: the split and checked domain, for domain, email and url entities
    """

    kind: str
    name: str
    key: str
    country_code: str | None
    aliases: list[str]
    mentions: list[Mention]
    domain: DomainInfo | None = None

    @property
    def archive_kind(self) -> str:
        """The kind the archive files this entity under: a nationality under its country, so
        that a search for Mali finds the story on "Malian troops"; any other kind as it is."""
        return ARCHIVE_KINDS.get(self.kind, self.kind)


#: Kinds the archive files under another kind (see :attr:`Entity.archive_kind`).
ARCHIVE_KINDS = {"nationality": "country"}


@dataclass
class _Article:
    """What ``extract_entities_many`` gathers for one text across its chunks."""

    text: str
    raw: list[RawMention] = field(default_factory=list)
    #: the text as given and the map back to it, where ``text`` is it unspaced (:mod:`.spacing`)
    given: str | None = None
    offsets: OffsetMap | None = None

    def as_given(self, entities: list[Entity]) -> list[Entity]:
        """``entities`` with their mentions' offsets and texts in the text as given (a
        dateline's place is written as its name, "Dunblane", where the text has "DUNBLANE":
        the mention's text is what the text has there)."""
        if self.offsets is None or self.given is None:
            for entity in entities:
                for m in entity.mentions:
                    m.text = self.text[m.start : m.end]
            return entities
        for entity in entities:
            for m in entity.mentions:
                m.start, m.end = self.offsets.original(m.start), self.offsets.original_end(m.end)
                m.text = self.given[m.start : m.end]
        return entities


# --- 1. input -----------------------------------------------------------------------------


def prepare_text(text: object) -> str:
    """Make any input safe to process, keeping character offsets where the input is text.

    :param text: a ``str`` (bytes are decoded as UTF-8 with replacement; None is empty)
    """
    if text is None:
        return ""
    if isinstance(text, (bytes, bytearray)):
        logger.warning("bytes given instead of text: decoded as UTF-8, bad bytes replaced")
        text = bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str):
        logger.warning("%s given instead of text: skipped", type(text).__name__)
        return ""
    cleaned = _SURROGATES_RE.sub("\ufffd", text.translate(_CONTROL_CHARS))
    if cleaned != text:
        logger.info("control characters blanked before processing (offsets unchanged)")
    return cleaned


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` characters at paragraph, line, sentence
    or word ends, in that order of preference.

    :param text: the whole text
    :param limit: the largest piece
    :returns: ``(offset, piece)`` pairs covering the text
    """
    chunks: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        window_end = pos + limit
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, pos + limit // 2, window_end)
            if found != -1:
                cut = found + len(separator)
                break
        cut = cut if cut > pos else window_end
        chunks.append((pos, text[pos:cut]))
        pos = cut
    chunks.append((pos, text[pos:]))
    return chunks


# --- 2. pipeline output -> raw mentions -----------------------------------------------------


def _sentence_finder(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    """Sentence start offsets and spans of a doc (lines when the model has no sentences)."""
    if doc.has_annotation("SENT_START"):
        spans = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        spans, pos = [], 0
        for line in doc.text.splitlines(keepends=True):
            spans.append((pos, pos + len(line)))
            pos += len(line)
    return [s for s, _ in spans], spans


def _org_start(doc: Doc, ent: Span) -> int:
    """Where an organisation's name really starts: the small model sometimes leaves off
    capitalised words before it ("Attorney" of "Attorney General's Office"). Words are taken
    back while capitalised, not stop words, not titles ("Justice"), and in no other entity.

    :param doc: the doc
    :param ent: an ORG span
    """
    index = ent.start
    titles = load_titles()
    forms = legal_forms()
    while index > 0:
        token = doc[index - 1]
        if token.is_upper and token.lower_ in forms and not token.ent_type_:
            index -= 1  # "PT Telekomunikasi Indonesia", "OAO Gazprom": a legal form first
            break
        if (not (token.is_title and token.is_alpha) or token.is_stop or token.ent_type_ or token.text in titles
                or (token.is_sent_start and token.lower_ in STANDING_WORDS)):  # "Champions Borussia Dortmund"
            break
        index -= 1
    return doc[index].idx if index < ent.start else ent.start_char


#: Words after a hyphen that make a name an adjective ("Oscar-winning", "Blair-led"), not
#: the second syllable of a given name ("Kwok-hing", "Dae-jung").
_COMPOUND_TAILS = frozenset(
    "led born based backed owned run style like made type free wide era age linked class ruled held "
    "bound proof esque ish".split())


#: given names that are also months and days, which stand before a surname in dates of
#: prose ("in May Johnson ..." is rare; "Said" and "Will" start sentences)
_NOT_GIVEN = frozenset("january february march april may june july august september october november december "
                       "monday tuesday wednesday thursday friday saturday sunday said will can".split())


#: particles that only people's names have between two capitalised words (not "de" of "Banco
#: de Mexico" before a place, which :func:`_surname_after_particle` checks)
_PERSON_PARTICLES = frozenset("de da van von bin ibn dos das di del".split())


#: first words of institutions and places in Romance languages ("Casa de Campo", "Banco do Brasil")
_INSTITUTION_WORDS = frozenset("casa banco banca museo museu musée teatro instituto institut universidad universidade "
                               "università hotel palacio palazzo palais plaza praça rio costa villa ciudad cidade "
                               "porto puerto san santa são".split())


def _surname_after_particle(ent: Span) -> bool:
    """"Aravinda de Silva" that the model called an organisation: three words, a particle in
    the middle, none of them an organisation's word, the first and last no place, the last
    no country."""
    words = name_words()
    return (len(ent) == 3 and ent[1].text in _PERSON_PARTICLES
            and not any(t.lower_ in words.org_words or t.lower_ in words.org_nouns or t.lower_ in words.generic
                        or t.lower_ in _INSTITUTION_WORDS for t in ent)
            and known_place(ent[2].text) is None and country_code(ent[2].text) is None
            and not (known_place(ent[0].text) is not None and ent.start > 0
                     and ent.doc[ent.start - 1].lower_ in _LOCATIVE_WORDS))  # "town of Cartagena del Chaira"


#: Words before a name that make a place of one that starts with a town's name
_LOCATIVE_WORDS = frozenset("of in near at from outside around".split())


def _given_names_only(ent: Span, given: frozenset[str]) -> bool:
    """A PERSON span of given names only, perhaps hyphened ("Heinz-Dieter", "Jean Pierre")."""
    return ent[-1].lower_ in given and all(t.lower_ in given or t.text in ("-", "‐") for t in ent)


def _surname_word(token: Token) -> bool:
    """A capitalised word right after a name, in no entity, that may be its surname: not a
    stop word, not the start of a sentence, no known place or country."""
    return (token.is_title and token.is_alpha and not token.is_stop and not token.is_sent_start
            and token.ent_iob_ == "O" and len(token) > 1 and token.text not in load_titles()
            and token.lower_ not in name_words().roles  # not "Peter Chairman", "Tony Minister"
            and known_place(token.text) is None and country_code(token.text) is None)


def _with_particles(doc: Doc) -> list[Span]:
    """The doc's entities, with people's names that hold a lower-case particle made whole:
    the model stops "Daniel arap Moi" at the particle ("Daniel arap" and "Moi", an ORG),
    and calls "Ludwig van Beethoven" an ORG. A PERSON that ends in a particle takes in the
    capitalised words after it; an ORG of a given name, a particle and a capitalised word is
    a PERSON. A PERSON cut at the hyphen of a given name ("Wong Kwok" of "Wong Kwok-hing")
    takes in the rest. A PERSON of given names only followed by a capitalised word in no entity
    takes that word in as the surname ("Heinz-Dieter" of "Heinz-Dieter Lemke").

    :param doc: the doc
    """
    given = name_words().given_names
    out: list[Span] = []
    skip_to = 0
    for ent in doc.ents:
        if ent.start < skip_to:
            continue
        if ent.label_ == "PERSON" and ent[-1].text in PARTICLES and ent.end < len(doc) and doc[ent.end].is_title:
            end = ent.end
            while end < len(doc) and end - ent.start < 6 and doc[end].is_title and doc[end].is_alpha:
                end += 1
            out.append(Span(doc, ent.start, end, label="PERSON"))
            skip_to = end
            continue
        if (ent.label_ == "PERSON" and ent.end + 1 < len(doc) and doc[ent.end].text == "-"
                and not ent[-1].whitespace_ and not doc[ent.end].whitespace_
                and doc[ent.end + 1].is_lower and doc[ent.end + 1].is_alpha and len(doc[ent.end + 1]) <= 6
                and doc[ent.end + 1].text not in _COMPOUND_TAILS):
            out.append(Span(doc, ent.start, ent.end + 2, label="PERSON"))  # "Wong Kwok" + "-hing"
            skip_to = ent.end + 2
            continue
        if (ent.label_ == "PERSON" and ent.end < len(doc) and _given_names_only(ent, given)
                and _surname_word(doc[ent.end])):
            out.append(Span(doc, ent.start, ent.end + 1, label="PERSON"))  # "Heinz-Dieter" + "Lemke"
            skip_to = ent.end + 1
            continue
        if (ent.label_ == "PERSON" and len(ent) == 1 and ent.start > 0 and (out[-1].end if out else 0) < ent.start
                and doc[ent.start - 1].is_title and doc[ent.start - 1].is_alpha and doc[ent.start - 1].ent_iob_ == "O"
                and doc[ent.start - 1].lower_ in given and doc[ent.start - 1].lower_ not in _NOT_GIVEN):
            out.append(Span(doc, ent.start - 1, ent.end, label="PERSON"))  # "Radovan" + "Karadzic"
            continue
        if (ent.label_ == "ORG" and 3 <= len(ent) <= 5 and ent[0].is_title
                and (ent[0].lower_ in given or _surname_after_particle(ent))
                and ent[1].text in PARTICLES and all(t.is_title for t in ent[2:])):
            out.append(Span(doc, ent.start, ent.end, label="PERSON"))
            continue
        out.append(ent)
    return out


def _after_owner(ent: Span, people: set[str]) -> int | None:
    """Where an organisation's name starts after a person's possessive the model took in:
    "Ciller 's True Path Party" is Tansu Ciller's party, the "True Path Party". Only when the
    owner is a person the model found elsewhere in the text and two words or more follow
    ("Women's National Basketball Association" and "McDonald's Corp" stay whole).

    :param ent: an ORG span
    :param people: the title-case words of the text's PERSON spans
    """
    for token in ent[1:-2]:
        if token.text in ("'s", "’s") and token.nbor(-1).text in people:
            return token.nbor(1).idx
    return None


def raw_mentions(doc: Doc, offset: int = 0) -> list[RawMention]:
    """Everything our pipeline marked in ``doc``, as raw mentions with document offsets.

    Every model entity is kept whatever its label (a LANGUAGE or DATE span still tells
    where a demonym is not a country); ``newsarchive.nlp.entities.linking`` decides what counts.

    :param doc: a processed chunk
    :param offset: where the chunk starts in the whole text
    """
    starts, spans = _sentence_finder(doc)
    text = doc.text

    def sentence(start: int) -> str:
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        return text[spans[index][0] : spans[index][1]].strip() if spans else ""

    def raw(label: str, start: int, end: int, **extra: str | None) -> RawMention:
        return RawMention(label, text[start:end], start + offset, end + offset, sentence(start), **extra)

    found = []
    people = {t.text for e in doc.ents if e.label_ == "PERSON" for t in e if t.is_title}
    for ent in _with_particles(doc):
        ent_start = _org_start(doc, ent) if ent.label_ == "ORG" else ent.start_char
        if ent.label_ == "ORG":
            ent_start = _after_owner(ent, people) or ent_start
        start, end = first_line_span(text[ent_start : ent.end_char], ent_start)
        while start < end and text[start] in _LEADING_JUNK:
            start += 1  # a sign-off's dashes: "-- Ankara Newsroom"
        if start == end:
            continue
        if text[end - 1 : end] == "." and "." not in text[start : end - 1]:
            end -= 1  # a sentence's full stop left on "MoD." by the tokenizer
        found.append(raw(ent.label_, start, end))
    for start, end, code, how in doc._.get(COUNTRY_HITS) or ():
        found.append(raw(COUNTRY_HIT, start, end, code=code, host=how))
    for start, end, kind, host in doc._.get(DOMAIN_HITS) or ():
        found.append(raw(kind, start, end, host=host))
    return found


#: what the model leaves in front of a name at the start of a line: dashes, bullets
_LEADING_JUNK = frozenset("-–—*•|> \t")


# --- 4. grouping ----------------------------------------------------------------------------


def _display_name(names: list[str]) -> str:
    """Of the forms a name was written in, the most title-cased, then the most frequent."""
    counts = Counter(names)
    return max(counts, key=lambda n: (sum(w[:1].isupper() for w in n.split()), counts[n], -names.index(n)))


def _demonym(text: str) -> bool:
    """Whether a country's mention is its people or adjective ("Malian", "Britons"), not a
    name of it ("Mali", "Britain", "the U.S.")."""
    gazetteer = load_gazetteer()
    return gazetteer.country_code(text) is None and gazetteer.demonym_code(text) is not None


def group_entities(resolved: list[Resolved]) -> list[Entity]:
    """One entity per ``(kind, key)``, in order of first mention.

    :param resolved: the article's resolved mentions
    """
    groups: dict[tuple[str, str], list[Resolved]] = {}
    for x in sorted(resolved, key=lambda x: x.mention.start):
        groups.setdefault((x.kind, x.key), []).append(x)
    entities = []
    for (kind, key), items in groups.items():
        # A name from a table, a definition or a link is canonical; else the best written form.
        canonical = next((x.name for x in items if x.fixed or x.name != x.alias), None)
        name = canonical or _display_name([x.name for x in items])
        aliases = list(dict.fromkeys(x.alias for x in items if x.alias and x.alias != name))
        mentions = [Mention(x.mention.text, x.mention.start, x.mention.end, x.mention.sentence) for x in items]
        country = next((x.country for x in items if x.country), None)
        if kind == "country" and all(_demonym(m.text) for m in mentions):
            kind = "nationality"
        entities.append(Entity(kind, name, key, country, aliases, mentions, items[0].domain))
    return entities


# --- the public functions --------------------------------------------------------------------


def analysis_text(title: str | None, text: str) -> str:
    """The text the entities of an article are found in: its title, a blank line, its body
    (the blank line keeps the title a sentence of its own)."""
    return f"{title}\n\n{text}" if title else f"\n\n{text}"


def extract_entities(text: str, nlp: Language | None = None) -> list[Entity]:
    """The entities of one text.

    :param text: an article's text
    :param nlp: a pipeline from :func:`load_nlp` (default: the default model)
    """
    return next(extract_entities_many([text], nlp=nlp))


def reads_language(nlp: Language, language: str | None) -> bool:
    """Whether the model's statistical ``ner`` reads text in ``language`` (a tag such as
    ``en-GB``; ``None``, unknown, counts as readable): an English model run over Japanese or
    Russian marks whole clauses as places and people, so such text gets only the rule-based
    components (domains, countries and organisations named as in English)."""
    return language is None or language.replace("_", "-").split("-")[0].casefold() == nlp.lang


def _without_ner(nlp: Language, pieces: Iterable[tuple[str, Any]]) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(pieces, as_tuples=True)`` with every component but ``ner``, one text at a
    time (no switch on the shared pipeline, so it can run beside a pipe of the whole)."""
    steps = [component for name, component in nlp.pipeline if name != "ner"]
    for text, context in pieces:
        doc = nlp.make_doc(text)
        for step in steps:
            doc = step(doc)
        yield doc, context


def extract_entities_many(
    texts: Iterable[str],
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    ner: bool = True,
) -> Iterator[list[Entity]]:
    """The entities of many texts, in order, through ``nlp.pipe``.

    :param texts: article texts
    :param nlp: a pipeline from :func:`load_nlp` (default: the default model)
    :param n_process: worker processes for ``nlp.pipe``
    :param batch_size: texts per batch
    :param ner: run the model's ``ner`` (off for text in a language it does not read:
        see :func:`reads_language`)
    """
    nlp = nlp or load_nlp()
    limit = min(CHUNK_CHARS, nlp.max_length - 1)
    articles: dict[int, _Article] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for index, text in enumerate(texts):
            given = prepare_text(text)
            unspaced, offsets = unspace(given)
            articles[index] = _Article(unspaced, given=given if offsets else None, offsets=offsets)
            chunks = split_chunks(articles[index].text, limit)
            if len(chunks) > 1:
                level = logging.INFO if len(chunks) > 10 else logging.DEBUG
                logger.log(level, "text %d of %d characters processed in %d chunks", index, len(articles[index].text), len(chunks))
            for number, (offset, chunk) in enumerate(chunks):
                yield chunk, (index, offset, number == len(chunks) - 1)

    docs = (nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=batch_size) if ner
            else _without_ner(nlp, pieces()))
    for doc, (index, offset, last) in docs:
        article = articles[index]
        article.raw.extend(raw_mentions(doc, offset))
        if last:
            del articles[index]
            yield article.as_given(group_entities(resolve_mentions(article.text, article.raw)))


def entity_to_dict(e: Entity) -> dict:
    """A JSON-ready summary of an entity (mentions as a count).

    :param e: the entity
    """
    info = e.domain
    return {
        "kind": e.kind,
        "name": e.name,
        "key": e.key,
        "country_code": e.country_code,
        "aliases": list(e.aliases),
        "mentions": len(e.mentions),
        "lookalike_of": info.lookalike_of if info else None,
        "edit_type": info.edit_type if info else None,
        "distance": info.distance if info else None,
        "suffix": info.suffix if info else None,
        "registrable": info.registrable if info else None,
    }
