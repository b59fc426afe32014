"""What the story linker takes and gives: articles, stories, assignments, its settings."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from newsarchive.nlp.stories.incidents import ArticleIncident

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
    :param language: ISO 639-1 code of the text's language (English word frequencies
        when ``None``)
    :param entity_starts: where each entity of ``entities`` is first mentioned in
        ``title + "\n\n" + text`` (as the entity pipeline reads the article), when known;
        else the linker looks for the keys in the text
    """

    id: str
    title: str
    text: str
    published: str
    entities: list[tuple[str, str]] = field(default_factory=list)
    incident: ArticleIncident | None = None
    language: str | None = None
    entity_starts: list[int] | None = None


@dataclass
class Story:
    """A group of articles about one event.

    :param id: story number; when two stories join, the lower number stays
    :param title: title of the story's earliest article (published order, then id)
    :param first_seen: earliest article date (``YYYY-MM-DD``)
    :param last_seen: latest article date
    :param article_ids: articles in published order (ties by id)
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

    :param story_id: the story joined or started (its number after any join-up)
    :param similarity: best link score to an article of the story (1.0 for a story's
        first article; the estimated Jaccard similarity for a near-duplicate)
    :param duplicate_of: id of the earlier article this one copies, if any
    :param new_story: whether the article started the story
    :param merged: numbers of stories the article joined up into ``story_id`` (gone now)
    """

    story_id: int
    similarity: float
    duplicate_of: str | None = None
    new_story: bool = False
    merged: list[int] = field(default_factory=list)


@dataclass
class StoryConfig:
    """Settings of the linker.

    ``link_threshold``, ``conflict_threshold``, ``support_threshold``, ``entity_support``
    and ``window_days`` were chosen on the written set (``bench/story_eval/articles.jsonl``)
    and the tuned part of the real set (``bench/story_real``); see ``bench/stories.py``.
    The MinHash settings and ``duplicate_threshold`` were set by reasoning, not tuned.

    :param window_days: two articles may be linked only when published within this many days
    :param link_threshold: least term-vector cosine to link two articles
    :param conflict_threshold: least cosine when both name organisations and share none
    :param headline_clash_threshold: least cosine when each headline names an organisation
        the other article never names (two organisations, each the subject of its report)
    :param support_threshold: least cosine to link on shared entities
    :param entity_support: least entity overlap to link at ``support_threshold``
    :param title_weight: how many times title words count
    :param vector_terms: terms kept per article (the heaviest)
    :param index_terms: heaviest terms under which an article is indexed and looks for others
    :param core_share: share of a story's articles that must name an entity for it to
        count as a core entity of the story (for related stories)
    :param actor_kinds: entity kinds that name who an event happened to
    :param related_threshold: least entity similarity for two stories to be related
    :param related_days: two stories can be related only when an article of one was
        published within this many days of an article of the other (so that whether they
        are does not depend on what else a linker holds; see ``StoryLinker.related_pairs``)
    :param shingle_size: words per shingle for near-duplicates
    :param num_perm: MinHash permutations (must divide by ``lsh_bands``)
    :param lsh_bands: LSH bands; more bands find looser copies
    :param duplicate_threshold: least estimated Jaccard to call an article a copy
    :param seed: seed of the MinHash permutations (fixed so sketches stay comparable)
    """

    window_days: int = 6
    link_threshold: float = 0.34
    conflict_threshold: float = 0.38
    headline_clash_threshold: float = 0.8
    support_threshold: float = 0.25
    entity_support: float = 0.3
    title_weight: int = 2
    vector_terms: int = 80
    index_terms: int = 30
    core_share: float = 0.5
    actor_kinds: tuple[str, ...] = ("organisation",)
    related_threshold: float = 0.25
    related_days: int = 14
    shingle_size: int = 4
    num_perm: int = 128
    lsh_bands: int = 32
    duplicate_threshold: float = 0.6
    seed: int = 7

    def __post_init__(self) -> None:
        """Fail loudly on settings that cannot work."""
        if self.num_perm % self.lsh_bands:
            raise ValueError(f"num_perm ({self.num_perm}) must divide by lsh_bands ({self.lsh_bands})")
        if self.window_days < 0 or self.related_days < 0:
            raise ValueError("window_days and related_days must not be negative")
        if self.index_terms > self.vector_terms:
            raise ValueError("index_terms must not exceed vector_terms")
        self.actor_kinds = tuple(self.actor_kinds)


class StateVersionError(ValueError):
    """A saved linker state written by another version of the linker."""


class AlreadyLinked(ValueError):
    """An article given to a linker is in a story already (added before, or saved by
    another process and read back from the store)."""


class SavedArticle(NamedTuple):
    """One article as the linker keeps it on disk: what :class:`LinkerStore` gives back.

    :param story_id: the story it is in
    :param item: the linker's view of it (its ``_Item`` as a dict)
    :param sketch: its MinHash sketch, little-endian unsigned 64-bit integers
    :param incident: its incident evidence (``ArticleIncident.to_dict()``)
    """

    story_id: int
    item: dict[str, Any]
    sketch: bytes
    incident: dict[str, Any]


class LinkerStore(Protocol):
    """Where a linker that keeps only recent stories in memory finds the others again.

    The archive implements it over a table (``newsarchive.archive``); this layer only
    reads through it, and the caller writes what :meth:`StoryLinker.saved` gives.
    """

    def articles_between(self, first_day: int, last_day: int) -> Iterable[SavedArticle]:
        """Every saved article published on a day in ``[first_day, last_day]`` (ordinals)."""
        ...

    def articles_of(self, story_ids: Collection[int]) -> Iterable[SavedArticle]:
        """Every saved article of these stories."""
        ...
