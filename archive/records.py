"""What the spider hands on: one fetched page, raw, with its headers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PageItem:
    """A fetched article page, before extraction.

    :param url: the URL as requested
    :param final_url: the URL after redirects
    :param canonical_url: the identity the article is archived under
    :param source: the name of the source in ``sources.yml``
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
