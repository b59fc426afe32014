"""Rebuild the archive from WARC files, with no network.

``reprocess`` reads our own captures (``data/warc/``) and runs extraction and
entity extraction again, so a new extractor, new rules or a new model reach
every article; ``import-warc`` does the same with WARC files made by other
tools. Both are idempotent: a version already archived changes nothing, and
an interrupted run can simply be run again.

The work is done by the analysis stage (:mod:`newsarchive.stages.analysis`): its pool
takes each page, decides whether it is an article, extracts it and finds its entities (in
worker processes when there are several); this process commits the page and hands the
analysis to the stage's one writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from newsarchive.archive.records import PageItem
from newsarchive.archive.sources import Source
from newsarchive.archive.store import Store, content_hash
from newsarchive.archive.urls import canonical_url
from newsarchive.archive.warc import WarcResponse
from newsarchive.archive.bodies import BodyError, decode_body
from newsarchive.archive.warc_read import (Problem, iter_records, iter_responses,
                                           read_response, warc_date)
from newsarchive.stages.analysis import LINK_EVERY_SECONDS, AnalysisPool, AnalysisWriter
from newsarchive.stages.ingest import Prepared, commit

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class ReprocessResult:
    """What a run did."""

    records: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    #: ``(url, error)`` of each record that could not be extracted or analysed; a page
    #: that failed in extraction is skipped, an article whose entities failed stays pending
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: WARC records that could not be read or used, with their offsets
    skipped: list[Problem] = field(default_factory=list)
    #: the files that gave at least one response, resource or revisit record (used or not)
    read: set[str] = field(default_factory=set)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


@dataclass
class Selection:
    """Which records to take.

    :param since: only pages fetched at or after this ISO date/time
    :param sources: only these sources (names); empty for all
    :param foreign: the files are another tool's: take every HTML response
    """

    since: str | None = None
    sources: frozenset[str] = frozenset()
    foreign: bool = False


def page_items(files: Iterable[Path], selection: Selection, known: list[Source],
               progress: Callable[[int], None] | None = None,
               on_problem: Callable[[Problem], None] | None = None,
               on_read: Callable[[Path], None] | None = None,
               archived: Callable[[str], tuple[str, int] | None] | None = None) -> Iterator[PageItem]:
    """The article pages recorded in ``files``, oldest file first.

    Another tool's files (``selection.foreign``) also give their ``resource``
    records and their revisits, each resolved to the response it repeats
    (:class:`_Originals`) once every file is read. A record that cannot be
    read, whose body cannot be decoded or whose date is impossible is told to
    ``on_problem`` with its offset and skipped. ``on_read`` is told each file
    that gave at least one response, resource or revisit record. ``archived``
    gives where an earlier import keeps a URL's response (file, offset), for a
    revisit whose original is in none of ``files``.
    """
    report = on_problem or (lambda problem: None)
    originals = _Originals(archived)
    revisits: list[WarcResponse] = []
    for path in files:
        last, told = 0, False
        records = iter_records(path, report) if selection.foreign else iter_responses(path, report)
        for record in records:
            if on_read and not told:
                on_read(path)
                told = True
            if progress:
                progress(max(0, record.offset - last))
                last = max(last, record.offset)
            if record.record_type == "revisit":
                revisits.append(record)
                continue
            if selection.foreign:
                try:
                    record.body = decode_body(record.body, record.headers)
                except BodyError as exc:
                    report(Problem(record.file, record.offset, f"{exc}; record skipped"))
                    continue
                originals.add(record)
            item = _item(record, selection, known, path, report)
            if item is not None:
                yield item
        if progress:
            progress(max(0, path.stat().st_size - last))
    for revisit in revisits:
        record = originals.resolve(revisit, report)
        if record is not None and (item := _item(record, selection, known, Path(record.file), report)) is not None:
            yield item


class _Originals:
    """Where the responses of this run are, to resolve revisits: by record id
    (``WARC-Refers-To``), by payload digest, and by URL (``WARC-Refers-To-Target-URI``)."""

    def __init__(self, archived: Callable[[str], tuple[str, int] | None] | None = None) -> None:
        self.archived = archived
        self.by_id: dict[str, tuple[str, int]] = {}
        self.by_digest: dict[str, tuple[str, int]] = {}
        self.by_url: dict[str, tuple[str, int]] = {}

    def add(self, record: WarcResponse) -> None:
        if record.record_type != "response" or not record.record_id:  # ARC records are never revisited
            return
        where = (record.file, record.offset)
        if record.record_id:
            self.by_id[record.record_id] = where
        if record.payload_digest:
            self.by_digest.setdefault(record.payload_digest, where)
        self.by_url[record.url] = where

    def resolve(self, revisit: WarcResponse, report: Callable[[Problem], None]) -> WarcResponse | None:
        """The page a revisit stands for: its URL and date, the original's body.

        The page points at the original's record, where the body is kept."""
        target = revisit.refers_to_uri or revisit.url
        where = (self.by_id.get(revisit.refers_to or "") or self.by_digest.get(revisit.payload_digest or "")
                 or self.by_url.get(target) or (self.archived(target) if self.archived else None))
        if where is None:
            report(Problem(revisit.file, revisit.offset,
                           f"revisit of {revisit.refers_to_uri or revisit.url}: its original is in none of "
                           f"these files; record skipped"))
            return None
        try:
            original = read_response(*where)
        except Exception as exc:  # noqa: BLE001 - the original was read once; report whatever fails now
            report(Problem(revisit.file, revisit.offset, f"revisit: its original at {where[0]}:{where[1]} "
                                                         f"cannot be read again ({exc}); record skipped"))
            return None
        headers = revisit.headers if revisit.status else original.headers
        return WarcResponse(
            url=revisit.url, status=revisit.status or original.status, headers=headers or original.headers,
            body=original.body, date=revisit.date, file=original.file, offset=original.offset,
            source=revisit.source, kind=revisit.kind, record_type="revisit",
        )


def _item(record: WarcResponse, selection: Selection, known: list[Source], path: Path,
          report: Callable[[Problem], None] = lambda problem: None) -> PageItem | None:
    if selection.foreign:
        content_type = (record.header("content-type") or "").lower()
        if record.status != 200 or not content_type.startswith(HTML_TYPES):
            return None
        source = record.source or source_for_url(record.url, known)
    else:
        if record.kind != "article":
            return None
        source = record.source or source_for_url(record.url, known)
    fetched_at = warc_date(record.date)
    if fetched_at is None:
        report(Problem(record.file, record.offset, f"WARC-Date {record.date!r} is impossible or unreadable; record skipped"))
        return None
    if selection.since and fetched_at < selection.since:
        return None
    if selection.sources and source not in selection.sources:
        return None
    return PageItem(
        url=record.url, final_url=record.url, canonical_url=canonical_url(record.url), source=source,
        status=record.status, body=record.body, fetched_at=fetched_at,
        content_type=record.header("content-type"), etag=record.header("etag"),
        last_modified=record.header("last-modified"),
        warc_file=str(path) if selection.foreign else path.name, warc_offset=record.offset,
    )


def source_for_url(url: str, known: list[Source]) -> str:
    """The source whose allowed domains hold ``url``'s host, else the host itself."""
    host = (urlsplit(url).hostname or "").lower()
    for source in known:
        if any(host == d or host.endswith("." + d) for d in source.allowed_domains):
            return source.name
    return host[4:] if host.startswith("www.") else host


# The writer side: pages and their analysis come from the analysis stage's pool ----------

def rebuild(store: Store, files: Iterable[Path], selection: Selection, known: list[Source],
            pool: AnalysisPool, progress: Callable[[int], None] | None = None,
            batch_size: int = 32, on_failure: Callable[[str, str], None] | None = None,
            on_problem: Callable[[Problem], None] | None = None) -> ReprocessResult:
    """Run extraction and entities over the selected WARC records into ``store``.

    :param known: sources from ``sources.yml`` (for article rules and names); the pool must
        have been made with them
    :param pool: the analysis stage's pool; with more than one process, stories are linked
        every :data:`LINK_EVERY_SECONDS` while the workers go on (as a crawl links them);
        which articles meet in a batch varies from run to run, the stories do not (story
        numbers may)
    :param on_failure: told ``(url, error)`` at once for a page that could not be extracted
        or analysed; the run goes on
    :param on_problem: told each WARC record skipped (damaged, truncated, undecodable body,
        impossible date, revisit of nothing here), with its offset; the run goes on.
        ``result.read`` names the files that gave any record.
    """
    result = ReprocessResult()
    store.save_sources(known)

    def skipped(problem: Problem) -> None:
        result.skipped.append(problem)
        if problem.readable:
            result.read.add(problem.file)
        if on_problem:
            on_problem(problem)

    items = page_items(files, selection, known, progress, skipped, on_read=lambda path: result.read.add(str(path)),
                       archived=_ArchivedRecords(store.path))
    link_every = LINK_EVERY_SECONDS if pool.processes > 1 else None
    writer = AnalysisWriter(store, pool.model, batch_size, link_every=link_every)
    for page in pool.analyse_pages(items):
        result.records += 1
        if page.error is not None:
            result.failed.append((page.url, page.error))
            if on_failure:
                on_failure(page.url, page.error)
        if page.prepared is None:
            result.count("failed")
            continue
        store.ensure_source(page.prepared.item.source, page.prepared.item.url)
        outcome, article_id = commit(store, page.prepared)
        result.count(outcome)
        if article_id is not None and page.analysis is not None and _is_current(store, article_id, page.prepared):
            page.analysis.article_id = article_id
            writer.add(page.analysis)
    writer.close()
    return result


class _ArchivedRecords:
    """Where an earlier import of another tool's WARC keeps a URL's response, if that
    file is still there. Its own read-only connection: pages are read in the analysis
    pool's feeding thread while this one writes."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.connection: sqlite3.Connection | None = None

    def __call__(self, url: str) -> tuple[str, int] | None:
        if self.connection is None:
            self.connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
        row = self.connection.execute(
            "select warc_file, warc_offset from pages where url = ? and warc_file is not null "
            "and warc_offset is not null order by fetched_at desc limit 1", [url]).fetchone()
        if row and Path(row[0]).is_absolute() and Path(row[0]).is_file():
            return row[0], int(row[1])
        return None


def _is_current(store: Store, article_id: int, prepared: Prepared) -> bool:
    """Entities belong to the article's current version only, not to an older one replayed."""
    assert prepared.article is not None
    return store.article_hash(article_id) == content_hash(prepared.article.title, prepared.article.text)
