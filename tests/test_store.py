"""The store on a real SQLite file: identity, revisions, entities, migrations."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from newsarchive.archive.schema import migrate, migrations
from newsarchive.archive.store import CrawlStats, PageRecord, Store
from newsarchive.archive.sources import Source
from newsarchive.nlp.entities.extract import DomainInfo, Entity, Mention
from newsarchive.nlp.extraction.core import Article

URL = "https://ledger.example/news/2023/07/28/emails.html"


def article(text: str = "Emails meant for .mil went to .ml.\nThe MoD is investigating.", title: str = "Emails to Mali") -> Article:
    return Article(text=text, title=title, published_at="2023-07-28", author="Jane Doe", language="en")


def entity(kind: str, name: str, key: str, *mentions: tuple[str, int], domain: DomainInfo | None = None) -> Entity:
    return Entity(
        kind=kind, name=name, key=key, country_code=None, aliases=[],
        mentions=[Mention(text=t, start=s, end=s + len(t), sentence="s") for t, s in mentions],
        domain=domain,
    )


@pytest.fixture
def store(store):
    """The archive with the source the articles below belong to."""
    store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
    return store


def test_schema_is_made_by_named_migrations(db_path):
    Store(db_path).close()
    db = sqlite_utils.Database(db_path)
    applied = [r["name"] for r in db["_sqlite_migrations"].rows]
    assert applied == [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]
    migrate(db)  # idempotent
    assert db["_sqlite_migrations"].count == len(applied)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_same_article_twice_is_one_row(store):
    first = store.save_article("Ledger", URL, article(), "2023-07-28T09:00:00+00:00")
    second = store.save_article("Ledger", URL, article(), "2023-07-29T09:00:00+00:00")
    assert first == (first[0], "new")
    assert second == (first[0], "unchanged")
    row = store.db["articles"].get(first[0])
    assert (row["first_seen"], row["last_seen"], row["revision"]) == (
        "2023-07-28T09:00:00+00:00", "2023-07-29T09:00:00+00:00", 1)
    assert store.count("articles") == 1
    assert store.count("revisions") == 1


def test_changed_article_becomes_a_revision(store):
    article_id, _ = store.save_article("Ledger", URL, article(), "t1")
    changed = article(text="Emails meant for .mil went to .ml.\nThe MoD has opened an investigation.")
    assert store.save_article("Ledger", URL, changed, "t2") == (article_id, "updated")
    revisions = list(store.db["revisions"].rows_where("article_id = ?", [article_id], order_by="revision"))
    assert [r["revision"] for r in revisions] == [1, 2]
    assert revisions[1]["chars_added"] > 0 and revisions[1]["chars_removed"] > 0
    assert store.db["articles"].get(article_id)["text"].endswith("opened an investigation.")


def test_full_text_search_uses_porter_stemming(store):
    store.save_article("Ledger", URL, article(), "t1")
    hits = store.db.execute(
        "select a.title from articles_fts f join articles a on a.id = f.rowid "
        "where articles_fts match 'investigate'"
    ).fetchall()
    assert hits == [("Emails to Mali",)]


def test_full_text_index_follows_a_new_revision_and_ignores_bookkeeping_updates(store):
    article_id, _ = store.save_article("Ledger", URL, article(), "2023-07-28T09:00:00+00:00")
    fts_work: list[str] = []
    store.db.conn.set_trace_callback(lambda sql: fts_work.append(sql) if "articles_fts" in sql else None)
    store.save_entities([(article_id, [])], "model")  # marks the article processed
    store.save_article("Ledger", URL, article(), "2023-07-29T09:00:00+00:00")  # unchanged: moves last_seen
    assert fts_work == [], "updating columns the index does not hold must not re-index the text"
    store.save_article("Ledger", URL, article(text="Emails meant for .mil were misdirected to Mali."),
                       "2023-07-30T09:00:00+00:00")
    store.db.conn.set_trace_callback(None)
    assert fts_work, "a changed text is indexed again"

    def search(words: str) -> list[int]:
        return [r[0] for r in store.db.execute("select rowid from articles_fts where articles_fts match ?", [words])]

    assert search("misdirected") == [article_id]
    assert search("investigating") == []


def test_entities_upserted_once_across_articles_with_counts(store):
    a1, _ = store.save_article("Ledger", URL, article(), "t1")
    a2, _ = store.save_article("Ledger", URL + "?v=2", article(title="Second"), "t1")
    ml = DomainInfo(domain=".ml", suffix="ml", registrable=None, cctld_country="ML",
                    lookalike_of=".mil", edit_type="omission", distance=1)
    store.save_entities([(a1, [entity("domain", ".ml", ".ml", (".ml", 30), domain=ml)]),
                         (a2, [entity("domain", ".ml", ".ml", (".ml", 30), (".ml", 50), domain=ml)])],
                        model="m")
    row = store.db.execute("select id, article_count, mention_count, first_seen from entities").fetchall()
    assert len(row) == 1 and row[0][1:] == (2, 3, "2023-07-28")
    assert store.db["domains"].get(row[0][0])["lookalike_of"] == ".mil"
    assert list(store.articles_to_process("m")) == []
    assert len(list(store.articles_to_process("other-model"))) == 2


def test_a_nationality_is_filed_under_its_country(store):
    """A story on "Malian troops" is found under Mali, with the story that names Mali."""
    a1, _ = store.save_article("Ledger", URL, article(), "t1")
    a2, _ = store.save_article("Ledger", URL + "?v=2", article(title="Second"), "t1")
    store.save_entities([(a1, [entity("country", "Mali", "ML", ("Mali", 10))]),
                         (a2, [entity("nationality", "Mali", "ML", ("Malian", 12))])], model="m")
    rows = store.db.execute("select kind, key, article_count from entities").fetchall()
    assert rows == [("country", "ML", 2)]


def test_reprocessing_an_article_replaces_its_mentions(store):
    a1, _ = store.save_article("Ledger", URL, article(), "t1")
    mod = entity("organisation", "Ministry of Defence", "ministry of defence", ("MoD", 40))
    store.save_entities([(a1, [mod])], model="m")
    store.save_entities([(a1, [mod])], model="m")
    assert store.count("mentions") == 1
    assert store.db["entities"].get(1)["article_count"] == 1


def test_crawl_rows_and_pages(store):
    crawl_id = store.start_crawl("Ledger")
    page = PageRecord(url=URL, canonical_url=URL, source="Ledger", status=200, fetched_at="t", crawl_id=crawl_id)
    store.save_page(page)
    store.save_page(page)
    stats = CrawlStats(pages_fetched=1, articles_new=1)
    store.finish_crawl(crawl_id, stats, "finished", [])
    row = store.db["crawls"].get(crawl_id)
    assert (row["status"], row["pages_fetched"], row["articles_new"]) == ("finished", 1, 1)
    assert store.count("pages") == 1


def test_a_killed_writer_loses_no_committed_article(db_path):
    store = Store(db_path)
    store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
    store.save_article("Ledger", URL, article(), "t1")
    # Simulate a crash: the connection is dropped without close().
    del store
    assert sqlite3.connect(db_path).execute("select count(*) from articles").fetchone()[0] == 1


def test_arrivals_yield_articles_committed_while_they_run_and_stop_when_the_crawl_ends(store, db_path):
    """The entity workers' feed: an article committed after the feed started is still
    handed on, each once, and the feed ends only once the crawl has and nothing is left."""
    from newsarchive.stages.analysis import arrivals

    store.save_article("Ledger", URL, article(), "t1")
    crawl_running = [True]
    feed = arrivals(str(db_path), "some-model", lambda: crawl_running[0], poll_seconds=0.01)
    first = next(feed)
    store.save_article("Ledger", URL + "?page=2", article("A second report on the same emails."), "t2")
    crawl_running[0] = False  # the crawl ends: what it committed before is still read
    rest = list(feed)
    assert [first.id] + [row.id for row in rest] == [1, 2]
    assert rest[0].text == "A second report on the same emails."


def test_worker_pool_finds_what_this_process_finds(nlp):
    """The workers are forked from a process that loaded the model once: their entities
    and incident evidence equal this process's own, in the order the articles went in."""
    from newsarchive.nlp.entities.extract import extract_entities
    from newsarchive.nlp.stories.incidents import IncidentTagger
    from newsarchive.stages.analysis import AnalysisPool, ArticleText

    articles = [
        (7, "Emails to Mali", "Emails meant for the US military were sent to Mali's .ml domain by mistake. "
                              "The Ministry of Defence said the files went to the wrong address."),
        (3, "Ferry fault", "The Kestrel Bay harbour authority said a booking fault exposed passenger details."),
        (9, "", "Wagner Group fighters were seen near Bamako, officials in Mali said."),
    ]
    tagger = IncidentTagger()
    with AnalysisPool(processes=2) as pool:
        found = [a for a in pool.analyse(ArticleText(*a) for a in articles) if a is not None]
    assert [a.article_id for a in found] == [7, 3, 9]
    for (article_id, title, text), analysis in zip(articles, found):
        assert analysis.error is None
        assert analysis.entities == extract_entities(title + "\n\n" + text, nlp=nlp)
        assert analysis.incident == tagger.tag_article(title, text)
    assert any(e.key == ".ml" for e in found[0].entities) and found[0].incident.hits


def test_text_in_a_language_the_model_does_not_read_gets_only_rule_based_entities(nlp):
    """An English model over Russian text marks clauses as people and places: an article
    in another language keeps its domains (and countries named as in English), one in
    English or of unknown language every entity, in one process or in a batch."""
    from newsarchive.stages.analysis import AnalysisPool, ArticleText

    russian = ("Министр обороны Андрей Белоусов заявил, что письма ушли на домен .ml вместо .mil. "
               "Сергей Лавров встретился с Марией Захаровой в Москве.")
    english = "Defence minister Andrei Belousov said the emails went to the .ml domain, not .mil, in Moscow."
    articles = [ArticleText(1, "", russian, "ru"), ArticleText(2, "", english, "en-GB"),
                ArticleText(3, "", english, None), ArticleText(4, "", russian, None)]
    with AnalysisPool(processes=1) as pool:
        found = {a.article_id: a.entities for a in pool.analyse(iter(articles)) if a is not None}
    kinds = {n: {e.kind for e in entities} for n, entities in found.items()}
    assert {e.key for e in found[1] if e.kind in ("domain", "suffix")} >= {".ml"}
    assert not kinds[1] & {"person", "place", "organisation", "group"}
    assert "person" in kinds[2] and kinds[2] == kinds[3]
    assert kinds[4] & {"person", "place", "organisation"}  # unknown language: the model runs


def save_three_one_failing(store) -> list[int]:
    """Three articles; the middle one's text sets off ``pipeline_failing_on_xyzzy``."""
    return [store.save_article("Ledger", f"https://ledger.example/news/{n}.html",
                               article(text=text, title=f"Report {n}"), "t1")[0]
            for n, text in enumerate(["The MoD said emails went to Mali.", "A text with XYZZY in it.",
                                      "Officials in Bamako met the United Nations envoy."])]


def assert_only_the_failing_one_pending(store, ids, result, reported) -> None:
    assert reported == result.failed == [(ids[1], "RuntimeError: this component cannot read XYZZY")]
    assert result.articles == 2
    assert [r[0] for r in store.db.execute("select id from articles where processed_model is null")] == [ids[1]]


@pytest.mark.parametrize("processes", [1, 2])
def test_process_reports_an_article_that_breaks_the_pipeline_and_goes_on(store, pipeline_failing_on_xyzzy,
                                                                          processes):
    """``newsarchive process``: in this process (batches through ``nlp.pipe``, the failing
    batch done again one text at a time) and with workers."""
    from newsarchive.stages.analysis import AnalysisPool, process_pending

    ids = save_three_one_failing(store)
    reported = []
    with AnalysisPool(processes) as pool:
        result = process_pending(store, pool, batch_size=2,
                                 on_failure=lambda article_id, error: reported.append((article_id, error)))
    assert_only_the_failing_one_pending(store, ids, result, reported)


@pytest.mark.parametrize("processes", [1, 2])
def test_an_article_that_breaks_the_pipeline_stays_pending_and_the_others_go_on(store, pipeline_failing_on_xyzzy,
                                                                                  processes):
    """As a crawl processes (a real pipeline with one more component, which fails on one
    article's text, as a bug in a rule would): that article is reported at once, once,
    and stays pending; the crawl is still running for the first few polls."""
    from newsarchive.stages.analysis import AnalysisPool, process_while

    ids = save_three_one_failing(store)
    polls = iter([True, True, True])
    reported = []
    with AnalysisPool(processes=processes) as pool:  # workers forked with the extra component
        result = process_while(store, lambda: next(polls, False), pool, poll_seconds=0.01,
                               on_failure=lambda article_id, error: reported.append((article_id, error)))
    assert_only_the_failing_one_pending(store, ids, result, reported)
    assert store.db.execute("select count(*) from story_articles").fetchone()[0] == 2
