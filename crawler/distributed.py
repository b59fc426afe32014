"""Distributed crawling: many crawler processes, one frontier in Redis.

Built on scrapy-redis: the request queue and the duplicate filter live in
Redis, so crawler processes on any number of hosts share them
(``newsarchive crawl --redis redis://HOST:PORT``). What we add is what makes
a worker safe to kill at any moment:

* **Leases.** Taking a request from the queue leases it for
  ``NEWSARCHIVE_LEASE_SECONDS``; the lease is released only when the
  response has been fully handled (its pages handed over) or has finally
  failed. A request whose lease expires (its worker died) goes back to the
  queue for another worker. A worker does not finish while leases are out.
* **What the archive knows.** The loader copies each article page's validators and
  dates into Redis (:class:`RedisKnownPages`), so a worker sends conditional requests and
  skips pages the recheck schedule says are not due, as a single-process crawl does.
* **Hand-over.** Fetched pages are captured to WARC on the worker, then pushed
  to a Redis list; one loader process (``newsarchive load --redis ...``) is
  the archive's only writer. It moves each page to a processing list before
  writing and removes it after the commit, so a loader killed midway loses
  nothing either.

A page delivered twice (a lease expired just after its hand-over) is archived
once: the archive's identity is the canonical URL and an unchanged text is
not a change.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from newsarchive.archive.records import PageItem
from newsarchive.crawler.leases import LEASE_META, release
from newsarchive.archive.store import KnownPage
from newsarchive.stages.handoff import PAGES_KEY, decode_known, encode_page, known_key
from newsarchive.stages.ingest import prepare


# Atomically: put expired leases back in the queue, then lease the best request.
_POP_SCRIPT = """
local queue, leases, deadlines = KEYS[1], KEYS[2], KEYS[3]
local now, ttl, lease_id = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
for _, expired in ipairs(redis.call('ZRANGEBYSCORE', deadlines, '-inf', now)) do
  local data = redis.call('HGET', leases, expired)
  if data then redis.call('ZADD', queue, -1000, data) end
  redis.call('HDEL', leases, expired)
  redis.call('ZREM', deadlines, expired)
end
local best = redis.call('ZRANGE', queue, 0, 0)
if #best == 0 then return false end
redis.call('ZREM', queue, best[1])
redis.call('HSET', leases, lease_id, best[1])
redis.call('ZADD', deadlines, now + ttl, lease_id)
return best[1]
"""


class LeasedQueue(Base):
    """A priority queue whose pops are leases, released by :meth:`ack`."""

    lease_seconds = 60.0

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.leases_key = self.key + ":leases"
        self.deadlines_key = self.key + ":deadlines"
        self.lease_seconds = spider.settings.getfloat("NEWSARCHIVE_LEASE_SECONDS", self.lease_seconds)
        self._pop = server.register_script(_POP_SCRIPT)

    def __len__(self) -> int:
        return int(self.server.zcard(self.key)) + int(self.server.zcard(self.deadlines_key))

    def push(self, request: Any) -> None:
        self.server.execute_command("ZADD", self.key, -request.priority, self._encode_request(request))

    def pop(self, timeout: int = 0) -> Any:
        lease_id = uuid.uuid4().hex
        keys = [self.key, self.leases_key, self.deadlines_key]
        data = self._pop(keys=keys, args=[time.time(), self.lease_seconds, lease_id])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[LEASE_META] = lease_id
        return request

    def ack(self, lease_id: str) -> None:
        """The leased request is done with: forget it."""
        self.server.hdel(self.leases_key, lease_id)
        self.server.zrem(self.deadlines_key, lease_id)

    def clear(self) -> None:
        self.server.delete(self.key, self.leases_key, self.deadlines_key)


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler with leases, and seeding once per crawl run.

    The first worker of a run (no queue, no leases, no ``seeded`` flag) clears
    the duplicate filter and seeds the frontier; workers that join later
    only take from it. The flag lives ``NEWSARCHIVE_SEED_TTL`` seconds.
    """

    def open(self, spider: Any) -> None:
        super().open(spider)
        ttl = int(spider.settings.getfloat("NEWSARCHIVE_SEED_TTL", 600))
        seeded_key = self.queue.key + ":seeded"
        first = len(self.queue) == 0 and self.server.set(seeded_key, "1", nx=True, ex=ttl)
        if first:
            self.df.clear()
        spider.seeds_wanted = bool(first)
        spider.lease_queue = self.queue
        spider.known_pages = RedisKnownPages(self.server)

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0


class RedisKnownPages:
    """What the archive knows of pages, as the loader published it in Redis
    (:func:`newsarchive.stages.loader.publish_known`): a worker's view of the archive."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def page(self, source: str, url: str) -> KnownPage | None:
        """The archive's record of ``url``, or ``None``."""
        data = self.server.hget(known_key(source), url)
        return decode_known(data) if data is not None else None

    def pages(self, source: str) -> Iterator[KnownPage]:
        """Every article page of ``source`` the archive knows."""
        for _url, data in self.server.hscan_iter(known_key(source), count=1000):
            if (known := decode_known(data)) is not None:
                yield known


class LeaseMiddleware:
    """Spider middleware: release a request's lease once its callback's
    output has all been handed on (new requests queued). An article page's
    lease is released later, by :class:`RedisHandoffPipeline`, once the page
    is in Redis: items reach pipelines after the callback's output is read,
    and a worker killed in between must not have released it."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Any, result: Iterable[Any], spider: Any = None) -> Iterator[Any]:
        yield from result
        self._release(response.request)

    async def process_spider_output_async(self, response: Any, result: Any, spider: Any = None) -> Any:
        async for output in result:
            yield output
        self._release(response.request)

    def _release(self, request: Any) -> None:
        spider = self.crawler.spider
        if request is not None and request.url in spider.article_leases:
            return  # an article handed to the pipeline: released there
        release(spider, request)


class RedisHandoffPipeline:
    """Extract each fetched page on the worker, then push the result to Redis
    for the loader (instead of writing SQLite). Extraction runs where the
    crawling runs, so adding workers adds extraction capacity; the loader
    only writes. The raw body is not sent: it is in the worker's WARC files.
    """

    def __init__(self, crawler: Any) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisHandoffPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            spider = self.crawler.spider
            prepared = prepare(item, spider.sources.get(item.source))
            prepared.item.body = b""
            self.server.lpush(PAGES_KEY, encode_page(prepared))
            lease_id = spider.article_leases.pop(item.url, None)
            if lease_id and getattr(spider, "lease_queue", None) is not None:
                spider.lease_queue.ack(lease_id)
        return item


def distributed_settings(redis_url: str) -> dict[str, Any]:
    """The Scrapy settings that turn a crawl into a worker of a shared crawl."""
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "newsarchive.crawler.distributed.LeasedScheduler",
        "SCHEDULER_QUEUE_CLASS": "newsarchive.crawler.distributed.LeasedQueue",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "ITEM_PIPELINES": {"newsarchive.crawler.distributed.RedisHandoffPipeline": 300},
        "SPIDER_MIDDLEWARES": {"newsarchive.crawler.distributed.LeaseMiddleware": 1000},
        "NEWSARCHIVE_DISTRIBUTED": True,
    }
