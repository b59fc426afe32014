"""The hand-off from crawling to the archive.

:class:`ArchivePipeline` extracts each fetched article page and saves it
(:mod:`newsarchive.stages.ingest`). Entity extraction is not done here: it is a separate,
batched stage (:func:`newsarchive.stages.analysis.process_pending`), so the crawl never
waits on spaCy. Every article is committed as it arrives, so a killed crawl
loses nothing it had already saved.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals

from newsarchive.stages.ingest import commit, prepare
from newsarchive.archive.store import CrawlStats, Store
from newsarchive.archive.records import PageItem

logger = logging.getLogger(__name__)

#: outcomes that are a counted article result; anything else is a page that yielded no article
ARTICLE_OUTCOMES = {"new", "updated", "unchanged", "not_modified", "gone"}


class ArchivePipeline:
    """Save each :class:`~newsarchive.archive.records.PageItem` into the SQLite archive."""

    def __init__(self, db_path: str, crawler: Any) -> None:
        self.db_path = db_path
        self.crawler = crawler
        self.store: Store | None = None
        self.crawl_ids: dict[str, int] = {}
        self.stats: dict[str, CrawlStats] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        pipeline = cls(crawler.settings.get("NEWSARCHIVE_DB"), crawler)
        # the crawl rows are closed on spider_closed, the first point where Scrapy tells why
        # the spider closed (pipelines are closed before it)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.store = Store(self.db_path)
        sources = list(self.crawler.spider.sources.values())
        self.store.save_sources(sources)
        for source in sources:
            self.crawl_ids[source.name] = self.store.start_crawl(source.name)
            self.stats[source.name] = CrawlStats()

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Close each source's crawl row with the spider's close reason: ``finished``, or why
        it stopped early (``shutdown`` for a crawl told to stop, ``closespider_timeout``...)."""
        if self.store is None:
            return
        messages: dict[str, list[str]] = {name: [] for name in self.stats}
        for source, message in getattr(spider, "failures", []):
            if source in self.stats:
                self.stats[source].errors += 1
                messages[source].append(message)
        for name, stats in self.stats.items():
            self.store.finish_crawl(self.crawl_ids[name], stats, reason, messages[name])
        self.store.close()
        self.store = None

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            try:
                self._save(item)
            except Exception as exc:  # one bad page must not stop the crawl; it is counted
                logger.exception("%s: %s: could not be saved", item.source, item.url)
                self.crawler.spider.failures.append((item.source, f"{item.url}: not saved: {exc!r}"))
        return item

    def _save(self, item: PageItem) -> None:
        assert self.store is not None
        spider = self.crawler.spider
        stats = self.stats[item.source]
        stats.pages_fetched += 1
        outcome, _ = commit(self.store, prepare(item, spider.sources[item.source]), self.crawl_ids[item.source])
        stats.count(outcome)
        if outcome in ARTICLE_OUTCOMES:
            logger.info("%s: %s article %s (%d pages so far)", item.source, outcome.replace("_", " "),
                        item.url, stats.pages_fetched)
        elif outcome == "redirected":
            spider.failures.append((item.source, f"{item.redirected_from}: redirected to {item.url}, "
                                                 "not an article page: nothing archived"))
        elif outcome != "not_article":
            spider.failures.append((item.source, f"{item.url}: no article ({outcome}, HTTP {item.status})"))
