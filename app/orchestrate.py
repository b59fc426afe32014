"""What each command does, as typed functions: the command line only parses options and
calls one of these.

Every workflow that analyses articles uses the one analysis stage
(:mod:`newsarchive.stages.analysis`): an :class:`AnalysisPool` made once (before any
thread starts, so its workers fork cleanly) and :func:`process_while` or
:func:`process_pending` writing through its one writer. A crawl runs in a child process
(:mod:`newsarchive.app.runner`); ``load`` runs the Redis loader in a thread. Failures that
end a command raise :class:`RunError` with a one-line message; an article that breaks the
pipeline is reported through ``on_failure`` and the run goes on.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsarchive.app.runner import CrawlJob, CrawlProcess, run_schedule
from newsarchive.archive.lock import ArchiveLock, LockHeld
from newsarchive.archive.sources import Source, SourcesError, load_sources
from newsarchive.archive.store import Store
from newsarchive.nlp.entities.model import MODEL_ENV_VAR, model_installed, model_name
from newsarchive.stages.loader import LoadResult, load_pages

if TYPE_CHECKING:
    from newsarchive.archive.warc_read import Problem
    from newsarchive.stages.analysis import AnalysisPool, AnalysisResult
    from newsarchive.stages.reprocess import ReprocessResult, Selection

# The analysis stage imports spaCy (a second or more), so it is imported where it is used:
# a crawl starts fetching first and the import overlaps with it, and `--help` stays quick.

Echo = Callable[[str], None]
T = TypeVar("T")


class RunError(Exception):
    """A command could not do its work; the message is one line for the user."""


@dataclass
class AnalysisOptions:
    """How to analyse: the model (``None``: ``$NEWSARCHIVE_SPACY_MODEL`` or the default),
    worker processes, articles per transaction, and who hears of an article that failed."""

    model: str | None = None
    processes: int = 1
    batch_size: int = 64
    on_failure: Callable[[int, str], None] | None = None
    progress: Callable[[int], None] | None = None

    def check_model(self) -> None:
        """Refuse a model that is not installed, before anything starts (no spaCy import)."""
        if not model_installed(self.model):
            raise RunError(f"the spaCy model {model_name(self.model)!r} is not installed (nor a path); "
                           f"install it, or name another with --model or ${MODEL_ENV_VAR}")

    def pool(self, sources: Sequence[Source] = ()) -> AnalysisPool:
        """The analysis pool; a model that will not load is a :class:`RunError`."""
        from newsarchive.stages.analysis import AnalysisPool

        self.check_model()
        try:
            return AnalysisPool(self.processes, self.model, sources)
        except OSError as exc:  # spaCy's "can't find model", or an unreadable one
            raise RunError(f"the spaCy model could not be loaded ({exc})") from None


def read_sources(sources_path: str | os.PathLike[str], allow_private: bool = False) -> list[Source]:
    """The sources file's entries, or a :class:`RunError` saying what is wrong with it."""
    try:
        return load_sources(sources_path, allow_private=allow_private)
    except SourcesError as exc:
        raise RunError(str(exc)) from None


# Crawling ---------------------------------------------------------------------------------

def start_crawl(job: CrawlJob, echo: Echo) -> CrawlProcess:
    """Start one crawl in a child process and return at once (after :meth:`CrawlJob.check`:
    a bad ``--set`` or an archive that cannot be used is one line, before the child)."""
    job.check()
    crawl = CrawlProcess(job, echo=echo)
    crawl.start()
    return crawl


def finish_crawl(crawl: CrawlProcess, job: CrawlJob) -> None:
    """Relay a started crawl's log until it ends; a failure is a :class:`RunError`."""
    code = crawl.relay()
    if code != 0:
        raise RunError(f"the crawl failed: {crawl.errors[-1] if crawl.errors else f'exit code {code}; see the log above'}")
    if not job.redis_url and _unclosed_crawls(job.db_path):
        raise RunError("the crawl ended but could not close its records in the archive "
                       "(full disk?); the next crawl marks them interrupted")


def run_crawl(job: CrawlJob, echo: Echo) -> None:
    """One crawl, no analysis (``--no-process``, ``--redis`` workers, the demo)."""
    read_sources(job.sources_path, job.allow_private)
    finish_crawl(start_crawl(job, echo), job)


def crawl_and_analyse(job: CrawlJob, analysis: AnalysisOptions, echo: Echo) -> AnalysisResult:
    """A crawl in a child process and the analysis of what it archives, at the same time.

    The crawl starts first, so importing spaCy and loading the model overlap with its first
    fetches; a model that will not load stops the crawl gracefully (what it archived stays,
    pending)."""
    read_sources(job.sources_path, job.allow_private)
    analysis.check_model()
    crawl = start_crawl(job, echo)
    try:
        pool = analysis.pool()
    except BaseException as exc:
        crawl.terminate()
        crawl.relay()
        if isinstance(exc, RunError):
            raise RunError(f"the crawl was stopped: {exc}; the articles it archived keep waiting for "
                           "'newsarchive process'") from None
        raise
    with pool:
        _, result = alongside(lambda: finish_crawl(crawl, job), job.db_path, pool, analysis,
                              batch_size=8 * pool.processes)
    return result


def alongside(produce: Callable[[], T], db_path: str, pool: AnalysisPool, analysis: AnalysisOptions,
              batch_size: int | None = None) -> tuple[T, AnalysisResult]:
    """Run ``produce`` (a crawl, a loader) in a thread while this thread analyses what it
    commits, until it ends and nothing is left; its exception is raised here."""
    from newsarchive.stages.analysis import process_while

    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(produce())
        except BaseException as exc:  # re-raised below, in the command's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="producer")
    thread.start()
    try:
        while not Path(db_path).exists() and thread.is_alive():
            time.sleep(0.1)
        with Store(db_path) as store:
            result = process_while(store, thread.is_alive, pool, batch_size or analysis.batch_size,
                                   on_failure=analysis.on_failure, progress=analysis.progress)
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return outcome[0], result


def _unclosed_crawls(db_path: str) -> int:
    """Crawls still marked running once the crawl process is gone (it held the lock)."""
    try:
        with sqlite3.connect(db_path, timeout=30) as conn:
            return conn.execute("select count(*) from crawls where status = 'running'").fetchone()[0]
    except sqlite3.Error:
        return 0


def crawl_summary(db_path: str) -> list[str]:
    """One line per source: how its last crawl went."""
    with Store(db_path) as store:
        rows = store.last_crawls()
    return [f"{source}: {status}, {fetched} pages, {new} new, {updated} updated, {same} unchanged, {errors} errors"
            for source, status, fetched, new, updated, same, errors in rows]


def schedule(job: CrawlJob, analysis: AnalysisOptions, every: float, echo: Echo,
             max_runs: int | None = None) -> int:
    """Crawl and analyse every ``every`` seconds, one crawl at a time, until SIGTERM or
    Ctrl-C (the crawl in progress finishes cleanly); returns the number of runs."""
    job.check()
    stop = threading.Event()
    current: list[CrawlProcess] = []

    def on_signal(signum: int, frame: object) -> None:
        echo(f"received signal {signum}: stopping after the current crawl")
        stop.set()
        for crawl in current:
            crawl.terminate()

    def crawl_once() -> int:
        crawl = CrawlProcess(job, echo=echo)
        current[:] = [crawl]
        code = crawl.run()
        if code == 0 and not stop.is_set():
            for line in crawl_summary(job.db_path):
                echo(line)
            try:
                process(job.db_path, analysis)
            except Exception as exc:  # the next run retries what is still pending
                echo(f"processing failed, will retry next run: {exc!r}")
        elif crawl.errors:
            echo(f"crawl failed: {crawl.errors[-1]}")
        return code

    with _locked(job.db_path, "schedule"):
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        return run_schedule(every, crawl_once, stop, echo, max_runs)


class _locked:
    """The archive's crawl lock, as a context; a held lock is a :class:`RunError`."""

    def __init__(self, db_path: str, purpose: str) -> None:
        self.lock = ArchiveLock(db_path, purpose)

    def __enter__(self) -> ArchiveLock:
        try:
            self.lock.acquire()
        except LockHeld as exc:
            raise RunError(str(exc)) from None
        return self.lock

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


# Distributed loading, processing, rebuilding ------------------------------------------------

def load(sources_path: str, db_path: str, redis_url: str, analysis: AnalysisOptions | None, echo: Echo,
         idle_seconds: float = 30.0, allow_private: bool = False) -> LoadResult:
    """Write the pages distributed workers hand over into the archive (its one writer),
    analysing them as they arrive unless ``analysis`` is ``None``. SIGTERM stops it."""
    import redis as redis_client  # only this command needs Redis's client

    sources = read_sources(sources_path, allow_private)
    try:
        server = redis_client.Redis.from_url(redis_url, socket_connect_timeout=5)
        server.ping()  # a wrong or dead address: one line now, not a traceback from the loader
    except ValueError as exc:
        raise RunError(f"--redis {redis_url[:80]!r}: not a Redis URL ({exc})") from None
    except redis_client.exceptions.RedisError as exc:
        raise RunError(f"--redis {redis_url[:80]!r}: cannot reach Redis ({exc})") from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def load_all() -> LoadResult:
        with Store(db_path) as store:
            return load_pages(store, server, sources, stop, idle_seconds or float("inf"), echo)

    with _locked(db_path, "crawl"):
        if analysis is None:
            return load_all()
        with analysis.pool() as pool:
            loaded, _ = alongside(load_all, db_path, pool, analysis)
    return loaded


def process(db_path: str, analysis: AnalysisOptions) -> AnalysisResult:
    """Analyse every article that has no entities yet (or has them from another model)."""
    from newsarchive.stages.analysis import AnalysisResult, process_pending
    from newsarchive.stages.stories import update_stories

    if not Path(db_path).exists():  # a mistyped path must not become a new, empty archive
        raise RunError(f"{db_path}: no archive here")
    with Store(db_path) as store:
        if not store.articles_to_process(model_name(analysis.model)):  # no model to load
            return AnalysisResult(linked=update_stories(store))
        with analysis.pool() as pool:
            return process_pending(store, pool, analysis.batch_size, analysis.on_failure, analysis.progress)


def rebuild_from_warc(db_path: str, files: Sequence[Path], selection: Selection, sources_path: str | None,
                      analysis: AnalysisOptions, progress: Callable[[int], None] | None = None,
                      on_failure: Callable[[str, str], None] | None = None,
                      on_problem: Callable[[Problem], None] | None = None) -> ReprocessResult:
    """Articles and entities from WARC files, offline (``reprocess``, ``import-warc``).

    :param on_problem: told each WARC record skipped, with its offset (see :func:`rebuild`)
    """
    from newsarchive.stages.reprocess import rebuild

    known: list[Source] = []
    if sources_path and Path(sources_path).exists():
        known = read_sources(sources_path, allow_private=True)
    with Store(db_path) as store, analysis.pool(known) as pool:
        return rebuild(store, files, selection, known, pool, progress=progress, on_failure=on_failure,
                       on_problem=on_problem)
