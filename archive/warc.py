"""Raw capture: every response the crawler receives, kept as WARC.

Web archives keep what they fetched so that anything derived from it can be
rebuilt. :class:`WarcWriter` appends request/response record pairs (gzip per
record, so any record can be read alone from its offset) to files under
``data/warc/``, starting a new file when one passes ``max_bytes``.
:mod:`newsarchive.archive.warc_read` reads them back, and any other tool's WARC
or ARC files.

Our records carry two extra WARC headers: ``NewsArchive-Source`` (the source's
name) and ``NewsArchive-Kind`` (``article``, ``feed``, ``sitemap``,
``section``, ``robots``), so that reprocessing knows what each response was.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

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


def warc_files(directory: str | Path) -> list[Path]:
    """The WARC files in ``directory``, oldest first (their names sort by time)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.endswith((".warc", ".warc.gz")))


def warc_dir_for(db_path: str | os.PathLike[str] | None) -> Path:
    """Where an archive's WARC files live by default: ``warc/`` beside it."""
    return Path(db_path or paths.DEFAULT_DB).resolve().parent / "warc"
