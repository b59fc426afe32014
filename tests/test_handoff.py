"""The Redis hand-over carries JSON, and refuses anything else."""

from __future__ import annotations

import pickle
import zlib

import pytest

from newsarchive.archive.records import PageItem
from newsarchive.nlp.extraction.core import Article
from newsarchive.stages.handoff import HandoffError, decode_page, encode_page
from newsarchive.stages.ingest import Prepared


def _prepared() -> Prepared:
    item = PageItem(url="http://127.0.0.1/a", final_url="http://127.0.0.1/a",
                    canonical_url="http://127.0.0.1/a", source="demo", status=200,
                    body=b"<html>\xff</html>", fetched_at="2026-12-06T12:00:00+00:00", etag='"x"')
    article = Article(text="Mali's .ml domain.", title="Emails", published_at="2023-07-28")
    return Prepared(item, "article", article, "http://127.0.0.1/a")


def test_a_prepared_page_survives_the_round_trip():
    prepared = _prepared()
    data = encode_page(prepared)
    assert zlib.decompress(data).startswith(b"{")
    assert decode_page(data) == prepared


def test_a_page_without_an_article_survives_too():
    prepared = Prepared(_prepared().item, "not_modified")
    assert decode_page(encode_page(prepared)) == prepared


@pytest.mark.parametrize("data", [
    zlib.compress(pickle.dumps(_prepared())),
    b"not compressed",
    zlib.compress(b'{"format": 99}'),
    zlib.compress(b'{"format": 1, "item": {}}'),
])
def test_anything_else_is_refused(data):
    with pytest.raises(HandoffError):
        decode_page(data)
