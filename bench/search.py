"""Time the search page's statements on an archive: ``python -m bench.search ARCHIVE.db``.

For a few searches (words, names, both, nothing), the median time of the page of results,
the count and each facet, run as the search page runs them (the statements of
``newsarchive.archive.search``, through sqlite3, read-only). Prints a table; writes nothing.
The synthetic archive of ``bench.synthetic`` has made-up words: its searches use its
``RARE_TERM`` and its most and least named entities.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from pathlib import Path

from newsarchive.archive import search


def timed(conn: sqlite3.Connection, sql: str, params: dict, runs: int) -> tuple[float, int]:
    """Median milliseconds over ``runs``, and the rows of the last run."""
    times, rows = [], []
    for _ in range(runs):
        start = time.perf_counter()
        rows = conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(rows)


def searches(conn: sqlite3.Connection, term: str) -> list[tuple[str, str, search.Filters]]:
    common = conn.execute("select id, article_count from entities order by article_count desc limit 1").fetchone()
    middle = conn.execute("select id, article_count from entities where article_count between 50 and 500 "
                          "order by article_count desc limit 1").fetchone() or common
    return [
        ("newest articles, no filter", "", search.Filters()),
        (f"words: {term}", term, search.Filters()),
        (f"words: {term} -the", f"{term} -the", search.Filters()),
        ("a common word (the)", "the", search.Filters()),
        (f"name named in {common[1]} articles", "", search.Filters(entities=(common[0],))),
        (f"two names ({middle[1]} and {common[1]} articles)", "", search.Filters(entities=(middle[0], common[0]))),
        (f"words: {term} + name of {common[1]}", term, search.Filters(entities=(common[0],))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--term", default=None, help="a word to search for (default: bench.synthetic's RARE_TERM)")
    args = parser.parse_args()
    term = args.term
    if term is None:
        from bench.synthetic import RARE_TERM
        term = RARE_TERM
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    total = conn.execute("select count(*) from articles").fetchone()[0]
    print(f"{args.db}: {total:,} articles; median of {args.runs} runs, milliseconds")
    print(f"| search | results | page | count | {' | '.join(search.FACETS)} |")
    print("|---|---|---|---|" + "---|" * len(search.FACETS))
    for label, typed, filters in searches(conn, term):
        query = search.parse(typed)
        sort = "relevance" if query.match else "newest"
        page_ms, _ = timed(conn, *search.search_sql(query, filters, sort, 20), args.runs)
        count_sql, count_params = search.count_sql(query, filters)
        count_ms, _ = timed(conn, count_sql, count_params, args.runs)
        found = conn.execute(count_sql, count_params).fetchone()[0]
        facets = [timed(conn, *search.facet_sql(name, query, filters), args.runs)[0] for name in search.FACETS]
        print(f"| {label} | {found:,} | {page_ms:.1f} | {count_ms:.1f} | "
              + " | ".join(f"{ms:.0f}" for ms in facets) + " |")


if __name__ == "__main__":
    main()
