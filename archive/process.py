"""The processing stage: entities for every article that lacks them.

Articles are read from the archive in batches and sent to an
:class:`EntityPool`: worker processes that each hold the spaCy pipeline (or,
with one process, the pipeline in this process). Each batch's results are
written back in one transaction by this process, the archive's one writer.
An article is pending until its entities are saved under the current model's
name, so an interrupted run resumes where it stopped and a new model
reprocesses everything.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from archive.store import Store
from archive.stories import update_stories
from nlp.entities import DEFAULT_MODEL, Entity, extract_entities_many, load_nlp

logger = logging.getLogger(__name__)

_WORKER_NLP: dict[str, Any] = {}


def _init_worker(model: str) -> None:
    _WORKER_NLP["nlp"] = load_nlp(model)


def _entities_of(text: str) -> list[Entity]:
    return next(extract_entities_many([text], nlp=_WORKER_NLP["nlp"]))


class EntityPool:
    """Find entities in worker processes that each load the model once.

    :param processes: how many; 1 runs the pipeline in this process
    :param model: the spaCy model's name

    Create it before starting threads: the workers are forked.
    """

    def __init__(self, processes: int = 1, model: str | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self.processes = max(1, processes)
        self._pool = None
        if self.processes == 1:
            self._nlp = load_nlp(self.model)
        else:
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(self.processes, initializer=_init_worker, initargs=(self.model,))

    def entities(self, texts: Iterable[str]) -> Iterator[list[Entity]]:
        """The entities of each text, in order, as the workers finish them: the
        caller can write one batch while the workers go on with the next."""
        if self._pool is None:
            return extract_entities_many(texts, nlp=self._nlp, batch_size=16)
        return self._pool.imap(_entities_of, texts, chunksize=2)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> EntityPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class ProcessResult:
    """What one processing run did."""

    articles: int = 0
    mentions: int = 0
    linked: int = 0


def process_pending(
    store: Store,
    model: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
    pool: EntityPool | None = None,
) -> ProcessResult:
    """Extract and save the entities of every pending article.

    :param store: the archive
    :param model: spaCy model name (default :data:`nlp.entities.DEFAULT_MODEL`)
    :param batch_size: articles written per transaction
    :param n_process: worker processes, when no ``pool`` is given
    :param progress: called with the number of articles done after each batch
    :param pool: workers to use (kept open across calls by :func:`process_while`)
    """
    if pool is None:
        if not store.db.execute("select 1 from articles where processed_model is null or processed_model != ? "
                                "limit 1", [model or DEFAULT_MODEL]).fetchone():
            return ProcessResult(linked=update_stories(store))
        with EntityPool(n_process, model) as own:
            return process_pending(store, model, batch_size, progress=progress, pool=own)
    model = pool.model
    result = ProcessResult()
    pending = list(store.articles_to_process(model))
    found = zip((article_id for article_id, _ in pending), pool.entities(text for _, text in pending))
    while results := list(islice(found, batch_size)):
        store.save_entities(results, model)
        result.articles += len(results)
        result.mentions += sum(len(e.mentions) for _, ents in results for e in ents)
        if progress:
            progress(result.articles)
    result.linked = update_stories(store)
    return result


def process_while(
    store: Store,
    running: Callable[[], bool],
    model: str | None = None,
    batch_size: int = 16,
    poll_seconds: float = 0.5,
    progress: Callable[[int], None] | None = None,
    pool: EntityPool | None = None,
) -> ProcessResult:
    """Process articles as they arrive while ``running()`` is true, then
    whatever is left: the crawl fetches and extracts while the entity
    workers find entities, so every core has work.
    """
    if pool is None:
        with EntityPool(1, model) as own:
            return process_while(store, running, model, batch_size, poll_seconds, progress, own)
    total = ProcessResult()
    while True:
        still_running = running()
        done = process_pending(store, batch_size=batch_size, pool=pool)
        total.articles += done.articles
        total.mentions += done.mentions
        if progress and done.articles:
            progress(total.articles)
        if not still_running:
            return total
        if not done.articles:
            time.sleep(poll_seconds)
