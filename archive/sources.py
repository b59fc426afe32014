"""The sources to crawl, read from ``sources.yml`` and checked on load.

A mistake in the file stops everything with a message naming the file, the
source and the field, before any request is made::

    data/sources.yml: source 'Daily Ledger': field 'homepage': not an http(s) URL: 'ftp://x'

The file is a mapping with one key, ``sources``, holding a list of sources.
Feed and sitemap entries may be absolute URLs or paths relative to the
homepage. ``allowed_domains`` defaults to the homepage's host.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import regex
import yaml

from newsarchive.archive.errors import ArchiveError
from newsarchive.archive.urls import host_ascii, host_key, ip_literal, is_private_host

logger = logging.getLogger(__name__)

#: seconds one URL path may take against one of a source's patterns: a pattern that
#: backtracks without end (``(a+)+$``) must not stall the crawl; such a URL counts as no match
PATTERN_SECONDS = 0.05


class UrlPattern:
    """A regular expression of ``sources.yml`` (``article_pattern``, ``follow_allow``,
    ``follow_deny``), Python's syntax, searched with a time limit (the ``regex`` module's)."""

    def __init__(self, text: str) -> None:
        re.compile(text)  # Python's syntax and its errors, as the file's users know them
        self.text = text
        self._compiled = regex.compile(text, flags=regex.VERSION0)

    def search(self, path: str) -> bool:
        """Whether the pattern is found in ``path``; False when it runs out of time."""
        try:
            return self._compiled.search(path, timeout=PATTERN_SECONDS) is not None
        except TimeoutError:
            logger.warning("pattern %r took more than %s s on %r: counted as no match",
                           self.text, PATTERN_SECONDS, path[:200])
            return False


REQUIRED = ("name", "homepage")
OPTIONAL = (
    "feeds", "sitemaps", "sections", "allowed_domains", "article_pattern", "country",
    "language", "follow_allow", "follow_deny", "max_depth", "max_pages", "sitemap_horizon_days",
)
LIST_FIELDS = ("feeds", "sitemaps", "sections", "allowed_domains", "follow_allow", "follow_deny")
#: (field, default, smallest allowed) of the integer fields
INT_FIELDS = (("max_depth", 1, 0), ("max_pages", 2000, 1), ("sitemap_horizon_days", None, 1))
#: the largest value of each integer field (a century of sitemap entries; a crawl of a million pages)
INT_MAXIMA = {"max_depth": 1000, "max_pages": 1_000_000, "sitemap_horizon_days": 36_500}
#: a source's name goes into logs and every WARC record's NewsArchive-Source header
MAX_NAME_CHARS = 200


#: the largest sources file read (a thousand sources take some 200 KB)
MAX_FILE_BYTES = 1024 * 1024


class SourcesError(ArchiveError, ValueError):
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
    _pattern: UrlPattern | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._pattern is None and self.article_pattern is not None:  # a Source made in code
            object.__setattr__(self, "_pattern", UrlPattern(self.article_pattern))

    def is_article_url(self, url: str) -> bool:
        """Whether ``url`` looks like one of this source's article pages."""
        if self._pattern is None:
            return True
        return self._pattern.search(urlsplit(url).path)

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
    data = _read_yaml(path)
    entries = _source_entries(path, data)
    sources = [_parse_source(path, i, entry, allow_private) for i, entry in enumerate(entries)]
    _check_unique_names(path, sources)
    return sources


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: ``*name`` can make a few hundred
    bytes stand for billions of items (an "alias bomb"), and a sources file
    has no need of them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a sources file",
                                              event.start_mark)
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> Any:
    """The file's YAML, read safely: at most :data:`MAX_FILE_BYTES`, UTF-8 text,
    no aliases, no deep nesting."""
    if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO would block, a device never end
        raise SourcesError(f"{path}: not a regular file (a pipe or a device?)")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SourcesError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourcesError(f"{path}: a folder, not a sources file") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SourcesError(f"{path}: too big for a sources file (over {MAX_FILE_BYTES // 1024} KB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text (a binary file?): byte {exc.start} cannot be read") from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a safe loader, aliases refused)
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise SourcesError(f"{path}: not valid YAML: {problem[:300]}") from None
    except RecursionError:
        raise SourcesError(f"{path}: nested too deeply to be a sources file") from None


def _short(value: Any, limit: int = 120) -> str:
    """``repr``-like text for an error message, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


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
        label = f"source {_short(entry['name'])}"

    def fail(fieldname: str, problem: str) -> SourcesError:
        return SourcesError(f"{path}: {label}: field {_short(fieldname)}: {problem}")

    if not isinstance(entry, dict):
        raise SourcesError(f"{path}: {label}: expected a mapping of fields")
    for key in entry:
        if key not in REQUIRED + OPTIONAL:
            raise fail(key, "unknown field (known: " + ", ".join(REQUIRED + OPTIONAL) + ")")
    for key in REQUIRED:
        if not entry.get(key) or not isinstance(entry[key], str):
            raise fail(key, "missing (a non-empty string is required)")
    if len(entry["name"]) > MAX_NAME_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in entry["name"]):
        raise fail("name", f"at most {MAX_NAME_CHARS} characters and no line breaks or control characters")
    homepage = _check_url(entry["homepage"], "homepage", fail, allow_private)
    lists = {key: _string_list(entry.get(key), key, fail) for key in LIST_FIELDS}
    urls = {
        key: tuple(_check_url(_joined(homepage, u, key, fail), key, fail, allow_private) for u in lists[key])
        for key in ("feeds", "sitemaps", "sections")
    }
    allowed = (_check_domains(lists["allowed_domains"], fail, allow_private)
               or (host_key(urlsplit(homepage).hostname or ""),))
    for key in ("feeds", "sitemaps", "sections"):  # the crawler's offsite filter would drop them unsaid
        for url in urls[key]:
            host = host_key(urlsplit(url).hostname or "")
            if not any(host == d or host.endswith("." + d) for d in allowed):
                raise fail(key, f"{_short(url)} is not on allowed_domains ({', '.join(allowed)}): it would never "
                                "be fetched; add its host to allowed_domains")
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


def _joined(homepage: str, url: str, key: str, fail) -> str:
    try:
        return urljoin(homepage, url)
    except ValueError as exc:
        raise fail(key, f"not a valid URL ({exc}): {_short(url)}") from None


def _string_list(value: Any, key: str, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(key, "must be a list of strings")
    return value


def _check_url(url: str, key: str, fail, allow_private: bool) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise fail(key, f"not a valid URL ({exc}): {_short(url)}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise fail(key, f"not an http(s) URL: {_short(url)}")
    try:
        parts.port
    except ValueError:
        raise fail(key, f"bad port in URL: {_short(url)}") from None
    ascii_host = host_ascii(host)
    if not ascii_host.isascii() or (not _is_host_name(ascii_host) and ip_literal(host) is None):
        raise fail(key, f"not a valid host name in URL: {_short(url)}")
    if not allow_private and is_private_host(host):
        raise fail(key, f"points at a loopback or private address: {_short(url)}")
    return url


def _is_host_name(host: str) -> bool:
    """A host name as DNS has them: labels of letters, digits and hyphens (IDNA
    already applied), at most 63 characters each."""
    labels = host.rstrip(".").split(".")
    return bool(host) and len(host) <= 253 and all(
        re.fullmatch(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?", label) for label in labels)


def _check_domains(domains: list[str], fail, allow_private: bool) -> tuple[str, ...]:
    """``allowed_domains``: host names (IDNA, lower case), never URLs, never private."""
    checked = []
    for domain in domains:
        host = host_ascii(domain.strip().rstrip("."))
        if not _is_host_name(host) and ip_literal(host) is None:
            raise fail("allowed_domains", f"expected host names like news.example, got {_short(domain)}")
        if not allow_private and is_private_host(host):
            raise fail("allowed_domains", f"a loopback or private address: {_short(domain)}")
        if not allow_private and ip_literal(host) is None and "." not in host:
            raise fail("allowed_domains", f"a whole top-level domain: {_short(domain)}")
        checked.append(host)
    return tuple(checked)


def _check_pattern(pattern: Any, key: str, fail) -> UrlPattern | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str):
        raise fail(key, "must be a regular expression string")
    try:
        return UrlPattern(pattern)
    except (re.error, regex.error) as exc:
        raise fail(key, f"not a valid regular expression: {exc}") from None


def _check_int(value: Any, key: str, least: int, fail) -> int | None:
    if value is None:
        return None
    most = INT_MAXIMA.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least or (most and value > most):
        bound = f"at least {least}" + (f" and at most {most}" if most else "")
        raise fail(key, f"expected a whole number of {bound}, got {_short(value)}")
    return value


def _check_code(value: Any, key: str, length: int, fail, *, upper: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != length or not value.isalpha():
        raise fail(key, f"expected a {length}-letter code, got {_short(value)}")
    return value.upper() if upper else value.lower()


def _check_unique_names(path: Path, sources: list[Source]) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{path}: source {_short(source.name)}: field 'name': used twice")
        seen.add(source.name)
