"""The walking skeleton end to end: the demo site crawled over HTTP on
127.0.0.1 into a real archive, with entities, then searched."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlite_utils
from click.testing import CliRunner

from newsarchive.app.cli import cli
from conftest import crawl_args, load_expected

EXPECTED = load_expected()
EMAIL_STORY = "uk-mod-ml-emails"


def articles_by_path(db) -> dict[str, dict]:
    return {urlsplit(r["url"]).path: r for r in sqlite_utils.Database(db)["articles"].rows}


def test_every_demo_article_archived_once(demo_archive):
    db, site = demo_archive
    archived = articles_by_path(db)
    assert sorted(archived) == sorted(e["path"] for e in EXPECTED)


def test_no_section_tag_author_or_robots_forbidden_page_archived(demo_archive):
    db, site = demo_archive
    paths = [urlsplit(r["url"]).path for r in sqlite_utils.Database(db)["pages"].rows]
    assert not [p for p in paths if p.startswith(("/tag/", "/author/", "/private/", "/topic"))]
    assert all(not any(p.startswith("/private/") for p in server.paths) for server in site.servers)
    assert any("/robots.txt" in server.paths for server in site.servers)


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["path"] for e in EXPECTED])
def test_stored_text_has_paragraphs_and_no_boilerplate(demo_archive, expected):
    db, site = demo_archive
    article = articles_by_path(db)[expected["path"]]
    text = " ".join(article["text"].split())
    assert expected["first_paragraph"] in text
    assert expected["last_paragraph"] in text
    for snippet in expected["boilerplate"]:
        assert snippet not in text, f"boilerplate kept: {snippet!r}"
    for noise in ("Read more:", "Loading audio", "Listen to this article", "Home >", "Share this story",
                  "Picture:", "Sign up"):
        assert noise not in text
    assert article["title"] == expected["title"]
    assert (article["published_at"] or "")[:10] == expected["published"]


def test_second_crawl_duplicates_nothing(demo_archive, tmp_path):
    db, site = demo_archive
    archive = sqlite_utils.Database(db)
    before = {t: archive[t].count for t in ("articles", "entities", "mentions", "revisions", "pages")}
    sources = site.write_sources(tmp_path / "sources.yml")
    result = CliRunner().invoke(cli, crawl_args(sources, db) + ["--set", "NEWSARCHIVE_RECHECK=*:0s"])
    assert result.exit_code == 0, result.output
    after = {t: archive[t].count for t in before}
    assert after == before
    last = list(archive.query("select sum(articles_new) new, sum(not_modified) same from crawls "
                              "where id in (select max(id) from crawls group by source)"))[0]
    assert last == {"new": 0, "same": len(EXPECTED)}


def test_entities_of_the_email_story(demo_archive):
    db, site = demo_archive
    archive = sqlite_utils.Database(db)
    keys = {(r["kind"], r["key"]) for r in archive.query(
        "select distinct e.kind, e.key from entities e join mentions m on m.entity_id = e.id "
        "join articles a on a.id = m.article_id where a.url like '%mod-emails-sent-to-mali-by-mistake%'")}
    assert {("country", "ML"), ("country", "US"), ("country", "RU"), ("domain", ".ml"), ("domain", ".mil"),
            ("organisation", "ministry of defence")} <= keys
    mali = next(archive["entities"].rows_where("kind = 'country' and key = 'ML'"))
    assert mali["article_count"] >= 10 and mali["first_seen"] <= "2023-07-19"
    assert not list(archive["entities"].rows_where("kind = 'person' and name = 'Mali'"))


def test_full_text_search_finds_the_email_reports(demo_archive):
    db, site = demo_archive
    rows = sqlite_utils.Database(db).query(
        "select a.url from articles_fts join articles a on a.id = articles_fts.rowid "
        "where articles_fts match 'Mali' order by rank")
    found = [urlsplit(r["url"]).path for r in rows]
    email_reports = {e["path"] for e in EXPECTED if e["story"] == EMAIL_STORY}
    assert email_reports <= set(found)


def stories_by_path(db) -> dict[str, dict]:
    rows = sqlite_utils.Database(db).query(
        "select a.url, s.id, s.incident_type, s.evidence from story_articles sa "
        "join articles a on a.id = sa.article_id join stories s on s.id = sa.story_id")
    return {urlsplit(r["url"]).path: r for r in rows}


def test_uk_email_reports_form_one_misdelivery_story(demo_archive):
    db, site = demo_archive
    stories = stories_by_path(db)
    uk = {stories[e["path"]]["id"] for e in EXPECTED if e["story"] == EMAIL_STORY}
    assert len(uk) == 1, "the UK reports from different outlets should form one story"
    (story_id,) = uk
    members = {e["story"] for e in EXPECTED if stories[e["path"]]["id"] == story_id}
    assert members == {EMAIL_STORY}, "a Mali story that is not about the UK email stays out"
    row = next(r for r in stories.values() if r["id"] == story_id)
    assert row["incident_type"] == "error/misdelivery" and row["evidence"]


def test_uk_and_us_email_stories_are_related_but_separate(demo_archive):
    db, site = demo_archive
    stories = stories_by_path(db)
    uk = {stories[e["path"]]["id"] for e in EXPECTED if e["story"] == EMAIL_STORY}
    us = {stories[e["path"]]["id"] for e in EXPECTED if e["story"] == "us-mil-ml-emails"}
    assert not uk & us
    links = {(r["story_id"], r["related_id"]) for r in sqlite_utils.Database(db)["story_links"].rows}
    assert any((u, s) in links for u in uk for s in us)


def test_wire_copy_is_linked_to_its_original(demo_archive):
    db, site = demo_archive
    archive = sqlite_utils.Database(db)
    for e in EXPECTED:
        if e.get("syndicated_from"):
            row = next(archive.query(
                "select sa.duplicate_of, o.url from story_articles sa join articles a on a.id = sa.article_id "
                "left join articles o on o.id = sa.duplicate_of where a.url like ?", ["%" + e["path"]]))
            assert row["duplicate_of"] and urlsplit(row["url"]).path == e["syndicated_from"]
