"""Feeds and sitemaps as the web writes them: the wild corpus crawled whole,
and the cases it holds checked one by one."""

from __future__ import annotations

import datetime as dt
import gzip

from scrapy.http import Request, TextResponse, XmlResponse

from newsarchive.archive.sources import Source
from newsarchive.crawler.discovery import feed_links, robots_sitemaps, sitemap_date, sitemap_entries
from newsarchive.crawler.spiders.news import MAX_SITEMAP_DEPTH, NewsSpider

BASE = "https://ledger.example"
SOURCE = Source(name="Ledger", homepage=BASE + "/", allowed_domains=("ledger.example",))


def test_every_item_of_every_wild_feed_and_sitemap_is_fetched_and_nothing_else():
    from bench.wild import measure

    result = measure()
    assert result["files"] >= 150
    assert result["expected"] > 600
    assert result["missing"] == {}, "items an independent parser finds were not fetched"
    assert result["fetched"] == result["expected"]
    assert result["stray"] == [], "requests for things that are no item"
    # the one sitemap item whose host holds "&><'\"": fetched with w3lib 2.5, refused by w3lib 2.6
    assert set(result["refused"]) <= {"http://example.com&><'\"/"}, result["refused"]


def _response(url: str, body: bytes, cls=XmlResponse, **headers):
    request = Request(url, cb_kwargs={"source": "Ledger"})
    return cls(url=url, body=body, request=request, headers=headers)


ATOM03 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:base="https://ledger.example/news/">
  <title>Ledger</title>
  <entry><title>One</title><link rel="alternate" type="text/html" href="2023/one.html"/></entry>
  <entry><title>Two</title><link rel="alternate" type="text/html" href="https://ledger.example/news/2023/two.html"/></entry>
</feed>"""


def test_atom_03_with_xml_base_and_relative_links():
    assert feed_links(ATOM03, BASE + "/feed") == [BASE + "/news/2023/one.html", BASE + "/news/2023/two.html"]


def test_rss_with_bom_prefix_entities_and_wrong_content_type():
    rss = ("\ufeff<?xml version='1.0' encoding='utf-8'?>"
           "<rss version='2.0'><channel><title>Caf&eacute;</title>"
           "<item><title>&lt;b&gt;A&lt;/b&gt; &amp; B</title><link><![CDATA[/news/2023/a.html?x=1&y=2]]></link></item>"
           "</channel></rss>").encode("utf-8")
    spider = NewsSpider(sources=[SOURCE])
    response = _response(BASE + "/feed", rss, cls=TextResponse, **{"Content-Type": "text/html; charset=utf-8"})
    assert [r.url for r in spider.parse_feed(response, "Ledger")] == [BASE + "/news/2023/a.html?x=1&y=2"]


def test_rdf_feed_with_prefixed_elements():
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:r="http://purl.org/rss/1.0/">
<r:channel rdf:about="https://ledger.example/"><r:title>L</r:title><r:link>https://ledger.example/</r:link></r:channel>
<r:item rdf:about="https://ledger.example/news/2023/r.html"><r:title>R</r:title>
<r:link>https://ledger.example/news/2023/r.html</r:link></r:item></rdf:RDF>"""
    assert feed_links(rdf, BASE + "/rdf") == [BASE + "/news/2023/r.html"]


def test_not_a_feed_is_none():
    assert feed_links(b"<html><body><p>Hello</p></body></html>", BASE + "/") is None
    assert feed_links(b"", BASE + "/") is None


IMAGES = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
 xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"
 xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://ledger.example/news/2023/a.html</loc>
 <image:image><image:loc>https://cdn.ledger.example/a1.jpg</image:loc></image:image>
 <image:image><image:loc>https://cdn.ledger.example/a2.jpg</image:loc></image:image>
 <xhtml:link rel="alternate" hreflang="fr" href="https://ledger.example/fr/news/2023/a.html"/>
</url>
<url>
 <video:video><video:content_loc>https://cdn.ledger.example/b.mp4</video:content_loc>
 <video:player_loc>https://ledger.example/player?b</video:player_loc></video:video>
 <loc>https://ledger.example/news/2023/b.html</loc>
</url>
</urlset>"""


def test_a_sitemap_page_is_its_own_loc_never_an_image_video_or_alternate():
    kind, entries = sitemap_entries(IMAGES)
    assert kind == "urlset"
    assert [e.loc for e in entries] == [BASE + "/news/2023/a.html", BASE + "/news/2023/b.html"]
    spider = NewsSpider(sources=[SOURCE])
    requests = list(spider.parse_sitemap(_response(BASE + "/s.xml.gz", gzip.compress(IMAGES)), "Ledger"))
    assert [r.url for r in requests] == [BASE + "/news/2023/a.html", BASE + "/news/2023/b.html"]


def _index(*children: str) -> bytes:
    locs = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'.encode()


def test_sitemap_index_loops_are_followed_once_and_depth_is_bounded():
    spider = NewsSpider(sources=[SOURCE])
    first = list(spider.parse_sitemap(_response(BASE + "/a.xml", _index(BASE + "/a.xml", BASE + "/b.xml")),
                                      "Ledger", depth=0))
    # a.xml was not marked seen by this direct call, so it is requested once; b.xml once
    assert [r.url for r in first] == [BASE + "/a.xml", BASE + "/b.xml"]
    again = list(spider.parse_sitemap(_response(BASE + "/b.xml", _index(BASE + "/a.xml", BASE + "/b.xml")),
                                      "Ledger", depth=1))
    assert again == [], "an index listing one already seen is not followed twice"
    deep = list(spider.parse_sitemap(_response(BASE + "/d.xml", _index(BASE + "/deeper.xml")), "Ledger",
                                     depth=MAX_SITEMAP_DEPTH))
    assert deep == [] and any("deeper than" in message for _, message in spider.failures)


def test_robots_txt_sitemap_lines_are_followed():
    robots = b"User-agent: *\nDisallow: /admin\n\nSitemap: https://ledger.example/news-sitemap.xml\n" \
             b"sitemap:/relative.xml.gz\n"
    assert robots_sitemaps(robots, BASE + "/robots.txt") == [BASE + "/news-sitemap.xml", BASE + "/relative.xml.gz"]
    spider = NewsSpider(sources=[SOURCE])
    requests = list(spider.parse_sitemap(_response(BASE + "/robots.txt", robots, cls=TextResponse), "Ledger"))
    assert [(r.url, r.cb_kwargs["depth"]) for r in requests] == [(BASE + "/news-sitemap.xml", 1),
                                                                 (BASE + "/relative.xml.gz", 1)]


def test_lastmod_in_the_forms_sites_write():
    utc = dt.timezone.utc
    cases = {
        "2023": dt.datetime(2023, 1, 1, tzinfo=utc),
        "2023-07": dt.datetime(2023, 7, 1, tzinfo=utc),
        "2023-07-28": dt.datetime(2023, 7, 28, tzinfo=utc),
        "2023-07-28T09:30Z": dt.datetime(2023, 7, 28, 9, 30, tzinfo=utc),
        "2023-07-28T09:30:15.123+02:00": dt.datetime(2023, 7, 28, 7, 30, 15, 123000, tzinfo=utc),
        "2023-07-28T09:30:15+0200": dt.datetime(2023, 7, 28, 7, 30, 15, tzinfo=utc),
        "2023-07-28 09:30:15": dt.datetime(2023, 7, 28, 9, 30, 15, tzinfo=utc),
        "Fri, 28 Jul 2023 09:30:15 GMT": dt.datetime(2023, 7, 28, 9, 30, 15, tzinfo=utc),
        "2023/07/28": dt.datetime(2023, 7, 28, tzinfo=utc),
        "1690536615": dt.datetime(2023, 7, 28, 9, 30, 15, tzinfo=utc),
    }
    for text, expected in cases.items():
        assert sitemap_date(text) == expected, text
    assert sitemap_date("yesterday") is None and sitemap_date("") is None


def test_sitemap_horizon_uses_news_publication_date_over_lastmod():
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://ledger.example/news/old.html</loc><lastmod>2099-01-01</lastmod>
<news:news><news:publication_date>2001-01-01T00:00:00Z</news:publication_date></news:news></url>
<url><loc>https://ledger.example/news/new.html</loc><lastmod>Fri, 28 Jul 2023 09:30:15 GMT</lastmod></url>
</urlset>"""
    source = Source(name="Ledger", homepage=BASE + "/", allowed_domains=("ledger.example",), sitemap_horizon_days=30)
    spider = NewsSpider(sources=[source])
    spider.now = dt.datetime(2023, 8, 1, tzinfo=dt.timezone.utc)
    requests = list(spider.parse_sitemap(_response(BASE + "/s.xml", urlset), "Ledger"))
    assert [r.url for r in requests] == [BASE + "/news/new.html"]


def test_text_sitemaps_and_feeds_given_as_sitemaps_are_read():
    spider = NewsSpider(sources=[SOURCE])
    text = b"https://ledger.example/news/2023/a.html\nhttps://ledger.example/news/2023/b.html\n\n"
    got = list(spider.parse_sitemap(_response(BASE + "/sitemap.txt", text, cls=TextResponse), "Ledger"))
    assert [r.url for r in got] == [BASE + "/news/2023/a.html", BASE + "/news/2023/b.html"]
    got = list(spider.parse_sitemap(_response(BASE + "/atom.xml", ATOM03), "Ledger"))
    assert [r.url for r in got] == [BASE + "/news/2023/one.html", BASE + "/news/2023/two.html"]
    assert list(spider.parse_sitemap(_response(BASE + "/x", b"<html><p>no</p></html>", cls=TextResponse),
                                     "Ledger")) == []
    assert any("not a readable sitemap" in message for _, message in spider.failures)
