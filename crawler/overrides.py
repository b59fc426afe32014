"""``--set NAME=VALUE``: Scrapy settings overridden for one crawl, checked
before the crawl starts.

Scrapy reads a setting's value only when it needs it, deep inside the crawl:
``DOWNLOAD_TIMEOUT=abc`` became a traceback in the crawl process, which then
ended having fetched nothing, and ``CONCURRENT_REQUESTS_PER_DOMAIN=0`` made a
crawl that never ended. :func:`parse_overrides` checks each value against the
kind of the setting's default (a whole number, a number, true/false, a JSON
object, ...) and its bounds, and refuses the settings that the command line
sets itself, with one line naming the setting.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
from collections.abc import Iterable
from typing import Any

from newsarchive.archive.errors import ArchiveError
from newsarchive.archive.recheck import Schedule

NAME = re.compile(r"[A-Z][A-Z0-9_]*")
#: settings the command line owns, with what to use instead
PROTECTED = {
    "NEWSARCHIVE_DB": "give the archive with --db",
    "NEWSARCHIVE_ALLOW_PRIVATE": "use --allow-private",
    "TWISTED_DNS_RESOLVER": "it is the private-address guard",
    "DNS_RESOLVER": "it is the private-address guard",
    "DOWNLOAD_HANDLERS": "the crawler fetches http(s) only, through the private-address guard",
    "DOWNLOAD_HANDLERS_BASE": "the crawler fetches http(s) only, through the private-address guard",
    "TWISTED_REACTOR": "the crawler needs its reactor",
}
#: (smallest allowed, whether the smallest itself is allowed) of numeric settings
BOUNDS = {
    "CONCURRENT_REQUESTS": (1, True), "CONCURRENT_REQUESTS_PER_DOMAIN": (1, True),
    "CONCURRENT_REQUESTS_PER_IP": (0, True), "CONCURRENT_ITEMS": (1, True),
    "DOWNLOAD_TIMEOUT": (0, False), "DNS_TIMEOUT": (0, False), "DOWNLOAD_DELAY": (0, True),
    "DOWNLOAD_MAXSIZE": (1, True),  # 0 is "no limit" to Scrapy "DOWNLOAD_WARNSIZE": (0, True), "RETRY_TIMES": (0, True),
    "REDIRECT_MAX_TIMES": (0, True), "DEPTH_LIMIT": (0, True), "RETRY_BACKOFF_BASE": (0, True),
    "RETRY_MAX_DELAY": (0, True), "NEWSARCHIVE_WARC_MAX_BYTES": (1, True),
    "AUTOTHROTTLE_START_DELAY": (0, True), "AUTOTHROTTLE_MAX_DELAY": (0, True),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": (0, False), "CLOSESPIDER_TIMEOUT": (0, True),
    "CLOSESPIDER_ITEMCOUNT": (0, True), "CLOSESPIDER_PAGECOUNT": (0, True),
    "CLOSESPIDER_ERRORCOUNT": (0, True), "REACTOR_THREADPOOL_MAXSIZE": (1, True),
}
#: the largest value of settings where a careless number makes a crawl run for ever or
#: hammer a site: a million retries of a failing page, ten thousand requests at once to one host
MAXIMA = {
    "RETRY_TIMES": 20, "REDIRECT_MAX_TIMES": 100, "CONCURRENT_REQUESTS": 1000,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 64, "CONCURRENT_REQUESTS_PER_IP": 64, "DOWNLOAD_TIMEOUT": 3600,
    "DNS_TIMEOUT": 600, "RETRY_MAX_DELAY": 3600, "DOWNLOAD_DELAY": 3600, "AUTOTHROTTLE_MAX_DELAY": 3600,
    "DOWNLOAD_MAXSIZE": 1024 ** 3, "REACTOR_THREADPOOL_MAXSIZE": 256,
}
#: settings with a whole-number default that Scrapy reads as a number with decimals
DECIMAL_OK = {"DOWNLOAD_TIMEOUT", "DNS_TIMEOUT", "DOWNLOAD_DELAY", "CLOSESPIDER_TIMEOUT",
              "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY",
              "RETRY_BACKOFF_BASE", "RETRY_MAX_DELAY"}
BOOLEANS = {"true", "false", "1", "0"}


class SettingsError(ArchiveError):
    """A ``--set`` value that would break the crawl; the message names it."""


def parse_overrides(items: Iterable[str]) -> dict[str, str]:
    """``["NAME=VALUE", ...]`` checked, as a mapping.

    :raises SettingsError: for the first bad item, in one line
    """
    overrides: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        shown = item if len(item) <= 80 else item[:77] + "..."
        if not sep:
            raise SettingsError(f"--set {shown!r}: expected NAME=VALUE (like DOWNLOAD_DELAY=2)")
        if not NAME.fullmatch(name):
            raise SettingsError(f"--set {shown!r}: {name!r} is not a setting name (upper case, like DOWNLOAD_DELAY)")
        if name in PROTECTED:
            raise SettingsError(f"--set {name}: not settable here: {PROTECTED[name]}")
        problem = check_value(name, value)
        if problem:
            raise SettingsError(f"--set {shown!r}: {problem}")
        overrides[name] = value
    return overrides


def _default(name: str) -> Any:
    from scrapy.settings import default_settings

    from newsarchive.crawler import settings as ours

    return getattr(ours, name, getattr(default_settings, name, None))


def check_value(name: str, value: str) -> str | None:
    """What is wrong with ``value`` for the setting ``name``, or ``None``."""
    special = {"NEWSARCHIVE_RECHECK": Schedule.parse, "NEWSARCHIVE_RESOLVE": parse_resolve,
               "NEWSARCHIVE_PRIVATE_NETWORKS": parse_networks, "LOG_LEVEL": _log_level,
               "RETRY_HTTP_CODES": _status_codes}
    if name in special:
        try:
            special[name](value)
        except ValueError as exc:
            return str(exc)
        return None
    default = _default(name)
    if isinstance(default, bool):
        if value.lower() not in BOOLEANS:
            return "expected true or false"
        return None
    if isinstance(default, (int, float)):
        try:
            number = float(value) if isinstance(default, float) or name in DECIMAL_OK else int(value)
        except ValueError:
            kind = "a number" if isinstance(default, float) or name in DECIMAL_OK else "a whole number"
            return f"expected {kind}"
        if not math.isfinite(number):
            return "expected a finite number"
        least, inclusive = BOUNDS.get(name, (None, True))
        if least is not None and (number < least or (number == least and not inclusive)):
            return f"must be {'at least' if inclusive else 'more than'} {least}"
        most = MAXIMA.get(name)
        if most is not None and number > most:
            return f"must be at most {most}"
        return None
    if isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            return "expected a JSON object"
        if not isinstance(parsed, dict):
            return "expected a JSON object"
    return None


def _log_level(value: str) -> None:
    if not isinstance(logging.getLevelName(value.upper()), int):
        raise ValueError("expected a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL)")


def _status_codes(value: str) -> None:
    codes = [v for v in value.replace("[", "").replace("]", "").split(",") if v.strip()]
    if not codes or not all(c.strip().isdigit() and 100 <= int(c) <= 599 for c in codes):
        raise ValueError("expected HTTP status codes separated by commas (like 500,503)")


def parse_resolve(text: str) -> dict[str, list[str]]:
    """``host=address,host=address`` (``NEWSARCHIVE_RESOLVE``) as ``{host: [addresses]}``."""
    from newsarchive.archive.urls import host_key

    fixed: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        host, sep, address = part.partition("=")
        try:
            ipaddress.ip_address(address.strip())
        except ValueError:
            raise ValueError(f"expected host=address pairs (like news.example=192.0.2.10), got {part!r}") from None
        if not sep or not host.strip():
            raise ValueError(f"expected host=address pairs, got {part!r}")
        fixed.setdefault(host_key(host), []).append(address.strip())
    return fixed


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``10.1.0.0/16,127.0.0.3/32`` (``NEWSARCHIVE_PRIVATE_NETWORKS``) as networks."""
    networks = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"expected networks like 10.1.0.0/16, got {part!r}") from None
    return networks
