"""The archive's writes of analysis results: entities, mentions, domains and stories.

A part of :class:`newsarchive.archive.store.Store` (which inherits it), kept in a module
of its own because the store's other half is about pages and articles. Like the rest of the
store, it is the only code that writes these tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlite_utils

from newsarchive.archive.clock import utcnow
from newsarchive.archive.schema import ARTICLE_DATE_SQL, WEEK_SQL, fill_unlinked

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from newsarchive.nlp.entities.extract import Entity

STORY_STATE_ID = 1


class StaleStories(Exception):
    """Another process saved stories since this one read the state it links from."""


class AnalysisRows:
    """Writes of what the analysis stage found."""

    db: sqlite_utils.Database
    transaction: Callable[[], AbstractContextManager[None]]

    def save_entities(self, batch: Iterable[tuple[int, list[Entity]]], model: str) -> None:
        """Replace the mentions of each article in ``batch`` and bring the counts up to date:
        the entities' own, and the aggregates the pages read (pairs named together, weeks).

        One transaction for the whole batch: either every article in it has
        its new entities, or none has and they are all still pending. The aggregates move
        by what changed (the article's old contribution out, its new one in), never
        recounted from the mentions.
        """
        # plain SQL on the connection throughout: this runs for every entity of every
        # article, and sqlite-utils' table methods cost more than the statements themselves
        conn = self.db.conn
        change = _AggregateChange()
        with self.transaction():
            for article_id, entities in batch:
                old_date, old_named = self._counted(article_id)
                conn.execute("delete from mentions where article_id = ?", [article_id])
                named: dict[int, int] = {}
                for entity in entities:
                    entity_id = self._upsert_entity(entity)
                    self._insert_mentions(article_id, entity_id, entity)
                    if entity.mentions:
                        named[entity_id] = named.get(entity_id, 0) + len(entity.mentions)
                updated = conn.execute("update articles set processed_model = ?, processed_at = ? where id = ?",
                                       [model, utcnow(), article_id])
                if updated.rowcount != 1:
                    raise KeyError(f"no article {article_id} to save entities for")
                new_date = conn.execute(f"select {ARTICLE_DATE_SQL.format(a='articles')} from articles "
                                        "where id = ?", [article_id]).fetchone()[0]
                conn.execute("insert or replace into _aggregated_articles (article_id, published) values (?, ?)",
                             [article_id, new_date])
                conn.execute("insert or ignore into _unlinked (article_id) select ? where not exists "
                             "(select 1 from story_articles where article_id = ?)", [article_id, article_id])
                change.article(old_date, self._week(old_date), old_named, -1)
                change.article(new_date, self._week(new_date), named, +1)
            self._apply(change)

    def recount_article_date(self, article_id: int) -> None:
        """Move an article's counts to its date now (a revision may change it); its entities
        stay those counted until it is processed again. Call inside a transaction."""
        old_date, named = self._counted(article_id)
        if old_date is None:
            return
        new_date = self.db.conn.execute(f"select {ARTICLE_DATE_SQL.format(a='articles')} from articles "
                                        "where id = ?", [article_id]).fetchone()[0]
        if new_date == old_date:
            return
        change = _AggregateChange()
        change.article(old_date, self._week(old_date), named, -1)
        change.article(new_date, self._week(new_date), named, +1)
        self.db.conn.execute("update _aggregated_articles set published = ? where article_id = ?",
                             [new_date, article_id])
        self._apply(change)

    def _counted(self, article_id: int) -> tuple[str | None, dict[int, int]]:
        """The date an article was counted under and its mentions per entity, as counted
        (``(None, {})`` when it never was)."""
        conn = self.db.conn
        found = conn.execute("select published from _aggregated_articles where article_id = ?",
                             [article_id]).fetchone()
        if found is None:
            return None, {}
        rows = conn.execute("select entity_id, count(*) from mentions where article_id = ? group by entity_id",
                            [article_id]).fetchall()
        return found[0], dict(rows)

    def _week(self, date: str | None) -> str:
        """The Monday of ``date``'s week, as the SQL of the migration writes it ('' if none)."""
        if date is None:
            return ""
        return self.db.conn.execute(f"select coalesce({WEEK_SQL.format(d='?')}, '')", [date]).fetchone()[0]

    def _apply(self, change: _AggregateChange) -> None:
        """Write a batch's net change to the entities' counts, the pairs and the weeks."""
        conn = self.db.conn
        entities = [(a, m, e) for e, (a, m) in change.entities.items() if a or m]
        conn.executemany("update entities set article_count = article_count + ?, "
                         "mention_count = mention_count + ? where id = ?", entities)
        for table, key in (("entity_pairs", "other_id"), ("entity_weeks", "week")):
            rows = [(e, k, a, m) for (e, k), (a, m) in getattr(change, table[7:]).items() if a or m]
            conn.executemany(
                f"insert into {table} (entity_id, {key}, articles, mentions) values (?, ?, ?, ?) "
                f"on conflict (entity_id, {key}) do update set articles = articles + excluded.articles, "
                "mentions = mentions + excluded.mentions", rows)
            conn.executemany(f"delete from {table} where entity_id = ? and {key} = ? and articles <= 0",
                             [(e, k) for e, k, a, _m in rows if a < 0])
        # an entity's first and last dates: widened by what came in; recounted only when an
        # article at one of its ends went out
        ends = [(e,) for e, dates in change.removed_dates.items()
                if dates and conn.execute("select 1 from entities where id = ? and (first_seen in ({0}) or last_seen "
                                "in ({0}))".format(",".join("?" * len(dates))), [e, *dates, *dates]).fetchone()]
        conn.executemany(
            "update entities set "
            "first_seen = (select min(g.published) from mentions m join _aggregated_articles g "
            "on g.article_id = m.article_id where m.entity_id = entities.id), "
            "last_seen = (select max(g.published) from mentions m join _aggregated_articles g "
            "on g.article_id = m.article_id where m.entity_id = entities.id) where id = ?", ends)
        conn.executemany(
            "update entities set first_seen = min(coalesce(first_seen, ?1), ?1), "
            "last_seen = max(coalesce(last_seen, ?1), ?1) where id = ?2",
            [(date, e) for e, date in change.added_dates()])

    def _upsert_entity(self, entity: Entity) -> int:
        conn = self.db.conn
        found = conn.execute(
            "select id from entities where kind = ? and key = ?", [entity.archive_kind, entity.key]
        ).fetchone()
        if found:
            entity_id = found[0]
        else:
            entity_id = conn.execute(
                "insert into entities (kind, name, key, country_code, article_count, mention_count) "
                "values (?, ?, ?, ?, 0, 0)", [entity.archive_kind, entity.name, entity.key, entity.country_code],
            ).lastrowid
        aliases = {a for a in [entity.name, *entity.aliases] if a}
        conn.executemany(
            "insert or ignore into entity_aliases (entity_id, alias) values (?, ?)",
            [(entity_id, a) for a in sorted(aliases)],
        )
        if entity.domain is not None:
            fields = vars(entity.domain)
            columns = ", ".join(f'"{name}"' for name in fields)
            conn.execute(
                f'insert into domains (entity_id, {columns}) values (?{", ?" * len(fields)}) '
                f'on conflict (entity_id) do update set '
                + ", ".join(f'"{name}" = excluded."{name}"' for name in fields),
                [entity_id, *fields.values()],
            )
        return entity_id

    def _insert_mentions(self, article_id: int, entity_id: int, entity: Entity) -> None:
        self.db.conn.executemany(
            'insert into mentions (article_id, entity_id, text, start, "end", sentence) values (?, ?, ?, ?, ?, ?)',
            [(article_id, entity_id, m.text, m.start, m.end, m.sentence) for m in entity.mentions],
        )

    # stories --------------------------------------------------------

    def story_state(self) -> bytes | None:
        """The story linker's saved state (compressed JSON), if any."""
        row = self.db.execute("select state from _story_state where id = ?", [STORY_STATE_ID]).fetchone()
        return row[0] if row else None

    def story_state_version(self) -> str | None:
        """When the linker's state was last saved: what tells a linker kept in memory that
        another process has written since."""
        row = self.db.execute("select updated_at from _story_state where id = ?", [STORY_STATE_ID]).fetchone()
        return row[0] if row else None

    def unlinked_articles(self, limit: int) -> Iterator[tuple[int, str, str, str, list[tuple[str, str, int]], str | None]]:
        """``(id, title, text, published, entities, language)`` of the oldest ``limit``
        processed live articles in no story yet; ``entities`` are ``(kind, key, first
        mention's offset)`` in text order. Reads the queue ``_unlinked``, so the cost follows
        what is pending, not the archive."""
        rows = self.db.execute(
            "select a.id, coalesce(a.title, ''), a.text, coalesce(a.published_at, a.first_seen), a.language "
            "from _unlinked u join articles a on a.id = u.article_id "
            "where a.processed_model is not null and a.status = 'live' "
            "order by coalesce(a.published_at, a.first_seen), a.id limit ?", [limit]).fetchall()
        for article_id, title, text, published, language in rows:
            keys = self.db.execute("select e.kind, e.key, min(m.start) from mentions m join entities e "
                                   "on e.id = m.entity_id where m.article_id = ? group by e.kind, e.key "
                                   "order by min(m.start), e.kind, e.key", [article_id]).fetchall()
            yield article_id, title, text, published, [tuple(k) for k in keys], language

    def has_story_items(self) -> bool:
        """Whether any article's linker view is saved (``story_items``)."""
        return bool(self.db.execute("select exists (select 1 from story_items)").fetchone()[0])

    def story_items_between(self, first_day: int, last_day: int) -> Iterator[tuple[int, str, bytes, str]]:
        """``(story_id, item JSON, sketch, incident JSON)`` of the linked articles published
        on a day in ``[first_day, last_day]`` (ordinals)."""
        yield from self.db.execute("select story_id, item, sketch, incident from story_items "
                                   "where day between ? and ?", [first_day, last_day])

    def story_items_of(self, story_ids: Sequence[int]) -> Iterator[tuple[int, str, bytes, str]]:
        """The same for every linked article of these stories."""
        for start in range(0, len(story_ids), 500):
            chunk = list(story_ids[start:start + 500])
            yield from self.db.execute("select story_id, item, sketch, incident from story_items where story_id in "
                                       f"({', '.join('?' * len(chunk))})", chunk)

    def reset_stories(self) -> None:
        """Forget every story and the linker's state, so every article is linked again."""
        with self.transaction():
            for table in ("story_links", "story_articles", "stories", "story_items", "_story_state"):
                self.db.execute(f"delete from {table}")
            fill_unlinked(self.db.conn)

    def save_stories(self, stories: Sequence[dict[str, Any]], members: Sequence[dict[str, Any]],
                     related: Sequence[tuple[int, int, float]], state: bytes, saved_at: str,
                     merged: Mapping[int, int] | None = None,
                     items: Sequence[tuple[int, int, int, str, bytes, str]] = (),
                     recomputed: Iterable[int] = (), expected: str | None = None,
                     originals: Sequence[tuple[int | None, int]] = ()) -> None:
        """In one transaction: the stories that took articles, their new members, the
        stories joined up into others (``merged``: gone story -> the story its articles are
        in now), the links between stories and the linker's state.

        :param items: ``(article_id, story_id, day, item JSON, sketch, incident JSON)`` of
            the new members, for the linker to read back (``story_items``)
        :param related: the links of the stories of ``recomputed``, found again now
        :param recomputed: stories whose links were all looked for again: their old links go
        :param expected: the state's ``updated_at`` as the caller last read or wrote it (None:
            no state yet); under the write lock, another value means another process saved
            meanwhile, and nothing is written
        :param originals: ``(duplicate_of, article_id)`` of articles linked before whose
            original changed (an earlier copy came after them)
        :raises StaleStories: the state is not the one expected
        """
        conn = self.db.conn
        with self.transaction():
            if self.story_state_version() != expected:
                raise StaleStories("another process linked stories meanwhile")
            self.db["stories"].upsert_all(stories, pk="id")
            for gone, into in sorted((merged or {}).items()):
                conn.execute("update story_articles set story_id = ? where story_id = ?", [into, gone])
                conn.execute("update story_items set story_id = ? where story_id = ?", [into, gone])
                conn.execute("delete from story_links where story_id = ? or related_id = ?", [gone, gone])
                conn.execute("delete from stories where id = ?", [gone])
            self.db["story_articles"].insert_all(members, pk=("story_id", "article_id"), replace=True)
            conn.executemany("update story_articles set duplicate_of = ? where article_id = ?", originals)
            conn.executemany("insert or replace into story_items (article_id, story_id, day, item, sketch, incident) "
                             "values (?, ?, ?, ?, ?, ?)", items)
            conn.executemany("delete from _unlinked where article_id = ?", [[m["article_id"]] for m in members])
            conn.executemany("delete from story_links where story_id = ? or related_id = ?",
                             [(story_id, story_id) for story_id in sorted(set(recomputed))])
            conn.executemany("insert or replace into story_links (story_id, related_id, score) values (?, ?, ?)",
                             [(a, b, score) for a, b, score in related] + [(b, a, score) for a, b, score in related])
            self.db["_story_state"].upsert({"id": STORY_STATE_ID, "state": state, "updated_at": saved_at}, pk="id")


class _AggregateChange:
    """The net change a batch of articles makes to the counts: each article's old
    contribution subtracted, its new one added, so an article reprocessed with the same
    entities and date changes nothing."""

    def __init__(self) -> None:
        self.entities: dict[int, list[int]] = {}
        self.pairs: dict[tuple[int, int], list[int]] = {}
        self.weeks: dict[tuple[int, str], list[int]] = {}
        #: dates taken away from each entity (an article out, or moved to another date)
        self.removed_dates: dict[int, set[str]] = {}
        self._added: dict[int, set[str]] = {}

    def article(self, date: str | None, week: str, named: dict[int, int], sign: int) -> None:
        """Add (``sign`` 1) or take away (-1) one article naming ``named`` (entity -> mentions)."""
        if not named:
            return
        for entity_id, mentions in named.items():
            _add(self.entities, entity_id, sign, sign * mentions)
            _add(self.weeks, (entity_id, week), sign, sign * mentions)
            if date is not None:
                target = self._added if sign > 0 else self.removed_dates
                target.setdefault(entity_id, set()).add(date)
            for other_id, other_mentions in named.items():
                if other_id != entity_id:
                    _add(self.pairs, (entity_id, other_id), sign, sign * other_mentions)
        if sign > 0 and date is not None:  # a date taken out and brought back: the ends hold
            for entity_id in named:
                self.removed_dates.get(entity_id, set()).discard(date)

    def added_dates(self) -> list[tuple[int, str]]:
        """``(entity, date)`` for every date an article brought to an entity."""
        return [(e, d) for e, dates in self._added.items() for d in sorted(dates)]


def _add(counts: dict[Any, list[int]], key: Any, articles: int, mentions: int) -> None:
    entry = counts.get(key)
    if entry is None:
        counts[key] = [articles, mentions]
    else:
        entry[0] += articles
        entry[1] += mentions
