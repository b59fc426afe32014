"""Crawl-and-extract speed beside a peer: news-please (or newspaper4k) and us,
on the same 181 pages served over HTTP from 127.0.0.1.

``python -m bench.peers [--runs N]`` serves the article-extraction-benchmark
corpus with :mod:`bench.corpus_site` (a homepage, an RSS feed, a sitemap and
robots.txt over the 181 pages) and, in each run:

1. crawls it with news-please's own command line (``news-please -c DIR``),
   RssCrawler from the homepage, in a virtualenv of its own (``.venv-peers``,
   made here on first use; news-please pins its own Scrapy, lxml and
   newspaper4k, which must not touch the project's). See
   ``bench/peers_newsplease_driver.py`` for how it is configured and timed;
2. crawls it with ``newsarchive crawl`` from a sources file naming the feed,
   twice: ``--no-process`` (fetch, capture, trafilatura, SQLite: the work
   news-please does too) and the full crawl (the same plus spaCy entities).

Why news-please's command line and not ``NewsPlease.from_url(s)``: the CLI is
its Scrapy crawler, which finds the feed on the homepage, obeys robots.txt,
fetches concurrently and runs its extraction pipeline and storage, as our crawl
does; ``from_url(s)`` downloads a given list of URLs without any discovery, and
``from_html`` does no crawling at all.

When news-please cannot be installed or run, the error is kept and newspaper4k
(``newspaper.build`` on the homepage) is measured instead, the same way.

A rate is articles with non-empty text divided by wall-clock seconds from the
start of the command to its last article stored (for ours, to its exit: a
bound that can only favour the peer). Figures go to ``BENCHMARKS.md``
(section ``peers``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus_site import CORPUS_DIR, serve_corpus
from bench.report import write_section

ROOT = Path(__file__).resolve().parent.parent
PEERS_VENV = ROOT / ".venv-peers"
OUR_CLI = ROOT / ".venv" / "bin" / "newsarchive"
#: peer name -> (the pip requirement, its driver script), in the order tried
PEERS = {
    "news-please": ("news-please", ROOT / "bench" / "peers_newsplease_driver.py"),
    "newspaper4k": ("newspaper4k", ROOT / "bench" / "peers_newspaper4k_driver.py"),
}
#: the Scrapy settings our crawl is given: no politeness delay on our own
#: loopback site, robots.txt still obeyed (news-please obeys it too)
OUR_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                "ROBOTSTXT_OBEY=True")
RUN_TIMEOUT = 900.0


@dataclass
class Measure:
    """One tool's crawl of the site, once."""

    tool: str
    how: str
    articles: int = 0
    seconds: float | None = None  # start to last article
    seconds_to_exit: float | None = None
    error: str | None = None
    item_errors: dict[str, int] = field(default_factory=dict)  # what cost articles, counted

    @property
    def rate(self) -> float | None:
        """Articles with text per second, start to last article."""
        return self.articles / self.seconds if self.seconds else None


@dataclass
class PeerSetup:
    """Whether a peer could be installed, and why not."""

    name: str
    python: Path | None = None
    version: str | None = None
    errors: list[str] = field(default_factory=list)


# the peers' virtualenv ----------------------------------------------------------


def venv_python(venv: Path = PEERS_VENV) -> Path:
    """The interpreter of the peers' virtualenv."""
    return venv / "bin" / "python"


def installed_version(python: Path, distribution: str) -> str | None:
    """The version of ``distribution`` installed for ``python``, if any."""
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_peer(name: str, venv: Path = PEERS_VENV) -> PeerSetup:
    """Make the peers' virtualenv and install ``name`` into it, unless there.

    :param name: a key of :data:`PEERS`
    :param venv: the virtualenv's folder (never the project's own)
    :returns: the setup, with the error text when a step failed
    """
    setup = PeerSetup(name)
    requirement = PEERS[name][0]
    python = venv_python(venv)
    steps = []
    if not python.exists():
        steps.append([sys.executable, "-m", "venv", "--clear", str(venv)])
    if not python.exists() or installed_version(python, requirement) is None:
        steps.append([str(python), "-m", "pip", "install", "--quiet", requirement])
    for step in steps:
        print("peers:", " ".join(step), flush=True)
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            setup.errors.append(f"`{' '.join(step)}` failed: {(done.stderr or done.stdout).strip()[-1500:]}")
            return setup
    setup.python, setup.version = python, installed_version(python, requirement)
    return setup


# the peer's run -------------------------------------------------------------------


def run_peer(setup: PeerSetup, base_url: str, workdir: Path) -> Measure:
    """Crawl the site once with the peer's driver, in the peers' virtualenv.

    :param setup: an installed peer
    :param base_url: the served site
    :param workdir: a fresh folder for the run
    """
    driver = PEERS[setup.name][1]
    how = {"news-please": "CLI, RssCrawler from the homepage",
           "newspaper4k": "newspaper.build(homepage), download, parse"}[setup.name]
    measure = Measure(f"{setup.name} {setup.version}", how)
    # -P: the driver's folder (bench/) is not put first on sys.path, so that our modules
    # there cannot shadow the peer's dependencies (a bench/incremental.py, since renamed
    # recrawl.py, once hid Twisted's "incremental" package from news-please)
    command = [str(setup.python), "-P", str(driver), base_url, str(workdir), "--timeout", str(RUN_TIMEOUT)]
    if setup.name != "news-please":
        command = command[:-2]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT + 60)
    except subprocess.TimeoutExpired:
        measure.error = f"no answer from the driver in {RUN_TIMEOUT + 60:.0f}s"
        return measure
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        measure.error = f"driver exit {done.returncode}: {done.stderr.strip()[-1500:]}"
        return measure
    result = json.loads(lines[-1])
    measure.articles = result["articles_with_text"]
    measure.seconds, measure.seconds_to_exit = result["seconds_to_last_article"], result["seconds_to_exit"]
    measure.item_errors = result.get("item_errors", {})
    if result["exit"] != 0 or not measure.articles:
        measure.error = f"exit {result['exit']}; {result['articles_stored']} articles stored; " \
                        f"log ends: {result.get('log_tail', '')[-1500:]}"
    return measure


# our own run --------------------------------------------------------------------


def our_cli_works() -> str | None:
    """``None`` when ``newsarchive crawl`` can be run here, else why not."""
    if not OUR_CLI.exists():
        return f"{OUR_CLI} is missing"
    done = subprocess.run([str(OUR_CLI), "crawl", "--help"], capture_output=True, text=True)
    if done.returncode != 0 or "--allow-private" not in done.stdout:
        return f"`newsarchive crawl --help` failed: {(done.stderr or done.stdout).strip()[-800:]}"
    return None


def write_sources(base_url: str, path: Path) -> Path:
    """A sources file with the served site as its one source.

    :param base_url: the served site
    :param path: where to write it
    """
    path.write_text(
        "sources:\n"
        "  - name: Benchmark corpus\n"
        f"    homepage: {base_url}/\n"
        "    feeds: [/feed.xml]\n"
        "    article_pattern: '^/articles/'\n",
        encoding="utf-8",
    )
    return path


def count_articles(db_path: Path) -> int:
    """Articles with non-empty text in an archive.

    :param db_path: the SQLite archive
    """
    with sqlite3.connect(db_path) as db:
        return db.execute("select count(*) from articles where trim(coalesce(text, '')) != ''").fetchone()[0]


def logged_exceptions(log: str) -> dict[str, int]:
    """The exceptions a log's tracebacks end with, counted: a crawl that exits 0
    can still have lost a page to one."""
    found: dict[str, int] = {}
    for line in log.splitlines():
        if re.match(r"^[\w.]+(Error|Exception): ", line):
            found[line.strip()] = found.get(line.strip(), 0) + 1
    return found


def run_ours(base_url: str, workdir: Path, process: bool) -> Measure:
    """Crawl the site once with ``newsarchive crawl`` into a fresh archive.

    :param base_url: the served site
    :param workdir: a fresh folder for the run
    :param process: also extract entities (the full crawl); else ``--no-process``
    """
    db_path = workdir / "archive.db"
    command = [str(OUR_CLI), "crawl", "--sources", str(write_sources(base_url, workdir / "sources.yml")),
               "--db", str(db_path), "--allow-private"]
    for setting in OUR_SETTINGS:
        command += ["--set", setting]
    how = "crawl (with spaCy entities)" if process else "crawl --no-process (no entities)"
    if not process:
        command.append("--no-process")
    measure = Measure("newsarchive", how)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=workdir)
    except subprocess.TimeoutExpired:
        measure.error = f"stopped after {RUN_TIMEOUT:.0f}s"
        return measure
    measure.seconds = measure.seconds_to_exit = round(time.perf_counter() - started, 2)
    if done.returncode != 0:
        measure.error = f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-1500:]}"
    measure.item_errors = logged_exceptions(done.stderr)
    if db_path.exists():
        measure.articles = count_articles(db_path)
    return measure


# the benchmark ----------------------------------------------------------------------


def measure_peer(base_url: str, scratch: Path, run: int, only: str | None,
                 setups: list[PeerSetup]) -> Measure | None:
    """Run the first peer that installs and runs; keep every failure in ``setups``.

    :param base_url: the served site
    :param scratch: the benchmark's scratch folder
    :param run: the run's number, naming its folders
    :param only: a peer name to use alone, or ``None`` for news-please then newspaper4k
    :param setups: the peers tried so far (reused across runs, failures recorded)
    """
    for name in [only] if only else list(PEERS):
        setup = next((s for s in setups if s.name == name), None)
        if setup is None:
            setup = ensure_peer(name)
            setups.append(setup)
        if setup.python is None:
            continue
        workdir = scratch / f"{name}-{run}"
        workdir.mkdir()
        measure = run_peer(setup, base_url, workdir)
        if measure.error is None:
            return measure
        setup.errors.append(f"run {run}: {measure.error}")
        if measure.articles:
            return measure  # it ran, with a problem worth reporting, but it ran
    return None


def median_measure(measures: list[Measure]) -> Measure:
    """One tool's runs, summed up by the median time of those that did not fail."""
    done = [m for m in measures if m.seconds and not m.error] or [m for m in measures if m.seconds]
    if not done:
        return measures[-1]
    best = sorted(done, key=lambda m: m.seconds)[len(done) // 2]
    return Measure(best.tool, best.how, best.articles, statistics.median(m.seconds for m in done),
                   statistics.median(m.seconds_to_exit or m.seconds for m in done), best.error,
                   best.item_errors)


def table(rows: list[Measure], total: int) -> str:
    """The side-by-side figures, as markdown."""
    lines = ["| tool | how | articles with text | s to last article | s to exit | articles/s |",
             "|---|---|---:|---:|---:|---:|"]
    for m in rows:
        rate = f"{m.rate:.2f}" if m.rate else "—"
        seconds = f"{m.seconds:.1f}" if m.seconds else "—"
        to_exit = f"{m.seconds_to_exit:.1f}" if m.seconds_to_exit else "—"
        lines.append(f"| {m.tool} | {m.how} | {m.articles} / {total} | {seconds} | {to_exit} | {rate} |")
    return "\n".join(lines)


def per_run_seconds(results: dict[tuple[str, str], list[Measure]]) -> str:
    """Each tool's seconds in every run, so ratios within one run can be read."""
    return "; ".join(
        f"{tool} {how}: " + ", ".join(
            (f"{m.seconds:.1f}" if m.seconds else "—") + (" (failed)" if m.error else "") for m in measures)
        for (tool, how), measures in results.items()
    )


def failures(results: dict[tuple[str, str], list[Measure]]) -> list[str]:
    """One line per failed run: the tool, the run and the exception it ended on."""
    lines = []
    for (tool, how), measures in results.items():
        for run, m in enumerate(measures, 1):
            if m.error:
                last = list(m.item_errors)[-1] if m.item_errors else m.error.strip().splitlines()[-1]
                lines.append(f"{tool} ({how}) run {run} failed after {m.seconds}s, "
                             f"{m.articles} articles: `{last[:300]}`")
    return lines


def report_body(rows: list[Measure], setups: list[PeerSetup], total: int, runs: int,
                our_problem: str | None, per_run: str = "", failed: list[str] | None = None) -> str:
    """The section written to ``BENCHMARKS.md``."""
    parts = [
        f"The {total} pages of `article-extraction-benchmark`, served on 127.0.0.1 by `bench/corpus_site.py` "
        "(homepage, RSS feed, sitemap, robots.txt), crawled end to end by each tool; "
        f"median of {runs} run(s). articles/s = articles with non-empty text / seconds from the "
        "command's start to its last article stored (ours: to its exit). news-please runs its own CLI in `.venv-peers` "
        "(RssCrawler from the homepage, every feed item taken as an article, images not fetched, "
        "16 requests per host, as ours); its CLI checks for finished crawlers every 10 s, hence "
        "its later exit.",
        "",
        table(rows, total),
    ]
    if per_run:
        parts += ["", f"Seconds in each run, in order: {per_run}."]
    for line in failed or []:
        parts += ["", line]
    for setup in setups:
        for error in setup.errors:
            parts += ["", f"{setup.name}: {error.strip()}"]
    if our_problem:
        parts += ["", f"newsarchive: not measured: {our_problem}"]
    for m in rows:
        if m.error:
            parts += ["", f"{m.tool} ({m.how}): {m.error}"]
        for message, count in m.item_errors.items():
            parts += ["", f"{m.tool} ({m.how}): logged {count} time(s): `{message}`"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of each tool; the median is reported")
    parser.add_argument("--peer", choices=list(PEERS), default=None,
                        help="measure this peer only (default: news-please, newspaper4k if it cannot run)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if not (CORPUS_DIR / "html").is_dir():
        raise SystemExit(f"the corpus is not at {CORPUS_DIR}")
    server, base_url, urls = serve_corpus()
    scratch = Path(tempfile.mkdtemp(prefix="newsarchive-peers-"))
    print(f"serving {len(urls)} articles at {base_url}/; scratch {scratch}", flush=True)
    setups: list[PeerSetup] = []
    our_problem = our_cli_works()
    results: dict[tuple[str, str], list[Measure]] = {}
    try:
        for run in range(1, args.runs + 1):
            measures = [measure_peer(base_url, scratch, run, args.peer, setups)]
            if our_problem is None:
                for process in (False, True):
                    workdir = scratch / f"ours-{'full' if process else 'crawl'}-{run}"
                    workdir.mkdir()
                    measures.append(run_ours(base_url, workdir, process))
            for m in filter(None, measures):
                results.setdefault((m.tool, m.how), []).append(m)
                print(f"run {run}: {m.tool} ({m.how}): {m.articles} articles in {m.seconds}s"
                      + (f"; problem: {m.error[:300]}" if m.error else ""), flush=True)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(scratch, ignore_errors=True)
    rows = [median_measure(ms) for ms in results.values()]
    print(table(rows, len(urls)))
    print("seconds per run:", per_run_seconds(results))
    print("\n".join(failures(results)))
    body = report_body(rows, setups, len(urls), args.runs, our_problem, per_run_seconds(results),
                       failures(results))
    if not args.no_write:
        write_section("peers", "Crawl and extract beside a peer (news-please)", body)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
