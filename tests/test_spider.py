"""The spider offline: feeds, sitemaps and article pages as saved responses."""

from __future__ import annotations

import gzip

from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

from newsarchive.archive.records import PageItem
from newsarchive.archive.sources import Source
from newsarchive.crawler.spiders.news import NewsSpider, feed_links

BASE = "https://ledger.example"
SOURCE = Source(
    name="Ledger", homepage=BASE + "/", feeds=(BASE + "/feed.xml",), sitemaps=(BASE + "/sitemap.xml",),
    allowed_domains=("ledger.example",), article_pattern=r"^/news/\d{4}/",
    _pattern=__import__("re").compile(r"^/news/\d{4}/"),
)

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>
<link>https://ledger.example/</link>
<item><title>A</title><link>https://ledger.example/news/2023/a.html?utm_source=rss</link></item>
<item><title>B</title><link>/news/2023/b.html</link></item>
<item><title>Tag page</title><link>https://ledger.example/tag/mali/</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Ledger</title><link href="https://ledger.example/"/>
<entry><title>A</title><link rel="alternate" href="https://ledger.example/news/2023/a.html"/></entry>
<entry><title>C</title><link href="https://ledger.example/news/2023/c.html"/></entry>
</feed>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ledger.example/sitemap-2023.xml.gz</loc></sitemap></sitemapindex>"""

URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ledger.example/news/2023/a.html</loc><news:news><news:publication_date>2023-07-28</news:publication_date></news:news></url>
<url><loc>https://ledger.example/about.html</loc></url></urlset>"""


def spider() -> NewsSpider:
    return NewsSpider(sources=[SOURCE])


def response(cls, url: str, body: bytes, callback_source: str = "Ledger"):
    request = Request(url, cb_kwargs={"source": callback_source})
    return cls(url=url, body=body, request=request, encoding="utf-8")


def test_rss_links_made_canonical_and_filtered_to_articles():
    requests = list(spider().parse_feed(response(XmlResponse, BASE + "/feed.xml", RSS), "Ledger"))
    assert [r.url for r in requests] == [BASE + "/news/2023/a.html", BASE + "/news/2023/b.html"]
    assert all(r.cb_kwargs == {"source": "Ledger"} for r in requests)


def test_atom_links():
    assert feed_links(ATOM) == [BASE + "/news/2023/a.html", BASE + "/news/2023/c.html"]


def test_unreadable_feed_is_recorded_not_raised():
    s = spider()
    assert list(s.parse_feed(response(TextResponse, BASE + "/feed.xml", b"<html>oops"), "Ledger")) == []
    assert s.failures and "not a readable RSS or Atom feed" in s.failures[0][1]


def test_sitemap_index_is_followed_and_gzip_urlset_read():
    s = spider()
    (follow,) = s.parse_sitemap(response(XmlResponse, BASE + "/sitemap.xml", INDEX), "Ledger")
    assert follow.url == BASE + "/sitemap-2023.xml.gz"
    gz = response(XmlResponse, follow.url, gzip.compress(URLSET))
    assert [r.url for r in s.parse_sitemap(gz, "Ledger")] == [BASE + "/news/2023/a.html"]


def test_article_page_is_handed_on_raw():
    body = b"<html><head><title>A</title></head><body><p>Text</p></body></html>"
    page = HtmlResponse(url=BASE + "/news/2023/a.html", body=body, encoding="utf-8",
                        headers={"ETag": '"v1"', "Content-Type": "text/html; charset=utf-8"},
                        request=Request(BASE + "/news/2023/a.html"))
    (item,) = spider().parse_article(page, "Ledger")
    assert isinstance(item, PageItem)
    assert (item.source, item.status, item.body, item.etag) == ("Ledger", 200, body, '"v1"')
    assert item.content_type == "text/html; charset=utf-8"
