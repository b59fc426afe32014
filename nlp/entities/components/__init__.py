"""spaCy components of the newsarchive pipeline, registered as factories on import.

``newsarchive_countries`` runs before ``ner``: it marks country names so the statistical
model builds its entities around them ("Mali" is never a person) and notes demonyms.
``newsarchive_organisations`` runs next, also before ``ner``: it marks the names of
well-known organisations from our table.
``newsarchive_line_breaks`` runs right after the sentencizer: a line break ends a sentence
(titles, headlines and datelines have no full stop).
``newsarchive_domains`` runs last: it finds hosts, URLs, e-mail and IP addresses and bare
suffixes with compiled regular expressions over the text.

Both are exposed through the ``spacy_factories`` entry point, so ``spacy.load`` finds them
in a saved pipeline without importing this package first.
"""

from newsarchive.nlp.entities.components.countries import CountryMatcher
from newsarchive.nlp.entities.components.domains import DomainFinder
from newsarchive.nlp.entities.components.lines import line_breaks
from newsarchive.nlp.entities.components.organisations import OrganisationMatcher

__all__ = ["CountryMatcher", "DomainFinder", "OrganisationMatcher", "line_breaks"]
