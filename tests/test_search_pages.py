"""The journalist's pages over HTTP: the search page and its JSON, CSV and Atom, the name
lookup, the map, and the story, article and entity pages, on the fixture archive served
under a name that is not ``archive`` (``newsarchive serve --db any/other-name.db``).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from archive_fixture import ARTICLES, FETCHED, SOURCES, build_archive, link_stories
from conftest import ROOT, RunningDatasette, die_with_parent, free_port

ATOM = "{http://www.w3.org/2005/Atom}"
DB = "other-name"


def build_revised_archive(folder: Path) -> Path:
    """The fixture archive in ``folder/any/other-name.db``, its stories linked, and a second
    version of the junta article (so it has a revision to show)."""
    from newsarchive.archive.store import Store
    from newsarchive.nlp.extraction.core import Article

    (folder / "any").mkdir()
    db = build_archive(folder / "any" / f"{DB}.db")
    link_stories(db)
    junta = ARTICLES[3]
    url = SOURCES[junta["source"]].rstrip("/") + junta["path"]
    changed = junta["text"].replace("would be delayed", "would be delayed until next year")
    with Store(db) as store:
        _, outcome = store.save_article(junta["source"], url, Article(
            text=changed, title=junta["title"], author=junta["author"], published_at=junta["published_at"],
            language="en", url=url), "2024-03-21T09:00:00+00:00")
    assert outcome == "updated" and FETCHED < "2024-03-21"
    return db


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    return build_revised_archive(tmp_path_factory.mktemp("search"))


class PlainDatasette(RunningDatasette):
    """Datasette as a researcher may run it, on the file as it is named (``newsarchive
    serve`` serves any file as ``archive``): the database is called ``other-name``, and the
    project's metadata, templates and plugins must work all the same."""

    def __init__(self, db: Path) -> None:  # noqa: D107 (the parent's, with another command)
        import collections
        import subprocess
        import sys
        import threading

        from newsarchive.app.publish import PLUGINS, SETTINGS, TEMPLATES
        from newsarchive.archive import paths

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "newsarchive.app.serve", "serve", str(db), "--metadata", str(paths.METADATA),
                   "--host", "127.0.0.1", "--port", str(self.port), "--template-dir", str(TEMPLATES),
                   "--plugins-dir", str(PLUGINS)]
        for name, value in SETTINGS:
            command += ["--setting", name, value]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, preexec_fn=die_with_parent)
        self.output = collections.deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait()


@pytest.fixture(scope="module")
def server(fixture_db):
    running = PlainDatasette(fixture_db)
    yield running
    running.stop()


def test_newsarchive_serve_serves_any_file_name_with_the_search(fixture_db):
    served = RunningDatasette(fixture_db)  # as "archive", whatever the file is called
    try:
        assert 'action="/archive/-/search"' in httpx.get(served.url + "/").text
        data = httpx.get(served.url + "/archive/-/search.json", params={"q": "Mali's"}).json()
        assert data["count"] == 4
    finally:
        served.stop()


def get(server, path: str, **params) -> httpx.Response:
    response = httpx.get(server.url + path, params=params or None, timeout=30)
    assert response.status_code == 200, (path, params, response.status_code, response.text[-2000:])
    return response


def found(server, **params) -> dict:
    return get(server, f"/{DB}/-/search.json", **params).json()


def ids(server, **params) -> list[int]:
    return [r["id"] for r in found(server, **params)["rows"]]


def article_id(title_part: str) -> int:
    return next(i for i, a in enumerate(ARTICLES, start=1) if title_part in a["title"])


PENTAGON, MOD_SENT, MOD_KNOW, JUNTA, HEAT = (article_id(t) for t in (
    "Pentagon email", "Ministry of Defence emails", "MoD emails", "junta", "Heat"))


def test_the_home_page_works_under_any_database_name(server):
    page = get(server, "/").text
    assert f'action="/{DB}/-/search"' in page
    assert "/archive/" not in page
    assert page.count('class="na-card"') == 5  # the newest articles
    stories = page.split('id="na-stories"')[1].split("</ul>")[0]
    assert "Ministry of Defence emails sent to Mali by mistake" in stories  # the one story of two
    top = page.split('id="na-top-names"')[1].split("</p>")[0]
    assert top.index(">Mali</a>") < top.index(">Bamako</a>")  # 4 articles before 1


@pytest.mark.parametrize("typed, expected", [
    ("Mali", {PENTAGON, MOD_SENT, MOD_KNOW, JUNTA}),
    (".ml", {PENTAGON, MOD_SENT, MOD_KNOW}),
    ("Mali's", {PENTAGON, MOD_SENT, MOD_KNOW, JUNTA}),
    ("army.ml", {PENTAGON}),
    ("mali -pentagon", {MOD_SENT, MOD_KNOW, JUNTA}),
    ('"typing error"', {PENTAGON}),
    ("junta OR heat", {JUNTA, HEAT}),
    ('"unbalanced', set()),
    ("<script>", {HEAT}),
])
def test_typed_words_find_the_articles(server, typed, expected):
    assert set(ids(server, q=typed)) == expected


@pytest.mark.parametrize("typed", ["", "*", '"', "OR", "-", "🙂"])
def test_nothing_to_search_for_lists_the_newest_articles(server, typed):
    data = found(server, q=typed)
    assert data["count"] == len(ARTICLES)
    dates = [r["published_at"] for r in data["rows"]]
    assert dates == sorted(dates, reverse=True)


def test_very_long_input_is_cut_with_a_note(server):
    data = found(server, q="mali " * 400)
    assert data["count"] == 4 and any("characters long" in note for note in data["notes"])
    response = get(server, f"/{DB}/-/search", q="mali " * 4000)
    assert "characters long" in response.text and len(response.text) < 100_000  # links carry the cut text


def test_entities_all_named_and_by_name_forgiving(server, fixture_db):
    entities = {r["name"]: r["id"] for r in sqlite_utils.Database(fixture_db)["entities"].rows}
    both = ids(server, entity=[str(entities["Mali"]), str(entities["Ministry of Defence"])])
    assert set(both) == {MOD_SENT, MOD_KNOW}
    data = found(server, entity="Ministry of Defense")  # a small typo, US spelling
    assert {r["id"] for r in data["rows"]} == {MOD_SENT, MOD_KNOW}
    assert data["filters"]["entities"][0]["name"] == "Ministry of Defence"
    assert any("taken as Ministry of Defence" in n for n in data["notes"])
    nobody = found(server, entity="Nobody At All")
    assert nobody["rows"] == [] and nobody["notes"]


def test_filters_combine_and_sort(server):
    assert ids(server, q="mali", source="Harbour Herald", sort="oldest") == [MOD_SENT, MOD_KNOW]
    assert ids(server, q="mali", source="Harbour Herald", sort="newest") == [MOD_KNOW, MOD_SENT]
    assert ids(server, q="mali", since="2024-03-12", until="2024-03-14") == [MOD_SENT]
    assert ids(server, country="ML", q="emails", language="en", sort="oldest") == [PENTAGON, MOD_SENT, MOD_KNOW]
    assert ids(server, incident="error/misdelivery") and \
        all(r["incident_type"] == "error/misdelivery" for r in found(server, incident="error/misdelivery")["rows"])
    relevance = found(server, q="emails mali")
    scores = [r["score"] for r in relevance["rows"]]
    assert relevance["sort"] == "relevance" and scores == sorted(scores)
    assert found(server, q="mali", since="not a date")["notes"]


def test_facets_count_the_results(server):
    facets = found(server, q="mali")["facets"]
    assert {f["value"]: f["n"] for f in facets["source"]} == {"Capital Dispatch": 2, "Harbour Herald": 2}
    assert {f["label"]: f["n"] for f in facets["country"]} == {"Mali": 4, "United States": 3}
    assert [(f["value"], f["n"]) for f in facets["month"]] == [("2024-03", 4)]
    assert {f["label"] for f in facets["entity"]} >= {".ml", "Ministry of Defence", "Bamako"}


def test_chips_remove_one_filter_each(server):
    page = get(server, f"/{DB}/-/search", q="mali", source="Harbour Herald", country="ML").text
    chips = re.findall(r'<li class="na-chip">(.*?)</li>', page)
    assert len(chips) == 3
    removals = [re.search(r'href="([^"]+)"', c).group(1).replace("&amp;", "&") for c in chips]
    remaining = [len(re.findall(r'<li class="na-chip">', get(server, r).text)) for r in removals]
    assert remaining == [2, 2, 2]


def test_a_chosen_facet_value_links_back_to_the_search_without_it(server):
    page = get(server, f"/{DB}/-/search", q="mali", entity="Ministry of Defense").text
    chosen = page.split('id="facet-entity"')[1].split('class="selected"><a href="')[1].split('"')[0]
    assert "entity=" not in chosen.replace("&amp;", "&") and "q=mali" in chosen


def test_results_are_cards_with_matches_in_bold_and_text_escaped(server):
    page = get(server, f"/{DB}/-/search", q="typing error").text
    assert "<b>typing</b> <b>error</b>" in page
    assert "Custom SQL" not in page and "FTS5" not in page and "[typing" not in page
    hostile = get(server, f"/{DB}/-/search", q="script").text
    assert '<script>alert("x")' not in hostile and "&lt;<b>script</b>&gt;" in hostile


def test_paging(server):
    first = found(server)
    assert first["next_url"] is None  # five articles fit a page
    assert ids(server, p="2") == [] and ids(server, p="nonsense") == ids(server)


def test_csv_and_atom_carry_the_same_results(server):
    rows = list(csv.DictReader(io.StringIO(get(server, f"/{DB}/-/search.csv", q="mali", sort="newest").text)))
    assert [int(r["id"]) for r in rows] == ids(server, q="mali", sort="newest")
    assert all(r["archived_url"].endswith(f"/{DB}/articles/{r['id']}") for r in rows)
    feed = ET.fromstring(get(server, f"/{DB}/-/search.atom", q="mali -pentagon").content)
    assert feed.find(f"{ATOM}title").text == "newsarchive · Search: “mali -pentagon”"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries]
    assert all(re.fullmatch(rf"http://127\.0\.0\.1:\d+/{DB}/articles/\d+", link) for link in links)
    empty = ET.fromstring(get(server, f"/{DB}/-/search.atom", q="zzzzqqq").content)
    assert empty.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("name", ["search", "search_articles", "search_feed"])
def test_stored_search_queries_answer_without_words(server, name):
    assert 'id="na-search-pointer"' in get(server, f"/{DB}/{name}").text
    assert get(server, f"/{DB}/{name}.json", q="", _shape="array").json() is not None
    for typed in ("Mali's", ".ml", '"unbalanced', "*", "mali -wagner"):
        get(server, f"/{DB}/{name}.json", q=typed)


@pytest.mark.parametrize("path, params", [("search_feed", {"q": "zzzzqqq"}),
                                          ("entity_mentions_feed", {"entity": "Nobody At All"})])
def test_stored_feeds_that_find_nothing_are_empty_feeds(server, path, params):
    feed = ET.fromstring(get(server, f"/{DB}/{path}.atom", **params).content)
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


def test_stored_search_feed_links_the_archived_copy(server):
    feed = ET.fromstring(get(server, f"/{DB}/search_feed.atom", q="heat").content)
    assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [f"/{DB}/articles/{HEAT}"]
    newest = ET.fromstring(get(server, f"/{DB}/search_feed.atom").content).findall(f"{ATOM}entry")
    assert len(newest) == len(ARTICLES)


@pytest.mark.parametrize("typed, name", [
    ("Ministry of Defense", "Ministry of Defence"), ("ministry of defence", "Ministry of Defence"),
    ("MoD", "Ministry of Defence"), ("malian", "Mali"), ("Zuurbeir", "Johannes Zuurbier"),
    ("bamakó", "Bamako"), ("penta", "Department of Defense"),
])
def test_forgiving_name_lookup(server, typed, name):
    rows = get(server, f"/{DB}/-/entities.json", q=typed).json()["rows"]
    assert rows and rows[0]["name"] == name
    page = get(server, f"/{DB}/-/entities", q=typed).text
    assert f">{name}</a>" in page


def test_search_offers_the_entity_typed(server):
    page = get(server, f"/{DB}/-/search", q="Ministry of Defense").text
    assert 'id="na-suggested"' in page and "only articles naming Ministry of Defence" in page


def test_story_page(server, fixture_db):
    story = next(sqlite_utils.Database(fixture_db).query(
        "select story_id from story_articles where article_id = ?", [MOD_SENT]))["story_id"]
    page = get(server, f"/{DB}/stories/{story}").text
    assert 'id="story-first"' in page and "Ministry of Defence emails sent to Mali by mistake" in page
    timeline = page.split('id="story-timeline"')[1].split("</ol>")[0]
    assert timeline.index("2024-03-14") < timeline.index("2024-03-18")
    outlets = page.split('id="story-outlets"')[1].split("</ul>")[0]
    assert "Harbour Herald" in outlets and "2 articles" in outlets
    names = page.split('id="story-entities"')[1].split("</ul>")[0]
    assert ">Ministry of Defence</a>" in names and "in 2 of 2" in names


def test_incident_type_with_its_evidence(server, fixture_db):
    db = sqlite_utils.Database(fixture_db)
    story = next(db.query("select id, evidence from stories where incident_type = 'error/misdelivery'"))
    page = get(server, f"/{DB}/stories/{story['id']}").text
    incident = page.split('id="story-incident"')[1].split("</section>")[0]
    assert "error/misdelivery" in incident
    if story["evidence"]:
        assert "the type was read from" in incident


def test_article_page_marks_entities_in_the_text(server):
    page = get(server, f"/{DB}/articles/{PENTAGON}").text
    text = page.split('id="article-text"')[1].split("</section>")[0]
    marks = re.findall(r'<a class="na-mark na-kind-(\w+)" href="/other-name/entities/\d+"[^>]*>([^<]+)</a>', text)
    assert ("person", "Johannes Zuurbier") in marks and ("domain", ".ml") in marks
    assert ("email", "someone@army.ml") in marks


def test_revisions_show_as_a_diff(server):
    page = get(server, f"/{DB}/articles/{JUNTA}").text
    revisions = page.split('id="revisions"')[1]
    assert "<ins> until next year</ins>" in revisions or "<ins>until next year</ins>" in revisions \
        or re.search(r"<ins>[^<]*until[^<]*</ins>", revisions)
    assert "Version 2" in revisions and "Version 1" in revisions


def test_lookalikes_link_both_ways_and_countries_link_to_their_page(server, fixture_db):
    db = sqlite_utils.Database(fixture_db)
    key = {r["name"]: r["id"] for r in db["entities"].rows}
    ml = get(server, f"/{DB}/entities/{key['.ml']}").text
    assert f'<a href="/{DB}/entities/{key[".mil"]}"><code>.mil</code></a>' in ml
    assert f'<a href="/{DB}/entities/{key["Mali"]}">Mali</a>' in ml  # .ml is the country code of Mali
    mil = get(server, f"/{DB}/entities/{key['.mil']}").text
    assert f'<a href="/{DB}/entities/{key[".ml"]}"><code>.ml</code></a>' in mil.split('id="entity-lookalikes"')[1]
    bamako = get(server, f"/{DB}/entities/{key['Bamako']}").text
    assert f'<a href="/{DB}/entities/{key["Mali"]}" title="Mali">ML</a>' in bamako


def test_map_markers_sized_by_articles(server):
    page = get(server, f"/{DB}/-/map").text
    markers = {m["name"]: m for m in
               __import__("json").loads(re.search(r"const markers = (\[.*?\]);", page).group(1))}
    assert markers["Mali"]["articles"] == 4 and markers["United States"]["articles"] == 3
    assert markers["Mali"]["radius"] > markers["United States"]["radius"]
    searched = get(server, f"/{DB}/-/map", q="junta").text
    assert '"name": "Mali"' in searched and '"name": "United States"' in searched
    only_mod = get(server, f"/{DB}/-/map", q="MoD").text
    assert '"United States"' in only_mod and '"articles": 2' in only_mod


def test_coverage_chart_bars_link_to_their_month(server):
    page = get(server, f"/{DB}/-/search", q="mali").text
    chart = page.split('id="na-chart"')[1].split("</svg>")[0]
    link = re.search(r'<a href="([^"]+)"><rect', chart).group(1).replace("&amp;", "&")
    assert "since=2024-03-01" in link and "until=2024-03-31" in link


def test_unknown_database_and_not_an_archive_are_404(server):
    assert httpx.get(f"{server.url}/nothere/-/search").status_code == 404
    assert httpx.get(f"{server.url}/basemap/-/search").status_code in (403, 404)


def test_dashboards_query_the_archive_under_its_own_name(server):
    page = get(server, "/-/dashboards/archive-overview").text
    assert f'"db": "{DB}"' in page and '"db": "archive"' not in page
    assert "<option value=\"country\"" in page  # the filter's own query ran on the archive


def test_a_word_in_more_articles_than_the_cap_is_searched_among_the_newest_with_a_note(tmp_path):
    """2,100 articles with one word: the page shows the 2,000 most recently archived with a
    note; with an outlet chosen, it counts them all."""
    import sqlite3

    from conftest import RunningDatasette
    from newsarchive.archive import search
    from newsarchive.archive.store import Store

    db = tmp_path / "archive.db"
    Store(db).close()
    many = search.TEXT_CAP + 100
    with sqlite3.connect(db) as conn:
        conn.executemany("insert into articles (id, url, title, text, source, language, published_at, first_seen, "
                         "status) values (?, ?, ?, ?, 'Ledger', 'en', ?, ?, 'live')",
                         [(i, f"https://ledger.example/{i}", f"Harbour report {i}", "The harbour flooded again.",
                           f"2023-01-{1 + i % 28:02d}", "2023-02-01") for i in range(1, many + 1)])
    server = RunningDatasette(db)
    try:
        capped = httpx.get(f"{server.url}/archive/-/search.json", params={"q": "harbour"}, timeout=30).json()
        assert capped["count"] == search.TEXT_CAP and capped["capped"] is True
        assert any("most recently archived" in note for note in capped["notes"])
        assert capped["facets"]["source"][0]["n"] == search.TEXT_CAP
        assert capped["sort"] == "newest"  # scoring a word in every article costs more than finding it
        ranked = httpx.get(f"{server.url}/archive/-/search.json", params={"q": "harbour", "sort": "relevance"},
                           timeout=30).json()
        assert ranked["sort"] == "relevance" and ranked["count"] == search.TEXT_CAP and ranked["rows"]
        page = httpx.get(f"{server.url}/archive/-/search", params={"q": "harbour"}, timeout=30).text
        assert f"more than {search.TEXT_CAP:,}" in page
        whole = httpx.get(f"{server.url}/archive/-/search.json", params={"q": "harbour", "source": "Ledger"},
                          timeout=30).json()
        assert whole["count"] == many and whole["capped"] is False
    finally:
        server.stop()


def test_facets_of_every_article_too_slow_to_count_inline_are_counted_ahead(tmp_path):
    """With facets that cannot be counted within the facet time limit (1 ms here, a million
    articles in life), the empty search shows none at first, counts them in the background,
    then serves them from memory."""
    import asyncio
    import sqlite3

    import yaml
    from datasette.app import Datasette

    from newsarchive.archive.paths import METADATA, PROJECT_ROOT
    from newsarchive.archive.store import Store

    db = tmp_path / "archive.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.executemany("insert into articles (id, url, title, text, source, language, published_at, first_seen, "
                         "status) values (?, ?, ?, 'Text.', ?, 'en', ?, '2023-02-01', 'live')",
                         [(i, f"https://ledger.example/{i}", f"Report {i}", "Ledger" if i % 4 else "Herald",
                           f"2023-01-{1 + i % 28:02d}") for i in range(1, 20_001)])
    datasette = Datasette([str(db)], metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")),
                          plugins_dir=str(PROJECT_ROOT / "plugins"), template_dir=str(PROJECT_ROOT / "templates"),
                          settings={"facet_time_limit_ms": 1, "sql_time_limit_ms": 5000})

    async def visit() -> tuple[dict, dict]:
        await datasette.invoke_startup()
        first = (await datasette.client.get("/archive/-/search.json")).json()
        for _ in range(200):
            later = (await datasette.client.get("/archive/-/search.json")).json()
            if later["facets"].get("source"):
                return first, later
            await asyncio.sleep(0.05)
        return first, later

    first, later = asyncio.run(visit())
    assert first["count"] == 20_000
    assert None in first["facets"].values() or not first["facets"]  # out of time at first
    assert {r["value"]: r["n"] for r in later["facets"]["source"]} == {"Ledger": 15_000, "Herald": 5_000}
    assert later["facets"]["language"][0]["n"] == 20_000
