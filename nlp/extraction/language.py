"""Tell an article's language from its text, for pages that do not declare it (or declare it wrongly).

Writing systems settle Japanese, Korean, Chinese, Arabic, Hebrew, Greek and
Thai; for Latin and Cyrillic text the language whose common function words
(``nlp/data/extract_stopwords.json``) are most frequent wins, if clearly.
Small and dependency-free on purpose: it only has to back up ``<html lang>``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

STOPWORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "extract_stopwords.json"
# Script ranges checked in order; the first with a clear share of letters wins.
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ja", "[\u3040-\u30ff]"),      # kana: Japanese even when mixed with kanji
    ("ko", "[\uac00-\ud7af]"),      # Hangul
    ("zh", "[\u4e00-\u9fff]"),      # Han with no kana
    ("ar", "[\u0600-\u06ff]"),
    ("he", "[\u0590-\u05ff]"),
    ("el", "[\u0370-\u03ff]"),
    ("th", "[\u0e00-\u0e7f]"),
)
MIN_SCRIPT_SHARE = 0.2
#: a character of any of :data:`SCRIPTS`
ANY_SCRIPT = re.compile("|".join(chars for _, chars in SCRIPTS))
WORD = re.compile(r"[^\W\d_]+")
LETTER = re.compile(r"[^\W\d_]")
# The winner needs this many stopword hits and this lead over the runner-up.
MIN_HITS = 5
MIN_LEAD = 1.5
SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Stopword sets per language, from the data file."""
    data = json.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}


def script_language(sample: str) -> str | None:
    """The language a distinctive writing system gives away, if any.

    :param sample: a stretch of the text
    """
    if not ANY_SCRIPT.search(sample):  # most texts: none of these scripts, so no share to count
        return None
    letters = len(LETTER.findall(sample)) or 1
    for lang, chars in SCRIPTS:
        if len(re.findall(chars, sample)) / letters >= MIN_SCRIPT_SHARE:
            return lang
    return None


def stopword_scores(sample: str) -> Counter[str]:
    """How many words of the text are common function words of each language.

    :param sample: a stretch of the text
    """
    words = [w.lower() for w in WORD.findall(sample)]
    scores: Counter[str] = Counter()
    for lang, common in stopwords().items():
        scores[lang] = sum(1 for w in words if w in common)
    return scores


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of a text's language, or None when unsure.

    :param text: article text
    """
    sample = text[:SAMPLE_CHARS]
    found = script_language(sample)
    if found:
        return found
    ranked = stopword_scores(sample).most_common(2)
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] >= MIN_LEAD * runner_up else None


def choose_language(declared: str | None, text: str) -> str | None:
    """The declared language, unless the text is clearly in another one.

    Pages built from one template declare the site's language on every page;
    a German article on a site declaring ``en`` is still German.

    :param declared: the ISO 639-1 code the page declares, if any
    :param text: article text
    """
    detected = detect_language(text) if text else None
    if declared is None or detected is None:
        return declared or detected
    return declared if detected == declared else detected if confident_other(text, declared, detected) else declared


def confident_other(text: str, declared: str, detected: str) -> bool:
    """True when the detected language beats the declared one by a wide margin.

    :param text: article text
    :param declared: the declared code
    :param detected: the detected code
    """
    if detected in dict(SCRIPTS):
        return True
    scores = stopword_scores(text[:SAMPLE_CHARS])
    return declared in stopwords() and scores[detected] >= 3 * max(scores[declared], 1) and scores[detected] >= 20
