"""Reading WARC and ARC files, ours or another tool's (wget, Heritrix, JWAT, warcprox,
Browsertrix, Common Crawl).

:func:`iter_records` yields the responses, resources and revisits of a file: gzip per
record or whole-file, chunked bodies, every Content-Encoding (gzip, deflate, br, zstd;
warcio 1.8 cannot undo br with brotli 1.2, so bodies are decoded here). A damaged or
truncated record is reported with its offset and skipped, and reading goes on at the next
record. Writing is :mod:`newsarchive.archive.warc`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newsarchive.archive.bodies import BodyError, decode_body
from newsarchive.archive.warc import KIND_HEADER, SOURCE_HEADER, WarcResponse

#: how far past a damaged record to look for the next one
RESYNC_WINDOW = 64 * 1024 * 1024
WARC_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
GZIP_MEMBER = re.compile(rb"\x1f\x8b\x08")
#: where an ARC record's header line (URL, IP, 14-digit date, MIME type, ..., length) starts
ARC_LINE_START = re.compile(rb"\n(?=[A-Za-z][A-Za-z0-9+.-]*:\S* \S+ \d{12,14} )")



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
