"""Datasette plugin for the newsarchive pages: served with ``--plugins-dir plugins``.

What Datasette cannot be told in ``metadata.yml``:

- the SQL functions ``country_latitude(code)`` and ``country_longitude(code)``,
  read from ``country_centroids.csv`` beside this file, so a query can put
  countries on the map (datasette-cluster-map looks for ``latitude`` and
  ``longitude`` columns) without a table in the archive;
- a ``month`` facet (``_facet_month=published_at``): articles per month,
  where the built-in date facet counts per day;
- the data behind the row pages of articles, entities and stories (``row.html``
  includes ``_newsarchive_article.html``, ``_newsarchive_entity.html`` or
  ``_newsarchive_story.html``, whatever the database is called): an article's
  text with its mentions marked and its revisions as word diffs; an entity's
  aliases, country, lookalikes both ways, articles and co-occurring entities; a
  story's timeline, outlets, first report, copies, main names and evidence;
- the home page's data (``index.html``): which served database is the archive,
  its newest articles and stories, the names most often named;
- links in stored queries' results: an ``article_id``, ``entity_id`` or
  ``story_id`` cell, and the title or name beside it, link to that row's page.

Nothing here writes: every query is a ``select``. Text reaches the templates
as plain strings, which Jinja escapes, so article text is never HTML; the marked
text and the diffs are built from escaped pieces (``markupsafe``). The search
page, the name lookup and the map are ``newsarchive_search.py``.
"""

from __future__ import annotations

import csv
import difflib
import re
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

ARTICLE_STORY_SQL = """
select s.id, s.title, s.incident_type, s.article_count, sa.duplicate_of
from story_articles sa join stories s on s.id = sa.story_id where sa.article_id = :id
"""

ARTICLE_MENTIONS_SQL = """
select m.start, m."end", m.text, e.id, e.kind, e.name from mentions m join entities e on e.id = m.entity_id
where m.article_id = :id order by m.start, m."end" desc
"""

ARTICLE_REVISIONS_SQL = """
select revision, fetched_at, title, text, chars_added, chars_removed from revisions
where article_id = :id order by revision desc limit 10
"""


def marked_paragraphs(title: str | None, text: str | None, mentions: list[dict[str, Any]],
                      entity_url: str) -> tuple[list[Markup], bool]:
    """The text's paragraphs with each mention a link to its entity (everything escaped).

    Mention offsets count in the title, a blank line, then the text; a mention whose
    words are not at its offsets (a text changed since) is left unmarked."""
    title, text = title or "", text or ""
    base = len(title) + 2
    spans, last_end = [], -1
    for m in mentions:
        start, end = (m["start"] or 0) - base, (m["end"] or 0) - base
        if start < 0 or end <= start or start < last_end or text[start:end] != m["text"]:
            continue
        spans.append((start, end, m))
        last_end = end
    paragraphs, at, index = [], 0, 0
    for line in text.split("\n"):
        line_start, line_end = at, at + len(line)
        at = line_end + 1
        if not line.strip():
            continue
        parts, cursor = [], line_start
        while index < len(spans) and spans[index][0] < line_end:
            start, end, m = spans[index]
            index += 1
            if end > line_end:  # a mention across a line break: leave it plain
                continue
            parts.append(escape(text[cursor:start]))
            parts.append(Markup('<a class="na-mark na-kind-{}" href="{}/{}" title="{}">{}</a>').format(
                m["kind"], entity_url, int(m["id"]), f"{m['name']} ({m['kind']})", text[start:end]))
            cursor = end
        parts.append(escape(text[cursor:line_end]))
        paragraphs.append(Markup("").join(parts).strip())
    return paragraphs, bool(spans)


WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str, context: int = 12) -> Markup:
    """``new`` against ``old`` word by word: ``<ins>`` added, ``<del>`` removed, long
    unchanged runs cut to ``context`` words either side (everything escaped)."""
    a, b = WORD.findall(old or ""), WORD.findall(new or "")
    out: list[Markup] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = a[i1:i2]
            if len(same) > 4 * context:
                out.append(escape("".join(same[:2 * context])))
                out.append(Markup(' <span class="na-count">[…]</span> '))
                out.append(escape("".join(same[-2 * context:])))
            else:
                out.append(escape("".join(same)))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(out)


def revision_diffs(revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Revisions newest first, each with the diff from the one before it (title and text)."""
    ordered = sorted(revisions, key=lambda r: r["revision"])
    for before, after in zip(ordered, ordered[1:]):
        old = f"{before['title'] or ''}\n\n{before['text'] or ''}"
        new = f"{after['title'] or ''}\n\n{after['text'] or ''}"
        after["diff"] = word_diff(old, new)
    return list(reversed(ordered))


async def article_page(datasette: Any, database: str, article_id: int) -> dict[str, Any]:
    """What the article page shows beyond the row: its text in paragraphs with the
    entities marked, its entities grouped by kind, its story and its revisions."""
    found = await rows(datasette, database, ARTICLE_SQL, id=article_id)
    if not found:
        return {}
    article = found[0]
    stories = await rows(datasette, database, ARTICLE_STORY_SQL, id=article_id)
    entities = await rows(datasette, database, ARTICLE_ENTITIES_SQL, id=article_id)
    mentions = await rows(datasette, database, ARTICLE_MENTIONS_SQL, id=article_id)
    paragraphs, marked = marked_paragraphs(article["title"], article["text"], mentions,
                                           datasette.urls.table(database, "entities"))
    revisions = await rows(datasette, database, ARTICLE_REVISIONS_SQL, id=article_id)
    return {
        "na_page": "article", "na_title": article["title"] or "(no title)",
        "article": article,
        "article_paragraphs": paragraphs, "article_marked": marked,
        "article_entities": entities,
        "article_entities_by_kind": group_by_kind(entities),
        "article_story": stories[0] if stories else None,
        "article_revisions": revision_diffs(revisions),
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


COUNTRY_SQL = "select id, name from entities where kind = 'country' and key = :code"

LOOKALIKE_TARGET_SQL = "select entity_id, domain from domains where domain = :domain limit 1"

LOOKALIKES_SQL = """
select d.entity_id, d.domain, d.edit_type, d.distance, e.article_count as articles
from domains d join entities e on e.id = d.entity_id where d.lookalike_of = :domain
order by e.article_count desc, d.domain limit 50
"""


async def entity_page(datasette: Any, database: str, entity_id: int) -> dict[str, Any]:
    """What the entity page shows beyond the row: aliases, domain and lookalikes (both
    ways), its country's page, articles, company."""
    found = await rows(datasette, database, "select * from entities where id = :id", id=entity_id)
    if not found:
        return {}
    entity = found[0]
    domains = await rows(datasette, database, ENTITY_DOMAIN_SQL, id=entity_id)
    domain = domains[0] if domains else None

    async def country(code: str | None) -> dict[str, Any] | None:
        if not code:
            return None
        hit = await rows(datasette, database, COUNTRY_SQL, code=code.upper())
        return hit[0] if hit else None

    target = None
    if domain and domain.get("lookalike_of"):
        hits = await rows(datasette, database, LOOKALIKE_TARGET_SQL, domain=domain["lookalike_of"])
        target = hits[0] if hits else None
    lookalikes = await rows(datasette, database, LOOKALIKES_SQL, domain=domain["domain"]) if domain else []
    return {
        "na_page": "entity", "na_title": entity["name"],
        "entity": entity,
        "entity_country": await country(entity.get("country_code")) if entity["kind"] != "country" else None,
        "entity_aliases": [r["alias"] for r in await rows(datasette, database, ENTITY_ALIASES_SQL, id=entity_id)],
        "entity_domain": domain,
        "entity_cctld_country": await country(domain.get("cctld_country")) if domain else None,
        "entity_lookalike_target": target,
        "entity_lookalikes": lookalikes,
        "entity_articles": await rows(datasette, database, articles_sql(
            found[0]["article_count"] or 0, await archive_articles(datasette, database), LIST_LIMIT),
            id=entity_id, limit=LIST_LIMIT),
        "entity_cooccurring": await rows(datasette, database, ENTITY_COOCCURRING_SQL, id=entity_id,
                                         limit=LIST_LIMIT),
    }


STORY_ARTICLES_SQL = """
select a.id, a.title, a.source, a.published_at, a.url, sa.similarity, sa.duplicate_of,
       d.title as duplicate_title, instr(a.text, :evidence) > 0 as has_evidence
from story_articles sa join articles a on a.id = sa.article_id
left join articles d on d.id = sa.duplicate_of
where sa.story_id = :id
order by a.published_at is null, a.published_at, a.id
limit 500
"""

STORY_ENTITIES_SQL = """
select e.id, e.name, e.kind, count(distinct m.article_id) as articles
from story_articles sa join mentions m on m.article_id = sa.article_id join entities e on e.id = m.entity_id
where sa.story_id = :id
group by e.id order by articles desc, e.article_count desc, e.name limit 15
"""

STORY_RELATED_SQL = """
select s.id, s.title, s.article_count from story_links l join stories s on s.id = l.related_id where l.story_id = :id
union
select s.id, s.title, s.article_count from story_links l join stories s on s.id = l.story_id where l.related_id = :id
order by article_count desc limit 10
"""


async def story_page(datasette: Any, database: str, story_id: int) -> dict[str, Any]:
    """A story: its articles in publication order (the timeline), the outlets, the first
    report, the syndicated copies, the names most of its articles share, the incident
    type with the article holding its evidence, and related stories."""
    found = await rows(datasette, database, "select * from stories where id = :id", id=story_id)
    if not found:
        return {}
    story = found[0]
    articles = await rows(datasette, database, STORY_ARTICLES_SQL, id=story_id, evidence=story["evidence"] or "\0")
    outlets: dict[str, dict[str, Any]] = {}
    for a in articles:
        o = outlets.setdefault(a["source"], {"source": a["source"], "articles": 0, "copies": 0,
                                             "first": a["published_at"] or ""})
        o["articles"] += 1
        o["copies"] += 1 if a["duplicate_of"] else 0
    originals = [a for a in articles if not a["duplicate_of"]] or articles
    return {
        "na_page": "story", "na_title": story["title"] or f"Story {story_id}",
        "story": story,
        "story_articles": articles,
        "story_first": originals[0] if originals else None,
        "story_copies": [a for a in articles if a["duplicate_of"]],
        "story_outlets": sorted(outlets.values(), key=lambda o: (o["first"] == "", o["first"])),
        "story_entities": await rows(datasette, database, STORY_ENTITIES_SQL, id=story_id),
        "story_evidence_article": next((a for a in articles if a["has_evidence"]), None),
        "story_related": await rows(datasette, database, STORY_RELATED_SQL, id=story_id),
    }


ROW_PAGES = {"articles": article_page, "entities": entity_page, "stories": story_page}

LATEST_SQL = """
select a.id, a.title, a.source, a.published_at, s.id as story_id, s.title as story, s.article_count as story_articles
from (select id, title, source, published_at from articles order by published_at desc, id desc limit :limit) a
left join story_articles sa on sa.article_id = a.id left join stories s on s.id = sa.story_id
order by a.published_at desc, a.id desc
"""


async def first_archive(datasette: Any) -> str | None:
    """The first served database that holds an archive (it may have any name)."""
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        try:
            if await db.table_exists("articles") and await db.table_exists("articles_fts"):
                return name
        except Exception:
            continue
    return None


LATEST_STORIES_SQL = """
select id, title, article_count, incident_type, last_seen from stories
where article_count > 1 order by last_seen desc, id desc limit :limit
"""

TOP_NAMES_SQL = """
select id, name, kind, article_count from entities order by article_count desc, name limit :limit
"""


async def index_page(datasette: Any) -> dict[str, Any]:
    """The home page: which database is the archive, its newest articles and stories, the
    names most often named."""
    name = await first_archive(datasette)
    if name is None:
        return {"archive_db": None, "latest_articles": [], "latest_stories": [], "top_names": []}
    return {"archive_db": name, "latest_articles": await rows(datasette, name, LATEST_SQL, limit=5),
            "latest_stories": await rows(datasette, name, LATEST_STORIES_SQL, limit=3),
            "top_names": await rows(datasette, name, TOP_NAMES_SQL, limit=12)}


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, view_name: str,
                        request: Any, datasette: Any) -> Any:
    if request is None:
        return None
    if view_name == "index":
        return lambda: index_page(datasette)
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
