"""The records that cross layers: a fetched page, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """What a fetched page became in the archive (a page whose extraction stopped has the
    extraction's status instead, :class:`newsarchive.nlp.extraction.core.ExtractionStatus`)."""

    ARTICLE = "article"  # the decision before commit: an article to save
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not_modified"  # a 304
    GONE = "gone"  # a known page now 404 or 410
    MISSING = "missing"  # an unknown page 404 or 410
    NOT_ARTICLE = "not_article"
    REDIRECTED = "redirected"  # an article link that redirected to a page of another kind (a paywall)
    FAILED = "failed"  # extraction raised (reprocess)


@dataclass
class PageItem:
    """A fetched article page, before extraction.

    :param url: the URL as requested
    :param final_url: the URL after redirects
    :param canonical_url: the identity the article is archived under
    :param source: the name of the source in ``sources.yml``
    :param redirected_from: the URL first requested, when the page was reached by a redirect
    """

    url: str
    final_url: str
    canonical_url: str
    source: str
    status: int
    body: bytes
    fetched_at: str
    content_type: str | None = None
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    redirected_from: str | None = None
