"""From a fetched page to an archived article: shared by the crawl, the
reprocessing of WARC files and the import of other tools' WARCs.

The work is split in two so that the expensive half can run in worker
processes: :func:`prepare` (pure CPU: is it an article, extract it) and
:func:`commit` (the store's writes, in the one writer process).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from newsarchive.archive.store import PageRecord, Store
from newsarchive.nlp.extraction.detect import declared_type
from newsarchive.archive.records import Outcome, PageItem
from newsarchive.archive.urls import article_identity, canonical_url
from newsarchive.nlp.extraction.decode import declared_charset, looks_binary

if TYPE_CHECKING:
    from newsarchive.archive.sources import Source
    from newsarchive.nlp.extraction.core import Article

#: pages of unknown sources (imported WARCs) count as articles from this many words
MIN_UNDECLARED_WORDS = 150


@dataclass
class Prepared:
    """A page with its decision made and, for an article, its extraction."""

    item: PageItem
    #: ``article``, ``not_modified``, ``gone``, ``not_article``, or the extraction's status
    decision: str
    article: Article | None = None
    identity: str | None = None


def prepare(item: PageItem, source: Source | None) -> Prepared:
    """Decide what ``item`` is and extract it if it is an article.

    Decisions: ``not_modified``, ``gone``, ``redirected`` (an article link that
    redirected to a page of another kind, e.g. a paywall's subscribe page),
    ``not_article``, ``article``, or the extraction status of a failed page.
    The identity of an article is :func:`~newsarchive.archive.urls.article_identity`.

    :param source: the page's source; ``None`` for pages of unknown origin
        (imported WARCs), which are articles when they declare themselves so
        (og:type, JSON-LD), or declare nothing and have at least
        :data:`MIN_UNDECLARED_WORDS` words
    """
    if item.status == 304:
        return Prepared(item, Outcome.NOT_MODIFIED)
    if item.status in (404, 410):
        return Prepared(item, Outcome.GONE)
    if item.redirected_from and source is not None and _redirected_away(item, source):
        return Prepared(item, Outcome.REDIRECTED)  # a paywall's /subscribe, the home page: not the article
    # what the page declares matters only where no article_pattern decides (a parse saved)
    declared = declared_type(item.body) if source is None or source.article_pattern is None else None
    if source is not None and source.article_pattern is None and declared != "article":
        return Prepared(item, Outcome.NOT_ARTICLE)
    if source is None and declared not in ("article", None):
        return Prepared(item, Outcome.NOT_ARTICLE)  # a page of unknown origin that says it is a website
    from newsarchive.nlp.extraction.core import extract_article  # here, not at import: a crawl with nothing new never loads trafilatura

    article = extract_article(page_for_extraction(item), url=item.final_url)
    if article.extraction_status != "ok":
        return Prepared(item, article.extraction_status, article)
    if source is None and declared is None and article.word_count < MIN_UNDECLARED_WORDS:
        return Prepared(item, Outcome.NOT_ARTICLE, article)
    return Prepared(item, Outcome.ARTICLE, article, article_identity(item.final_url, article.url, source))


def _redirected_away(item: PageItem, source: Source) -> bool:
    """Whether a redirect took an article link to a page of another kind: one the
    source's ``article_pattern`` refuses, its home page, or one of its listings."""
    final = canonical_url(item.final_url)
    if source.article_pattern is not None and not source.is_article_url(final):
        return True
    if (urlsplit(final).path or "/") == "/":
        return True
    listings = {canonical_url(u) for u in (source.homepage, *source.sections, *source.feeds, *source.sitemaps)}
    return final in listings


def page_for_extraction(item: PageItem) -> bytes | str:
    """The page as the extractor should read it: the body, decoded here when
    it only makes sense in the charset the HTTP header names.

    The extractor sees bytes only: a page with a byte-order mark, or whose
    charset is in the ``Content-Type`` header alone (no ``<meta charset>``)
    and which is not UTF-8, would otherwise be left to a guess (a cp1252
    page came out as cp1250). UTF-8 and meta-declared pages are left to the
    extractor, which distrusts lying labels better than a header can.
    """
    body = item.body
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, "replace")
    charset = _header_charset(item.content_type)
    if not charset or declared_charset(body) or looks_binary(body):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body


def _header_charset(content_type: str | None) -> str | None:
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    return found.group(1) if found else None


def page_record(prepared: Prepared, crawl_id: int | None) -> PageRecord:
    """The ``pages`` row for a prepared page."""
    item = prepared.item
    status = prepared.decision if prepared.decision not in (Outcome.NOT_MODIFIED, Outcome.GONE) else None
    return PageRecord(
        url=item.url, canonical_url=prepared.identity or item.canonical_url, source=item.source,
        status=item.status, fetched_at=item.fetched_at, content_type=item.content_type,
        etag=item.etag, last_modified=item.last_modified,
        extraction_status="ok" if status == Outcome.ARTICLE else status, crawl_id=crawl_id,
        warc_file=item.warc_file, warc_offset=item.warc_offset,
    )


class Committed(NamedTuple):
    """What :func:`commit` did: the outcome, and the article's id when there is one."""

    outcome: str
    article_id: int | None


def commit(store: Store, prepared: Prepared, crawl_id: int | None = None) -> Committed:
    """Write a prepared page; returns the outcome and the article id.

    Outcomes: ``new``, ``updated``, ``unchanged`` (an article); ``not_modified``
    (304); ``gone`` (a known page now 404/410); ``missing`` (an unknown page
    404/410); ``not_article``; or the extraction status of a page that failed.
    """
    page = page_record(prepared, crawl_id)
    if prepared.decision == Outcome.NOT_MODIFIED:
        return Committed(Outcome.NOT_MODIFIED, store.touch_page(page))
    if prepared.decision == Outcome.GONE:
        article_id = store.mark_gone(page)
        return Committed(Outcome.GONE if article_id is not None else Outcome.MISSING, article_id)
    if prepared.decision != Outcome.ARTICLE:
        store.save_page(page)
        return Committed(prepared.decision, None)
    assert prepared.article is not None and prepared.identity is not None
    item = prepared.item
    article_id, outcome = store.save_article(item.source, prepared.identity, prepared.article, item.fetched_at)
    page.content_hash = store.article_hash(article_id)
    store.save_page(page, article_id)
    return Committed(Outcome(outcome), article_id)
