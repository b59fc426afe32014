"""The ``newsarchive`` command line: a thin layer over the library.

Each command parses its options and calls one typed function, mostly of
:mod:`newsarchive.app.orchestrate`; none holds logic of its own. Options that several
commands share are decorators in :mod:`newsarchive.app.cli_options`, so a default is
written once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click
from tqdm import tqdm

from newsarchive.app import orchestrate
from newsarchive.app.cli_options import (OneLineErrors, allow_private_option, analysis_options, db_option,
                                         echo_analysis, echo_err, model_option, one_line_errors,
                                         processes_option, sources_option)
from newsarchive.app.orchestrate import CrawlJob
from newsarchive.app.publish import datasette_command
from newsarchive.archive import paths
from newsarchive.archive.recheck import parse_duration
from newsarchive.archive.warc_read import looks_like_archive

DEMO_SITE_PORT = 8101  # the demo outlets are served from here up


@click.group(cls=OneLineErrors)
@click.version_option(package_name="newsarchive")
def cli():
    """Crawl news sites, extract articles and entities, and publish the
    archive with Datasette.

    Example:

        newsarchive demo
    """


@cli.command()
@sources_option
@allow_private_option
def sources(sources_path, allow_private):
    """Check a sources file and list its sources.

    Example:

        newsarchive sources --sources data/sources.yml
    """
    with one_line_errors():
        loaded = orchestrate.read_sources(sources_path, allow_private)
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
@allow_private_option
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--no-process", is_flag=True, help="Crawl only; leave entity extraction for later.")
@click.option("--redis", "redis_url", metavar="redis://HOST:PORT",
              help="Run as one worker of a distributed crawl sharing this Redis (see 'load').")
@processes_option
def crawl(sources_path, db_path, model, names, allow_private, overrides, no_process, redis_url, processes):
    """Crawl the sources (feeds, sitemaps, sections and known articles due
    for a recheck) into the archive; entities are extracted from the new
    articles while the crawl goes on.

    Example:

        newsarchive crawl --source "Daily Ledger"
    """
    job = CrawlJob(sources_path, db_path, names, allow_private, overrides, redis_url)
    with one_line_errors():
        if redis_url:
            orchestrate.run_crawl(job, echo_err)
            click.echo("worker finished: the shared queue is empty")
            return
        if no_process:
            orchestrate.run_crawl(job, echo_err)
        else:
            analysis = analysis_options(model, processes)
            started = time.perf_counter()
            result = orchestrate.crawl_and_analyse(job, analysis, echo_err)
        for line in orchestrate.crawl_summary(job.db_path):
            click.echo(line)
        if not no_process:
            echo_analysis(result, time.perf_counter() - started)


@cli.command()
@sources_option
@db_option
@model_option
@click.option("--redis", "redis_url", required=True, metavar="redis://HOST:PORT",
              help="The Redis the crawler workers hand their pages to.")
@click.option("--idle", default=30.0, show_default=True,
              help="Stop after this many seconds without a page (0: never).")
@allow_private_option
@click.option("--no-process", is_flag=True, help="Load only; leave entity extraction for 'process'.")
@processes_option
def load(sources_path, db_path, model, redis_url, idle, allow_private, no_process, processes):
    """Write the pages fetched by distributed crawler workers into the
    archive (the one writer), extracting entities as they arrive.

    Example:

        newsarchive load --redis redis://127.0.0.1:6379 --idle 60
    """
    analysis = None if no_process else analysis_options(model, processes)
    with one_line_errors():
        result = orchestrate.load(sources_path, db_path, redis_url, analysis, echo_err, idle, allow_private)
    click.echo(f"loaded {result.pages} pages")
    if result.skipped:
        click.echo(f"{result.skipped} record(s) of the hand-over list were not pages and were skipped", err=True)


@cli.command()
@sources_option
@db_option
@model_option
@click.option("--every", required=True, help="Interval between crawl starts: 30s, 15m, 1h, 1d.")
@click.option("--source", "names", multiple=True, help="Crawl only this source (repeatable).")
@allow_private_option
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--max-runs", type=int, default=None, help="Stop after this many crawls.")
@processes_option
def schedule(sources_path, db_path, model, every, names, allow_private, overrides, max_runs, processes):
    """Crawl (and process) again and again, one crawl at a time, until
    stopped with SIGTERM or Ctrl-C (the crawl in progress finishes cleanly).

    Example:

        newsarchive schedule --every 30m
    """
    try:
        interval = parse_duration(every).total_seconds()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    job = CrawlJob(sources_path, db_path, names, allow_private, overrides)
    with one_line_errors():
        runs = orchestrate.schedule(job, analysis_options(model, processes), interval, echo_err, max_runs)
    click.echo(f"schedule stopped after {runs} run(s)")


@cli.command()
@db_option
@model_option
@click.option("--batch-size", default=64, show_default=True, help="Articles per transaction.")
@processes_option
def process(db_path, model, batch_size, processes):
    """Extract entities from every article that has none yet (or that were
    made with another model).

    Example:

        newsarchive process --processes 2
    """
    started = time.perf_counter()
    with one_line_errors():
        result = orchestrate.process(db_path, analysis_options(model, processes, batch_size))
    echo_analysis(result, time.perf_counter() - started)


def _warc_dir_option(fn):
    return click.option("--warc-dir", type=click.Path(file_okay=False), default=None,
                        help="Where the WARC captures are (default: warc/ beside the archive).")(fn)


def _rebuild(db_path, model, files, selection, sources_path, processes):
    total = sum(Path(f).stat().st_size for f in files)
    started = time.perf_counter()
    with one_line_errors(), tqdm(total=total, unit="B", unit_scale=True, desc="WARC read", disable=None) as bar:
        result = orchestrate.rebuild_from_warc(
            db_path, [Path(f) for f in files], selection, sources_path, analysis_options(model, processes),
            progress=bar.update, on_failure=lambda url, error: bar.write(f"Error: {url}: {error}", file=sys.stderr),
            on_problem=lambda problem: bar.write(f"Skipped: {problem}", file=sys.stderr))
    seconds = time.perf_counter() - started
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(result.outcomes.items()))
    skipped = f"; {len(result.skipped)} record(s) skipped" if result.skipped else ""
    click.echo(f"{result.records} pages in {seconds:.1f}s ({result.records / max(seconds, 1e-9):.1f}/s): "
               f"{summary or 'nothing'}{skipped}")
    if result.failed:
        click.echo(f"{len(result.failed)} page(s) failed; see the errors above", err=True)
    if not result.read and not any(looks_like_archive(f) for f in files):
        raise click.ClickException("nothing could be read: no WARC or ARC record in " + ", ".join(map(str, files)))


@cli.command()
@db_option
@model_option
@sources_option
@_warc_dir_option
@click.option("--since", help="Only pages fetched on or after this date (YYYY-MM-DD).")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@processes_option
def reprocess(db_path, model, sources_path, warc_dir, since, names, processes):
    """Rebuild articles, entities and mentions from the WARC captures, with no
    network (after a new extractor, rules or model). Safe to interrupt and
    run again.

    Example:

        newsarchive reprocess --processes 2 --since 2023-07-01
    """
    from newsarchive.archive.warc import warc_dir_for, warc_files
    from newsarchive.stages.reprocess import Selection

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
@processes_option
def import_warc(files, db_path, model, sources_path, processes):
    """Build or extend the archive from WARC files made by other tools (wget
    --warc-file, Heritrix, Browsertrix, Common Crawl). HTML responses become
    articles when they declare themselves articles or are long enough; a
    page's source is the sources.yml entry for its host, else the host.

    Example:

        newsarchive import-warc crawl.warc.gz
    """
    from newsarchive.archive.warc_read import is_arc
    from newsarchive.stages.reprocess import Selection

    readable = [f for f in files if looks_like_archive(f) or is_arc(Path(f))]
    if not readable:  # nothing to read: the summary and one error line, and no archive is made
        click.echo("0 pages in 0.0s (0.0/s): nothing")
        raise click.ClickException(f"nothing could be read: {', '.join(files)}: not a WARC file "
                                   "(it does not begin with a WARC or ARC record)")
    _rebuild(db_path, model, [Path(f) for f in files], Selection(foreign=True), sources_path, processes)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write (default: standard output); never the archive or its files.")
@click.option("--since", help="Only articles published (or first seen) on or after this date.")
def export(db_path, fmt, output, since):
    """Export the articles, one JSON object per line, with their metadata and
    entities.

    Example:

        newsarchive export --format jsonl -o articles.jsonl
    """
    from newsarchive.app.export import export_to

    written = export_to(db_path, output, since)
    click.echo(f"{written} articles exported", err=True)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--max-mb", default=10.0, show_default=True, help="Refuse files bigger than this (megabytes).")
@model_option
def entities(path, as_json, max_mb, model):
    """List the entities named in a text or HTML file (HTML goes through
    article extraction first).

    Example:

        newsarchive entities story.txt --json
    """
    from tqdm import tqdm

    from newsarchive.app.textinput import entities_of_long_text, read_text_file
    from newsarchive.nlp.entities.extract import analysis_text, entity_to_dict, load_nlp
    from newsarchive.nlp.extraction.core import extract_article

    text = read_text_file(path, max_mb)  # binary or too big: one line, before the model loads
    if Path(path).suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
        article = extract_article(Path(path).read_bytes())  # bytes: the page's own charset decides
        if article.extraction_status != "ok":
            raise click.ClickException(f"{path}: no article text ({article.extraction_status})")
        text = analysis_text(article.title, article.text)
    with tqdm(total=len(text), unit="char", unit_scale=True, desc="entities",
              disable=len(text) < 1_000_000 or None) as bar:  # progress on large inputs
        found = [entity_to_dict(e) for e in entities_of_long_text(text, load_nlp(model), bar.update)]
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
    from newsarchive.archive.store import Store

    Store(db_path, readonly=True).close()  # not an archive, or a newer one: one line, not Datasette's traceback
    command = datasette_command(db_path, host, port, metadata, immutable)
    click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
    sys.stderr.flush()
    os.execv(command[0], command)  # become Datasette: signals reach it directly


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
@processes_option
def demo(db_path, site, port, serve, model, processes):
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
        job = CrawlJob(str(sources_path), db_path, (), True, overrides)
        started = time.perf_counter()
        with one_line_errors():
            result = orchestrate.crawl_and_analyse(job, analysis_options(model, processes), echo_err)
        for line in orchestrate.crawl_summary(job.db_path):
            click.echo(line)
        echo_analysis(result, time.perf_counter() - started)
        if serve:
            command = datasette_command(db_path, "127.0.0.1", port, paths.METADATA, False)
            click.echo(f"Archive ready: http://127.0.0.1:{port}/  (the search home page; Ctrl-C stops)")
            raise SystemExit(subprocess.call(command))
