"""Rebuild the archive from WARC files, with no network.

``reprocess`` reads our own captures (``data/warc/``) and runs extraction and
entity extraction again, so a new extractor, new rules or a new model reach
every article; ``import-warc`` does the same with WARC files made by other
tools. Both are idempotent: a version already archived changes nothing, and
an interrupted run can simply be run again.

The work is spread over worker processes: each worker takes a page, decides
whether it is an article, extracts it and finds its entities; the parent
process is the archive's only writer. With one worker everything runs in the
parent.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsarchive.stages.ingest import Prepared, commit, prepare
from newsarchive.stages.analysis import LINK_EVERY_SECONDS, error_text
from newsarchive.archive.store import Store, content_hash
from newsarchive.stages.stories import StoryUpdater
from newsarchive.archive.warc import WarcResponse, from_warc_date, iter_responses
from newsarchive.archive.records import PageItem
from newsarchive.archive.sources import Source
from newsarchive.archive.urls import canonical_url
from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class ReprocessResult:
    """What a run did."""

    records: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    #: ``(url, error)`` of each record that could not be extracted or analysed; a page
    #: that failed in extraction is skipped, an article whose entities failed stays pending
    failed: list[tuple[str, str]] = field(default_factory=list)

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
               progress: Callable[[int], None] | None = None) -> Iterator[PageItem]:
    """The article pages recorded in ``files``, oldest file first."""
    for path in files:
        last = 0
        for record in iter_responses(path):
            if progress:
                progress(record.offset - last)
                last = record.offset
            item = _item(record, selection, known, path)
            if item is not None:
                yield item
        if progress:
            progress(max(0, path.stat().st_size - last))


def _item(record: WarcResponse, selection: Selection, known: list[Source], path: Path) -> PageItem | None:
    if selection.foreign:
        content_type = (record.header("content-type") or "").lower()
        if record.status != 200 or not content_type.startswith(HTML_TYPES):
            return None
        source = record.source or source_for_url(record.url, known)
    else:
        if record.kind != "article":
            return None
        source = record.source or source_for_url(record.url, known)
    fetched_at = from_warc_date(record.date)
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


# The worker side -----------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(model: str | None, sources: list[Source]) -> None:
    from newsarchive.nlp.entities.extract import load_nlp

    _WORKER["nlp"] = load_nlp(model)
    _WORKER["sources"] = {s.name: s for s in sources}
    _WORKER["tagger"] = IncidentTagger()


#: a page's URL, the page prepared, its entities and incident evidence (for an article),
#: and the error that stopped them, if any
PageAnalysis = tuple[str, Prepared | None, list[Any] | None, ArticleIncident | None, str | None]


def analyse(item: PageItem) -> PageAnalysis:
    """Prepare one page and, for an article, find its entities and incident evidence
    (in a worker). A failure is returned, not raised, so one page never stops a run:
    no prepared page when extraction failed, no entities when only they failed."""
    from newsarchive.nlp.entities.extract import extract_entities

    try:
        prepared = prepare(item, _WORKER["sources"].get(item.source))
    except Exception as exc:
        return item.url, None, None, None, f"extraction failed: {error_text(exc)}"
    if prepared.decision != "article" or prepared.article is None:
        return item.url, prepared, None, None, None
    article = prepared.article
    try:
        incident = _WORKER["tagger"].tag_article(article.title or "", article.text)
        entities = extract_entities((article.title or "") + "\n\n" + article.text, nlp=_WORKER["nlp"])
    except Exception as exc:
        return (item.url, prepared, None, None,
                f"entities not extracted (the article stays pending): {error_text(exc)}")
    return item.url, prepared, entities, incident, None


def _results(items: Iterator[PageItem], workers: int, model: str | None,
             sources: list[Source]) -> Iterator[PageAnalysis]:
    _init_worker(model, sources)  # here, once: forked workers share the loaded model
    if workers <= 1:
        yield from map(analyse, items)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(analyse, items, chunksize=4)


# The writer side -----------------------------------------------------------

def rebuild(store: Store, files: Iterable[Path], selection: Selection, known: list[Source],
            model: str, workers: int = 1, progress: Callable[[int], None] | None = None,
            batch_size: int = 32, on_failure: Callable[[str, str], None] | None = None) -> ReprocessResult:
    """Run extraction and entities over the selected WARC records into ``store``.

    :param known: sources from ``sources.yml`` (for article rules and names)
    :param model: the spaCy model's name, recorded with the entities
    :param workers: processes doing the extraction and NLP; with more than one, stories are
        linked every ``LINK_EVERY_SECONDS`` while the workers go on (as a crawl links them),
        so which articles meet in a batch, and so the stories, can vary from run to run
    :param on_failure: told ``(url, error)`` at once for a page that could not be extracted
        or analysed; the run goes on
    """
    result = ReprocessResult()
    store.save_sources(known)
    pending: list[tuple[int, list[Any]]] = []
    items = page_items(files, selection, known, progress)
    linked_at = time.monotonic()
    stories = StoryUpdater(store)
    incidents: dict[int, ArticleIncident] = {}
    for url, prepared, entities, incident, error in _results(items, workers, model, known):
        result.records += 1
        if error is not None:
            result.failed.append((url, error))
            if on_failure:
                on_failure(url, error)
        if prepared is None:
            result.count("failed")
            continue
        store.ensure_source(prepared.item.source, prepared.item.url)
        outcome, article_id = commit(store, prepared)
        result.count(outcome)
        if article_id is not None and entities is not None and _is_current(store, article_id, prepared):
            pending.append((article_id, entities))
            if incident is not None:
                incidents[article_id] = incident
        if len(pending) >= batch_size:
            store.save_entities(pending, model)
            pending = []
        if workers > 1 and time.monotonic() - linked_at >= LINK_EVERY_SECONDS:
            # link what is saved while the workers go on, rather than all of it at the end
            store.save_entities(pending, model)
            pending = []
            stories.update(incidents)
            incidents.clear()
            linked_at = time.monotonic()
    store.save_entities(pending, model)
    stories.update(incidents)
    return result


def _is_current(store: Store, article_id: int, prepared: Prepared) -> bool:
    """Entities belong to the article's current version only, not to an older one replayed."""
    assert prepared.article is not None
    return store.article_hash(article_id) == content_hash(prepared.article.title, prepared.article.text)
