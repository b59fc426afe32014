"""Which URLs belong to one site: the one answer the extractor and the archive both use."""

from __future__ import annotations

from urllib.parse import urlsplit


def site_host(url: str) -> str:
    """The host of ``url`` as sites are compared: lower case, no trailing dot, no ``www.``."""
    return (urlsplit(url).hostname or "").lower().rstrip(".").removeprefix("www.")


def same_site(first: str, second: str) -> bool:
    """True when two URLs share a (non-empty) host, ignoring a leading ``www.``.

    :param first: a URL
    :param second: another URL
    """
    host = site_host(first)
    return bool(host) and host == site_host(second)
