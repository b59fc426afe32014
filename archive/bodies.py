"""HTTP bodies as a WARC keeps them: chunked, and in any Content-Encoding (gzip, deflate,
br, zstd), undone here because warcio 1.8 cannot undo br with the brotli that Scrapy
installs."""

from __future__ import annotations

import zlib
from collections.abc import Callable

class BodyError(ValueError):
    """A payload whose transfer or content encoding cannot be undone."""


def dechunk(data: bytes) -> bytes:
    """Undo ``Transfer-Encoding: chunked``; bytes that are not chunked come back as they are."""
    out, pos = [], 0
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        size_text = data[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return data if not out else b"".join(out)
        if size == 0:
            return b"".join(out)
        start = end + 1
        out.append(data[start:start + size])
        pos = start + size
        if data[pos:pos + 2] == b"\r\n":
            pos += 2
        elif data[pos:pos + 1] == b"\n":
            pos += 1
    return b"".join(out) if out else data


def _inflate(data: bytes) -> bytes:
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS, zlib.MAX_WBITS | 32):
        try:
            return zlib.decompressobj(wbits).decompress(data)
        except zlib.error:
            continue
    raise BodyError("deflate body does not inflate")


def _gunzip(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(data)
    except zlib.error as exc:
        raise BodyError(f"gzip body does not decompress: {exc}") from None


def _unbrotli(data: bytes) -> bytes:
    import brotli

    try:
        return brotli.decompress(data)
    except brotli.error as exc:
        raise BodyError(f"brotli body does not decompress: {exc}") from None


def _unzstd(data: bytes) -> bytes:
    try:
        from compression import zstd  # Python 3.14
    except ImportError:
        from backports import zstd
    try:
        return zstd.decompress(data)
    except zstd.ZstdError as exc:
        raise BodyError(f"zstd body does not decompress: {exc}") from None


DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd,
    "identity": lambda b: b, "none": lambda b: b, "": lambda b: b,
}


def decode_body(raw: bytes, headers: dict[str, str]) -> bytes:
    """The payload with its transfer and content encodings undone (last applied, first undone).

    :raises BodyError: an unknown coding, or bytes that do not decode
    """
    body = raw
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = dechunk(body)
    codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",") if c.strip()]
    for coding in reversed(codings):
        decoder = DECODERS.get(coding)
        if decoder is None:
            raise BodyError(f"unknown Content-Encoding {coding!r}")
        if not body:
            break
        try:
            body = decoder(body)
        except BodyError:
            # Some tools store the body already decoded but keep the header.
            if looks_decoded(body):
                return body
            raise
    return body


def looks_decoded(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"{", b"<"))


# -- dates -------------------------------------------------------------------

#: the parts of a malformed WARC-Date that can still be read (ClueWeb09 writes
#: ``2008-10-294T05:21:46-0700``: the day has a digit too many)
