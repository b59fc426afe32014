"""What the story linker measures about an article: its days, terms and their weights
(wordfreq's frequencies for the language), named entities, and MinHash sketches."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from datetime import date
from functools import lru_cache

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import get_frequency_dict

from newsarchive.nlp.stories.records import StoryArticle

WORD = re.compile(r"\.?[^\W_][\w'\-]*")
MERSENNE_PRIME = (1 << 31) - 1
#: languages whose wordfreq list needs no extra tokeniser package
FREQUENCY_LANGUAGES = frozenset(
    "ar bg bn bs ca cs da de el en es fa fi fil fr he hi hu id is it lt lv mk ms nb nl pl pt ro "
    "ru sh sk sl sr sv ta tr uk ur vi".split()
)


def parse_day(published: str) -> date:
    """The calendar day of an ISO date or datetime.

    :param published: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM...``
    """
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError as error:
        raise ValueError(f"published must be an ISO date, got {published!r}") from error


def words(text: str) -> list[str]:
    """Lower-cased word tokens of any script, domains kept with their dot (``.ml``)."""
    return [token.strip("'-") for token in WORD.findall(text.lower())]


def _keep(term: str) -> bool:
    return len(term) > 1 and term not in STOP_WORDS and not term.isdigit()


def content_terms(article: StoryArticle, title_weight: int) -> Counter:
    """Term counts of title and text without stop words, the title counted more.

    :param article: the article
    :param title_weight: how many times a title word counts
    """
    counts = Counter(term for term in words(article.text) if _keep(term))
    for term in words(article.title):
        if _keep(term):
            counts[term] += title_weight
    return counts


class TermWeights:
    """How much a term tells, from how rare it is in the language at large.

    The weight is ``ceiling - zipf`` (wordfreq's Zipf scale: 7.7 for "the", about 3 for a
    word seen once per million words), at least ``floor``; a term absent from the list
    (most names) weighs ``ceiling``. A term in a script the language's list cannot tell
    about (no list for the article's language) weighs ``unknown`` when absent from English:
    a frequent word of an unknown language must not look like a rare name.

    :param ceiling: weight of a term never seen
    :param floor: least weight
    :param unknown: weight of an unlisted non-ASCII term of a language without a list
    """

    def __init__(self, ceiling: float = 7.5, floor: float = 0.2, unknown: float = 1.5) -> None:
        self.ceiling, self.floor, self.unknown = ceiling, floor, unknown
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, term: str, language: str | None = None) -> float:
        """The weight of ``term`` in an article of ``language``."""
        language = _language(language)
        key = (term, language)
        weight = self._cache.get(key)
        if weight is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            weight = self._cache[key] = self._weight(term, language)
        return weight

    def _weight(self, term: str, language: str) -> float:
        frequency = zipf(term, "en")
        if language != "en" and language in FREQUENCY_LANGUAGES:
            frequency = max(frequency, zipf(term, language))
        elif language != "en" and frequency == 0.0 and not term.isascii():
            return self.unknown
        return max(self.floor, self.ceiling - frequency)


def _language(language: str | None) -> str:
    """``en``, ``pt``... from a language tag such as ``pt-BR`` (English when unknown)."""
    return (language or "en").lower().replace("_", "-").split("-")[0] or "en"


@lru_cache(maxsize=None)
def _frequencies(language: str) -> dict[str, float]:
    """wordfreq's word frequencies of a language, loaded once."""
    return get_frequency_dict(language)


def zipf(phrase: str, language: str = "en") -> float:
    """Zipf frequency (log10 of uses per billion words) of a word or phrase; 0 when unseen.

    A phrase's frequency combines its words' as wordfreq does (``1 / sum(1 / f)``), from
    the frequency table directly: wordfreq's own look-up tokenises each call, too slow for
    every word of every article.
    """
    table = _frequencies(language)
    parts = phrase.split()
    if len(parts) == 1:
        frequency = table.get(phrase, 0.0)
    else:
        inverse = 0.0
        for part in parts:
            part_frequency = table.get(part, 0.0)
            if not part_frequency:
                return 0.0
            inverse += 1.0 / part_frequency
        frequency = 1.0 / inverse if inverse else 0.0
    return math.log10(frequency) + 9.0 if frequency > 0 else 0.0


def entity_keys(article: StoryArticle) -> set[str]:
    """Entities as ``kind:key`` strings, keys lower-cased."""
    return {f"{kind}:{key.strip().lower()}" for kind, key in article.entities if key.strip()}


class MinHasher:
    """MinHash sketches of word shingles with universal hashing (numpy, no extra deps).

    :param num_perm: number of hash functions
    :param shingle_size: words per shingle
    :param seed: seed of the hash functions
    """

    def __init__(self, num_perm: int, shingle_size: int, seed: int) -> None:
        generator = np.random.default_rng(seed)
        self.a = generator.integers(1, MERSENNE_PRIME, size=num_perm, dtype=np.uint64)
        self.b = generator.integers(0, MERSENNE_PRIME, size=num_perm, dtype=np.uint64)
        self.shingle_size = shingle_size

    def shingles(self, text: str) -> np.ndarray:
        """31-bit hashes of the text's word shingles."""
        tokens = words(text)
        size = min(self.shingle_size, max(len(tokens), 1))
        grams = {" ".join(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1))}
        hashes = [
            int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
            % MERSENNE_PRIME
            for gram in grams
        ]
        return np.array(hashes, dtype=np.uint64)

    def sketch(self, text: str) -> np.ndarray:
        """The MinHash signature of a text (one minimum per hash function)."""
        values = self.shingles(text)
        # a, b and values are below 2**31, so a * value + b stays inside uint64
        hashed = (np.outer(values, self.a) + self.b) % MERSENNE_PRIME
        return hashed.min(axis=0)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> float:
    """Share of equal MinHash values: an estimate of the shingle sets' Jaccard index."""
    return float(np.mean(left == right))


#: words an acronym leaves out ("Department of Defense" -> DOD, not DOOD)
ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "&", "de", "la", "du"})


def same_name(left: str, right: str) -> bool:
    """Whether two entity keys of one kind are one name: equal, one holding the other word
    for word ("home depot" in "home depot stock falls"), or one starting with the other's
    acronym ("esa topical team", "european space agency"): the small model's spans run long
    or short and our tables do not know every acronym."""
    if left == right:
        return True
    kind, _, a = left.partition(":")
    other, _, b = right.partition(":")
    if kind != other:
        return False
    short, long = sorted((a, b), key=len)
    if f" {short} " in f" {long} ":
        return True
    return acronym(a) in b.split()[:1] or acronym(b) in a.split()[:1]


def acronym(name: str) -> str:
    """Initials of a name of three words or more (``""`` for shorter names)."""
    words = [word for word in name.split() if word not in ACRONYM_SKIPS]
    return "".join(word[0] for word in words) if len(words) >= 3 else ""
