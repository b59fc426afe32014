"""Distributed crawl throughput: 1 worker against 2, and whether the loader keeps up.

A local site of real article pages (the extraction benchmark's 181 pages, each
served under several URLs) is crawled through a real redis-server, first by one
worker, then by two, with the loader running alongside. Run from the project root:

    python -m bench.distributed [--copies 4]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import redis
import yaml

from bench.report import write_section
from newsarchive.app.demosite import serve_directory

from bench import CORPUS_DIR, ROOT
CORPUS = CORPUS_DIR / "html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(root: Path, copies: int) -> int:
    pages = sorted(CORPUS.glob("*.html.gz"))
    (root / "news").mkdir(parents=True)
    links = []
    for copy in range(copies):
        for page in pages:
            name = f"{page.name.split('.')[0][:16]}-{copy}.html"
            (root / "news" / name).write_bytes(gzip.decompress(page.read_bytes()))
            links.append(f"<item><link>__BASE__/news/{name}</link></item>")
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel>{"".join(links)}</channel></rss>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return len(links)


def serve_corpus_site(work: Path, copies: int) -> tuple[Any, Path, int]:
    """Build and serve the site in ``work``; returns the server, a sources file for it
    and the number of article URLs."""
    total = build_site(work / "site", copies)
    site = serve_directory(work / "site")
    base = f"http://127.0.0.1:{site.server_address[1]}"
    sources = work / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "Corpus", "homepage": base + "/",
                                                    "feeds": ["/feed.xml"], "article_pattern": "^/news/"}]}))
    return site, sources, total


def run(workers: int, sources: Path, redis_url: str, work: Path) -> dict[str, float]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    db = work / f"archive-{workers}.db"
    common = ["--sources", str(sources), "--allow-private", "--redis", redis_url]
    started = time.perf_counter()
    loader = subprocess.Popen([sys.executable, "-m", "newsarchive.app", "load", *common, "--db", str(db),
                               "--idle", "5", "--no-process"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    backlog = []
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            backlog.append(client.llen("newsarchive:pages"))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    procs = []
    for n in range(workers):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "newsarchive.crawler.run", *common, "--db", str(work / "unused.db"),
             "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
             "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "--set", "LOG_LEVEL=WARNING",
             "--set", f"NEWSARCHIVE_WARC_DIR={work / f'warc-{workers}-{n}'}"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.5 if n == 0 else 0)
    for proc in procs:
        proc.wait()
    crawled = time.perf_counter() - started
    backlog_at_end = client.llen("newsarchive:pages")
    loader.send_signal(signal.SIGTERM) if False else None
    loader.wait()
    sampling.set()
    import sqlite3
    with sqlite3.connect(db) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    return {"workers": workers, "crawl_s": crawled, "articles": articles,
            "backlog_max": max(backlog or [0]), "backlog_end": backlog_at_end}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is needed (Debian package redis-server)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site, sources, total = serve_corpus_site(work, args.copies)
        port = free_port()
        server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            results = [run(1, sources, url, work), run(2, sources, url, work)]
        finally:
            server.terminate()
            site.shutdown()
    one, two = results
    rows = [f"| {r['workers']} | {total} | {r['articles']} | {r['crawl_s']:.1f} | {total / r['crawl_s']:.1f} | "
            f"{r['backlog_max']} | {r['backlog_end']} |" for r in results]
    body = (f"Site: {total} real article pages (the extraction benchmark's pages x {args.copies}) on 127.0.0.1; "
            "workers fetch, capture to WARC and extract; the loader commits to SQLite (entities left for "
            "`process`).\n\n"
            "| workers | pages | articles archived | crawl s | pages/s | loader backlog max | backlog when workers end |\n"
            "|---|---|---|---|---|---|---|\n" + "\n".join(rows) +
            f"\n\nSpeed-up with 2 workers: {one['crawl_s'] / two['crawl_s']:.2f}x on this 2-core machine "
            "(the loader shares the cores).")
    print(body)
    write_section("distributed", "Distributed crawl: 1 worker against 2", body)


if __name__ == "__main__":
    main()
