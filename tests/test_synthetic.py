"""The synthetic archive of ``bench.synthetic``, small, and the queries ``bench.scale`` times on it."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from newsarchive.archive import paths
from newsarchive.archive.schema import migrate
from newsarchive.archive.store import Store
from bench import synthetic
from newsarchive.nlp.extraction.core import Article

ARTICLES = 2000


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """A 2,000-article archive, built once for the module (named archive.db, as Datasette expects)."""
    path = tmp_path_factory.mktemp("synthetic") / "archive.db"
    figures = synthetic.build(path, ARTICLES, seed=7, inspect=False)
    return path, figures


@pytest.fixture
def conn(built):
    connection = sqlite3.connect(built[0])
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def test_counts_and_shapes(built, conn):
    _path, figures = built
    assert conn.execute("select count(*) from articles").fetchone()[0] == ARTICLES
    assert conn.execute("select count(*) from sources").fetchone()[0] == synthetic.SOURCES
    assert conn.execute("select count(*) from entities").fetchone()[0] == figures["entities"] > 40_000
    per_article = [r[0] for r in conn.execute("select count(*) from mentions group by article_id")]
    assert len(per_article) == ARTICLES and min(per_article) >= 5 and max(per_article) <= 30
    assert sum(per_article) == figures["mentions"]
    words = sorted(r[0] for r in conn.execute("select word_count from articles"))
    assert 450 <= words[len(words) // 2] <= 750  # median near WORDS_MEDIAN
    titles = [len(r[0].split()) for r in conn.execute("select title from articles")]
    assert min(titles) >= 8 and max(titles) <= 14
    years = {r[0] for r in conn.execute("select distinct substr(published_at, 1, 4) from articles")}
    assert len(years) >= 5
    kinds = {r[0] for r in conn.execute("select distinct kind from entities")}
    assert kinds == {"country", "organisation", "person", "place", "domain"}


def test_sources_and_entities_are_zipf_like(conn):
    sizes = [r[0] for r in conn.execute("select count(*) as n from articles group by source order by n desc")]
    assert sizes[0] > 10 * sizes[len(sizes) // 2]  # a few big outlets, a long tail
    counts = [r[0] for r in conn.execute("select article_count from entities order by article_count desc")]
    assert counts[0] > 100 * max(counts[len(counts) // 10], 1)


def test_entity_counts_match_mentions(conn):
    expected = {r["entity_id"]: (r["articles"], r["mentions"], r["first"], r["last"]) for r in conn.execute(
        "select m.entity_id, count(distinct m.article_id) as articles, count(*) as mentions, "
        "min(substr(a.published_at, 1, 10)) as first, max(substr(a.published_at, 1, 10)) as last "
        "from mentions m join articles a on a.id = m.article_id group by m.entity_id")}
    stored = {r["id"]: (r["article_count"], r["mention_count"], r["first_seen"], r["last_seen"])
              for r in conn.execute("select * from entities where article_count > 0")}
    assert stored == expected


def test_mention_offsets_point_at_the_names(conn):
    rows = conn.execute("select a.title, a.text, m.text as name, m.start, m.[end], m.sentence from mentions m "
                        "join articles a on a.id = m.article_id where m.article_id <= 50").fetchall()
    for row in rows:
        frame = f"{row['title']}\n\n{row['text']}"
        assert frame[row["start"]:row["end"]] == row["name"]
        assert row["name"] in row["sentence"] and row["sentence"] in frame


def test_rare_term_is_in_about_one_percent(built, conn):
    hits = conn.execute("select count(*) from articles_fts where articles_fts match ?",
                        [synthetic.RARE_TERM]).fetchone()[0]
    by_like = conn.execute("select count(*) from articles where text like ?",
                           [f"%{synthetic.RARE_TERM}%"]).fetchone()[0]
    assert hits == by_like == built[1]["rare_term_articles"]
    assert 0.004 * ARTICLES <= hits <= 0.018 * ARTICLES


def test_bulk_load_leaves_the_schema_as_migrations_make_it(built, tmp_path):
    fresh = tmp_path / "fresh.db"
    migrate(__import__("sqlite_utils").Database(fresh))

    def schema(path: Path) -> set[tuple[str, str]]:
        with sqlite3.connect(path) as c:
            return set(c.execute("select name, sql from sqlite_master where sql is not null "
                                 "and name not like 'sqlite_stat%'"))

    assert schema(built[0]) == schema(fresh)


def test_fts_is_consistent_and_triggers_work_after_the_load(built, tmp_path):
    path = tmp_path / "archive.db"
    path.write_bytes(built[0].read_bytes())
    with Store(path) as store:
        store.db.execute("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)")
        source = store.db.execute("select name from sources limit 1").fetchone()[0]
        article = Article(text="A zorblattic word no generator makes.", title="Fresh article", language="en")
        article_id, outcome = store.save_article(source, "https://example.test/fresh", article, "2026-01-01T00:00:00Z")
        assert outcome == "new"
        found = [r[0] for r in store.db.execute(
            "select rowid from articles_fts where articles_fts match 'zorblattic'")]
        assert found == [article_id]
        store.db.execute("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)")


def test_search_page_query_returns_the_newest_matches(conn):
    term = synthetic.RARE_TERM
    rows = conn.execute("select id, published_at from articles where id in (select rowid from articles_fts "
                        "where articles_fts match ?) order by published_at desc limit 51", [term]).fetchall()
    matching = sorted(((r["published_at"], r["id"]) for r in conn.execute(
        "select id, published_at, text from articles") if term in r["text"]), reverse=True)
    assert [r["published_at"] for r in rows] == [p for p, _ in matching[:51]]


def test_source_facet_counts(conn):
    facet = conn.execute("select source as value, count(*) as count from articles where source is not null "
                         "group by source order by count desc, value limit 31").fetchall()
    counted = Counter(r[0] for r in conn.execute("select source from articles"))
    assert [(r["value"], r["count"]) for r in facet] == sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:31]


def cooccurring_sql() -> str:
    metadata = yaml.safe_load(paths.METADATA.read_text(encoding="utf-8"))
    return metadata["databases"]["archive"]["queries"]["cooccurring_entities"]["sql"]


def test_cooccurrence_query_counts_shared_articles(conn):
    entity = conn.execute("select id, name from entities order by article_count desc limit 1 offset 20").fetchone()
    rows = conn.execute(cooccurring_sql(), {"entity": entity["name"]}).fetchall()
    articles_of: dict[int, set[int]] = defaultdict(set)
    for m in conn.execute("select article_id, entity_id from mentions"):
        articles_of[m[1]].add(m[0])
    own = articles_of[entity["id"]]
    expected = {other: len(own & arts) for other, arts in articles_of.items() if other != entity["id"] and own & arts}
    assert len(rows) == min(200, len(expected))
    assert all(r["articles_together"] == expected[r["entity_id"]] for r in rows)
    assert rows[0]["articles_together"] == max(expected.values())


def plugin_sql(name: str) -> str:
    """A query of the project's Datasette plugin (a plugins-dir file, not a package)."""
    spec = importlib.util.spec_from_file_location("newsarchive_pages", paths.PROJECT_ROOT / "plugins" / "newsarchive_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def test_entity_page_articles(conn):
    entity = conn.execute("select id, article_count from entities order by article_count desc limit 1").fetchone()
    rows = conn.execute(plugin_sql("ENTITY_ARTICLES_SQL"), {"id": entity["id"], "limit": 10_000}).fetchall()
    assert len(rows) == entity["article_count"]
    assert [r["published_at"] for r in rows] == sorted((r["published_at"] for r in rows), reverse=True)


def stored_sql(name: str) -> str:
    metadata = yaml.safe_load(paths.METADATA.read_text(encoding="utf-8"))
    return metadata["databases"]["archive"]["queries"][name]["sql"]


def plan(conn, sql: str, params: dict) -> list[str]:
    return [r[3] for r in conn.execute("explain query plan " + sql, params)]


# the tables that grow with the archive: a plan may search them, never read them whole
GROWING = {"articles", "mentions", "entity_pairs", "entity_weeks", "a", "m", "p", "w"}


def full_scans(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("SCAN ") and line.split()[1] in GROWING]


def names(conn, rank: int) -> sqlite3.Row:
    return conn.execute("select id, name, article_count from entities order by article_count desc, id "
                        "limit 1 offset ?", [rank]).fetchone()


def test_entity_page_queries_read_indexes_only(conn):
    top = names(conn, 0)
    for sql, params in [(stored_sql("cooccurring_entities"), {"entity": top["name"]}),
                        (stored_sql("entity_timeline"), {"entity": top["name"]}),
                        (plugin_sql("ENTITY_COOCCURRING_SQL"), {"id": top["id"], "limit": 100}),
                        (plugin_sql("ENTITY_ARTICLES_SQL"), {"id": top["id"], "limit": 100})]:
        lines = plan(conn, sql, params)
        assert not full_scans(lines), (lines, sql)
    # the company of one entity: the top of an index range, no sort of all its partners
    lines = plan(conn, plugin_sql("ENTITY_COOCCURRING_SQL"), {"id": top["id"], "limit": 100})
    assert "SEARCH entity_pairs USING COVERING INDEX idx_entity_pairs_articles (entity_id=?)" in lines
    assert sum("TEMP B-TREE" in line for line in lines) == 1  # the final 100 rows by name, no more
    # newest first for a common entity: a walk of the date index that the limit stops
    lines = plan(conn, plugin_sql("ENTITY_ARTICLES_NEWEST_FIRST_SQL"), {"id": top["id"], "limit": 100})
    assert lines[0] == "SCAN a USING INDEX idx_articles_published_at"
    assert not any("TEMP B-TREE" in line for line in lines)


def test_newest_first_walk_gives_the_same_articles(conn):
    top = names(conn, 0)
    sorting = conn.execute(plugin_sql("ENTITY_ARTICLES_SQL"), {"id": top["id"], "limit": 100}).fetchall()
    walking = conn.execute(plugin_sql("ENTITY_ARTICLES_NEWEST_FIRST_SQL"), {"id": top["id"], "limit": 100}).fetchall()
    assert [tuple(r) for r in walking] == [tuple(r) for r in sorting] and len(walking) == 100
    choose = plugin_sql("articles_sql")
    assert choose(top["article_count"], ARTICLES, 100) == plugin_sql("ENTITY_ARTICLES_NEWEST_FIRST_SQL")
    assert choose(5, ARTICLES, 100) == plugin_sql("ENTITY_ARTICLES_SQL")


def filtered_truth(conn, one: int, two: int | None, source: str, since: str, until: str) -> list[int]:
    named: dict[int, set[int]] = defaultdict(set)
    for article_id, entity_id in conn.execute("select article_id, entity_id from mentions"):
        named[article_id].add(entity_id)
    rows = conn.execute("select id, published_at from articles where source = ? and published_at >= ? "
                        "and substr(published_at, 1, 10) <= ? order by published_at desc, id desc",
                        [source, since, until]).fetchall()
    return [r[0] for r in rows if one in named[r[0]] and (two is None or two in named[r[0]])][:200]


@pytest.mark.parametrize("ranks, dates", [((0, 1), ("2020-01-01", "2023-12-31")), ((0, None), ("", "")),
                                          ((0, 300), ("2019-06-01", "2024-06-30")), ((2000, None), ("", ""))])
def test_filtered_search_answers_and_plans_with_indexes(conn, ranks, dates):
    sql = stored_sql("articles_filtered")
    source = conn.execute("select source from articles group by source order by count(*) desc limit 1").fetchone()[0]
    one = names(conn, ranks[0])
    two = names(conn, ranks[1]) if ranks[1] is not None else None
    params = {"entity": one["name"], "also": two["name"] if two else "", "source": source,
              "since": dates[0], "until": dates[1]}
    rows = conn.execute(sql, params).fetchall()
    truth = filtered_truth(conn, one["id"], two["id"] if two else None, source, dates[0], dates[1] or "9999")
    assert [r["article_id"] for r in rows] == truth
    lines = plan(conn, sql, params)
    assert not full_scans(lines), lines
    # the outlet's articles between the dates are one range of an index that answers alone ...
    assert ("SEARCH a USING COVERING INDEX idx_articles_source_published_at "
            "(source=? AND published_at>? AND published_at<?)" in lines)
    # ... and the other way in starts from the rarer entity's own mentions
    assert "SEARCH m USING COVERING INDEX idx_mentions_entity_id_article_id (entity_id=?)" in lines


def test_filtered_search_takes_the_smaller_way_in(built):
    """Which way in runs: counted with SQLite's progress handler (VM steps), the rarer entity
    in the biggest outlet costs a fraction of what walking the outlet would."""
    connection = sqlite3.connect(built[0])
    sql = stored_sql("articles_filtered")
    source = connection.execute("select source from articles group by source order by count(*) desc limit 1").fetchone()[0]
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    connection.set_progress_handler(count, 100)

    def cost(rank: int) -> int:
        name = connection.execute("select name from entities order by article_count desc, id limit 1 offset ?",
                                  [rank]).fetchone()[0]
        steps[0] = 0
        connection.execute(sql, {"entity": name, "also": "", "source": source, "since": "", "until": ""}).fetchall()
        return steps[0]

    rare, common = cost(3000), cost(0)
    assert rare * 4 < common
    connection.close()
