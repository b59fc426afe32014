"""Link the reports of one event into a story, across outlets and days.

A story is a group of articles joined by **links between pairs of articles**; the stories
are the connected groups. Whether two articles are linked depends on those two articles
only, never on what else the archive holds or the order the articles came in, so the same
pages give the same stories whatever order a crawl delivers them in, and linking stays
incremental: a new article is compared with the articles near it in time and joins (or
joins up) the stories of the ones it links to.

Two articles are linked when they were published within ``window_days`` of each other and

1. one is a **near-duplicate** of the other (a syndicated wire copy or a lightly edited
   one): MinHash sketches of word shingles, with LSH banding so only likely pairs are
   compared; or
2. their **text** is alike: the cosine of their term vectors (title words counted
   ``title_weight`` times) is at least ``link_threshold``. Terms are weighted by how rare
   they are in the language at large (:mod:`wordfreq`'s frequency lists), not in the
   archive: weights that moved as the archive grew made a pair's fate depend on what had
   arrived before it. When both articles name organisations and share none of them (two
   organisations making the same mistake in one week), the cosine must reach
   ``conflict_threshold`` instead, and ``headline_clash_threshold`` when each headline
   names an organisation the other article never names; or
3. their text is somewhat alike (``support_threshold``) and their **named entities**
   overlap (weighted Jaccard, rare names weighing most) by ``entity_support`` or more,
   with no clash of organisations as above.

Candidates come from an index of each article's heaviest terms by day, so adding an
article costs the same however large the archive grows. Syndicated copies are also
reported (``duplicate_of``) against the most similar earlier copy.

Each article is scanned for **incident-type** evidence (:mod:`newsarchive.nlp.stories.incidents`),
kept per article so a story's type is decided again as it grows. Stories that share key
entities but were kept apart are reported as ``related``.

**Memory.** Alone, a linker keeps every article it was given. Given a
:class:`~newsarchive.nlp.stories.records.LinkerStore` (the archive), it keeps a *working
set* instead: before an article is compared, the days within ``window_days`` of it are
read back from the store (with every article of each story found there, so a story in
memory is always whole), and :meth:`StoryLinker.evict` drops the stories whose newest
article is older than a day the caller chooses. Links depend on the pair only and every
candidate of an article lies in the days read back, so the stories are the same as with
everything in memory; two stories can be related only when they have articles within
``related_days`` of each other, and those days are read back too before related stories
are looked for. Memory then follows the news of a few weeks, not the size of the archive.
"""

from __future__ import annotations

import base64
import bisect
import math
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from functools import cached_property
from typing import Any, Collection, Iterable

import numpy as np

from newsarchive.nlp.stories.features import (MinHasher, TermWeights, same_name, content_terms, entity_keys,
                                              estimated_jaccard, parse_day, zipf)
from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger
from newsarchive.nlp.stories.records import (AlreadyLinked, Assignment, LinkerStore, SavedArticle,
                                             StateVersionError, Story, StoryArticle, StoryConfig)

#: version of the saved state; states of other versions are refused (see ``StateVersionError``).
#: 3: the state holds the settings and the next story number; articles are saved one by one
STATE_VERSION = 3


def sort_key(article: StoryArticle) -> tuple[str, str]:
    """Published order, ties broken by id: the order of a story's articles."""
    return (parse_day(article.published).isoformat() + article.published.strip()[10:], article.id)


@dataclass
class _Item:
    """What the linker keeps per article (JSON-able through ``asdict``)."""

    id: str
    order: str  # sort_key joined, so a story's articles sort the same whatever came first
    day: int  # proleptic ordinal of the published day
    title: str
    terms: dict[str, float]  # unit-length weighted vector of the heaviest terms
    entities: list[str]
    entity_weights: list[float]
    lead: str | None  # the actor entity the article names first, if known
    title_actors: list[str]  # the actor entities its headline names, if known


@dataclass
class _StoryState:
    """A story: its number and its articles' ids."""

    id: int
    article_ids: set[str]


def _encode_sketch(sketch: np.ndarray) -> str:
    return base64.b64encode(sketch.astype("<u8").tobytes()).decode("ascii")


def _decode_sketch(value: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(value), dtype="<u8").astype(np.uint64)


class StoryLinker:
    """Group articles into stories incrementally, whatever order they come in.

    :param config: settings; defaults when omitted
    :param tagger: incident tagger; one with the default rules when omitted
    :param store: where saved articles are read back from (see the module's note on
        memory); without one, the linker keeps everything it is given
    """

    def __init__(self, config: StoryConfig | None = None, tagger: IncidentTagger | None = None,
                 store: LinkerStore | None = None) -> None:
        self.config = config or StoryConfig()
        self.store = store
        #: days whose saved articles are all in memory (used only with a store)
        self._days_loaded: set[int] = set()
        #: the latest publication day among the articles in memory
        self.newest_day: int | None = None
        if tagger is not None:
            self.tagger = tagger
        self.hasher = MinHasher(self.config.num_perm, self.config.shingle_size, self.config.seed)
        self.weights = TermWeights()
        self._items: dict[str, _Item] = {}
        self._stories: dict[int, _StoryState] = {}
        self._story_of: dict[str, int] = {}
        self._next_story = 1
        self._index: dict[tuple[str, int], list[str]] = {}
        self._sketches: dict[str, np.ndarray] = {}
        self._buckets: dict[int, list[str]] = {}
        self._incidents: dict[str, ArticleIncident] = {}
        #: stories joined up into others since this linker was made or loaded: gone -> into
        self._merged: dict[int, int] = {}
        #: core entities per story, until the story changes
        self._cores: dict[int, set[str]] = {}
        #: articles added before whose original (``duplicate_of``) was looked for again because
        #: an earlier copy arrived after them: article -> its original now (see
        #: :meth:`take_revised_originals`)
        self.revised_originals: dict[str, str | None] = {}

    @cached_property
    def tagger(self) -> IncidentTagger:
        """The incident tagger with the default rules, built when first needed (most runs
        hand in evidence found by worker processes and never need it)."""
        return IncidentTagger()

    # -- adding articles -------------------------------------------------------------

    def add(self, article: StoryArticle) -> Assignment:
        """Put one article into a story: a new one, the one it links to, or the one it
        joins up from several it links to.

        :param article: the article; its id must be new to the linker
        :raises AlreadyLinked: the article is in a story already, in memory or, once the
            days around it are read back, in the store (another process linked it)
        """
        if article.id in self._story_of:
            raise AlreadyLinked(f"article {article.id!r} was already added")
        item = self.item(article)
        self._ensure_days(item.day - self.config.window_days, item.day + self.config.window_days)
        if article.id in self._story_of:
            raise AlreadyLinked(f"article {article.id!r} was linked by another process")
        sketch = self.hasher.sketch(article.text)
        copies = self._near_copies(item, sketch)
        links = self._links(item)
        for other, score in copies.items():
            links[other] = max(links.get(other, 0.0), score)
        self._remember(item, sketch)
        self._incidents[article.id] = article.incident or self.tagger.tag_article(article.title, article.text)
        duplicate = self._original(item, copies)
        for other in copies:  # a copy published later, linked before this one came: its original may be this
            if self._items[other].order > item.order:
                later = self._items[other]
                self.revised_originals[other] = self._original(later, self._near_copies(later, self._sketches[other]))
        if not links:
            story_id = self._new_story(item.id)
            return Assignment(story_id, 1.0, duplicate, new_story=True)
        stories = sorted({self._story_of[other] for other in links})
        story_id, merged = stories[0], stories[1:]
        for gone in merged:
            self._merge(gone, into=story_id)
        self._stories[story_id].article_ids.add(item.id)
        self._story_of[item.id] = story_id
        self._cores.pop(story_id, None)
        return Assignment(story_id, round(max(links.values()), 4), duplicate, merged=merged)

    def item(self, article: StoryArticle) -> _Item:
        """The linker's view of an article: its day, weighted terms and entities."""
        day = parse_day(article.published)
        counts = content_terms(article, self.config.title_weight)
        weighted = {term: (1.0 + math.log(count)) * self.weights(term, article.language)
                    for term, count in counts.items()}
        heaviest = sorted(weighted.items(), key=lambda pair: (-pair[1], pair[0]))[: self.config.vector_terms]
        norm = math.sqrt(sum(value * value for _term, value in heaviest)) or 1.0
        keys = sorted(entity_keys(article))
        actors = self.actor_places(article)
        return _Item(
            id=article.id,
            order="\x00".join(sort_key(article)),
            day=day.toordinal(),
            title=article.title,
            terms={sys.intern(term): round(value / norm, 6) for term, value in heaviest},
            entities=keys,
            entity_weights=[round(self.entity_weight(key), 4) for key in keys],
            lead=min(actors)[1] if actors else None,
            title_actors=sorted(key for at, key in actors if at < len(article.title)),
        )

    def actor_places(self, article: StoryArticle) -> list[tuple[int, str]]:
        """``(offset, key)`` of the actor entities, where each is first mentioned in
        ``title + "\n\n" + text``: from ``entity_starts`` when given, else where the key is
        written out (actors whose key is not are left out)."""
        if article.entity_starts is not None and len(article.entity_starts) == len(article.entities):
            places: dict[str, int] = {}
            for (kind, key), at in zip(article.entities, article.entity_starts):
                name = f"{kind}:{key.strip().lower()}"
                if self._is_actor(name):
                    places[name] = min(at, places.get(name, at))
            return sorted((at, key) for key, at in places.items())
        written = f"{article.title}\n\n{article.text}".lower()
        found = []
        for key in entity_keys(article):
            if self._is_actor(key):
                at = written.find(key.split(":", 1)[1])
                if at >= 0:
                    found.append((at, key))
        return sorted(found)

    def entity_weight(self, key: str) -> float:
        """How much naming an entity in common tells (rare names most, countries little)."""
        name = key.split(":", 1)[-1]
        return max(0.5, self.weights.ceiling - zipf(name, "en"))

    def _links(self, item: _Item) -> dict[str, float]:
        """Articles already added that the new one links to, with the link scores."""
        found: dict[str, float] = {}
        for other_id in sorted(self._candidates(item)):
            score = self.link_score(item, self._items[other_id])
            if score is not None:
                found[other_id] = score
        return found

    def _candidates(self, item: _Item) -> set[str]:
        """Articles within the window that share one of the item's index terms."""
        window = self.config.window_days
        found: set[str] = set()
        for term in self._index_terms(item):
            for day in range(item.day - window, item.day + window + 1):
                found.update(self._index.get((term, day), ()))
        return found

    def _index_terms(self, item: _Item) -> list[str]:
        return list(item.terms)[: self.config.index_terms]

    def link_score(self, left: _Item, right: _Item) -> float | None:
        """The score of the link between two articles, or ``None`` when not linked
        (near-duplicates aside, see :meth:`add`)."""
        config = self.config
        if abs(left.day - right.day) > config.window_days:
            return None
        cosine = self.text_similarity(left, right)
        if cosine < min(config.link_threshold, config.support_threshold):
            return None  # below every rule's least cosine: the clash checks cannot change that
        if self.headlines_clash(left, right) and cosine < config.headline_clash_threshold:
            return None
        clash = self.organisations_clash(left, right)
        if cosine >= config.link_threshold and (not clash or cosine >= config.conflict_threshold):
            return cosine
        if not clash and cosine >= config.support_threshold:
            if self.entity_similarity(left, right) >= config.entity_support:
                return cosine
        return None

    def why_not_linked(self, left_id: str, right_id: str) -> str:
        """Why two added articles have no link of their own (for reports of missed pairs).

        :param left_id: an article added before
        :param right_id: another one
        """
        left, right = self._items[left_id], self._items[right_id]
        config = self.config
        gap = abs(left.day - right.day)
        if gap > config.window_days:
            return f"published {gap} days apart (window {config.window_days})"
        if left_id in self._sketches and right_id in self._sketches:
            jaccard = estimated_jaccard(self._sketches[left_id], self._sketches[right_id])
            if jaccard >= config.duplicate_threshold:
                return f"near-duplicates (Jaccard {jaccard:.2f}) that share no index band"
        cosine = self.text_similarity(left, right)
        entities = self.entity_similarity(left, right)
        if self.link_score(left, right) is not None:
            return f"linked (cosine {cosine:.3f})"
        if self.headlines_clash(left, right):
            return (f"text cosine {cosine:.3f} < {config.headline_clash_threshold} needed when the headlines "
                    f"name different organisations ({', '.join(left.title_actors)} / {', '.join(right.title_actors)})")
        if self.organisations_clash(left, right):
            return (f"text cosine {cosine:.3f} < {config.conflict_threshold} needed when the organisations "
                    f"clash (leads {left.lead} / {right.lead})")
        return (f"text cosine {cosine:.3f} < {config.link_threshold}, entity overlap {entities:.2f} "
                f"(< {config.entity_support} or cosine < {config.support_threshold})")

    @staticmethod
    def text_similarity(left: _Item, right: _Item) -> float:
        """Cosine of two articles' weighted term vectors."""
        small, large = sorted((left.terms, right.terms), key=len)
        return sum(value * large[term] for term, value in small.items() if term in large)

    @staticmethod
    def entity_similarity(left: _Item, right: _Item) -> float:
        """Weighted Jaccard index of two articles' entity sets (0 when either has none)."""
        if not left.entities or not right.entities:
            return 0.0
        weights = dict(zip(left.entities, left.entity_weights))
        weights.update(zip(right.entities, right.entity_weights))
        shared = set(left.entities) & set(right.entities)
        union = set(left.entities) | set(right.entities)
        return sum(weights[key] for key in shared) / sum(weights[key] for key in union)

    def organisations_clash(self, left: _Item, right: _Item) -> bool:
        """Whether the articles are about different actors: both name organisations and
        share none, or each leads with an organisation the other never names (two water
        companies hit in one week, both helped by the same agency).

        A name counts as named by the other article when one of its names holds it word
        for word: the small model's spans run long ("Home Depot stock falls after earnings")
        or short ("Big Machine" for "Big Machine Records"), and a clash on such noise kept
        reports of one event apart.
        """
        mine = [key for key in left.entities if self._is_actor(key)]
        theirs = [key for key in right.entities if self._is_actor(key)]
        if mine and theirs and not any(same_name(a, b) for a in mine for b in theirs):
            return True
        if left.lead is None or right.lead is None:
            return False
        return (not any(same_name(left.lead, key) for key in theirs)
                and not any(same_name(right.lead, key) for key in mine))

    def headlines_clash(self, left: _Item, right: _Item) -> bool:
        """Whether each headline names an organisation the other article never names: the
        same mishap at two organisations ("Ministry of Defence emails sent to Mali" and
        "Pentagon email ... went to Mali"), which the small model's noise cannot fake as
        easily as a clash anywhere in the text."""
        if not left.title_actors or not right.title_actors:
            return False
        mine = [key for key in left.entities if self._is_actor(key)]
        theirs = [key for key in right.entities if self._is_actor(key)]
        return (not any(same_name(a, b) for a in left.title_actors for b in theirs)
                and not any(same_name(a, b) for a in right.title_actors for b in mine))

    def _is_actor(self, key: str) -> bool:
        """Whether an entity key is of an actor kind (see ``StoryConfig.actor_kinds``)."""
        return key.split(":", 1)[0] in self.config.actor_kinds

    # -- near-duplicates ---------------------------------------------------------------

    def _near_copies(self, item: _Item, sketch: np.ndarray) -> dict[str, float]:
        """Articles within the window whose text the new one nearly copies (or that copy it)."""
        found: dict[str, float] = {}
        for candidate in sorted(self._lsh_candidates(sketch)):
            if abs(self._items[candidate].day - item.day) > self.config.window_days:
                continue
            score = estimated_jaccard(sketch, self._sketches[candidate])
            if score >= self.config.duplicate_threshold:
                found[candidate] = round(score, 4)
        return found

    def _original(self, item: _Item, copies: dict[str, float]) -> str | None:
        """The most similar near-copy published before the item (ties: the earliest)."""
        earlier = [other for other in copies if self._items[other].order < item.order]
        if not earlier:
            return None
        return min(earlier, key=lambda other: (-copies[other], self._items[other].order))

    def _bands(self, sketch: np.ndarray) -> list[int]:
        """LSH band keys of a sketch: the hash of each band's number and values (an int
        takes a tenth of the memory of the tuple; a rare collision only adds a candidate,
        which the estimated Jaccard then turns away; keys live in memory only)."""
        rows = self.config.num_perm // self.config.lsh_bands
        return [hash((band, sketch[band * rows : (band + 1) * rows].tobytes())) for band in range(self.config.lsh_bands)]

    def _lsh_candidates(self, sketch: np.ndarray) -> set[str]:
        """Earlier articles sharing at least one LSH band with the sketch."""
        found: set[str] = set()
        for key in self._bands(sketch):
            found.update(self._buckets.get(key, ()))
        return found

    # -- bookkeeping -------------------------------------------------------------------

    def _remember(self, item: _Item, sketch: np.ndarray) -> None:
        """Keep an article's view and file it under its index terms and LSH bands."""
        self._items[item.id] = item
        if self.newest_day is None or item.day > self.newest_day:
            self.newest_day = item.day
        for term in self._index_terms(item):
            self._index.setdefault((term, item.day), []).append(item.id)
        self._sketches[item.id] = sketch
        for key in self._bands(sketch):
            self._buckets.setdefault(key, []).append(item.id)

    def _new_story(self, article_id: str) -> int:
        """Open a story holding one article and return its number."""
        story_id = self._next_story
        self._next_story += 1
        self._stories[story_id] = _StoryState(story_id, {article_id})
        self._story_of[article_id] = story_id
        return story_id

    def _merge(self, gone: int, into: int) -> None:
        """Move the articles of story ``gone`` into story ``into``."""
        moved = self._stories.pop(gone).article_ids
        self._stories[into].article_ids |= moved
        for article_id in moved:
            self._story_of[article_id] = into
        self._merged[gone] = into
        self._cores.pop(gone, None)
        self._cores.pop(into, None)

    def merged_into(self, story_id: int) -> int:
        """The story that holds the articles of a story joined up since this linker was
        made or loaded (the story itself when it was not).

        :param story_id: a story number
        """
        while story_id in self._merged:
            story_id = self._merged[story_id]
        return story_id

    # -- the working set (with a store) -----------------------------------------------

    def _ensure_days(self, first_day: int, last_day: int) -> None:
        """Read back from the store every saved article published in ``[first_day,
        last_day]`` that is not in memory, with the whole of each story it is in."""
        if self.store is None:
            return
        missing = [day for day in range(first_day, last_day + 1) if day not in self._days_loaded]
        if not missing:
            return
        found = {saved.story_id for saved in self.store.articles_between(min(missing), max(missing))
                 if saved.item["id"] not in self._items}
        if found:
            for saved in self.store.articles_of(sorted(found)):
                if saved.item["id"] not in self._items:
                    self._adopt(saved)
        self._days_loaded.update(missing)

    def _adopt(self, saved: SavedArticle) -> None:
        """Take a saved article back into memory, in the story it was saved in."""
        item = _Item(**saved.item)
        item.terms = {sys.intern(term): value for term, value in item.terms.items()}  # shared, as in item()
        self._remember(item, np.frombuffer(saved.sketch, dtype="<u8").astype(np.uint64))
        self._incidents[item.id] = ArticleIncident.from_dict(saved.incident)
        self._stories.setdefault(saved.story_id, _StoryState(saved.story_id, set())).article_ids.add(item.id)
        self._story_of[item.id] = saved.story_id
        self._cores.pop(saved.story_id, None)
        self._next_story = max(self._next_story, saved.story_id + 1)

    def evict(self, before_day: int, keep: int = 0) -> int:
        """Drop from memory the stories whose newest article was published before
        ``before_day`` (an ordinal), oldest first, until at most ``keep`` articles are left
        in memory; returns how many articles were dropped. Only for a linker with a store,
        whose caller has saved everything added so far.

        :param keep: articles that may stay in memory although old (a late article then
            finds its days still there instead of reading them back)
        """
        if self.store is None:
            raise ValueError("a linker without a store cannot read back what it drops")
        old = sorted((newest, story_id) for story_id, story in self._stories.items()
                     if (newest := max(self._items[i].day for i in story.article_ids)) < before_day)
        dropped = 0
        for _newest, story_id in old:
            if len(self._items) <= keep:
                break
            for article_id in self._stories.pop(story_id).article_ids:
                self._days_loaded.discard(self._items[article_id].day)  # that day is no longer whole
                self._forget(article_id)
                dropped += 1
            self._cores.pop(story_id, None)
        self._merged.clear()
        return dropped

    def _forget(self, article_id: str) -> None:
        """Take one article out of memory and out of the indexes."""
        item = self._items.pop(article_id)
        for term in self._index_terms(item):
            _discard(self._index, (term, item.day), article_id)
        for key in self._bands(self._sketches.pop(article_id)):
            _discard(self._buckets, key, article_id)
        self._incidents.pop(article_id, None)
        self._story_of.pop(article_id, None)

    def saved(self, article_id: str) -> SavedArticle:
        """What to save of an article added before, for a store to give back later.

        :param article_id: an article in memory
        """
        return SavedArticle(self._story_of[article_id], dict(vars(self._items[article_id])),  # shallow: read only
                            self._sketches[article_id].astype("<u8").tobytes(),
                            self._incidents[article_id].to_dict())

    def take_revised_originals(self) -> dict[str, str | None]:
        """The originals looked for again since the last call (article -> original or None),
        so that ``duplicate_of`` does not depend on which copy arrived first."""
        revised, self.revised_originals = self.revised_originals, {}
        return revised

    @property
    def memory_size(self) -> int:
        """How many articles are in memory."""
        return len(self._items)

    # -- results ---------------------------------------------------------------------

    @property
    def article_count(self) -> int:
        """How many articles have been added."""
        return len(self._story_of)

    def story_of(self, article_id: str) -> int:
        """The number of the story an article is in now.

        :param article_id: an article added before
        """
        return self._story_of[article_id]

    def story_ids(self) -> list[int]:
        """Numbers of the stories there are now."""
        return sorted(self._stories)

    def _ordered(self, story: _StoryState) -> list[_Item]:
        return sorted((self._items[i] for i in story.article_ids), key=lambda item: item.order)

    def core_entities(self, story_id: int) -> set[str]:
        """Entities named by at least ``core_share`` of the story's articles."""
        core = self._cores.get(story_id)
        if core is None:
            story = self._stories[story_id]
            counts = Counter(key for i in story.article_ids for key in self._items[i].entities)
            needed = self.config.core_share * len(story.article_ids)
            core = self._cores[story_id] = {key for key, count in counts.items() if count >= needed}
        return core

    def related_pairs(self, touching: Collection[int] | None = None) -> list[tuple[int, int, float]]:
        """Pairs of stories that share key entities, with their entity similarity, each
        with an article published within ``related_days`` of an article of the other.

        :param touching: only the pairs with at least one of these stories (all when
            omitted); with a store, the days around their articles are read back first, so
            the answer is the same whatever else is in memory
        """
        if touching is not None:
            days = sorted({self._items[i].day for story_id in set(touching) & set(self._stories)
                           for i in self._stories[story_id].article_ids})
            reach = self.config.related_days
            for first, last in _spans(days, reach):
                self._ensure_days(first - reach, last + reach)
        index: dict[str, list[int]] = {}
        cores = {story_id: self.core_entities(story_id) for story_id in sorted(self._stories)}
        for story_id, keys in cores.items():
            for key in keys:
                index.setdefault(key, []).append(story_id)
        if touching is None:
            pairs = {(a, b) for ids in index.values() for a in ids for b in ids if a < b}
        else:
            pairs = {(min(a, b), max(a, b)) for a in set(touching) & set(cores)
                     for key in cores[a] for b in index[key] if a != b}
        days_of: dict[int, list[int]] = {}
        weight: dict[str, float] = {}
        scored = []
        for a, b in sorted(pairs):
            if not self._near_in_time(a, b, days_of):
                continue
            for key in cores[a] | cores[b]:
                if key not in weight:
                    weight[key] = self.entity_weight(key)
            shared = sum(weight[key] for key in cores[a] & cores[b])
            score = shared / sum(weight[key] for key in cores[a] | cores[b])
            scored.append((a, b, round(score, 4)))
        return [pair for pair in scored if pair[2] >= self.config.related_threshold]

    def _near_in_time(self, a: int, b: int, days_of: dict[int, list[int]]) -> bool:
        """Whether an article of story ``a`` was published within ``related_days`` of one of ``b``."""
        for story_id in (a, b):
            if story_id not in days_of:
                days_of[story_id] = sorted({self._items[i].day for i in self._stories[story_id].article_ids})
        small, large = sorted((days_of[a], days_of[b]), key=len)
        reach = self.config.related_days
        for day in small:
            at = bisect.bisect_left(large, day - reach)
            if at < len(large) and large[at] <= day + reach:
                return True
        return False

    def stories(self, ids: Iterable[int] | None = None, related: bool = True) -> list[Story]:
        """The stories, with their incident type and related stories.

        :param ids: only these stories (all when omitted; numbers of stories that are gone
            are skipped)
        :param related: look for related stories (when false, ``related`` is left empty)
        """
        wanted = sorted(self._stories) if ids is None else sorted(set(ids) & set(self._stories))
        found: dict[int, list[int]] = {story_id: [] for story_id in self._stories}
        for a, b, _score in self.related_pairs(None if ids is None else wanted) if related else ():
            found[a].append(b)
            found[b].append(a)
        related_of = found
        return [self._story(self._stories[i], sorted(related_of[i])) for i in wanted]

    def partition(self) -> set[frozenset[str]]:
        """The stories as sets of article ids (what must not depend on arrival order)."""
        return {frozenset(story.article_ids) for story in self._stories.values()}

    def _story(self, state: _StoryState, related: list[int]) -> Story:
        """The public view of one story."""
        items = self._ordered(state)
        incident_type, evidence = self.tagger.decide(self._incidents[item.id] for item in items)
        return Story(
            id=state.id,
            title=items[0].title,
            first_seen=date.fromordinal(items[0].day).isoformat(),
            last_seen=date.fromordinal(max(item.day for item in items)).isoformat(),
            article_ids=[item.id for item in items],
            incident_type=incident_type,
            evidence=evidence,
            related=related,
        )

    # -- state -------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The linker's own state without its articles (a linker with a store saves
        these one by one, see :meth:`saved`): settings and the next story number."""
        return {"version": STATE_VERSION, "config": asdict(self.config), "next_story": self._next_story}

    @classmethod
    def from_state(cls, data: dict[str, Any], store: LinkerStore, tagger: IncidentTagger | None = None) -> "StoryLinker":
        """A linker going on from :meth:`state`, reading its articles back from ``store``.

        :raises StateVersionError: the state was saved by another version of the linker
        """
        if data.get("version") != STATE_VERSION or "articles" in data:
            raise StateVersionError(f"story state version {data.get('version')!r} is not {STATE_VERSION}")
        linker = cls(StoryConfig(**data["config"]), tagger, store)
        linker._next_story = int(data["next_story"])
        return linker

    def to_dict(self) -> dict:
        """The whole linking state as JSON-able data (see :meth:`from_dict`)."""
        return {
            "version": STATE_VERSION,
            "config": asdict(self.config),
            "next_story": self._next_story,
            "articles": [asdict(item) for item in self._items.values()],
            "stories": {str(story.id): sorted(story.article_ids) for story in self._stories.values()},
            "sketches": {key: _encode_sketch(sketch) for key, sketch in self._sketches.items()},
            "incidents": {key: found.to_dict() for key, found in self._incidents.items()},
        }

    @classmethod
    def from_dict(cls, data: dict, tagger: IncidentTagger | None = None) -> "StoryLinker":
        """Resume a linker saved with :meth:`to_dict`.

        :param data: the saved state
        :param tagger: incident tagger for articles added from now on
        :raises StateVersionError: the state was saved by another version of the linker
        """
        if data.get("version") != STATE_VERSION or "articles" not in data:
            raise StateVersionError(f"story state version {data.get('version')!r} is not {STATE_VERSION}")
        linker = cls(StoryConfig(**data["config"]), tagger)
        linker._next_story = int(data["next_story"])
        for row in data["articles"]:
            item = _Item(**row)
            linker._remember(item, _decode_sketch(data["sketches"][item.id]))
        for story_id, article_ids in data["stories"].items():
            state = _StoryState(int(story_id), set(article_ids))
            linker._stories[state.id] = state
            linker._story_of.update({article_id: state.id for article_id in article_ids})
        linker._incidents = {key: ArticleIncident.from_dict(v) for key, v in data["incidents"].items()}
        return linker


def _spans(days: list[int], gap: int) -> list[tuple[int, int]]:
    """Sorted days grouped into ``(first, last)`` runs whose neighbours lie within ``2 * gap``
    (one read of the days around a run covers the days around each of its days)."""
    spans: list[tuple[int, int]] = []
    for day in days:
        if spans and day - spans[-1][1] <= 2 * gap:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _discard(index: dict[Any, list[str]], key: Any, article_id: str) -> None:
    """Take an article id out of one index list, and the list out when it empties."""
    ids = index.get(key)
    if ids is None:
        return
    try:
        ids.remove(article_id)
    except ValueError:
        return
    if not ids:
        del index[key]


def link_all(articles: Iterable[StoryArticle], config: StoryConfig | None = None, tagger: IncidentTagger | None = None) -> list[Story]:
    """Link a batch of articles (in published order, so story numbers follow it).

    :param articles: the articles
    :param config: linker settings
    :param tagger: incident tagger
    """
    linker = StoryLinker(config, tagger)
    for article in sorted(articles, key=sort_key):
        linker.add(article)
    return linker.stories()
