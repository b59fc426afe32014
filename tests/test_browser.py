"""The archive in a real browser: headless Chromium driven by Playwright against
Datasette serving the crawled demo archive.

One browser for the module. Screenshots of every page visited go to
``build/screenshots/`` in the project (or ``$NEWSARCHIVE_SCREENSHOTS`` when set).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from conftest import load_expected

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EMAIL_REPORTS = {e["path"] for e in load_expected() if e["story"] == "uk-mod-ml-emails"}

@pytest.fixture(autouse=True, scope="module")
def chromium_installed():
    if not Path(CHROMIUM).exists():  # `make test` installs it; a missing browser is a failure, not a skip
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make system-deps`")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture(scope="module")
def shots() -> Path:
    path = Path(os.environ.get("NEWSARCHIVE_SCREENSHOTS") or SCREENSHOTS)
    path.mkdir(parents=True, exist_ok=True)
    return path


def article_paths(db: Path) -> dict[int, str]:
    return {r["id"]: urlsplit(r["url"]).path for r in sqlite_utils.Database(db)["articles"].rows}


def test_search_mali_then_the_entity_page(page, demo_datasette, demo_archive, shots):
    db, _ = demo_archive
    page.goto(demo_datasette.url + "/")
    page.fill("input[name=q]", "Mali")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#na-results .na-card")
    page.screenshot(path=str(shots / "search-mali.png"), full_page=True)
    hrefs = page.locator("#na-results .na-card h3 a").evaluate_all("links => links.map(a => a.href)")
    ids = [int(h.rsplit("/", 1)[1]) for h in hrefs]
    paths = article_paths(db)
    assert EMAIL_REPORTS <= {paths[i] for i in ids}

    first_title = page.locator("#na-results .na-card h3 a").first.inner_text()
    page.locator("#na-results .na-card h3 a").first.click()
    assert page.locator("h1").inner_text() == first_title
    assert "Mali" in page.locator(".na-entities a").all_inner_texts()
    page.locator(".na-entities a", has_text=re.compile("^Mali$")).first.click()
    page.wait_for_selector("#cooccurring")
    page.screenshot(path=str(shots / "entity-mali.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Mali"
    mali = next(sqlite_utils.Database(db)["entities"].rows_where("kind = 'country' and key = 'ML'"))
    assert page.locator("#articles li").count() == mali["article_count"]
    company = page.locator("#cooccurring td a").all_inner_texts()
    assert "Ministry of Defence" in company and ".ml" in company


def test_lookalike_query_lists_ml_for_mil(page, demo_datasette, shots):
    page.goto(demo_datasette.url + "/")
    page.get_by_role("link", name="Which lookalike domains are named, and where?").click()
    page.wait_for_selector("table.rows-and-columns")
    page.screenshot(path=str(shots / "lookalikes.png"), full_page=True)
    rows = page.locator("table.rows-and-columns tbody tr")
    pairs = {(r.locator("td.col-domain").inner_text(), r.locator("td.col-lookalike_of").inner_text())
             for r in rows.all()}
    assert (".ml", ".mil") in pairs


def test_charts_and_map_draw_without_any_outside_request(page, demo_datasette, shots):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_datasette.url + "/archive/countries_named")
    page.locator(".leaflet-marker-icon").first.wait_for()
    page.wait_for_function("[...document.querySelectorAll('img.leaflet-tile')]"
                           ".some(img => img.complete && img.naturalWidth > 0)")
    page.screenshot(path=str(shots / "map.png"))
    page.goto(demo_datasette.url + "/-/dashboards/entity-timeline?entity=Mali")
    chart = page.locator("#card-timeline canvas, #card-timeline svg").first
    chart.wait_for()
    page.goto(demo_datasette.url + "/-/dashboards/archive-overview")
    page.locator("#card-top-entities canvas, #card-top-entities svg").first.wait_for()
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    outside = [url for url in requested if urlsplit(url).hostname not in ("127.0.0.1", None)]
    assert outside == []


def test_page_text_with_a_script_shows_as_text_and_opens_no_dialog(page, tmp_path, shots):
    from archive_fixture import HOSTILE_TEXT, build_archive
    from conftest import RunningDatasette

    db = build_archive(tmp_path / "archive.db")
    article_id = next(sqlite_utils.Database(db).query(
        "select id from articles where text like '%<script>%'"))["id"]
    server = RunningDatasette(db)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{server.url}/archive/articles/{article_id}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shots / "article-with-script.png"), full_page=True)
        body = page.inner_text("body")
        page.wait_for_timeout(500)  # give any injected script its chance to run
    finally:
        server.stop()
    assert '<script>alert("x")</script>' in body
    assert dialogs == []
    assert page.locator("b", has_text="bold").count() == 0
