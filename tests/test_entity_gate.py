"""The entity quality gate, the scorer behind it, and the well-formedness of the set it uses.

The gate runs ``newsarchive.nlp.entities.extract`` over ``bench/entity_eval/texts.jsonl`` (development),
``heldout.jsonl`` to ``heldout17.jsonl`` once each per module, and fails when any kind's F1 on any falls below
its entry in ``bench/entities_baseline.json`` by more than the tolerance.
Refresh the baseline on purpose, after an improvement:
``python -m bench.entities --write-baseline``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pycountry
import pytest

# ``bench`` is not an installed package; it is imported from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import entities as bench  # noqa: E402

KINDS = set(bench.KINDS)


@dataclass
class FakeEntity:
    kind: str
    key: str


def text(id: str, *gold: tuple[str, str]) -> bench.EvalText:
    return bench.EvalText(id, "", frozenset(bench.normalise_pair(k, v) for k, v in gold))


# --- the scorer on hand-made predictions -------------------------------------------------


def test_keys_compare_casefolded_with_spaces_and_quotes_squeezed() -> None:
    assert bench.normalise_key("  Information  Commissioner\u2019s Office ") == (
        "information commissioner's office"
    )
    assert bench.entity_pairs([FakeEntity("country", "ml"), FakeEntity("country", "ML")]) == {
        ("country", "ml")
    }


def test_perfect_predictions_score_one() -> None:
    gold = [text("a", ("country", "ML"), ("domain", ".ml")), text("b", ("person", "Ann Lee"))]
    predictions = {
        "a": frozenset({("country", "ml"), ("domain", ".ml")}),
        "b": frozenset({("person", "ann lee")}),
    }
    scores = bench.score_texts(gold, predictions)
    assert scores.overall.f1 == 1.0
    assert scores.errors == []
    assert set(scores.by_kind) == {"country", "domain", "person"}


def test_misses_and_extras_lower_recall_and_precision_per_kind() -> None:
    gold = [text("a", ("country", "ML"), ("country", "US"), ("domain", ".mil"))]
    predictions = {"a": frozenset({("country", "ml"), ("country", "fr"), ("domain", ".mil")})}
    scores = bench.score_texts(gold, predictions)
    country = scores.by_kind["country"]
    assert (country.tp, country.fp, country.fn) == (1, 1, 1)
    assert country.precision == country.recall == country.f1 == 0.5
    assert scores.by_kind["domain"].f1 == 1.0
    assert scores.errors == [bench.TextErrors("a", (("country", "fr"),), (("country", "us"),))]


def test_right_key_under_the_wrong_kind_is_both_a_miss_and_an_extra() -> None:
    gold = [text("a", ("group", "wagner group"))]
    scores = bench.score_texts(gold, {"a": frozenset({("organisation", "wagner group")})})
    assert scores.by_kind["group"].fn == 1
    assert scores.by_kind["organisation"].fp == 1
    assert scores.overall.f1 == 0.0


def test_kind_confusions_pair_a_miss_with_an_extra_of_the_same_key() -> None:
    gold = [text("a", ("place", "Bamako"), ("person", "Ann Lee"))]
    predictions = {"a": frozenset({("organisation", "bamako"), ("person", "lee")})}
    scores = bench.score_texts(gold, predictions)
    assert bench.kind_confusions(scores) == {("place", "organisation"): 1}


def test_unscored_kinds_are_counted_apart_and_missing_texts_are_all_misses() -> None:
    gold = [text("a", ("ip", "192.0.2.1")), text("b", ("email", "x@y.org"))]
    predictions = {"a": frozenset({("ip", "192.0.2.1"), ("product", "outlook")})}
    scores = bench.score_texts(gold, predictions)
    assert scores.ignored_kinds == {"product": 1}
    assert scores.by_kind["ip"].f1 == 1.0
    assert scores.by_kind["email"].fn == 1 and scores.by_kind["email"].f1 == 0.0


def test_regressions_beyond_the_tolerance_are_reported(tmp_path: Path) -> None:
    scores = bench.score_texts(
        [text("a", ("country", "ML"), ("country", "GB"))], {"a": frozenset({("country", "ml")})}
    )
    path = tmp_path / "baseline.json"
    bench.write_baseline({"texts": scores}, path)
    bench.write_baseline({"heldout": bench.score_texts([], {})}, path)  # keeps "texts"
    stored = bench.read_baseline("texts", path)
    assert stored == {"country": pytest.approx(0.6667, abs=1e-4)}
    assert bench.read_baseline("heldout", path) == {}
    assert bench.regressions(scores, stored) == []
    assert bench.regressions(scores, {"country": 0.9}) != []
    assert bench.regressions(scores, {"person": 0.5}) != []  # a kind that vanished fails too


# --- the evaluation set itself --------------------------------------------------------------


@pytest.fixture(scope="module", params=[p.stem for p in bench.SETS])
def eval_rows(request: pytest.FixtureRequest) -> list[dict]:
    path = bench.HERE / "entity_eval" / f"{request.param}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_development_set_is_big_enough() -> None:
    assert len(bench.load_eval_set()) >= 40


def test_texts_are_news_length_with_unique_ids(eval_rows: list[dict]) -> None:
    assert len({row["id"] for row in eval_rows}) == len(eval_rows)
    for row in eval_rows:
        assert 80 <= len(row["text"].split()) <= 250, row["id"]


def test_gold_uses_known_kinds_valid_codes_and_no_duplicates(eval_rows: list[dict]) -> None:
    for row in eval_rows:
        pairs = [(g["kind"], g["key"]) for g in row["gold"]]
        assert len(pairs) == len(set(pairs)), row["id"]
        for kind, key in pairs:
            assert kind in KINDS, (row["id"], kind)
            if kind == "country":
                assert key.isupper() and pycountry.countries.get(alpha_2=key), (row["id"], key)


def test_gold_keys_written_literally_appear_in_the_text(eval_rows: list[dict]) -> None:
    literal = {"domain", "email", "url", "ip", "person"}
    for row in eval_rows:
        body = row["text"].casefold()
        for gold in row["gold"]:
            if gold["kind"] in literal:
                assert gold["key"].casefold() in body, (row["id"], gold)


def test_every_url_and_email_host_is_also_gold(eval_rows: list[dict]) -> None:
    """The convention: a URL's or address's host is a named domain (or ip) as well."""
    for row in eval_rows:
        keys = {(g["kind"], g["key"]) for g in row["gold"]}
        for kind, key in keys:
            if kind == "email":
                host = key.split("@", 1)[1]
            elif kind == "url":
                host = key.split("//", 1)[-1].split("/", 1)[0].split("?", 1)[0]
                host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
                host = host.removeprefix("www.")
            else:
                continue
            assert ("domain", host) in keys or ("ip", host) in keys, (row["id"], key)


# --- the gate ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extract() -> bench.Extractor:
    pytest.importorskip("newsarchive.nlp.entities.extract", reason="newsarchive.nlp.entities.extract (the extractor) is not there yet")
    return bench.default_extractor()


@pytest.fixture(scope="module", params=[p.stem for p in bench.SETS])
def run(request: pytest.FixtureRequest, extract: bench.Extractor) -> bench.SetRun:
    return bench.run_set(bench.HERE / "entity_eval" / f"{request.param}.jsonl", extract)


def test_no_kind_falls_below_its_baseline(run: bench.SetRun) -> None:
    baseline = bench.read_baseline(run.path.stem)
    if not baseline:
        pytest.fail("no baseline: run python -m bench.entities --write-baseline")
    assert bench.regressions(run.scores, baseline) == []


def test_extractor_finds_something_right_in_every_text(run: bench.SetRun) -> None:
    gold_sizes = {t.id: len(t.gold) for t in bench.load_eval_set(run.path)}
    blank = [e.id for e in run.scores.errors if len(e.false_negatives) == gold_sizes[e.id]]
    assert blank == []
