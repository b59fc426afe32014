"""Datasette plugin: the journalist's search, entity lookup and map (``--plugins-dir plugins``).

Routes, for any database that holds an archive (an ``articles`` table; the
database is named after its file, so nothing here assumes a name):

- ``/<db>/-/search`` (and ``.json``, ``.csv``, ``.atom``): full-text search over
  the articles that never fails on what is typed (the query is translated by
  ``newsarchive.archive.search``), with filters shown as removable chips, counts
  per facet, a coverage-over-time chart, readable result cards, paging;
- ``/<db>/-/entities`` (and ``.json``): a forgiving lookup of a name (case,
  accents, aliases, small typos), which also feeds the suggestions shown while
  typing in the search boxes;
- ``/<db>/-/map``: the countries named, on a map, each marker sized by the
  number of articles naming it (for a search too, with the search's parameters).

Also: the SQL function ``fts_query(text)`` (typed text -> a safe FTS5
expression) for stored queries, ``archived_path(article_id)`` (the article's
page on this server), and at startup, the ``archive`` section of
``metadata.yml`` (stored queries, descriptions, dashboards) is applied to an
archive served under another name.

Every statement is a ``select``, run under Datasette's time limits; a search
that runs out of time says so on a 200 page rather than failing.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import csv
import datetime as dt
import importlib.util
import io
import json
import math
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

try:
    from newsarchive.archive import search as core
except ImportError:  # a published copy without the package: the module ships beside this file
    _spec = importlib.util.spec_from_file_location("newsarchive_search_core",
                                                   Path(__file__).with_name("lib") / "search.py")
    core = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = core
    _spec.loader.exec_module(core)

PAGE_SIZE = 20
MAX_PAGE = 50  # deeper pages: narrow the search (OFFSET costs grow with the page)
EXPORT_LIMIT = 1000  # rows in a CSV or JSON export
FEED_SIZE = 50
FACET_SIZE = 8
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
FACET_PARAMS = {"source": "source", "language": "language", "incident": "incident"}
FACET_NAMES = ("source", "country", "entity", "incident", "language", "month")
#: the facets of the whole archive (an empty search) are counted in the background and
#: served from memory, at most this many seconds old: on a million articles they take
#: seconds, and they are the same for every visitor
WHOLE_ARCHIVE_FACETS_SECONDS = 300
WHOLE_ARCHIVE_FACET_LIMIT_MS = 60_000


# --- SQL functions ------------------------------------------------------------------------

@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    conn.create_function("fts_query", 1, core.fts_query, deterministic=True)
    base = datasette.setting("base_url") if datasette else "/"
    prefix = f"{base.rstrip('/')}/{database}/articles/"
    conn.create_function("archived_path", 1, lambda article_id: None if article_id is None
                         else f"{prefix}{int(article_id)}", deterministic=True)


# --- datasette-atom: a feed with no entries ---------------------------------------------------

def _patch_empty_atom_feeds() -> None:
    """datasette-atom 0.9 fails (500) on a query with no rows (``max()`` of nothing), so a
    stored feed of a search that finds nothing, or of a name never seen, was an error. An
    empty result is an empty feed: the renderer is wrapped to answer one."""
    try:
        import datasette_atom
    except ImportError:
        return
    original = datasette_atom.render_atom
    if getattr(original, "newsarchive_wrapped", False):
        return

    def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if rows or not datasette_atom.REQUIRED_COLUMNS.issubset(columns):
            return original(datasette, request, sql, columns, rows, database, table, query_name, view_name, data)
        title = ((datasette.metadata(database=database) or {}).get("queries") or {}).get(query_name or "", {})
        title = title.get("title") if isinstance(title, dict) else None
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<id>{xml_escape(request.url)}</id><title>{xml_escape(title or 'newsarchive feed')}</title>"
                f'<link href="{xml_escape(request.url, {chr(34): "&quot;"})}" rel="self"/>'
                f"<updated>{now}</updated></feed>")
        return Response(body, content_type="application/xml; charset=utf-8", status=200)

    render_atom.newsarchive_wrapped = True
    datasette_atom.render_atom = render_atom


_patch_empty_atom_feeds()


# --- an archive served under any name ------------------------------------------------------

async def archive_databases(datasette: Any) -> list[str]:
    """The served databases holding an archive, in the order they were given."""
    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        try:
            if await db.table_exists("articles") and await db.table_exists("articles_fts"):
                names.append(name)
        except Exception:
            continue
    return names


def _rename_db(value: Any, old: str, new: str) -> Any:
    """Every ``db: old`` in the dashboards' configuration, made ``db: new``."""
    if isinstance(value, dict):
        return {k: (new if k == "db" and v == old else _rename_db(v, old, new)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_db(v, old, new) for v in value]
    return value


@hookimpl
def startup(datasette: Any) -> Any:
    async def adopt_metadata() -> None:
        local = datasette._metadata_local  # Datasette 0.65 keeps metadata.yml here
        databases = (local or {}).get("databases") or {}
        template = databases.get("archive")
        if template is None or "archive" in datasette.databases:
            return
        names = [n for n in await archive_databases(datasette) if n not in databases]
        for name in names:
            databases[name] = copy.deepcopy(template)
        if names and isinstance(local.get("plugins"), dict):
            dashboards = local["plugins"].get("datasette-dashboards")
            if dashboards:
                local["plugins"]["datasette-dashboards"] = _rename_db(dashboards, "archive", names[0])

    return adopt_metadata


# --- small helpers ---------------------------------------------------------------------------

async def query(db: Any, sql: str, params: dict, limit_ms: int, plain: bool = False) -> list | None:
    """Rows as dicts (as tuples when ``plain``: thousands of ids); None when the statement
    ran out of time (or the archive lacks a table)."""
    try:
        result = await db.execute(sql, params, custom_time_limit=limit_ms, truncate=False)
    except QueryInterrupted:
        return None
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error) or "no such" in str(error):
            return None
        raise
    return [tuple(r) for r in result.rows] if plain else [dict(r) for r in result.rows]


def marked(text: str | None) -> Markup:
    """A snippet with FTS5's match markers as bold, everything else escaped."""
    text = text or ""
    out, bold = [], False
    for part in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", text):
        if part == MARK_OPEN and not bold:
            out.append(Markup("<b>"))
            bold = True
        elif part == MARK_CLOSE and bold:
            out.append(Markup("</b>"))
            bold = False
        elif part not in (MARK_OPEN, MARK_CLOSE):
            out.append(escape(part))
    if bold:
        out.append(Markup("</b>"))
    return Markup("").join(out)


def plain(text: str | None) -> str:
    return (text or "").replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def shorten(text: str | None, limit: int = 240) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def day(value: str | None) -> str:
    return (value or "")[:10]


def with_args(path: str, pairs: list[tuple[str, str]]) -> str:
    pairs = [(k, v) for k, v in pairs if v not in (None, "")]
    return path + ("?" + urlencode(pairs) if pairs else "")


# --- the search -----------------------------------------------------------------------------

class Search:
    """One search as asked in the address: words, filters, sort, page."""

    def __init__(self, args: Any) -> None:
        self.args = [(k, v) for k in args.keys() if k not in ("p", "_all", "format")
                     for v in args.getlist(k) if v.strip()]
        self.q = args.get("q") or ""
        self.text = core.parse(self.q)
        if len(self.q) > core.MAX_CHARS:  # links and the box carry what was used, not all that was sent
            self.q = self.q[:core.MAX_CHARS]
            self.args = [(k, self.q if k == "q" else v) for k, v in self.args]
        self.entity_args = [v for v in args.getlist("entity") if v.strip()]
        self.countries = [v.strip().upper() for v in args.getlist("country") if v.strip()]
        self.source = (args.get("source") or "").strip() or None
        self.incident = (args.get("incident") or "").strip() or None
        self.language = (args.get("language") or "").strip() or None
        self.since_arg, self.until_arg = args.get("since") or "", args.get("until") or ""
        self.since, self.until = core.parse_date(self.since_arg), core.parse_date(self.until_arg)
        sort = args.get("sort") or ""
        self.sort = sort if sort in core.SORTS else ("relevance" if self.text.match else "newest")
        self.sort_chosen = sort in core.SORTS  # a capped search sorts newest first unless told
        try:
            self.page = min(max(int(args.get("p") or 1), 1), MAX_PAGE)
        except ValueError:
            self.page = 1
        self.notes = list(self.text.notes)
        if self.since_arg and not self.since:
            self.notes.append(f"“{self.since_arg}” is not a date (YYYY-MM-DD); it was left out.")
        if self.until_arg and not self.until:
            self.notes.append(f"“{self.until_arg}” is not a date (YYYY-MM-DD); it was left out.")
        self.entities: list[dict] = []  # resolved: id, name, kind, article_count, arg

    def pairs(self, drop: tuple[str, str] | list[tuple[str, str]] | None = None, add: list[tuple[str, str]] = (),
              without: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        dropped = drop if isinstance(drop, list) else [drop]
        kept = [(k, v) for k, v in self.args if (k, v) not in dropped and k not in without]
        for k, v in add:
            if (k, v) not in kept:
                kept.append((k, v))
        return kept

    def filters(self) -> Any:
        ids = tuple(e["id"] for e in sorted(self.entities, key=lambda e: (e["article_count"] or 0)))
        return core.Filters(entities=ids, source=self.source, incident=self.incident, language=self.language,
                            since=self.since, until=self.until)


async def resolve_entities(db: Any, search: Search, limit_ms: int) -> None:
    """The entity and country filters as entities: ids as given, names looked up forgivingly."""
    for arg in search.entity_args:
        found = None
        if arg.strip().isdigit():
            rows = await query(db, "select id, name, kind, article_count from entities where id = :id",
                               {"id": int(arg)}, limit_ms)
            found = rows[0] if rows else None
        else:
            matches = await lookup(db, arg, 1, limit_ms)
            if matches and matches[0]["score"] >= 0.8:
                found = matches[0]
                if core.normalise_name(found["name"]) != core.normalise_name(arg):
                    search.notes.append(f"“{arg}” was taken as {found['name']}.")
        if found is None:
            search.notes.append(f"No entity called “{arg}” in the archive, so nothing can name it.")
            found = {"id": -1, "name": arg, "kind": "unknown", "article_count": 0}
        search.entities.append({**found, "arg": ("entity", arg)})
    for code in search.countries:
        rows = await query(db, "select id, name, kind, article_count from entities "
                               "where kind = 'country' and key = :code", {"code": code}, limit_ms)
        found = rows[0] if rows else {"id": -1, "name": code, "kind": "country", "article_count": 0}
        if not rows:
            search.notes.append(f"No article names the country {code}.")
        search.entities.append({**found, "arg": ("country", code)})


LOOKUP_EXACT_SQL = """
select e.id, e.name, e.kind, e.article_count, e.name as matched from entities e where e.name = :q collate nocase
union
select e.id, e.name, e.kind, e.article_count, x.alias as matched
from entity_aliases x join entities e on e.id = x.entity_id where x.alias = :q collate nocase
"""

LOOKUP_FTS_SQL = """
select * from (
  select e.id, e.name, e.kind, e.article_count, e.name as matched
  from entities_fts f join entities e on e.id = f.rowid where entities_fts match :match order by f.rank limit 300)
union all
select * from (
  select e.id, e.name, e.kind, e.article_count, x.alias as matched
  from entity_aliases_fts f join entity_aliases x on x.rowid = f.rowid join entities e on e.id = x.entity_id
  where entity_aliases_fts match :match order by f.rank limit 300)
"""


async def lookup(db: Any, typed: str, limit: int, limit_ms: int) -> list[dict]:
    """Entities whose name or an alias is like ``typed``, best first (each with ``score``
    from 0 to 1 and the name or alias ``matched``)."""
    typed = (typed or "").strip()[:200]
    if not core.normalise_name(typed):
        return []
    best: dict[int, dict] = {}
    candidates = (await query(db, LOOKUP_EXACT_SQL, {"q": typed}, limit_ms)) or []
    match = core.lookup_fts(typed)
    if match:
        candidates += (await query(db, LOOKUP_FTS_SQL, {"match": match}, limit_ms)) or []
    for row in candidates:
        score = core.name_similarity(typed, row["matched"])
        if score >= 0.6 and (row["id"] not in best or score > best[row["id"]]["score"]):
            best[row["id"]] = {**row, "score": score}
    return sorted(best.values(), key=lambda r: (-r["score"], -(r["article_count"] or 0), r["name"]))[:limit]


async def run_search(datasette: Any, db: Any, search: Search, limit: int, offset: int,
                     facets: bool) -> dict[str, Any]:
    """Count, rows (with story, snippet) and facets of one search."""
    sql_ms = datasette.setting("sql_time_limit_ms")
    facet_ms = datasette.setting("facet_time_limit_ms")
    await resolve_entities(db, search, sql_ms)
    filters = search.filters()
    text = search.text
    if filters.source and filters.entities and not text.match:  # the outlet's dates may be the fewer
        rarest = min(e["article_count"] or 0 for e in search.entities)
        sql, params = core.outlet_count_sql(filters, rarest + 1)
        counted = await query(db, sql, params, sql_ms)
        if counted and counted[0]["n"] <= rarest:
            filters = dataclasses.replace(filters, outlet_first=True)
    try:
        hits, found, found_count = await first_page(db, text, filters, search, limit, offset, sql_ms)
    except sqlite3.OperationalError:  # an FTS5 corner not foreseen: every word as a plain word
        text = core.parse(" ".join(re.findall(r"\w+", search.q)))
        search.notes.append("The search was read as plain words.")
        hits, found, found_count = await first_page(db, text, filters, search, limit, offset, sql_ms)
    timed_out = found is None
    rows = found or []
    if found_count is not None:  # every match is known already: no need to count them again
        count = found_count
    else:
        count_sql, count_params = core.count_sql(text, filters, hits)
        counted = None if timed_out else await query(db, count_sql, count_params, sql_ms)
        count = counted[0]["n"] if counted else None
    capped = core.capped(text, filters) and count is not None and count >= core.TEXT_CAP
    if capped:
        search.notes.append(f"These words are in more than {core.TEXT_CAP:,} articles: the results and the counts "
                            f"beside them come from the {core.TEXT_CAP:,} most recently archived. Add a word, "
                            "a name, an outlet or dates to search them all."
                            + ("" if search.sort_chosen else " They are shown newest first; sorting by relevance "
                               "ranks them, more slowly."))
    if rows and text.match:
        snippet_sql, snippet_params = core.snippet_sql(text, [r["id"] for r in rows])
        snippets = {r["id"]: r["snippet"] for r in await query(db, snippet_sql, snippet_params, sql_ms) or []}
        for row in rows:
            row["snippet"] = snippets.get(row["id"])
    await add_stories_and_sentences(db, rows, search, sql_ms)
    results = {"rows": rows, "count": count, "capped": capped, "timed_out": timed_out, "facets": {}, "text": text}
    if facets and not timed_out:  # the facets run side by side, each under the facet time limit
        whole = not text.match and not text.exclude and not filters.any()
        cached = whole_archive_facets(db) if whole and (db.name in _whole_facets or db.name in _counting) else None
        if cached is not None:
            results["facets"] = cached
        else:
            results["facets"] = await count_facets(db, text, filters, hits, facet_ms)
            if whole and None in results["facets"].values():  # too big to count while one waits
                results["facets"] = whole_archive_facets(db) or results["facets"]
    return results


async def count_facets(db: Any, text: Any, filters: Any, hits: str | None, limit_ms: int) -> dict[str, Any]:
    """Each facet's top values over the results, side by side, each under the facet time
    limit; country and entity in one statement when it can be (one pass over the mentions)."""
    named = core.named_facets_sql(text, filters, FACET_SIZE, hits)
    alone = [name for name in FACET_NAMES if named is None or name not in ("country", "entity")]
    statements = [core.facet_sql(name, text, filters, FACET_SIZE, hits) for name in alone]
    if named is not None:
        statements.append(named)
    counted = await asyncio.gather(*(query(db, sql, params, limit_ms) for sql, params in statements))
    facets = dict(zip(alone, counted))
    if named is not None:
        rows = counted[-1]
        for name in ("country", "entity"):
            facets[name] = None if rows is None else [
                {k: r[k] for k in ("value", "label", "n", "code" if name == "country" else "kind")}
                for r in rows if r["facet"] == name]
    return {name: facets[name] for name in FACET_NAMES}


#: database name -> (event-loop time counted, facets) of the whole archive, for archives
#: whose facets did not fit the facet time limit; and the counts under way
_whole_facets: dict[str, tuple[float, dict[str, Any]]] = {}
_counting: dict[str, asyncio.Task] = {}


def whole_archive_facets(db: Any) -> dict[str, Any]:
    """The facets of every article of a big archive, from memory; counted again in the
    background when missing or older than :data:`WHOLE_ARCHIVE_FACETS_SECONDS` (until then
    the older counts are shown, or none). A small archive never comes here: its facets are
    counted on every page, as for any other search."""
    loop = asyncio.get_running_loop()
    found = _whole_facets.get(db.name)
    fresh = found is not None and loop.time() - found[0] < WHOLE_ARCHIVE_FACETS_SECONDS
    if not fresh and db.name not in _counting:
        _counting[db.name] = loop.create_task(_count_whole_archive(db))
    return found[1] if found else {}


async def _count_whole_archive(db: Any) -> None:
    try:
        statements = [core.facet_sql(name, core.parse(""), core.Filters(), FACET_SIZE) for name in FACET_NAMES]
        counted = [await query(db, sql, params, WHOLE_ARCHIVE_FACET_LIMIT_MS) for sql, params in statements]
        _whole_facets[db.name] = (asyncio.get_running_loop().time(), dict(zip(FACET_NAMES, counted)))
    finally:
        _counting.pop(db.name, None)


async def first_page(db: Any, text: Any, filters: Any, search: Search, limit: int, offset: int,
                     limit_ms: int) -> tuple[str | None, list[dict] | None, int | None]:
    """The articles found, when few enough to hand to the page's other statements (JSON of
    ``[id, score]``, see ``core.hits_sql``; None otherwise), and the page's rows (None when
    out of time), and how many were found when that is known (with the JSON). Words alone read the newest ``TEXT_CAP`` matches (``core.capped``); when
    there are that many, the page is sorted newest first unless the reader chose a sort
    (scoring a word found in every article costs more than finding it). A narrowed search
    whose result is at most ``TEXT_CAP`` articles is found once, so the count and the facets
    do not search again."""
    hits, matched = None, None
    if core.capped(text, filters):
        sql, params = core.capped_hits_sql(text, scored=False)
        matched = await query(db, sql, params, limit_ms, plain=True)
        if matched is not None and len(matched) >= core.TEXT_CAP and not search.sort_chosen:
            search.sort = "newest"
        elif matched is not None and search.sort == "relevance":
            sql, params = core.capped_hits_sql(text, scored=True)
            matched = await query(db, sql, params, limit_ms, plain=True)
    elif text.match or filters.any():
        sql, params = core.hits_sql(text, filters, core.TEXT_CAP + 1)
        matched = await query(db, sql, params, limit_ms, plain=True)
    else:
        matched = []  # every article: nothing to find first
    if matched is None:
        return None, None, None
    if (text.match or filters.any()) and len(matched) <= core.TEXT_CAP:
        hits = json.dumps(matched)  # (id, score) pairs
    sql, params = core.search_sql(text, filters, search.sort, limit, offset, hits)
    return hits, await query(db, sql, params, limit_ms), len(matched) if hits is not None else None


async def add_stories_and_sentences(db: Any, rows: list[dict], search: Search, limit_ms: int) -> None:
    """Each result's story, and (searching by entity without words) the sentence naming it."""
    if not rows:
        return
    ids = {r["id"]: r for r in rows}
    marks = ", ".join(str(int(i)) for i in ids)
    stories = await query(db, "select sa.article_id, s.id as story_id, s.title as story, s.article_count as "
                              "story_articles, s.incident_type from story_articles sa join stories s on "
                              f"s.id = sa.story_id where sa.article_id in ({marks})", {}, limit_ms) or []
    for story in stories:
        ids[story["article_id"]].update(story)
    if not search.text.match and search.entities and search.entities[0]["id"] > 0:
        entity = search.entities[0]["id"]
        sentences = await query(db, "select article_id, text, sentence, min(start) from mentions "
                                    f"where entity_id = :e and article_id in ({marks}) group by article_id",
                                {"e": entity}, limit_ms) or []
        for s in sentences:
            sentence, words = s["sentence"] or "", s["text"] or ""
            at = sentence.find(words) if words else -1
            if at >= 0:
                ids[s["article_id"]]["snippet"] = (sentence[:at] + MARK_OPEN + words + MARK_CLOSE
                                                   + sentence[at + len(words):])


def card(row: dict, archived: str) -> dict:
    """One result as the page, JSON, CSV and Atom show it."""
    snippet = " ".join((row.get("snippet") or shorten(row.get("description") or row.get("opening"))).split())
    return {
        "id": row["id"], "title": row["title"] or "(no title)", "source": row["source"],
        "published": day(row["published_at"]), "published_at": row["published_at"],
        "url": row["url"], "archived_url": archived, "language": row.get("language"),
        "story_id": row.get("story_id"), "story": row.get("story"), "story_articles": row.get("story_articles"),
        "incident_type": row.get("incident_type"),
        "snippet": plain(snippet), "snippet_html": marked(snippet),
        "score": row.get("score"),
    }


def chips(search: Search, path: str) -> list[dict]:
    """The active filters, each with the address of the same search without it."""
    out = []
    if search.q.strip():
        out.append({"label": "Words", "value": search.text.describe() or search.q,
                    "remove": with_args(path, search.pairs(without=("q",)))})
    for e in search.entities:
        key, value = e["arg"]
        label = "Country" if key == "country" else (e["kind"] or "entity").capitalize()
        out.append({"label": label, "value": e["name"], "remove": with_args(path, search.pairs(drop=(key, value)))})
    for key, label, value in (("source", "Outlet", search.source), ("incident", "Incident", search.incident),
                              ("language", "Language", search.language),
                              ("since", "From", search.since), ("until", "Until", search.until)):
        if value:
            out.append({"label": label, "value": value, "remove": with_args(path, search.pairs(without=(key,)))})
    return out


def facet_links(search: Search, path: str, facets: dict[str, Any]) -> list[dict]:
    """Facets as lists of links adding their value to the search (chosen ones marked)."""
    chosen_entities = {e["id"] for e in search.entities}
    out = []
    for name, title, param in (("source", "Outlets", "source"), ("country", "Countries named", "country"),
                               ("entity", "Named in the results", "entity"),
                               ("incident", "Incident types", "incident"), ("language", "Languages", "language")):
        values = facets.get(name)
        if values is None and name in facets:
            out.append({"name": name, "title": title, "timed_out": True, "choices": []})
            continue
        items = []
        for v in values or []:
            arg = v["code"] if name == "country" else str(v["value"])
            if name in ("country", "entity"):
                selected = v["value"] in chosen_entities
            else:
                selected = getattr(search, param) == v["value"]
            chosen = [e["arg"] for e in search.entities if e["id"] == v["value"]]  # however it was asked
            link = with_args(path, search.pairs(drop=chosen) if selected and name in ("country", "entity")
                             else search.pairs(without=(param,)) if selected
                             else search.pairs(add=[(param, arg)], without=(() if name in ("country", "entity")
                                                                            else (param,))))
            items.append({"label": v["label"], "count": v["n"], "href": link, "selected": selected,
                          "kind": v.get("kind")})
        if items:
            out.append({"name": name, "title": title, "choices": items, "timed_out": False})
    return out


def coverage_chart(search: Search, path: str, months: list[dict] | None) -> dict | None:
    """Bars of results per month (an SVG drawn by the template), each linking to that month."""
    if not months:
        return None
    top = max(m["n"] for m in months) or 1
    width = max(1.0, 100.0 / len(months))
    bars = []
    for i, m in enumerate(months):
        year, month = int(m["value"][:4]), int(m["value"][5:7])
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
        bars.append({"month": m["value"], "n": m["n"], "x": round(i * width, 3), "w": round(width * 0.85, 3),
                     "h": round(60.0 * m["n"] / top, 2),
                     "href": with_args(path, search.pairs(without=("since", "until"),
                                                          add=[("since", m["value"] + "-01"), ("until", last)]))})
    return {"bars": bars, "first": months[0]["value"], "last": months[-1]["value"], "top": top}


async def search_view(request: Any, datasette: Any) -> Response:
    database = request.url_vars["database"]
    fmt = request.url_vars.get("format") or "html"
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound(f"No database called {database}")
    if database not in await archive_databases(datasette):
        raise NotFound(f"{database} holds no archive (no articles table)")
    search = Search(request.args)
    path = datasette.urls.database(database) + "/-/search"
    if fmt in ("csv", "json") and request.args.get("_all"):
        limit, offset = EXPORT_LIMIT, 0
    elif fmt == "atom":
        search.sort = "newest"
        limit, offset = FEED_SIZE, 0
    else:
        limit, offset = PAGE_SIZE, (search.page - 1) * PAGE_SIZE
    results = await run_search(datasette, db, search, limit, offset, facets=fmt in ("html", "json"))
    article_base = datasette.urls.table(database, "articles")
    cards = [card(r, datasette.absolute_url(request, f"{article_base}/{r['id']}")) for r in results["rows"]]
    title = search_title(search)
    if fmt == "csv":
        return csv_response(cards)
    if fmt == "atom":
        return atom_response(request, datasette, title, cards)
    more = results["count"] is not None and offset + len(cards) < results["count"] and search.page < MAX_PAGE
    next_url = with_args(path, search.pairs() + [("p", str(search.page + 1))]) if more else None
    prev_url = with_args(path, search.pairs() + ([("p", str(search.page - 1))] if search.page > 2 else [])) \
        if search.page > 1 else None
    if fmt == "json":
        return Response.json({
            "database": database, "q": search.q, "understood_as": search.text.describe(),
            "fts_match": results["text"].match, "fts_exclude": results["text"].exclude,
            "filters": {"entities": [{"id": e["id"], "name": e["name"], "kind": e["kind"]} for e in search.entities],
                        "source": search.source, "incident": search.incident, "language": search.language,
                        "since": search.since, "until": search.until},
            "sort": search.sort, "page": search.page, "count": results["count"],
            "timed_out": results["timed_out"], "capped": results["capped"], "notes": search.notes,
            "rows": [{k: v for k, v in c.items() if k != "snippet_html"} for c in cards],
            "facets": {k: v for k, v in results["facets"].items()},
            "next_url": datasette.absolute_url(request, next_url) if next_url else None,
        }, default=str)
    suggested = []
    if search.q.strip() and not search.entities:
        suggested = [e for e in await lookup(db, search.q, 3, datasette.setting("facet_time_limit_ms"))
                     if e["score"] >= 0.85]
    context = {
        "database": database, "search": search, "cards": cards, "results": results, "title": title,
        "chips": chips(search, path), "facets": facet_links(search, path, results["facets"]),
        "chart": coverage_chart(search, path, results["facets"].get("month")),
        "next_url": next_url, "prev_url": prev_url, "search_path": path,
        "sorts": [(s, with_args(path, search.pairs(without=("sort",)) + [("sort", s)])) for s in core.SORTS
                  if s != "relevance" or search.text.match],
        "suggested": [{**e, "href": with_args(path, search.pairs(without=("q",)) + [("entity", str(e["id"]))])}
                      for e in suggested],
        "formats": {name: with_args(f"{path}.{name}", search.pairs() + ([("_all", "1")] if name != "atom" else []))
                    for name in ("json", "csv", "atom")},
        "map_url": with_args(datasette.urls.database(database) + "/-/map", search.pairs()),
        "entity_target": with_args(path, search.pairs()),
        "hidden": [(k, v) for k, v in search.pairs() if k not in ("q", "sort")],
    }
    html = await datasette.render_template("newsarchive_search.html", context, request=request)
    return Response.html(html)


def search_title(search: Search) -> str:
    parts = []
    if search.q.strip():
        parts.append(f"“{search.q.strip()[:120]}”")
    parts += [e["name"] for e in search.entities]
    parts += [v for v in (search.source, search.incident, search.language) if v]
    if search.since or search.until:
        parts.append(f"{search.since or '…'} to {search.until or '…'}")
    return "Search: " + ", ".join(parts) if parts else "Newest articles"


CSV_COLUMNS = ("id", "title", "source", "published_at", "url", "archived_url", "story_id", "story",
               "incident_type", "snippet")


def csv_response(cards: list[dict]) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(cards)
    return Response(buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="search.csv"'})


def _atom_time(value: str | None) -> str:
    value = (value or "").strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return value + "T00:00:00Z"
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "1970-01-01T00:00:00Z"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_response(request: Any, datasette: Any, title: str, cards: list[dict]) -> Response:
    """An Atom feed of the newest results, titled with the search; entries link to the archived copy."""
    self_url = request.url
    updated = max((_atom_time(c["published_at"]) for c in cards), default=_atom_time(dt.date.today().isoformat()))
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{xml_escape('newsarchive · ' + title)}</title>",
             f"<id>{xml_escape(self_url)}</id>",
             f'<link rel="self" href="{xml_escape(self_url, {chr(34): "&quot;"})}"/>',
             f'<link rel="alternate" type="text/html" href="{xml_escape(self_url.replace("/-/search.atom", "/-/search", 1), {chr(34): "&quot;"})}"/>',
             f"<updated>{updated}</updated>", "<generator>newsarchive</generator>"]
    for c in cards:
        parts.append("<entry>")
        parts.append(f"<id>tag:newsarchive,2024:article:{int(c['id'])}</id>")
        parts.append(f"<title type=\"text\">{xml_escape(c['title'])}</title>")
        parts.append(f"<updated>{_atom_time(c['published_at'])}</updated>")
        parts.append(f'<link rel="alternate" href="{xml_escape(c["archived_url"], {chr(34): "&quot;"})}"/>')
        if c["url"]:
            parts.append(f'<link rel="related" href="{xml_escape(c["url"], {chr(34): "&quot;"})}"/>')
        parts.append(f"<author><name>{xml_escape(c['source'] or 'unknown')}</name></author>")
        parts.append(f"<content type=\"text\">{xml_escape((c['source'] or '') + ': ' + c['snippet'])}</content>")
        parts.append("</entry>")
    parts.append("</feed>")
    return Response("\n".join(parts), content_type="application/atom+xml; charset=utf-8")


# --- entity lookup ------------------------------------------------------------------------------

async def entities_view(request: Any, datasette: Any) -> Response:
    database = request.url_vars["database"]
    fmt = request.url_vars.get("format") or "html"
    if database not in await archive_databases(datasette):
        raise NotFound(f"{database} holds no archive")
    db = datasette.get_database(database)
    typed = request.args.get("q") or ""
    try:
        limit = min(max(int(request.args.get("limit") or 20), 1), 50)
    except ValueError:
        limit = 20
    # suggestions come with every keystroke: they get the facets' shorter time limit
    found = await lookup(db, typed, limit, datasette.setting("facet_time_limit_ms"))
    entity_base = datasette.urls.table(database, "entities")
    search_path = datasette.urls.database(database) + "/-/search"
    for e in found:
        e["url"] = f"{entity_base}/{e['id']}"
        e["search_url"] = with_args(search_path, [("entity", str(e["id"]))])
    if fmt == "json":
        return Response.json({"q": typed, "rows": found})
    html = await datasette.render_template("newsarchive_entities.html", {
        "database": database, "q": typed, "found": found, "search_path": search_path,
    }, request=request)
    return Response.html(html)


# --- the map --------------------------------------------------------------------------------------

def load_centroids() -> dict[str, tuple[float, float]]:
    """Country code -> (latitude, longitude), from ``country_centroids.csv`` beside this file."""
    with open(Path(__file__).with_name("country_centroids.csv"), newline="", encoding="utf-8") as handle:
        return {row["code"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}


CENTROIDS = load_centroids()


async def map_view(request: Any, datasette: Any) -> Response:
    """Countries named (by every article, or by a search's results), each marker sized by articles."""
    database = request.url_vars["database"]
    if database not in await archive_databases(datasette):
        raise NotFound(f"{database} holds no archive")
    db = datasette.get_database(database)
    search = Search(request.args)
    sql_ms = datasette.setting("sql_time_limit_ms")
    searching = search.q.strip() or search.entity_args or search.countries or search.source or \
        search.incident or search.language or search.since or search.until
    if searching:
        await resolve_entities(db, search, sql_ms)
        sql, params = core.facet_sql("country", search.text, search.filters(), 300)
        rows = await query(db, sql, params, sql_ms)
    else:
        rows = await query(db, "select id as value, name as label, article_count as n, key as code from entities "
                               "where kind = 'country' order by n desc limit 300", {}, sql_ms)
    entity_base = datasette.urls.table(database, "entities")
    markers = []
    for r in rows or []:
        at = CENTROIDS.get((r["code"] or "").upper())
        if at and r["n"]:
            markers.append({"name": r["label"], "code": r["code"], "articles": r["n"], "lat": at[0], "lon": at[1],
                            "url": f"{entity_base}/{r['value']}",
                            "radius": round(4 + 4 * math.sqrt(r["n"]), 1)})
    top = max((m["articles"] for m in markers), default=0)
    for m in markers:  # the biggest marker is at most 40 pixels across its radius
        m["radius"] = round(4 + 36 * math.sqrt(m["articles"] / top), 1) if top else 4
    tiles = (datasette.plugin_config("datasette-cluster-map") or {}).get("tile_layer") or ""
    search_path = datasette.urls.database(database) + "/-/search"
    html = await datasette.render_template("newsarchive_map.html", {
        "database": database, "markers": markers, "timed_out": rows is None, "tile_layer": tiles,
        "title": search_title(search) if searching else "Countries named in the archive",
        "search_url": with_args(search_path, search.pairs()), "searching": bool(searching),
        "markers_json": Markup(json.dumps(markers).replace("<", "\\u003c")),
    }, request=request)
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json|csv|atom))?$", search_view),
        (r"^/(?P<database>[^/]+)/-/entities(\.(?P<format>json))?$", entities_view),
        (r"^/(?P<database>[^/]+)/-/map$", map_view),
    ]
