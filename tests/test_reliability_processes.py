"""Reliability: killed processes, full disks, readers beside the writer
(GitHub issue 10).

Real child processes are killed with SIGKILL in the middle of their work
(entity processing, a tight loop of ``Store.save_article``), made to run
out of disk (a file-size limit, and a real 2 MB tmpfs when mounting is
permitted), and Datasette serves the archive while a crawl writes it. After
each: ``PRAGMA integrity_check`` is ok, the full-text index agrees with its
table, no article is lost or duplicated, and the next run completes.

Also covered elsewhere, not repeated here: SIGKILL during a crawl and two
crawls started at once (``tests/test_crawl_processes.py``).
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from newsarchive.archive.store import Store
from conftest import ROOT, RunningDatasette
from newsarchive.app.demosite import serve_directory
from hostile import crawl, integrity_ok, write_sources
from newsarchive.nlp.extraction.core import Article

PYTHON = sys.executable
PLACES = ["Mali", "Niger", "Chad", "Sudan", "Kenya", "Ghana", "Peru", "Chile"]


def report(i: int) -> Article:
    """A short article naming a country and an organisation."""
    place = PLACES[i % len(PLACES)]
    text = (f"Officials in {place} said on Friday that report {i} described a water outage in the capital.\n"
            f"The United Nations and the Red Cross sent engineers to {place} after the pumps failed.")
    return Article(text=text, title=f"Outage report {i} from {place}", language="en")


def fill(db: Path, count: int, start: int = 0) -> None:
    with Store(db) as store:
        for i in range(start, start + count):
            store.db["sources"].insert({"name": "Wire", "homepage": "https://wire.example/"}, ignore=True)
            store.save_article("Wire", f"https://wire.example/news/{i}", report(i), "2026-11-28T10:00:00+00:00")


def scalar(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def archive_is_sound(db: Path) -> None:
    """Integrity, FTS agreement, one revision per article, no duplicates."""
    assert integrity_ok(db)
    with sqlite3.connect(db) as conn:
        conn.execute("insert into articles_fts(articles_fts) values('integrity-check')")  # raises if out of step
    assert scalar(db, "select count(*) - count(distinct url) from articles") == 0
    assert scalar(db, "select count(*) from articles a where not exists "
                      "(select 1 from revisions r where r.article_id = a.id)") == 0
    assert scalar(db, "select count(*) from revisions r where not exists "
                      "(select 1 from articles a where a.id = r.article_id)") == 0


def wait_for(condition, timeout: float = 60, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except sqlite3.OperationalError:  # the archive is being created
            pass
        time.sleep(step)
    return False


# processing killed midway ----------------------------------------------------------


def test_process_killed_midway_keeps_articles_and_resumes_the_pending(tmp_path):
    db = tmp_path / "archive.db"
    total, batch = 480, 8
    fill(db, total)
    command = [PYTHON, "-m", "newsarchive.app", "process", "--db", str(db), "--batch-size", str(batch)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: scalar(db, "select count(*) from articles where processed_model is not null") >= 3 * batch)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    done = scalar(db, "select count(*) from articles where processed_model is not null")
    assert done < total, "the kill should land midway"
    assert done % batch == 0  # one transaction per batch: never half a batch
    assert scalar(db, "select count(*) from articles") == total
    # no mentions for an article still pending, none left over from a half-written batch
    assert scalar(db, "select count(distinct m.article_id) from mentions m join articles a on a.id = m.article_id "
                      "where a.processed_model is null") == 0
    archive_is_sound(db)
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"processed {total - done} articles" in rerun.stdout
    assert scalar(db, "select count(*) from articles where processed_model is null") == 0
    assert scalar(db, "select count(*) from (select article_id, entity_id, start from mentions "
                      "group by 1, 2, 3 having count(*) > 1)") == 0
    archive_is_sound(db)


# a writer killed in a tight loop ------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from test_reliability_processes import report
    from newsarchive.archive.store import Store
    store = Store({db!r})
    store.db["sources"].insert({{"name": "Wire", "homepage": "https://wire.example/"}}, ignore=True)
    for i in range({start}, {stop}):
        store.save_article("Wire", f"https://wire.example/news/{{i}}", report(i), "2026-11-28T10:00:00+00:00")
""")


def writer(db: Path, start: int, stop: int) -> list[str]:
    code = WRITER.format(tests=str(ROOT / "tests"), db=str(db), start=start, stop=stop)
    return [PYTHON, "-c", code]


def test_writer_killed_in_a_tight_loop_of_save_article_loses_nothing_saved(tmp_path):
    db = tmp_path / "archive.db"
    Store(db).close()
    child = subprocess.Popen(writer(db, 0, 1_000_000), cwd=ROOT)
    try:
        assert wait_for(lambda: scalar(db, "select count(*) from articles") >= 300)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    saved = scalar(db, "select count(*) from articles")
    assert scalar(db, "select max(id) from articles") == saved  # the ids run 1..n: none lost in between
    archive_is_sound(db)
    subprocess.run(writer(db, saved, saved + 50), cwd=ROOT, check=True)  # the next run carries on
    assert scalar(db, "select count(*) from articles") == saved + 50
    archive_is_sound(db)


# a full disk -----------------------------------------------------------------------

FULL_DISK_WRITER = textwrap.dedent("""
    import resource, signal, sqlite3, sys
    sys.path.insert(0, {tests!r})
    from test_reliability_processes import report
    from newsarchive.archive.store import Store
    store = Store({db!r})
    store.db["sources"].insert({{"name": "Wire", "homepage": "https://wire.example/"}}, ignore=True)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    saved = 0
    for i in range(100000):
        article = report(i)
        article.text += "\\n" + "padding words for a long article " * 100
        try:
            store.save_article("Wire", f"https://wire.example/news/{{i}}", article, "2026-11-28T10:00:00+00:00")
            saved += 1
        except sqlite3.Error as exc:
            print("saved", saved, "then", type(exc).__name__, exc, flush=True)
            break
""")


def test_disk_full_by_file_size_limit_keeps_every_saved_article(tmp_path):
    db = tmp_path / "archive.db"
    Store(db).close()
    code = FULL_DISK_WRITER.format(tests=str(ROOT / "tests"), db=str(db), limit=2 * 1024 * 1024)
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("saved "), result.stdout + result.stderr
    saved = int(result.stdout.split()[1])
    assert saved > 10 and ("full" in result.stdout or "I/O" in result.stdout), result.stdout
    # The save reported as failed may have committed (the error can come after the
    # commit, from the WAL checkpoint): then it is there whole, never in part.
    found = scalar(db, "select count(*) from articles")
    assert saved <= found <= saved + 1
    archive_is_sound(db)
    subprocess.run(writer(db, found, found + 20), cwd=ROOT, check=True)  # room again: the next run completes
    assert scalar(db, "select count(*) from articles") == found + 20
    archive_is_sound(db)


ARTICLES = 30
PAGE = """<html lang="en"><head><title>Report {n}</title><meta property="og:type" content="article"></head>
<body><article><h1>Report {n}</h1><p>Report number {n} describes an incident that investigators are still examining.</p>
<p>{filler}</p></article></body></html>"""


def make_site(root: Path, filler_words: int = 20) -> None:
    import random

    words = random.Random(7)
    (root / "news").mkdir(parents=True)
    for n in range(ARTICLES):
        filler = " ".join(f"w{words.randrange(10**6)}" for _ in range(filler_words))
        (root / "news" / f"r{n}.html").write_text(PAGE.format(n=n, filler=filler))
    items = "".join(f"<item><link>__BASE__/news/r{n}.html</link></item>" for n in range(ARTICLES))
    (root / "feed.xml").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs mounted for the test (needs root and mount permission)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here: the file-size-limit test stands in for a full disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): the file-size-limit test stands in")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_crawl_onto_a_full_disk_keeps_what_it_saved_and_the_next_run_completes(tmp_path, tiny_disk):
    make_site(tmp_path / "site", filler_words=4000)  # ~40 KB a page: the WARC and the archive fill 1 MB fast
    server = serve_directory(tmp_path / "site")
    try:
        sources = write_sources(tmp_path / "sources.yml", [{
            "name": "Big Pages", "homepage": f"http://127.0.0.1:{server.server_address[1]}/",
            "feeds": ["/feed.xml"], "article_pattern": "^/news/"}])
        db = tiny_disk / "archive.db"
        first = crawl(sources, db)
        saved = scalar(db, "select count(*) from articles")
        assert saved < ARTICLES, "the disk should fill before the end"
        archive_is_sound(db)
        # every page that could not be written is logged and the crawl runs to its end. Its
        # crawls row is closed when SQLite still finds room for that one update, which a full
        # disk allows or not from run to run: then the crawl exits 0; otherwise it says so in
        # one line and exits 1, and the next run marks the row interrupted
        assert "No space left on device" in first.output or "database or disk is full" in first.output
        unclosed = scalar(db, "select count(*) from crawls where status = 'running'")
        if first.exit_code == 0:
            assert unclosed == 0, first.output[-3000:]
        else:
            assert unclosed == 1 and (
                "Error: the crawl ended but could not close its records in the archive (full disk?); "
                "the next crawl marks them interrupted") in first.output.splitlines(), first.output[-3000:]
        subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_disk)], check=True)
        second = crawl(sources, db)
        assert second.exit_code == 0, second.output
    finally:
        server.shutdown()
        server.server_close()
    assert scalar(db, "select count(*) from articles") == ARTICLES
    archive_is_sound(db)
    assert scalar(db, "select count(*) from crawls where status = 'running'") == 0
    assert scalar(db, "select status from crawls order by id desc limit 1") == "finished"
    assert scalar(db, "select status from crawls order by id limit 1") == (
        "finished" if first.exit_code == 0 else "interrupted")


# Datasette reading while a crawl writes ---------------------------------------------------


def test_datasette_keeps_answering_while_a_crawl_writes(tmp_path):
    make_site(tmp_path / "site")
    server = serve_directory(tmp_path / "site", delay=0.1)
    db = tmp_path / "archive.db"
    Store(db).close()  # Datasette needs the file before the crawl makes it
    sources = write_sources(tmp_path / "sources.yml", [{
        "name": "Slow Times", "homepage": f"http://127.0.0.1:{server.server_address[1]}/",
        "feeds": ["/feed.xml"], "article_pattern": "^/news/"}])
    datasette = RunningDatasette(db)
    command = [PYTHON, "-m", "newsarchive.crawler.run", "--sources", str(sources), "--db", str(db), "--allow-private",
               "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
               "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
    crawler = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    statuses: list[int] = []
    counts: list[int] = []
    try:
        with httpx.Client(base_url=datasette.url, timeout=10) as client:
            while crawler.poll() is None:
                rows = client.get("/archive/articles.json", params={"_shape": "array", "_size": 5,
                                                                   "_sort_desc": "id"})
                total = client.get("/archive.json", params={"sql": "select count(*) as n from articles",
                                                           "_shape": "array"})
                search = client.get("/archive/articles", params={"_search": "investigators"})
                statuses += [rows.status_code, total.status_code, search.status_code]
                if total.status_code == 200:
                    counts.append(total.json()[0]["n"])
            final = client.get("/archive.json", params={"sql": "select count(*) as n from articles", "_shape": "array"})
    finally:
        crawler.wait(timeout=60)
        datasette.stop()
        server.shutdown()
        server.server_close()
    assert crawler.returncode == 0
    assert len(statuses) >= 30 and set(statuses) == {200}, statuses
    assert len(set(counts)) >= 3 and counts == sorted(counts), counts  # it saw the crawl's progress
    assert final.json()[0]["n"] == ARTICLES
    archive_is_sound(db)
