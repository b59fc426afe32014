"""The journalist's pages in a real browser: headless Chromium (Debian's, driven by
Playwright) on the crawled demo archive, every task done by typing and clicking.

Each page visited is screenshotted into ``build/screenshots/`` (or
``$NEWSARCHIVE_SCREENSHOTS``). Every test fails on a console error or an uncaught
script error. A crawler test follows every link of the home page and of one page of
each kind, over HTTP, and wants 200 from each.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

# the browser fixtures of test_browser, used here as they are (chromium_installed is autouse)
from test_browser import SCREENSHOTS, browser, chromium_installed  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


@pytest.fixture(scope="module")
def shots() -> Path:
    import os

    path = Path(os.environ.get("NEWSARCHIVE_SCREENSHOTS") or SCREENSHOTS)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Watched:
    """A page whose console errors, script errors and failed responses are recorded."""

    def __init__(self, browser, viewport: dict) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"script: {e}"))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    opened = Watched(browser, DESKTOP)
    yield opened
    errors = list(opened.errors)
    opened.close()
    assert errors == []


@pytest.fixture
def page(watched):
    return watched.page


@pytest.fixture(scope="module")
def demo_db(demo_archive) -> sqlite3.Connection:
    db, _ = demo_archive
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def search_from_home(page, base: str, typed: str):
    """Type into the home page's search box and press Enter; the response of the results page."""
    page.goto(base + "/")
    box = page.locator("form[role=search] input[type=search]")
    box.fill(typed)
    with page.expect_navigation() as navigation:
        box.press("Enter")
    return navigation.value


def shown_count(page) -> int:
    summary = page.locator("#na-summary strong").first.inner_text()
    return int(summary.replace(",", ""))


def card_ids(page) -> list[int]:
    hrefs = page.locator("#na-results .na-card h3 a").evaluate_all("links => links.map(a => a.href)")
    return [int(h.rsplit("/", 1)[1]) for h in hrefs]


def texts(conn: sqlite3.Connection) -> dict[int, str]:
    return {r["id"]: f"{r['title'] or ''}\n{r['text'] or ''}" for r in conn.execute("select id, title, text from articles")}


# Awkward inputs typed into the home page's box. Each: what an article must contain (regular
# expressions, all of them, case-insensitive) and must not contain, to be a sensible answer;
# None: nothing to search for, so every article (newest first).
AWKWARD = [
    (".ml", [r"\bml\b"], []),
    ("Mali's", [r"\bmali\b"], []),
    ("Mali’s", [r"\bmali\b"], []),
    ("U.S.", [r"\bu\W+s\b"], []),  # "US" is the word "us" to the index: U.S. finds U.S.
    ("u.s", [r"\bu\W+s\b"], []),
    ("St. Petersburg", [r"\bst\b", r"\bpetersburg\b"], []),
    ("army.mil", [r"\barmy\W+mil\b"], []),
    ("Okafor-Pryce", [r"\bokafor\W*pryce\b"], []),
    ("mali -wagner", [r"\bmali\b"], [r"\bwagner\b"]),
    ("emails NOT mali", [r"\bemail"], [r"\bmali\b"]),
    ('"Wagner Group" OR Russia', [r"\bwagner\W+group\b|\brussia\b"], []),
    ("defence*", [r"\bdefence"], []),
    ('"unbalanced quote', [r"\bunbalanced\W+quote\b"], []),
    ("(mali", [r"\bmali\b"], []),
    ("mali AND", [r"\bmali\b"], []),
    ("NEAR(mali wagner)", [r"\bmali\b", r"\bwagner\b"], []),
    ("MoD", [r"\bmod\b"], []),
    ("e-mail", [r"\be\W?mail"], []),
    ("100%", [r"\b100\b"], []),
    ("pentagon .mil", [r"\bpentagon\b", r"\bmil\b"], []),
    ("Zuurbier", [r"\bzuurbier\b"], []),
    ("<script>alert(1)</script>", [r"\bscript\W+alert\W+1\W+script\b"], []),
    ("' OR 1=1 --", [r"\b1\W1\b"], []),
    ("Côte d’Ivoire", [r"\bc[oô]te\W+d\W+ivoire\b"], []),
    ("x" * 700, [r"x{300}"], []),
    ("", None, []),
    ("*", None, []),
    ('"', None, []),
    ("-", None, []),
    ("🙂", None, []),
    ("   ", None, []),
]


def test_awkward_inputs_typed_into_the_home_page_box(watched, demo_datasette, demo_db, shots):
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    articles = texts(demo_db)
    report = []
    for number, (typed, wanted, unwanted) in enumerate(AWKWARD):
        response = search_from_home(page, demo_datasette.url, typed)
        assert response.status == 200, typed
        count = shown_count(page)
        shown = card_ids(page)
        if wanted is None:
            expected = set(articles)
        else:
            expected = {i for i, text in articles.items()
                        if all(re.search(w, text, re.I) for w in wanted)
                        and not any(re.search(u, text, re.I) for u in unwanted)}
        assert count == len(expected), (typed, count, len(expected))
        assert set(shown) <= expected and len(shown) == min(20, len(expected)), typed
        if not expected:
            assert page.locator("#na-empty").is_visible(), typed
        if wanted is None:
            dates = [demo_db.execute("select published_at from articles where id = ?", [i]).fetchone()[0]
                     for i in shown]
            assert dates == sorted(dates, reverse=True), typed
        if len(typed) > 300:
            assert "characters long" in page.locator("#na-notes").inner_text()
        report.append((typed, count))
        if number < 12:
            page.screenshot(path=str(shots / f"search-awkward-{number:02d}.png"))
    assert dialogs == []
    assert len(AWKWARD) >= 20 and sum(1 for _, count in report if count) >= 15


def test_filters_as_chips_facets_and_sort(page, demo_datasette, demo_db, shots):
    search_from_home(page, demo_datasette.url, "Mali")
    total = shown_count(page)
    page.locator("#facet-source a").first.click()
    outlet = page.locator("#na-chips .na-chip").nth(1).inner_text()
    assert outlet.startswith("Outlet:")
    narrowed = shown_count(page)
    assert 0 < narrowed < total
    page.locator("#facet-entity a", has_text="Wagner Group").click()
    assert page.locator("#na-chips .na-chip").count() == 3
    both = shown_count(page)
    page.screenshot(path=str(shots / "search-chips.png"), full_page=True)
    source = outlet.split(":", 1)[1].strip().rstrip("×").strip()
    independent = demo_db.execute(
        "select count(*) from articles a where a.source = ? and a.id in (select rowid from articles_fts "
        "where articles_fts match 'mali') and a.id in (select article_id from mentions m join entities e on "
        "e.id = m.entity_id where e.name = 'Wagner Group')", [source]).fetchone()[0]
    assert both == independent
    page.locator("#na-chips .na-chip", has_text="Outlet").get_by_role("link").click()  # remove the outlet
    assert page.locator("#na-chips .na-chip").count() == 2 and shown_count(page) >= both
    page.get_by_role("link", name="oldest", exact=True).click()
    ids = card_ids(page)
    dates = [demo_db.execute("select published_at from articles where id = ?", [i]).fetchone()[0] for i in ids]
    assert dates == sorted(dates)
    page.locator("#na-chart rect").first.click()  # a month of the coverage chart
    assert page.locator("#na-chips .na-chip", has_text="From").count() == 1
    page.screenshot(path=str(shots / "search-month.png"), full_page=True)


def test_name_suggestions_while_typing(page, demo_datasette, demo_db, shots):
    page.goto(demo_datasette.url + "/")
    box = page.locator("form[role=search] input[type=search]")
    box.press_sequentially("Ministry of Defense", delay=20)
    suggestion = page.locator("#na-suggest a", has_text="Ministry of Defence")
    suggestion.wait_for()
    page.screenshot(path=str(shots / "suggest-ministry.png"))
    suggestion.first.click()
    page.wait_for_selector("#na-summary")
    mod = demo_db.execute("select article_count from entities where name = 'Ministry of Defence'").fetchone()[0]
    assert shown_count(page) == mod
    assert "Ministry of Defence" in page.locator("#na-chips").inner_text()


def test_forgiving_name_page(page, demo_datasette, shots):
    page.goto(demo_datasette.url + "/")
    page.get_by_role("link", name="Find a name").first.click()
    page.locator("#na-name").fill("ministry of defense")
    page.locator("#na-name").press("Enter")
    first = page.locator("#na-names .na-card h3 a").first
    assert first.inner_text() == "Ministry of Defence"
    page.screenshot(path=str(shots / "find-name.png"))
    first.click()
    assert page.locator("h1").inner_text() == "Ministry of Defence"


def test_story_from_a_search(page, demo_datasette, demo_db, shots):
    search_from_home(page, demo_datasette.url, "emails Mali")
    page.locator("a.na-story-link", has_text="story of").first.click()
    page.wait_for_selector("#story-timeline")
    page.screenshot(path=str(shots / "story.png"), full_page=True)
    story_id = int(page.url.rsplit("/", 1)[1])
    story = demo_db.execute("select * from stories where id = ?", [story_id]).fetchone()
    assert page.locator("h1").inner_text() == story["title"]
    assert page.locator("#story-timeline li").count() == story["article_count"]
    outlets = demo_db.execute("select count(distinct a.source) from story_articles sa join articles a on "
                              "a.id = sa.article_id where sa.story_id = ?", [story_id]).fetchone()[0]
    assert page.locator("#story-outlets + ul li").count() == outlets
    assert page.locator("#story-first a").count() == 1
    copies = demo_db.execute("select count(*) from story_articles where story_id = ? and duplicate_of is not null",
                             [story_id]).fetchone()[0]
    assert page.locator(".na-copy").count() == copies
    if story["incident_type"] not in (None, "none"):
        assert story["incident_type"] in page.locator("#story-incident").inner_text()
    page.locator("#story-entities + ul a").first.click()
    assert page.locator("h1").inner_text()


def test_article_marks_lead_to_entities_and_lookalikes_both_ways(page, demo_datasette, shots):
    search_from_home(page, demo_datasette.url, '".ml"')
    page.locator("#na-results .na-card h3 a").first.click()
    page.wait_for_selector("#article-text")
    marks = page.locator("#article-text a.na-mark")
    assert marks.count() > 0
    page.screenshot(path=str(shots / "article-marked.png"), full_page=True)
    page.locator("#article-text a.na-mark", has_text=re.compile(r"^\.ml$")).first.click()
    assert page.locator("h1").inner_text() == ".ml"
    page.screenshot(path=str(shots / "entity-ml.png"), full_page=True)
    page.locator("#entity-domain a", has_text="Mali").click()  # the country code's country
    assert page.locator("h1").inner_text() == "Mali"
    page.go_back()
    page.locator("#entity-domain a", has_text=".mil").click()
    assert page.locator("h1").inner_text() == ".mil"
    page.locator("#entity-lookalikes a", has_text=".ml").click()
    assert page.locator("h1").inner_text() == ".ml"


def test_map_markers_sized_by_counts(page, demo_datasette, demo_db, shots):
    page.goto(demo_datasette.url + "/")
    page.get_by_role("link", name="Countries on a map").click()
    page.locator("path.na-marker").first.wait_for()
    page.screenshot(path=str(shots / "map-sized.png"))
    rows = page.locator("#na-map-table tbody tr")
    assert page.locator("path.na-marker").count() == rows.count()
    sizes = page.locator("path.na-marker").evaluate_all("paths => paths.map(p => p.getBBox().width)")
    counts = [int(r.locator("td").nth(1).inner_text()) for r in rows.all()]
    assert max(sizes) > min(sizes) and counts[0] == max(counts)
    biggest = demo_db.execute("select max(article_count) from entities where kind = 'country'").fetchone()[0]
    assert counts[0] == biggest
    search_from_home(page, demo_datasette.url, "Wagner")
    page.get_by_role("link", name="their countries on a map").click()
    page.locator("path.na-marker").first.wait_for()
    assert "Wagner" in page.locator("h1").inner_text()


def test_feeds_and_exports_of_a_search(page, demo_datasette):
    search_from_home(page, demo_datasette.url, "mali -wagner")
    atom = page.get_by_role("link", name="Atom feed").get_attribute("href")
    feed = page.request.get(urljoin(page.url, atom))
    assert feed.status == 200 and "mali -wagner" in feed.text().split("<entry>")[0]
    assert re.search(r'<link rel="alternate" href="http://127\.0\.0\.1:\d+/archive/articles/\d+"/>', feed.text())
    csv_link = page.get_by_role("link", name="CSV").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(urljoin(page.url, csv_link)).text())))
    assert [int(r["id"]) for r in rows] == card_ids(page)


def test_phone_first_result_above_the_fold(browser, demo_datasette, shots):
    phone = Watched(browser, PHONE)
    page = phone.page
    try:
        page.goto(demo_datasette.url + "/")
        first_newest = page.locator("#na-latest .na-card").first.bounding_box()
        assert first_newest["y"] + first_newest["height"] <= PHONE["height"]
        page.screenshot(path=str(shots / "phone-home.png"))
        search_from_home(page, demo_datasette.url, "Mali's")
        box = page.locator("#na-results .na-card").first.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], box
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # nothing wider than the phone
        page.screenshot(path=str(shots / "phone-search.png"))
        page.locator("#na-facets a", has_text="Wagner Group").first.click()
        box = page.locator("#na-results .na-card").first.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], box
        page.locator("#na-results .na-card h3 a").first.click()
        page.wait_for_selector("#article-text")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(shots / "phone-article.png"))
    finally:
        errors = list(phone.errors)
        phone.close()
    assert errors == []


def test_archive_under_another_name_in_the_browser(watched, tmp_path, shots):
    """Datasette on ``any/other-name.db`` (served as ``other-name``): home, search and a
    revised article's diff."""
    from test_search_pages import PlainDatasette, build_revised_archive

    db = build_revised_archive(tmp_path)
    server = PlainDatasette(db)  # named after its file, as plain Datasette names it
    page = watched.page
    try:
        response = search_from_home(page, server.url, "Mali's junta")
        assert response.status == 200 and "/other-name/-/search" in page.url
        page.locator("#na-results .na-card h3 a").first.click()
        page.wait_for_selector("#revisions")
        assert "until next year" in " ".join(page.locator("#revisions .na-diff ins").all_inner_texts())
        page.screenshot(path=str(shots / "article-revisions.png"), full_page=True)
    finally:
        server.stop()


# --- every link answers -------------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def links_on(url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [urljoin(url, h).split("#")[0] for h in parser.found]


def test_every_link_on_every_kind_of_page_answers(demo_datasette, demo_db):
    base = demo_datasette.url
    origin = urlsplit(base).netloc
    story = demo_db.execute("select id from stories order by article_count desc limit 1").fetchone()[0]
    article = demo_db.execute("select article_id from story_articles where story_id = ? limit 1", [story]).fetchone()[0]
    mali = demo_db.execute("select id from entities where kind = 'country' and key = 'ML'").fetchone()[0]
    ml = demo_db.execute("select entity_id from domains where domain = '.ml'").fetchone()[0]
    pages = ["/", "/archive/-/search", "/archive/-/search?q=Mali%27s", f"/archive/-/search?q=mali&entity={mali}",
             "/archive/-/search?q=mali+-wagner&sort=oldest&source=The+Harbour+Herald", f"/archive/stories/{story}",
             f"/archive/articles/{article}", f"/archive/entities/{mali}", f"/archive/entities/{ml}", "/archive/-/map",
             "/archive/-/entities?q=Ministry+of+Defense", "/archive/search", "/archive/search?q=Mali",
             "/archive/articles", "/archive/entities", "/archive/stories", "/archive", "/-/dashboards/archive-overview"]
    checked: dict[str, int] = {}
    with httpx.Client(timeout=30) as client:
        for start in pages:
            response = client.get(base + start)
            assert response.status_code == 200, start
            for link in links_on(base + start, response.text):
                parts = urlsplit(link)
                if parts.scheme not in ("http", "https") or parts.netloc != origin or link in checked:
                    continue
                checked[link] = client.get(link).status_code
    failing = {link: status for link, status in checked.items() if status != 200}
    assert failing == {}
    assert len(checked) > 300
    print(f"{len(checked)} links followed from {len(pages)} pages, every one 200")
    searched = [link for link in checked if "/-/search" in link]
    assert any("entity=" in link for link in searched) and any(parse_qs(urlsplit(link).query).get("source")
                                                                for link in searched)
