"""The loader of a distributed crawl: the archive's one writer.

Crawler workers (:mod:`newsarchive.crawler.distributed`) push fetched pages to a Redis
list; :func:`load_pages` takes them one at a time into a processing list,
commits each to the archive and only then removes it. Started again after a
crash, it first puts back what was being processed, so no page is lost; a
page committed twice is recognised (same canonical URL, same text).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsarchive.stages.ingest import commit
from newsarchive.archive.store import CrawlStats, Store
from newsarchive.stages.handoff import PAGES_KEY, PROCESSING_KEY, HandoffError, decode_page
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


def load_pages(store: Store, server: Any, sources: list[Source], stop: threading.Event,
               idle_seconds: float = 10.0, echo: Callable[[str], None] = print) -> LoadResult:
    """Commit pages from Redis until ``stop`` is set or none came for ``idle_seconds``.

    :param sources: the sources file's entries, recorded in ``sources``
    """
    store.save_sources(sources)
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
        server.lrem(PROCESSING_KEY, 1, data)
        result.pages += 1
        echo(f"{item.source}: {outcome} {item.url}")
    for name, crawl_id in crawl_ids.items():
        store.finish_crawl(crawl_id, result.stats[name], "finished", [])
    return result
