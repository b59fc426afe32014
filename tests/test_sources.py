"""sources.yml: valid files load; every mistake names file, source and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.archive.sources import SourcesError, load_sources

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
sources:
  - name: Daily Ledger
    homepage: https://ledger.example/
    feeds: [/feed.xml]
    sitemaps: [https://ledger.example/sitemap.xml]
    article_pattern: '^/news/\\d{4}/'
    country: gb
    language: EN
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_and_resolves_relative_urls(tmp_path):
    (source,) = load_sources(write(tmp_path, GOOD))
    assert source.name == "Daily Ledger"
    assert source.feeds == ("https://ledger.example/feed.xml",)
    assert source.allowed_domains == ("ledger.example",)
    assert source.country == "GB"
    assert source.language == "en"
    assert source.is_article_url("https://ledger.example/news/2023/07/28/x.html")
    assert not source.is_article_url("https://ledger.example/world/")


def test_project_sources_file_is_valid():
    assert len(load_sources(ROOT / "data" / "sources.yml")) >= 1


@pytest.mark.parametrize(
    "change, field, problem",
    [
        (("    country: gb\n", "    country: gb\n    colour: blue\n"), "colour", "unknown field"),
        (("    homepage: https://ledger.example/\n", ""), "homepage", "missing"),
        (("https://ledger.example/\n", "ftp://ledger.example/\n"), "homepage", "not an http(s) URL"),
        (("[/feed.xml]", "['mailto:desk@ledger.example']"), "feeds", "not an http(s) URL"),
        (("'^/news/\\d{4}/'", "'^/news/(['"), "article_pattern", "not a valid regular expression"),
        (("country: gb", "country: Great Britain"), "country", "2-letter code"),
        (("feeds: [/feed.xml]", "feeds: 7"), "feeds", "list of strings"),
    ],
)
def test_mistakes_name_file_source_and_field(tmp_path, change, field, problem):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    message = str(error.value)
    assert str(path) in message
    assert "'Daily Ledger'" in message
    assert f"field {field!r}" in message
    assert problem in message


def test_loopback_refused_unless_allowed(tmp_path):
    path = write(tmp_path, GOOD.replace("https://ledger.example/", "http://127.0.0.1:8000/"))
    with pytest.raises(SourcesError, match="loopback or private"):
        load_sources(path)
    assert load_sources(path, allow_private=True)[0].homepage == "http://127.0.0.1:8000/"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("sources: []\n", "non-empty list"),
        ("- name: x\n", "single key 'sources'"),
        ("sources: [\n", "not valid YAML"),
    ],
)
def test_malformed_files(tmp_path, text, problem):
    with pytest.raises(SourcesError, match=problem):
        load_sources(write(tmp_path, text))


def test_duplicate_names(tmp_path):
    entry = GOOD.split("sources:\n", 1)[1]
    with pytest.raises(SourcesError, match="used twice"):
        load_sources(write(tmp_path, "sources:\n" + entry + entry))


def test_missing_file(tmp_path):
    with pytest.raises(SourcesError, match="file not found"):
        load_sources(tmp_path / "nope.yml")


def test_discovery_fields(tmp_path):
    text = GOOD + "    sections: [/, /world/]\n    follow_allow: ['^/world/']\n    max_depth: 2\n    sitemap_horizon_days: 30\n"
    (source,) = load_sources(write(tmp_path, text))
    assert source.sections == ("https://ledger.example/", "https://ledger.example/world/")
    assert (source.max_depth, source.max_pages, source.sitemap_horizon_days) == (2, 2000, 30)


@pytest.mark.parametrize("line, field", [("    max_depth: -1\n", "max_depth"),
                                         ("    follow_deny: ['(']\n", "follow_deny"),
                                         ("    max_pages: lots\n", "max_pages")])
def test_discovery_field_mistakes(tmp_path, line, field):
    with pytest.raises(SourcesError, match=f"field '{field}'"):
        load_sources(write(tmp_path, GOOD + line))


def test_a_pattern_that_backtracks_without_end_counts_as_no_match_and_ends():
    """``(a+)+$`` against 40 a's and a b would take longer than the universe has left
    with Python's ``re``; with the time limit it is no match."""
    from newsarchive.archive.sources import Source, UrlPattern

    source = Source(name="Ledger", homepage="https://ledger.example/", article_pattern=r"^/(a+)+$")
    assert source.is_article_url("https://ledger.example/aaaa")
    assert not source.is_article_url("https://ledger.example/" + "a" * 40 + "b")
    assert not UrlPattern(r"^/(x+x+)+y$").search("/" + "x" * 60)
    assert UrlPattern(r"^/news/\d+").search("/news/12-story")
