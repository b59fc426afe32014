"""The ``newsarchive_countries`` component: country names as entities before ``ner``."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsarchive.nlp.entities.components.guards import inside_longer_name, is_name_word
from newsarchive.nlp.entities.countries import HOME_NATIONS, load_gazetteer

COUNTRY_LABEL = "GPE"
#: Doc extension: every country name and demonym seen, as
#: ``(start_char, end_char, code, how)`` with ``how`` one of "country" (set as an entity),
#: "guarded" (a country name left to the model) or "demonym".
COUNTRY_HITS = "newsarchive_country_hits"


@Language.factory(
    "newsarchive_countries",
    default_config={"label": COUNTRY_LABEL, "guard_names": True},
)
class CountryMatcher:
    """Mark country names (pycountry names, our aliases) as ``GPE`` entities before ``ner``.

    The statistical model respects entities already set, so a country name cannot become a
    person or an organisation. The home nations (England, Scotland, Wales, Northern
    Ireland) are set the same way, as places: the small model leaves them out of
    sports copy ("England beat Wales 3-1" gave neither). Demonyms are not set as entities here ("British Airways" must
    stay whole); they, and country names left to the model, go to
    ``doc._.newsarchive_country_hits`` for the entity step.

    :param nlp: the pipeline
    :param name: the component's name
    :param label: the entity label given to country names
    :param guard_names: leave a country name to the model when it looks like part of a longer
        proper name: a capitalised word right after it ("Jordan Henderson", "New Zealand
        Herald"), right before it ("Michael Jordan"), or "<Name> of" before it ("State Bank
        of India")
    """

    def __init__(self, nlp: Language, name: str, label: str, guard_names: bool) -> None:
        self.name = name
        self.label = label
        self.guard_names = guard_names
        gazetteer = load_gazetteer()
        # Looked up by the words of a match, not its text: "People 's Republic of China" in
        # text written a token per space matches the same words as "People's Republic of China".
        self.codes: dict[tuple[str, ...], str] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label, table in (("DEMONYM", gazetteer.demonyms), ("COUNTRY", gazetteer.names)):
            patterns = list(nlp.tokenizer.pipe(table))
            self.matcher.add(label, patterns)
            self.codes.update({tuple(t.text for t in p): table[p.text] for p in patterns})
        self.matcher.add("HOME_NATION", list(nlp.tokenizer.pipe(n.title() for n in sorted(HOME_NATIONS))))
        self.country_id = nlp.vocab.strings["COUNTRY"]
        self.home_id = nlp.vocab.strings["HOME_NATION"]
        if not Doc.has_extension(COUNTRY_HITS):
            Doc.set_extension(COUNTRY_HITS, default=None)

    def _guarded(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the match looks like part of a longer proper name."""
        return self.guard_names and inside_longer_name(doc, start, end)

    def _home_in_name(self, doc: Doc, start: int, end: int, home_matches: dict[int, int]) -> bool:
        """Whether a home nation is part of a longer name, also of one that joins two of them
        ("England and Wales Cricket Board")."""
        if self._guarded(doc, start, end) or _home_after_name(doc, start):
            return True
        before = next((s for s, e in home_matches.items() if e == start - 1), None)
        if before is not None and doc[start - 1].lower_ == "and" and (
                self._guarded(doc, before, start - 1) or _home_after_name(doc, before)):
            return True  # the "Wales" of "Law Society of England and Wales"
        other = end + 1
        return (end < len(doc) and doc[end].lower_ == "and" and other in home_matches
                and self._guarded(doc, other, home_matches[other]))

    def __call__(self, doc: Doc) -> Doc:
        countries: list[Span] = []
        hits: list[tuple[int, int, str, str]] = []
        matches = self.matcher(doc)
        home_matches = {start: end for match_id, start, end in matches if match_id == self.home_id}
        homes = [(start, end) for start, end in home_matches.items() if not self._home_in_name(doc, start, end, home_matches)]
        countries.extend(Span(doc, start, end, label=self.label) for start, end in homes)
        for match_id, start, end in matches:
            span = doc[start:end]
            if match_id == self.home_id or any(s <= start and end <= e for s, e in homes):
                continue  # the "Ireland" of "Northern Ireland"
            if match_id != self.country_id:
                how = "demonym"
            elif self._guarded(doc, start, end):
                how = "guarded"
            else:
                how = "country"
                countries.append(Span(doc, start, end, label=self.label))
            hits.append((span.start_char, span.end_char, self.codes[tuple(t.text for t in span)], how))
        if countries:
            doc.set_ents(filter_spans(list(doc.ents) + countries), default="unmodified")
        doc._.set(COUNTRY_HITS, hits)
        return doc


def _home_after_name(doc: Doc, start: int) -> bool:
    """A home nation that ends a body's name: after an acronym ("BBC Wales", "NHS England",
    "CBI Scotland") or after a name and "for" ("National Assembly for Wales")."""
    if start == 0 or doc[start].is_sent_start:
        return False
    before = doc[start - 1]
    if before.is_upper and before.is_alpha and len(before) > 1:
        return True
    return before.lower_ == "for" and start > 1 and is_name_word(doc[start - 2])
