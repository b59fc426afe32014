"""``import-warc`` on WARC and ARC files other tools wrote (``tests/data/wild/warc``)."""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from pathlib import Path

import brotli
import pytest
import sqlite_utils
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.app.cli import cli
from newsarchive.archive.bodies import dechunk, decode_body
from newsarchive.archive.warc_read import iter_records, read_response, warc_date
from conftest import DEMO_SITE, load_expected

WILD = Path(__file__).parent / "data" / "wild"
EXPECTED = json.loads((WILD / "expected.json").read_text())
WARCS = sorted((WILD / "warc").iterdir())
SUMMARY = re.compile(r"^(\d+) pages in [\d.]+s .*$", re.M)


def run_import(tmp_path: Path, *files: Path, db: str = "a.db"):
    result = CliRunner().invoke(cli, ["import-warc", *map(str, files), "--db", str(tmp_path / db),
                                      "--sources", str(tmp_path / "none.yml")])
    return result


def test_the_corpus_is_wide_enough():
    assert len(WARCS) >= 20
    assert sum(p.name.endswith((".arc", ".arc.gz")) for p in WARCS) >= 5


@pytest.mark.parametrize("path", WARCS, ids=lambda p: p.name[:60])
def test_every_wild_warc_imports_with_exit_0_and_the_pages_warcio_counts(tmp_path, path):
    result = run_import(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.output
    summary = SUMMARY.findall(result.output)
    assert len(summary) == 1, f"one summary line: {result.output}"
    assert result.stdout.rstrip().splitlines()[-1].startswith(summary[0] + " pages"), "the summary comes last"
    pages = int(summary[0])
    skipped = re.findall(r"^Skipped: (.*) at offset (\d+): (.*)$", result.output, re.M)
    assert all(file == str(path) for file, _, _ in skipped)
    counted = EXPECTED["warc/" + path.name]
    if counted["error"] is None:
        # warcio read it to the end: the same HTML pages, less those it found cut short or impossibly dated
        assert pages == counted["complete_html_pages"], result.output
    else:
        # warcio stops at a damaged record; reading on past it finds at least as many
        assert pages >= counted["complete_html_pages"], result.output


def test_brotli_zstd_deflate_gzip_and_chunked_bodies_become_pages(tmp_path):
    path = WILD / "warc" / "local-wget__wget-encodings.warc.gz"
    result = run_import(tmp_path, path)
    assert result.exit_code == 0 and "Skipped" not in result.output, result.output
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in sqlite_utils.Database(tmp_path / "a.db")["articles"].rows}
    for name in ("br.html", "zstd.html", "deflate.html", "rawdeflate.html", "gzip.html", "chunked.html"):
        assert name in rows, f"{name} is no article: {sorted(rows)}"
        assert "encoded page" in rows[name]["title"].lower()
        assert "harbour authority" in rows[name]["text"]


def test_revisits_point_at_their_original(tmp_path):
    originals = WILD / "warc" / "local-wget__wget-encodings.warc.gz"
    revisits = WILD / "warc" / "local-wget__wget-revisits.warc.gz"
    alone = run_import(tmp_path, revisits, db="alone.db")
    assert alone.exit_code == 0
    assert len(re.findall(r"^Skipped: .*revisit of .*original is in none of these files", alone.output, re.M)) == 9
    later = run_import(tmp_path, originals, db="later.db")
    assert later.exit_code == 0
    later = run_import(tmp_path, revisits, db="later.db")
    # an original imported before is found in the archive; robots.txt was never a page there
    assert re.findall(r"^Skipped: .*revisit of (\S+):", later.output, re.M) == ["http://127.0.0.1:46175/robots.txt"]
    assert "8 unchanged" in later.output, later.output
    both = run_import(tmp_path, originals, revisits)
    assert both.exit_code == 0, both.output
    counted = EXPECTED["warc/" + originals.name]["complete_html_pages"] + \
        EXPECTED["warc/" + revisits.name]["complete_html_pages"] + 8  # 8 of the 9 revisits repeat an HTML page
    assert int(SUMMARY.findall(both.output)[0]) == counted, both.output
    assert "Skipped" not in both.output
    assert "8 unchanged" in both.output, "each revisit repeats its original's article"
    db = sqlite_utils.Database(tmp_path / "a.db")
    pages = {r["url"]: r for r in db["pages"].rows}
    articles = {r["url"]: r for r in db["articles"].rows}
    revisited = [r for r in iter_records(revisits) if r.record_type == "revisit" and r.url in articles]
    assert len(revisited) == 7  # the other two revisit robots.txt and the index page, no articles
    for revisit in revisited:
        page = pages[revisit.url]
        assert page["warc_file"] == str(originals), "the page points at the record holding its body"
        original = read_response(page["warc_file"], page["warc_offset"])
        assert original.url == revisit.url and original.record_id == revisit.refers_to
        assert articles[revisit.url]["last_seen"] == warc_date(revisit.date)


def test_damaged_records_are_skipped_with_their_offset_and_the_rest_read(tmp_path):
    path = WILD / "warc" / "local-wget__wget-truncated.warc"
    result = run_import(tmp_path, path)
    assert result.exit_code == 0
    assert re.search(r"^Skipped: .* at offset \d+: truncated record skipped", result.output, re.M)
    dated = run_import(tmp_path, WILD / "warc" / "local-wget__wget-impossible-date.warc", db="d.db")
    assert dated.exit_code == 0, dated.output
    assert re.search(r"^Skipped: .* at offset \d+: WARC-Date '9999-12-31T23:59:59-01:00' is impossible", dated.output, re.M)
    assert int(SUMMARY.findall(dated.output)[0]) == 8


def test_whole_file_gzip_reads_as_gzip_per_record(tmp_path):
    plain = WILD / "warc" / "local-wget__wget-plain.warc"
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    assert [(r.url, r.record_type) for r in iter_records(whole)] == [(r.url, r.record_type) for r in iter_records(plain)]
    result = run_import(tmp_path, whole)
    assert result.exit_code == 0 and "Skipped" not in result.output, result.output
    assert int(SUMMARY.findall(result.output)[0]) == EXPECTED["warc/" + plain.name]["complete_html_pages"]


def test_nothing_readable_exits_non_zero_with_the_summary(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file\n" * 10)
    result = run_import(tmp_path, junk)
    assert result.exit_code != 0
    assert SUMMARY.search(result.output) and "nothing could be read" in result.output
    # a file that is a WARC, however damaged, is read as far as it goes: exit 0
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(b"WARC/1.0\r\nWARC-Type: revisit\r\n\r\n" + b"garbage\n" * 5)
    assert run_import(tmp_path, damaged, db="b.db").exit_code == 0


def _warc_with(tmp_path: Path, bodies: dict[str, tuple[str, bytes]]) -> Path:
    path = tmp_path / "made.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, (coding, body) in bodies.items():
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", coding)]
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    return path


def test_every_content_encoding_is_undone():
    page = b"<html><body><p>" + "Caf\u00e9 \u2014 r\u00e9sum\u00e9. ".encode() * 50 + b"</p></body></html>"
    raw_deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    cases = {
        "gzip": gzip.compress(page), "x-gzip": gzip.compress(page), "deflate": zlib.compress(page),
        "br": brotli.compress(page), "identity": page,
    }
    for coding, body in cases.items():
        assert decode_body(body, {"content-encoding": coding}) == page, coding
    assert decode_body(raw_deflate.compress(page) + raw_deflate.flush(), {"content-encoding": "deflate"}) == page
    both = brotli.compress(gzip.compress(page))
    assert decode_body(both, {"content-encoding": "gzip, br"}) == page
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(page[i:i + 100]), page[i:i + 100]) for i in range(0, len(page), 100))
    assert dechunk(chunked + b"0\r\n\r\n") == page
    assert decode_body(chunked + b"0\r\n\r\n", {"transfer-encoding": "chunked"}) == page


def test_brotli_record_written_by_warcio_becomes_a_page(tmp_path):
    """warcio 1.8 with brotli 1.2 fails on this record ('brotli.Decompressor' object has
    no attribute 'unused_data'): it is decoded here, and the pages after it are read too."""
    base = "https://dispatch.example"
    entries = [e for e in load_expected() if e["outlet"] == "capital-dispatch"][:2]
    pages = {base + e["path"]: (DEMO_SITE / "capital-dispatch" / e["path"].lstrip("/")).read_bytes()
             .replace(b"__BASE__", base.encode()) for e in entries}
    (first, one), (second, two) = pages.items()
    path = _warc_with(tmp_path, {first: ("br", brotli.compress(one)), second: ("gzip", gzip.compress(two))})
    assert [decode_body(r.body, r.headers) for r in iter_records(path)] == [one, two]
    result = run_import(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert int(SUMMARY.findall(result.output)[0]) == 2
    titles = {r["url"]: r["title"] for r in sqlite_utils.Database(tmp_path / "a.db")["articles"].rows}
    assert titles == {base + e["path"]: e["title"] for e in entries}
