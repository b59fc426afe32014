"""Run one crawl in this process: ``python -m newsarchive.crawler.run``.

The command line starts this as a child process, so that each crawl gets a
fresh Twisted reactor and a crash or kill of the crawl never takes the caller
with it.
"""

from __future__ import annotations

import argparse
import os
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsarchive.archive.errors import one_line
from newsarchive.archive.guard import check_warc_folder
from newsarchive.archive.lock import ArchiveLock, LockHeld
from newsarchive.archive.store import Store
from newsarchive.crawler import settings as default_settings
from newsarchive.crawler.overrides import parse_overrides
from newsarchive.archive.sources import SourcesError, load_sources
from newsarchive.crawler.spiders.news import NewsSpider


def crawl_settings(db_path: str, overrides: dict[str, str] | None = None, allow_private: bool = False) -> Settings:
    """Our Scrapy settings with the archive path and any overrides.

    :param allow_private: let the crawl connect to loopback and private addresses
        (:mod:`newsarchive.crawler.resolver` refuses them otherwise)
    """
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("NEWSARCHIVE_DB", db_path, priority="cmdline")
    settings.set("NEWSARCHIVE_ALLOW_PRIVATE", allow_private, priority="cmdline")
    if contact := os.environ.get("NEWSARCHIVE_CONTACT"):
        settings.set("NEWSARCHIVE_CONTACT", contact, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    if "USER_AGENT" not in (overrides or {}):
        contact = settings.get("NEWSARCHIVE_CONTACT")
        settings.set("USER_AGENT", settings.get("USER_AGENT_TEMPLATE").format(contact=contact), priority="cmdline")
    return settings


def run_crawl(sources_path: str, db_path: str, names: list[str], allow_private: bool,
              overrides: dict[str, str] | None = None, redis_url: str | None = None) -> int:
    """Crawl the named sources (all when ``names`` is empty); 0 on success.

    :param redis_url: run as one worker of a distributed crawl
        (:mod:`newsarchive.crawler.distributed`): no archive here, pages go to Redis
    """
    sources = load_sources(sources_path, allow_private=allow_private)
    if names:
        unknown = sorted(set(names) - {s.name for s in sources})
        if unknown:
            raise SourcesError(f"{sources_path}: no source named {', '.join(map(repr, unknown))}")
        sources = [s for s in sources if s.name in names]
    if redis_url:
        from newsarchive.crawler.distributed import distributed_settings  # scrapy-redis only when asked for

        settings = crawl_settings(db_path, overrides, allow_private)
        settings.setdict(distributed_settings(redis_url), priority="cmdline")
        process = CrawlerProcess(settings, install_root_handler=True)
        process.crawl(NewsSpider, sources=sources)
        process.start()
        return 0
    settings = crawl_settings(db_path, overrides, allow_private)
    if settings.get("NEWSARCHIVE_WARC_DIR"):
        check_warc_folder(settings.get("NEWSARCHIVE_WARC_DIR"), db_path)
    with ArchiveLock(db_path, "crawl"):
        with Store(db_path) as store:
            store.close_interrupted_crawls()
        process = CrawlerProcess(settings, install_root_handler=True)
        process.crawl(NewsSpider, sources=sources)
        process.start()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsarchive.crawler.run")
    parser.add_argument("--sources", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--allow-private", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--redis", default=None, metavar="redis://HOST:PORT")
    args = parser.parse_args(argv)
    try:
        overrides = parse_overrides(args.set)
        return run_crawl(args.sources, args.db, args.source, args.allow_private, overrides, args.redis)
    except LockHeld as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # a bad path, a read-only disk, a file that is not an archive: one line
        message = one_line(exc)
        if message is None:
            raise
        print(f"Error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
