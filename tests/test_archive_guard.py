"""No command writes onto, into or over an archive (issue 21).

Every writing command goes through :mod:`newsarchive.archive.guard`: ``publish``
into the archive's own folder, ``export -o`` onto the archive, its WAL, its
lock or into its WARC folder, reached directly, through a symbolic link, a
relative path or a hard link, are refused with one line and the archive is
left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.app.cli import cli
from newsarchive.archive.lock import ArchiveLock, LockHeld
from newsarchive.archive.sources import Source
from newsarchive.archive.store import Store
from newsarchive.nlp.extraction.core import Article


def make_archive(db: Path, articles: int = 3) -> str:
    """A real archive with a few articles; returns the digest of its rows."""
    with Store(db) as store:
        store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
        for i in range(articles):
            store.save_article("Ledger", f"https://ledger.example/news/{i}.html",
                               Article(text=f"Story number {i} about the port and its water supply.",
                                       title=f"Story {i}"), "2024-01-01T00:00:00+00:00")
    return rows_digest(db)


def rows_digest(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select id, url, title, text from articles order by id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.mark.parametrize("how", ["direct", "relative", "symlink"])
def test_publish_into_the_archives_own_folder_is_refused_and_the_archive_kept(tmp_path, monkeypatch, how):
    live = tmp_path / "live"
    live.mkdir()
    db = live / "archive.db"
    digest = make_archive(db)
    out = str(live)
    if how == "relative":
        monkeypatch.chdir(tmp_path)
        out = "live/../live"
    elif how == "symlink":
        (tmp_path / "elsewhere").symlink_to(live, target_is_directory=True)
        out = str(tmp_path / "elsewhere")
    result = run("publish", out, "--db", str(db))
    line = assert_one_line_error(result)
    assert "archive" in line
    assert db.exists() and rows_digest(db) == digest


def test_publish_data_with_the_default_database_is_refused(tmp_path, monkeypatch):
    """``publish data`` in the checkout, with the default ``--db data/archive.db``."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "archive.db"
    digest = make_archive(db)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSARCHIVE_DB", "data/archive.db")
    assert_one_line_error(run("publish", "data"))
    assert rows_digest(db) == digest


@pytest.mark.parametrize("target", ["archive.db", "archive.db-wal", "archive.db-shm", "archive.db.crawl.lock",
                                    "warc/out.jsonl", "link-to-db", "hardlink.db"])
def test_export_onto_the_archive_or_beside_it_is_refused(tmp_path, monkeypatch, target):
    db = tmp_path / "archive.db"
    digest = make_archive(db)
    (tmp_path / "warc").mkdir()
    (tmp_path / "link-to-db").symlink_to(db)
    os.link(db, tmp_path / "hardlink.db")
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.stat().st_size for p in tmp_path.iterdir() if p.is_file()}
    line = assert_one_line_error(run("export", "--db", "archive.db", "-o", target))
    assert "refusing" in line
    assert rows_digest(db) == digest
    assert {p.name: p.stat().st_size for p in tmp_path.iterdir() if p.is_file()} == before
    assert not (tmp_path / "warc" / "out.jsonl").exists()


def test_export_to_another_file_still_works(tmp_path):
    db = tmp_path / "archive.db"
    make_archive(db)
    result = run("export", "--db", str(db), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 3


def test_publish_into_a_folder_holding_other_files_refuses_and_keeps_them(tmp_path):
    db = tmp_path / "archive.db"
    make_archive(db)
    out = tmp_path / "site"
    out.mkdir()
    (out / "run.sh").write_text("#!/bin/sh\necho my own script\n")
    line = assert_one_line_error(run("publish", str(out), "--db", str(db)))
    assert "not empty" in line
    assert (out / "run.sh").read_text() == "#!/bin/sh\necho my own script\n"
    assert sorted(p.name for p in out.iterdir()) == ["run.sh"]


def test_publish_again_into_its_own_earlier_output_replaces_it(tmp_path):
    db = tmp_path / "archive.db"
    make_archive(db)
    out = tmp_path / "site"
    assert run("publish", str(out), "--db", str(db)).exit_code == 0
    with Store(db) as store:
        store.save_article("Ledger", "https://ledger.example/news/new.html",
                           Article(text="A later story about the harbour.", title="Later"), "2024-02-01T00:00:00+00:00")
    result = run("publish", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(out / "archive.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 4


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder on a read-only bind mount (needs root and mount; skipped otherwise)."""
    source, mounted = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    mounted.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("read-only mounts need root and the mount command")
    done = subprocess.run(["mount", "--bind", str(source), str(mounted)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {done.stderr.strip()}")

    def seal() -> Path:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], check=True)
        return mounted

    yield source, seal
    subprocess.run(["umount", "-l", str(mounted)], check=False)


def test_publish_to_an_unwritable_folder_is_one_line(tmp_path, read_only_dir):
    db = tmp_path / "archive.db"
    make_archive(db)
    _, seal = read_only_dir
    mounted = seal()
    line = assert_one_line_error(run("publish", str(mounted / "site"), "--db", str(db)))
    assert "read-only" in line


def test_the_crawl_lock_holds_through_a_symbolic_link(tmp_path):
    db = tmp_path / "archive.db"
    make_archive(db)
    (tmp_path / "alias.db").symlink_to(db)
    (tmp_path / "dir-alias").symlink_to(tmp_path, target_is_directory=True)
    with ArchiveLock(db, "crawl"):
        for other in (tmp_path / "alias.db", tmp_path / "dir-alias" / "archive.db"):
            with pytest.raises(LockHeld):
                ArchiveLock(other, "crawl").acquire()
