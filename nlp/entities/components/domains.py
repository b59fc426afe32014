"""The ``newsarchive_domains`` component: hosts, URLs, e-mail and IP addresses, bare suffixes."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsarchive.nlp.entities.domains import find_domain_hits

DOMAIN_HITS = "newsarchive_domains"


@Language.factory("newsarchive_domains", default_config={"bare_suffixes": True})
class DomainFinder:
    """Find domain-like names in the text and keep them on ``doc._.newsarchive_domains``.

    Hits are kept as character spans, ``(start, end, kind, host)`` tuples, not as tokens:
    the tokenizer splits "'.ml'" and "bob@mail.mod.uk" in ways that need not line up with
    what a domain is, and plain tuples survive ``nlp.pipe(n_process=...)``.

    :param nlp: the pipeline
    :param name: the component's name
    :param bare_suffixes: also report suffixes written alone in prose (".ml")
    """

    def __init__(self, nlp: Language, name: str, bare_suffixes: bool) -> None:
        self.name = name
        self.bare_suffixes = bare_suffixes
        if not Doc.has_extension(DOMAIN_HITS):
            Doc.set_extension(DOMAIN_HITS, default=None)

    def __call__(self, doc: Doc) -> Doc:
        hits = find_domain_hits(doc.text)
        doc._.set(
            DOMAIN_HITS,
            [
                (h.start, h.end, h.kind, h.host)
                for h in hits
                if self.bare_suffixes or h.kind != "suffix"
            ],
        )
        return doc
