"""The analysis stage, written once: entities and incident evidence for articles.

Every command that analyses articles (``crawl``, ``load``, ``process``, ``reprocess``,
``import-warc``) uses the same two parts:

- :class:`AnalysisPool`: the spaCy pipeline and the incident tagger, loaded once in this
  process; with more than one process, workers forked from it share them. It turns
  articles (:class:`ArticleText`) into :class:`Analysis` results, in order, or, for
  ``reprocess``, WARC pages into prepared pages with their analysis.
- :class:`AnalysisWriter`: this process's one writer. It saves results in batches, one
  transaction each, reports an article whose text broke the pipeline (it stays pending and
  the others go on), and links stories at the end, or every ``link_every`` seconds while
  results stream in.

:func:`process_pending` (what is pending now) and :func:`process_while` (articles as a
crawl or loader commits them) are the two ways of feeding it. An article is pending until
its entities are saved under the current model's name, so an interrupted run resumes where
it stopped and a new model reprocesses everything.
"""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from newsarchive.archive.records import Outcome, PageItem
from newsarchive.archive.sources import Source
from newsarchive.archive.store import PENDING_ARTICLES_SQL, Store
from newsarchive.nlp.entities.extract import Entity, analysis_text, extract_entities_many, load_nlp, reads_language
from newsarchive.nlp.entities.countries import load_places
from newsarchive.nlp.entities.model import model_name
from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger
from newsarchive.stages.ingest import Prepared, prepare
from newsarchive.stages.stories import StoryUpdater

logger = logging.getLogger(__name__)

#: seconds between two story-linking runs while articles stream in
LINK_EVERY_SECONDS = 5.0
#: texts per ``nlp.pipe`` call when the pipeline runs in this process
PIPE_BATCH = 16


@dataclass(frozen=True)
class ArticleText:
    """An article as the analysis reads it."""

    id: int
    title: str
    text: str
    language: str | None = None  # None: unknown, read as the model's own language


@dataclass
class Analysis:
    """What the analysis found for one article, or the error that stopped it (then
    ``entities`` and ``incident`` are ``None``)."""

    article_id: int
    entities: list[Entity] | None
    incident: ArticleIncident | None = None
    error: str | None = None


@dataclass
class PageAnalysis:
    """A WARC page prepared (``None`` when extraction failed) and, for an article, its
    analysis (``article_id`` 0 until the page is committed)."""

    url: str
    prepared: Prepared | None
    analysis: Analysis | None = None
    error: str | None = None


def error_text(exc: Exception) -> str:
    """How a failure is reported: its type and message."""
    return f"{type(exc).__name__}: {exc}"


# The worker side: module state, so that forked workers inherit what this process loaded ---

_LOADED: dict[str, Any] = {}


#: one short article through the whole analysis before workers are forked, so that every
#: table loaded on first use (places, organisations, titles, the suffix list, the matchers)
#: is loaded once here and shared, not loaded again by each worker on its first article
WARM_UP = ArticleText(
    0, "Emails meant for the US military reached Mali",
    "LONDON, July 17 (Reuters) - Ministry of Defence staff sent emails to the .ml domain "
    "of Mali instead of .mil, said John Smith, a spokesman for Acme Holdings Ltd in Bamako. "
    "The files were sent to the wrong address, officials in Paris and Washington said.")
#: and one wire sports story, for the tables and word frequencies only sports copy reads
#: (results lines, players' positions): 0.1 s of CPU a worker would spend on its first one
WARM_UP_SPORT = ArticleText(
    0, "SOCCER - ARSENAL BEAT CHELSEA",
    "SOCCER - ARSENAL BEAT CHELSEA.\nLONDON 1996-11-30\nArsenal beat Chelsea 2-1 on Saturday. Results: Everton 2 "
    "Leeds United 1, Coventry City 1 Southampton 1.\nToulouse centre Laurent Bastiat scored. Riot police stood by.")


def _load(model: str, sources: Iterable[Source]) -> None:
    _LOADED["nlp"] = load_nlp(model)
    _LOADED["tagger"] = IncidentTagger()
    _LOADED["sources"] = {s.name: s for s in sources}
    load_places()
    for text in (WARM_UP, WARM_UP_SPORT):
        analysis = _analyse_one(text)
        if analysis.error is not None:
            logger.warning("the analysis failed on its warm-up text: %s", analysis.error)


def _analyse_one(article: ArticleText) -> Analysis:
    try:
        nlp = _LOADED["nlp"]
        entities = next(extract_entities_many([analysis_text(article.title, article.text)], nlp=nlp,
                                              ner=reads_language(nlp, article.language)))
        return Analysis(article.id, entities, _LOADED["tagger"].tag_article(article.title, article.text))
    except Exception as exc:  # one article that breaks the pipeline must not stop the others
        return Analysis(article.id, None, None, error_text(exc))


def _analyse_batch(batch: list[ArticleText]) -> list[Analysis]:
    """A batch through ``nlp.pipe``; a batch that fails is done again one article at a time,
    to find the article to blame."""
    try:
        nlp = _LOADED["nlp"]
        read = [reads_language(nlp, a.language) for a in batch]
        found = iter(list(extract_entities_many([analysis_text(a.title, a.text) for a, r in zip(batch, read) if r],
                                                nlp=nlp, batch_size=len(batch))))
        other = iter(list(extract_entities_many([analysis_text(a.title, a.text) for a, r in zip(batch, read) if not r],
                                                nlp=nlp, ner=False)))
        found = [next(found) if r else next(other) for r in read]
        tagger = _LOADED["tagger"]
        return [Analysis(a.id, entities, tagger.tag_article(a.title, a.text)) for a, entities in zip(batch, found)]
    except Exception:
        return [_analyse_one(a) for a in batch]


def _analyse_page(item: PageItem) -> PageAnalysis:
    """Prepare one WARC page and, for an article, analyse it. A failure is returned, not
    raised, so one page never stops a run."""
    try:
        prepared = prepare(item, _LOADED["sources"].get(item.source))
    except Exception as exc:
        return PageAnalysis(item.url, None, error=f"extraction failed: {error_text(exc)}")
    if prepared.decision != Outcome.ARTICLE or prepared.article is None:
        return PageAnalysis(item.url, prepared)
    article = prepared.article
    analysis = _analyse_one(ArticleText(0, article.title or "", article.text, article.language))
    if analysis.error is not None:
        return PageAnalysis(item.url, prepared, error=f"entities not extracted (the article stays pending): "
                                                      f"{analysis.error}")
    return PageAnalysis(item.url, prepared, analysis)


class AnalysisPool:
    """The pipeline loaded once; with ``processes`` > 1, worker processes forked from this
    one share it (create the pool before starting threads).

    :param processes: how many; 1 runs the analysis in this process
    :param model: the spaCy model (default: ``$NEWSARCHIVE_SPACY_MODEL`` or the default)
    :param sources: the sources file's entries, for :meth:`analyse_pages`
    """

    def __init__(self, processes: int = 1, model: str | None = None, sources: Iterable[Source] = ()) -> None:
        self.model = model_name(model)
        self.processes = max(1, processes)
        _load(self.model, sources)
        self._pool = multiprocessing.get_context("fork").Pool(self.processes) if self.processes > 1 else None

    def analyse(self, articles: Iterable[ArticleText], chunksize: int = 1) -> Iterator[Analysis | None]:
        """An :class:`Analysis` for each article, in order, as they are finished; with
        workers, ``None`` whenever none finished for a second (so the writer can save what
        it holds). ``articles`` is read by the pool's own feeder thread as fast as it
        yields, so a slow consumer never leaves the workers idle."""
        if self._pool is None:
            articles = iter(articles)
            while batch := list(islice(articles, PIPE_BATCH)):
                yield from _analyse_batch(batch)
            return
        yield from _with_heartbeat(self._pool.imap(_analyse_one, articles, chunksize=chunksize))

    def analyse_pages(self, pages: Iterable[PageItem]) -> Iterator[PageAnalysis]:
        """A :class:`PageAnalysis` for each WARC page, in order."""
        if self._pool is None:
            return map(_analyse_page, pages)
        return self._pool.imap(_analyse_page, pages, chunksize=4)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _with_heartbeat(results: Any, seconds: float = 1.0) -> Iterator[Analysis | None]:
    if not hasattr(results, "next"):  # with chunks of more than one, imap hands out a generator
        yield from results
        return
    while True:
        try:
            yield results.next(timeout=seconds)
        except multiprocessing.TimeoutError:
            yield None
        except StopIteration:
            return


@dataclass
class AnalysisResult:
    """What one analysis run wrote."""

    articles: int = 0
    mentions: int = 0
    linked: int = 0
    #: ``(article id, error)`` of each article whose entities could not be extracted
    failed: list[tuple[int, str]] = field(default_factory=list)


def _log_failure(article_id: int, error: str) -> None:
    logger.error("article %d: entities not extracted (it stays pending): %s", article_id, error)


class AnalysisWriter:
    """The one writer of analysis results: entities saved in batches, stories linked.

    :param model: the model's name, recorded with the entities
    :param batch_size: articles written per transaction
    :param on_failure: told ``(article id, error)`` at once for an article whose text broke
        the pipeline; it stays pending (logged when omitted)
    :param link_every: link stories every so many seconds while results come in; ``None``
        links once, at :meth:`close`
    :param progress: told the number of articles saved so far after each batch
    """

    def __init__(self, store: Store, model: str, batch_size: int = 64,
                 on_failure: Callable[[int, str], None] | None = None, link_every: float | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.store, self.model, self.batch_size = store, model, max(1, batch_size)
        self.on_failure = on_failure or _log_failure
        self.link_every, self.progress = link_every, progress
        self.result = AnalysisResult()
        self._batch: list[tuple[int, list[Entity]]] = []
        self._incidents: dict[int, ArticleIncident] = {}
        self._stories = StoryUpdater(store)
        self._linked_at = time.monotonic()

    def add(self, analysis: Analysis | None) -> None:
        """Take one result (``None``: nothing new; save what is held)."""
        if analysis is None:
            self.save()
        elif analysis.error is not None or analysis.entities is None:
            self.result.failed.append((analysis.article_id, analysis.error or "no entities"))
            self.on_failure(analysis.article_id, analysis.error or "no entities")
        else:
            self._batch.append((analysis.article_id, analysis.entities))
            if analysis.incident is not None:
                self._incidents[analysis.article_id] = analysis.incident
            if len(self._batch) >= self.batch_size:
                self.save()
        if self.link_every is not None and time.monotonic() - self._linked_at >= self.link_every:
            self.link()

    def save(self) -> None:
        """Write the entities held, in one transaction."""
        if not self._batch:
            return
        self.store.save_entities(self._batch, self.model)
        self.result.articles += len(self._batch)
        self.result.mentions += sum(len(e.mentions) for _, entities in self._batch for e in entities)
        self._batch = []
        if self.progress:
            self.progress(self.result.articles)

    def link(self) -> None:
        """Save, then link the saved articles that are in no story yet."""
        self.save()
        self.result.linked += self._stories.update(self._incidents)
        self._incidents.clear()
        self._linked_at = time.monotonic()

    def close(self) -> AnalysisResult:
        """Save and link what is left; the run's result."""
        self.link()
        return self.result


def pending_articles(store: Store, model: str) -> list[ArticleText]:
    """The articles whose entities are missing or came from another model, by id."""
    return [ArticleText(*row) for row in store.articles_to_process(model)]


def process_pending(store: Store, pool: AnalysisPool, batch_size: int = 64,
                    on_failure: Callable[[int, str], None] | None = None,
                    progress: Callable[[int], None] | None = None) -> AnalysisResult:
    """Analyse and save every pending article, then link stories.

    :param batch_size: articles written per transaction
    :param on_failure: see :class:`AnalysisWriter`
    """
    writer = AnalysisWriter(store, pool.model, batch_size, on_failure, progress=progress)
    for analysis in pool.analyse(pending_articles(store, pool.model), chunksize=2):
        writer.add(analysis)
    return writer.close()


def process_while(store: Store, running: Callable[[], bool], pool: AnalysisPool, batch_size: int = 16,
                  poll_seconds: float = 0.25, on_failure: Callable[[int, str], None] | None = None,
                  progress: Callable[[int], None] | None = None) -> AnalysisResult:
    """Analyse articles as they are committed while ``running()`` is true, then whatever is
    left: the crawl (or loader) fetches and extracts while the pool finds entities, so every
    core has work. Stories are linked every :data:`LINK_EVERY_SECONDS`. An article that
    fails is reported once and not tried again in this run."""
    writer = AnalysisWriter(store, pool.model, batch_size, on_failure, LINK_EVERY_SECONDS, progress)
    for analysis in pool.analyse(arrivals(str(store.path), pool.model, running, poll_seconds)):
        writer.add(analysis)
    return writer.close()


def arrivals(db_path: str, model: str, running: Callable[[], bool],
             poll_seconds: float = 0.25) -> Iterator[ArticleText]:
    """Each pending article as it is committed, until ``running()`` is false and none is
    left. Reads through its own read-only connection, so it can run in another thread (the
    pool's feeder)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    last = 0
    try:
        while True:
            still_running = running()  # asked before the query: nothing committed after it is missed
            rows = conn.execute(PENDING_ARTICLES_SQL, [model, last]).fetchall()
            yield from (ArticleText(*row) for row in rows)
            if rows:
                last = rows[-1][0]
            elif not still_running:
                return
            else:
                time.sleep(poll_seconds)
    finally:
        conn.close()
