"""The private-address guard, where the connection is made.

Checking how a URL is spelled is not enough: ``127.1``, ``0``, ``2130706433``,
``0x7f.1`` and ``localhost.`` all reach this machine, and any public name can
resolve to a private address, or a public site redirect to one. So every
name the crawler connects to, redirects and robots.txt included, is resolved
here, and only public addresses are handed to the connection: a name that
resolves to loopback, private, link-local (``169.254.169.254``, the cloud
metadata service), multicast or reserved addresses only is refused before any
connection is attempted. The connection uses exactly the addresses checked,
so a name cannot resolve to one address for the check and another for the
connection.

Settings (Scrapy settings of the crawl):

- ``NEWSARCHIVE_ALLOW_PRIVATE``: accept every address (``--allow-private``:
  the demo and the tests serve their sites on 127.0.0.1).
- ``NEWSARCHIVE_PRIVATE_NETWORKS``: private networks accepted all the same,
  ``10.1.0.0/16,127.0.0.3/32`` (an intranet site).
- ``NEWSARCHIVE_RESOLVE``: fixed addresses for names, ``host=address,...``
  (as curl's ``--resolve``); the guard checks them like any other.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer, provider

from newsarchive.archive.urls import host_key, ip_literal, is_private_host, is_public_address
from newsarchive.crawler.overrides import parse_networks, parse_resolve

#: name -> why the guard refused it, for the crawl's error message (one crawl per process)
REFUSED: dict[str, str] = {}
MAX_CACHED = 10_000


def refusal(host: str | None) -> str | None:
    """Why the guard refused ``host``, if it did."""
    return REFUSED.get(host_key(host or ""))


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IHostnameResolver)
class GuardedResolver:
    """An :class:`IHostnameResolver` that passes on public addresses only.

    :param reactor: the reactor whose own resolver (``getaddrinfo`` in a thread) does the lookups
    :param allow_private: pass every address on
    :param networks: private networks passed on all the same
    :param fixed: ``name -> addresses`` answered without a lookup
    """

    def __init__(self, reactor: Any, allow_private: bool = False, networks: Sequence[Any] = (),
                 fixed: dict[str, list[str]] | None = None, cache: bool = True) -> None:
        self.reactor = reactor
        self.lookup = reactor.nameResolver
        self.allow_private = allow_private
        self.networks = list(networks)
        self.fixed = {host_key(k): v for k, v in (fixed or {}).items()}
        self.cache: dict[str, list[Any]] | None = {} if cache else None

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        return cls(reactor, settings.getbool("NEWSARCHIVE_ALLOW_PRIVATE"),
                   parse_networks(settings.get("NEWSARCHIVE_PRIVATE_NETWORKS") or ""),
                   parse_resolve(settings.get("NEWSARCHIVE_RESOLVE") or ""),
                   settings.getbool("DNSCACHE_ENABLED", True))

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def permitted(self, address: str) -> bool:
        """Whether a connection to ``address`` is allowed."""
        if self.allow_private:
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return is_public_address(ip) or any(ip in network for network in self.networks)

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str,  # noqa: N802, N803
                        portNumber: int = 0, addressTypes: Sequence[type] | None = None,  # noqa: N803
                        transportSemantics: str = "TCP") -> IHostResolution:  # noqa: N803
        key = host_key(hostName)
        if not self.allow_private and is_private_host(key) and ip_literal(key) is None:
            return self._refuse(resolutionReceiver, key, hostName, "names this machine")  # localhost.
        known = self.fixed.get(key)
        if known is None and self.cache is not None:
            known = self.cache.get(key)
        if known is not None:
            resolution = _Resolution(hostName)
            resolutionReceiver.resolutionBegan(resolution)
            self._deliver(resolutionReceiver, key, hostName, known, portNumber)
            return resolution
        guard = self

        @provider(IResolutionReceiver)
        class Collect:
            found: list[str] = []

            @staticmethod
            def resolutionBegan(resolution: IHostResolution) -> None:  # noqa: N802
                resolutionReceiver.resolutionBegan(resolution)

            @staticmethod
            def addressResolved(address: Any) -> None:  # noqa: N802
                Collect.found.append(address.host)

            @staticmethod
            def resolutionComplete() -> None:  # noqa: N802
                if guard.cache is not None and Collect.found and len(guard.cache) < MAX_CACHED:
                    guard.cache[key] = list(Collect.found)
                guard._deliver(resolutionReceiver, key, hostName, Collect.found, portNumber)

        Collect.found = []
        return self.lookup.resolveHostName(Collect, hostName, portNumber, addressTypes, transportSemantics)

    def _refuse(self, receiver: IResolutionReceiver, key: str, name: str, why: str) -> IHostResolution:
        REFUSED[key] = f"refused: {name} {why} (--allow-private to crawl it)"
        resolution = _Resolution(name)
        receiver.resolutionBegan(resolution)
        receiver.resolutionComplete()
        return resolution

    def _deliver(self, receiver: IResolutionReceiver, key: str, name: str, addresses: list[str],
                 port: int) -> None:
        allowed = [a for a in dict.fromkeys(addresses) if self.permitted(a)]
        if addresses and not allowed:
            REFUSED[key] = (f"refused: {name} resolves to {', '.join(dict.fromkeys(addresses))}, "
                            "a loopback, private or reserved address (--allow-private to crawl it)")
        for address in allowed:
            kind = IPv6Address if ":" in address else IPv4Address
            receiver.addressResolved(kind("TCP", address, port))
        receiver.resolutionComplete()
