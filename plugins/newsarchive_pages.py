"""Datasette plugin for the newsarchive pages: served with ``--plugins-dir plugins``.

What Datasette cannot be told in ``metadata.yml``:

- the SQL functions ``country_latitude(code)`` and ``country_longitude(code)``,
  read from ``country_centroids.csv`` beside this file, so a query can put
  countries on the map (datasette-cluster-map looks for ``latitude`` and
  ``longitude`` columns) without a table in the archive;
- a ``month`` facet (``_facet_month=published_at``): articles per month,
  where the built-in date facet counts per day;
- the data behind the article and entity pages (templates
  ``row-archive-articles.html`` and ``row-archive-entities.html``): an
  article's entities, an entity's aliases, articles and co-occurring entities;
  and, on the search page (``query-archive-search.html``), the entity whose
  name or alias is the searched words;
- links in stored queries' results: an ``article_id``, ``entity_id`` or
  ``story_id`` cell, and the title or name beside it, link to that row's page.

Nothing here writes: every query is a ``select``. Text reaches the templates
as plain strings, which Jinja escapes, so article text is never HTML.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

CENTROIDS_FILE = Path(__file__).with_name("country_centroids.csv")
LIST_LIMIT = 100  # rows shown in a page's lists; the canned queries give the rest


def load_centroids(path: Path = CENTROIDS_FILE) -> dict[str, tuple[float, float]]:
    """Country code -> (latitude, longitude), from the data file."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["code"]: (float(row["latitude"]), float(row["longitude"]))
                for row in csv.DictReader(handle)}


CENTROIDS = load_centroids()


def country_latitude(code: str | None) -> float | None:
    """Latitude of a country's centre, by ISO alpha-2 code (None if unknown)."""
    return CENTROIDS.get((code or "").upper(), (None, None))[0]


def country_longitude(code: str | None) -> float | None:
    """Longitude of a country's centre, by ISO alpha-2 code (None if unknown)."""
    return CENTROIDS.get((code or "").upper(), (None, None))[1]


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("country_latitude", 1, country_latitude, deterministic=True)
    conn.create_function("country_longitude", 1, country_longitude, deterministic=True)


class MonthFacet(Facet):
    """Counts per calendar month (``YYYY-MM``) of a date or datetime column;
    choosing a month filters with ``column__startswith=YYYY-MM``."""

    type = "month"

    async def suggest(self) -> list[dict[str, Any]]:
        return []  # offered through metadata.yml, never guessed

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out, seen = [], [], set()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            if column in seen:  # asked for in metadata.yml and in the address too
                continue
            seen.add(column)
            try:
                results.append(await self._one_column(column, source_and_config["source"]))
            except Exception:  # a slow or failing facet must not break the table page
                timed_out.append(column)
        return results, timed_out

    async def _one_column(self, column: str, source: str) -> dict[str, Any]:
        size = self.get_facet_size()
        sql = (f"select substr({escape_sqlite(column)}, 1, 7) as value, count(*) as count "
               f"from ({self.sql}) where {escape_sqlite(column)} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
               f"group by value order by value desc limit {size + 1}")
        rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                     custom_time_limit=self.ds.setting("facet_time_limit_ms"))
        chosen = dict(self.get_querystring_pairs()).get(f"{column}__startswith")
        return {
            "name": column, "type": self.type, "hideable": source != "metadata",
            "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
            "truncated": len(rows) > size,
            "results": [self._value(column, row, chosen) for row in rows.rows[:size]],
        }

    def _value(self, column: str, row: Any, chosen: str | None) -> dict[str, Any]:
        selected = chosen == row["value"]
        change = path_with_removed_args if selected else path_with_added_args
        path = change(self.request, {f"{column}__startswith": row["value"]})
        return {"value": row["value"], "label": row["value"], "count": row["count"],
                "toggle_url": self.ds.absolute_url(self.request, path), "selected": selected}


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [MonthFacet]


ARTICLE_ENTITIES_SQL = """
select e.id, e.kind, e.name, e.key, e.country_code, count(*) as mentions
from mentions m join entities e on e.id = m.entity_id
where m.article_id = :id
group by e.id order by e.kind, mentions desc, e.name
"""

ARTICLE_STORY_SQL = """
select s.id, s.title, s.incident_type, s.article_count
from story_articles sa join stories s on s.id = sa.story_id where sa.article_id = :id
"""

ENTITY_ALIASES_SQL = "select alias from entity_aliases where entity_id = :id order by alias"

ENTITY_DOMAIN_SQL = "select * from domains where entity_id = :id"

ENTITY_ARTICLES_SQL = """
select a.id, a.title, a.source, a.published_at, count(*) as mentions, min(m.sentence) as sentence
from mentions m join articles a on a.id = m.article_id
where m.entity_id = :id
group by a.id order by a.published_at desc, a.id desc limit :limit
"""

# The same list for an entity named in a large share of the archive: the articles walked
# newest first (the published_at index) and kept when they name it, so the walk stops after
# about ``limit / share`` articles instead of sorting every article that names it.
ENTITY_ARTICLES_NEWEST_FIRST_SQL = """
select a.id, a.title, a.source, a.published_at,
       (select count(*) from mentions m where m.article_id = a.id and m.entity_id = :id) as mentions,
       (select min(m.sentence) from mentions m where m.article_id = a.id and m.entity_id = :id) as sentence
from articles a indexed by idx_articles_published_at
where exists (select 1 from mentions m where m.article_id = a.id and m.entity_id = :id)
order by a.published_at desc, a.id desc limit :limit
"""

# From the aggregate the writer keeps (entity_pairs): the top of one index range, then
# sorted by name among equal counts.
ENTITY_COOCCURRING_SQL = """
select e.id, e.kind, e.name, top.articles
from (select other_id, articles from entity_pairs indexed by idx_entity_pairs_articles where entity_id = :id
      order by articles desc, mentions desc, other_id desc limit :limit) as top
join entities e on e.id = top.other_id
order by top.articles desc, e.name
"""


def articles_sql(article_count: int, archive_articles: int, limit: int) -> str:
    """The cheaper of the two plans for an entity's newest articles: reading its own
    articles costs about ``article_count``; walking the archive newest first costs about
    ``limit * archive_articles / article_count``."""
    walk = limit * archive_articles / max(article_count, 1)
    return ENTITY_ARTICLES_NEWEST_FIRST_SQL if walk < article_count else ENTITY_ARTICLES_SQL


async def rows(datasette: Any, database: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Run a read query and return plain dicts (a missing table gives no rows)."""
    try:
        result = await datasette.get_database(database).execute(sql, params)
    except Exception:  # e.g. an archive made before the stories migration
        return []
    return [dict(row) for row in result.rows]


ARTICLE_SQL = """
select id, title, url, source, published_at, byline, language, word_count, revision, status, text
from articles where id = :id
"""


async def article_page(datasette: Any, database: str, article_id: int) -> dict[str, Any]:
    """What the article page shows beyond the row: its text in paragraphs,
    its entities grouped by kind, and its story."""
    found = await rows(datasette, database, ARTICLE_SQL, id=article_id)
    if not found:
        return {}
    article = found[0]
    stories = await rows(datasette, database, ARTICLE_STORY_SQL, id=article_id)
    entities = await rows(datasette, database, ARTICLE_ENTITIES_SQL, id=article_id)
    return {
        "article": article,
        "article_paragraphs": [p.strip() for p in (article["text"] or "").split("\n") if p.strip()],
        "article_entities": entities,
        "article_entities_by_kind": group_by_kind(entities),
        "article_story": stories[0] if stories else None,
    }


def group_by_kind(entities: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """``[(kind, [entity, ...]), ...]`` in the order the kinds first appear."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entity in entities:
        groups.setdefault(entity["kind"], []).append(entity)
    return list(groups.items())


async def archive_articles(datasette: Any, database: str) -> int:
    """About how many articles the archive holds (the largest id: no count of the table)."""
    found = await rows(datasette, database, "select max(id) as n from articles")
    return (found[0]["n"] or 0) if found else 0


async def entity_page(datasette: Any, database: str, entity_id: int) -> dict[str, Any]:
    """What the entity page shows beyond the row: aliases, domain, articles, company."""
    found = await rows(datasette, database, "select * from entities where id = :id", id=entity_id)
    if not found:
        return {}
    domains = await rows(datasette, database, ENTITY_DOMAIN_SQL, id=entity_id)
    return {
        "entity": found[0],
        "entity_aliases": [r["alias"] for r in await rows(datasette, database, ENTITY_ALIASES_SQL, id=entity_id)],
        "entity_domain": domains[0] if domains else None,
        "entity_articles": await rows(datasette, database, articles_sql(
            found[0]["article_count"] or 0, await archive_articles(datasette, database), LIST_LIMIT),
            id=entity_id, limit=LIST_LIMIT),
        "entity_cooccurring": await rows(datasette, database, ENTITY_COOCCURRING_SQL, id=entity_id,
                                         limit=LIST_LIMIT),
    }


ROW_PAGES = {"articles": article_page, "entities": entity_page}

SEARCHED_ENTITIES_SQL = """
select id, kind, name, article_count from entities
where id in (select id from entities where name = :q collate nocase
             union select entity_id from entity_aliases where alias = :q collate nocase)
order by article_count desc, name limit 5
"""


async def search_page(datasette: Any, database: str, words: str) -> dict[str, Any]:
    """Beside the search results: the entities whose name or alias is the searched words."""
    return {"searched_entities": await rows(datasette, database, SEARCHED_ENTITIES_SQL, q=words.strip())}


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, view_name: str,
                        request: Any, datasette: Any) -> Any:
    if request is None:
        return None
    if template == "query-archive-search.html" and request.args.get("q", "").strip():
        return lambda: search_page(datasette, database, request.args["q"])
    if view_name != "row" or table not in ROW_PAGES:
        return None
    pk = request.url_vars.get("pks", "")
    if not pk.isdigit():
        return None

    async def page_vars() -> dict[str, Any]:
        return await ROW_PAGES[table](datasette, database, int(pk))

    return page_vars


# In a stored query's results, these id columns link to the row page they name,
# and the column beside them shows the name as a link too.
ID_LINKS = {"article_id": ("articles", ("title",)), "entity_id": ("entities", ("name", "domain", "country")),
            "story_id": ("stories", ("story",))}


#: the columns that may become links: a cell of any other column is left alone at once
LINKED_COLUMNS = set(ID_LINKS) | {label for _target, labels in ID_LINKS.values() for label in labels}
_TABLE_URLS: dict[tuple[int, str, str], str] = {}


def table_url(datasette: Any, database: str, table: str) -> str:
    """``datasette.urls.table``, remembered: a page of 500 rows asks for it a thousand times."""
    key = (id(datasette), database, table)
    if key not in _TABLE_URLS:
        _TABLE_URLS[key] = datasette.urls.table(database, table)
    return _TABLE_URLS[key]


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is not None or value is None or column not in LINKED_COLUMNS:
        return None  # table pages already link their foreign keys
    keys = row.keys() if hasattr(row, "keys") else ()
    for id_column, (target, label_columns) in ID_LINKS.items():
        if id_column not in keys or row[id_column] is None:
            continue
        if column == id_column or column in label_columns:
            href = escape(table_url(datasette, database, target))
            return Markup(f'<a href="{href}/{int(row[id_column])}">{escape(value)}</a>')
    return None
