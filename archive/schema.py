"""The archive's schema, built only by named migrations.

Each migration is a function registered on :data:`migrations`; sqlite-utils
records the applied ones in ``_sqlite_migrations`` so an archive made by an
older version is brought up to date by :func:`migrate` and never edited by hand.
Add a migration at the end; never change one that has shipped.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("newsarchive")


@migrations(name="0001_sources_crawls_pages")
def _sources_crawls_pages(db: Database) -> None:
    db["sources"].create(
        {
            "name": str, "homepage": str, "country": str, "language": str,
            "feeds": str, "sitemaps": str, "sections": str, "allowed_domains": str,
            "article_pattern": str,
        },
        pk="name",
    )
    db["crawls"].create(
        {
            "id": int, "source": str, "started_at": str, "finished_at": str, "status": str,
            "pages_fetched": int, "articles_new": int, "articles_updated": int,
            "not_modified": int, "gone": int, "errors": int, "duration_s": float,
            "error_messages": str,
        },
        pk="id",
    )
    db["pages"].create(
        {
            "id": int, "url": str, "canonical_url": str, "source": str, "status": int,
            "content_type": str, "fetched_at": str, "etag": str, "last_modified": str,
            "content_hash": str, "extraction_status": str, "article_id": int, "crawl_id": int,
            "warc_file": str, "warc_offset": int,
        },
        pk="id",
        foreign_keys=[("source", "sources", "name"), ("crawl_id", "crawls", "id")],
    )
    db["pages"].create_index(["url"], unique=True)


@migrations(name="0002_articles_revisions")
def _articles_revisions(db: Database) -> None:
    db["articles"].create(
        {
            "id": int, "url": str, "source": str, "title": str, "byline": str,
            "published_at": str, "updated_at": str, "language": str, "site_name": str,
            "description": str, "section": str, "image": str, "text": str, "word_count": int,
            "content_hash": str, "first_seen": str, "last_seen": str, "revision": int,
            "status": str, "processed_model": str, "processed_at": str,
        },
        pk="id",
        foreign_keys=[("source", "sources", "name")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["source", "published_at"])
    db["revisions"].create(
        {
            "id": int, "article_id": int, "revision": int, "fetched_at": str, "title": str,
            "text": str, "content_hash": str, "chars_added": int, "chars_removed": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["revisions"].create_index(["article_id", "revision"], unique=True)
    db["articles"].enable_fts(
        ["title", "text"], fts_version="FTS5", tokenize="porter", create_triggers=True
    )


@migrations(name="0003_entities_mentions_domains")
def _entities(db: Database) -> None:
    db["entities"].create(
        {
            "id": int, "kind": str, "name": str, "key": str, "country_code": str,
            "article_count": int, "mention_count": int, "first_seen": str, "last_seen": str,
        },
        pk="id",
    )
    db["entities"].create_index(["kind", "key"], unique=True)
    db["entities"].create_index(["article_count"])
    db["entity_aliases"].create(
        {"entity_id": int, "alias": str},
        pk=("entity_id", "alias"),
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db["mentions"].create(
        {
            "id": int, "article_id": int, "entity_id": int, "text": str,
            "start": int, "end": int, "sentence": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")],
    )
    db["mentions"].create_index(["article_id"])
    db["mentions"].create_index(["entity_id", "article_id"])
    db["domains"].create(
        {
            "entity_id": int, "domain": str, "suffix": str, "registrable": str,
            "cctld_country": str, "lookalike_of": str, "edit_type": str, "distance": int,
        },
        pk="entity_id",
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db["domains"].create_index(["lookalike_of"])
    db["entities"].enable_fts(["name"], fts_version="FTS5", create_triggers=True)
    db["entity_aliases"].enable_fts(["alias"], fts_version="FTS5", create_triggers=True)


@migrations(name="0004_stories")
def _stories(db: Database) -> None:
    db["stories"].create(
        {
            "id": int, "title": str, "first_seen": str, "last_seen": str, "article_count": int,
            "incident_type": str, "evidence": str,
        },
        pk="id",
    )
    db["stories"].create_index(["incident_type"])
    db["stories"].create_index(["last_seen"])
    db["story_articles"].create(
        {"story_id": int, "article_id": int, "similarity": float, "duplicate_of": int},
        pk=("story_id", "article_id"),
        foreign_keys=[("story_id", "stories", "id"), ("article_id", "articles", "id"),
                      ("duplicate_of", "articles", "id")],
    )
    db["story_articles"].create_index(["article_id"], unique=True)
    db["story_links"].create(
        {"story_id": int, "related_id": int, "score": float},
        pk=("story_id", "related_id"),
        foreign_keys=[("story_id", "stories", "id"), ("related_id", "stories", "id")],
    )
    db["_story_state"].create({"id": int, "state": bytes, "updated_at": str}, pk="id")


@migrations(name="0005_scale_indexes")
def _scale_indexes(db: Database) -> None:
    """Indexes the pages need once the archive holds a million articles (issue 9).

    - ``mentions(article_id, entity_id)`` covers the step from an article to its
      entities (co-occurrence, an article's entities) without reading the
      mention rows, which carry their sentence and are ten times bigger.
    - ``entities(name collate nocase)`` and ``entity_aliases(alias collate nocase)``
      let the stored queries find an entity by the name a user types
      (``name = :entity collate nocase``) without scanning every entity.
    """
    db["mentions"].create_index(["article_id", "entity_id"], if_not_exists=True)
    db.execute("create index if not exists idx_entities_name_nocase on entities (name collate nocase)")
    db.execute("create index if not exists idx_entity_aliases_alias_nocase "
               "on entity_aliases (alias collate nocase)")


#: the columns each full-text index holds, by table
FTS_COLUMNS = {"articles": ("title", "text"), "entities": ("name",), "entity_aliases": ("alias",)}


@migrations(name="0006_fts_update_triggers_on_indexed_columns")
def _fts_update_triggers_on_indexed_columns(db: Database) -> None:
    """Keep each full-text index in step on updates of its own columns only.

    The triggers sqlite-utils made fired on every update of a row: marking an article
    processed, or moving its ``last_seen`` on a recrawl, deleted and re-indexed its whole
    text, and refreshing an entity's counts re-indexed its name.
    """
    for table, columns in FTS_COLUMNS.items():
        names = ", ".join(f'"{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        db.execute(f'drop trigger if exists "{table}_au"')
        db.execute(
            f'create trigger "{table}_au" after update of {names} on "{table}" begin\n'
            f'  insert into "{table}_fts" ("{table}_fts", rowid, {names}) values (\'delete\', old.rowid, {old});\n'
            f'  insert into "{table}_fts" (rowid, {names}) values (new.rowid, {new});\n'
            "end"
        )


#: how an article's date is written for the aggregates: its publication date, else when it
#: was first fetched (the dates the entity pages and the timeline show)
ARTICLE_DATE_SQL = "coalesce({a}.published_at, {a}.first_seen)"
#: the Monday starting the week of an article date (SQLite's weekday 0 is Sunday)
WEEK_SQL = "date(substr({d}, 1, 10), 'weekday 0', '-6 days')"


@migrations(name="0007_entity_aggregates")
def _entity_aggregates(db: Database) -> None:
    """The counts the entity pages read, so their cost follows what they show (issue 20).

    - ``entity_pairs``: for each ordered pair of entities named in the same articles, in
      how many articles (``articles``) and how many times the second is named there
      (``mentions``). Both directions are stored, so one entity's company, most shared first,
      is one range of the index ``(entity_id, articles, mentions)``.
    - ``entity_weeks``: per entity and week (named by its Monday), the articles naming it
      and its mentions, by the articles' dates.
    - ``_aggregated_articles``: the date each article was counted under, so that taking an
      article out again (reprocessed, or revised with a new date) subtracts exactly what it
      added.

    The writer (:meth:`newsarchive.archive.analysis_rows.AnalysisRows.save_entities`) keeps
    them current article by article; this migration fills them once for an existing archive.
    """
    db.execute("create table entity_pairs (entity_id integer not null, other_id integer not null, "
               "articles integer not null, mentions integer not null, "
               "primary key (entity_id, other_id)) without rowid")
    db.execute("create index idx_entity_pairs_articles on entity_pairs (entity_id, articles, mentions)")
    db.execute("create table entity_weeks (entity_id integer not null, week text not null, "
               "articles integer not null, mentions integer not null, "
               "primary key (entity_id, week)) without rowid")
    db.execute("create table _aggregated_articles (article_id integer primary key, published text)")
    rebuild_aggregates(db.conn)


@migrations(name="0008_story_items")
def _story_items(db: Database) -> None:
    """The story linker's articles one row each, so that an update writes only what changed
    and the linker keeps only recent stories in memory (issue 20).

    - ``story_items``: per linked article, its story, its publication day (an ordinal) and
      what the linker compares (``item``, JSON), its MinHash sketch and incident evidence.
    - ``_unlinked``: the processed articles not in a story yet, so finding them costs what
      is pending, not the archive.
    - an index on ``story_links.related_id``: a story's links are replaced from both ends.

    The whole-state blob of ``_story_state`` (version 2) is refused by the new linker,
    which then links every article again once: that fills ``story_items``.
    """
    db.execute("create table story_items (article_id integer primary key, story_id integer not null, "
               "day integer not null, item text not null, sketch blob not null, incident text not null)")
    db.execute("create index idx_story_items_day on story_items (day)")
    db.execute("create index idx_story_items_story on story_items (story_id)")
    db.execute("create table _unlinked (article_id integer primary key)")
    db.execute("create index idx_story_links_related on story_links (related_id)")
    fill_unlinked(db.conn)


def fill_unlinked(conn: Any) -> None:
    """Queue every processed article that is in no story (see ``_unlinked``), gone ones too:
    one that comes back is linked then (the queue's reader takes live articles only)."""
    conn.execute("insert or ignore into _unlinked (article_id) select a.id from articles a "
                 "where a.processed_model is not null "
                 "and not exists (select 1 from story_articles s where s.article_id = a.id)")


def rebuild_aggregates(conn: Any, entity_counts: bool = True) -> None:
    """Fill the aggregate tables from ``mentions`` and ``articles`` (emptied first), and set
    every named entity's counts and dates from them: for a new or bulk-loaded archive.

    :param entity_counts: also set ``entities.article_count``, ``mention_count``,
        ``first_seen`` and ``last_seen`` (a bulk loader may have set them already)
    """
    date = ARTICLE_DATE_SQL.format(a="a")
    conn.execute("delete from entity_pairs")
    conn.execute("delete from entity_weeks")
    conn.execute("delete from _aggregated_articles")
    conn.execute("create temp table _named as select article_id, entity_id, count(*) as n "
                 "from mentions group by article_id, entity_id")
    conn.execute("create index temp._named_article on _named (article_id, entity_id, n)")
    conn.execute(
        "insert into _aggregated_articles (article_id, published) "
        f"select a.id, {date} from articles a where a.id in (select article_id from _named)")
    conn.execute(
        "insert into entity_pairs (entity_id, other_id, articles, mentions) "
        "select x.entity_id, y.entity_id, count(*), sum(y.n) from _named x "
        "join _named y on y.article_id = x.article_id and y.entity_id != x.entity_id "
        "group by x.entity_id, y.entity_id")
    conn.execute(
        "insert into entity_weeks (entity_id, week, articles, mentions) "
        f"select n.entity_id, {WEEK_SQL.format(d='g.published')} as week, count(*), sum(n.n) "
        "from _named n join _aggregated_articles g on g.article_id = n.article_id "
        "group by n.entity_id, week")
    if entity_counts:
        conn.execute(
            "update entities set article_count = coalesce(t.articles, 0), mention_count = coalesce(t.mentions, 0), "
            "first_seen = t.first, last_seen = t.last from (select n.entity_id, count(*) as articles, "
            "sum(n.n) as mentions, min(g.published) as first, max(g.published) as last from _named n "
            "join _aggregated_articles g on g.article_id = n.article_id group by n.entity_id) as t "
            "where t.entity_id = entities.id")
    conn.execute("drop table temp._named")


def migrations_pending(db: Database) -> bool:
    """Whether ``db`` lacks any migration (a read, no lock taken)."""
    return bool(migrations.pending(db))


def migrate(db: Database) -> None:
    """Bring ``db`` up to the current schema (idempotent)."""
    migrations.apply(db)
