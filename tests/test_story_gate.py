"""Quality gate for story linking: B-cubed and type accuracy must not drop below baseline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is not an installed package; make it importable under plain `pytest` too
# (harmless once pytest is configured with pythonpath = ["."])
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stories import BASELINE, METRICS, REAL_METRICS, bcubed, evaluate, evaluate_real, load_eval, load_real

TOLERANCE = 0.005


def test_bcubed_of_a_perfect_clustering_is_one():
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold) == (1.0, 1.0, 1.0)


def test_bcubed_when_everything_is_merged():
    precision, recall, f1 = bcubed({"a": 0, "b": 0, "c": 0}, {"a": 1, "b": 1, "c": 2})
    assert precision == pytest.approx(5 / 9)
    assert recall == 1.0
    assert f1 == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_bcubed_when_everything_is_split():
    precision, recall, _f1 = bcubed({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 1, "c": 2})
    assert precision == 1.0
    assert recall == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)


def test_bcubed_refuses_different_items():
    with pytest.raises(ValueError):
        bcubed({"a": 1}, {"b": 1})


def test_story_figures_do_not_drop_below_baseline():
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    figures = evaluate(load_eval())
    for name in METRICS:
        assert figures[name] >= baseline[name] - TOLERANCE, (name, figures[name], baseline[name])


def test_real_pages_figures_do_not_drop_below_baseline_nor_the_targets():
    """The real set (``bench/story_real``): B-cubed precision over all pages and recall over
    the pages of multi-outlet events, against the baseline and the issue's targets."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    figures = evaluate_real(*load_real(), orders=1)
    for name in REAL_METRICS:
        assert figures[name] >= baseline[name] - TOLERANCE, (name, figures[name], baseline[name])
    assert figures["real_bcubed_precision"] >= 0.95
    assert figures["real_event_recall"] >= 0.85
    assert figures["orders_agreeing"] == "1/1"
