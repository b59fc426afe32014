"""Stories in the archive: articles about one event, linked incrementally.

After entities are extracted, :func:`update_stories` hands every article not
yet in a story to :class:`newsarchive.nlp.stories.linker.StoryLinker` (oldest first), with the
canonical keys of its entities and its language, and writes the result: ``stories`` (title,
date range, incident type and the sentence that gave it), ``story_articles``
(with the similarity and, for a syndicated copy, the original) and
``story_links`` (related stories). An article that links stories kept apart until then
joins them up: the lower-numbered story takes the other's articles and the other's row
goes. The stories do not depend on the order articles arrive in. The linker's state is
kept in ``_story_state`` (compressed JSON), so the next run goes on from it instead of
clustering everything again; a state saved by an older linker is dropped and every
article linked again. A :class:`StoryUpdater` keeps the linker in memory between updates
(a crawl links every few seconds), reading the state again only when another process has
written it since.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from typing import Any

from newsarchive.archive.store import Store, utcnow
from newsarchive.nlp.stories.incidents import ArticleIncident
from newsarchive.nlp.stories.linker import StateVersionError, StoryArticle, StoryLinker


def load_linker(store: Store) -> StoryLinker:
    """The saved linker, or a new one; a state saved by another version of the linker is
    dropped with every story, so that the articles are all linked again."""
    state = store.story_state()
    if state is None:
        return StoryLinker()
    try:
        return StoryLinker.from_dict(json.loads(zlib.decompress(state)))
    except StateVersionError:
        store.reset_stories()
        return StoryLinker()


def unlinked_articles(store: Store) -> list[StoryArticle]:
    """Processed articles in no story yet, oldest first, with their entity keys."""
    return [StoryArticle(id=str(i), title=t, text=x, published=p, entities=[(kind, key) for kind, key, _ in found],
                         language=language, entity_starts=[start for _kind, _key, start in found])
            for i, t, x, p, found, language in store.unlinked_articles()]


def update_stories(store: Store, incidents: Mapping[int, ArticleIncident] | None = None) -> int:
    """Link the articles not yet in a story; returns how many were linked.

    :param incidents: incident evidence already found for some of them (by worker
        processes, which have the text at hand), by article id
    """
    return StoryUpdater(store).update(incidents)


class StoryUpdater:
    """:func:`update_stories` again and again, with the linker kept in memory between
    calls instead of read from and parsed out of ``_story_state`` each time.

    :param store: the archive
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._linker: StoryLinker | None = None
        self._saved_at: str | None = None  # the state row's updated_at as this object wrote it

    def update(self, incidents: Mapping[int, ArticleIncident] | None = None) -> int:
        """Link the articles not yet in a story; returns how many were linked.

        :param incidents: incident evidence already found for some of them, by article id
        """
        linker = self._current_linker()  # first: a state it cannot read unlinks every article
        articles = unlinked_articles(self.store)
        if not articles:
            return 0
        if incidents:
            for article in articles:
                article.incident = incidents.get(int(article.id))
        self._linker = None  # until the new state is saved: a failure below leaves it half-updated
        assignments = {a.id: linker.add(a) for a in articles}
        saved_at = utcnow()
        state = zlib.compress(json.dumps(linker.to_dict()).encode("utf-8"))
        merged = {gone: linker.merged_into(gone) for a in assignments.values() for gone in a.merged}
        self.store.save_stories(*_story_rows(linker, assignments), linker.related_pairs(), state, saved_at,
                                merged=merged)
        self._linker, self._saved_at = linker, saved_at
        return len(articles)

    def _current_linker(self) -> StoryLinker:
        """The linker as last saved: the one in memory unless the saved state has changed."""
        if self._linker is not None:
            if self.store.story_state_version() == (self._saved_at, self._linker.article_count):
                return self._linker
        return load_linker(self.store)


def _story_rows(linker: StoryLinker, assignments: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the stories that took articles, and of their new members (in the story
    each is in after the whole batch: a later article may have joined its story up)."""
    stories = linker.stories({linker.story_of(article_id) for article_id in assignments})
    return ([{"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_seen": s.last_seen,
              "article_count": len(s.article_ids), "incident_type": s.incident_type, "evidence": s.evidence}
             for s in stories],
            [{"story_id": linker.story_of(article_id), "article_id": int(article_id),
              "similarity": round(a.similarity, 4), "duplicate_of": int(a.duplicate_of) if a.duplicate_of else None}
             for article_id, a in assignments.items()])
