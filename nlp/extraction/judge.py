"""What an extracted text is: article prose, or navigation and page furniture.

The passes of :mod:`newsarchive.nlp.extraction.core` are chosen between by what
their text is, not by how long it is. Each line of a text is one of:

- ``link``: the whole text of one of the page's links (a menu entry, a teaser headline);
- ``boilerplate``: a short line that speaks about the page, not the story (comment
  rules, sign-in and newsletter prompts, copyright and legal footers, site maps);
- ``short``: fewer than :data:`PROSE_WORDS` words (labels, bylines, headings), or a
  line that does not end like a sentence and has fewer than :data:`SENTENCE_WORDS`
  words (headlines of a playlist or a teaser list read like prose but end bare);
- ``prose``: anything else - sentences of the story.

:func:`prose_chars` counts the characters of prose lines; :func:`quality` weighs
prose against the rest, so a long text made mostly of menus and footers scores
below a short one made of sentences.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
#: scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese):
#: a run of them is many words, counted as one word per :data:`CHARS_PER_WORD` characters
UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CHARS_PER_WORD = 2
#: a line with fewer words is a label, a heading or a byline, not prose
PROSE_WORDS = 6
#: a line this long (in words) is prose even when it does not end like a sentence
SENTENCE_WORDS = 20
#: how a sentence ends: punctuation, perhaps inside a closing quote or bracket
SENTENCE_END = re.compile(r"[.!?…:;。！？；：؟۔।][\"”’')\]」』）]*$")
#: lines longer than this (in words) are prose even when they use boilerplate words
MAX_BOILERPLATE_WORDS = 40
#: weight of a short line's characters against prose (labels and headings are common in articles too)
SHORT_WEIGHT = 0.3

#: words of lines that speak about the site or the page rather than tell the story
BOILERPLATE_WORDS = re.compile(
    r"\b(?:comments? (?:are|policy|guidelines)|user agreement|terms (?:of (?:use|service)|and conditions)|"
    r"privacy (?:policy|notice|statement)|cookie (?:policy|settings)|all rights reserved|copyright|"
    r"site ?map|contact us|about us|log ?in|sign (?:in|up)|subscribe|newsletter|"
    r"keep it civil|stay on topic|personal attacks|republish)\b",
    re.I,
)


def count_words(text: str) -> int:
    """Number of words of a text: ``\\w+`` runs, except that a run in a script written
    without spaces counts one word per :data:`CHARS_PER_WORD` of its characters.

    :param text: any text
    """
    if not UNSPACED.search(text):
        return len(WORD.findall(text))
    return sum(max(1, len(UNSPACED.findall(run)) // CHARS_PER_WORD) if UNSPACED.search(run) else 1
               for run in WORD.findall(text))


def normal(line: str) -> str:
    """A line with whitespace collapsed and a list marker removed.

    :param line: one line of extracted text
    """
    return " ".join(line.split()).removeprefix("- ").strip()


def line_kind(line: str, links: set[str]) -> str:
    """``"empty"``, ``"link"``, ``"boilerplate"``, ``"short"`` or ``"prose"`` (see the module doc).

    :param line: one line of extracted text
    :param links: the whitespace-normalised texts of the page's links
    """
    text = normal(line)
    if not text:
        return "empty"
    if text in links:
        return "link"
    words = count_words(text)
    if words <= MAX_BOILERPLATE_WORDS and BOILERPLATE_WORDS.search(text):
        return "boilerplate"
    if words < PROSE_WORDS or (words < SENTENCE_WORDS and not SENTENCE_END.search(text)):
        return "short"
    return "prose"


def prose_chars(text: str, links: set[str]) -> int:
    """Characters of the prose lines of a text.

    :param text: extracted text, one paragraph per line
    :param links: the whitespace-normalised texts of the page's links
    """
    return sum(len(normal(line)) for line in text.split("\n") if line_kind(line, links) == "prose")


def quality(text: str, links: set[str]) -> float:
    """Prose characters minus link and boilerplate characters, short lines weighed lightly.

    :param text: extracted text, one paragraph per line
    :param links: the whitespace-normalised texts of the page's links
    """
    score = 0.0
    for line in text.split("\n"):
        kind = line_kind(line, links)
        size = len(normal(line))
        if kind == "prose":
            score += size
        elif kind == "short":
            score -= SHORT_WEIGHT * size
        elif kind != "empty":
            score -= size
    return score


def trigrams(text: str) -> set[tuple[str, ...]]:
    """The distinct 3-word sequences of a text, lower-cased.

    :param text: any text
    """
    words = WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:]))


def coverage(text: str, evidence: set[tuple[str, ...]]) -> float:
    """Share of the evidence's 3-word sequences (:func:`trigrams`) that a text holds (1.0 for no evidence).

    :param text: extracted text
    :param evidence: trigrams of what the page declares as its body
    """
    return len(evidence & trigrams(text)) / len(evidence) if evidence else 1.0
