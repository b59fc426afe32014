"""The sources to crawl, read from ``sources.yml`` and checked on load.

A mistake in the file stops everything with a message naming the file, the
source and the field, before any request is made::

    data/sources.yml: source 'Daily Ledger': field 'homepage': not an http(s) URL: 'ftp://x'

The file is a mapping with one key, ``sources``, holding a list of sources.
Feed and sitemap entries may be absolute URLs or paths relative to the
homepage. ``allowed_domains`` defaults to the homepage's host.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

REQUIRED = ("name", "homepage")
OPTIONAL = (
    "feeds", "sitemaps", "sections", "allowed_domains", "article_pattern", "country",
    "language", "follow_allow", "follow_deny", "max_depth", "max_pages", "sitemap_horizon_days",
)
LIST_FIELDS = ("feeds", "sitemaps", "sections", "allowed_domains", "follow_allow", "follow_deny")
#: (field, default, smallest allowed) of the integer fields
INT_FIELDS = (("max_depth", 1, 0), ("max_pages", 2000, 1), ("sitemap_horizon_days", None, 1))


class SourcesError(ValueError):
    """``sources.yml`` is malformed; the message names file, source and field."""


@dataclass(frozen=True)
class Source:
    """One news outlet to crawl."""

    name: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: str | None = None
    country: str | None = None
    language: str | None = None
    follow_allow: tuple[str, ...] = ()
    follow_deny: tuple[str, ...] = ()
    max_depth: int = 1
    max_pages: int = 2000
    sitemap_horizon_days: int | None = None
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def is_article_url(self, url: str) -> bool:
        """Whether ``url`` looks like one of this source's article pages."""
        if self._pattern is None:
            return True
        return bool(self._pattern.search(urlsplit(url).path))

    def to_row(self) -> dict[str, Any]:
        """The source as a row of the ``sources`` table."""
        return {
            "name": self.name,
            "homepage": self.homepage,
            "country": self.country,
            "language": self.language,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "sections": list(self.sections),
            "allowed_domains": list(self.allowed_domains),
            "article_pattern": self.article_pattern,
        }


def load_sources(path: str | Path, *, allow_private: bool = False) -> list[Source]:
    """Read and validate a sources file.

    :param path: the YAML file
    :param allow_private: accept loopback and private-network hosts (the demo
        and the tests serve their sites on 127.0.0.1; real sources never should)
    :raises SourcesError: on any problem, naming file, source and field
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from None
    entries = _source_entries(path, data)
    sources = [_parse_source(path, i, entry, allow_private) for i, entry in enumerate(entries)]
    _check_unique_names(path, sources)
    return sources


def _source_entries(path: Path, data: Any) -> list[Any]:
    if not isinstance(data, dict) or set(data) != {"sources"}:
        raise SourcesError(f"{path}: expected a mapping with the single key 'sources'")
    entries = data["sources"]
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: 'sources' must be a non-empty list")
    return entries


def _parse_source(path: Path, index: int, entry: Any, allow_private: bool) -> Source:
    label = f"source #{index + 1}"
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        label = f"source {entry['name']!r}"

    def fail(fieldname: str, problem: str) -> SourcesError:
        return SourcesError(f"{path}: {label}: field {fieldname!r}: {problem}")

    if not isinstance(entry, dict):
        raise SourcesError(f"{path}: {label}: expected a mapping of fields")
    for key in entry:
        if key not in REQUIRED + OPTIONAL:
            raise fail(key, "unknown field (known: " + ", ".join(REQUIRED + OPTIONAL) + ")")
    for key in REQUIRED:
        if not entry.get(key) or not isinstance(entry[key], str):
            raise fail(key, "missing (a non-empty string is required)")
    homepage = _check_url(entry["homepage"], "homepage", fail, allow_private)
    lists = {key: _string_list(entry.get(key), key, fail) for key in LIST_FIELDS}
    urls = {
        key: tuple(_check_url(urljoin(homepage, u), key, fail, allow_private) for u in lists[key])
        for key in ("feeds", "sitemaps", "sections")
    }
    allowed = tuple(d.lower() for d in lists["allowed_domains"]) or (urlsplit(homepage).hostname or "",)
    pattern = _check_pattern(entry.get("article_pattern"), "article_pattern", fail)
    for key in ("follow_allow", "follow_deny"):
        for rule in lists[key]:
            _check_pattern(rule, key, fail)
    return Source(
        name=entry["name"],
        homepage=homepage,
        **urls,
        allowed_domains=allowed,
        article_pattern=entry.get("article_pattern"),
        follow_allow=tuple(lists["follow_allow"]),
        follow_deny=tuple(lists["follow_deny"]),
        **{key: _check_int(entry.get(key, default), key, least, fail) for key, default, least in INT_FIELDS},
        country=_check_code(entry.get("country"), "country", 2, fail, upper=True),
        language=_check_code(entry.get("language"), "language", 2, fail, upper=False),
        _pattern=pattern,
    )


def _string_list(value: Any, key: str, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(key, "must be a list of strings")
    return value


def _check_url(url: str, key: str, fail, allow_private: bool) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(key, f"not an http(s) URL: {url!r}")
    try:
        parts.port
    except ValueError:
        raise fail(key, f"bad port in URL: {url!r}") from None
    if not allow_private and _is_private_host(parts.hostname):
        raise fail(key, f"points at a loopback or private address: {url!r}")
    return url


def _is_private_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _check_pattern(pattern: Any, key: str, fail) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str):
        raise fail(key, "must be a regular expression string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise fail(key, f"not a valid regular expression: {exc}") from None


def _check_int(value: Any, key: str, least: int, fail) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise fail(key, f"expected a whole number of at least {least}, got {value!r}")
    return value


def _check_code(value: Any, key: str, length: int, fail, *, upper: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != length or not value.isalpha():
        raise fail(key, f"expected a {length}-letter code, got {value!r}")
    return value.upper() if upper else value.lower()


def _check_unique_names(path: Path, sources: list[Source]) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{path}: source {source.name!r}: field 'name': used twice")
        seen.add(source.name)
