"""What a feed, a sitemap or a robots.txt says are a site's pages.

Feeds are read by feedparser, which knows every dialect news sites publish
(RSS 0.9x, 1.0/RDF and 2.0, Atom 0.3 and 1.0, CDF; any prefix; xml:base and
relative links; CDATA; HTML entities; byte-order marks; charsets from the
header, the XML declaration or a guess) and recovers from the ill-formed
ones. Sitemaps are read by Scrapy's own :class:`~scrapy.utils.sitemap.Sitemap`:
only the ``<loc>`` that is the direct child of ``<url>`` (or ``<sitemap>``)
names a page, so the image, video, news and hreflang extensions never pass
for pages.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
#: content types feedparser is told, whatever the server said (it takes text/html
#: or text/plain as a reason to distrust the XML); the charset given is kept
XML_TYPE = "application/xml"
WEB_SCHEMES = ("http", "https")


def feed_links(body: bytes, url: str = "", content_type: str | None = None) -> list[str] | None:
    """The item links of a feed, absolute and in feed order, or ``None`` if it is no feed.

    :param url: where the feed was fetched (relative links and xml:base resolve against it)
    :param content_type: the ``Content-Type`` it came with, for its charset
    """
    body = _gunzipped(body)
    if body is None:
        return None
    headers = {"content-type": _as_xml_type(content_type)}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        return None
    links: list[str] = []
    for entry in parsed.entries:
        # feedparser's ``link`` is the entry's page (Atom rel="alternate", RSS <link>, or a
        # permalink <guid>); an entry with only enclosures or related links has none
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        link = urljoin(url, link) if url else link
        if urlsplit(link).scheme in WEB_SCHEMES and link not in links:
            links.append(link)
    return links


def _as_xml_type(content_type: str | None) -> str:
    charset = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    return f"{XML_TYPE}; charset={charset.group(1)}" if charset else XML_TYPE


def _gunzipped(body: bytes) -> bytes | None:
    """``body``, gunzipped when it is a gzip file (a ``.xml.gz`` served as is)."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=MAX_SITEMAP_BYTES)
    except Exception:  # a truncated or bomb-sized archive is unreadable, not fatal
        return None


@dataclass
class SitemapPage:
    """One ``<url>`` of a urlset, or one ``<sitemap>`` of an index."""

    loc: str
    #: the news sitemap's publication date where there is one, else ``<lastmod>``
    date: str | None = None


def sitemap_entries(body: bytes) -> tuple[str, list[SitemapPage]] | None:
    """``(kind, entries)`` of a sitemap index or urlset (gzipped or not), or ``None``.

    ``kind`` is ``"sitemapindex"`` or ``"urlset"``.
    """
    body = _gunzipped(body)
    if not body or not body.strip():
        return None
    try:
        sitemap = _NewsSitemap(body.lstrip())
    except (etree.XMLSyntaxError, StopIteration, ValueError):
        return None
    if sitemap.type not in ("sitemapindex", "urlset"):
        return None
    entries: list[SitemapPage] = []
    try:
        for element in sitemap:
            loc = (element.get("loc") or "").strip()
            if loc:
                entries.append(SitemapPage(loc, element.get("publication_date") or element.get("lastmod") or None))
    except etree.XMLSyntaxError:
        pass  # what was read before the damage stands
    return sitemap.type, entries


class _NewsSitemap(Sitemap):
    """Scrapy's sitemap reader, keeping a news sitemap's ``publication_date``
    (the one nested value a crawler wants; Scrapy keeps direct children only)."""

    __slots__ = ()

    def _process_sitemap_element(self, elem: etree._Element) -> dict[str, Any] | None:
        published = None
        for child in elem:
            if isinstance(child.tag, str) and child.tag.endswith("}news"):
                for value in child:
                    if isinstance(value.tag, str) and value.tag.endswith("publication_date") and value.text:
                        published = value.text.strip()
        entry = super()._process_sitemap_element(elem)
        if entry is not None and published:
            entry["publication_date"] = published
        return entry


def text_sitemap(body: bytes) -> list[str] | None:
    """The URLs of a text sitemap (one absolute URL a line, as the protocol allows), or ``None``."""
    body = _gunzipped(body)
    if not body:
        return None
    try:
        lines = [line.strip() for line in body.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        return None
    if not lines or not all(urlsplit(line).scheme in WEB_SCHEMES and " " not in line for line in lines):
        return None
    return list(dict.fromkeys(lines))


def robots_sitemaps(body: bytes, url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, absolute."""
    return list(dict.fromkeys(u for u in sitemap_urls_from_robots(body, base_url=url) if u.strip()))


def is_robots_url(url: str) -> bool:
    return urlsplit(url).path.rstrip("/").endswith("/robots.txt")


RFC_822 = re.compile(r"^[A-Za-z]{3},?\s")


def sitemap_date(value: str | None) -> dt.datetime | None:
    """A ``<lastmod>`` or ``<news:publication_date>`` as an aware UTC datetime, or ``None``.

    Takes the W3C forms the protocol names (``2023``, ``2023-07``,
    ``2023-07-28``, with a time, seconds and fraction optional, ``Z`` or an
    offset) and what sites write besides: a space instead of ``T``, an offset
    without a colon, RFC 822 dates, Unix timestamps, ``2023/07/28``.
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit() and len(text) >= 9:  # seconds (or milliseconds) since 1970
        seconds = int(text) / (1000 if len(text) >= 12 else 1)
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if RFC_822.match(text):
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        return _utc(parsed)
    text = text.replace("/", "-")
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{1,2}", text):
        text += "-01"
    text = re.sub(r"^(\d{4})-(\d)\b", r"\1-0\2", text)
    text = re.sub(r"^(\d{4}-\d{2})-(\d)\b", r"\1-0\2", text)
    text = re.sub(r"[zZ]$", "+00:00", text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    text = re.sub(r"\s*(UTC|GMT)$", "+00:00", text)
    try:
        return _utc(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def _utc(parsed: dt.datetime) -> dt.datetime | None:
    try:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):
        return None


def sitemap_children(entries: list[SitemapPage], base: str) -> Iterator[str]:
    """The child sitemaps of an index, absolute."""
    for entry in entries:
        try:
            yield urljoin(base, entry.loc)
        except ValueError:
            continue
