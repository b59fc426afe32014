"""Export the archive for researchers: one JSON object per article per line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsarchive.archive import guard
from newsarchive.archive.errors import ArchiveError
from newsarchive.archive.store import Store

ARTICLE_FIELDS = ("id", "url", "source", "title", "byline", "published_at", "updated_at", "language",
                  "site_name", "description", "section", "image", "word_count", "first_seen",
                  "last_seen", "revision", "status", "text")


def article_records(store: Store, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Each article with its metadata and its entities (kind, name, key, mentions)."""
    where, params = ("where coalesce(published_at, first_seen) >= ?", [since]) if since else ("", [])
    columns = ", ".join(ARTICLE_FIELDS)
    for row in store.db.query(f"select {columns} from articles {where} order by id", params):
        row["entities"] = list(store.db.query(
            "select e.kind, e.name, e.key, e.country_code, count(*) as mentions "
            "from mentions m join entities e on e.id = m.entity_id where m.article_id = ? "
            "group by e.id order by mentions desc, e.name", [row["id"]]))
        yield row


def export_jsonl(store: Store, out: IO[str], since: str | None = None) -> int:
    """Write JSON Lines to ``out``; returns the number of articles written."""
    written = 0
    for record in article_records(store, since):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def export_to(db_path: str | Path, output: str, since: str | None = None) -> int:
    """Export the archive at ``db_path`` to the file ``output`` (``-``: standard
    output), read-only; returns the number of articles written.

    The output is checked by the guard first (:func:`newsarchive.archive.guard.check_target`):
    never the archive, its WAL, its locks or inside its WARC folder.

    :raises ArchiveError: for a missing archive or a forbidden output
    """
    if not Path(db_path).exists():
        raise ArchiveError(f"{db_path}: no archive here")
    if output != "-":
        guard.check_target(output, db_path)
    with Store(db_path, readonly=True) as store:
        if output == "-":
            try:
                return export_jsonl(store, sys.stdout, since)
            except BrokenPipeError:  # `export | head`: the reader has all it wanted
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
                return 0
        with open(output, "w", encoding="utf-8") as out:
            return export_jsonl(store, out, since)
