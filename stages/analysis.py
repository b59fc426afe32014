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
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from newsarchive.archive.store import Store
from newsarchive.stages.stories import StoryUpdater, update_stories
from newsarchive.nlp.entities.extract import DEFAULT_MODEL, Entity, extract_entities_many, load_nlp
from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger

logger = logging.getLogger(__name__)

_WORKER_NLP: dict[str, Any] = {}


def _load_for_workers(model: str) -> None:
    """Load the model (and the incident tagger) in this process, for workers forked from it
    to share: one load instead of one per worker, and the workers start ready."""
    _WORKER_NLP["nlp"] = load_nlp(model)
    _WORKER_NLP["tagger"] = IncidentTagger()


def _entities_of(text: str) -> list[Entity]:
    return next(extract_entities_many([text], nlp=_WORKER_NLP["nlp"]))


#: the entities of a text, or the error that stopped them
Found = tuple[list[Entity] | None, str | None]


def error_text(exc: Exception) -> str:
    """How a failure is reported: its type and message."""
    return f"{type(exc).__name__}: {exc}"


def _entities_or_error(text: str) -> Found:
    try:
        return _entities_of(text), None
    except Exception as exc:  # one text that breaks the pipeline must not stop the others
        return None, error_text(exc)


def _entities_in_batches(texts: Iterable[str], nlp: Any, size: int = 16) -> Iterator[Found]:
    """:meth:`EntityPool.entities` in this process: ``nlp.pipe`` over batches of ``size``
    texts; a batch that fails is done again one text at a time, to find the text to blame."""
    texts = iter(texts)
    while batch := list(islice(texts, size)):
        try:
            found = list(extract_entities_many(batch, nlp=nlp, batch_size=size))
        except Exception:
            for text in batch:
                try:
                    yield next(extract_entities_many([text], nlp=nlp)), None
                except Exception as exc:
                    yield None, error_text(exc)
            continue
        yield from ((entities, None) for entities in found)


#: what a worker returns for one article: its id, entities and incident evidence, or the
#: error that stopped them (then both are ``None``)
Analysis = tuple[int, list[Entity] | None, ArticleIncident | None, str | None]


def _article_analysis(item: tuple[int, str, str]) -> Analysis:
    article_id, title, text = item
    try:
        return (article_id, _entities_of(title + "\n\n" + text),
                _WORKER_NLP["tagger"].tag_article(title, text), None)
    except Exception as exc:  # one article that breaks the pipeline must not stop the others
        return article_id, None, None, error_text(exc)


class EntityPool:
    """Find entities in worker processes that each load the model once.

    :param processes: how many; 1 runs the pipeline in this process
    :param model: the spaCy model's name

    The model is loaded here and the workers are forked from this process, sharing it:
    create the pool before starting threads.
    """

    def __init__(self, processes: int = 1, model: str | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self.processes = max(1, processes)
        self._pool = None
        if self.processes == 1:
            self._nlp = load_nlp(self.model)
        else:
            _load_for_workers(self.model)
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(self.processes)

    def entities(self, texts: Iterable[str]) -> Iterator[Found]:
        """``(entities, None)`` for each text, in order, as the workers finish them (the
        caller can write one batch while the workers go on with the next), or ``(None,
        error)`` for a text that broke the pipeline."""
        if self._pool is None:
            return _entities_in_batches(texts, self._nlp)
        return self._pool.imap(_entities_or_error, texts, chunksize=2)

    def analyse_articles(self, items: Iterable[tuple[int, str, str]]) -> Iterator[Analysis]:
        """``(id, entities, incident evidence, error)`` for each ``(id, title, text)``, in
        order, in the worker processes (``error`` is ``None`` unless the article failed).
        ``items`` is read by the pool's own feeder thread as fast as it yields, so a slow
        consumer never leaves the workers idle."""
        if self._pool is None:
            raise ValueError("analyse_articles needs worker processes")
        return self._pool.imap(_article_analysis, items, chunksize=1)

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
    #: ``(article id, error)`` of each article whose entities could not be extracted
    failed: list[tuple[int, str]] = field(default_factory=list)


def process_pending(
    store: Store,
    model: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
    pool: EntityPool | None = None,
    on_failure: Callable[[int, str], None] | None = None,
    skip: Collection[int] = (),
) -> ProcessResult:
    """Extract and save the entities of every pending article.

    :param store: the archive
    :param model: spaCy model name (default :data:`newsarchive.nlp.entities.extract.DEFAULT_MODEL`)
    :param batch_size: articles written per transaction
    :param n_process: worker processes, when no ``pool`` is given
    :param progress: called with the number of articles done after each batch
    :param pool: workers to use (kept open across calls by :func:`process_while`)
    :param on_failure: told ``(article id, error)`` at once for an article whose text
        breaks the pipeline; it stays pending and the others go on (logged when omitted)
    :param skip: ids of articles not to try (those that failed earlier in this run)
    """
    if pool is None:
        if not store.db.execute("select 1 from articles where processed_model is null or processed_model != ? "
                                "limit 1", [model or DEFAULT_MODEL]).fetchone():
            return ProcessResult(linked=update_stories(store))
        with EntityPool(n_process, model) as own:
            return process_pending(store, model, batch_size, progress=progress, pool=own,
                                   on_failure=on_failure, skip=skip)
    model = pool.model
    result = ProcessResult()
    pending = [(article_id, text) for article_id, text in store.articles_to_process(model) if article_id not in skip]
    found = zip((article_id for article_id, _ in pending), pool.entities(text for _, text in pending))
    while chunk := list(islice(found, batch_size)):
        results = []
        for article_id, (entities, error) in chunk:
            if error is None:
                results.append((article_id, entities))
            else:
                result.failed.append((article_id, error))
                (on_failure or _log_failure)(article_id, error)
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
    on_failure: Callable[[int, str], None] | None = None,
) -> ProcessResult:
    """Process articles as they arrive while ``running()`` is true, then
    whatever is left: the crawl fetches and extracts while the entity
    workers find entities, so every core has work.

    :param on_failure: told ``(article id, error)`` at once when an article's entities
        cannot be extracted; the article stays pending (not tried again in this run) and
        the others go on. Logged when omitted.
    """
    if pool is None:
        with EntityPool(1, model) as own:
            return process_while(store, running, model, batch_size, poll_seconds, progress, own, on_failure)
    if pool.processes > 1:
        return _stream_while(store, running, pool, batch_size, poll_seconds, progress,
                             on_failure or _log_failure)
    total = ProcessResult()
    while True:
        still_running = running()
        done = process_pending(store, batch_size=batch_size, pool=pool, on_failure=on_failure,
                               skip={article_id for article_id, _ in total.failed})
        total.articles += done.articles
        total.mentions += done.mentions
        total.failed += done.failed
        if progress and done.articles:
            progress(total.articles)
        if not still_running:
            return total
        if not done.articles:
            time.sleep(poll_seconds)


#: seconds between two story-linking runs while articles stream in
LINK_EVERY_SECONDS = 5.0


def arrivals(db_path: str, model: str, running: Callable[[], bool],
             poll_seconds: float = 0.25) -> Iterator[tuple[int, str, str]]:
    """``(id, title, text)`` of each pending article as the crawl commits it, until ``running()``
    is false and none is left. Reads through its own read-only connection, so it can run
    in another thread (the pool's feeder)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    last = 0
    try:
        while True:
            still_running = running()  # asked before the query: nothing committed after it is missed
            rows = conn.execute(
                "select id, coalesce(title, ''), text from articles "
                "where (processed_model is null or processed_model != ?) and id > ? order by id",
                [model, last]).fetchall()
            yield from rows
            if rows:
                last = rows[-1][0]
            elif not still_running:
                return
            else:
                time.sleep(poll_seconds)
    finally:
        conn.close()


def _log_failure(article_id: int, error: str) -> None:
    logger.error("article %d: entities not extracted (it stays pending): %s", article_id, error)


def _stream_while(store: Store, running: Callable[[], bool], pool: EntityPool, batch_size: int,
                  poll_seconds: float, progress: Callable[[int], None] | None,
                  on_failure: Callable[[int, str], None]) -> ProcessResult:
    """:func:`process_while` with worker processes: the workers are fed each article as it
    is committed; this process saves their results in batches (and whatever it holds once
    a second) and links stories every ``LINK_EVERY_SECONDS`` while the workers go on."""
    total = ProcessResult()
    results = pool.analyse_articles(arrivals(str(store.path), pool.model, running, poll_seconds))
    batch: list[tuple[int, list[Entity]]] = []
    incidents: dict[int, ArticleIncident] = {}
    linked_at = time.monotonic()
    stories = StoryUpdater(store)

    def link() -> None:
        nonlocal linked_at
        total.linked += stories.update(incidents)
        incidents.clear()
        linked_at = time.monotonic()

    def save() -> None:
        nonlocal batch
        if not batch:
            return
        store.save_entities(batch, pool.model)
        total.articles += len(batch)
        total.mentions += sum(len(e.mentions) for _, ents in batch for e in ents)
        batch = []
        if progress:
            progress(total.articles)

    while True:
        try:
            article_id, entities, incident, error = results.next(timeout=1.0)
        except multiprocessing.TimeoutError:
            save()
            continue
        except StopIteration:
            break
        if error is not None:
            total.failed.append((article_id, error))
            on_failure(article_id, error)
            continue
        batch.append((article_id, entities))
        incidents[article_id] = incident
        if len(batch) >= batch_size:
            save()
        if time.monotonic() - linked_at >= LINK_EVERY_SECONDS:
            save()
            link()
    save()
    link()
    return total
