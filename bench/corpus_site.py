"""Serve the article-extraction-benchmark pages as a small news site on 127.0.0.1.

The 181 pages of ``../shared/corpora/article-extraction-benchmark`` (next to
the project root, never copied into it) are served decompressed, so that
crawlers can fetch them over real HTTP end to end:

- ``/articles/<id>.html``: each page, ``text/html; charset=utf-8``
- ``/`` and ``/index.html``: a homepage linking every article (and naming the
  feed in a ``<link rel="alternate">``, where feed-finding crawlers look)
- ``/feed.xml``: an RSS 2.0 feed of every article
- ``/sitemap.xml``: a sitemap ``urlset`` of every article
- ``/robots.txt``: allows everything and names the sitemap

Every answer is built once, before the server starts, so the server spends
its time on the socket, not on gzip, and the site never becomes the bottleneck
of a benchmark.

Run ``python -m bench.corpus_site [--port N]`` to serve it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import gzip
import html
import sys
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench import CORPUS_DIR
ARTICLE_PATH = "/articles/{id}.html"
HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
SITE_TITLE = "Article extraction benchmark corpus"


@dataclass(frozen=True)
class Resource:
    """One answer the site gives: its content type and body."""

    content_type: str
    body: bytes


def corpus_pages(corpus_dir: Path = CORPUS_DIR) -> dict[str, bytes]:
    """The decompressed pages of the corpus, by id, in id order.

    :param corpus_dir: the corpus folder holding ``html/<id>.html.gz``
    :raises FileNotFoundError: when the folder has no pages
    """
    files = sorted((Path(corpus_dir) / "html").glob("*.html.gz"))
    if not files:
        raise FileNotFoundError(f"no html/*.html.gz pages under {corpus_dir}")
    return {f.name.removesuffix(".html.gz"): gzip.decompress(f.read_bytes()) for f in files}


def index_page(base_url: str, urls: list[str]) -> bytes:
    """The homepage: one link per article, and the feed announced in the head.

    :param base_url: ``http://HOST:PORT``, no trailing slash
    :param urls: the absolute article URLs
    """
    items = "\n".join(
        f'<li><a href="{html.escape(url)}">Article {n}</a></li>' for n, url in enumerate(urls, 1)
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        f"<title>{SITE_TITLE}</title>\n"
        f'<link rel="alternate" type="application/rss+xml" title="All articles" href="{base_url}/feed.xml">\n'
        f"</head><body>\n<h1>{SITE_TITLE}</h1>\n<ul>\n{items}\n</ul>\n</body></html>\n"
    ).encode("utf-8")


def rss_feed(base_url: str, urls: list[str], published: float) -> bytes:
    """An RSS 2.0 feed with one item per article.

    :param base_url: ``http://HOST:PORT``, no trailing slash
    :param urls: the absolute article URLs
    :param published: the POSIX time given as every item's ``pubDate``
    """
    date = formatdate(published, usegmt=True)
    items = "\n".join(
        f"<item><title>Article {n}</title><link>{escape(url)}</link>"
        f"<guid isPermaLink=\"true\">{escape(url)}</guid><pubDate>{date}</pubDate></item>"
        for n, url in enumerate(urls, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{SITE_TITLE}</title><link>{base_url}/</link>"
        f"<description>Every page of the corpus</description><lastBuildDate>{date}</lastBuildDate>\n"
        f"{items}\n</channel></rss>\n"
    ).encode("utf-8")


def sitemap(urls: list[str]) -> bytes:
    """A sitemap ``urlset`` listing every article.

    :param urls: the absolute article URLs
    """
    entries = "\n".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</urlset>\n"
    ).encode("utf-8")


def robots_txt(base_url: str) -> bytes:
    """A robots.txt that allows every crawler everywhere.

    :param base_url: ``http://HOST:PORT``, no trailing slash
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n".encode("ascii")


def site_resources(base_url: str, pages: dict[str, bytes], published: float) -> dict[str, Resource]:
    """Every path the site answers, with its answer.

    :param base_url: ``http://HOST:PORT``, no trailing slash
    :param pages: decompressed pages by id
    :param published: the POSIX time the feed dates its items
    """
    paths = {page_id: ARTICLE_PATH.format(id=page_id) for page_id in pages}
    urls = [base_url + path for path in paths.values()]
    home = Resource(HTML_TYPE, index_page(base_url, urls))
    resources = {
        "/": home,
        "/index.html": home,
        "/feed.xml": Resource(RSS_TYPE, rss_feed(base_url, urls, published)),
        "/sitemap.xml": Resource(XML_TYPE, sitemap(urls)),
        "/robots.txt": Resource(TEXT_TYPE, robots_txt(base_url)),
    }
    resources.update({paths[page_id]: Resource(HTML_TYPE, body) for page_id, body in pages.items()})
    return resources


class _CorpusHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's prepared resources; 404 otherwise."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real sites offer

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        resource = self.server.resources.get(path)  # type: ignore[attr-defined]
        if resource is None:
            resource = Resource(TEXT_TYPE, b"not found\n")
            self.send_response(404)
        else:
            self.send_response(200)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args: Any) -> None:  # benchmarks and tests stay quiet
        pass


class _QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client hangs up, with a
    listen backlog for a crawler's bursts (the standard library's is 5)."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # resets and broken pipes are the client's choice
            super().handle_error(request, client_address)


def serve_corpus(
    corpus_dir: str | Path = CORPUS_DIR, host: str = "127.0.0.1", port: int = 0
) -> tuple[ThreadingHTTPServer, str, list[str]]:
    """Serve the corpus in a daemon thread.

    Stop it with ``server.shutdown(); server.server_close()``.

    :param corpus_dir: the corpus folder holding ``html/<id>.html.gz``
    :param host: the address to listen on (keep it on loopback)
    :param port: the port; 0 picks a free one
    :returns: the server, its base URL (``http://HOST:PORT``, no trailing
        slash) and the absolute URLs of the articles, in id order
    """
    pages = corpus_pages(Path(corpus_dir))
    server = _QuietServer((host, port), _CorpusHandler)
    base_url = f"http://{host}:{server.server_address[1]}"
    server.resources = site_resources(base_url, pages, published=time.time())  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, name="corpus-site", daemon=True).start()
    return server, base_url, [base_url + ARTICLE_PATH.format(id=page_id) for page_id in pages]


def main(argv: list[str] | None = None) -> None:
    """Serve the corpus until Ctrl-C, printing where."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus_site", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="the corpus folder")
    args = parser.parse_args(argv)
    server, base_url, urls = serve_corpus(args.corpus, port=args.port)
    print(f"serving {len(urls)} articles at {base_url}/ (feed {base_url}/feed.xml); Ctrl-C stops", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
