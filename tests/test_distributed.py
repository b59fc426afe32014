"""Distributed crawling on a real redis-server: two worker processes, one
killed with SIGKILL midway, one loader; every article archived exactly once."""

from __future__ import annotations

import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import yaml

from newsarchive.app.demosite import serve_directory

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 300
PAGE = """<html lang="en"><head><title>Dispatch {n}</title><meta property="og:type" content="article"></head>
<body><article><h1>Dispatch {n}</h1><p>Dispatch number {n} reports on the harbour authority's plans for the coming season.</p>
<p>Officials said dispatch {n} would be followed by further updates as the review continues.</p></article></body></html>"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make test` installs it (Debian package redis-server)")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def big_site(tmp_path):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    for n in range(ARTICLES):
        (root / "news" / f"d{n}.html").write_text(PAGE.format(n=n))
    items = "".join(f"<item><link>__BASE__/news/d{n}.html</link></item>" for n in range(ARTICLES))
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    server = serve_directory(root, delay=0.02)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "Harbour Dispatch", "homepage": base + "/",
                                                    "feeds": ["/feed.xml"], "article_pattern": "^/news/"}]}))
    yield server, sources
    server.shutdown()
    server.server_close()


def worker_command(sources: Path, tmp_path: Path, redis_url: str, n: int, lease_seconds: int = 3) -> list[str]:
    return [sys.executable, "-m", "newsarchive.crawler.run", "--sources", str(sources), "--db", str(tmp_path / "unused.db"),
            "--allow-private", "--redis", redis_url, "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--set", f"NEWSARCHIVE_LEASE_SECONDS={lease_seconds}",
            "--set", f"NEWSARCHIVE_WARC_DIR={tmp_path / f'warc-{n}'}"]


def worker(sources: Path, tmp_path: Path, redis_url: str, n: int) -> subprocess.Popen:
    return subprocess.Popen(worker_command(sources, tmp_path, redis_url, n), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_workers_one_killed_every_article_archived_once(big_site, redis_url, tmp_path):
    server, sources = big_site
    db = tmp_path / "archive.db"
    first = worker(sources, tmp_path, redis_url, 1)
    time.sleep(1.0)  # the first seeds the frontier; the second joins a running crawl
    second = worker(sources, tmp_path, redis_url, 2)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len([p for p in server.paths if p.startswith("/news/")]) < 80:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert second.wait(timeout=180) == 0
    fetched = [p for p in server.paths if p.startswith("/news/")]
    assert 80 <= len(fetched), "the kill landed midway"
    loader = subprocess.run(
        [sys.executable, "-m", "newsarchive.app", "load", "--redis", redis_url, "--sources", str(sources),
         "--db", str(db), "--allow-private", "--idle", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert loader.returncode == 0, loader.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        total, distinct = conn.execute("select count(*), count(distinct url) from articles").fetchone()
        assert total == distinct == ARTICLES
        assert conn.execute("select count(*) from articles where processed_model is null").fetchone()[0] == 0
    client = redis.Redis.from_url(redis_url)
    assert client.llen("newsarchive:pages") == client.llen("newsarchive:pages:processing") == 0
    assert client.zcard("news:requests") == client.zcard("news:requests:deadlines") == 0


RECRAWL_ARTICLES = 500


def run_worker(sources: Path, tmp_path: Path, redis_url: str, n: int, *settings: str) -> None:
    """One worker crawling to the end (it seeds the frontier: the run's flag is cleared first)."""
    redis.Redis.from_url(redis_url).delete("news:requests:seeded")
    # one worker: a lease long enough never to run out on a busy machine
    command = worker_command(sources, tmp_path, redis_url, n, lease_seconds=300)
    command += [arg for setting in settings for arg in ("--set", setting)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def run_loader(sources: Path, db: Path, redis_url: str) -> str:
    loader = subprocess.run(
        [sys.executable, "-m", "newsarchive.app", "load", "--redis", redis_url, "--sources", str(sources),
         "--db", str(db), "--allow-private", "--idle", "2", "--no-process"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert loader.returncode == 0, loader.stderr[-2000:]
    return loader.stderr


def test_unchanged_distributed_recrawl_fetches_no_article_bodies(tmp_path, redis_url):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    for n in range(RECRAWL_ARTICLES):
        (root / "news" / f"d{n}.html").write_text(PAGE.format(n=n))
    items = "".join(f"<item><link>__BASE__/news/d{n}.html</link></item>" for n in range(RECRAWL_ARTICLES))
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    server = serve_directory(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "Harbour Dispatch", "homepage": base + "/",
                                                    "feeds": ["/feed.xml"], "article_pattern": "^/news/",
                                                    "max_pages": 2000}]}))
    db = tmp_path / "archive.db"
    try:
        articles = lambda: [p for p in server.paths if p.startswith("/news/")]  # noqa: E731
        run_worker(sources, tmp_path, redis_url, 1)
        assert len(articles()) == RECRAWL_ARTICLES
        assert f"published 0 known page(s)" in run_loader(sources, db, redis_url)

        # the same site again, at once: the loader told Redis what the archive holds and
        # none of it is due for a recheck, so the worker asks for the feed and nothing else
        server.paths.clear()
        run_worker(sources, tmp_path, redis_url, 2)
        assert articles() == [] and "/feed.xml" in server.paths
        assert f"published {RECRAWL_ARTICLES} known page(s)" in run_loader(sources, db, redis_url)

        # every page due: asked for again, conditionally, and answered 304 without a body
        server.paths.clear()
        run_worker(sources, tmp_path, redis_url, 3, "NEWSARCHIVE_RECHECK=*:1s")
        assert len(articles()) == RECRAWL_ARTICLES
        run_loader(sources, db, redis_url)
        with sqlite3.connect(db) as conn:
            assert conn.execute("select count(*) from articles").fetchone()[0] == RECRAWL_ARTICLES
            last = conn.execute("select pages_fetched, articles_new, articles_updated, not_modified from crawls "
                                "order by id desc limit 1").fetchone()
            assert last == (RECRAWL_ARTICLES, 0, 0, RECRAWL_ARTICLES)
            assert conn.execute("select count(*) from pages where status = 304").fetchone()[0] == RECRAWL_ARTICLES
    finally:
        server.shutdown()
        server.server_close()
