"""Crawls through a real HTTP server on 127.0.0.1: robots.txt, conditional
requests, revisions, gone pages, the recheck schedule, the page budget."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner

from newsarchive.app.cli import cli
from newsarchive.app.demosite import serve_directory

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2023-07-28T09:00:00+00:00">
</head><body><nav>Home | World | Sport</nav><article><h1>{title}</h1>
<p>{body}</p>
<p>The second paragraph of this report adds enough words for the extractor to keep it as an article body.</p>
</article><footer>Copyright Test Gazette</footer></body></html>"""


def write_article(root: Path, name: str, title: str, body: str) -> None:
    (root / "news").mkdir(parents=True, exist_ok=True)
    (root / "news" / name).write_text(PAGE.format(title=title, body=body), encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    write_article(root, "a.html", "Alpha report", "Officials confirmed the alpha incident on Friday morning in the capital.")
    write_article(root, "b.html", "Bravo report", "Investigators said the bravo failure began with a single mistyped address.")
    write_article(root, "secret.html", "Secret draft", "EMBARGOED text that robots.txt forbids us to fetch.")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /news/secret.html\n")
    items = "".join(f"<item><title>{n}</title><link>__BASE__/news/{n}.html?utm_source=rss</link></item>"
                    for n in ("a", "b", "secret"))
    (root / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    server = serve_directory(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = tmp_path / "sources.yml"
    sources.write_text(yaml.safe_dump({"sources": [{
        "name": "Test Gazette", "homepage": base + "/", "feeds": ["/feed.xml"],
        "article_pattern": "^/news/",
    }]}))
    yield root, server, sources, tmp_path / "archive.db"
    server.shutdown()
    server.server_close()


def crawl(sources: Path, db: Path, *extra: str) -> None:
    args = ["crawl", "--sources", str(sources), "--db", str(db), "--allow-private", "--no-process",
            "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def last_crawl(db: Path) -> dict:
    return next(sqlite_utils.Database(db)["crawls"].rows_where(order_by="id desc", limit=1))


ALWAYS = ("--set", "NEWSARCHIVE_RECHECK=*:0s")


def test_robots_txt_is_obeyed(site):
    root, server, sources, db = site
    crawl(sources, db)
    assert "/robots.txt" in server.paths
    assert not any("secret" in p for p in server.paths)
    titles = {r["title"] for r in sqlite_utils.Database(db)["articles"].rows}
    assert titles == {"Alpha report", "Bravo report"}


def test_tracking_parameters_do_not_make_new_articles(site):
    root, server, sources, db = site
    crawl(sources, db)
    urls = [r["url"] for r in sqlite_utils.Database(db)["articles"].rows]
    assert all("utm_" not in u for u in urls) and len(urls) == 2


def test_unchanged_pages_answer_304_and_only_move_last_seen(site):
    root, server, sources, db = site
    crawl(sources, db)
    before = {r["id"]: r["last_seen"] for r in sqlite_utils.Database(db)["articles"].rows}
    crawl(sources, db, *ALWAYS)
    row = last_crawl(db)
    assert (row["not_modified"], row["articles_new"], row["articles_updated"]) == (2, 0, 0)
    after = {r["id"]: r["last_seen"] for r in sqlite_utils.Database(db)["articles"].rows}
    assert after.keys() == before.keys()
    assert all(after[k] >= before[k] for k in before)


def test_changed_article_becomes_a_revision(site):
    root, server, sources, db = site
    crawl(sources, db)
    write_article(root, "b.html", "Bravo report", "Investigators now say the bravo failure began with two mistyped addresses.")
    crawl(sources, db, *ALWAYS)
    assert last_crawl(db)["articles_updated"] == 1
    archive = sqlite_utils.Database(db)
    bravo = next(archive["articles"].rows_where("title = ?", ["Bravo report"]))
    assert bravo["revision"] == 2 and "two mistyped addresses" in bravo["text"]
    texts = [r["text"] for r in archive["revisions"].rows_where("article_id = ?", [bravo["id"]], order_by="revision")]
    assert "a single mistyped address" in texts[0] and "two mistyped addresses" in texts[1]


def test_page_that_turns_404_is_marked_gone_not_deleted(site):
    root, server, sources, db = site
    crawl(sources, db)
    (root / "news" / "a.html").unlink()
    crawl(sources, db, *ALWAYS)
    assert last_crawl(db)["gone"] == 1
    alpha = next(sqlite_utils.Database(db)["articles"].rows_where("title = ?", ["Alpha report"]))
    assert alpha["status"] == "gone" and "alpha incident" in alpha["text"]


def test_default_schedule_does_not_refetch_what_was_just_fetched(site):
    root, server, sources, db = site
    crawl(sources, db)
    fetched = len([p for p in server.paths if p.startswith("/news/")])
    crawl(sources, db)
    assert len([p for p in server.paths if p.startswith("/news/")]) == fetched
    assert last_crawl(db)["pages_fetched"] == 0


def test_max_pages_bounds_a_crawl_and_is_reported(site):
    root, server, sources, db = site
    data = yaml.safe_load(sources.read_text())
    data["sources"][0]["max_pages"] = 1
    sources.write_text(yaml.safe_dump(data))
    crawl(sources, db)
    row = last_crawl(db)
    assert row["pages_fetched"] == 1
    assert "max_pages=1" in row["error_messages"]


def test_a_plain_crawl_process_does_not_load_what_it_does_not_use():
    """Every scheduled crawl starts a fresh process and pays for each import again: the
    crawl process leaves scrapy-redis (distributed mode only), trafilatura (loaded with the
    first article that needs extracting) and Scrapy's aiohttp-based remote control alone."""
    import subprocess
    import sys

    probe = ("import sys, newsarchive.crawler.run, newsarchive.crawler.pipelines, newsarchive.crawler.middlewares, newsarchive.crawler.spiders.news\n"
             "from newsarchive.crawler.run import crawl_settings\n"
             "from scrapy.utils.conf import build_component_list\n"
             "from scrapy.utils.misc import load_object\n"
             "settings = crawl_settings('unused.db')\n"
             "for name in ('EXTENSIONS', 'DOWNLOADER_MIDDLEWARES', 'SPIDER_MIDDLEWARES', 'ITEM_PIPELINES'):\n"
             "    # as Scrapy builds each list: it imports every class the setting names, even a None one\n"
             "    for path in build_component_list(settings.get_component_priority_dict_with_base(name)):\n"
             "        load_object(path)\n"
             "for handler in settings.getwithbase('DOWNLOAD_HANDLERS').values():\n"
             "    if handler:\n"
             "        load_object(handler)\n"
             "print(sorted(m for m in ('scrapy_redis', 'redis', 'trafilatura', 'aiohttp') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
