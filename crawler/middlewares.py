"""Downloader middlewares: polite retries.

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

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response

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
