"""The private-address guard at the connection, and IDN sources (issue 21).

Every request of these tests stays on 127.0.0.0/8. The crawled "public" site
listens on 127.0.0.3, which the crawl is told to accept
(``NEWSARCHIVE_PRIVATE_NETWORKS=127.0.0.3/32``); names are given fixed
addresses with ``NEWSARCHIVE_RESOLVE`` (no DNS is asked). ``evil.test``
resolves to 127.0.0.1, where a canary server on the same port records any
request that got through. The crawl runs without ``--allow-private``.
"""

from __future__ import annotations

import socket
import sqlite3

import pytest
from click.testing import CliRunner

from newsarchive.app.cli import cli
from newsarchive.archive.sources import SourcesError, load_sources

from hostile import FAST, HostileSite, article_html, page, redirect, rss, write_sources

TEXT = ["Officials in the port city confirmed on Friday that the water supply failed for six hours after a pump broke.",
        "Engineers restored pressure by the evening, and the utility promised a full report on the cause next week."]


#: the proxy servers of the fixtures, by fixture
PROXIES: dict[str, HostileSite] = {}


def story(title: str):
    return page(article_html(title, TEXT))


def sites_on_one_port():
    """The site on 127.0.0.3 and a canary on 127.0.0.1, on the same port."""
    for _ in range(20):
        site = HostileSite({}, host="127.0.0.3")
        try:
            canary = HostileSite({"/*": story("Should never be fetched")}, host="127.0.0.1", port=site.port)
        except OSError:
            site.server.shutdown()
            continue
        return site, canary
    pytest.skip("no port free on both 127.0.0.3 and 127.0.0.1")


@pytest.fixture(scope="module")
def guarded_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ssrf")
    site, canary = sites_on_one_port()
    port = site.port
    news, evil, idn = f"http://news.test:{port}", f"http://evil.test:{port}", f"http://xn--bcher-kva.test:{port}"
    site.routes.update({
        "/robots.txt": page("User-agent: *\nAllow: /\n", "text/plain"),
        "/feed.xml": page(rss([f"{news}/news/ok.html", f"{evil}/news/direct.html", f"{news}/news/hop.html",
                               f"{news}/news/hop-to-literal.html"]), "application/rss+xml"),
        "/news/ok.html": story("A public story"),
        "/news/hop.html": redirect(f"{evil}/news/redirected.html"),
        "/news/hop-to-literal.html": redirect(f"http://2130706433:{port}/news/literal.html"),
        "/idn/feed.xml": page(rss([f"{idn}/news/buch.html"]), "application/rss+xml"),
        "/news/buch.html": story("Eine Geschichte aus dem Buchladen"),
    })
    sources = write_sources(workdir / "sources.yml", [
        {"name": "News", "homepage": f"{news}/", "feeds": ["/feed.xml"], "article_pattern": "^/news/",
         "allowed_domains": ["news.test", "evil.test"]},
        {"name": "Bücher", "homepage": f"http://bücher.test:{port}/", "feeds": ["/idn/feed.xml"],
         "article_pattern": "^/news/"},
    ])
    db = workdir / "archive.db"
    args = ["crawl", "--no-process", "--sources", str(sources), "--db", str(db),
            "--set", "NEWSARCHIVE_RESOLVE=news.test=127.0.0.3,evil.test=127.0.0.1,bücher.test=127.0.0.3",
            "--set", "NEWSARCHIVE_PRIVATE_NETWORKS=127.0.0.3/32"]
    for setting in FAST:
        args += ["--set", setting]
    # a proxy in the environment would resolve the names itself, out of the guard's sight:
    # the crawl must not use it (this one records what reaches it)
    proxy = HostileSite({"/*": story("Should never be fetched")}, host="127.0.0.1")
    result = CliRunner().invoke(cli, args, env={"http_proxy": proxy.base, "https_proxy": proxy.base,
                                                "HTTP_PROXY": proxy.base, "no_proxy": ""})
    PROXIES["guarded"] = proxy
    yield db, site, canary, result
    site.server.shutdown()
    canary.server.shutdown()
    proxy.server.shutdown()


def test_nothing_reaches_a_private_address_directly_by_redirect_or_by_literal(guarded_crawl):
    db, site, canary, result = guarded_crawl
    assert result.exit_code == 0, result.output
    assert canary.requests == []
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("select url from articles")]
        messages = "\n".join(r[0] or "" for r in conn.execute("select error_messages from crawls"))
    assert any(u.endswith("/news/ok.html") for u in urls)
    assert not any("direct" in u or "redirected" in u or "literal" in u for u in urls)
    assert "refused: evil.test resolves to 127.0.0.1" in messages


def test_an_idn_source_crawls(guarded_crawl):
    """Defect 8: ``http://bücher.example/`` crawled nothing (punycode against unicode)."""
    db, site, _, _ = guarded_crawl
    assert ("/news/buch.html", f"xn--bcher-kva.test:{site.port}") in site.requests
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("select url from articles where source = 'Bücher'")]
    assert urls == [f"http://xn--bcher-kva.test:{site.port}/news/buch.html"]


def test_offsite_filtering_accepts_the_punycode_of_an_idn_source(tmp_path):
    from scrapy import Request
    from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware

    from newsarchive.crawler.spiders.news import NewsSpider

    path = write_sources(tmp_path / "sources.yml", [{"name": "B", "homepage": "http://bücher.example/"}])
    spider = NewsSpider(load_sources(path))
    middleware = OffsiteMiddleware(stats=None)
    assert middleware.should_follow(Request("http://bücher.example/news/1.html"), spider)


@pytest.mark.parametrize("host", ["127.1", "0", "2130706433", "0x7f.1", "0177.0.0.1", "localhost.", "LocalHost",
                                  "foo.localhost", "[::1]", "[::ffff:127.0.0.1]", "169.254.169.254", "10.0.0.1"])
def test_every_spelling_of_a_private_address_is_refused_in_sources(tmp_path, host):
    """Defect 4: ``127.1``, ``0``, ``2130706433``, ``0x7f.1`` and ``localhost.`` passed the check."""
    path = write_sources(tmp_path / "sources.yml", [{"name": "A", "homepage": f"http://{host}:8000/"}])
    with pytest.raises(SourcesError, match="loopback or private"):
        load_sources(path)


@pytest.mark.parametrize("domain, problem", [("169.254.169.254", "private"), ("127.1", "private"),
                                             ("localhost", "private"), ("https://a.example/", "host names"),
                                             ("a.example:8080", "host names"), ("com", "top-level")])
def test_allowed_domains_are_checked(tmp_path, domain, problem):
    """Defect 4: ``allowed_domains`` was not checked: ``169.254.169.254`` let a feed link through."""
    path = write_sources(tmp_path / "sources.yml", [{"name": "A", "homepage": "https://a.example/",
                                                     "allowed_domains": ["a.example", domain]}])
    with pytest.raises(SourcesError, match=problem):
        load_sources(path)


class _Receiver:
    def __init__(self):
        self.addresses, self.done = [], False

    def resolutionBegan(self, resolution):  # noqa: N802
        pass

    def addressResolved(self, address):  # noqa: N802
        self.addresses.append(address.host)

    def resolutionComplete(self):  # noqa: N802
        self.done = True


class _SyncLookup:
    """The system's resolver, synchronously (numeric forms only here: no DNS is asked)."""

    def __init__(self):
        self.asked = []

    def resolveHostName(self, receiver, name, port=0, types=None, semantics="TCP"):  # noqa: N802
        from twisted.internet.address import IPv4Address

        self.asked.append(name)
        receiver.resolutionBegan(None)
        try:
            found = {a[4][0] for a in socket.getaddrinfo(name, port, socket.AF_INET, socket.SOCK_STREAM,
                                                          flags=socket.AI_NUMERICHOST)}
        except socket.gaierror:
            found = set()
        for address in sorted(found):
            receiver.addressResolved(IPv4Address("TCP", address, port))
        receiver.resolutionComplete()


class _Reactor:
    def __init__(self):
        self.nameResolver = _SyncLookup()


@pytest.mark.parametrize("host", ["127.1", "0", "2130706433", "0x7f.1", "localhost.", "localhost"])
def test_the_connection_guard_hands_no_private_address_to_the_connection(host):
    from newsarchive.crawler.resolver import GuardedResolver, refusal

    resolver = GuardedResolver(_Reactor())
    receiver = _Receiver()
    resolver.resolveHostName(receiver, host, 80)
    assert receiver.done and receiver.addresses == []
    assert refusal(host).startswith(f"refused: {host}")


def test_the_connection_guard_lets_accepted_networks_and_allow_private_through():
    from newsarchive.crawler.resolver import GuardedResolver
    from newsarchive.crawler.overrides import parse_networks

    for resolver in (GuardedResolver(_Reactor(), networks=parse_networks("127.0.0.3/32")),
                     GuardedResolver(_Reactor(), allow_private=True)):
        receiver = _Receiver()
        resolver.resolveHostName(receiver, "127.0.0.3", 80)
        assert receiver.addresses == ["127.0.0.3"]
    receiver = _Receiver()
    GuardedResolver(_Reactor(), fixed={"news.test": ["127.0.0.2"]}).resolveHostName(receiver, "news.test", 80)
    assert receiver.addresses == []


def test_a_proxy_in_the_environment_is_not_used(guarded_crawl):
    db, site, canary, result = guarded_crawl
    assert PROXIES["guarded"].paths == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles where title = 'A public story'").fetchone()[0] == 1
