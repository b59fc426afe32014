"""Second red-team pass (issue 21): for every command and input, the worst a careless
user could give it. Each test failed before its fix."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from newsarchive.app.cli import cli
from newsarchive.archive.sources import SourcesError, load_sources

from test_archive_guard import assert_one_line_error, make_archive


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def sources_file(tmp_path, extra: str = "", name: str = "A"):
    path = tmp_path / "sources.yml"
    path.write_text(f"sources:\n  - name: {name}\n    homepage: https://a.example/\n{extra}", encoding="utf-8")
    return path


def test_a_source_name_with_a_line_break_is_refused(tmp_path):
    """The name goes into every WARC record's ``NewsArchive-Source`` header: a line break
    there writes a header of the user's choosing into the capture."""
    with pytest.raises(SourcesError, match="name"):
        load_sources(sources_file(tmp_path, name='"A\\r\\nWARC-Type: resource"'))


@pytest.mark.parametrize("field, value", [("sitemap_horizon_days", 10 ** 12), ("max_depth", 10 ** 12),
                                          ("max_pages", 10 ** 15)])
def test_absurd_numbers_in_a_source_are_refused(tmp_path, field, value):
    """``sitemap_horizon_days: 10**12`` overflowed ``timedelta`` inside the crawl."""
    with pytest.raises(SourcesError, match=field):
        load_sources(sources_file(tmp_path, f"    {field}: {value}\n"))


@pytest.mark.parametrize("every", ["99999999999d", "999999999999999999999w"])
def test_schedule_with_an_absurd_interval_is_one_line(tmp_path, every):
    """``--every 99999999999d`` raised ``OverflowError`` (a traceback)."""
    result = run("schedule", "--every", every, "--sources", str(sources_file(tmp_path)),
                 "--db", str(tmp_path / "archive.db"), "--max-runs", "1")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "every" in result.output and not (tmp_path / "archive.db").exists()


def test_process_on_a_mistyped_archive_path_creates_nothing(tmp_path):
    """``process --db archve.db`` made a new empty archive and said "processed 0 articles"."""
    line = assert_one_line_error(run("process", "--db", str(tmp_path / "archve.db")))
    assert "no archive here" in line
    assert not (tmp_path / "archve.db").exists()


def test_crawl_of_an_unknown_source_name_is_one_line_before_the_crawl(tmp_path):
    db = tmp_path / "archive.db"
    line = assert_one_line_error(run("crawl", "--no-process", "--sources", str(sources_file(tmp_path)),
                                     "--db", str(db), "--source", "Typo"))
    assert "Typo" in line
    assert not db.exists()


def test_a_warc_folder_that_is_the_archive_is_refused_before_the_crawl(tmp_path):
    db = tmp_path / "archive.db"
    make_archive(db)
    line = assert_one_line_error(run("crawl", "--no-process", "--sources", str(sources_file(tmp_path)),
                                     "--db", str(db), "--set", f"NEWSARCHIVE_WARC_DIR={db}"))
    assert "this is the archive" in line


def test_download_maxsize_zero_which_scrapy_reads_as_unlimited_is_refused(tmp_path):
    line = assert_one_line_error(run("crawl", "--no-process", "--sources", str(sources_file(tmp_path)),
                                     "--db", str(tmp_path / "archive.db"), "--set", "DOWNLOAD_MAXSIZE=0"))
    assert "at least 1" in line


def test_serve_of_a_file_that_is_not_an_archive_is_one_line(tmp_path, monkeypatch):
    import os

    def no_exec(*args):
        raise AssertionError("serve went on to start Datasette")

    monkeypatch.setattr(os, "execv", no_exec)  # never become Datasette inside the test process
    db = tmp_path / "photo.db"
    db.write_bytes(random.Random(9).randbytes(8192))
    line = assert_one_line_error(run("serve", "--db", str(db), "--port", "1"))
    assert "not an archive" in line


@pytest.mark.parametrize("url, problem", [("garbage", "not a Redis URL"), ("redis://127.0.0.1:1", "cannot reach")])
def test_load_with_a_wrong_redis_address_is_one_line(tmp_path, url, problem):
    """``load --redis garbage`` was a ``ValueError`` traceback; a dead address failed later, in the loader."""
    line = assert_one_line_error(run("load", "--redis", url, "--sources", str(sources_file(tmp_path)),
                                     "--db", str(tmp_path / "archive.db"), "--no-process"))
    assert problem in line


def test_a_feed_off_the_allowed_domains_is_refused_instead_of_silently_never_fetched(tmp_path):
    """Scrapy's offsite filter drops start requests to other hosts without a word: a feed on
    ``feeds.other.example`` made a crawl of 0 pages, 0 errors, exit 0."""
    with pytest.raises(SourcesError, match="not on allowed_domains"):
        load_sources(sources_file(tmp_path, "    feeds: [https://feeds.other.example/rss.xml]\n"))
    assert load_sources(sources_file(tmp_path, "    feeds: [https://feeds.other.example/rss.xml]\n"
                                               "    allowed_domains: [a.example, other.example]\n"))


def test_export_into_a_closed_pipe_ends_quietly(tmp_path):
    """``newsarchive export | head -1`` printed a BrokenPipeError traceback."""
    import subprocess
    import sys

    db = tmp_path / "archive.db"
    make_archive(db, articles=400)
    pipeline = subprocess.run(f"{sys.executable} -m newsarchive.app export --db {db} | head -c 10 > /dev/null",
                              shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in pipeline.stderr and "Broken pipe" not in pipeline.stderr, pipeline.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_a_device_as_sources_file_is_refused_at_once(tmp_path, kind):
    """A named pipe with no writer blocked ``sources``/``crawl`` for ever."""
    import os
    import subprocess
    import sys

    path = tmp_path / "sources.yml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path = "/dev/zero"
    try:
        done = subprocess.run([sys.executable, "-m", "newsarchive.app", "sources", "--sources", str(path)],
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("still reading after 30 s")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "not a regular file" in done.stderr


@pytest.mark.parametrize("setting", ["RETRY_TIMES=1000000", "CONCURRENT_REQUESTS_PER_DOMAIN=10000",
                                     "DOWNLOAD_TIMEOUT=1e9", "DOWNLOAD_MAXSIZE=99999999999999"])
def test_settings_that_would_run_for_ever_or_hammer_a_site_are_refused(tmp_path, setting):
    """A million retries of a failing page (each waiting up to RETRY_MAX_DELAY), ten thousand
    requests at once to one site: accepted before."""
    line = assert_one_line_error(run("crawl", "--no-process", "--sources", str(sources_file(tmp_path)),
                                     "--db", str(tmp_path / "archive.db"), "--set", setting))
    assert "at most" in line
    assert not (tmp_path / "archive.db").exists()
