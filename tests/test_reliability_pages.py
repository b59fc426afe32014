"""Reliability: hostile and broken pages (GitHub issue 10).

One hostile site (``tests/hostile.py``) serves every bad page below from one
feed, and one real crawl (a child process, as in production) fetches them
all; each test then checks one page's outcome in the archive: its ``pages``
row and ``extraction_status``, its article (or the absence of one), or the
error recorded in ``crawls.error_messages``. The crawl as a whole must finish.
"""

from __future__ import annotations

import random

import httpx
import pytest
import sqlite_utils

from conftest import RunningDatasette
from hostile import (HostileSite, article_html, crawl, gzip_bomb, huge, integrity_ok, page, rss, truncated,
                     write_sources)

MB = 1024 * 1024
EN = ["Officials in the port city confirmed on Friday that the water supply failed for six hours after a pump broke.",
      "Engineers restored pressure by the evening, and the utility promised a full report on the cause next week.",
      "Residents queued at emergency tankers while hospitals switched to their reserve tanks during the outage."]
FR = ["Les autorités de la ville portuaire ont confirmé vendredi que l'alimentation en eau a été coupée pendant six heures.",
      "Les ingénieurs ont rétabli la pression dans la soirée et la compagnie a promis un rapport complet la semaine prochaine.",
      "Les habitants ont fait la queue devant les camions-citernes pendant que les hôpitaux utilisaient leurs réserves."]
DE = ["Die Behörden der Hafenstadt bestätigten am Freitag, dass die Wasserversorgung sechs Stunden lang ausgefallen war.",
      "Die Ingenieure stellten den Druck am Abend wieder her, und der Versorger kündigte für nächste Woche einen Bericht an.",
      "Die Bewohner standen an Tankwagen Schlange, während die Krankenhäuser auf ihre Reservetanks umschalteten."]
RU = ["Власти портового города в пятницу подтвердили, что водоснабжение было прервано на шесть часов из-за поломки насоса.",
      "Инженеры восстановили давление к вечеру, а коммунальная компания пообещала представить полный отчёт на следующей неделе.",
      "Жители стояли в очередях к цистернам, пока больницы переключались на резервные баки во время аварии."]
JA = ["港湾都市の当局は金曜日、ポンプの故障により水道の供給が六時間にわたって停止したことを確認した。",
      "技術者たちは夕方までに水圧を回復させ、水道会社は来週原因についての詳しい報告書を公表すると約束した。",
      "住民は給水車の前に列を作り、病院は断水の間、予備の貯水槽に切り替えて診療を続けた。"]
CP1252 = ["The café owner said the “temporary” closure cost him €4,000 — a naïve estimate, he admitted.",
          *EN]
XSS_TITLE = "<script>alert(1)</script> Harbour pump report"
XSS_BODY = "The leaked note read: <img src=x onerror=alert(2)> and nothing else, according to the utility."


def no_lang(html: str) -> str:
    return html.replace(' lang="en"', "")


def nested(depth: int) -> str:
    return ("<div>" * depth) + "".join(f"<p>{p}</p>" for p in EN) + ("</div>" * depth)


def hostile_pages() -> dict[str, object]:
    """path -> behaviour: every bad page this module crawls."""
    noise = random.Random(10).randbytes(64 * 1024)
    xss = article_html("&lt;script&gt;alert(1)&lt;/script&gt; Harbour pump report",
                       [*EN, "The leaked note read: &lt;img src=x onerror=alert(2)&gt; and nothing else, according to the utility.",
                        '<img src="x" onerror="alert(3)"><script>alert(4)</script>'])
    return {
        "/news/good.html": page(article_html("Harbour pump report", EN)),
        "/news/malformed.html": page("<html><head><title>Broken markup report</title><body><div><p class=x>" + EN[0]
                                     + "<p><b><i>" + EN[1] + "</b></i></div></div></span><p>" + EN[2]
                                     + "<table><tr><td>cell</p></td></tr>" + "</b></i></html></html><p>"),
        "/news/empty.html": page(b""),
        "/news/png.html": page(b"\x89PNG\r\n\x1a\n" + noise[:4096]),
        "/news/noise.html": page(noise),
        "/news/huge-declared.html": huge(50 * MB, declare_length=True),
        "/news/huge-streamed.html": huge(50 * MB, declare_length=False),
        "/news/gzip-bomb.html": gzip_bomb(200 * MB),
        "/news/bad-gzip.html": page(b"this is not gzip at all" * 20, headers={"Content-Encoding": "gzip"}),
        "/news/truncated.html": truncated(article_html("Cut short", EN).encode()[:300], 5000),
        "/news/cp1252-header.html": page(article_html("Café closure", CP1252).replace('<meta charset="utf-8">', "")
                                         .encode("cp1252"), "text/html; charset=windows-1252"),
        "/news/cp1252-meta.html": page(article_html("Café closure two", CP1252, charset="windows-1252")
                                       .encode("cp1252"), "text/html"),
        "/news/shift-jis.html": page(article_html("断水の報告", JA, lang="ja").replace('<meta charset="utf-8">', "")
                                     .encode("shift_jis"), "text/html; charset=Shift_JIS"),
        "/news/utf8-labelled-latin1-header.html": page(article_html("Café report", CP1252).replace('<meta charset="utf-8">', "")
                                                       .encode("utf-8"), "text/html; charset=iso-8859-1"),
        "/news/utf8-labelled-latin1-meta.html": page(article_html("Café report meta", CP1252, charset="iso-8859-1")
                                                     .encode("utf-8"), "text/html"),
        "/news/no-charset.html": page(article_html("Crêpe report", FR, lang="fr").replace('<meta charset="utf-8">', "")
                                      .encode("utf-8"), "text/html"),
        "/news/french.html": page(article_html("Panne d'eau au port", FR, lang="fr")),
        "/news/german.html": page(no_lang(article_html("Wasserausfall im Hafen", DE))),
        "/news/russian.html": page(no_lang(article_html("Авария водоснабжения", RU))),
        "/news/navigation.html": page("<html><head><title>Sections</title></head><body><nav><ul>"
                                      + "".join(f'<li><a href="/s{i}/">Section {i}</a></li>' for i in range(200))
                                      + "</ul></nav><footer><a href='/about'>About</a></footer></body></html>"),
        "/news/scripts-only.html": page("<html><head><script>var a = 1;</script><style>p{color:red}</style></head>"
                                        "<body><script>" + "document.write('x');" * 500 + "</script></body></html>"),
        "/news/deeply-nested.html": page(f"<html><head><title>Deep</title></head><body>{nested(5000)}</body></html>"),
        "/news/nul-bytes.html": page(article_html("Nul report", EN).encode().replace(b"<p>", b"<p>\x00")),
        "/news/utf16.html": page(article_html("UTF-16 report", EN).replace("utf-8", "utf-16").encode("utf-16"),
                                 "text/html; charset=utf-16"),
        "/news/feed-as-html.html": page(rss(["__BASE__/news/x.html"])),
        "/news/plain-text.html": page(" ".join(EN), "text/plain; charset=utf-8"),
        "/news/huge-title.html": page(article_html("Long " * 20000, EN)),
        "/news/xss.html": page(xss),
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The hostile site crawled once: ``(db, site, click result)``."""
    workdir = tmp_path_factory.mktemp("pages")
    routes = hostile_pages()
    feed_links = [f"__BASE__{p}" for p in routes]
    routes["/feed.xml"] = page(rss(feed_links), "application/rss+xml")
    routes["/robots.txt"] = page("User-agent: *\nAllow: /\n", "text/plain")
    with HostileSite(routes) as site:
        sources = write_sources(workdir / "sources.yml", [{
            "name": "Hostile Herald", "homepage": site.base + "/", "feeds": ["/feed.xml"],
            "article_pattern": "^/news/"}])
        db = workdir / "archive.db"
        result = crawl(sources, db)
        yield db, site, result


def page_row(db, path: str) -> dict | None:
    rows = list(sqlite_utils.Database(db)["pages"].rows_where("url like ?", [f"%{path}"]))
    return rows[0] if rows else None


def article_of(db, path: str) -> dict | None:
    row = page_row(db, path)
    if row is None or row["article_id"] is None:
        return None
    return sqlite_utils.Database(db)["articles"].get(row["article_id"])


def crawl_row(db) -> dict:
    return next(sqlite_utils.Database(db)["crawls"].rows_where(order_by="id desc", limit=1))


def error_for(db, path: str) -> str | None:
    lines = (crawl_row(db)["error_messages"] or "").splitlines()
    found = [line for line in lines if path in line]
    return found[0] if found else None


def test_the_crawl_of_the_hostile_site_finishes_and_the_archive_is_sound(crawled):
    db, site, result = crawled
    assert result.exit_code == 0, result.output
    row = crawl_row(db)
    assert row["status"] == "finished"
    assert row["errors"] >= 5 and row["pages_fetched"] >= 20
    assert integrity_ok(db)
    archive = sqlite_utils.Database(db)
    urls = [r["url"] for r in archive["articles"].rows]
    assert len(urls) == len(set(urls))  # no article twice


def test_well_formed_control_page_is_archived(crawled):
    db, _, _ = crawled
    assert "pump broke" in article_of(db, "/news/good.html")["text"]


def test_malformed_html_still_gives_its_text(crawled):
    db, _, _ = crawled
    article = article_of(db, "/news/malformed.html")
    assert article is not None and "pump broke" in article["text"] and "reserve tanks" in article["text"]


def test_empty_200_is_recorded_as_empty(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/empty.html")
    assert row["status"] == 200 and row["extraction_status"] == "empty" and row["article_id"] is None
    assert "no article (empty, HTTP 200)" in error_for(db, "/news/empty.html")


def test_binary_body_labelled_html_is_not_html(crawled):
    db, _, _ = crawled
    assert page_row(db, "/news/png.html")["extraction_status"] == "not_html"


def test_random_bytes_labelled_html_give_no_article(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/noise.html")
    assert row["extraction_status"] in ("not_html", "bad_encoding") and row["article_id"] is None


@pytest.mark.parametrize("path", ["/news/huge-declared.html", "/news/huge-streamed.html"])
def test_50_mb_page_is_refused_with_a_clear_message(crawled, path):
    db, _, _ = crawled
    assert page_row(db, path) is None
    message = error_for(db, path)
    assert message is not None and "larger than download max size" in message, message


def test_gzip_bomb_stops_at_download_maxsize(crawled):
    db, _, _ = crawled
    assert page_row(db, "/news/gzip-bomb.html") is None
    message = error_for(db, "/news/gzip-bomb.html")
    assert message is not None and "exceeded DOWNLOAD_MAXSIZE" in message, message


def test_body_that_claims_gzip_but_is_not_is_an_error_not_a_crash(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/bad-gzip.html")
    assert (row is None and error_for(db, "/news/bad-gzip.html")) or row["article_id"] is None


def test_body_shorter_than_its_content_length_is_refused(crawled):
    db, _, _ = crawled
    assert page_row(db, "/news/truncated.html") is None
    assert error_for(db, "/news/truncated.html") is not None


@pytest.mark.parametrize("path,expected", [
    ("/news/cp1252-header.html", "café owner said the “temporary” closure cost him €4,000 — a naïve"),
    ("/news/cp1252-meta.html", "café owner said the “temporary” closure cost him €4,000 — a naïve"),
    ("/news/utf8-labelled-latin1-header.html", "café owner said the “temporary” closure cost him €4,000 — a naïve"),
    ("/news/utf8-labelled-latin1-meta.html", "café owner said the “temporary” closure cost him €4,000 — a naïve"),
    ("/news/utf16.html", "pump broke"),
    ("/news/no-charset.html", "Les autorités de la ville portuaire"),
    ("/news/shift-jis.html", "水道の供給が六時間にわたって停止"),
])
def test_charsets_declared_in_header_meta_or_not_at_all_decode(crawled, path, expected):
    db, _, _ = crawled
    article = article_of(db, path)
    assert article is not None and expected in article["text"], article and article["text"][:200]


@pytest.mark.parametrize("path,language", [
    ("/news/french.html", "fr"), ("/news/german.html", "de"), ("/news/russian.html", "ru"),
    ("/news/shift-jis.html", "ja"), ("/news/good.html", "en"),
])
def test_language_of_pages_in_other_languages_is_recorded(crawled, path, language):
    db, _, _ = crawled
    assert article_of(db, path)["language"] == language


@pytest.mark.parametrize("path", ["/news/navigation.html", "/news/scripts-only.html"])
def test_pages_without_article_text_are_no_article(crawled, path):
    db, _, _ = crawled
    row = page_row(db, path)
    assert row["extraction_status"] == "no_article" and row["article_id"] is None


def test_5000_levels_of_nesting_do_not_crash_the_crawl(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/deeply-nested.html")
    assert row is not None and row["extraction_status"] is not None


def test_a_few_nul_bytes_in_an_article_are_dropped_and_the_article_kept(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/nul-bytes.html")
    assert row is not None and row["extraction_status"] == "ok"
    assert "\x00" not in article_of(db, "/news/nul-bytes.html")["text"]


@pytest.mark.parametrize("path", ["/news/feed-as-html.html", "/news/plain-text.html"])
def test_a_feed_or_plain_text_at_an_article_url_is_not_html(crawled, path):
    db, _, _ = crawled
    row = page_row(db, path)
    assert row["extraction_status"] == "not_html" and row["article_id"] is None


def test_100_kb_title_is_archived_without_trouble(crawled):
    db, _, _ = crawled
    row = page_row(db, "/news/huge-title.html")
    assert row is not None and row["extraction_status"] is not None


def test_markup_in_title_and_text_is_stored_as_text(crawled):
    db, _, _ = crawled
    article = article_of(db, "/news/xss.html")
    assert article["title"] == XSS_TITLE
    assert XSS_BODY in article["text"]
    assert "alert(3)" not in article["text"] and "alert(4)" not in article["text"]  # real tags are dropped


def test_markup_from_pages_is_never_rendered_as_html_by_datasette(crawled):
    db, _, _ = crawled
    article = article_of(db, "/news/xss.html")
    server = RunningDatasette(db)
    try:
        for url in (f"{server.url}/archive/articles/{article['id']}", f"{server.url}/archive/articles",
                    f"{server.url}/archive/articles?_search=harbour"):
            html = httpx.get(url, timeout=30).text
            assert "<script>alert(1)</script>" not in html and "<img src=x onerror" not in html, url
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    finally:
        server.stop()
