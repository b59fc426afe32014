"""Export the archive for researchers: one JSON object per article per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

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
