"""Raw capture and rebuilding: WARC files written by the crawl, the archive
rebuilt from them with no network, and WARC files from another tool."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from click.testing import CliRunner

from newsarchive.app.cli import cli
from newsarchive.archive.warc import WarcWriter, warc_files
from newsarchive.archive.warc_read import iter_responses, read_response
from conftest import DEMO_SITE, load_expected

EXPECTED = load_expected()


def snapshot(db: Path) -> dict[str, object]:
    """What must survive a rebuild: articles, entities, mentions, domains."""
    archive = sqlite_utils.Database(db)
    articles = sorted(archive.query(
        "select url, source, title, byline, published_at, language, text, content_hash, "
        "first_seen, revision, status from articles"), key=lambda r: r["url"])
    entities = sorted((r["kind"], r["key"], r["name"], r["article_count"], r["mention_count"])
                      for r in archive.query("select * from entities"))
    mentions = sorted(tuple(r.values()) for r in archive.query(
        "select a.url, e.kind, e.key, m.text, m.start, m.end, m.sentence from mentions m "
        "join articles a on a.id = m.article_id join entities e on e.id = m.entity_id"))
    domains = sorted(tuple(r.values()) for r in archive.query(
        "select d.domain, d.suffix, d.registrable, d.cctld_country, d.lookalike_of, d.edit_type from domains d"))
    return {"articles": articles, "entities": entities, "mentions": mentions, "domains": domains}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_crawl_captures_every_response(demo_archive):
    db, site = demo_archive
    kinds = Counter((r.kind, r.status) for f in warc_files(db.parent / "warc") for r in iter_responses(f))
    assert kinds[("article", 200)] >= len(EXPECTED)
    assert kinds[("robots", 200)] >= len(site.outlets)  # one per outlet per crawl
    assert kinds[("feed", 200)] >= len(site.outlets) and kinds[("sitemap", 200)] >= len(site.outlets)


def test_pages_point_at_their_record(demo_archive):
    db, site = demo_archive
    for page in sqlite_utils.Database(db)["pages"].rows_where("article_id is not null"):
        record = read_response(db.parent / "warc" / page["warc_file"], page["warc_offset"])
        assert record.url == page["url"] and record.status == 200
        assert b"<html" in record.body.lower()


def test_deleted_archive_rebuilt_from_warc_is_the_same(demo_archive, tmp_path):
    db, site = demo_archive
    rebuilt = tmp_path / "rebuilt.db"
    sources = db.parent / "sources.yml"
    invoke("reprocess", "--db", str(rebuilt), "--warc-dir", str(db.parent / "warc"), "--sources", str(sources))
    before, after = snapshot(db), snapshot(rebuilt)
    assert len(before["articles"]) == len(EXPECTED)
    for table in before:
        assert after[table] == before[table], f"{table} differ after the rebuild"
    # Idempotent, and the same with two worker processes.
    invoke("reprocess", "--db", str(rebuilt), "--warc-dir", str(db.parent / "warc"), "--sources", str(sources),
           "--processes", "2")
    assert snapshot(rebuilt) == before


def test_reprocess_filters_by_source_and_date(demo_archive, tmp_path):
    db, site = demo_archive
    partial = tmp_path / "partial.db"
    name = site.outlets[0]["name"]
    invoke("reprocess", "--db", str(partial), "--warc-dir", str(db.parent / "warc"),
           "--sources", str(db.parent / "sources.yml"), "--source", name)
    sources = {r["source"] for r in sqlite_utils.Database(partial)["articles"].rows}
    assert sources == {name}
    future = tmp_path / "future.db"
    output = invoke("reprocess", "--db", str(future), "--warc-dir", str(db.parent / "warc"), "--since", "2999-01-01")
    assert sqlite_utils.Database(future)["articles"].count == 0 and "0 pages" in output


def test_reprocess_without_warc_files_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(tmp_path / "a.db"), "--warc-dir", str(tmp_path)])
    assert result.exit_code != 0 and "no WARC files" in result.output


def test_export_jsonl_has_metadata_and_entities(demo_archive, tmp_path):
    db, site = demo_archive
    out = tmp_path / "articles.jsonl"
    invoke("export", "--db", str(db), "--format", "jsonl", "-o", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == len(EXPECTED)
    email = next(r for r in records if "mod-emails-sent-to-mali-by-mistake" in r["url"])
    assert email["title"] and email["published_at"].startswith("2023-07-28") and email["text"]
    assert {("country", "ML"), ("domain", ".ml")} <= {(e["kind"], e["key"]) for e in email["entities"]}


def test_import_warc_written_by_wget(tmp_path):
    assert shutil.which("wget"), "wget is not installed: run `make system-deps`"
    from newsarchive.app.demosite import serve_directory

    outlet = "harbour-herald"
    server = serve_directory(DEMO_SITE / outlet)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        subprocess.run(["wget", "--quiet", "--recursive", "--level=2", "--no-parent", "--directory-prefix",
                        str(tmp_path / "mirror"), "--warc-file", str(tmp_path / "wget"), base + "/"],
                       check=False, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    warc = tmp_path / "wget.warc.gz"
    assert warc.exists()
    db = tmp_path / "imported.db"
    invoke("import-warc", str(warc), "--db", str(db), "--sources", str(tmp_path / "none.yml"))
    archive = sqlite_utils.Database(db)
    paths = {urlsplit(r["url"]).path: r for r in archive["articles"].rows}
    expected = {e["path"]: e for e in EXPECTED if e["outlet"] == outlet}
    assert set(paths) == set(expected), "articles, and only articles, imported"
    for path, e in expected.items():
        assert paths[path]["title"] == e["title"] and e["first_paragraph"] in " ".join(paths[path]["text"].split())
    assert {r["source"] for r in archive["articles"].rows} == {"127.0.0.1"}
    assert archive["entities"].count > 0
    # Importing the same file again adds nothing.
    invoke("import-warc", str(warc), "--db", str(db))
    assert archive["articles"].count == len(expected)


def test_import_warc_with_the_records_other_crawlers_write(tmp_path):
    """An uncompressed WARC/1.1 holding what Heritrix, Browsertrix and Common Crawl files
    hold besides article responses: warcinfo, a DNS lookup, requests, metadata, a revisit,
    an image, a 404 page and a redirect. Only the two article responses become articles."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    articles = [e for e in EXPECTED if e["outlet"] == "capital-dispatch"][:2]
    base = "https://dispatch.example"
    warc = tmp_path / "crawl.warc"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=False, warc_version="1.1")

        def response(url: str, status: str, content_type: str, body: bytes, record_type: str = "response",
                     **extra: str) -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type), *extra.items()], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, record_type, payload=io.BytesIO(body),
                                                          http_headers=http))

        writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "another crawler"}))
        writer.write_record(writer.create_warc_record(
            "dns:dispatch.example", "response", payload=io.BytesIO(b"dispatch.example. 300 IN A 192.0.2.1\n"),
            warc_content_type="text/dns"))
        for entry in articles:
            url = base + entry["path"]
            request = StatusAndHeaders(f"GET {entry['path']} HTTP/1.1", [("Host", "dispatch.example")],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            page = (DEMO_SITE / "capital-dispatch" / entry["path"].lstrip("/")).read_bytes()
            response(url, "200 OK", "text/html; charset=utf-8", page.replace(b"__BASE__", base.encode()))
            writer.write_record(writer.create_warc_record(
                url, "metadata", payload=io.BytesIO(b"outlinks: none\n"), warc_content_type="application/warc-fields"))
        revisit = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_revisit_record(
            base + articles[0]["path"], digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=base + articles[0]["path"], refers_to_date="2024-01-01T00:00:00Z", http_headers=revisit))
        response(base + "/logo.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
        response(base + "/gone.html", "404 Not Found", "text/html", b"<html><body><h1>Not found</h1></body></html>")
        response(base + "/old", "301 Moved Permanently", "text/html", b"", Location=base + articles[1]["path"])
    db = tmp_path / "imported.db"
    invoke("import-warc", str(warc), "--db", str(db), "--sources", str(tmp_path / "none.yml"))
    archive = sqlite_utils.Database(db)
    titles = {urlsplit(r["url"]).path: r["title"] for r in archive["articles"].rows}
    assert titles == {e["path"]: e["title"] for e in articles}
    assert {r["source"] for r in archive["articles"].rows} == {"dispatch.example"}


def test_warc_rotates_by_size_and_records_read_back(tmp_path):
    writer = WarcWriter(tmp_path, max_bytes=2000)
    written = [writer.write(f"http://x.example/{n}", 200, "OK", [("Content-Type", "text/html")],
                            (f"<p>{n}</p>" * 200).encode(), [("User-Agent", "t")], source="X", kind="article")
               for n in range(5)]
    writer.close()
    assert len(warc_files(tmp_path)) >= 2
    for n, (name, offset) in enumerate(written):
        record = read_response(tmp_path / name, offset)
        assert (record.url, record.source, record.kind) == (f"http://x.example/{n}", "X", "article")
        assert record.body == (f"<p>{n}</p>" * 200).encode()


def test_reprocess_reports_a_page_that_breaks_the_pipeline_and_goes_on(tmp_path, pipeline_failing_on_xyzzy):
    """A real pipeline with one more component, which fails on one page's text: reprocess
    names that page at once, keeps its article pending and rebuilds the others."""
    from newsarchive.archive.sources import Source
    from newsarchive.archive.store import Store
    from newsarchive.nlp.entities.pipeline import DEFAULT_MODEL
    from newsarchive.stages.analysis import AnalysisPool
    from newsarchive.stages.reprocess import Selection, rebuild

    paragraph = ("Officials at the harbour authority said on Tuesday that the booking system had been "
                 "repaired after a fault exposed the names of passengers for most of the weekend. ")
    writer = WarcWriter(tmp_path / "warc")
    for number, extra in enumerate(["", "The fault was called XYZZY by engineers. ", ""]):
        page = (f'<html><head><title>Report {number}</title><meta property="og:type" content="article"></head>'
                f"<body><article><h1>Report {number}</h1><p>{paragraph}{extra}</p><p>{paragraph}</p>"
                "</article></body></html>")
        writer.write(f"https://herald.example/news/{number}.html", 200, "OK",
                     [("Content-Type", "text/html; charset=utf-8")], page.encode(), None,
                     source="Herald", kind="article")
    writer.close()
    reported: list[tuple[str, str]] = []
    known = [Source(name="Herald", homepage="https://herald.example/")]
    with Store(tmp_path / "rebuilt.db") as store, AnalysisPool(2, DEFAULT_MODEL, known) as pool:
        result = rebuild(store, warc_files(tmp_path / "warc"), Selection(), known, pool,
                         on_failure=lambda url, error: reported.append((url, error)))
        pending = [r[0] for r in store.db.execute("select url from articles where processed_model is null")]
        processed = store.db.execute("select count(*) from articles where processed_model = ?",
                                     [DEFAULT_MODEL]).fetchone()[0]
    url = "https://herald.example/news/1.html"
    assert [u for u, _ in reported] == [u for u, _ in result.failed] == [url]
    assert "RuntimeError: this component cannot read XYZZY" in reported[0][1]
    assert pending == [url] and processed == 2
