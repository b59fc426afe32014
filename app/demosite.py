"""Serve the bundled demo news site over real HTTP on 127.0.0.1.

Each outlet in ``data/demo-site/outlets.yml`` is its own web root, served by
its own server on a free port, so each has its own robots.txt, feed and
sitemap, as real outlets do. Pages write their absolute URLs with the
placeholder ``__BASE__``, replaced here by ``http://127.0.0.1:PORT``.
The same server backs the tests, which is why it lives in the library.
"""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate, parsedate_to_datetime
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

PLACEHOLDER = b"__BASE__"
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".rss", ".atom"}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/gzip",
}


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files with ``__BASE__`` replaced; directories serve index.html."""

    def __init__(self, *args: Any, base: str, delay: float = 0.0, **kwargs: Any) -> None:
        self.base = base.encode("ascii")
        self.delay = delay
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self.server.paths.append(self.path)  # type: ignore[attr-defined]  # what tests check
        if self.delay and self.path.endswith(".html"):
            time.sleep(self.delay)  # a slow site, for tests that interrupt a crawl
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404, "Not Found")
            return
        body = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            body = body.replace(PLACEHOLDER, self.base)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = formatdate(path.stat().st_mtime, usegmt=True)
        if self._not_modified(etag, path.stat().st_mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix) or
                         mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """Conditional GET, as a real server answers it (ETag first)."""
        if match := self.headers.get("If-None-Match"):
            return etag in [tag.strip() for tag in match.split(",")]
        if since := self.headers.get("If-Modified-Since"):
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class LocalServer(ThreadingHTTPServer):
    """A threading HTTP server with a listen backlog for a crawler's bursts.

    The standard library's backlog is 5: a crawl opening 16 connections at once overflows
    it, the kernel drops the extra handshakes, and those clients retry only after a second,
    long enough to hit a short download timeout (a flaky failure, not the server's fault).
    """

    request_queue_size = 128
    daemon_threads = True


def serve_directory(root: Path, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0) -> ThreadingHTTPServer:
    """Serve ``root`` in a daemon thread; the server's port is chosen free.

    :param delay: seconds to wait before answering each .html page
    """
    server = LocalServer((host, port), partial(_SiteHandler, directory=str(root), base=""))
    server.paths = []  # type: ignore[attr-defined]  # every path requested, in order
    base = f"http://{host}:{server.server_address[1]}"
    server.RequestHandlerClass = partial(_SiteHandler, directory=str(root), base=base, delay=delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class DemoSite:
    """The demo outlets being served, and the sources file that crawls them."""

    root: Path
    outlets: list[dict[str, Any]]
    servers: list[ThreadingHTTPServer] = field(default_factory=list)

    def base_url(self, slug: str) -> str:
        """``http://127.0.0.1:PORT`` of the outlet ``slug``."""
        index = [o["slug"] for o in self.outlets].index(slug)
        host, port = self.servers[index].server_address[:2]
        return f"http://{host}:{port}"

    def sources(self) -> dict[str, Any]:
        """A ``sources.yml`` document pointing at the running servers."""
        entries = []
        for outlet in self.outlets:
            base = self.base_url(outlet["slug"])
            entries.append(
                {
                    "name": outlet["name"],
                    "homepage": base + "/",
                    "feeds": [base + p for p in outlet.get("feeds", [])],
                    "sitemaps": [base + p for p in outlet.get("sitemaps", [])],
                    "sections": [base + p for p in outlet.get("sections", ["/"])],
                    "article_pattern": outlet.get("article_pattern"),
                    "country": outlet.get("country"),
                    "language": outlet.get("language"),
                }
            )
        return {"sources": entries}

    def write_sources(self, path: Path) -> Path:
        """Write :meth:`sources` as YAML to ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(self.sources(), sort_keys=False), encoding="utf-8")
        return path

    def stop(self) -> None:
        """Shut every server down."""
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> DemoSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_demo_site(root: str | Path, first_port: int = 0) -> DemoSite:
    """Serve every outlet listed in ``root/outlets.yml``.

    :param root: the demo site's directory (``data/demo-site``)
    :param first_port: serve the outlets on consecutive ports from this one
        (falling back to a free port when one is taken), so that a second demo
        run finds the same URLs; 0 picks free ports (the tests)
    """
    root = Path(root)
    outlets = yaml.safe_load((root / "outlets.yml").read_text(encoding="utf-8"))
    if isinstance(outlets, dict):
        outlets = outlets.get("outlets", [])
    site = DemoSite(root=root, outlets=outlets)
    for index, outlet in enumerate(outlets):
        site.servers.append(_serve_preferring(root / outlet["slug"], first_port and first_port + index))
    return site


def _serve_preferring(root: Path, port: int) -> ThreadingHTTPServer:
    if port:
        try:
            return serve_directory(root, port=port)
        except OSError:  # taken: any free port will do
            pass
    return serve_directory(root)
