"""How much a revision changed, at a cost bounded for any text."""

from __future__ import annotations

import difflib
from collections import Counter

#: above this many characters (old and new text together) a revision's counts come from
#: the hashes alone: every character of the new text added, every one of the old removed
DIFF_MAX_CHARS = 4_000_000
#: the changed middle of two texts is aligned word by word only while the words on
#: each side multiplied stay under this (difflib's cost); past it, words are counted
DIFF_MAX_PAIRS = 1_000_000


def text_changes(old: str, new: str) -> tuple[int, int]:
    """Characters (of whole words) added and removed between two versions of a text.

    Bounded for any input: the words both versions begin and end with are
    skipped in linear time; the changed middle is aligned word by word with
    :mod:`difflib` while it is small (:data:`DIFF_MAX_PAIRS`), else compared as
    bags of words (linear); texts over :data:`DIFF_MAX_CHARS` are compared by
    their hashes only. (A character-level diff of one long paragraph cost
    the square of its length: 70 s for 80 KB with one word changed.)
    """
    if not old:
        return len(new), 0
    if old == new:
        return 0, 0
    if len(old) + len(new) > DIFF_MAX_CHARS:
        return len(new), len(old)
    before, after = old.split(), new.split()
    shortest = min(len(before), len(after))
    start = 0
    while start < shortest and before[start] == after[start]:
        start += 1
    end = 0
    while end < shortest - start and before[-1 - end] == after[-1 - end]:
        end += 1
    before, after = before[start:len(before) - end], after[start:len(after) - end]
    if len(before) * len(after) <= DIFF_MAX_PAIRS:
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        same = sum(len(word) for i, _, size in matcher.get_matching_blocks() for word in before[i:i + size])
    else:
        common = Counter(before) & Counter(after)
        same = sum(len(word) * count for word, count in common.items())
    return sum(map(len, after)) - same, sum(map(len, before)) - same
