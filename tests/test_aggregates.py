"""The aggregates the entity pages read (entity_pairs, entity_weeks, entities' counts): kept
current by the writer as articles arrive, are reprocessed and revised, and equal at every step
to the same counts made from scratch out of ``mentions`` (what the migration does for an
existing archive)."""

from __future__ import annotations

import random
import sqlite3

import sqlite_utils

from newsarchive.archive.schema import rebuild_aggregates
from newsarchive.archive.sources import Source
from newsarchive.archive.store import Store
from newsarchive.nlp.entities.extract import Entity, Mention
from newsarchive.nlp.extraction.core import Article

NAMES = [("country", "Mali", "ML"), ("country", "France", "FR"), ("organisation", "Ministry of Defence", "mod"),
         ("person", "Ada Lovelace", "ada lovelace"), ("place", "Bamako", "bamako"), ("domain", ".ml", ".ml"),
         ("organisation", "Acme Bank", "acme bank")]


def entity(kind: str, name: str, key: str, times: int) -> Entity:
    return Entity(kind=kind, name=name, key=key, country_code=None, aliases=[],
                  mentions=[Mention(text=name, start=i * 10, end=i * 10 + len(name), sentence="s")
                            for i in range(times)])


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {
        "pairs": conn.execute("select * from entity_pairs order by 1, 2").fetchall(),
        "weeks": conn.execute("select * from entity_weeks order by 1, 2").fetchall(),
        "entities": conn.execute("select id, article_count, mention_count, first_seen, last_seen "
                                 "from entities order by id").fetchall(),
    }


def from_scratch(store: Store) -> dict[str, list[tuple]]:
    """The same counts rebuilt from ``mentions`` in a copy of the archive."""
    copy = sqlite3.connect(":memory:")
    store.db.conn.backup(copy)
    copy.execute("update entities set article_count = 0, mention_count = 0, first_seen = null, last_seen = null")
    rebuild_aggregates(copy)
    return snapshot(copy)


def test_writer_keeps_aggregates_equal_to_a_rebuild(tmp_path):
    rng = random.Random(7)
    store = Store(tmp_path / "archive.db")
    store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
    ids = []
    for step in range(60):
        if not ids or rng.random() < 0.5:  # a new article
            day = f"2024-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
            published = day if rng.random() < 0.8 else None  # some without a date: first_seen counts
            url = f"https://ledger.example/{step}"
            article_id, _ = store.save_article("Ledger", url, Article(text=f"text {step}", title=f"t{step}",
                                                                      published_at=published), f"{day}T09:00:00Z")
            ids.append(article_id)
        elif rng.random() < 0.3:  # revised: another text and a new date, entities redone below
            article_id = rng.choice(ids)
            url = store.db.execute("select url from articles where id = ?", [article_id]).fetchone()[0]
            store.save_article("Ledger", url, Article(text=f"changed {step}", title="t",
                                                      published_at=f"2024-04-0{rng.randint(1, 9)}"),
                               "2024-04-10T00:00:00Z")
        batch = []
        for article_id in rng.sample(ids, min(len(ids), rng.randint(1, 3))):
            named = rng.sample(NAMES, rng.randint(0, 5))
            batch.append((article_id, [entity(*n, rng.randint(1, 3)) for n in named]))
        store.save_entities(batch, model="m")
        assert snapshot(store.db.conn) == from_scratch(store), f"step {step}"
    assert snapshot(store.db.conn)["pairs"]  # the run did make pairs


def test_pairs_are_counted_both_ways_and_dropped_at_zero(tmp_path):
    store = Store(tmp_path / "archive.db")
    store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
    a1, _ = store.save_article("Ledger", "https://ledger.example/1", Article(text="a", title="a",
                               published_at="2024-03-13"), "2024-03-13T00:00:00Z")
    mali, france = NAMES[0], NAMES[1]
    store.save_entities([(a1, [entity(*mali, 2), entity(*france, 3)])], model="m")
    pairs = store.db.execute("select e.name, o.name, p.articles, p.mentions from entity_pairs p "
                             "join entities e on e.id = p.entity_id join entities o on o.id = p.other_id "
                             "order by 1").fetchall()
    assert pairs == [("France", "Mali", 1, 2), ("Mali", "France", 1, 3)]
    weeks = store.db.execute("select week, articles, mentions from entity_weeks order by entity_id").fetchall()
    assert weeks == [("2024-03-11", 1, 2), ("2024-03-11", 1, 3)]  # the Monday of a Wednesday
    store.save_entities([(a1, [entity(*mali, 1)])], model="m")  # France is no longer named
    assert store.db.execute("select count(*) from entity_pairs").fetchone()[0] == 0
    assert store.db.execute("select article_count, mention_count, first_seen from entities "
                            "order by id").fetchall() == [(1, 1, "2024-03-13"), (0, 0, None)]


def test_migration_builds_aggregates_for_an_existing_archive(tmp_path):
    path = tmp_path / "archive.db"
    store = Store(path)
    store.save_sources([Source(name="Ledger", homepage="https://ledger.example/")])
    for n in range(3):
        article_id, _ = store.save_article("Ledger", f"https://ledger.example/{n}", Article(
            text="a", title=f"a{n}", published_at=f"2024-03-1{n}"), "2024-03-20T00:00:00Z")
        store.save_entities([(article_id, [entity(*NAMES[0], 1), entity(*NAMES[n + 1], 2)])], model="m")
    expected = snapshot(store.db.conn)
    store.close()
    db = sqlite_utils.Database(path)  # as an archive made before the aggregates: tables gone, migration not applied
    for table in ("entity_pairs", "entity_weeks", "_aggregated_articles"):
        db[table].drop()
    db.execute("delete from _sqlite_migrations where name = '0007_entity_aggregates'")
    db.conn.commit()
    db.close()
    reopened = Store(path)
    assert snapshot(reopened.db.conn) == expected
    assert expected["pairs"] and expected["weeks"]
