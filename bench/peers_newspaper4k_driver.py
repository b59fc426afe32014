"""Crawl a served site with newspaper4k's own site crawler, and time it.

The fallback peer of :mod:`bench.peers`, for when news-please cannot run.
This script runs inside the peers' virtualenv (``.venv-peers``), never in the
project's, and imports nothing of ours.

newspaper4k crawls a news site through ``newspaper.build(homepage)``: it reads
the homepage, finds its categories and feeds, and makes its article list from
their links (keeping those its URL heuristics take for articles); then
``download_articles`` fetches them (threaded) and ``parse`` extracts each.
Images are not fetched: newspaper4k would otherwise ask each page's original
hosts for them, which is traffic off this machine.

Prints one JSON line: ``seconds_to_exit`` (build + download + parse),
``articles_stored`` (articles it listed), ``articles_with_text`` (parsed to a
non-empty text).

Usage: ``python bench/peers_newspaper4k_driver.py BASE_URL WORKDIR``
"""

from __future__ import annotations

import argparse
import json
import time
from importlib.metadata import version
from pathlib import Path

#: newspaper4k's download threads: the same per-host concurrency our crawl gets
THREADS = 16


def offline_suffix_list() -> None:
    """Make tldextract (which newspaper4k uses) read its bundled Public Suffix
    List instead of first trying to download a fresh one."""
    from tldextract import tldextract

    tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


def crawl(home_url: str) -> dict:
    """Build, download and parse the site at ``home_url``; measure it.

    :param home_url: the site's homepage
    """
    offline_suffix_list()
    import newspaper

    started = time.perf_counter()
    source = newspaper.build(home_url, memoize_articles=False, fetch_images=False,
                             number_threads=THREADS, language="en")
    source.download_articles()
    with_text = 0
    for article in source.articles:
        try:
            article.parse()
        except Exception:  # one page it cannot parse is one article fewer, not a failed run
            continue
        with_text += bool((article.text or "").strip())
    return {
        "exit": 0,
        "version": version("newspaper4k"),
        "seconds_to_exit": round(time.perf_counter() - started, 2),
        "articles_stored": len(source.articles),
        "articles_with_text": with_text,
        "feeds_found": [feed.url for feed in source.feeds],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="http://HOST:PORT of the served site")
    parser.add_argument("workdir", type=Path, help="unused; kept for the same command line as news-please's")
    args = parser.parse_args()
    result = crawl(args.base_url.rstrip("/") + "/")
    result["seconds_to_last_article"] = result["seconds_to_exit"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
