"""``newsarchive_line_breaks``: a line break ends a sentence.

The rule-based sentencizer splits at full stops, question and exclamation marks. A title,
a headline or a dateline has none ("MELBOURNE 1996-12-06"), and the text of an article
puts its title before a blank line: the line break is what ends them. The word after a
whitespace token that holds a line break starts a sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newsarchive_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (runs after the sentencizer).

    :param doc: a doc whose sentences are set
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
