"""The benchmark corpus served as a news site over real HTTP on 127.0.0.1
(``bench/corpus_site.py``), as the peer benchmark's crawlers see it."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import httpx
import pytest

from bench.corpus_site import CORPUS_DIR, serve_corpus

@pytest.fixture(autouse=True, scope="module")
def corpus_present():
    if not (CORPUS_DIR / "html").is_dir():
        pytest.fail(f"the article-extraction-benchmark corpus is not at {CORPUS_DIR} (../shared next to the project)")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site():
    """The corpus served once for the module: ``(base_url, urls, client)``."""
    server, base_url, urls = serve_corpus()
    with httpx.Client(timeout=10) as client:
        yield base_url, urls, client
    server.shutdown()
    server.server_close()


def corpus_ids() -> list[str]:
    return sorted(p.name.removesuffix(".html.gz") for p in (CORPUS_DIR / "html").glob("*.html.gz"))


def test_every_corpus_page_has_an_article_url(site):
    base_url, urls, _ = site
    assert urlsplit(base_url).hostname == "127.0.0.1"
    assert [urlsplit(u).path for u in urls] == [f"/articles/{i}.html" for i in corpus_ids()]


def test_feed_is_rss_listing_every_article(site):
    base_url, urls, client = site
    response = client.get(base_url + "/feed.xml")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    links = [item.findtext("link") for item in channel.findall("item")]
    assert len(links) == 181
    assert sorted(links) == sorted(urls)


@pytest.mark.parametrize("position", [0, 90, -1])
def test_article_bytes_are_the_decompressed_corpus_file(site, position):
    _, urls, client = site
    url = urls[position]
    page_id = urlsplit(url).path.removeprefix("/articles/").removesuffix(".html")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == gzip.decompress((CORPUS_DIR / "html" / f"{page_id}.html.gz").read_bytes())


def test_robots_txt_allows_everything_and_names_the_sitemap(site):
    base_url, _, client = site
    response = client.get(base_url + "/robots.txt")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert not [line for line in lines if line.startswith("Disallow:") and line.strip() != "Disallow:"]
    assert f"Sitemap: {base_url}/sitemap.xml" in lines


def test_sitemap_and_homepage_reach_every_article(site):
    base_url, urls, client = site
    sitemap = ET.fromstring(client.get(base_url + "/sitemap.xml").content)
    assert sorted(loc.text for loc in sitemap.iter(SITEMAP_NS + "loc")) == sorted(urls)
    home = client.get(base_url + "/").text
    assert all(f'href="{url}"' in home for url in urls)
    assert 'type="application/rss+xml"' in home and f"{base_url}/feed.xml" in home
    assert client.get(base_url + "/index.html").text == home


def test_unknown_path_is_404(site):
    base_url, _, client = site
    assert client.get(base_url + "/articles/no-such-page.html").status_code == 404


def test_no_bench_module_shadows_an_installed_package():
    """A script run from bench/ has bench/ first on sys.path, where a module named like an
    installed package hides that package (bench/incremental.py once hid Twisted's
    ``incremental`` from news-please)."""
    import importlib.util
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "bench"
    root = str(bench.parent)
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if p not in ("", ".", root, str(bench))]
    try:
        shadowed = {path.stem for path in bench.glob("*.py")
                    if path.stem != "__init__" and importlib.util.find_spec(path.stem) is not None}
    finally:
        sys.path[:] = saved
    assert shadowed == set()
