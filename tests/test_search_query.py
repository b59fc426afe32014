"""The search's translation of typed text (``newsarchive.archive.search``), checked against
a real FTS5 index made by the archive's own schema, and the search statements' plans and
costs on a real archive file.
"""

from __future__ import annotations

import random
import sqlite3
import string

import pytest

from newsarchive.archive import search
from newsarchive.archive.search import Filters, count_sql, facet_sql, parse, search_sql
from newsarchive.archive.store import Store

DOCS = {
    1: ("Pentagon email meant for .mil went to Mali", "Emails for army.mil reached Mali's .ml domain."),
    2: ("U.S. officials meet in St. Petersburg", "The US delegation met Okafor-Pryce in St. Petersburg."),
    3: ("Wagner fighters leave Mali", "Mali's junta said the Wagner group would go."),
    4: ("Mali election delayed", "The vote in Bamako was delayed again."),
    5: ("Ministry of Defence admits mistake", "The defence ministry said emails went astray; defences improved."),
    6: ("Côte d'Ivoire holds talks", "Talks in Abidjan with the ministère des armées."),
    7: ("UK minister visits", "The visit was for us to use."),
}


@pytest.fixture(scope="module")
def fts(tmp_path_factory):
    """An archive with the six documents above, through the real schema (porter, unicode61)."""
    path = tmp_path_factory.mktemp("fts") / "archive.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.executemany("insert into articles (id, title, text, published_at) values (?, ?, ?, ?)",
                     [(i, t, x, f"2024-03-{i:02d}") for i, (t, x) in DOCS.items()])
    conn.commit()
    yield conn
    conn.close()


def matches(conn: sqlite3.Connection, typed: str) -> set[int]:
    """The article ids the typed text finds (every article when it has nothing to match)."""
    query = parse(typed)
    ids = set(DOCS)
    if query.match:
        ids = {r[0] for r in conn.execute("select rowid from articles_fts where articles_fts match ?",
                                          (query.match,))}
    if query.exclude:
        ids -= {r[0] for r in conn.execute("select rowid from articles_fts where articles_fts match ?",
                                           (query.exclude,))}
    return ids


@pytest.mark.parametrize("typed, expected", [
    (".ml", {1}),
    ("Mali's", {1, 3, 4}),  # the possessive finds Mali
    ("Mali’s", {1, 3, 4}),  # with a typographic apostrophe too
    ("U.S.", {2}),  # "U.S." (not "US": that is "us", and "use" stemmed, to the index)
    ("u.s", {2}),
    ("U.K.", {7}),  # dotted and plain: "U.K." and "UK"
    ("St. Petersburg", {2}),
    ('"St. Petersburg"', {2}),
    ("army.mil", {1}),
    ("Okafor-Pryce", {2}),
    ("mali -wagner", {1, 4}),
    ("mali NOT wagner", {1, 4}),
    ('mali -"wagner group"', {1, 4}),
    ("-wagner", {1, 2, 4, 5, 6, 7}),
    ('"unbalanced quote mali', set()),
    ('mali "', {1, 3, 4}),
    ("*", set(DOCS)),
    ("", set(DOCS)),
    ("   ", set(DOCS)),
    ("OR", set(DOCS)),
    ("wagner OR bamako", {3, 4}),
    ("defen*", {5}),
    ("defence", {5}),  # porter: defences too, in one article
    ("(mali", {1, 3, 4}),
    ("mali)", {1, 3, 4}),
    ("NEAR(mali wagner)", {3}),
    ("title:mali", set()),  # a column filter is not offered: the words are searched as words
    ("^mali", {1, 3, 4}),
    ("mali AND", {1, 3, 4}),
    ("OR mali OR", {1, 3, 4}),
    ("' OR 1=1 --", set()),
    ("<script>alert(1)</script>", set()),
    ("Cote d'Ivoire", {6}),  # accents do not matter
    ("ministere", {6}),
    ("🙂", set(DOCS)),
    ("\x00mali\x1f", {1, 3, 4}),
    ("“Okafor-Pryce”", {2}),
    ("Mali, Wagner", {3}),
    ("mali;drop table articles", set()),
    ("e-mail", {1, 5}),  # and "emails"
    ("-e-mail", {2, 3, 4, 6, 7}),
])
def test_awkward_input_finds_sensible_articles(fts, typed, expected):
    assert matches(fts, typed) == expected


def test_phrases_or_and_exclusion_read_as_written():
    assert parse('"wagner group" OR "africa corps" mali -russia').describe() == \
        '("wagner group" or "africa corps") and mali, without russia'
    assert parse("mali -wagner").match == '(("mali")) NOT ("wagner")'
    assert parse("-wagner").match == "" and parse("-wagner").exclude == '"wagner"'


def test_nothing_to_search_for_means_every_article_with_a_note():
    for typed in ("", "*", '"', "--", "()", "OR"):
        query = parse(typed)
        assert not query.has_text
    assert parse("*").notes and not parse("").notes


def test_very_long_input_is_cut_with_a_note():
    query = parse("mali " * 500)
    assert len(query.wanted) == search.MAX_TERMS
    assert any("characters long" in note for note in query.notes)
    assert any("first" in note for note in query.notes)
    one_word = parse("x" * 5000)
    assert one_word.notes and len(one_word.match) < search.MAX_CHARS + 20


def test_random_input_never_makes_an_fts5_error(fts):
    alphabet = string.printable + "“”’«»—–…éçñ😀\u200b\u00a0" + '"' * 10 + "*-().:^+" * 4
    rng = random.Random(19)
    for _ in range(3000):
        typed = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        matches(fts, typed)  # raises on any FTS5 syntax error


def test_fts_query_is_the_match_expression():
    assert search.fts_query("Mali's") == parse("Mali's").match
    assert search.fts_query(None) == ""


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"), ("2024-03", "2024-03-01"), ("2024", "2024-01-01"),
    ("yesterday", None), ("2024-13-01", None), ("", None), (None, None),
])
def test_dates(value, expected):
    assert search.parse_date(value) == expected


@pytest.mark.parametrize("typed, name", [
    ("Ministry of Defense", "Ministry of Defence"),
    ("ministry of defence", "Ministry of Defence"),
    ("Côte d’Ivoire", "Cote d'Ivoire"),
    ("Minstry of Defence", "Ministry of Defence"),
    ("Minis", "Ministry of Defence"),  # while typing
])
def test_forgiving_names(typed, name):
    assert search.name_similarity(typed, name) >= 0.8


def test_unlike_names_score_low():
    assert search.name_similarity("Mali", "Malawi") < 0.8
    assert search.name_similarity("Pentagon", "Ministry of Defence") < 0.6
    assert search.name_similarity("", "Mali") == 0


def test_lookup_fts_uses_word_starts(fts):
    assert search.lookup_fts("Minstry of Defense") == '"min"* OR "of"* OR "def"*'
    assert search.lookup_fts("***") == ""


# --- the statements: plans and costs on a real archive ---------------------------------------

FILLER_WORDS = "weather market football council harbour budget rail festival".split()


def build_scaled(path, fillers: int) -> None:
    """An archive with three articles about Mali naming entity 1 (and entity 2 in one), then
    ``fillers`` articles about other things, naming entity 3."""
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.executemany("insert into entities (id, kind, name, key, article_count) values (?, ?, ?, ?, ?)",
                     [(1, "country", "Mali", "ML", 3), (2, "group", "Wagner", "wagner", 1),
                      (3, "organisation", "City Council", "city council", fillers)])
    rows, mentions = [], []
    for i in range(1, fillers + 4):
        if i <= 3:
            rows.append((i, f"Mali report {i}", "Mali and the Wagner group" if i == 1 else "Mali votes",
                         "Capital", "en", f"2024-03-0{i}"))
            mentions.append((i, 1))
            if i == 1:
                mentions.append((i, 2))
        else:
            words = " ".join(FILLER_WORDS[(i + k) % len(FILLER_WORDS)] for k in range(40))
            rows.append((i, f"Report {i}", words, "Other", "en", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"))
            mentions.append((i, 3))
    conn.executemany("insert into articles (id, title, text, source, language, published_at) "
                     "values (?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("insert into mentions (article_id, entity_id, text, start, end) values (?, ?, 'x', 0, 1)",
                     mentions)
    conn.commit()
    conn.execute("analyze")
    conn.close()


def steps(conn: sqlite3.Connection, sql: str, params: dict) -> tuple[int, list]:
    """Virtual-machine steps (in thousands) a statement takes, and its rows."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    conn.set_progress_handler(tick, 1000)
    try:
        found = conn.execute(sql, params).fetchall()
    finally:
        conn.set_progress_handler(None, 0)
    return counted[0], found


SEARCHES = [
    ("mali", Filters(), "relevance"),
    ("mali", Filters(), "newest"),
    ("mali", Filters(entities=(2,)), "oldest"),
    ("", Filters(entities=(1,)), "newest"),
    ("", Filters(entities=(2, 1)), "newest"),
    ("mali -wagner", Filters(source="Capital", language="en", since="2024-01-01", until="2024-12-31"), "newest"),
]


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scaled")
    small, large = folder / "small.db", folder / "large.db"
    build_scaled(small, 200)
    build_scaled(large, 4000)
    with sqlite3.connect(small) as a, sqlite3.connect(large) as b:
        yield a, b


@pytest.mark.parametrize("typed, filters, sort", SEARCHES)
def test_cost_follows_the_result_not_the_archive(scaled, typed, filters, sort):
    small, large = scaled
    query = parse(typed)
    statements = [search_sql(query, filters, sort, 20), count_sql(query, filters),
                  *([search.snippet_sql(query, [1, 2, 3])] if query.match else []),
                  *(facet_sql(name, query, filters) for name in search.FACETS)]
    for sql, params in statements:
        small_steps, small_rows = steps(small, sql, params)
        large_steps, large_rows = steps(large, sql, params)
        assert [r[0] for r in small_rows] == [r[0] for r in large_rows]  # the filler articles never match
        # twenty times the archive; the work stays that of the three matching articles
        assert large_steps <= small_steps + 3, (sql, small_steps, large_steps)


@pytest.mark.parametrize("typed, filters, sort", SEARCHES)
def test_plans_start_from_the_match_or_the_rarest_entity(scaled, typed, filters, sort):
    _, large = scaled
    query = parse(typed)
    sql, params = search_sql(query, filters, sort, 20)
    plan = [row[3] for row in large.execute("explain query plan " + sql, params)]
    text = "\n".join(plan)
    if query.match:
        assert "SCAN articles_fts VIRTUAL TABLE INDEX" in text, text
    else:
        assert "SEARCH mentions USING COVERING INDEX idx_mentions_entity_id_article_id (entity_id=?)" in text, text
    assert "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)" in text, text
    for line in plan:  # nothing read whole: only the driver's own rows are scanned
        assert not line.startswith("SCAN") or line in ("SCAN c",) or "VIRTUAL TABLE" in line, text


def test_every_article_newest_first_reads_the_date_index(scaled):
    _, large = scaled
    sql, params = search_sql(parse(""), Filters(), "newest", 20)
    plan = "\n".join(row[3] for row in large.execute("explain query plan " + sql, params))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan
    few, rows = steps(large, sql, params)
    assert len(rows) == 20 and few < 20  # a page read from the index, not a sort of 4,003 rows


def test_filters_combine(scaled):
    _, large = scaled

    def ids(typed, filters, sort="newest"):
        sql, params = search_sql(parse(typed), filters, sort, 50)
        return [r[0] for r in large.execute(sql, params)]

    assert ids("mali", Filters()) == [3, 2, 1]
    assert ids("mali", Filters(), "oldest") == [1, 2, 3]
    assert ids("", Filters(entities=(1, 2))) == [1]
    assert ids("mali -wagner", Filters()) == [3, 2]
    assert ids("-wagner", Filters(entities=(1,))) == [3, 2]
    assert ids("mali", Filters(since="2024-03-02", until="2024-03-02")) == [2]
    assert ids("mali", Filters(source="Other")) == []
    assert ids("", Filters(entities=(-1,))) == []
    count, params = count_sql(parse("mali"), Filters(entities=(1,)))
    assert large.execute(count, params).fetchone()[0] == 3


def test_the_module_loads_alone_as_a_published_copy_loads_it(tmp_path):
    """A published copy's plugin loads this file by path when ``newsarchive`` is not installed:
    it must need nothing of ours."""
    import importlib.util
    import shutil
    import sys

    copy = tmp_path / "lib" / "search.py"
    copy.parent.mkdir()
    shutil.copyfile(search.__file__, copy)
    spec = importlib.util.spec_from_file_location("published_search_copy", copy)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert module.parse("Mali's -wagner").match == parse("Mali's -wagner").match
    assert "import newsarchive" not in copy.read_text() and "from newsarchive" not in copy.read_text()


@pytest.mark.parametrize("name", sorted(search.FACETS))
def test_facets_of_every_article_read_the_counts_kept(tmp_path, name):
    """With no words and no filter, a facet comes from indexes and the entities' own counts:
    the same answer as counting over every article."""
    path = tmp_path / "archive.db"
    build_scaled(path, 50)
    conn = sqlite3.connect(path)
    conn.execute("insert into stories (id, title, article_count, incident_type) values (1, 's', 2, 'hacking')")
    conn.executemany("insert into story_articles (story_id, article_id) values (1, ?)", [(1,), (2,)])
    conn.execute("update entities set article_count = (select count(distinct article_id) from mentions "
                 "where entity_id = entities.id)")
    conn.commit()
    kept_sql, kept_params = facet_sql(name, parse(""), Filters(), 50)
    assert "hits" not in kept_sql
    plan = _plan_of_every_article(name)
    assert conn.execute(kept_sql, kept_params).fetchall() == conn.execute(*plan).fetchall()


def _plan_of_every_article(name: str) -> tuple[str, dict]:
    """The facet counted the long way, over every article as the search's hits."""
    return f"with hits as (select id from articles) {search.FACETS[name]}", {"size": 50}


def test_only_words_are_capped():
    assert search.capped(parse("weather"), Filters())
    assert search.capped(parse("weather -rail"), Filters())  # NOT inside the match: its newest matches
    assert not search.capped(parse("-rail"), Filters())
    assert not search.capped(parse("weather"), Filters(source="Other"))
    assert not search.capped(parse("weather"), Filters(since="2023-01-01"))
    assert not search.capped(parse(""), Filters())


def test_a_word_in_every_article_costs_what_the_cap_does(scaled, monkeypatch):
    """A word in all 4,000 filler articles: the page reads the TEXT_CAP most recently archived
    matches once, and every statement of the page then works on those alone."""
    import json

    small, large = scaled
    monkeypatch.setattr(search, "TEXT_CAP", 50)
    query = parse("weather")
    sql, params = search.capped_hits_sql(query)
    small_steps, small_hits = steps(small, sql, params)
    large_steps, large_hits = steps(large, sql, params)
    assert [r[0] for r in large_hits] == list(range(4003, 4003 - 50, -1))  # the newest archived, by rowid
    assert large_steps <= small_steps + 3, (small_steps, large_steps)  # 20 times the matches, the same work
    hits = json.dumps([list(r) for r in large_hits])
    count, count_params = count_sql(query, Filters(), hits)
    assert large.execute(count, count_params).fetchone()[0] == 50
    page, page_params = search_sql(query, Filters(), "relevance", 20, 0, hits)
    rows = large.execute(page, page_params).fetchall()
    assert len(rows) == 20 and {r[0] for r in rows} <= {r[0] for r in large_hits}
    source, source_params = facet_sql("source", query, Filters(), 10, hits)
    assert large.execute(source, source_params).fetchall() == [("Other", "Other", 50)]
    # with a filter the search sees every match: an older article that meets it is not missed
    assert not search.capped(query, Filters(source="Other"))
    filtered, filtered_params = count_sql(query, Filters(source="Other"))
    assert large.execute(filtered, filtered_params).fetchone()[0] == 4000


@pytest.mark.parametrize("typed, filters, sort", SEARCHES)
def test_a_result_found_once_gives_the_page_the_search_gives(scaled, typed, filters, sort):
    """The page finds a small result once (``hits_sql``) and hands it to the other
    statements: the rows, count and facets must be those of the search itself."""
    import json

    _, large = scaled
    query = parse(typed)
    sql, params = search.hits_sql(query, filters, 1000)
    found = large.execute(sql, params).fetchall()
    assert 0 < len(found) < 1000
    hits = json.dumps([list(r) for r in found])
    pairs = [(search_sql(query, filters, sort, 20), search_sql(query, filters, sort, 20, 0, hits)),
             (count_sql(query, filters), count_sql(query, filters, hits))]
    pairs += [(facet_sql(name, query, filters), facet_sql(name, query, filters, 10, hits)) for name in search.FACETS]
    for (direct, direct_params), (handed, handed_params) in pairs:
        assert "json_each" in handed
        assert large.execute(handed, handed_params).fetchall() == large.execute(direct, direct_params).fetchall()


def test_the_outlet_drives_when_its_dates_hold_fewer_articles_than_the_rarest_entity(scaled):
    import dataclasses

    _, large = scaled
    filters = Filters(entities=(1,), source="Capital", since="2024-03-01", until="2024-03-31")
    sql, params = search.outlet_count_sql(filters, 4001)
    assert large.execute(sql, params).fetchone()[0] == 3
    outlet = dataclasses.replace(filters, outlet_first=True)
    page, page_params = search_sql(parse(""), outlet, "newest", 20)
    plan = "\n".join(row[3] for row in large.execute("explain query plan " + page, page_params))
    assert "idx_articles_source_published_at" in plan, plan
    rows = large.execute(page, page_params).fetchall()
    assert [r[0] for r in rows] == [3, 2, 1]
    assert rows == large.execute(*search_sql(parse(""), filters, "newest", 20)).fetchall()


@pytest.mark.parametrize("typed, filters, sort", SEARCHES)
def test_country_and_entity_facets_in_one_pass_are_those_counted_apart(scaled, typed, filters, sort):
    _, large = scaled
    query = parse(typed)
    sql, params = search.named_facets_sql(query, filters, 10)
    together = large.execute(sql, params).fetchall()
    assert {r[0] for r in together} >= {"country"}  # Mali is named in every search's results
    for name in ("country", "entity"):
        apart = [tuple(r) for r in large.execute(*facet_sql(name, query, filters, 10))]
        assert [r[1:5] if name == "entity" else (*r[1:4], r[5]) for r in together if r[0] == name] == \
            [(r[0], r[1], r[2], r[3]) for r in apart]
    assert search.named_facets_sql(parse(""), Filters(), 10) is None
