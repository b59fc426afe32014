"""The loader of a distributed crawl: the archive's one writer.

Crawler workers (:mod:`newsarchive.crawler.distributed`) push fetched pages to a Redis
list; :func:`load_pages` takes them one at a time into a processing list,
commits each to the archive and only then removes it. Started again after a
crash, it first puts back what was being processed, so no page is lost; a
page committed twice is recognised (same canonical URL, same text).

The loader also keeps Redis told what the archive knows of each article page
(:func:`publish_known` when it starts, then every page it commits), so workers, which have
no archive, send conditional requests and follow the recheck schedule.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsarchive.stages.ingest import commit
from newsarchive.archive.store import CrawlStats, Store
from newsarchive.stages.handoff import (PAGES_KEY, PROCESSING_KEY, HandoffError, decode_page, encode_known,
                                        known_key)
from newsarchive.archive.sources import Source


@dataclass
class LoadResult:
    """What a loader run did, per source."""

    pages: int = 0
    skipped: int = 0
    stats: dict[str, CrawlStats] = field(default_factory=dict)


def recover(server: Any) -> int:
    """Put pages a dead loader was processing back at the head of the queue."""
    moved = 0
    while server.lmove(PROCESSING_KEY, PAGES_KEY, "LEFT", "RIGHT") is not None:
        moved += 1
    return moved


def publish_known(store: Store, server: Any, sources: list[Source], chunk: int = 1000) -> int:
    """Copy what the archive knows of each source's article pages (validators, when fetched,
    the article's date and status) into Redis, where workers read it: a worker then sends
    conditional requests and skips what the recheck schedule says is not due, as a
    single-process crawl does. Returns the number of pages published."""
    published = 0
    for source in sources:
        key = known_key(source.name)
        pipe = server.pipeline(transaction=False)
        pipe.delete(key)
        for known in store.known_pages(source.name):
            pipe.hset(key, known.url, encode_known(known))
            published += 1
            if published % chunk == 0:
                pipe.execute()
        pipe.execute()
    return published


def _publish_one(store: Store, server: Any, source: str, url: str) -> None:
    known = store.known_page(url)
    if known is not None and known.article_id is not None:
        server.hset(known_key(source), url, encode_known(known))


def load_pages(store: Store, server: Any, sources: list[Source], stop: threading.Event,
               idle_seconds: float = 10.0, echo: Callable[[str], None] = print) -> LoadResult:
    """Commit pages from Redis until ``stop`` is set or none came for ``idle_seconds``.

    :param sources: the sources file's entries, recorded in ``sources``
    """
    store.save_sources(sources)
    published = publish_known(store, server, sources)
    echo(f"published {published} known page(s) for the workers")
    result = LoadResult()
    crawl_ids: dict[str, int] = {}
    if moved := recover(server):
        echo(f"recovered {moved} page(s) left by an interrupted loader")
    idle_since = time.monotonic()
    while not stop.is_set() and time.monotonic() - idle_since < idle_seconds:
        data = server.blmove(PAGES_KEY, PROCESSING_KEY, 1, "RIGHT", "LEFT")
        if data is None:
            continue
        idle_since = time.monotonic()
        try:
            prepared = decode_page(data)
        except HandoffError as error:
            server.lrem(PROCESSING_KEY, 1, data)
            result.skipped += 1
            echo(f"Error: skipped a record of {PAGES_KEY}: {error}")
            continue
        item = prepared.item
        if item.source not in crawl_ids:
            store.ensure_source(item.source, item.url)
            crawl_ids[item.source] = store.start_crawl(item.source)
            result.stats[item.source] = CrawlStats()
        stats = result.stats[item.source]
        stats.pages_fetched += 1
        outcome, _ = commit(store, prepared, crawl_ids[item.source])
        stats.count(outcome)
        _publish_one(store, server, item.source, item.url)
        server.lrem(PROCESSING_KEY, 1, data)
        result.pages += 1
        echo(f"{item.source}: {outcome} {item.url}")
    for name, crawl_id in crawl_ids.items():
        store.finish_crawl(crawl_id, result.stats[name], "finished", [])
    return result
