"""Tag news articles and stories with an incident type, in the spirit of VERIS.

The taxonomy is small: ``error/misdelivery``, ``error/publishing``, ``error/loss``,
``error/misconfiguration``, ``hacking``, ``malware``, ``social-engineering``,
``physical``, ``misuse``, and ``none`` for news that reports no incident.

The rules are spaCy ``Matcher`` token patterns kept as data in
``nlp/data/incident_patterns.jsonl`` (one rule a line: ``label``, ``id``, ``weight``,
``pattern``). They run on a blank English pipeline with a sentencizer, so the
statistical model is not needed.

How a type is chosen, and why:

1. Every sentence of an article is matched; a rule's weight says how specific it is
   ("ransomware" is more telling than "hackers", so a ransomware story reads as
   ``malware`` even though it mentions hackers).
2. News puts the incident in the headline and the first sentences; background
   paragraphs often recall *other* incidents ("the US made a similar error last
   week"). So hits in the title and lead count in full, hits further down are
   discounted by ``body_factor``.
3. Per article, each label keeps its best hit (a long article does not outvote a
   short one); a story adds its articles' scores, and the best label wins if its
   total reaches ``min_score``, else the story is ``none``.
4. The sentence of the winning hit is kept as evidence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.attrs import LOWER
from spacy.matcher import Matcher

PATTERNS_PATH = Path(__file__).resolve().parents[1] / "data" / "incident_patterns.jsonl"

#: The labels in order of preference when two labels score the same.
INCIDENT_TYPES: tuple[str, ...] = (
    "error/misdelivery",
    "error/publishing",
    "error/loss",
    "error/misconfiguration",
    "malware",
    "social-engineering",
    "misuse",
    "physical",
    "hacking",
)
NO_INCIDENT = "none"


@dataclass
class IncidentRule:
    """One matcher rule as read from the data file.

    :param rule_id: unique name of the rule
    :param label: the incident type the rule points to
    :param weight: how telling a hit is
    :param pattern: spaCy ``Matcher`` token pattern
    """

    rule_id: str
    label: str
    weight: float
    pattern: list[dict]


@dataclass
class LabelHit:
    """The best evidence for one label in one article.

    :param score: rule weight, discounted when outside the lead
    :param sentence: the sentence that matched
    """

    score: float
    sentence: str


@dataclass
class ArticleIncident:
    """Incident evidence found in one article: best hit per label.

    :param hits: label -> best hit
    """

    hits: dict[str, LabelHit] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-able form."""
        return {label: [hit.score, hit.sentence] for label, hit in self.hits.items()}

    @classmethod
    def from_dict(cls, data: dict) -> "ArticleIncident":
        """Inverse of :meth:`to_dict`.

        :param data: as written by :meth:`to_dict`
        """
        return cls({label: LabelHit(float(s), str(t)) for label, (s, t) in data.items()})


def load_rules(path: Path = PATTERNS_PATH) -> list[IncidentRule]:
    """Read the incident rules from a JSON-lines file.

    :param path: file with one JSON object a line; ``#`` lines are comments
    """
    rules = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = json.loads(line)
        if row["label"] not in INCIDENT_TYPES:
            raise ValueError(f"{path}:{number}: unknown incident type {row['label']!r}")
        rules.append(IncidentRule(row["id"], row["label"], float(row.get("weight", 1)), row["pattern"]))
    return rules


def blank_pipeline() -> Language:
    """A blank English pipeline that only splits sentences (no model needed)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class IncidentTagger:
    """Find incident-type evidence in articles and decide a story's type.

    :param rules: matcher rules; read from the default data file when omitted
    :param nlp: a pipeline that sets sentence boundaries; a blank one when omitted
    :param lead_sentences: how many sentences after the title count as the lead
    :param body_factor: multiplier for hits outside title and lead
    :param min_score: a story needs this much evidence for a type, else ``none``
    """

    def __init__(
        self,
        rules: list[IncidentRule] | None = None,
        nlp: Language | None = None,
        lead_sentences: int = 3,
        body_factor: float = 0.25,
        min_score: float = 2.0,
    ) -> None:
        self.rules = {rule.rule_id: rule for rule in (rules if rules is not None else load_rules())}
        self.nlp = nlp if nlp is not None else blank_pipeline()
        self.lead_sentences = lead_sentences
        self.body_factor = body_factor
        self.min_score = min_score

    @cached_property
    def matcher(self) -> Matcher:
        """One matcher holding every rule (built on first use): the reference that
        :meth:`_matches`, which runs only the rules a document can match, is tested against."""
        matcher = Matcher(self.nlp.vocab, validate=True)
        for rule in self.rules.values():
            matcher.add(rule.rule_id, [_as_sets(rule.pattern)])
        return matcher

    @cached_property
    def _gated(self) -> list[tuple[str, list[re.Pattern[str]], Matcher]]:
        """Per rule: the word tests every match of it needs, and a matcher of its own.

        Most rules need two or three particular words ("wrong" and "recipient"), and most
        articles lack at least one of them. Testing a document's distinct words (one a
        line, so ``^``/``$`` keep their per-word meaning) takes a few regular-expression
        searches; the spaCy matcher, whose cost grows with rules times tokens, then runs
        only the rules that can match: the same hits at a fraction of the cost.
        """
        gated = []
        for rule in self.rules.values():
            matcher = Matcher(self.nlp.vocab, validate=True)
            matcher.add(rule.rule_id, [_as_sets(rule.pattern)])
            gated.append((rule.rule_id, [test for token in rule.pattern if (test := _word_test(token))], matcher))
        return gated

    @cached_property
    def _raw_gates(self) -> list[list[tuple[str, ...]]] | None:
        """Per rule, the words of which the raw lower-cased text must contain one (as a
        substring) for the rule to match anywhere; ``None`` when some rule has no such
        words, so that no text can be ruled out before tokenising.

        A token equal to a word, or wholly matched by an alternation of plain words
        (``^(leak|leaked)$``), appears in the lower-cased text, so a text lacking every
        alternative of one of a rule's required tokens cannot match that rule; most news
        lacks them for every rule, and is then never tokenised here at all.
        """
        gates = []
        for rule in self.rules.values():
            words = [alternatives for token in rule.pattern if (alternatives := _raw_words(token))]
            if not words:
                return None
            gates.append(words)
        return gates

    def could_match(self, text: str) -> bool:
        """False only when no rule can match anywhere in ``text`` (see :attr:`_raw_gates`)."""
        gates = self._raw_gates
        if gates is None:
            return True
        lower = text.lower()
        return any(all(any(word in lower for word in words) for words in rule) for rule in gates)

    def _matches(self, doc) -> list[tuple[int, int, str]]:
        """``(start, end, rule id)`` of every match in ``doc``, as the full matcher finds them."""
        strings = doc.vocab.strings
        words = "\n".join(strings[key].replace("\n", " ") for key in set(doc.to_array(LOWER).tolist()))
        found = []
        for rule_id, tests, matcher in self._gated:
            if all(test.search(words) for test in tests):
                found.extend((start, end, rule_id) for _, start, end in matcher(doc))
        return sorted(found, key=lambda m: (m[0], m[1]))

    def tag_article(self, title: str, text: str) -> ArticleIncident:
        """Best hit per label in one article.

        :param title: the headline (counts as lead)
        :param text: the body text
        """
        found = ArticleIncident()
        for position, sentence, label, weight in self._hits(title, text):
            factor = 1.0 if position <= self.lead_sentences else self.body_factor
            score = weight * factor
            best = found.hits.get(label)
            if best is None or score > best.score:
                found.hits[label] = LabelHit(score, sentence)
        return found

    def decide(self, articles: Iterable[ArticleIncident]) -> tuple[str, str | None]:
        """The incident type of a story and the sentence that shows it.

        :param articles: evidence of the story's articles, earliest first
        """
        totals: dict[str, float] = {}
        evidence: dict[str, LabelHit] = {}
        for article in articles:
            for label, hit in article.hits.items():
                totals[label] = totals.get(label, 0.0) + hit.score
                if label not in evidence or hit.score > evidence[label].score:
                    evidence[label] = hit
        if not totals:
            return NO_INCIDENT, None
        label = max(totals, key=lambda name: (totals[name], -INCIDENT_TYPES.index(name)))
        if totals[label] < self.min_score:
            return NO_INCIDENT, None
        return label, evidence[label].sentence

    def _hits(self, title: str, text: str) -> list[tuple[int, str, str, float]]:
        """``(sentence position, sentence, label, weight)`` of every rule match.

        The matcher runs once per document (title, then text), which is far cheaper
        than once per sentence; a match that runs across a sentence end is dropped.
        Position 0 is the title's first sentence.
        """
        hits = []
        offset = 0
        for index, part in enumerate((title.strip(), text)):
            if not part or (index == 1 and not self.could_match(part)):
                continue  # the title is tokenised anyway: its sentences set the body's positions
            doc = self.nlp(part)
            starts = {sentence.start: index for index, sentence in enumerate(doc.sents)}
            for start, end, rule_id in self._matches(doc):
                sentence = doc[start].sent
                if sentence.end < end:
                    continue
                rule = self.rules[rule_id]
                hits.append((offset + starts[sentence.start], sentence.text.strip(), rule.label, rule.weight))
            offset += len(starts)
        return hits


#: a regular expression that is plain words in alternation, anchored or not, each word
#: perhaps with an optional plural ``s?``: whatever token it matches contains one of them
_PLAIN_ALTERNATION = re.compile(r"\^?\(?((?:[a-z' -]+(?:s\?)?)(?:\|[a-z' -]+(?:s\?)?)*)\)?\$?")


def _raw_words(token: dict) -> tuple[str, ...] | None:
    """The words one of which a text must contain for some token of it to satisfy
    ``token`` (a pattern entry); ``None`` when the entry may be absent or the words cannot
    be read off it (a regular expression other than plain words in alternation)."""
    if "OP" in token or "LOWER" not in token:
        return None
    value = token["LOWER"]
    if isinstance(value, str):
        return (value.lower(),)
    if "IN" in value:
        return tuple(v.lower() for v in value["IN"])
    if "REGEX" in value and (plain := _PLAIN_ALTERNATION.fullmatch(value["REGEX"])):
        return tuple(word.removesuffix("s?") for word in plain.group(1).split("|"))
    return None


_WORD = r"[a-z' -]+(?:s\?)?"
#: ``^(word|word)$`` or ``^word$`` (without the brackets, ``^a|b$`` would mean something else)
_EXACT_ALTERNATION = re.compile(rf"\^(?:\(({_WORD}(?:\|{_WORD})*)\)|({_WORD}))\$")


def _as_sets(pattern: list[dict]) -> list[dict]:
    """``pattern`` with each ``LOWER`` regular expression that is a whole-token
    alternation of plain words (``^(leak|leaks)$``, ``^intruders?$``) given as the set of
    those words: the same matches, but spaCy tests set membership on a hash where a
    regular expression costs a Python call per token."""
    converted = []
    for token in pattern:
        value = token.get("LOWER")
        if isinstance(value, dict) and set(value) == {"REGEX"} and (
                exact := _EXACT_ALTERNATION.fullmatch(value["REGEX"])):
            words = []
            for word in (exact.group(1) or exact.group(2)).split("|"):
                words.extend((word[:-2], word[:-2] + "s") if word.endswith("s?") else (word,))
            token = {**token, "LOWER": {"IN": words}}
        converted.append(token)
    return converted


def _word_test(token: dict) -> re.Pattern[str] | None:
    """A test, over a document's words one a line, that some word satisfies a required
    token of a pattern; ``None`` for tokens that may be absent (an ``OP``) or that any
    word satisfies (a wildcard, ``NOT_IN``)."""
    if "OP" in token or "LOWER" not in token:
        return None
    value = token["LOWER"]
    if isinstance(value, str):
        return re.compile(rf"^{re.escape(value)}$", re.M)
    if "IN" in value:
        return re.compile("^(?:" + "|".join(re.escape(v.lower()) for v in value["IN"]) + ")$", re.M)
    if "REGEX" in value:
        return re.compile(value["REGEX"], re.M)
    return None
