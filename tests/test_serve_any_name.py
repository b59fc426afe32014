"""``serve`` works for an archive of any file name, and shows no paths of the machine (issue 21)."""

from __future__ import annotations

import re

import httpx
import pytest

from conftest import RunningDatasette
from test_archive_guard import make_archive


@pytest.fixture(scope="module")
def served_news_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("any-name") / "my news.db"
    make_archive(db)
    server = RunningDatasette(db)
    yield server, db
    server.stop()


def test_home_page_and_stored_queries_answer_for_an_archive_not_named_archive_db(served_news_db):
    """Defect 9: the home page answered 500 and the stored queries 404 for ``news.db``."""
    server, _ = served_news_db
    assert httpx.get(server.url + "/", timeout=30).status_code == 200
    assert httpx.get(server.url + "/archive/articles.json", timeout=30).status_code == 200
    found = httpx.get(server.url + "/archive/search.json", params={"q": "water"}, timeout=30)
    assert found.status_code == 200, found.text[:300]


@pytest.mark.parametrize("page", ["/-/databases.json", "/-/databases", "/-/versions.json", "/-/versions"])
def test_introspection_pages_show_no_absolute_paths(served_news_db, page):
    server, db = served_news_db
    answer = httpx.get(server.url + page, timeout=30)
    assert answer.status_code == 200
    text = answer.text.replace("&#34;", '"').replace("&#39;", "'")
    assert str(db.parent) not in text
    assert not re.search(r"[\"' ](/(?:tmp|work|home|root|usr|srv|var|opt)/[^\"'\s<]*)", text), text[:500]


def test_the_alias_folder_made_by_another_user_in_a_shared_tmp_is_refused(tmp_path, monkeypatch):
    import os

    from newsarchive.app.serve import archive_alias
    from newsarchive.archive.errors import ArchiveError

    if os.geteuid() != 0:
        pytest.skip("making a folder owned by another user needs root")
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    db = tmp_path / "news.db"
    make_archive(db)
    assert archive_alias(db).resolve() == db.resolve()
    base = tmp_path / f"newsarchive-serve-{os.getuid()}"
    os.chown(base, 12345, 12345)  # as if another user had made it first, to plant a link
    with pytest.raises(ArchiveError, match="not a private folder"):
        archive_alias(db)
