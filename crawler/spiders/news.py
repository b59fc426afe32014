"""One generic spider for every source in ``sources.yml``.

Discovery, per source:

1. feeds (every RSS and Atom dialect, read by feedparser) and sitemaps
   (robots.txt ``Sitemap:`` lines, indexes with loop and depth limits,
   urlsets with their image/video/news/hreflang extensions, gzip; entries
   older than ``sitemap_horizon_days`` skipped): see
   :mod:`newsarchive.crawler.discovery`;
2. section pages (``sections``), whose links are articles when they match
   ``article_pattern`` and further section pages when they match
   ``follow_allow`` and not ``follow_deny``, up to ``max_depth``;
3. the archive's own known articles that the recheck schedule says are due.

A URL already in the archive is fetched again only when it is due
(:mod:`newsarchive.archive.recheck`), and then conditionally (``If-None-Match``,
``If-Modified-Since``). Each source fetches at most ``max_pages`` pages per
crawl, which bounds calendar and pagination traps. Article pages are handed on
raw; 304, 404 and 410 answers are handed on too, so the archive can record them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor

from newsarchive.archive.store import KnownPage, Store, utcnow
from newsarchive.crawler.leases import LEASE_META, release
from newsarchive.crawler.resolver import refusal
from newsarchive.archive.records import PageItem
from newsarchive.archive.recheck import DEFAULT_SCHEDULE, Schedule, parse_time
from newsarchive.archive.sources import Source, UrlPattern
from newsarchive.archive.urls import canonical_url, host_key
from newsarchive.crawler.discovery import (feed_links, is_robots_url, robots_sitemaps, sitemap_children,
                                           sitemap_date, sitemap_entries, text_sitemap)

__all__ = ["NewsSpider", "feed_links", "sitemap_entries"]

#: statuses an article request hands on instead of treating as errors
ARTICLE_STATUSES = [304, 404, 410]
#: what each callback's responses are, as recorded in the WARC capture
KINDS = {"parse_feed": "feed", "parse_sitemap": "sitemap", "parse_section": "section",
         "parse_article": "article"}
KIND_META = "newsarchive_kind"
#: how deep sitemap indexes may nest (robots.txt -> index -> index -> urlset is 3)
MAX_SITEMAP_DEPTH = 5


class NewsSpider(scrapy.Spider):
    """Crawl the given sources for articles, new and due for a recheck."""

    name = "news"

    def __init__(self, sources: list[Source], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = {s.name: s for s in sources}
        self.allowed_domains = sorted({d for s in sources for d in s.allowed_domains})
        self.failures: list[tuple[str, str]] = []
        self.article_leases: dict[str, str] = {}  # distributed mode: url -> lease held until handed over
        self.requested: Counter[str] = Counter()
        self.seen_urls: set[str] = set()
        self.archive: Store | None = None
        self.known_pages: Any = None  # distributed mode: the archive's known pages, from Redis
        self.schedule = Schedule.parse(DEFAULT_SCHEDULE)
        self.now = dt.datetime.now(dt.timezone.utc)
        self._link_rules = {s.name: _compile(s.follow_allow) for s in sources}
        self._deny_rules = {s.name: _compile(s.follow_deny) for s in sources}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.schedule = Schedule.parse(self.settings.get("NEWSARCHIVE_RECHECK") or DEFAULT_SCHEDULE)
        if self.settings.getbool("NEWSARCHIVE_DISTRIBUTED"):
            # A worker of a shared crawl: no archive here; Redis knows what was seen,
            # and only the run's first worker seeds the frontier.
            if not getattr(self, "seeds_wanted", True):
                return
        else:
            self.archive = Store(self.settings.get("NEWSARCHIVE_DB"))
        for source in self.sources.values():
            for url in source.feeds:
                yield self._request(url, self.parse_feed, source.name)
            for url in source.sitemaps:
                if request := self._sitemap_request(url, source.name, 0):
                    yield request
            for url in source.sections:
                yield self._request(url, self.parse_section, source.name, depth=0)
            for request in self._due_rechecks(source.name):
                yield request

    def closed(self, reason: str) -> None:
        if self.archive is not None:
            self.archive.close()

    # building requests ---------------------------------------------------

    def _request(self, url: str, callback: Any, source: str, **kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, cb_kwargs={"source": source, **kwargs},
            meta={KIND_META: KINDS[callback.__name__]},
        )

    def _within_budget(self, source: str) -> bool:
        spec = self.sources[source]
        if self.requested[source] >= spec.max_pages:
            if self.requested[source] == spec.max_pages:
                self._fail(source, spec.homepage, f"stopped at max_pages={spec.max_pages} for this crawl")
                self.requested[source] += 1
            return False
        self.requested[source] += 1
        return True

    def _article_request(self, url: str, source: str, known: KnownPage | None = None,
                         check_due: bool = True) -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.seen_urls:
            return None
        self.seen_urls.add(url)
        if known is None:
            known = self._known_page(source, url)
        if known is not None and check_due and not self._is_due(known):
            return None
        if not self._within_budget(source):
            return None
        request = self._request(url, self.parse_article, source)
        request.meta["handle_httpstatus_list"] = ARTICLE_STATUSES
        if known is not None:
            if known.etag:
                request.headers["If-None-Match"] = known.etag
            if known.last_modified:
                request.headers["If-Modified-Since"] = known.last_modified
        return request

    def _known_page(self, source: str, url: str) -> KnownPage | None:
        if self.archive is not None:
            return self.archive.known_page(url)
        if self.known_pages is not None:
            return self.known_pages.page(source, url)
        return None

    def _is_due(self, known: KnownPage) -> bool:
        born = parse_time(known.born) or self.now
        fetched = parse_time(known.fetched_at) or born
        return self.schedule.is_due(born, fetched, self.now)

    def _article_requests(self, urls: Iterable[str], source: str) -> Iterator[scrapy.Request]:
        spec = self.sources[source]
        for url in urls:
            try:
                request = self._article_request(url, source) if spec.is_article_url(url) else None
            except ValueError as exc:  # e.g. a port out of range: this link only is lost
                self._fail(source, url, f"bad link skipped: {exc}")
                continue
            if request:
                yield request

    def _due_rechecks(self, source: str) -> Iterator[scrapy.Request]:
        if self.archive is not None:
            known_pages: Iterable[KnownPage] = self.archive.known_pages(source)
        elif self.known_pages is not None:
            known_pages = self.known_pages.pages(source)
        else:
            return
        for known in known_pages:
            if known.article_status != "gone" and self._is_due(known):
                if request := self._article_request(known.url, source, known, check_due=False):
                    yield request

    # callbacks -----------------------------------------------------------

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        """Article links of a feed, of any dialect (see :mod:`newsarchive.crawler.discovery`)."""
        links = feed_links(response.body, response.url, _header(response.headers, b"Content-Type"))
        if links is None:
            self._fail(source, response.url, "not a readable RSS or Atom feed")
            return
        yield from self._article_requests(self._joined(response, links, source), source)

    def _joined(self, response: Response, links: Iterable[str], source: str) -> Iterator[str]:
        """Absolute URLs of ``links``; a malformed one (``http://[bad``) is
        recorded and skipped instead of ending the feed's other links."""
        for link in links:
            try:
                yield response.urljoin(link)
            except ValueError as exc:
                self._fail(source, link, f"bad link skipped: {exc}")

    def _sitemap_request(self, url: str, source: str, depth: int) -> scrapy.Request | None:
        """A request for a sitemap (or robots.txt), unless it was seen already
        this crawl (an index that lists itself, or two that list each other)
        or lies deeper than :data:`MAX_SITEMAP_DEPTH`."""
        key = "sitemap:" + url
        if key in self.seen_urls:
            return None
        self.seen_urls.add(key)
        if depth > MAX_SITEMAP_DEPTH:
            self._fail(source, url, f"sitemap skipped: nested deeper than {MAX_SITEMAP_DEPTH} indexes")
            return None
        if depth and not self._within_budget(source):
            return None
        request = self._request(url, self.parse_sitemap, source)
        request.cb_kwargs["depth"] = depth
        return request

    def parse_sitemap(self, response: Response, source: str, depth: int = 0) -> Iterator[scrapy.Request]:
        """Follow a robots.txt's ``Sitemap:`` lines or a sitemap index, or
        request the fresh articles of a urlset. Only a ``<url>``'s own
        ``<loc>`` is a page: image, video, news and hreflang URLs never are."""
        if is_robots_url(response.url):
            for url in robots_sitemaps(response.body, response.url):
                if request := self._sitemap_request(url, source, depth + 1):
                    yield request
            return
        parsed = sitemap_entries(response.body)
        if parsed is None:
            # The protocol also allows a text file of URLs, and an RSS or Atom feed.
            links = text_sitemap(response.body)
            if links is None:
                links = feed_links(response.body, response.url, _header(response.headers, b"Content-Type"))
            if links is None:
                self._fail(source, response.url, "not a readable sitemap")
                return
            yield from self._article_requests(self._joined(response, links, source), source)
            return
        kind, entries = parsed
        if kind == "sitemapindex":
            for url in sitemap_children(entries, response.url):
                if request := self._sitemap_request(url, source, depth + 1):
                    yield request
            return
        horizon = self.sources[source].sitemap_horizon_days
        cutoff = self.now - dt.timedelta(days=horizon) if horizon else None
        fresh = (entry.loc for entry in entries
                 if cutoff is None or not entry.date or (sitemap_date(entry.date) or self.now) >= cutoff)
        yield from self._article_requests(self._joined(response, fresh, source), source)

    def parse_section(self, response: Response, source: str, depth: int) -> Iterator[scrapy.Request]:
        """Articles linked from a section page; deeper sections within the rules."""
        if not hasattr(response, "text"):
            self._fail(source, response.url, "section page is not text")
            return
        spec = self.sources[source]
        # Filtered by host here: LinkExtractor's allow_domains compares "host:port"
        # with the bare host, which drops every link of a site served on a port.
        extractor = LinkExtractor(unique=True)
        for link in extractor.extract_links(response):
            if not _on_domains(link.url, spec.allowed_domains):
                continue
            url = canonical_url(link.url)
            if spec.is_article_url(url):
                if request := self._article_request(url, source):
                    yield request
            elif depth < spec.max_depth and self._follows(source, url) and url not in self.seen_urls:
                self.seen_urls.add(url)
                if self._within_budget(source):
                    yield self._request(url, self.parse_section, source, depth=depth + 1)

    def _follows(self, source: str, url: str) -> bool:
        path = urlsplit(url).path
        allow, deny = self._link_rules[source], self._deny_rules[source]
        return any(r.search(path) for r in allow) and not any(r.search(path) for r in deny)

    def parse_article(self, response: Response, source: str) -> Iterator[PageItem]:
        """Hand the fetched page on, raw (or its 304/404/410 status)."""
        headers = response.headers
        if lease_id := response.request.meta.get(LEASE_META) if response.request else None:
            self.article_leases[response.request.url] = lease_id  # the pipeline releases it
        yield PageItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            canonical_url=canonical_url(response.url),
            source=source,
            status=response.status,
            body=response.body,
            fetched_at=response.meta.get("fetched_at") or utcnow(),
            content_type=_header(headers, b"Content-Type"),
            encoding=getattr(response, "encoding", None),
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
            warc_file=(response.meta.get("warc") or (None, None))[0],
            warc_offset=(response.meta.get("warc") or (None, None))[1],
            redirected_from=(response.meta.get("redirect_urls") or [None])[0],
        )

    def on_error(self, failure: Any) -> None:
        """Count a request that failed (HTTP error, DNS, timeout, refused)."""
        request = failure.request
        source = request.cb_kwargs.get("source", "?")
        refused = refusal(urlsplit(request.url).hostname)  # the guard let no address through
        self._fail(source, request.url, refused or failure.getErrorMessage() or self._unexplained(failure))
        release(self, request)

    def _unexplained(self, failure: Any) -> str:
        """A message for a failure that carries none: Scrapy cancels a body
        that grows past DOWNLOAD_MAXSIZE without saying why."""
        if failure.check(DownloadCancelledError):
            return (f"download cancelled: body larger than download max size "
                    f"(DOWNLOAD_MAXSIZE={self.settings.getint('DOWNLOAD_MAXSIZE')} bytes)")
        return repr(failure.value)

    def _fail(self, source: str, url: str, message: str) -> None:
        self.logger.warning("%s: %s: %s", source, url, message)
        self.failures.append((source, f"{url}: {message}"))


def _on_domains(url: str, domains: Iterable[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one."""
    try:
        host = host_key(urlsplit(url).hostname or "")  # punycode, as the domains are
    except ValueError:
        return False
    return any(host == d or host.endswith("." + d) for d in domains)


def _compile(patterns: Iterable[str]) -> list[UrlPattern]:
    return [UrlPattern(p) for p in patterns]


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None
