"""Datasette over HTTP on the demo archive: search, metadata, read-only."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from conftest import load_expected

EMAIL_REPORTS = {e["path"] for e in load_expected() if e["story"] == "uk-mod-ml-emails"}


def test_full_text_search_for_mali_lists_the_email_reports(demo_datasette):
    response = httpx.get(demo_datasette.url + "/archive/articles.json",
                         params={"_search": "Mali", "_shape": "objects", "_size": "max"})
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert EMAIL_REPORTS <= {urlsplit(r["url"]).path for r in rows}
    assert all("mali" in (r["title"] + r["text"]).lower() for r in rows)


def test_metadata_describes_every_table_and_column(demo_datasette, demo_archive):
    import sqlite_utils

    db, _ = demo_archive
    metadata = httpx.get(demo_datasette.url + "/-/metadata.json").json()
    tables = metadata["databases"]["archive"]["tables"]
    archive = sqlite_utils.Database(db)
    for name in archive.table_names():
        if name.startswith("_") or "_fts" in name:
            continue
        assert tables[name].get("description"), f"{name}: no description"
        described = set(tables[name].get("columns", {}))
        assert set(archive[name].columns_dict) <= described, f"{name}: undescribed columns"


def test_facets_on_source_date_and_kind(demo_datasette):
    facets = httpx.get(demo_datasette.url + "/archive/articles.json",
                       params={"_facet": "source", "_facet_date": "published_at"}).json()["facet_results"]
    assert len(facets["source"]["results"]) == 4
    kinds = httpx.get(demo_datasette.url + "/archive/entities.json", params={"_facet": "kind"}).json()
    assert {"country", "organisation", "domain"} <= {r["value"] for r in kinds["facet_results"]["kind"]["results"]}


def test_no_writes_over_http(demo_datasette):
    response = httpx.post(demo_datasette.url + "/archive/articles/-/insert", json={"row": {"title": "x"}})
    assert response.status_code in (403, 404, 405)
    sql = httpx.get(demo_datasette.url + "/archive.json", params={"sql": "delete from articles"})
    assert sql.status_code == 400 or "error" in sql.json() and sql.json()["error"]


def test_publish_writes_a_servable_folder(demo_archive, tmp_path):
    import sqlite3

    from click.testing import CliRunner

    from newsarchive.app.cli import cli

    db, _ = demo_archive
    out = tmp_path / "published"
    result = CliRunner().invoke(cli, ["publish", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    for name in ("archive.db", "metadata.yml", "requirements.txt", "run.sh", "templates", "plugins"):
        assert (out / name).exists(), name
    with sqlite3.connect(out / "archive.db") as copy, sqlite3.connect(db) as original:
        assert copy.execute("pragma journal_mode").fetchone()[0] != "wal"
        count = "select count(*) from articles"
        assert copy.execute(count).fetchone() == original.execute(count).fetchone()
    assert "datasette" in (out / "run.sh").read_text() and " -i " in (out / "run.sh").read_text()
