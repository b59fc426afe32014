"""Link the reports of one incident into a story, across outlets and days.

Articles arrive one at a time (in published order when linking a batch). Each one is:

1. checked for being a **near-duplicate** of an earlier article (a syndicated wire copy
   or a lightly edited one): MinHash sketches of word shingles, with LSH banding so only
   likely pairs are compared; a copy joins the story of its original when that story is
   still open (within the window), else it is linked like any article: templates that
   recur for months (a weekly round-up) must not chain into one endless story;
2. otherwise compared with the **open stories** (those whose date range is within
   ``window_days`` of the article): a weighted sum of TF-IDF cosine (title counted
   ``title_weight`` times) against the story's centroid, and an IDF-weighted overlap of
   named entities (rare entities such as a domain or a small organisation weigh most),
   scaled down by ``actor_factor`` when the article leaves out the story's main actor
   and names another; the best story above ``join_threshold`` takes it, else the article
   starts a story;
3. scanned for **incident-type** evidence (:mod:`newsarchive.nlp.stories.incidents`), kept per article so a
   story's type can be decided again as it grows.

Document frequencies of words and entities are kept as articles arrive, so nothing is
re-clustered and the state (``to_dict``/``from_dict``) is enough to resume later.
Stories that share key entities but were kept apart are reported as ``related``.

Why the entity overlap looks at the story's *core* entities (named by at least
``core_share`` of its articles), and why the main actor counts so much: two incidents
of one kind (two organisations mailing the same wrong domain, two water companies hit by
ransomware in one week) share vocabulary and even a few entities, because reports of one
recall the other. What tells them apart is the organisation each story keeps naming. The
actor rule leans on entity keys being normalised ("MoD" and "Ministry of Defence" one
key); with raw NER strings it misfires and splits stories (see the bench ablations).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Iterable, Iterator

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger

WORD = re.compile(r"\.?[a-z0-9][a-z0-9'\-]*")
MERSENNE_PRIME = (1 << 31) - 1


@dataclass
class StoryArticle:
    """One article as the linker sees it.

    :param id: the archive's article id
    :param title: headline
    :param text: body text
    :param published: ``YYYY-MM-DD`` or an ISO datetime
    :param entities: ``(kind, key)`` pairs, e.g. ``("domain", ".ml")``
    :param incident: its incident evidence, when a worker process has already found it
        (with the linker's rules); found by the linker's tagger when ``None``
    """

    id: str
    title: str
    text: str
    published: str
    entities: list[tuple[str, str]] = field(default_factory=list)
    incident: ArticleIncident | None = None


@dataclass
class Story:
    """A group of articles about one incident.

    :param id: story number, from 1 in order of creation
    :param title: title of the story's first article (its earliest when articles are
        added in published order)
    :param first_seen: earliest article date (``YYYY-MM-DD``)
    :param last_seen: latest article date
    :param article_ids: articles in the order they were added
    :param incident_type: a type of :data:`newsarchive.nlp.stories.incidents.INCIDENT_TYPES` or ``none``
    :param evidence: the sentence that gave the type
    :param related: ids of stories sharing key entities
    """

    id: int
    title: str
    first_seen: str
    last_seen: str
    article_ids: list[str]
    incident_type: str
    evidence: str | None
    related: list[int]


@dataclass
class Assignment:
    """Where :meth:`StoryLinker.add` put an article.

    :param story_id: the story joined or started
    :param similarity: score against the story (1.0 for a story's first article;
        the estimated Jaccard similarity for a near-duplicate)
    :param duplicate_of: id of the article this one copies, if any
    :param new_story: whether the article started the story
    """

    story_id: int
    similarity: float
    duplicate_of: str | None = None
    new_story: bool = False


@dataclass
class StoryConfig:
    """Settings of the linker.

    Tuned on ``bench/story_eval`` by grid search (``join_threshold``, ``text_weight`` /
    ``entity_weight``, ``actor_factor``; ``core_share`` checked at 0.34/0.5/0.67), picking
    a point inside a plateau that keeps distinct incidents apart (B-cubed precision 1.0)
    and also holds up when entities are missing or unnormalised (see ``bench/stories.py``
    ablations). ``window_days``, ``duplicate_threshold`` and the MinHash settings were set
    by reasoning, not tuned.

    :param window_days: an article may join a story within this many days of its range
    :param join_threshold: least combined score to join a story
    :param text_weight: weight of the TF-IDF cosine in the combined score
    :param entity_weight: weight of the entity overlap in the combined score
    :param title_weight: how many times title words count
    :param core_share: share of a story's articles that must name an entity for it to
        count as a core entity of the story
    :param actor_kinds: entity kinds that name who an incident happened to
    :param actor_factor: multiplies the score when the article leaves out the story's
        main actor and names one the story never named (two organisations making the
        same mistake)
    :param related_threshold: least entity similarity for two stories to be related
    :param shingle_size: words per shingle for near-duplicates
    :param num_perm: MinHash permutations (must divide by ``lsh_bands``)
    :param lsh_bands: LSH bands; more bands find looser copies
    :param duplicate_threshold: least estimated Jaccard to call an article a copy
    :param seed: seed of the MinHash permutations (fixed so sketches stay comparable)
    """

    window_days: int = 14
    join_threshold: float = 0.2
    text_weight: float = 0.8
    entity_weight: float = 0.2
    title_weight: int = 2
    core_share: float = 0.5
    actor_kinds: tuple[str, ...] = ("organisation",)
    actor_factor: float = 0.5
    related_threshold: float = 0.25
    shingle_size: int = 4
    num_perm: int = 128
    lsh_bands: int = 32
    duplicate_threshold: float = 0.6
    seed: int = 7

    def __post_init__(self) -> None:
        """Fail loudly on settings that cannot work."""
        if self.num_perm % self.lsh_bands:
            raise ValueError(f"num_perm ({self.num_perm}) must divide by lsh_bands ({self.lsh_bands})")
        if self.window_days < 0:
            raise ValueError("window_days must not be negative")
        self.actor_kinds = tuple(self.actor_kinds)


def parse_day(published: str) -> date:
    """The calendar day of an ISO date or datetime.

    :param published: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM...``
    """
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError as error:
        raise ValueError(f"published must be an ISO date, got {published!r}") from error


def words(text: str) -> list[str]:
    """Lower-cased word tokens, domains kept with their dot (``.ml``)."""
    return [token.strip("'-") for token in WORD.findall(text.lower())]


def content_terms(article: StoryArticle, title_weight: int) -> Counter:
    """Term counts of title and text without stop words, the title counted more.

    :param article: the article
    :param title_weight: how many times a title word counts
    """
    def keep(term: str) -> bool:
        return len(term) > 1 and term not in STOP_WORDS and not term.isdigit()

    counts = Counter(term for term in words(article.text) if keep(term))
    for term in words(article.title):
        if keep(term):
            counts[term] += title_weight
    return counts


def sublinear(counts: Counter) -> dict[str, float]:
    """``1 + log(tf)``, so one word repeated does not swamp a vector."""
    return {term: 1.0 + math.log(count) for term, count in counts.items()}


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


@dataclass
class _StoryState:
    """What the linker keeps per story (JSON-able through ``asdict``)."""

    id: int
    first: str
    last: str
    article_ids: list[str]
    titles: list[str]
    terms: dict[str, float]
    entities: dict[str, int]


class _Terms:
    """Document frequencies of terms, as a numpy array indexed by term number.

    Term weights are then gathered, weighted by IDF and summed in numpy: comparing an
    article with every open story costs a few array operations per story instead of a
    Python loop over each story's words.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.df = np.zeros(1024)
        #: the article being scored, weighted, at its terms' positions; zero elsewhere
        self.scratch = np.zeros(1024)

    def vector(self, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """``(term numbers, weights)`` of a term-weight dict; new terms get numbers."""
        ids = self.ids
        # setdefault numbers a new term len(ids), taken before the term is added
        numbers = np.fromiter((ids.setdefault(term, len(ids)) for term in weights), dtype=np.intp,
                              count=len(weights))
        if len(ids) > len(self.df):
            more = np.zeros(max(len(ids), 2 * len(self.df)) - len(self.df))
            self.df = np.concatenate([self.df, more])
            self.scratch = np.concatenate([self.scratch, more])
        return numbers, np.fromiter(weights.values(), dtype=float, count=len(weights))

    def as_dict(self) -> dict[str, int]:
        """Document frequency by term."""
        return {term: int(self.df[number]) for term, number in self.ids.items()}


def _encode_sketch(sketch: np.ndarray) -> str:
    return base64.b64encode(sketch.astype("<u8").tobytes()).decode("ascii")


def _decode_sketch(value: str | list[int]) -> np.ndarray:
    if isinstance(value, list):  # states saved before sketches were packed
        return np.array(value, dtype=np.uint64)
    return np.frombuffer(base64.b64decode(value), dtype="<u8").astype(np.uint64)


class StoryLinker:
    """Group articles into stories incrementally.

    :param config: settings; defaults when omitted
    :param tagger: incident tagger; one with the default rules when omitted
    """

    def __init__(self, config: StoryConfig | None = None, tagger: IncidentTagger | None = None) -> None:
        self.config = config or StoryConfig()
        if tagger is not None:
            self.tagger = tagger
        self.hasher = MinHasher(self.config.num_perm, self.config.shingle_size, self.config.seed)
        self.doc_count = 0
        self._terms = _Terms()
        self.entity_df: Counter = Counter()
        #: per story, its term vector and core entities, until an article joins it
        self._vectors: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._cores: dict[int, set[str]] = {}
        self._actors: dict[int, list[str]] = {}
        self._stories: dict[int, _StoryState] = {}
        self._story_of: dict[str, int] = {}
        self._sketches: dict[str, np.ndarray] = {}
        self._buckets: dict[tuple[int, bytes], list[str]] = {}
        self._incidents: dict[str, ArticleIncident] = {}

    @cached_property
    def tagger(self) -> IncidentTagger:
        """The incident tagger with the default rules, built when first needed (most runs
        hand in evidence found by worker processes and never need it)."""
        return IncidentTagger()

    # -- adding articles -------------------------------------------------------------

    def add(self, article: StoryArticle) -> Assignment:
        """Put one article into a story (an existing one or a new one).

        :param article: the article; its id must be new to the linker
        """
        if article.id in self._story_of:
            raise ValueError(f"article {article.id!r} was already added")
        day = parse_day(article.published).isoformat()
        terms = sublinear(content_terms(article, self.config.title_weight))
        entities = entity_keys(article)
        self._count_frequencies(terms, entities)
        duplicate = self._duplicate_assignment(article)
        open_ids = {story.id for story in self._open_stories(day)}
        if duplicate is not None and duplicate.story_id in open_ids:
            assignment = duplicate
        else:
            assignment = self._best_story(day, terms, entities) or Assignment(
                self._new_story(day, article.title), 1.0, new_story=True
            )
            assignment.duplicate_of = duplicate.duplicate_of if duplicate else None
        self._join(assignment.story_id, article, day, terms, entities)
        self._incidents[article.id] = article.incident or self.tagger.tag_article(article.title, article.text)
        return assignment

    def _count_frequencies(self, terms: dict[str, float], entities: set[str]) -> None:
        """Update document frequencies before scoring (the article counts itself)."""
        self.doc_count += 1
        numbers, _ = self._terms.vector(terms)
        self._terms.df[numbers] += 1
        self.entity_df.update(entities)

    def _duplicate_assignment(self, article: StoryArticle) -> Assignment | None:
        """Assignment to the original's story if the article is a near-copy.

        The article's sketch is filed too, so later copies of it are found.
        """
        sketch = self.hasher.sketch(article.text)
        best_id, best_score = None, 0.0
        for candidate in sorted(self._lsh_candidates(sketch)):
            score = estimated_jaccard(sketch, self._sketches[candidate])
            if score > best_score:
                best_id, best_score = candidate, score
        self._index_sketch(article.id, sketch)
        if best_id is None or best_score < self.config.duplicate_threshold:
            return None
        return Assignment(self._story_of[best_id], round(best_score, 4), duplicate_of=best_id)

    def _bands(self, sketch: np.ndarray) -> list[tuple[int, bytes]]:
        """LSH band keys of a sketch."""
        rows = self.config.num_perm // self.config.lsh_bands
        return [(band, sketch[band * rows : (band + 1) * rows].tobytes()) for band in range(self.config.lsh_bands)]

    def _lsh_candidates(self, sketch: np.ndarray) -> set[str]:
        """Earlier articles sharing at least one LSH band with the sketch."""
        found: set[str] = set()
        for key in self._bands(sketch):
            found.update(self._buckets.get(key, ()))
        return found

    def _index_sketch(self, article_id: str, sketch: np.ndarray) -> None:
        """Remember a sketch and file it under its LSH bands."""
        self._sketches[article_id] = sketch
        for key in self._bands(sketch):
            self._buckets.setdefault(key, []).append(article_id)

    def _best_story(self, day: str, terms: dict[str, float], entities: set[str]) -> Assignment | None:
        """The open story that scores highest, if above the join threshold."""
        best: Assignment | None = None
        entity_idf: dict[str, float] = {}  # one look-up per entity for this article
        entity_weight = self._entity_weight(entities, entity_idf)
        with self._scoring(terms) as norm:
            for story in self._open_stories(day):
                score = self._score(story, norm, entities, entity_weight, entity_idf)
                if score >= self.config.join_threshold and (best is None or score > best.similarity):
                    best = Assignment(story.id, round(score, 4))
        return best

    def _open_stories(self, day: str) -> list[_StoryState]:
        """Stories whose date range is within the window of ``day``, oldest first."""
        window = timedelta(days=self.config.window_days)
        when = date.fromisoformat(day)
        # ISO dates compare as strings, so the scan needs no date parsing per story
        earliest, latest = (when - window).isoformat(), (when + window).isoformat()
        return [story for story in self._stories.values() if story.last >= earliest and story.first <= latest]

    def _new_story(self, day: str, title: str) -> int:
        """Open an empty story and return its id."""
        story_id = len(self._stories) + 1
        self._stories[story_id] = _StoryState(story_id, day, day, [], [], {}, {})
        return story_id

    def _join(self, story_id: int, article: StoryArticle, day: str, terms: dict[str, float], entities: set[str]) -> None:
        """Add an article's words, entities and dates to a story."""
        story = self._stories[story_id]
        story.article_ids.append(article.id)
        story.titles.append(article.title)
        story.first, story.last = min(story.first, day), max(story.last, day)
        self._vectors.pop(story_id, None)
        self._cores.pop(story_id, None)
        self._actors.pop(story_id, None)
        for term, weight in terms.items():
            story.terms[term] = story.terms.get(term, 0.0) + weight
        for key in entities:
            story.entities[key] = story.entities.get(key, 0) + 1
        self._story_of[article.id] = story_id

    # -- similarity ------------------------------------------------------------------

    def idf(self, df: int) -> float:
        """Inverse document frequency, always positive."""
        return math.log(1.0 + self.doc_count / max(df, 1))

    def score(self, story: _StoryState, terms: dict[str, float], entities: set[str]) -> float:
        """Combined similarity of an article to a story.

        :param story: the story
        :param terms: the article's sublinear term weights
        :param entities: the article's entity keys
        """
        with self._scoring(terms) as norm:
            idf: dict[str, float] = {}
            return self._score(story, norm, entities, self._entity_weight(entities, idf), idf)

    @contextmanager
    def _scoring(self, terms: dict[str, float]) -> Iterator[float]:
        """Hold the article's IDF-weighted terms in the scratch vector while stories are
        scored against it; yields the article vector's norm."""
        numbers, weights = self._terms.vector(terms)
        weighted = weights * self._idf(numbers)
        self._terms.scratch[numbers] = weighted
        try:
            yield math.sqrt(float(weighted @ weighted))
        finally:
            self._terms.scratch[numbers] = 0.0

    def _score(self, story: _StoryState, norm: float, entities: set[str], entity_weight: float,
               entity_idf: dict[str, float]) -> float:
        """:meth:`score` against the article held by :meth:`_scoring`, whose norm is ``norm``
        and whose entities' summed IDF is ``entity_weight``."""
        numbers, weights = self._vector(story)
        weighted = weights * self._idf(numbers)
        norms = norm * math.sqrt(float(weighted @ weighted))
        text = float(self._terms.scratch[numbers] @ weighted) / norms if norms else 0.0
        core = self.core_entities(story)
        if not entities and not core:
            # nothing to compare (no extractor ran): judge by the text alone
            return text
        shared = self._entity_overlap(entities, entity_weight, core, entity_idf)
        combined = self.config.text_weight * text + self.config.entity_weight * shared
        return combined * (self.config.actor_factor if self.actors_differ(entities, story) else 1.0)

    def _vector(self, story: _StoryState) -> tuple[np.ndarray, np.ndarray]:
        """The story's summed term weights as ``(term numbers, weights)``."""
        vector = self._vectors.get(story.id)
        if vector is None:
            vector = self._vectors[story.id] = self._terms.vector(story.terms)
        return vector

    def _idf(self, numbers: np.ndarray) -> np.ndarray:
        """:meth:`idf` of the terms numbered ``numbers``."""
        return np.log(1.0 + self.doc_count / np.maximum(self._terms.df[numbers], 1.0))

    def actors_differ(self, article_entities: set[str], story: _StoryState) -> bool:
        """Whether the article leaves out the story's main actor and brings its own.

        The main actor is the actor entity named by most of the story's articles (an
        incident's reports keep naming the organisation it happened to; agencies that
        respond, such as a regulator, come and go).

        :param article_entities: the article's entity keys
        :param story: the story
        """
        main = self.main_actor(story)
        if main is None or main in article_entities:
            return False
        return any(self._is_actor(key) and key not in story.entities for key in article_entities)

    def main_actor(self, story: _StoryState) -> str | None:
        """The actor entity most of the story's articles name (rarer wins a tie)."""
        actors = self._actors.get(story.id)
        if actors is None:
            actors = self._actors[story.id] = [key for key in story.entities if self._is_actor(key)]
        if not actors:
            return None
        return max(actors, key=lambda key: (story.entities[key], -self.entity_df[key], key))

    def _is_actor(self, key: str) -> bool:
        """Whether an entity key is of an actor kind (see ``StoryConfig.actor_kinds``)."""
        return key.split(":", 1)[0] in self.config.actor_kinds

    def text_similarity(self, left: dict[str, float], right: dict[str, float]) -> float:
        """TF-IDF cosine of two term-weight vectors, with the current IDF."""
        weighted = []
        for vector in (left, right):
            numbers, weights = self._terms.vector(vector)
            weighted.append(dict(zip(numbers.tolist(), (weights * self._idf(numbers)).tolist())))
        small, large = sorted(weighted, key=len)
        dot = sum(value * large[number] for number, value in small.items() if number in large)
        norm = math.sqrt(sum(v * v for v in small.values())) * math.sqrt(sum(v * v for v in large.values()))
        return dot / norm if norm else 0.0

    def entity_similarity(self, left: set[str], right: set[str], idf: dict[str, float] | None = None) -> float:
        """IDF-weighted Jaccard index of two entity sets.

        :param idf: a cache of IDF by entity key, valid while the frequencies stay as they are
        """
        cache = {} if idf is None else idf
        return self._entity_overlap(left, self._entity_weight(left, cache), right, cache)

    def _entity_weight(self, keys: set[str], idf: dict[str, float]) -> float:
        """The summed IDF of entity keys, filling the cache ``idf``."""
        total = 0.0
        for key in keys:
            value = idf.get(key)
            if value is None:
                value = idf[key] = self.idf(self.entity_df[key])
            total += value
        return total

    def _entity_overlap(self, left: set[str], left_weight: float, right: set[str], idf: dict[str, float]) -> float:
        """:meth:`entity_similarity`, given the summed IDF of ``left`` (an article's entities,
        compared with one story after another)."""
        if not left and not right:
            return 0.0
        shared = self._entity_weight(left & right, idf)
        return shared / (left_weight + self._entity_weight(right - left, idf))

    def core_entities(self, story: _StoryState) -> set[str]:
        """Entities named by at least ``core_share`` of the story's articles."""
        core = self._cores.get(story.id)
        if core is None:
            needed = self.config.core_share * len(story.article_ids)
            core = self._cores[story.id] = {key for key, count in story.entities.items() if count >= needed}
        return core

    # -- results ---------------------------------------------------------------------

    @property
    def article_count(self) -> int:
        """How many articles have been added."""
        return len(self._story_of)

    def story_of(self, article_id: str) -> int:
        """The id of the story an article was put in.

        :param article_id: an article added before
        """
        return self._story_of[article_id]

    def related_pairs(self) -> list[tuple[int, int, float]]:
        """Pairs of stories that share key entities, with their entity similarity."""
        index: dict[str, list[int]] = {}
        cores = {story.id: self.core_entities(story) for story in self._stories.values()}
        for story_id, keys in cores.items():
            for key in keys:
                index.setdefault(key, []).append(story_id)
        pairs = {(a, b) for ids in index.values() for a in ids for b in ids if a < b}
        idf: dict[str, float] = {}
        scored = [(a, b, round(self.entity_similarity(cores[a], cores[b], idf), 4)) for a, b in sorted(pairs)]
        return [pair for pair in scored if pair[2] >= self.config.related_threshold]

    def stories(self, ids: Iterable[int] | None = None) -> list[Story]:
        """The stories, with their incident type and related stories.

        :param ids: only these stories (all when omitted)
        """
        related: dict[int, list[int]] = {story_id: [] for story_id in self._stories}
        for a, b, _score in self.related_pairs():
            related[a].append(b)
            related[b].append(a)
        states = self._stories.values() if ids is None else [self._stories[i] for i in sorted(set(ids))]
        return [self._story(state, sorted(related[state.id])) for state in states]

    def _story(self, state: _StoryState, related: list[int]) -> Story:
        """The public view of one story."""
        incident_type, evidence = self.tagger.decide(self._incidents[i] for i in state.article_ids)
        return Story(
            id=state.id,
            title=state.titles[0],
            first_seen=state.first,
            last_seen=state.last,
            article_ids=list(state.article_ids),
            incident_type=incident_type,
            evidence=evidence,
            related=related,
        )

    # -- state -------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The whole linking state as JSON-able data (see :meth:`from_dict`)."""
        return {
            "config": asdict(self.config),
            "doc_count": self.doc_count,
            "term_df": self._terms.as_dict(),
            "entity_df": dict(self.entity_df),
            "stories": [asdict(story) for story in self._stories.values()],
            "sketches": {key: _encode_sketch(sketch) for key, sketch in self._sketches.items()},
            "incidents": {key: found.to_dict() for key, found in self._incidents.items()},
        }

    @classmethod
    def from_dict(cls, data: dict, tagger: IncidentTagger | None = None) -> "StoryLinker":
        """Resume a linker saved with :meth:`to_dict`.

        :param data: the saved state
        :param tagger: incident tagger for articles added from now on
        """
        linker = cls(StoryConfig(**data["config"]), tagger)
        linker.doc_count = int(data["doc_count"])
        frequencies = data["term_df"]
        numbers, counts = linker._terms.vector(frequencies)
        linker._terms.df[numbers] = counts
        linker.entity_df = Counter(data["entity_df"])
        for row in data["stories"]:
            story = _StoryState(**row)
            linker._stories[story.id] = story
            linker._story_of.update({article_id: story.id for article_id in story.article_ids})
        for article_id, values in data["sketches"].items():
            linker._index_sketch(article_id, _decode_sketch(values))
        linker._incidents = {key: ArticleIncident.from_dict(v) for key, v in data["incidents"].items()}
        return linker


def sort_key(article: StoryArticle) -> tuple[str, str]:
    """Published order, ties broken by id so batch and incremental runs agree."""
    return (parse_day(article.published).isoformat() + article.published.strip()[10:], article.id)


def link_all(articles: Iterable[StoryArticle], config: StoryConfig | None = None, tagger: IncidentTagger | None = None) -> list[Story]:
    """Link a batch of articles: sort by published date, then add one by one.

    :param articles: the articles
    :param config: linker settings
    :param tagger: incident tagger
    """
    linker = StoryLinker(config, tagger)
    for article in sorted(articles, key=sort_key):
        linker.add(article)
    return linker.stories()
