"""Crawl every feed and sitemap of ``tests/data/wild`` and count what was fetched.

The corpus is served on 127.0.0.1. Its items point all over the web
(``example.com``, news sites, ``localhost``); a download handler sends every
request, whatever its host, to the same loopback server, which answers a small
HTML page for any article and 404 for everything else, and logs each request.
Nothing leaves this machine. The spider runs as in a real crawl (robots.txt
obeyed, canonical URLs, seen-URL deduplication) with no archive pipeline and
no offsite filter, so every request it makes is seen.

Reported per dialect (feedparser's ``version``; the sitemap's kind and
extensions): items an independent parser finds (``expected.json``, made by
``tests/data/wild/count.py``), how many of them were fetched, and stray
requests (article requests that are no item of any file).

    python -m bench.wild            # writes the "wild" section of BENCHMARKS.md
    python -m bench.wild --json out.json --no-write
    python -m bench.wild --warc     # import-warc on every WARC/ARC file: the "wild-warc" section
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

WILD = Path(__file__).resolve().parent.parent / "tests" / "data" / "wild"
#: where tests/data/wild/count.py pretended the files were served
COUNTED_AT = "http://127.0.0.1:8000/"
ARTICLE = b"<!DOCTYPE html><html><head><title>An article</title></head><body><p>Text.</p></body></html>"
#: the Content-Type each kind of file is served with; some feeds are served with
#: the wrong one on purpose, as servers do
FEED_TYPES = ["application/rss+xml", "text/xml", "text/html; charset=utf-8", "text/plain", "application/xml",
              "application/atom+xml", "application/octet-stream"]


class CorpusServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: CorpusServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        if parts.path == "/proxy":
            url = parse_qs(parts.query).get("u", [""])[0]
        else:
            url = self.server.base + self.path.lstrip("/")
        with self.server.lock:
            self.server.requests.append(url)
        local = self.server.base
        if url.startswith(local) and urlsplit(url).path.count("/") == 2:
            kind, name = urlsplit(url).path.strip("/").split("/", 1)
            path = self.server.root / kind / name
            if kind in ("feeds", "sitemaps") and path.is_file():
                body = path.read_bytes()
                ctype = "text/plain" if name.endswith(".txt") else (
                    FEED_TYPES[sum(name.encode()) % len(FEED_TYPES)] if kind == "feeds" else "application/xml")
                return self._answer(200, ctype, body)
        target = urlsplit(url)
        if target.path.endswith(("robots.txt", ".xml", ".xml.gz", ".gz")):
            return self._answer(404, "text/plain", b"not here")
        return self._answer(200, "text/html; charset=utf-8", ARTICLE)

    def _answer(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def expected_items(base: str, root: Path = WILD) -> dict[str, dict[str, Any]]:
    """Per served file: its dialect and the item URLs the independent parser found, as served at ``base``."""
    counted = json.loads((root / "expected.json").read_text())
    out = {}
    for key, entry in counted.items():
        kind = key.split("/", 1)[0]
        if kind not in ("feeds", "sitemaps"):
            continue
        urls = [u.replace(COUNTED_AT, base) for u in entry.get("urls", [])]
        children = [u.replace(COUNTED_AT, base) for u in entry.get("child_urls", [])]
        out[key] = {"dialect": entry["dialect"], "kind": kind, "urls": urls, "children": children}
    return out


def run_crawl(base: str, files: list[str], out: Path) -> None:
    """Crawl ``files`` (``kind/name``) served at ``base`` in a child process (one reactor each)."""
    args = [sys.executable, "-m", "bench.wild", "--child", base, "--json", str(out), *files]
    subprocess.run(args, check=True, timeout=600, cwd=Path(__file__).resolve().parent.parent)


def _child(base: str, files: list[str], out: Path) -> None:
    from scrapy.crawler import CrawlerProcess

    from newsarchive.archive.sources import Source
    from newsarchive.crawler.run import crawl_settings
    from newsarchive.crawler.spiders.news import NewsSpider

    sources = []
    for n, key in enumerate(files):
        kind, _ = key.split("/", 1)
        url = base + key
        sources.append(Source(
            name=f"w{n}", homepage=base, feeds=(url,) if kind == "feeds" else (),
            sitemaps=(url,) if kind == "sitemaps" else (), allowed_domains=("127.0.0.1",),
            max_pages=100_000, sitemap_horizon_days=0))
    tmp = Path(tempfile.mkdtemp(prefix="wild-"))
    port = urlsplit(base).port
    settings = crawl_settings(str(tmp / "archive.db"), {
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "RETRY_ENABLED": False, "LOG_LEVEL": "WARNING",
        "ITEM_PIPELINES": {"bench.wild.CollectPipeline": 100},
        "DOWNLOAD_HANDLERS": {"http": "bench.wild.LoopbackHandler", "https": "bench.wild.LoopbackHandler",
                              "s3": None, "ftp": None},
        "WILD_LOOPBACK_PORT": port, "WILD_OUT": str(out),
    }, allow_private=True)  # every request goes to the corpus server on 127.0.0.1
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["newsarchive.crawler.middlewares.WarcCaptureMiddleware"] = None
    middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(NewsSpider, sources=sources)
    process.start()


class CollectPipeline:
    """Keeps the URL and source of every article page the spider hands on."""

    def __init__(self, out: str) -> None:
        self.out = out
        self.items: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectPipeline:
        return cls(crawler.settings.get("WILD_OUT"))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        self.items.append((item.url, item.source))
        return item

    def close_spider(self, spider: Any = None) -> None:
        Path(self.out).write_text(json.dumps({"items": self.items}))


def _loopback_handler() -> type:
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

    class LoopbackHandler(HTTP11DownloadHandler):
        """Sends every request to the corpus server on 127.0.0.1, whatever its host."""

        async def download_request(self, request):  # noqa: ANN001, ANN201 (Scrapy's signature)
            port = self._crawler.settings.getint("WILD_LOOPBACK_PORT")
            local = f"http://127.0.0.1:{port}/"
            if request.url.startswith(local):
                return await super().download_request(request)
            routed = request.replace(url=local + "proxy?u=" + quote(request.url, safe=""))
            response = await super().download_request(routed)
            return response.replace(url=request.url, request=request)

    return LoopbackHandler


def __getattr__(name: str) -> Any:
    if name == "LoopbackHandler":
        return _loopback_handler()
    raise AttributeError(name)


def measure(root: Path = WILD) -> dict[str, Any]:
    """Serve the corpus, crawl all of it, and compare with the independent counts."""
    from w3lib.url import safe_url_string

    from newsarchive.archive.urls import canonical_url as _canonical

    def canonical_url(url: str) -> str:  # as requested: percent-encoded, then made canonical
        return _canonical(safe_url_string(url))

    def requestable(url: str) -> bool:
        """Whether Scrapy can request ``url`` at all: w3lib 2.6 refuses a host with a
        forbidden code point ("http://example.com&><'\"/"), so the spider reports it as a
        bad link and skips it; w3lib 2.5 percent-encoded it and the request went out."""
        try:
            safe_url_string(url)
        except ValueError:
            return False
        return True

    server = CorpusServer(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        expected = expected_items(server.base, root)
        files = sorted(expected)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            run_crawl(server.base, files, Path(tmp) / "items.json")
            seconds = time.perf_counter() - started
            fetched = json.loads((Path(tmp) / "items.json").read_text())["items"]
    finally:
        server.shutdown()
        server.server_close()
    served = {server.base + f for f in files}
    wanted: dict[str, set[str]] = {}
    refused = sorted({u for entry in expected.values() for u in entry["urls"] if not requestable(u)})
    for key, entry in expected.items():
        wanted[key] = {canonical_url(u) for u in entry["urls"] if requestable(u)}
    every_item = set().union(*wanted.values())
    children = {canonical_url(u) for e in expected.values() for u in e["children"] if requestable(u)}
    requested = [canonical_url(u) for u in server.requests]
    articles = {canonical_url(url) for url, _ in fetched}
    robots = [u for u in requested if urlsplit(u).path == "/robots.txt"]
    stray = sorted({u for u in requested if u not in every_item and u not in children
                    and u not in served and urlsplit(u).path != "/robots.txt"})
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"files": 0, "expected": 0, "fetched": 0})
    missing = {}
    for key in files:
        dialect = f"{expected[key]['kind'][:-1]}: {expected[key]['dialect']}"
        row = rows[dialect]
        row["files"] += 1
        row["expected"] += len(wanted[key])
        row["fetched"] += len(wanted[key] & articles)
        if wanted[key] - articles:
            missing[key] = sorted(wanted[key] - articles)
    return {
        "files": len(files), "expected": len(every_item), "fetched": len(every_item & articles),
        "stray": stray, "missing": missing, "refused": refused, "rows": dict(rows), "requests": len(requested),
        "robots": len(robots), "sitemap_children": len(children & set(requested)), "seconds": seconds,
    }


def report(result: dict[str, Any]) -> str:
    from bench.report import command_line

    lines = [
        f"Every feed and sitemap of `tests/data/wild/` ({result['files']} files) served on 127.0.0.1 and "
        f"crawled by the spider in one crawl; each file a source of its own. `expected` is what an "
        f"independent parser finds (feedparser for feeds, lxml for sitemaps: `tests/data/wild/count.py`), "
        f"URLs made canonical as the spider makes them; an item in several files counts once in the total.",
        "",
        "| dialect | files | items expected | fetched |",
        "| --- | ---: | ---: | ---: |",
    ]
    for dialect, row in sorted(result["rows"].items()):
        lines.append(f"| {dialect} | {row['files']} | {row['expected']} | {row['fetched']} |")
    lines += [
        f"| **all (distinct URLs)** | {result['files']} | {result['expected']} | {result['fetched']} |",
        "",
        f"Stray requests (neither an item, a served file, a sitemap an index or robots.txt names, nor "
        f"robots.txt): **{len(result['stray'])}**. Requests in all: {result['requests']} "
        f"({result['robots']} robots.txt, {result['sitemap_children']} child sitemaps, answered 404). "
        f"Crawl time {result['seconds']:.1f} s on a shared 2-core machine. Items no request can be made "
        f"for (w3lib 2.6 refuses their host; the spider reports each as a bad link): "
        f"{len(result.get('refused', []))}.",
        "",
        f"Command: `{command_line()}`",
    ]
    return "\n".join(lines)


def measure_warc(root: Path = WILD) -> list[dict[str, Any]]:
    """``import-warc`` on each WARC/ARC file of the corpus, alone, into a fresh archive."""
    import re

    from click.testing import CliRunner

    from newsarchive.app.cli import cli

    counted = json.loads((root / "expected.json").read_text())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, path in enumerate(sorted((root / "warc").iterdir())):
            result = CliRunner().invoke(cli, ["import-warc", str(path), "--db", f"{tmp}/{n}.db",
                                              "--sources", f"{tmp}/none.yml"])
            summary = re.search(r"^(\d+) pages in", result.output, re.M)
            entry = counted["warc/" + path.name]
            rows.append({
                "file": path.name, "exit": result.exit_code, "pages": int(summary.group(1)) if summary else None,
                "warcio": entry["complete_html_pages"], "warcio_stops": entry["error"] is not None,
                "skipped": len(re.findall(r"^Skipped: ", result.output, re.M)),
            })
    return rows


def report_warc(rows: list[dict[str, Any]]) -> str:
    from bench.report import command_line

    arc = [r for r in rows if r["file"].endswith((".arc", ".arc.gz"))]
    equal = sum(r["pages"] == r["warcio"] for r in rows)
    more = [r for r in rows if r["pages"] is not None and r["pages"] > r["warcio"]]
    lines = [
        f"`newsarchive import-warc FILE` on each of the {len(rows)} WARC/ARC files of `tests/data/wild/warc/` "
        f"({len(arc)} ARC), alone, into a fresh archive. `warcio` is what warcio 1.8 counts: response/resource "
        f"records answering 200 with an HTML type, read whole and possibly dated (`tests/data/wild/count.py`).",
        "",
        "| | files |",
        "| --- | ---: |",
        f"| exit 0 | {sum(r['exit'] == 0 for r in rows)} |",
        f"| pages = warcio's count | {equal} |",
        f"| pages > warcio's count (warcio stops at a damaged record; we read on) | {len(more)} |",
        f"| pages < warcio's count | {sum(r['pages'] is not None and r['pages'] < r['warcio'] for r in rows)} |",
        f"| with records skipped and reported | {sum(r['skipped'] > 0 for r in rows)} "
        f"({sum(r['skipped'] for r in rows)} records) |",
        "",
        f"Pages in all: {sum(r['pages'] or 0 for r in rows)} (warcio: {sum(r['warcio'] for r in rows)}). "
        + "; ".join(f"{r['file']}: {r['pages']} (warcio {r['warcio']})" for r in more),
        "",
        f"Command: `{command_line()}`",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wild")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--warc", action="store_true", help="import the WARC/ARC files instead of crawling")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.files, args.json)
        return 0
    if args.warc:
        rows = measure_warc()
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))
        text = report_warc(rows)
        print(text)
        if not args.no_write:
            from bench.report import write_section

            write_section("wild-warc", "WARC and ARC files from other projects' test suites", text)
        return 0
    result = measure()
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    text = report(result)
    print(text)
    if not args.no_write:
        from bench.report import write_section

        write_section("wild", "Feeds and sitemaps from other projects' test suites", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
