"""Raw capture: every response the crawler receives, kept as WARC.

Web archives keep what they fetched so that anything derived from it can be
rebuilt. :class:`WarcWriter` appends request/response record pairs (gzip per
record, so any record can be read alone from its offset) to files under
``data/warc/``, starting a new file when one passes ``max_bytes``.
:func:`iter_records` reads back the responses, resources and revisits of any
WARC or ARC file, ours or another tool's (wget, Heritrix, JWAT, warcprox,
Browsertrix, Common Crawl): gzip per record or whole-file, chunked bodies,
every Content-Encoding (gzip, deflate, br, zstd; warcio 1.8 cannot undo br
with brotli 1.2, so bodies are decoded here). A damaged or truncated record
is reported with its offset and skipped, and reading goes on at the next
record.

Our records carry two extra WARC headers: ``NewsArchive-Source`` (the source's
name) and ``NewsArchive-Kind`` (``article``, ``feed``, ``sitemap``,
``section``, ``robots``), so that reprocessing knows what each response was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.archive import paths

SOURCE_HEADER = "NewsArchive-Source"
KIND_HEADER = "NewsArchive-Kind"
#: headers that describe the transfer, not the body we store (already de-chunked)
DROPPED_HEADERS = {"transfer-encoding", "content-length"}
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass
class WarcResponse:
    """One response record, read back.

    :param body: the payload with transfer and content encodings undone
    :param file: the WARC file it came from; ``offset`` is where its record starts
    """

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    date: str
    file: str
    offset: int
    source: str | None = None
    kind: str | None = None
    #: ``response``, ``resource`` or ``revisit`` (an ARC record is a response)
    record_type: str = "response"
    record_id: str | None = None
    payload_digest: str | None = None
    refers_to: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: str | None = None

    def header(self, name: str) -> str | None:
        """A response header, by case-insensitive name."""
        return self.headers.get(name.lower())


#: gzip level of each record. warcio compresses at 9. On the 181 benchmark pages (31 MB),
#: level 9 took 0.88 s, 6 (zlib's default) 0.52 s and 3 0.23 s, for output 19.8% (6) and
#: 22.1% (3) of the raw size: 3 is the cheaper trade on a machine whose cores are the
#: bottleneck of a crawl, for files about an eighth bigger.
GZIP_LEVEL = 3


class _RecordGzip:
    """One gzip member per record (what WARC readers expect), at :data:`GZIP_LEVEL`."""

    def __init__(self, out: io.BufferedWriter) -> None:
        self.out = out
        self.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())
        self.out.flush()


class _LevelledWARCWriter(WARCWriter):
    """warcio's writer with our gzip level (it has no setting for it)."""

    def __init__(self, filebuf: io.BufferedWriter) -> None:
        super().__init__(filebuf, gzip=False)

    def _write_warc_record(self, out, record):  # noqa: ANN001 (warcio's signature)
        return super()._write_warc_record(_RecordGzip(out), record)


@dataclass
class WarcWriter:
    """Append request/response pairs to size-rotated WARC files.

    :param directory: where the files go
    :param max_bytes: start a new file once the current one is this big
    :param prefix: file names are ``PREFIX-YYYYmmddHHMMSS-PID-N.warc.gz``
    """

    directory: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    prefix: str = "newsarchive"
    _file: io.BufferedWriter | None = field(default=None, repr=False)
    _writer: WARCWriter | None = field(default=None, repr=False)
    _path: Path | None = None
    _serial: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
              request_headers: list[tuple[str, str]] | None = None, method: str = "GET",
              source: str | None = None, kind: str | None = None,
              date: str | None = None) -> tuple[str, int]:
        """Write one exchange; return the response record's file name and offset.

        :param date: the fetch time (ISO 8601 UTC) to record as ``WARC-Date``
        """
        with self._lock:
            writer = self._current()
            extra = {k: v for k, v in ((SOURCE_HEADER, source), (KIND_HEADER, kind)) if v}
            if date:
                extra["WARC-Date"] = to_warc_date(date)
            kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
            kept.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                 http_headers=http, warc_headers_dict=extra)
            assert self._file is not None and self._path is not None
            offset = self._file.tell()
            writer.write_record(response)
            if request_headers is not None:
                target = url.split("://", 1)[-1].partition("/")[2]
                request = writer.create_warc_record(
                    url, "request",
                    http_headers=StatusAndHeaders(f"{method} /{target} HTTP/1.1", request_headers,
                                                  is_http_request=True),
                    warc_headers_dict={"WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
                )
                writer.write_record(request)
            self._file.flush()
            return self._path.name, offset

    def _current(self) -> WARCWriter:
        if self._file is not None and self._file.tell() >= self.max_bytes:
            self.close()
        if self._writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._serial += 1
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
            self._path = self.directory / f"{self.prefix}-{stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
            self._file = open(self._path, "ab")
            self._writer = _LevelledWARCWriter(self._file)
            self._writer.write_record(self._writer.create_warcinfo_record(
                self._path.name, {"software": "newsarchive", "format": "WARC File Format 1.1"}))
        return self._writer

    def close(self) -> None:
        """Close the current file (the next write starts a new one)."""
        if self._file is not None:
            self._file.close()
        self._file = self._writer = None


def to_warc_date(iso: str) -> str:
    """``2023-07-28T09:00:00+00:00`` → ``2023-07-28T09:00:00Z`` (WARC's form)."""
    return iso.replace("+00:00", "Z")


def from_warc_date(warc_date: str) -> str:
    """``2023-07-28T09:00:00Z`` → ``2023-07-28T09:00:00+00:00`` (the archive's form)."""
    text = warc_date.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        return parsed.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()
    except (ValueError, OverflowError):  # 9999-12-31T23:59:59-01:00 is past datetime's range in UTC
        return text


#: how far past a damaged record to look for the next one
RESYNC_WINDOW = 64 * 1024 * 1024
WARC_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
GZIP_MEMBER = re.compile(rb"\x1f\x8b\x08")
#: where an ARC record's header line (URL, IP, 14-digit date, MIME type, ..., length) starts
ARC_LINE_START = re.compile(rb"\n(?=[A-Za-z][A-Za-z0-9+.-]*:\S* \S+ \d{12,14} )")



class BodyError(ValueError):
    """A payload whose transfer or content encoding cannot be undone."""


@dataclass
class Problem:
    """A record that could not be read: where, and why."""

    file: str
    offset: int
    message: str
    #: whether the record itself could be read (its body or date could not be used);
    #: ``False`` for bytes that are no record at all
    readable: bool = True

    def __str__(self) -> str:
        return f"{self.file} at offset {self.offset}: {self.message}"


# -- bodies --------------------------------------------------------------------

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
LOOSE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\d*[T ](\d{1,2}):(\d{2})(?::(\d{2}))?[.\d]*\s*(Z|[+-]\d{2}:?\d{2})?")


def warc_date(text: str | None) -> str | None:
    """A WARC-Date (or an ARC record's 14-digit date) in the archive's form
    (ISO 8601, UTC, seconds), or ``None`` when it cannot be read or is impossible
    (before 1991, after next year, or past what a date can hold in UTC, as
    ``9999-12-31T23:59:59-01:00`` is)."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{14}|\d{12}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14] or '00'}Z"
    parsed = _iso(text)
    if parsed is None and (loose := LOOSE_DATE.match(text)):
        year, month, day, hour, minute, second, zone = loose.groups()
        zone = (zone or "Z").replace("Z", "+00:00")
        zone = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
        parsed = _iso(f"{year}-{int(month):02d}-{int(day):02d}T{int(hour):02d}:{minute}:{second or '00'}{zone}")
    if parsed is None:
        return None
    try:
        parsed = parsed.astimezone(dt.timezone.utc)
    except OverflowError:
        return None
    if not 1991 <= parsed.year <= dt.datetime.now(dt.timezone.utc).year + 1:
        return None
    return parsed.replace(microsecond=0).isoformat()


def _iso(text: str) -> dt.datetime | None:
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


# -- WARC ---------------------------------------------------------------------

def _http_parts(record) -> tuple[int, dict[str, str]]:
    http = record.http_headers
    if http is None:
        return 0, {}
    headers: dict[str, str] = {}
    for k, v in http.headers:
        headers.setdefault(k.lower(), v)
    try:
        status = int(http.get_statuscode() or 0)
    except ValueError:
        status = 0
    return status, headers


def _warc_record(record, path: str, offset: int, raw: bytes) -> WarcResponse:
    h = record.rec_headers
    status, headers = _http_parts(record)
    kind = record.rec_type
    if kind == "resource" or (kind == "response" and record.http_headers is None):
        status, headers = 200, {"content-type": h.get_header("Content-Type") or ""}
    return WarcResponse(
        url=(h.get_header("WARC-Target-URI") or "").strip("<> "), status=status, headers=headers,
        body=raw, date=h.get_header("WARC-Date") or "", file=path, offset=offset,
        source=h.get_header(SOURCE_HEADER), kind=h.get_header(KIND_HEADER), record_type=kind,
        record_id=h.get_header("WARC-Record-ID"), payload_digest=h.get_header("WARC-Payload-Digest"),
        refers_to=h.get_header("WARC-Refers-To"),
        refers_to_uri=(h.get_header("WARC-Refers-To-Target-URI") or "").strip("<> ") or None,
        refers_to_date=h.get_header("WARC-Refers-To-Date"),
    )


WANTED = ("response", "resource", "revisit")


def _warc_records(path: Path, on_problem: Callable[[Problem], None]) -> Iterator[WarcResponse]:
    """The records of a WARC file, gzip per record, whole-file gzip or plain.

    In a whole-file gzip (``gzip crawl.warc``), offsets are in the uncompressed stream."""
    with open(path, "rb") as raw_handle:
        gzipped = raw_handle.read(2) == b"\x1f\x8b"
    if gzipped and _whole_file_gzip(path):
        with gzip.open(path, "rb") as handle:
            yield from _records_from(handle, path, on_problem, gzipped=False)
        return
    with open(path, "rb") as handle:
        yield from _records_from(handle, path, on_problem, gzipped=gzipped)


def _records_from(handle: Any, path: Path, on_problem: Callable[[Problem], None],
                  gzipped: bool) -> Iterator[WarcResponse]:
    start = 0
    while start is not None:
        handle.seek(start)
        records = ArchiveIterator(handle)
        last_end = start
        try:
            for record in records:
                if record.format != "warc":  # warcio takes any 5-word line for an ARC header
                    raise ValueError(f"not a WARC record: {record.rec_headers.protocol!r}")
                raw = record.raw_stream.read() if record.rec_type in WANTED else None
                missing = getattr(record.raw_stream, "limit", 0)
                offset = records.get_record_offset()
                last_end = offset + records.get_record_length()
                if raw is not None and missing:
                    on_problem(Problem(str(path), offset, f"truncated record skipped ({missing} bytes missing)"))
                    continue
                if raw is not None:
                    yield _warc_record(record, str(path), offset, raw)
            return
        except Exception as exc:  # noqa: BLE001 - a damaged record of any kind is skipped
            failed = max(records.offset, last_end)
            on_problem(Problem(str(path), failed, f"damaged record skipped ({_reason(exc)})", readable=False))
            start = _next_start(handle, failed + 1, gzipped)


def _whole_file_gzip(path: Path) -> bool:
    """Whether a gzip file is one member holding several records (not one member a record)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    seen = b""
    with open(path, "rb") as handle:
        while not inflater.eof and len(seen) < 8 * 1024 * 1024:
            chunk = handle.read(64 * 1024)
            if not chunk:
                break
            try:
                seen += inflater.decompress(chunk, 8 * 1024 * 1024 - len(seen))
            except zlib.error:
                return False
            if WARC_START.search(seen, 1):  # a second record in the first member
                return True
    return False


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _next_start(handle: Any, position: int, gzipped: bool) -> int | None:
    try:
        handle.seek(position)
        window = handle.read(RESYNC_WINDOW)
    except (OSError, EOFError, zlib.error):
        return None
    pattern = GZIP_MEMBER if gzipped else WARC_START
    match = pattern.search(window)
    if match is None:
        return None
    return position + (match.start(1) if match.groups() else match.start())


# -- ARC -----------------------------------------------------------------------

def _arc_bytes(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(offset, bytes)`` of each gzip member of an ``.arc.gz`` (offset 0 and the whole file if plain)."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        yield 0, data
        return
    pos = 0
    while pos < len(data):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            chunk = inflater.decompress(data[pos:])
        except zlib.error:
            nxt = data.find(b"\x1f\x8b\x08", pos + 1)
            if nxt < 0:
                return
            pos = nxt
            continue
        yield pos, chunk
        consumed = len(data) - pos - len(inflater.unused_data)
        if consumed <= 0:
            return
        pos += consumed


def _arc_records(path: Path, on_problem: Callable[[Problem], None]) -> Iterator[WarcResponse]:
    for base, data in _arc_bytes(path):
        pos = 0
        while pos < len(data):
            while data[pos:pos + 1] in (b"\n", b"\r"):
                pos += 1
            if pos >= len(data):
                break
            end = data.find(b"\n", pos)
            line = data[pos:end if end >= 0 else len(data)]
            fields = line.strip().split()
            offset = base + (pos if base == 0 else 0)
            if not fields and end < 0:
                break
            if not fields:
                pos = end + 1
                continue
            match = len(fields) >= 3 and fields[-1].isdigit()
            if not match:
                on_problem(Problem(str(path), offset, f"not an ARC record header: {line[:60]!r}", readable=False))
                nxt = ARC_LINE_START.search(data, pos + 1)
                if nxt is None:
                    break
                pos = nxt.end()
                continue
            url, date, length = fields[0].decode("latin-1"), fields[2].decode("latin-1"), fields[-1].decode()
            mime = fields[3].decode("latin-1") if len(fields) > 4 else ""
            block_start = end + 1
            block = data[block_start:block_start + int(length)]
            pos = block_start + int(length)
            if len(block) < int(length):
                on_problem(Problem(str(path), offset, f"truncated ARC record ({len(block)} of {length} bytes)"))
                continue
            if url.startswith("filedesc:"):
                continue
            yield _arc_record(url, date, mime, block, str(path), offset)


def _arc_record(url: str, date: str, mime: str, block: bytes, path: str, offset: int) -> WarcResponse:
    status, headers, body = 200, {"content-type": mime}, block
    if block[:5].upper() == b"HTTP/":
        split = block.find(b"\r\n\r\n")
        sep = 4
        if split < 0 or block.find(b"\n\n") not in (-1,) and block.find(b"\n\n") < split:
            split, sep = block.find(b"\n\n"), 2
        if split >= 0:
            head, body = block[:split], block[split + sep:]
            lines = head.decode("latin-1").splitlines()
            parts = lines[0].split(None, 2)
            try:
                status = int(parts[1])
            except (IndexError, ValueError):
                status = 0
            headers = {}
            for line in lines[1:]:
                name, colon, value = line.partition(":")
                if colon:
                    headers.setdefault(name.strip().lower(), value.strip())
    return WarcResponse(url=url, status=status, headers=headers, body=body, date=date, file=path, offset=offset)


def _head(path: Path, size: int = 64) -> bytes:
    """The first bytes of a file, gunzipped when it is gzip."""
    with open(path, "rb") as handle:
        head = handle.read(size)
        if head[:2] == b"\x1f\x8b":
            handle.seek(0)
            try:
                head = gzip.GzipFile(fileobj=handle).read(size)
            except (OSError, EOFError, zlib.error):
                return b""
    return head.lstrip()


def is_arc(path: Path) -> bool:
    """Whether ``path`` is an ARC file (by name, or by its first record)."""
    return path.name.lower().endswith((".arc", ".arc.gz")) or _head(path).startswith(b"filedesc://")


def looks_like_archive(path: str | Path) -> bool:
    """Whether ``path`` starts as a WARC or ARC file does (``WARC/1.x`` or ``filedesc://``)."""
    return _head(Path(path)).startswith((b"WARC/", b"filedesc://"))


def iter_records(path: str | Path, on_problem: Callable[[Problem], None] | None = None) -> Iterator[WarcResponse]:
    """Every response, resource and revisit record of a WARC or ARC file, in file order.

    Damaged records are reported to ``on_problem`` with their offset and skipped.
    """
    path = Path(path)
    report = on_problem or (lambda problem: None)
    if is_arc(path):
        yield from _arc_records(path, report)
    else:
        yield from _warc_records(path, report)


def iter_responses(path: str | Path, on_problem: Callable[[Problem], None] | None = None) -> Iterator[WarcResponse]:
    """Every HTTP response record of a WARC or ARC file, in file order, its body decoded.

    A body that cannot be decoded is reported to ``on_problem`` and skipped.
    """
    report = on_problem or (lambda problem: None)
    for record in iter_records(path, report):
        if record.record_type != "response" or not record.status:
            continue
        try:
            record.body = decode_body(record.body, record.headers)
        except BodyError as exc:
            report(Problem(record.file, record.offset, str(exc)))
            continue
        yield record


def read_response(path: str | Path, offset: int) -> WarcResponse:
    """The response record that starts at ``offset`` in ``path``, its body decoded."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        records = ArchiveIterator(handle)
        record = next(iter(records))
        raw = record.raw_stream.read()
        found = _warc_record(record, str(path), offset, raw)
    found.body = decode_body(found.body, found.headers)
    return found


def warc_files(directory: str | Path) -> list[Path]:
    """The WARC files in ``directory``, oldest first (their names sort by time)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.endswith((".warc", ".warc.gz")))


def warc_dir_for(db_path: str | os.PathLike[str] | None) -> Path:
    """Where an archive's WARC files live by default: ``warc/`` beside it."""
    return Path(db_path or paths.DEFAULT_DB).resolve().parent / "warc"
