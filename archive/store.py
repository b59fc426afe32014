"""The store: the only code that writes to the archive's SQLite file.

One :class:`Store` wraps one sqlite-utils :class:`~sqlite_utils.Database` in
WAL mode (one writer, many readers: Datasette may read while a crawl writes).
Every public method commits its own transaction, so a process killed between
two calls leaves every article it had already saved intact. The transactions
are :meth:`Store.transaction` blocks (``BEGIN IMMEDIATE``), not ``with conn:``:
sqlite-utils wraps each insert and update in a transaction of its own, which
inside a bare ``with conn:`` commits on its own (a full disk left an article
without its revision).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlite_utils

from newsarchive.archive.analysis_rows import AnalysisRows
from newsarchive.archive.clock import utcnow
from newsarchive.archive.errors import ArchiveError
from newsarchive.archive.opening import check_archive, check_writable, connect_readonly, describe
from newsarchive.archive.revisions import text_changes
from newsarchive.archive.records import Outcome
from newsarchive.archive.schema import migrate, migrations_pending

if TYPE_CHECKING:  # the store reads these dataclasses' fields, nothing more
    from newsarchive.archive.sources import Source
    from newsarchive.nlp.extraction.core import Article


def content_hash(title: str | None, text: str) -> str:
    """A hash of what a reader sees: title and text, whitespace-normalised."""
    normalised = " ".join((title or "").split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


#: ``(id, title, text)`` of the articles, after an id, whose entities are missing or came
#: from another model (parameters: the model's name, the id to start after)
PENDING_ARTICLES_SQL = (
    "select id, coalesce(title, ''), text, language from articles "
    "where (processed_model is null or processed_model != ?) and id > ? order by id"
)


@dataclass
class PageRecord:
    """One fetched URL, as the crawler saw it."""

    url: str
    canonical_url: str
    source: str
    status: int
    fetched_at: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    extraction_status: str | None = None
    crawl_id: int | None = None
    warc_file: str | None = None
    warc_offset: int | None = None


@dataclass
class KnownPage:
    """What the archive knows of a URL already fetched: enough to decide
    whether to fetch it again and how (conditional request validators)."""

    url: str
    etag: str | None
    last_modified: str | None
    fetched_at: str
    born: str
    article_id: int | None
    article_status: str | None


@dataclass
class CrawlStats:
    """Counts kept for one crawl run; written to the ``crawls`` row."""

    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    not_modified: int = 0
    gone: int = 0
    errors: int = 0

    def count(self, outcome: str) -> None:
        """Add one page outcome (see :func:`newsarchive.stages.ingest.commit`)."""
        if outcome == Outcome.NEW:
            self.articles_new += 1
        elif outcome == Outcome.UPDATED:
            self.articles_updated += 1
        elif outcome in (Outcome.UNCHANGED, Outcome.NOT_MODIFIED):
            self.not_modified += 1
        elif outcome == Outcome.GONE:
            self.gone += 1


class Store(AnalysisRows):
    """Read and write the archive.

    :param path: the SQLite file (created, with its schema, if absent)
    """

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            if readonly:
                self.db = sqlite_utils.Database(connect_readonly(self.path))
                check_archive(self.db, self.path, readonly=True)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            check_writable(self.path)
            self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=30))
            self.db.execute("PRAGMA busy_timeout=30000")  # before anything that may wait for a lock
            check_archive(self.db, self.path)  # before the first write: refuse what is not ours
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(describe(self.path, exc)) from None

    def _migrate(self) -> None:
        """Apply pending migrations; two processes opening a new archive at
        once must not both create it, so the second waits for the first."""
        if not migrations_pending(self.db):
            return
        real = Path(os.path.realpath(self.path))
        with open(real.with_name(real.name + ".migrate.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if migrations_pending(self.db):
                migrate(self.db)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, committed whole or rolled back whole.

        ``BEGIN IMMEDIATE`` takes the write lock at once (waiting up to the busy
        timeout), so a read inside the block never has to upgrade to a write,
        which WAL refuses outright when another writer committed meanwhile.
        sqlite-utils' own transactions nest inside it as savepoints.
        """
        if self.db.conn.in_transaction:  # inside a caller's transaction: a savepoint
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.execute("COMMIT")
        except BaseException:
            self.db.rollback()
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # sources and crawls -------------------------------------------------

    def save_sources(self, sources: Iterable[Source]) -> None:
        """Insert or update the ``sources`` rows."""
        with self.transaction():
            self.db["sources"].upsert_all([s.to_row() for s in sources], pk="name")

    def ensure_source(self, name: str, url: str) -> None:
        """Make sure a ``sources`` row exists for ``name`` (pages imported from
        WARC files may come from sites not in ``sources.yml``)."""
        if self.db.execute("select 1 from sources where name = ?", [name]).fetchone():
            return
        parts = urlsplit(url)
        with self.transaction():
            self.db["sources"].insert({"name": name, "homepage": f"{parts.scheme}://{parts.netloc}/"},
                                      ignore=True)

    def start_crawl(self, source: str | None) -> int:
        """Open a ``crawls`` row and return its id."""
        with self.transaction():
            table = self.db["crawls"].insert(
                {"source": source, "started_at": utcnow(), "status": "running"}
            )
        return int(table.last_pk)

    def close_interrupted_crawls(self) -> int:
        """Mark crawls left ``running`` by a killed process as ``interrupted``.

        Call it only while holding the crawl lock: then no crawl is running.
        """
        with self.transaction():
            cursor = self.db.execute(
                "update crawls set status = 'interrupted' where status = 'running'"
            )
        return cursor.rowcount

    def finish_crawl(self, crawl_id: int, stats: CrawlStats, status: str, messages: list[str]) -> None:
        """Close a ``crawls`` row with its counts and final status."""
        row = self.db["crawls"].get(crawl_id)
        started = dt.datetime.fromisoformat(row["started_at"])
        finished = dt.datetime.now(dt.timezone.utc)
        with self.transaction():
            self.db["crawls"].update(
                crawl_id,
                {
                    **vars(stats),
                    "finished_at": finished.replace(microsecond=0).isoformat(),
                    "duration_s": round((finished - started).total_seconds(), 3),
                    "status": status,
                    "error_messages": "\n".join(messages[-50:]) or None,
                },
            )

    # pages and articles ------------------------------------------------

    def save_page(self, page: PageRecord, article_id: int | None = None) -> None:
        """Record a fetched URL (one row per URL, updated on each fetch)."""
        row = {**vars(page), "article_id": article_id}
        with self.transaction():
            existing = self._page_id(page.url)
            if existing is None:
                self.db["pages"].insert(row)
            else:
                self.db["pages"].update(existing, row)

    def _page_id(self, url: str) -> int | None:
        found = self.db.execute("select id from pages where url = ?", [url]).fetchone()
        return found[0] if found else None

    _KNOWN_SQL = (
        "select p.url, p.etag, p.last_modified, p.fetched_at, "
        "coalesce(a.published_at, a.first_seen, p.fetched_at), a.id, a.status "
        "from pages p left join articles a on a.id = p.article_id "
    )

    def known_page(self, url: str) -> KnownPage | None:
        """The archive's record of ``url`` (as requested), or ``None``."""
        row = self.db.execute(self._KNOWN_SQL + "where p.url = ?", [url]).fetchone()
        return KnownPage(*row) if row else None

    def known_pages(self, source: str) -> Iterator[KnownPage]:
        """Every URL of ``source`` fetched before that holds an article."""
        sql = self._KNOWN_SQL + "where p.source = ? and p.article_id is not null order by p.id"
        for row in self.db.execute(sql, [source]).fetchall():
            yield KnownPage(*row)

    def touch_page(self, page: PageRecord) -> int | None:
        """A fetch that found nothing new (304, or the same content): move
        ``last_seen`` on, keep everything else. Returns the article id."""
        return self._refetched(page, lambda: {"last_seen": page.fetched_at, "status": "live"})

    def mark_gone(self, page: PageRecord) -> int | None:
        """A known URL now answers 404 or 410: its article is marked ``gone``,
        never deleted. Returns the article id, if the URL had one."""
        return self._refetched(page, lambda: {"status": "gone"})

    def _refetched(self, page: PageRecord, article_change: Any) -> int | None:
        """Record a new fetch of a known URL and change its article; its article id."""
        with self.transaction():
            found = self.db.execute("select id, article_id from pages where url = ?", [page.url]).fetchone()
            if found is None:
                return None
            self.db["pages"].update(found[0], {"fetched_at": page.fetched_at, "status": page.status,
                                               "crawl_id": page.crawl_id})
            if found[1] is not None:
                self.db["articles"].update(found[1], article_change())
            return found[1]

    def save_article(self, source: str, url: str, article: Article, fetched_at: str) -> tuple[int, str]:
        """Insert a new article, or record a new revision of a changed one.

        An article is identified by its canonical URL. The same text seen
        again only moves ``last_seen``; changed text becomes a new revision
        (the old one is kept in ``revisions``) and its entities are redone.

        :returns: the article id and the outcome: ``new``, ``updated`` or ``unchanged``
        """
        digest = content_hash(article.title, article.text)
        with self.transaction():
            existing = self._article_by_url(url)
            if existing is None:
                return self._insert_article(source, url, article, fetched_at, digest), Outcome.NEW
            if existing["content_hash"] == digest or self._is_replay(existing, digest, fetched_at):
                if fetched_at > existing["last_seen"]:
                    self.db["articles"].update(existing["id"], {"last_seen": fetched_at, "status": "live"})
                return existing["id"], Outcome.UNCHANGED
            self._revise_article(existing, article, fetched_at, digest)
            self.recount_article_date(existing["id"])
            return existing["id"], Outcome.UPDATED

    def article_hash(self, article_id: int) -> str:
        """The content hash of an article's current version."""
        return self.db.execute("select content_hash from articles where id = ?", [article_id]).fetchone()[0]

    def _is_replay(self, existing: dict[str, Any], digest: str, fetched_at: str) -> bool:
        """A version fetched no later than the latest one and already recorded:
        WARC files being reprocessed, not a change on the site."""
        if fetched_at > existing["last_seen"]:
            return False
        found = self.db.execute(
            "select 1 from revisions where article_id = ? and content_hash = ?", [existing["id"], digest]
        ).fetchone()
        return found is not None

    def _article_by_url(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db["articles"].rows_where("url = ?", [url], limit=1))
        return rows[0] if rows else None

    def _article_row(self, article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "byline": article.author,
            "published_at": article.published_at,
            "updated_at": article.updated_at,
            "language": article.language,
            "site_name": article.site_name,
            "description": article.description,
            "section": article.section,
            "image": article.image,
            "text": article.text,
            "word_count": article.word_count,
        }

    def _insert_article(self, source: str, url: str, article: Article, fetched_at: str, digest: str) -> int:
        row = {
            **self._article_row(article),
            "url": url, "source": source, "content_hash": digest, "first_seen": fetched_at,
            "last_seen": fetched_at, "revision": 1, "status": "live",
        }
        article_id = int(self.db["articles"].insert(row).last_pk)
        self._insert_revision(article_id, 1, fetched_at, article.title, article.text, digest, "")
        return article_id

    def _revise_article(self, existing: dict[str, Any], article: Article, fetched_at: str, digest: str) -> None:
        revision = existing["revision"] + 1
        self.db["articles"].update(
            existing["id"],
            {
                **self._article_row(article), "content_hash": digest, "last_seen": fetched_at,
                "revision": revision, "status": "live", "processed_model": None, "processed_at": None,
            },
        )
        self._insert_revision(
            existing["id"], revision, fetched_at, article.title, article.text, digest, existing["text"]
        )

    def _insert_revision(
        self, article_id: int, revision: int, fetched_at: str, title: str | None,
        text: str, digest: str, previous_text: str,
    ) -> None:
        added, removed = text_changes(previous_text, text)
        self.db["revisions"].insert(
            {
                "article_id": article_id, "revision": revision, "fetched_at": fetched_at,
                "title": title, "text": text, "content_hash": digest,
                "chars_added": added, "chars_removed": removed,
            }
        )

    # entities -----------------------------------------------------------

    def last_crawls(self) -> list[tuple[str, str, int, int, int, int, int]]:
        """``(source, status, pages, new, updated, unchanged, errors)`` of each source's last crawl."""
        return self.db.execute(
            "select source, status, pages_fetched, articles_new, articles_updated, not_modified, errors "
            "from crawls where id in (select max(id) from crawls group by source) order by source"
        ).fetchall()

    def articles_to_process(self, model: str) -> list[tuple[int, str, str, str | None]]:
        """``(id, title, text, language)`` of the articles whose entities are missing or came from
        another model, by id."""
        return self.db.execute(PENDING_ARTICLES_SQL, [model, 0]).fetchall()

    # reading ------------------------------------------------------------

    def count(self, table: str) -> int:
        """Rows in ``table``."""
        return self.db[table].count


