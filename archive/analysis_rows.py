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

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    from newsarchive.nlp.entities.extract import Entity

STORY_STATE_ID = 1


class AnalysisRows:
    """Writes of what the analysis stage found."""

    db: sqlite_utils.Database
    transaction: Callable[[], AbstractContextManager[None]]

    def save_entities(self, batch: Iterable[tuple[int, list[Entity]]], model: str) -> None:
        """Replace the mentions of each article in ``batch`` and refresh the entities' counts.

        One transaction for the whole batch: either every article in it has
        its new entities, or none has and they are all still pending.
        """
        # plain SQL on the connection throughout: this runs for every entity of every
        # article, and sqlite-utils' table methods cost more than the statements themselves
        conn = self.db.conn
        touched: set[int] = set()
        with self.transaction():
            for article_id, entities in batch:
                touched |= self._entity_ids_of(article_id)
                conn.execute("delete from mentions where article_id = ?", [article_id])
                for entity in entities:
                    entity_id = self._upsert_entity(entity)
                    touched.add(entity_id)
                    self._insert_mentions(article_id, entity_id, entity)
                updated = conn.execute("update articles set processed_model = ?, processed_at = ? where id = ?",
                                       [model, utcnow(), article_id])
                if updated.rowcount != 1:
                    raise KeyError(f"no article {article_id} to save entities for")
            self._refresh_entity_counts(touched)

    def _entity_ids_of(self, article_id: int) -> set[int]:
        rows = self.db.conn.execute(
            "select distinct entity_id from mentions where article_id = ?", [article_id]
        ).fetchall()
        return {r[0] for r in rows}

    def _upsert_entity(self, entity: Entity) -> int:
        conn = self.db.conn
        found = conn.execute(
            "select id from entities where kind = ? and key = ?", [entity.kind, entity.key]
        ).fetchone()
        if found:
            entity_id = found[0]
        else:
            entity_id = conn.execute(
                "insert into entities (kind, name, key, country_code, article_count, mention_count) "
                "values (?, ?, ?, ?, 0, 0)", [entity.kind, entity.name, entity.key, entity.country_code],
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

    def _refresh_entity_counts(self, entity_ids: set[int]) -> None:
        if not entity_ids:
            return
        ids = ",".join(str(int(i)) for i in entity_ids)
        self.db.execute(
            f"""
            update entities set
              article_count = (select count(distinct article_id) from mentions where entity_id = entities.id),
              mention_count = (select count(*) from mentions where entity_id = entities.id),
              first_seen = (select min(coalesce(a.published_at, a.first_seen)) from mentions m
                            join articles a on a.id = m.article_id where m.entity_id = entities.id),
              last_seen = (select max(coalesce(a.published_at, a.first_seen)) from mentions m
                           join articles a on a.id = m.article_id where m.entity_id = entities.id)
            where id in ({ids})
            """
        )

    # stories --------------------------------------------------------

    def story_state(self) -> bytes | None:
        """The story linker's saved state (compressed JSON), if any."""
        row = self.db.execute("select state from _story_state where id = ?", [STORY_STATE_ID]).fetchone()
        return row[0] if row else None

    def story_state_version(self) -> tuple[str, int] | None:
        """When the state was saved and how many articles were in stories then: what tells a
        linker kept in memory that another process has written since."""
        row = self.db.execute("select updated_at, (select count(*) from story_articles) from _story_state "
                              "where id = ?", [STORY_STATE_ID]).fetchone()
        return tuple(row) if row else None

    def unlinked_articles(self) -> Iterator[tuple[int, str, str, str, list[tuple[str, str, int]], str | None]]:
        """``(id, title, text, published, entities, language)`` of the processed live
        articles in no story yet, oldest first; ``entities`` are ``(kind, key, first
        mention's offset)`` in text order."""
        rows = self.db.execute(
            "select a.id, coalesce(a.title, ''), a.text, coalesce(a.published_at, a.first_seen), a.language "
            "from articles a where a.processed_model is not null and a.status = 'live' "
            "and a.id not in (select article_id from story_articles) "
            "order by coalesce(a.published_at, a.first_seen), a.id").fetchall()
        for article_id, title, text, published, language in rows:
            keys = self.db.execute("select e.kind, e.key, min(m.start) from mentions m join entities e "
                                   "on e.id = m.entity_id where m.article_id = ? group by e.kind, e.key "
                                   "order by min(m.start), e.kind, e.key", [article_id]).fetchall()
            yield article_id, title, text, published, [tuple(k) for k in keys], language

    def reset_stories(self) -> None:
        """Forget every story and the linker's state, so every article is linked again."""
        with self.transaction():
            for table in ("story_links", "story_articles", "stories", "_story_state"):
                self.db.execute(f"delete from {table}")

    def save_stories(self, stories: Sequence[dict[str, Any]], members: Sequence[dict[str, Any]],
                     related: Sequence[tuple[int, int, float]], state: bytes, saved_at: str,
                     merged: Mapping[int, int] | None = None) -> None:
        """In one transaction: the stories that took articles, their new members, the
        stories joined up into others (``merged``: gone story -> the story its articles are
        in now), every story link again (they change as stories grow) and the linker's state."""
        with self.transaction():
            self.db["stories"].upsert_all(stories, pk="id")
            self.db.execute("delete from story_links")
            for gone, into in sorted((merged or {}).items()):
                self.db.execute("update story_articles set story_id = ? where story_id = ?", [into, gone])
                self.db.execute("delete from stories where id = ?", [gone])
            self.db["story_articles"].insert_all(members, pk=("story_id", "article_id"), replace=True)
            self.db["story_links"].insert_all(
                [{"story_id": a, "related_id": b, "score": score} for a, b, score in related]
                + [{"story_id": b, "related_id": a, "score": score} for a, b, score in related],
                pk=("story_id", "related_id"))
            self.db["_story_state"].upsert({"id": STORY_STATE_ID, "state": state, "updated_at": saved_at}, pk="id")
