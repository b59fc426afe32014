"""The ``newsarchive_organisations`` component: well-known organisations before ``ner``."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsarchive.nlp.entities.components.guards import inside_longer_name
from newsarchive.nlp.entities.organisations import legal_forms, load_organisations

ORG_LABEL = "ORG"


#: Last words of institutions named after a saint: "St. Brigid's Medical Center", "St Mary's
#: Hospital", "Saint Joseph's College" are one name, not a person and an organisation.
SAINT_INSTITUTION_WORDS = (
    "hospital", "center", "centre", "clinic", "infirmary", "college", "school", "academy",
    "university", "institute", "church", "cathedral", "chapel", "abbey", "parish", "hospice",
)


def _with_legal_form(doc: Doc, end: int) -> int:
    """The end of a match taken over the legal form written after it: "Chrysler Corp.",
    "Daimler-Benz AG", "Merrill Lynch & Co." are one name (the form is left out of the
    canonical name later, and kept as an alias), not a company and a stray "AG"."""
    if end + 1 < len(doc) and doc[end].text == "&" and doc[end + 1].text.rstrip(".") in ("Co", "CO"):
        end += 2
    if end < len(doc) and doc[end].text[:1].isupper() and doc[end].text.rstrip(".").casefold() in legal_forms():
        end += 1
    return end


@Language.factory(
    "newsarchive_organisations",
    default_config={"label": ORG_LABEL, "guard_names": True, "saint_institutions": True},
)
class OrganisationMatcher:
    """Mark the names and acronyms of well-known organisations (``data/organisations.yml``)
    as ``ORG`` entities before ``ner``, so that "HMRC" or "HM Revenue and Customs" is found
    whole even where the small model misses it.

    Only names safe out of context are matched (see ``OrganisationTable.matcher_phrases``):
    "WHO" and "Apple" are left to the model. Where a match overlaps an entity already set
    (a country), the longer span wins: "US Treasury" over "US".

    :param nlp: the pipeline
    :param name: the component's name
    :param label: the entity label given to the matches
    :param guard_names: leave a match to the model when it is part of a longer name ("Court
        of Justice of the European Union", "NATO Summit")
    :param saint_institutions: mark "St. Brigid's Medical Center" whole (the model splits
        it at the possessive into a person and an organisation)
    """

    def __init__(self, nlp: Language, name: str, label: str, guard_names: bool, saint_institutions: bool) -> None:
        self.name = name
        self.label = label
        self.guard_names = guard_names
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("ORG", list(nlp.tokenizer.pipe(load_organisations().matcher_phrases())))
        self.saints = Matcher(nlp.vocab)
        if saint_institutions:
            self.saints.add("SAINT_INSTITUTION", [[
                {"LOWER": {"IN": ["st.", "st", "saint"]}},
                {"IS_TITLE": True, "OP": "+"},
                {"ORTH": {"IN": ["'s", "’s", "'", "’"]}},
                {"IS_TITLE": True, "OP": "*"},
                {"LOWER": {"IN": list(SAINT_INSTITUTION_WORDS)}},
            ]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for _, start, end in self.matcher(doc):
            end = _with_legal_form(doc, end)
            if not (self.guard_names and inside_longer_name(doc, start, end, possessive=True)):
                spans.append(Span(doc, start, end, label=self.label))
        if len(self.saints):
            spans += [Span(doc, start, end, label=self.label) for _, start, end in self.saints(doc)]
        if spans:
            doc.set_ents(filter_spans(list(doc.ents) + spans), default="unmodified")
        return doc
