"""Downloader middlewares: polite retries, and the raw capture to WARC.

:class:`BackoffRetryMiddleware` replaces Scrapy's retry middleware. It retries
the same HTTP codes and network errors, but waits before each retry: as long
as the server's ``Retry-After`` header asks (seconds or an HTTP date, capped
by ``RETRY_MAX_DELAY``), or else exponentially longer each time
(``RETRY_BACKOFF_BASE`` × 2^n). The wait is an asyncio sleep in
``process_request``, so other requests go on meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from email.utils import parsedate_to_datetime
from typing import Any

from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from newsarchive.archive.store import utcnow
from newsarchive.archive.warc import DEFAULT_MAX_BYTES, WarcWriter, warc_dir_for

DELAY_KEY = "newsarchive_retry_delay"


def retry_after_seconds(value: bytes | str | None, now: dt.datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds, or ``None``."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry with a wait: ``Retry-After`` when given, exponential otherwise."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.max_delay = settings.getfloat("RETRY_MAX_DELAY", 120.0)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            result.meta[DELAY_KEY] = self._delay(request, asked)
        return result

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            result.meta[DELAY_KEY] = self._delay(request, None)
        return result

    def _delay(self, request: Request, asked: float | None) -> float:
        if asked is not None:
            return min(asked, self.max_delay)
        retries = request.meta.get("retry_times", 0)
        return min(self.base_delay * (2 ** retries), self.max_delay)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = request.meta.pop(DELAY_KEY, 0)
        if delay:
            await asyncio.sleep(delay)
        return None


class WarcCaptureMiddleware:
    """Write every response received (articles, feeds, sitemaps, robots.txt,
    errors) to WARC, as it came off the wire: before decompression.

    Sits on the downloader side of the compression middleware. The record's
    file and offset go into ``request.meta["warc"]``, from where the page's
    row in the archive points at it. Settings: ``NEWSARCHIVE_WARC`` (on/off),
    ``NEWSARCHIVE_WARC_DIR`` (default: ``warc/`` beside the archive),
    ``NEWSARCHIVE_WARC_MAX_BYTES`` (rotation size).
    """

    def __init__(self, writer: WarcWriter) -> None:
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSARCHIVE_WARC", True):
            raise NotConfigured
        directory = settings.get("NEWSARCHIVE_WARC_DIR") or warc_dir_for(settings.get("NEWSARCHIVE_DB"))
        writer = WarcWriter(Path(directory), max_bytes=settings.getint("NEWSARCHIVE_WARC_MAX_BYTES", DEFAULT_MAX_BYTES))
        middleware = cls(writer)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        kind = request.meta.get("newsarchive_kind") or ("robots" if request.url.endswith("/robots.txt") else None)
        source = request.cb_kwargs.get("source") if request.cb_kwargs else None
        fetched_at = utcnow()
        request.meta["fetched_at"] = fetched_at  # the page's fetched_at is the record's WARC-Date
        request.meta["warc"] = self.writer.write(
            response.url, response.status, _reason(response.status), _headers(response.headers),
            response.body, request_headers=_headers(request.headers), method=request.method,
            source=source, kind=kind, date=fetched_at,
        )
        return response

    def spider_closed(self, spider: Any = None) -> None:
        self.writer.close()


def _headers(headers: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
