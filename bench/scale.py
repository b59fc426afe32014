"""Measure the archive's pages at scale: Datasette against the same SQL run directly.

``python -m bench.scale OUT.db [--runs 20]`` on an archive built by
:mod:`bench.synthetic` (its ``OUT.build.json`` and ``OUT.inspect.json`` are read).

Datasette is started the way ``newsarchive serve`` starts it
(:func:`newsarchive.app.publish.datasette_command`: the project's metadata, plugins,
templates and settings), plus ``-i`` (immutable), ``--inspect-file`` and
``trace_debug``, on a free port on 127.0.0.1. Every page is first fetched once
with ``?_trace=1``: the trace lists the SQL Datasette really ran for it (page
query, count, facets, facet suggestions, the plugin's queries), and that same
list of statements is what the "direct" column times, run one after another
on a plain ``sqlite3`` connection opened immutable too. Timed requests carry
no ``_trace``.

Pages measured:

1. full-text search for the ~1% term in the articles table view, as served and
   with the settings the scale calls for (``_nosuggest=1`` is what
   ``--setting suggest_facets off`` does to every request; ``_nocount=1``);
2. the articles table faceted by source (``?_facet=source``);
3. an entity's page (its row, aliases, domain, articles and co-occurring
   entities, from the project's plugin), for the most-named entity and a
   middling one;
4. the ``cooccurring_entities`` and ``entity_timeline`` stored queries for the same two
   entities (read from the aggregates ``entity_pairs`` and ``entity_weeks``);
5. ``articles_filtered``: the two most-named entities together, in the biggest outlet,
   over one year;
6. the ``search`` stored query (grouped by story) for the ~1% term;
7. the journalist's search page ``/-/search`` (what the home page's box asks): the ~1%
   term, ``the`` (in every article), no words (the newest articles) and the two most-named
   entities in the biggest outlet over one year.

The machine's load average is recorded with the figures: on a shared machine they are
upper bounds.
"""

from __future__ import annotations

import argparse
import html
import os
import json
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from newsarchive.archive import paths
from newsarchive.app.publish import datasette_command
from bench.report import write_section
from bench.synthetic import RARE_TERM

SERVE_FLAG = "--serve-datasette"
WARMUP = 2
MIDDLING_RANK = 1000  # the "middling" entity: this far down by article count
FILTER_SINCE, FILTER_UNTIL = "2021-01-01", "2021-12-31"  # the filtered search's dates (one year of seven)
TARGET_P95_MS = 250
TRACE_PRE = re.compile(r"<pre>(\{\s*&#34;request_duration_ms.*?)</pre>", re.S)


@dataclass
class Case:
    """One page to time.

    :param name: what it is, for the report
    :param path: the address on the Datasette server
    :param queries: (sql, params) Datasette ran for it (from its trace)
    :param datasette_ms: timed requests
    :param direct_ms: timed runs of ``queries`` on a plain connection
    :param status: HTTP status of the traced request
    :param note: anything the reader must know (e.g. a query timed out)
    """

    name: str
    path: str
    queries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    datasette_ms: list[float] = field(default_factory=list)
    direct_ms: list[float] = field(default_factory=list)
    status: int = 0
    note: str = ""


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def datasette(db_path: Path, inspect_file: Path, settings: dict[str, str]) -> Iterator[str]:
    """Datasette serving ``db_path`` immutable as the project serves it; yields its base URL.

    :param settings: extra ``--setting`` pairs
    """
    port = free_port()
    command = datasette_command(str(db_path), "127.0.0.1", port, str(paths.METADATA), True)
    assert command[1:3] == ["-m", "newsarchive.app.serve"]
    command[1:3] = ["-m", "bench.scale", SERVE_FLAG]  # the same server, with whole traces (below)
    command += ["--inspect-file", str(inspect_file), "--setting", "trace_debug", "1"]
    for name, value in settings.items():
        command += ["--setting", name, value]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Return once ``/-/versions.json`` answers; fail if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"datasette exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=5).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise RuntimeError("datasette did not start")


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET (errors are answers too)."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def with_arg(path: str, arg: str) -> str:
    """``path`` with one more query-string argument."""
    return path + ("&" if "?" in path else "?") + arg


def traced_queries(base: str, case: Case) -> None:
    """Fill ``case.queries`` and ``case.status`` from one ``?_trace=1`` request."""
    status, body = fetch(base + with_arg(case.path, "_trace=1"))
    case.status = status
    text = body.decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        trace = json.loads(text).get("_trace", {})
    else:
        found = TRACE_PRE.search(text)
        trace = json.loads(html.unescape(found.group(1))) if found else {}
    for entry in trace.get("traces", []):
        if entry.get("type") == "sql" and entry.get("database") == "archive" and not entry.get("executescript"):
            case.queries.append((entry["sql"], entry.get("params") or {}))


def time_requests(base: str, case: Case, runs: int) -> None:
    """Time ``runs`` requests of the page, after :data:`WARMUP` untimed ones."""
    for run in range(WARMUP + runs):
        started = time.perf_counter()
        fetch(base + case.path)
        if run >= WARMUP:
            case.datasette_ms.append((time.perf_counter() - started) * 1000)


def time_direct(conn: sqlite3.Connection, case: Case, runs: int) -> None:
    """Time ``runs`` runs of the page's SQL, one statement after another, all rows fetched."""
    for run in range(WARMUP + runs):
        started = time.perf_counter()
        for sql, params in case.queries:
            try:
                conn.execute(sql, params).fetchall()
            except sqlite3.Error:  # e.g. a plugin function only Datasette's connections have
                pass
        if run >= WARMUP:
            case.direct_ms.append((time.perf_counter() - started) * 1000)


def percentile(samples: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def entities_to_visit(conn: sqlite3.Connection) -> list[tuple[str, int, str, int]]:
    """(label, id, name, article count) of the most-named entity and a middling one."""
    chosen = []
    for label, rank in (("most-named", 0), ("middling", MIDDLING_RANK)):
        row = conn.execute("select id, name, article_count from entities order by article_count desc, id "
                           "limit 1 offset ?", [rank]).fetchone()
        chosen.append((f"{label} (rank {rank + 1})", row[0], row[1], row[2]))
    return chosen


def cases_for(conn: sqlite3.Connection, term: str) -> list[Case]:
    """The pages to time on this archive."""
    search = "/archive/articles.json?_search=" + urllib.parse.quote(term)
    cases = [
        Case("FTS search, as served now", search),
        Case("FTS search, suggest_facets off", with_arg(search, "_nosuggest=1")),
        Case("FTS search, suggest_facets off + _nocount=1", with_arg(search, "_nosuggest=1&_nocount=1")),
        Case("FTS search, rows only (_nofacet=1&_nocount=1)", with_arg(search, "_nofacet=1&_nocount=1")),
        Case("facet on source, as served now", "/archive/articles.json?_facet=source"),
        Case("facet on source, suggest_facets off", "/archive/articles.json?_facet=source&_nosuggest=1"),
    ]
    for label, entity_id, name, articles in entities_to_visit(conn):
        cases.append(Case(f"entity page, {label}: {articles:,} articles", f"/archive/entities/{entity_id}"))
        cases.append(Case(f"co-occurrence query, {label}",
                          "/archive/cooccurring_entities.json?entity=" + urllib.parse.quote(name)))
        cases.append(Case(f"timeline query, {label}",
                          "/archive/entity_timeline.json?entity=" + urllib.parse.quote(name)))
    first, second = (conn.execute("select name from entities order by article_count desc, id limit 1 offset ?",
                                  [rank]).fetchone()[0] for rank in (0, 1))
    outlet = conn.execute("select source from articles group by source order by count(*) desc limit 1").fetchone()[0]
    filtered = {"entity": first, "also": second, "source": outlet, "since": FILTER_SINCE, "until": FILTER_UNTIL}
    cases.append(Case(f"two-entity search (the two most-named), biggest outlet, {FILTER_SINCE} to {FILTER_UNTIL}",
                      "/archive/articles_filtered?" + urllib.parse.urlencode(filtered)))
    cases.append(Case(f"search page (stored query `search`), `{term}`",
                      "/archive/search?" + urllib.parse.urlencode({"q": term})))
    # the journalist's search page (plugins/newsarchive_search.py), as its search box asks
    cases.append(Case(f"search page `/-/search`, `{term}`", "/archive/-/search?" + urllib.parse.urlencode({"q": term})))
    cases.append(Case("search page `/-/search`, `the` (in every article: capped)", "/archive/-/search?q=the"))
    cases.append(Case("search page `/-/search`, empty (newest articles)", "/archive/-/search"))
    first_id, second_id = (conn.execute("select id from entities where name = ?", [name]).fetchone()[0]
                           for name in (first, second))
    page_filtered = [("entity", first_id), ("entity", second_id), ("source", outlet),
                     ("since", FILTER_SINCE), ("until", FILTER_UNTIL)]
    cases.append(Case(f"search page `/-/search`, two entities, biggest outlet, {FILTER_SINCE} to {FILTER_UNTIL}",
                      "/archive/-/search?" + urllib.parse.urlencode(page_filtered)))
    return cases


def direct_connection(db_path: Path) -> sqlite3.Connection:
    """A plain read-only connection, immutable as Datasette's ``-i`` opens it."""
    return sqlite3.connect(f"file:{db_path}?immutable=1", uri=True, check_same_thread=False)


def measure(db_path: Path, runs: int, term: str) -> list[Case]:
    """Trace and time every case against one Datasette server and one plain connection."""
    if db_path.stem != "archive":  # Datasette names a database after its file; metadata.yml says "archive"
        raise SystemExit(f"{db_path}: the file must be called archive.db for the project's metadata to apply")
    inspect_file = db_path.with_suffix(".inspect.json")
    conn = direct_connection(db_path)
    cases = cases_for(conn, term)
    with datasette(db_path, inspect_file, {}) as base:
        for case in cases:
            traced_queries(base, case)
            time_requests(base, case, runs)
            time_direct(conn, case, runs)
            print(f"{case.name}: {summary(case)}", file=sys.stderr, flush=True)
    conn.close()
    return cases


def summary(case: Case) -> str:
    """One line of figures for the log."""
    return (f"datasette p50 {percentile(case.datasette_ms, 0.5):.1f} ms, direct p50 "
            f"{percentile(case.direct_ms, 0.5):.1f} ms, {len(case.queries)} queries, HTTP {case.status}")


def search_hits(db_path: Path, term: str) -> tuple[int, int, float]:
    """(articles matching ``term``, articles, ms for the bare FTS page query)."""
    conn = direct_connection(db_path)
    total = conn.execute("select count(*) from articles").fetchone()[0]
    hits = conn.execute("select count(*) from articles_fts where articles_fts match ?", [term]).fetchone()[0]
    sql = ("select id, title, published_at from articles where id in (select rowid from articles_fts "
           "where articles_fts match ?) order by published_at desc limit 51")
    samples = []
    for _ in range(WARMUP + 20):
        started = time.perf_counter()
        conn.execute(sql, [term]).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    conn.close()
    return hits, total, percentile(samples[WARMUP:], 0.5)


def report(db_path: Path, cases: list[Case], term: str, runs: int) -> str:
    """The BENCHMARKS.md section: build figures, then one row per page."""
    build_file = Path(f"{db_path}.build.json")
    build = json.loads(build_file.read_text()) if build_file.exists() else {}
    hits, total, bare_ms = search_hits(db_path, term)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [build_lines(build, db_path), "",
             f"Load average (1/5/15 min) when the report was written: {load} on {os.cpu_count()} cores "
             "(a shared machine: figures are upper bounds). Target: p95 <= "
             f"{TARGET_P95_MS} ms through Datasette for the entity page, co-occurrence, filtered search "
             "and search page.", "",
             f"Search term `{term}`: {hits:,} of {total:,} articles ({100 * hits / total:.2f}%); the bare "
             f"FTS page query (ids by `match`, newest 51) takes {bare_ms:.1f} ms p50 directly.", "",
             f"Each page: {runs} timed requests after {WARMUP} untimed; \"direct\" runs the very SQL "
             "Datasette's trace lists for that page, on a plain sqlite3 connection, one statement after "
             "another. A query Datasette interrupts at its time limit (facet 200 ms, suggestion 50 ms, "
             "SQL 3 s) leaves no trace entry, so it is missing from \"queries\" and from the direct "
             "column while its time-out still counts in Datasette's; a big ratio means time-outs.", "",
             "| page | queries | Datasette p50 / p95 ms | direct p50 / p95 ms | ratio p50 | HTTP |",
             "|---|---:|---:|---:|---:|---:|"]
    for case in cases:
        d50, d95 = percentile(case.datasette_ms, 0.5), percentile(case.datasette_ms, 0.95)
        s50, s95 = percentile(case.direct_ms, 0.5), percentile(case.direct_ms, 0.95)
        lines.append(f"| {case.name} | {len(case.queries)} | {d50:.1f} / {d95:.1f} | {s50:.1f} / {s95:.1f} | "
                     f"{d50 / s50 if s50 else float('nan'):.2f} | {case.status} |")
    return "\n".join(lines)


def build_lines(build: dict[str, Any], db_path: Path) -> str:
    """The generator's figures, from ``OUT.build.json``."""
    if not build:
        return f"(no build figures beside {db_path})"
    seconds = build["seconds"]
    phases = ", ".join(f"{k} {v:,.0f} s" for k, v in seconds.items() if k != "total")
    rss = build["peak_rss"]
    return (f"Synthetic archive (`python -m bench.synthetic OUT.db --articles {build['articles']} --seed "
            f"{build['seed']}`): {build['articles']:,} articles, {build['mentions']:,} mentions, "
            f"{build['entities']:,} entities, {build['sources']} sources; {build['file_gib']} GiB. "
            f"Built in {seconds['total']:,.0f} s ({phases}); FTS filled by `{build['fts_mode']}`. "
            f"Peak RSS: writer {rss['writer_mib']:,.0f} MiB, each generator process "
            f"{rss['generator_mib']:,.0f} MiB.")


def serve_with_whole_traces(argv: list[str]) -> None:
    """Run ``newsarchive.app.serve`` with ``?_trace=1`` working on any page size.

    Datasette's tracer gives up on bodies over 256 KB (and then cuts the
    response short); a page of 50 article texts is bigger than that.
    """
    import datasette.tracer

    from newsarchive.app import serve

    datasette.tracer.AsgiTracer.max_body_bytes = 1 << 30
    sys.argv = ["datasette", *argv]
    serve.main()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [SERVE_FLAG]:
        serve_with_whole_traces(argv[1:])
        return
    parser = argparse.ArgumentParser(
        description="Time Datasette pages on a synthetic archive. Example: python -m bench.scale /tmp/scale/archive.db")
    parser.add_argument("db", type=Path, help="an archive built by bench.synthetic")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--term", default=RARE_TERM)
    parser.add_argument("--no-report", action="store_true", help="print, but leave BENCHMARKS.md alone")
    parser.add_argument("--section", default="scale",
                        help="the BENCHMARKS.md section to write (default: scale, the 1M-article figures)")
    args = parser.parse_args(argv)
    cases = measure(args.db, args.runs, args.term)
    body = report(args.db, cases, args.term, args.runs)
    print(body)
    if not args.no_report:
        articles = json.loads(Path(f"{args.db}.build.json").read_text()).get("articles", 0) \
            if Path(f"{args.db}.build.json").exists() else 0
        write_section(args.section, f"Pages of a {articles:,}-article archive (issues 9, 20)", body)


if __name__ == "__main__":
    main()
