"""The Datasette archive over HTTP: every stored query, the article and entity
pages, the month facet, the feeds, the dashboards and a published copy.

Runs ``newsarchive serve`` on the fixture archive (``tests/archive_fixture.py``),
whose every row is known, so each answer can be checked exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
import yaml

from archive_fixture import ARTICLES, HOSTILE_TEXT, build_archive, link_stories
from conftest import ROOT, RunningDatasette, die_with_parent, free_port

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
QUERIES = METADATA["databases"]["archive"]["queries"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    db = build_archive(tmp_path_factory.mktemp("ui") / "archive.db")
    link_stories(db)
    return db


@pytest.fixture(scope="module")
def server(fixture_db):
    running = RunningDatasette(fixture_db)
    yield running
    running.stop()


def query(server, name: str, **params: str) -> list[dict]:
    response = httpx.get(f"{server.url}/archive/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text
    return response.json()


def ids_of(title_part: str) -> set[int]:
    """Article ids (1-based, insertion order) of fixture articles whose title contains ``title_part``."""
    return {i for i, a in enumerate(ARTICLES, start=1) if title_part in a["title"]}


MOD_ARTICLES = ids_of("Ministry of Defence emails") | ids_of("MoD emails")
MALI_ARTICLES = {1, 2, 3, 4}


SAMPLE_PARAMS = {"q": "Mali", "entity": "Mali", "incident_type": "", "also": "", "source": "Capital Dispatch",
                 "since": "", "until": ""}


def test_every_stored_query_has_a_title_and_description():
    for name, stored in QUERIES.items():
        assert stored.get("title") and stored.get("description"), name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_stored_query_answers_with_rows(server, name):
    params = {p: SAMPLE_PARAMS[p] for p in QUERIES[name].get("params", [])}
    rows = query(server, name, **params)
    assert rows and all(any(v not in (None, "") for v in r.values()) for r in rows)
    page = httpx.get(f"{server.url}/archive/{name}", params=params)
    assert page.status_code == 200 and "<table" in page.text


def test_search_groups_a_story_first_then_ranks(server):
    rows = query(server, "search", q="Mali")
    assert {r["article_id"] for r in rows} == MALI_ARTICLES
    assert {r["article_id"] for r in rows[:2]} == MOD_ARTICLES  # the only story with two matches
    assert rows[0]["story_matches"] == 2 and all(r["story_matches"] == 1 for r in rows[2:])
    assert all("[Mali" in r["snippet"] or "[Malian" in r["snippet"] for r in rows)


def test_stored_search_page_points_to_the_search_page(server):
    page = httpx.get(f"{server.url}/archive/search", params={"q": "malian"}).text
    pointer = page.split('id="na-search-pointer"')[1].split("</p>")[0]
    assert '<a href="/archive/-/search?q=malian">' in pointer


def test_ranked_search_is_best_first_and_stems(server):
    rows = query(server, "search_articles", q="email")  # porter: matches "emails" too
    assert {r["article_id"] for r in rows} == {1, 2, 3}
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores)  # bm25: lower is better
    assert query(server, "search_articles", q='"typing error"')[0]["article_id"] == 1


@pytest.mark.parametrize("name, expected", [
    ("Mali", MALI_ARTICLES), ("malian", MALI_ARTICLES), ("MoD", MOD_ARTICLES), (".ml", {1, 2, 3}),
    ("Pentagon", {1}), ("nobody at all", set()),
])
def test_articles_mentioning_by_name_or_alias(server, name, expected):
    rows = query(server, "articles_mentioning", entity=name)
    assert {r["article_id"] for r in rows} == expected
    published = [r["published"] for r in rows]
    assert published == sorted(published, reverse=True)


def test_cooccurring_entities_count_shared_articles(server):
    rows = {r["name"]: r for r in query(server, "cooccurring_entities", entity="Mali")}
    assert "Mali" not in rows
    assert rows["Ministry of Defence"]["articles_together"] == 2
    assert rows[".ml"]["articles_together"] == 3
    assert rows["United States"]["articles_together"] == 3
    assert rows["Bamako"]["articles_together"] == 1


def test_entity_timeline_weeks_start_on_monday_and_add_up(server, fixture_db):
    import datetime as dt

    import sqlite_utils

    rows = query(server, "entity_timeline", entity="Mali")
    assert [r["week"] for r in rows] == ["2024-03-04", "2024-03-11", "2024-03-18"]
    assert all(dt.date.fromisoformat(r["week"]).weekday() == 0 for r in rows)
    mali = next(sqlite_utils.Database(fixture_db)["entities"].rows_where("key = 'ML'"))
    assert sum(r["mentions"] for r in rows) == mali["mention_count"]
    assert sum(r["articles"] for r in rows) == mali["article_count"]


@pytest.mark.parametrize("params, expected", [
    ({"entity": "Mali", "also": "", "source": "Capital Dispatch", "since": "", "until": ""}, [1, 4]),
    ({"entity": "malian", "also": ".ml", "source": "Capital Dispatch", "since": "", "until": ""}, [1]),
    ({"entity": "Mali", "also": "MoD", "source": "Harbour Herald", "since": "2024-03-14", "until": "2024-03-14"}, [2]),
    ({"entity": "Mali", "also": "", "source": "Harbour Herald", "since": "2024-03-15", "until": ""}, [3]),
    ({"entity": "Mali", "also": "Bamako", "source": "Harbour Herald", "since": "", "until": ""}, []),
])
def test_articles_filtered_by_entities_outlet_and_dates(server, params, expected):
    assert [r["article_id"] for r in query(server, "articles_filtered", **params)] == expected


def test_countries_named_carry_map_coordinates(server):
    rows = query(server, "countries_named")
    assert [r["country"] for r in rows] == ["Mali", "United States"]
    mali = rows[0]
    assert 10 < mali["latitude"] < 25 and -12 < mali["longitude"] < 4  # inside Mali
    html = httpx.get(f"{server.url}/archive/countries_named").text
    assert "datasette-cluster-map" in html  # the map plugin recognised the columns


def test_map_tiles_are_served_locally(server):
    config = METADATA["plugins"]["datasette-cluster-map"]["tile_layer"]
    assert config.startswith("/")  # no tile server on the internet
    tile = httpx.get(server.url + config.format(z=2, x=1, y=1))
    assert tile.status_code == 200 and tile.content[:8] == b"\x89PNG\r\n\x1a\n"
    index = httpx.get(server.url + "/").text
    assert "basemap" not in index  # the tiles' database is not offered for browsing


def test_lookalike_domains_with_their_articles(server):
    rows = query(server, "lookalike_domains")
    pairs = {(r["domain"], r["lookalike_of"], r["edit_type"]) for r in rows}
    assert pairs == {(".ml", ".mil", "omission"), ("army.ml", "army.mil", "omission")}
    assert {r["article_id"] for r in rows if r["domain"] == ".ml"} == {1, 2, 3}
    assert all(r["sentence"] and r["title"] for r in rows)


def test_crawl_health_puts_the_failing_source_first(server):
    rows = query(server, "crawl_health")
    assert [r["source"] for r in rows] == ["Harbour Herald", "Capital Dispatch"]
    assert rows[0]["status"] == "failed" and rows[0]["errors"] == 1 and "503" in rows[0]["error_messages"]
    assert rows[1]["status"] == "finished" and rows[1]["runs"] == 1


def test_stories_with_articles_and_incident_filter(server):
    rows = query(server, "stories_with_articles", incident_type="")
    assert rows[0]["article_count"] == 2 and {r["article_id"] for r in rows[:2]} == MOD_ARTICLES
    assert {r["article_id"] for r in rows} == {1, 2, 3, 4, 5}
    misdelivery = query(server, "stories_with_articles", incident_type="error/misdelivery")
    assert misdelivery and all(r["incident_type"] == "error/misdelivery" for r in misdelivery)


def atom_entries(server, path: str, **params: str) -> list[ET.Element]:
    response = httpx.get(f"{server.url}/archive/{path}.atom", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_atom_feed_of_an_entity(server):
    entries = atom_entries(server, "entity_mentions_feed", entity="MoD")
    assert len(entries) == len(MOD_ARTICLES)
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == ["MoD emails to Mali: what we know", "Ministry of Defence emails sent to Mali by mistake"]
    assert entries[0].find(f"{ATOM}link").get("href") == "/archive/articles/3"  # the archived copy
    assert entries[0].find(f"{ATOM}content").get("type") == "text"


def test_atom_feed_of_a_search_keeps_markup_as_text(server):
    entries = atom_entries(server, "search_feed", q="heat")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "Heat advisory <b>extended</b>"


def test_article_page_lists_entities_and_never_renders_text_as_html(server):
    page = httpx.get(f"{server.url}/archive/articles/1").text
    for name in ("Mali", "United States", ".ml", "Johannes Zuurbier", "someone@army.ml"):
        assert f">{name}</a>" in page
    assert '<a href="/archive/entities/1">Mali</a>' in page
    hostile = httpx.get(f"{server.url}/archive/articles/5").text
    assert '<script>alert("x")</script>' not in hostile and "<b>bold</b>" not in hostile
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in hostile
    assert "Heat advisory &lt;b&gt;extended&lt;/b&gt;" in hostile
    assert 'href="javascript:' not in hostile
    assert HOSTILE_TEXT not in hostile


def test_entity_page_shows_aliases_articles_and_company(server):
    page = httpx.get(f"{server.url}/archive/entities/1").text
    assert "Malian" in page  # an alias
    for title in ("Mali&#39;s junta delays the vote again", "MoD emails to Mali: what we know"):
        assert title in page
    cooccurring = page.split('id="cooccurring"')[1]
    assert ">Ministry of Defence</a>" in cooccurring and ">.ml</a>" in cooccurring
    domain_page = httpx.get(f"{server.url}/archive/entities/3").text
    assert 'Looks like <a href="/archive/entities/4"><code>.mil</code></a>' in domain_page


def test_stored_query_pages_link_ids_to_row_pages(server):
    page = httpx.get(f"{server.url}/archive/lookalike_domains").text
    assert '<a href="/archive/articles/1">Pentagon email meant for .mil went to Mali</a>' in page
    assert '<a href="/archive/entities/3">3</a>' in page


def test_month_facet_counts_and_filters(server):
    data = httpx.get(f"{server.url}/archive/articles.json", params={"_facet_month": "published_at"}).json()
    months = data["facet_results"]["published_at"]["results"]
    assert [(m["value"], m["count"]) for m in months] == [("2024-03", 5)]
    chosen = httpx.get(months[0]["toggle_url"].replace("/articles?", "/articles.json?")).json()
    assert len(chosen["rows"]) == 5
    default = httpx.get(f"{server.url}/archive/articles.json").json()["facet_results"]
    assert "source" in set(default)  # from metadata.yml (month, language, byline: on demand)


def test_entity_search_and_facets(server):
    data = httpx.get(f"{server.url}/archive/entities.json", params={"_search": "Mali", "_shape": "objects"}).json()
    assert [r["name"] for r in data["rows"]] == ["Mali"]
    aliases = httpx.get(f"{server.url}/archive/entity_aliases.json", params={"_search": "MoD"}).json()
    assert aliases["rows"]
    assert {"kind", "country_code"} <= set(data["facet_results"])


def test_dashboards_render_from_local_scripts(server):
    for slug in ("archive-overview", "entity-timeline"):
        response = httpx.get(f"{server.url}/-/dashboards/{slug}", params={"entity": "Mali", "kind": "country"})
        assert response.status_code == 200
        scripts = [line for line in response.text.splitlines() if "<script" in line and "src=" in line]
        assert scripts and all('src="/-/static' in line for line in scripts), scripts


def test_no_writes(server):
    sql = httpx.get(f"{server.url}/archive.json", params={"sql": "delete from articles"})
    assert sql.status_code == 400 or sql.json().get("error")
    # Datasette 0.65 answers a POST to a read-only stored query with a 500 (an
    # upstream bug); what matters is that it is refused and changes nothing
    post = httpx.post(f"{server.url}/archive/search", data={"q": "x"})
    assert post.status_code >= 400
    assert len(query(server, "search_articles", q="heat")) == 1


def test_published_copy_serves_read_only(fixture_db, tmp_path):
    from newsarchive.app.publish import publish

    script = publish(fixture_db, tmp_path / "site")
    site = script.parent
    for name in ("archive.db", "metadata.yml", "requirements.txt", "run.sh",
                 "templates/row.html", "plugins/newsarchive_pages.py", "plugins/newsarchive_search.py",
                 "plugins/lib/search.py", "plugins/country_centroids.csv"):
        assert (site / name).exists(), name
    assert not (site / "archive.db-wal").exists()
    requirements = (site / "requirements.txt").read_text()
    assert "datasette-dashboards" in requirements and "datasette-atom" in requirements
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "HOST": "127.0.0.1"}
    process = subprocess.Popen(["sh", str(script), str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_parent)
    try:
        url = wait_for(process, f"http://127.0.0.1:{port}")
        databases = {d["name"]: d for d in httpx.get(f"{url}/-/databases.json").json()}
        assert databases["archive"]["is_mutable"] is False
        settings = httpx.get(f"{url}/-/settings.json").json()
        assert settings["sql_time_limit_ms"] == 3000
        rows = httpx.get(f"{url}/archive/search.json", params={"q": "Mali", "_shape": "array"}).json()
        assert {r["article_id"] for r in rows[:2]} == MOD_ARTICLES
        assert 'action="/archive/-/search"' in httpx.get(url + "/").text  # the templates came along
        found = httpx.get(f"{url}/archive/-/search.json", params={"q": "Mali's"}).json()
        assert {r["id"] for r in found["rows"]} == MALI_ARTICLES
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_for(process: subprocess.Popen, url: str) -> str:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"published server exited: {process.stdout.read()}")
        try:
            if httpx.get(url + "/-/versions.json", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("published server did not start within 60 s")
