"""One generic spider for every source in ``sources.yml``.

It discovers articles from each source's feeds (RSS 2.0 and Atom) and
sitemaps (index, urlset, news sitemaps, gzip) and hands every article page on
to the pipeline untouched. Which URLs are articles is the source's
``article_pattern``; robots.txt is obeyed through Scrapy's middleware.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.items import PageItem
from crawler.sources import Source
from crawler.urls import canonical_url
from archive.store import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


class NewsSpider(scrapy.Spider):
    """Crawl the given sources' feeds and sitemaps for articles."""

    name = "news"

    def __init__(self, sources: list[Source], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = {s.name: s for s in sources}
        self.allowed_domains = sorted({d for s in sources for d in s.allowed_domains})
        self.failures: list[tuple[str, str]] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources.values():
            for url in source.feeds:
                yield self._request(url, self.parse_feed, source.name)
            for url in source.sitemaps:
                yield self._request(url, self.parse_sitemap, source.name)

    def _request(self, url: str, callback: Any, source: str) -> scrapy.Request:
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, cb_kwargs={"source": source}
        )

    def _article_requests(self, urls: Iterator[str], source: str) -> Iterator[scrapy.Request]:
        spec = self.sources[source]
        for url in urls:
            url = canonical_url(url)
            if spec.is_article_url(url):
                yield self._request(url, self.parse_article, source)

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        """Article links of an RSS or Atom feed."""
        links = feed_links(response.body)
        if links is None:
            self._fail(source, response.url, "not a readable RSS or Atom feed")
            return
        yield from self._article_requests((response.urljoin(u) for u in links), source)

    def parse_sitemap(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        """Follow a sitemap index, or request the articles of a urlset."""
        body = sitemap_body(response)
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises several kinds on garbage
            self._fail(source, response.url, "not a readable sitemap")
            return
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for url in locations:
                yield self._request(response.urljoin(url), self.parse_sitemap, source)
        else:
            yield from self._article_requests((response.urljoin(u) for u in locations), source)

    def parse_article(self, response: Response, source: str) -> Iterator[PageItem]:
        """Hand the fetched page on, raw."""
        headers = response.headers
        yield PageItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            canonical_url=canonical_url(response.url),
            source=source,
            status=response.status,
            body=response.body,
            fetched_at=utcnow(),
            content_type=_header(headers, b"Content-Type"),
            encoding=getattr(response, "encoding", None),
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
        )

    def on_error(self, failure: Any) -> None:
        """Count a request that failed (HTTP error, DNS, timeout, refused)."""
        request = failure.request
        source = request.cb_kwargs.get("source", "?")
        self._fail(source, request.url, failure.getErrorMessage() or repr(failure.value))

    def _fail(self, source: str, url: str, message: str) -> None:
        self.logger.warning("%s: %s: %s", source, url, message)
        self.failures.append((source, f"{url}: {message}"))


def feed_links(body: bytes) -> list[str] | None:
    """The item links of an RSS 2.0 or Atom feed, or ``None`` if unreadable."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    if root.tag == f"{ATOM}feed":
        return _atom_links(root)
    if root.tag in ("rss", "{http://purl.org/rss/1.0/}RDF", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
        return [el.text.strip() for el in root.iter("link", "{http://purl.org/rss/1.0/}link")
                if el.text and el.getparent().tag.endswith("item")]
    return None


def _atom_links(root: etree._Element) -> list[str]:
    links = []
    for entry in root.iter(f"{ATOM}entry"):
        for link in entry.iter(f"{ATOM}link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                links.append(link.get("href"))
                break
    return links


def sitemap_body(response: Response) -> bytes:
    """A sitemap's XML, gunzipped when it came compressed."""
    body = response.body
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=50 * 1024 * 1024)
        except Exception:
            return b""
    return body


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None
