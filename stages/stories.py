"""Stories in the archive: articles about one event, linked incrementally.

After entities are extracted, :func:`update_stories` hands the articles not yet in a
story to :class:`newsarchive.nlp.stories.linker.StoryLinker` (oldest first, ``BATCH`` at a
time), with the canonical keys of their entities and their language, and writes the result:
``stories`` (title, date range, incident type and the sentence that gave it),
``story_articles`` (with the similarity and, for a syndicated copy, the original),
``story_links`` (related stories) and ``story_items`` (what the linker compares, per
article). An article that links stories kept apart until then joins them up: the
lower-numbered story takes the other's articles and the other's row goes. The stories do
not depend on the order articles arrive in.

Memory and cost stay flat as the archive grows: the linker reads the articles it compares
back from ``story_items`` (the days around each new article) and, after each batch, drops
from memory the stories whose newest article is more than ``memory_days`` older than the
newest it has seen (see :mod:`newsarchive.nlp.stories.linker`). An update writes the new
articles' rows and the stories they touched, never the whole state. A state saved by an
older linker is dropped with every story, and every article is linked again. A
:class:`StoryUpdater` keeps the linker in memory between updates (a crawl links every few
seconds), starting afresh only when another process has written since.
"""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from newsarchive.archive.store import Store, utcnow
from newsarchive.nlp.stories.incidents import ArticleIncident
from newsarchive.archive.analysis_rows import StaleStories
from newsarchive.nlp.stories.linker import StateVersionError, StoryArticle, StoryLinker
from newsarchive.nlp.stories.records import AlreadyLinked, SavedArticle


#: articles linked, then written, at a time: what bounds the memory of one update
BATCH = 500
#: days of news kept in memory beyond the newest article seen (at least the linker's window)
MEMORY_DAYS = 14
#: older articles that may stay in memory too, so late articles rarely read their days back:
#: what bounds the linker's memory (about 15 KB an article) whatever the archive's size
KEEP = 10_000


class _SavedStories:
    """The archive's ``story_items`` as the linker's :class:`LinkerStore`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def articles_between(self, first_day: int, last_day: int) -> Iterator[SavedArticle]:
        return _saved(self.store.story_items_between(first_day, last_day))

    def articles_of(self, story_ids: Collection[int]) -> Iterator[SavedArticle]:
        return _saved(self.store.story_items_of(sorted(story_ids)))


def _saved(rows: Iterable[tuple[int, str, bytes, str]]) -> Iterator[SavedArticle]:
    for story_id, item, sketch, incident in rows:
        yield SavedArticle(story_id, json.loads(item), sketch, json.loads(incident))


def load_linker(store: Store) -> StoryLinker:
    """The saved linker, or a new one; a state saved by another version of the linker is
    dropped with every story, so that the articles are all linked again."""
    saved = _SavedStories(store)
    state = store.story_state()
    if state is None:
        if store.has_story_items():
            store.reset_stories()  # articles saved without the state that numbers stories
        return StoryLinker(store=saved)
    try:
        return StoryLinker.from_state(json.loads(zlib.decompress(state)), saved)
    except StateVersionError:
        store.reset_stories()
        return StoryLinker(store=saved)


def unlinked_articles(store: Store, limit: int = BATCH) -> list[StoryArticle]:
    """The oldest ``limit`` processed articles in no story yet, with their entity keys."""
    return [StoryArticle(id=str(i), title=t, text=x, published=p, entities=[(kind, key) for kind, key, _ in found],
                         language=language, entity_starts=[start for _kind, _key, start in found])
            for i, t, x, p, found, language in store.unlinked_articles(limit)]


def update_stories(store: Store, incidents: Mapping[int, ArticleIncident] | None = None) -> int:
    """Link the articles not yet in a story; returns how many were linked.

    :param incidents: incident evidence already found for some of them (by worker
        processes, which have the text at hand), by article id
    """
    return StoryUpdater(store).update(incidents)


class StoryUpdater:
    """:func:`update_stories` again and again, with the linker kept in memory between
    calls instead of started afresh each time.

    :param store: the archive
    :param memory_days: after each batch, stories whose newest article is older than this
        many days before the newest article seen leave memory, oldest first, once more than
        ``keep`` articles are in memory (they are read back when an article near them in
        time arrives)
    :param keep: see ``memory_days``
    """

    def __init__(self, store: Store, memory_days: int = MEMORY_DAYS, keep: int = KEEP) -> None:
        self.store = store
        self.memory_days = memory_days
        self.keep = keep
        self._linker: StoryLinker | None = None
        self._saved_at: str | None = None  # the state row's updated_at as this object wrote it

    def update(self, incidents: Mapping[int, ArticleIncident] | None = None) -> int:
        """Link the articles not yet in a story, ``BATCH`` at a time; returns how many
        were linked.

        :param incidents: incident evidence already found for some of them, by article id
        """
        linked = 0
        while True:
            done = self._batch(incidents)
            linked += done
            if done < BATCH:
                return linked

    def _batch(self, incidents: Mapping[int, ArticleIncident] | None, tries: int = 3) -> int:
        """One batch; when another process links stories meanwhile, the batch is done again
        from the state it saved (the save of a stale batch writes nothing)."""
        for attempt in range(tries):
            linker, expected = self._current_linker()  # first: a state it cannot read unlinks every article
            articles = unlinked_articles(self.store, BATCH)
            if not articles:
                return 0
            if incidents:
                for article in articles:
                    article.incident = incidents.get(int(article.id))
            self._linker = None  # until the new state is saved: a failure below leaves it half-updated
            try:
                self._saved_at = link_and_save(self.store, linker, articles, self.memory_days, self.keep, expected)
            except (StaleStories, AlreadyLinked):
                if attempt == tries - 1:
                    raise
                continue
            self._linker = linker
            return len(articles)
        return 0

    def _current_linker(self) -> tuple[StoryLinker, str | None]:
        """The linker as last saved, and the state's version it goes on from: the one in
        memory unless another process has saved since."""
        version = self.store.story_state_version()
        if self._linker is not None and version == self._saved_at:
            return self._linker, version
        linker = load_linker(self.store)
        return linker, self.store.story_state_version()  # a dropped old state leaves none


def link_and_save(store: Store, linker: StoryLinker, articles: list[StoryArticle], memory_days: int,
                  keep: int = KEEP, expected: str | None = None) -> str:
    """Link ``articles`` (in this order), write what changed in one transaction, then drop
    from memory the stories more than ``memory_days`` older than the newest article of the
    batch, oldest first, down to ``keep`` articles; returns the state's new version.

    :param expected: the state's version the linker goes on from (see ``Store.save_stories``)
    :raises StaleStories: another process saved since; nothing was written
    """
    assignments = {a.id: linker.add(a) for a in articles}
    state = zlib.compress(json.dumps(linker.state()).encode("utf-8"))
    merged = {gone: linker.merged_into(gone) for a in assignments.values() for gone in a.merged}
    touched = sorted({linker.story_of(article_id) for article_id in assignments})
    items = []
    for article_id in assignments:
        saved = linker.saved(article_id)
        items.append((int(article_id), saved.story_id, saved.item["day"], json.dumps(saved.item),
                      saved.sketch, json.dumps(saved.incident)))
    saved_at = f"{utcnow()} {secrets.token_hex(6)}"  # unique to this save: what tells another updater
    story_rows, members = _story_rows(linker, assignments, touched)
    revised = linker.take_revised_originals()  # an earlier copy came after its later copies
    for member in members:
        if str(member["article_id"]) in revised:
            original = revised.pop(str(member["article_id"]))
            member["duplicate_of"] = int(original) if original else None
    store.save_stories(story_rows, members, linker.related_pairs(touched), state,
                       saved_at, merged=merged, items=items, recomputed=touched, expected=expected,
                       originals=[(int(o) if o else None, int(a)) for a, o in sorted(revised.items())])
    # the batch's newest day, not the linker's: one article dated years ahead (a typo) must
    # not hold every later story in memory
    newest = max(row[2] for row in items)
    linker.evict(newest - max(memory_days, linker.config.window_days), keep=keep)
    return saved_at


def _story_rows(linker: StoryLinker, assignments: dict[str, Any],
                touched: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the stories that took articles, and of their new members (in the story
    each is in after the whole batch: a later article may have joined its story up)."""
    stories = linker.stories(touched, related=False)
    return ([{"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_seen": s.last_seen,
              "article_count": len(s.article_ids), "incident_type": s.incident_type, "evidence": s.evidence}
             for s in stories],
            [{"story_id": linker.story_of(article_id), "article_id": int(article_id),
              "similarity": round(a.similarity, 4), "duplicate_of": int(a.duplicate_of) if a.duplicate_of else None}
             for article_id, a in assignments.items()])
