"""Opening an archive file: refuse at once what SQLite would take and spoil.

A random file, another application's SQLite database, an archive of a newer schema
and an archive on a read-only disk were all opened as if they were archives: the
first two were written into (our tables, WAL mode), the third used silently, the
last failed at the first save with a traceback. :class:`~newsarchive.archive.store.Store`
calls these checks before its first write.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from newsarchive.archive.errors import ArchiveError
from newsarchive.archive.schema import migrations


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection, which writes nothing beside the archive; on a
    read-only disk, where SQLite cannot make the WAL's shared-memory file, the
    file is opened as immutable (nobody can be writing it there)."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no archive here")
    uri = Path(os.path.realpath(path)).as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def check_writable(path: Path) -> None:
    """Refuse an archive SQLite could open but never write (a read-only file, or
    a folder where its WAL cannot be made): said at once, not at the first save."""
    for target in (path, path.parent) if path.exists() else (path.parent,):
        if not os.access(target, os.W_OK):
            raise ArchiveError(f"{path}: the archive cannot be written (read-only "
                               f"{'file' if target == path else 'folder'} {target}); is its disk mounted read-only?")


def check_archive(db: sqlite_utils.Database, path: Path, readonly: bool = False) -> None:
    """Refuse a file that is not an archive of ours, or one made by a newer
    newsarchive, before anything is written to it.

    :raises ArchiveError: naming the file and, for a newer archive, both schema versions
    """
    tables = db.table_names()  # raises DatabaseError for a file that is not SQLite
    known = [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]
    applied: list[str] = []
    if "_sqlite_migrations" in tables:
        applied = [row[0] for row in db.execute(
            "select name from _sqlite_migrations where migration_set = ?", [migrations.name])]
    if tables and not applied:
        shown = ", ".join(t for t in tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise ArchiveError(f"{path}: a SQLite database, but not a newsarchive archive (it holds {shown}); "
                           "refusing to use it (give a new file or an archive)")
    newer = [name for name in applied if name not in known]
    if newer:
        raise ArchiveError(f"{path}: made by a newer newsarchive: its schema is at {newer[-1]}, this "
                           f"version knows up to {known[-1]}; upgrade newsarchive to use it")
    if readonly and not tables:
        raise ArchiveError(f"{path}: an empty file, not an archive yet")


def describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    """One line for SQLite's refusal to open or write ``path``."""
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"{path}: not an archive (not a SQLite database, or a damaged one: {text})"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"{path}: the archive cannot be written ({text}); is its disk or folder read-only?"
    return f"{path}: {text}"
