"""A configurable hostile web site on 127.0.0.1, for the reliability tests.

Each path is given a *behaviour*: a function called with the request handler
that answers however it likes (a page, an error status, a body far over the
size limit, a gzip bomb, a hang, a connection reset, a redirect, bytes that
are not HTTP at all). Paths ending in ``*`` match every path they prefix;
unknown paths answer 404. Every request is recorded (path and Host header),
so a test can check what the crawler asked for.

Usage::

    with HostileSite({"/feed.xml": page(FEED), "/news/big.html": huge(50 << 20)}) as site:
        ...  # site.base is http://127.0.0.1:PORT; site.requests lists what was asked
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from typing import Any

from newsarchive.app.demosite import LocalServer

Behaviour = Callable[["HostileHandler"], None]
PLACEHOLDER = b"__BASE__"
FILLER = b"<p>" + b"filler text that never ends " * 36 + b"</p>\n"  # ~1 KB of HTML


class HostileHandler(BaseHTTPRequestHandler):
    """Dispatches each GET to the behaviour registered for its path."""

    protocol_version = "HTTP/1.0"  # one request per connection: closes are the body's end

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        site: HostileSite = self.server.site  # type: ignore[attr-defined]
        site.record(self.path, self.headers.get("Host", ""))
        behaviour = site.behaviour_for(self.path.split("?", 1)[0])
        try:
            behaviour(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on us, as it should for the huge pages

    def base(self) -> bytes:
        return f"http://127.0.0.1:{self.server.server_address[1]}".encode("ascii")

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None,
               content_length: bool = True) -> None:
        """Send a whole response."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class HostileSite:
    """Serve ``routes`` (path -> behaviour) in a daemon thread on a free port."""

    def __init__(self, routes: dict[str, Behaviour], host: str = "127.0.0.1", port: int = 0) -> None:
        """:param host: the loopback address to listen on (any of 127.0.0.0/8)
        :param port: the port (0: a free one)"""
        self.routes = dict(routes)
        self.requests: list[tuple[str, str]] = []  # (path, Host header), in order
        self._lock = threading.Lock()
        self.server = LocalServer((host, port), HostileHandler)
        self.server.site = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, path: str, host: str) -> None:
        with self._lock:
            self.requests.append((path, host))

    @property
    def paths(self) -> list[str]:
        """Every path requested, in order."""
        with self._lock:
            return [path for path, _ in self.requests]

    def behaviour_for(self, path: str) -> Behaviour:
        if path in self.routes:
            return self.routes[path]
        prefixes = [p for p in self.routes if p.endswith("*") and path.startswith(p[:-1])]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return status(404, b"not here")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HostileSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# behaviours ---------------------------------------------------------------


def page(body: str | bytes, content_type: str = "text/html; charset=utf-8", code: int = 200,
         headers: dict[str, str] | None = None) -> Behaviour:
    """A whole response; ``__BASE__`` in the body becomes ``http://127.0.0.1:PORT``."""
    raw = body.encode("utf-8") if isinstance(body, str) else body

    def behave(handler: HostileHandler) -> None:
        headers_out = {"Content-Type": content_type, **(headers or {})} if content_type else dict(headers or {})
        handler.answer(code, raw.replace(PLACEHOLDER, handler.base()), headers_out)
    return behave


def status(code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Behaviour:
    """An HTTP status with a small plain body."""
    return page(body, "text/plain", code, headers)


def huge(total_bytes: int, declare_length: bool = True) -> Behaviour:
    """An HTML page of ``total_bytes``, streamed; with or without Content-Length."""
    def behave(handler: HostileHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            handler.send_header("Content-Length", str(total_bytes))
        handler.end_headers()
        handler.wfile.write(b"<html><body><article>")
        sent = 21
        while sent < total_bytes:
            chunk = FILLER[: total_bytes - sent]
            handler.wfile.write(chunk)
            sent += len(chunk)
    return behave


@lru_cache(maxsize=4)
def bomb_bytes(expanded_bytes: int) -> bytes:
    """gzip of an HTML page ``expanded_bytes`` long (mostly spaces: ~1000:1)."""
    head = b"<html><body><article><p>"
    return gzip.compress(head + b" " * (expanded_bytes - len(head)), compresslevel=9)


def gzip_bomb(expanded_bytes: int, as_file: bool = False) -> Behaviour:
    """A small body that expands to ``expanded_bytes``: as ``Content-Encoding:
    gzip`` (an HTML page), or as a ``.gz`` file (a sitemap)."""
    def behave(handler: HostileHandler) -> None:
        if as_file:
            headers = {"Content-Type": "application/gzip"}
        else:
            headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        handler.answer(200, bomb_bytes(expanded_bytes), headers)
    return behave


def hang(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Say nothing for ``seconds`` (longer than the crawler's timeout), then answer."""
    def behave(handler: HostileHandler) -> None:
        time.sleep(seconds)
        (then or status(200, b"too late"))(handler)
    return behave


def reset() -> Behaviour:
    """Read the request, then reset the connection (RST, no answer)."""
    def behave(handler: HostileHandler) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
    return behave


def not_http(raw: bytes = b"\x00\x01SSH-2.0-nonsense\r\n\xff\xfe garbage\r\n\r\n") -> Behaviour:
    """Bytes that are no HTTP response at all, then close."""
    def behave(handler: HostileHandler) -> None:
        handler.wfile.write(raw)
        handler.close_connection = True
    return behave


def truncated(body: bytes, declared: int) -> Behaviour:
    """Promise ``declared`` bytes in Content-Length, send fewer, close."""
    def behave(handler: HostileHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True
    return behave


def redirect(location: str, code: int = 302) -> Behaviour:
    """A redirect; ``__BASE__`` in the location becomes this site's base."""
    def behave(handler: HostileHandler) -> None:
        target = location.replace("__BASE__", handler.base().decode("ascii"))
        handler.answer(code, b"", {"Location": target, "Content-Type": "text/plain"})
    return behave


def first_then(first: Behaviour, then: Behaviour, times: int = 1) -> Behaviour:
    """``first`` for the first ``times`` requests of a path, ``then`` after."""
    seen: dict[str, int] = {}
    lock = threading.Lock()

    def behave(handler: HostileHandler) -> None:
        with lock:
            seen[handler.path] = seen.get(handler.path, 0) + 1
            count = seen[handler.path]
        (first if count <= times else then)(handler)
    return behave


def generated(make: Callable[[str], bytes], content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """A page made from its path (calendar and pagination traps)."""
    def behave(handler: HostileHandler) -> None:
        handler.answer(200, make(handler.path), {"Content-Type": content_type})
    return behave


# page bodies ----------------------------------------------------------------


ARTICLE = """<!doctype html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>
<meta property="og:type" content="article"></head><body><nav><a href="/">Home</a> <a href="/world/">World</a></nav>
<article><h1>{title}</h1>{paragraphs}</article><footer>Hostile Herald</footer></body></html>"""


def article_html(title: str, paragraphs: list[str], lang: str = "en", charset: str = "utf-8") -> str:
    """A plain, well-formed article page (encode it as ``charset`` yourself)."""
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return ARTICLE.format(title=title, paragraphs=body, lang=lang, charset=charset)


def rss(links: list[str]) -> str:
    """An RSS 2.0 feed of ``links`` (use ``__BASE__`` for this site)."""
    items = "".join(f"<item><title>item</title><link>{link}</link></item>" for link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


# crawling a hostile site -------------------------------------------------------

#: settings for a fast crawl of local servers: no politeness delays, quick retries
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "RETRY_BACKOFF_BASE=0.1", "RETRY_MAX_DELAY=1", "RETRY_TIMES=1", "DOWNLOAD_TIMEOUT=10")


def write_sources(path: Any, sources: list[dict[str, Any]]) -> Any:
    """Write a ``sources.yml`` holding ``sources``."""
    import yaml

    path.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")
    return path


def crawl(sources: Any, db: Any, *settings: str) -> Any:
    """``newsarchive crawl --no-process`` of local sites; returns the click result
    (the crawl itself runs in a child process, as in production)."""
    from click.testing import CliRunner

    from newsarchive.app.cli import cli

    args = ["crawl", "--sources", str(sources), "--db", str(db), "--allow-private", "--no-process"]
    for setting in (*FAST, *settings):
        args += ["--set", setting]
    return CliRunner().invoke(cli, args)


def integrity_ok(db: Any) -> bool:
    """``PRAGMA integrity_check`` answers ok."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("pragma integrity_check").fetchone()[0] == "ok"
