"""Run news-please's own command line against a served site, and time it.

This script runs inside the peers' virtualenv (``.venv-peers``, made by
:mod:`bench.peers`), never in the project's: it imports nothing of ours and
only the standard library, until it starts news-please as a child process.

It writes a news-please configuration directory (the package's own
``config.cfg`` with a few lines changed, and a ``sitelist.hjson`` naming the
site), runs ``news-please -c DIR`` with that directory, and prints one JSON
line with what it measured:

- ``seconds_to_exit``: from starting the command to its exit
- ``seconds_to_last_article``: from starting it to the newest article file
  (the CLI polls for finished crawlers only every 10 s, so its exit lags)
- ``articles_stored``: article JSON files written
- ``articles_with_text``: of those, the ones whose ``maintext`` is not empty

Usage: ``python bench/peers_newsplease_driver.py BASE_URL WORKDIR [--heuristics default]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

#: the site declares every feed item an article, as our sources file does with
#: ``article_pattern``; news-please's own switch for that is this heuristic
ALL_FEED_ITEMS_ARE_ARTICLES = {
    "overwrite_heuristics": {
        "crawler_contains_only_article_alikes": True,
        "og_type": False,
        "linked_headlines": False,
        "self_linked_headlines": False,
    },
    "pass_heuristics_condition": "crawler_contains_only_article_alikes",
}
#: (pattern, replacement) applied to news-please's packaged config.cfg
CONFIG_EDITS = (
    (r"(?m)^working_path = .*$", "working_path = {workdir}/"),
    # the same per-host concurrency as our crawl is given
    (r"(?m)^CONCURRENT_REQUESTS_PER_DOMAIN=.*$", "CONCURRENT_REQUESTS_PER_DOMAIN=16"),
    # newspaper4k would otherwise fetch every image a page names, from the
    # pages' original hosts, to pick a top image: network traffic off this
    # machine, and each fetch waits on a failing lookup. news-please ships this
    # extractor variant for that (``NewsPlease.from_html(fetch_images=False)``)
    (r"(?m)^extractors = \['newspaper_extractor',",
     "extractors = [('newspaper_extractor_no_images', 'NewspaperExtractorNoImages'),"),
)


def packaged_config() -> str:
    """news-please's own default ``config.cfg``, as installed."""
    import newsplease

    return (Path(newsplease.__file__).parent / "config" / "config.cfg").read_text(encoding="utf-8")


def write_config(config_dir: Path, workdir: Path, home_url: str, heuristics: str) -> None:
    """Write ``config.cfg`` and ``sitelist.hjson`` for one site crawled from its homepage.

    :param config_dir: the directory given to ``news-please -c``
    :param workdir: where news-please keeps its job state and article files
    :param home_url: the site's homepage; the RSS crawler finds the feed there
    :param heuristics: ``all-articles`` (every feed item is an article) or
        ``default`` (news-please decides, with its default heuristics)
    """
    config = packaged_config()
    for pattern, replacement in CONFIG_EDITS:
        config, count = re.subn(pattern, replacement.format(workdir=workdir), config)
        if count != 1:
            raise SystemExit(f"news-please's config.cfg changed shape: {pattern!r} matched {count} times")
    site: dict = {"url": home_url, "crawler": "RssCrawler"}
    if heuristics == "all-articles":
        site.update(ALL_FEED_ITEMS_ARE_ARTICLES)
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.cfg").write_text(config, encoding="utf-8")
    # JSON is valid hjson
    (config_dir / "sitelist.hjson").write_text(json.dumps({"base_urls": [site]}, indent=2), encoding="utf-8")


def news_please_command(config_dir: Path) -> list[str]:
    """The news-please command line, from this interpreter's environment."""
    script = Path(sys.executable).parent / "news-please"
    return [str(script), "-c", str(config_dir), "-no-confirm"]


def article_files(data_dir: Path) -> list[Path]:
    """The article JSON files news-please wrote."""
    return sorted(data_dir.rglob("*.json")) if data_dir.exists() else []


def has_text(path: Path) -> bool:
    """Whether an article file holds a non-empty ``maintext``."""
    try:
        return bool((json.loads(path.read_text(encoding="utf-8")).get("maintext") or "").strip())
    except (OSError, ValueError):
        return False


def item_errors(log_text: str) -> dict[str, int]:
    """The exceptions that cost news-please articles, by their message, counted.

    Scrapy logs ``Error processing`` for each item a pipeline failed on,
    followed by the traceback; its last line is the exception and message.
    """
    errors: dict[str, int] = {}
    for block in log_text.split("Error processing ")[1:]:
        last = [line for line in block.split("\n[", 1)[0].splitlines() if re.match(r"^\w+(Error|Exception)\b", line)]
        key = last[-1].strip() if last else "unknown error"
        errors[key] = errors.get(key, 0) + 1
    return errors


def run(base_url: str, workdir: Path, heuristics: str, timeout: float) -> dict:
    """Crawl ``base_url`` with news-please and measure it.

    :param base_url: ``http://HOST:PORT`` of the served site
    :param workdir: a fresh directory for this run
    :param heuristics: see :func:`write_config`
    :param timeout: seconds after which the run is stopped and reported as such
    """
    config_dir, data_dir = workdir / "config", workdir / "data"
    write_config(config_dir, workdir, base_url.rstrip("/") + "/", heuristics)
    log_path = workdir / "news-please.log"
    started_wall = time.time()
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(news_please_command(config_dir), stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # news-please answers SIGTERM by waiting for its crawler process,
            # so stop the whole group it started, crawler included
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = f"stopped after the {timeout:.0f}s time limit"
    seconds_to_exit = time.perf_counter() - started
    files = article_files(data_dir)
    newest = max((f.stat().st_mtime for f in files), default=started_wall)
    return {
        "exit": code,
        "seconds_to_exit": round(seconds_to_exit, 2),
        "seconds_to_last_article": round(newest - started_wall, 2),
        "articles_stored": len(files),
        "articles_with_text": sum(has_text(f) for f in files),
        "item_errors": item_errors(log_path.read_text(encoding="utf-8", errors="replace")),
        "log": str(log_path),
        "log_tail": log_path.read_text(encoding="utf-8", errors="replace")[-3000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="http://HOST:PORT of the served site")
    parser.add_argument("workdir", type=Path, help="a fresh directory for this run")
    parser.add_argument("--heuristics", choices=("all-articles", "default"), default="all-articles")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    print(json.dumps(run(args.base_url, args.workdir.resolve(), args.heuristics, args.timeout)))


if __name__ == "__main__":
    main()
