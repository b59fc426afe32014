"""Quality gate: article extraction must not score below its stored baselines.

Scores :func:`newsarchive.nlp.extraction.core.extract_article` on the benchmark corpus
and on the ``dev`` part of each development set in ``corpora/extraction-sets/`` (public
pages vendored with their licences, so the gate reads nothing outside the repository)
with the metric of ``bench/extraction.py``, and fails when a set's F1 drops more than
:data:`TOLERANCE` below its figure in ``bench/extraction_baseline.json``.
Refresh the baselines after a deliberate improvement with
``python -m bench.extraction --write-baseline``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is a folder of scripts, not an installed package: import it from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.extraction import (  # noqa: E402
    BASELINE,
    CORPUS,
    DEV_SETS,
    SETS_DIR,
    load_corpus,
    load_set,
    ours,
    score_predictions,
)

TOLERANCE = 0.002


def test_every_development_set_has_a_baseline() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert sorted(baseline) == sorted(["benchmark", *DEV_SETS])
    assert (CORPUS / "LICENSE").is_file()
    for name in DEV_SETS:
        assert (SETS_DIR / name / "LICENSE").is_file() and (SETS_DIR / name / "MANIFEST").is_file()


@pytest.mark.parametrize("name", ["benchmark", *DEV_SETS])
def test_extraction_f1_not_below_baseline(name: str) -> None:
    expected = json.loads(BASELINE.read_text(encoding="utf-8"))[name]
    pages = load_corpus() if name == "benchmark" else load_set(name, "dev")
    score = score_predictions((page.truth, ours(page)) for page in pages)
    assert len(pages) == expected["pages"]
    assert score.f1 >= expected["f1"] - TOLERANCE, (
        f"{name}: extraction F1 {score.f1:.4f} fell below baseline {expected['f1']:.4f} - {TOLERANCE}"
    )
