"""Canonical URLs: one identity per article however it was linked.

A URL's identity drops what does not change the page: tracking parameters
(``utm_*``, ``fbclid``, ``gclid`` …, in any case), the fragment, a default
port, the case of scheme and host; a non-ASCII host is written in IDNA
(punycode), as it goes on the wire. What remains is the key under which an article is archived.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsarchive.nlp.extraction.sites import same_site

if TYPE_CHECKING:
    from newsarchive.archive.sources import Source

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ito", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign",
        "share", "smid", "ref_src", "CMP",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


_TRACKING_LOWER = frozenset(name.lower() for name in TRACKING_PARAMS)


def _is_tracking(name: str) -> bool:
    """A tracking parameter, in any case (``fbclid``, ``FBCLID``, ``Utm_Source``)."""
    lowered = name.lower()
    return lowered in _TRACKING_LOWER or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of ``url``.

    :param url: an absolute http(s) URL
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = host_ascii((parts.hostname or "").rstrip("."))
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


__all__ = ["article_identity", "canonical_url", "host_ascii", "host_key", "ip_literal", "is_private_host",
           "is_public_address", "same_site"]  # same_site: one answer, the extractor's


#: the last path segments that name another form of the same page (its canonical is one up)
ALTERNATE_FORMS = frozenset({"amp", "print", "mobile"})


def host_ascii(host: str) -> str:
    """A host name as it goes on the wire: lower case, IDNA (punycode) for
    non-ASCII names (``bücher.example`` → ``xn--bcher-kva.example``)."""
    host = host.strip().lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def host_key(host: str) -> str:
    """A host name compared as a name: :func:`host_ascii`, without the trailing dot."""
    return host_ascii(host).rstrip(".")


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as a number stands for, in every spelling the
    system's resolver accepts (``127.1``, ``0``, ``2130706433``, ``0x7f.1``,
    ``017700000001``, ``[::1]``), or ``None`` for a name."""
    text = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    if text and re.fullmatch(r"[0-9a-fA-FxX.]+", text) and text[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet (not loopback, private,
    link-local, multicast, reserved or unspecified; an IPv4-mapped IPv6
    address counts as its IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            address = mapped
    return address.is_global and not address.is_multicast


def is_private_host(host: str) -> bool:
    """Whether a URL's host, as written, names this machine or a private
    network: ``localhost`` (with or without its trailing dot, and its
    subdomains) or an address that is not public, however it is spelled."""
    name = host_key(host)
    if not name or name == "localhost" or name.endswith(".localhost"):
        return True
    address = ip_literal(name)
    return address is not None and not is_public_address(address)


def article_identity(fetched: str, declared: str | None, source: Source | None = None) -> str:
    """The URL an article is archived under: the canonical URL the page
    declares (``<link rel=canonical>``, ``og:url``), when it names this page.

    A declared URL on another site, or one that names another kind of page
    is not trusted: the home page (``href="/"``), the source's homepage,
    sections, feeds or sitemaps, a URL that the source's ``article_pattern``
    refuses while the page's own URL matches it, or a folder above the page
    (``/news/`` for ``/news/2024/story.html``, save ``/story/amp/``). Two
    different articles declaring such a URL would otherwise become one
    article, the second recorded as a revision of the first.
    """
    page = canonical_url(fetched)
    if not declared:
        return page
    try:
        claimed = canonical_url(declared)
    except ValueError:
        return page
    if claimed == page:
        return page
    if not urlsplit(claimed).scheme.startswith("http") or not same_site(claimed, page):
        return page
    claimed_path, page_path = urlsplit(claimed).path or "/", urlsplit(page).path or "/"
    if claimed_path == "/":
        return page
    if source is not None:
        listings = set()
        for url in (source.homepage, *source.sections, *source.feeds, *source.sitemaps):
            try:
                listings.add(canonical_url(url))
            except ValueError:
                continue
        if claimed in listings:
            return page
        if source.article_pattern and source.is_article_url(page) and not source.is_article_url(claimed):
            return page
    if claimed_path.endswith("/") and page_path.startswith(claimed_path):
        rest = page_path[len(claimed_path):].strip("/")
        if rest not in ALTERNATE_FORMS:
            return page
    return claimed
