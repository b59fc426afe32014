"""Text written one token per space, read as it would be printed.

Corpora and some tools hand over text with a space around every token: "Kenya 's ruler",
"NAIROBI , Kenya ( AP ) _", "did n't". The small model and our rules read printed text:
on the NIST IE-ER wire sample spaced so, our F1 fell 0.831 -> 0.807 and the bare model's
0.776 -> 0.754 (see BENCHMARKS.md). :func:`unspace` takes those spaces out, only in a text
that is plainly spaced so (:func:`looks_spaced`), and keeps a map from the new offsets to the
old, so that every mention still points into the text as given (:class:`OffsetMap`).
"""

from __future__ import annotations

import bisect
import re

#: a space the printed text does not have: before closing punctuation and clitics, after an
#: opening bracket or a currency sign. Not after a figure: "Dunmore 1 ." stays as the rules of
#: results lines read it (a score, not "1." of a list or a decimal). Nor before the full stop
#: that ends a sentence after an abbreviation's ("the U.S. .", "Martin Luther King Jr. ."):
#: "Jr.. King" read as one name, "U.S.." lost its stop.
_EXTRA_SPACE_RE = re.compile(
    r"(?<=[^\s\d]) (?=[,;:!?)\]%](?:\s|$)|(?:'s|'re|'ve|'ll|'d|'m|n't|’s)(?![\w]))"
    r"|(?<=[^\s\d.]) (?=\.(?:\s|$))"
    r"|(?<=[(\[$]) (?=\S)",
    re.M,
)
#: what only spaced text has: a comma or a full stop with a space before it and after it
_SPACED_MARK_RE = re.compile(r"\w [,.](?:[ \n]|$)", re.M)
#: so many such marks at least, and at least half of all commas and full stops ending words
MIN_SPACED_MARKS = 3


def looks_spaced(text: str) -> bool:
    """Whether ``text`` is written one token per space (most of its commas and full stops
    that follow a word have a space before them).

    :param text: any text
    """
    spaced = len(_SPACED_MARK_RE.findall(text))
    if spaced < MIN_SPACED_MARKS:
        return False
    printed = len(re.findall(r"\w[,.](?:[ \n]|$)", text, re.M))
    return spaced >= printed


class OffsetMap:
    """Maps offsets into the unspaced text back to the text as given.

    :param cuts: offsets in the unspaced text where a space was taken out, in order
    """

    def __init__(self, cuts: list[int]) -> None:
        self.cuts = cuts

    def original(self, offset: int) -> int:
        """The offset in the text as given of ``offset`` in the unspaced text (a cut right at
        ``offset`` counts: the space removed there lay before the character)."""
        return offset + bisect.bisect_right(self.cuts, offset)

    def original_end(self, end: int) -> int:
        """The end offset in the text as given of a span ending at ``end`` (exclusive)."""
        return self.original(end - 1) + 1 if end > 0 else 0


def unspace(text: str) -> tuple[str, OffsetMap | None]:
    """``text`` as printed, and the map back to ``text``; the text itself and None when it is
    not spaced one token per space (:func:`looks_spaced`).

    :param text: e.g. "NAIROBI , Kenya ( AP ) _ Kenya 's ruler"
    :returns: e.g. ("NAIROBI, Kenya (AP) _ Kenya's ruler", map)
    """
    if not looks_spaced(text):
        return text, None
    pieces, cuts, at = [], [], 0
    for match in _EXTRA_SPACE_RE.finditer(text):
        pieces.append(text[at : match.start()])
        at = match.end()
        cuts.append(match.start() - len(cuts))  # where the space was, in the new text
    pieces.append(text[at:])
    return "".join(pieces), OffsetMap(cuts)
