"""The hand-off from crawling to the archive.

:class:`ArchivePipeline` extracts each fetched article page (trafilatura,
through :func:`nlp.extract.extract_article`) and saves it with the store. Entity
extraction is not done here: it is a separate, batched stage
(:func:`archive.process.process_pending`), so the crawl never waits on spaCy.
Every article is committed as it arrives, so a killed crawl loses nothing it
had already saved.
"""

from __future__ import annotations

import logging
from typing import Any

from archive.store import CrawlStats, PageRecord, Store
from crawler.detect import looks_like_article
from crawler.items import PageItem
from crawler.urls import canonical_url, same_site
from nlp.extract import extract_article

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Save each :class:`~crawler.items.PageItem` into the SQLite archive."""

    def __init__(self, db_path: str, crawler: Any) -> None:
        self.db_path = db_path
        self.crawler = crawler
        self.store: Store | None = None
        self.crawl_ids: dict[str, int] = {}
        self.stats: dict[str, CrawlStats] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(crawler.settings.get("NEWSARCHIVE_DB"), crawler)

    def open_spider(self) -> None:
        self.store = Store(self.db_path)
        sources = list(self.crawler.spider.sources.values())
        self.store.save_sources(sources)
        for source in sources:
            self.crawl_ids[source.name] = self.store.start_crawl(source.name)
            self.stats[source.name] = CrawlStats()

    def close_spider(self) -> None:
        assert self.store is not None
        spider = self.crawler.spider
        reason = getattr(spider, "close_reason", None) or "finished"
        messages: dict[str, list[str]] = {name: [] for name in self.stats}
        for source, message in getattr(spider, "failures", []):
            if source in self.stats:
                self.stats[source].errors += 1
                messages[source].append(message)
        for name, stats in self.stats.items():
            status = "finished" if reason == "finished" else reason
            self.store.finish_crawl(self.crawl_ids[name], stats, status, messages[name])
        self.store.close()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._save(item)
        return item

    def _page(self, item: PageItem, identity: str | None = None, status: str | None = None) -> PageRecord:
        return PageRecord(
            url=item.url, canonical_url=identity or item.canonical_url, source=item.source,
            status=item.status, fetched_at=item.fetched_at, content_type=item.content_type,
            etag=item.etag, last_modified=item.last_modified, extraction_status=status,
            crawl_id=self.crawl_ids[item.source],
        )

    def _save(self, item: PageItem) -> None:
        assert self.store is not None
        stats = self.stats[item.source]
        stats.pages_fetched += 1
        if item.status == 304:
            stats.not_modified += 1
            self.store.touch_page(self._page(item))
            logger.info("%s: not modified %s", item.source, item.url)
            return
        if item.status in (404, 410):
            if self.store.mark_gone(self._page(item)) is not None:
                stats.gone += 1
                logger.info("%s: gone (%s) %s", item.source, item.status, item.url)
            else:
                self.crawler.spider.failures.append((item.source, f"{item.url}: HTTP {item.status}"))
            return
        source = self.crawler.spider.sources[item.source]
        if source.article_pattern is None and not looks_like_article(item.body):
            self.store.save_page(self._page(item, status="not_article"))
            return
        article = extract_article(item.body, url=item.final_url)
        identity = item.canonical_url
        if article.url and same_site(article.url, item.final_url):
            identity = canonical_url(article.url)
        page = self._page(item, identity, article.extraction_status)
        if article.extraction_status != "ok":
            logger.warning("%s: %s: no article saved (%s)", item.source, item.url, article.extraction_status)
            self.store.save_page(page)
            return
        article_id, outcome = self.store.save_article(item.source, identity, article, item.fetched_at)
        stats.count(outcome)
        page.content_hash = self.store.db["articles"].get(article_id)["content_hash"]
        self.store.save_page(page, article_id)
        logger.info("%s: %s article %s", item.source, outcome, identity)
