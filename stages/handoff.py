"""The hand-over between distributed crawler workers and the loader: Redis lists of JSON.

A worker (:mod:`newsarchive.crawler.distributed`) pushes each page it prepared onto
:data:`PAGES_KEY`; the loader (:mod:`newsarchive.stages.loader`) moves one at a time to
:data:`PROCESSING_KEY`, commits it and removes it. A page travels as zlib-compressed JSON,
never as a pickle: what comes out of Redis is data, whoever wrote it, and a record that
does not have the expected shape is refused with :class:`HandoffError`.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import zlib
from typing import Any

from newsarchive.archive.records import PageItem
from newsarchive.archive.store import KnownPage
from newsarchive.nlp.extraction.core import Article
from newsarchive.stages.ingest import Prepared

PAGES_KEY = "newsarchive:pages"
PROCESSING_KEY = "newsarchive:pages:processing"
#: per source, a hash: URL -> what the archive knows of it (:func:`encode_known`), written
#: by the loader, read by the workers for conditional requests and the recheck schedule
KNOWN_KEY = "newsarchive:known:{source}"
FORMAT = 1


class HandoffError(ValueError):
    """A record in the hand-over list that is not a prepared page."""


def encode_page(prepared: Prepared) -> bytes:
    """A prepared page as compressed JSON for the hand-over list."""
    item = dataclasses.asdict(prepared.item)
    item["body"] = base64.b64encode(prepared.item.body).decode("ascii")
    record = {"format": FORMAT, "item": item, "decision": prepared.decision,
              "identity": prepared.identity,
              "article": dataclasses.asdict(prepared.article) if prepared.article else None}
    return zlib.compress(json.dumps(record, separators=(",", ":")).encode("utf-8"))


def decode_page(data: bytes) -> Prepared:
    """The inverse of :func:`encode_page`.

    :raises HandoffError: the bytes are not a record :func:`encode_page` wrote
    """
    try:
        record: dict[str, Any] = json.loads(zlib.decompress(data))
        if record.get("format") != FORMAT:
            raise HandoffError(f"unknown hand-over format {record.get('format')!r}")
        item = dict(record["item"])
        item["body"] = base64.b64decode(item["body"])
        article = Article(**record["article"]) if record["article"] is not None else None
        return Prepared(PageItem(**item), record["decision"], article, record["identity"])
    except HandoffError:
        raise
    except (zlib.error, ValueError, TypeError, KeyError) as error:
        raise HandoffError(f"not a prepared page: {error}") from None


def known_key(source: str) -> str:
    """The Redis hash of ``source``'s known pages."""
    return KNOWN_KEY.format(source=source)


def encode_known(known: KnownPage) -> bytes:
    """What the archive knows of one URL, as JSON for the known-pages hash."""
    return json.dumps(dataclasses.asdict(known), separators=(",", ":")).encode("utf-8")


def decode_known(data: bytes) -> KnownPage | None:
    """The inverse of :func:`encode_known`; ``None`` for a value of another shape (the page
    is then fetched as a new one: nothing is lost)."""
    try:
        record = json.loads(data)
        return KnownPage(**{name: record[name] for name in KnownPage.__dataclass_fields__})
    except (ValueError, TypeError, KeyError):
        return None
