"""Quality gate: article extraction must not score below its stored baseline.

Scores :func:`newsarchive.nlp.extraction.core.extract_article` on the article-extraction-benchmark
corpus with the corpus's own metric (see ``bench/extraction.py``) and fails when
F1 drops more than :data:`TOLERANCE` below ``bench/extraction_baseline.json``.
Refresh the baseline after a deliberate improvement with
``python -m bench.extraction --write-baseline``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is a folder of scripts, not an installed package: import it from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.extraction import BASELINE, CORPUS, load_corpus, ours, score_predictions  # noqa: E402

TOLERANCE = 0.002

@pytest.fixture(autouse=True, scope="module")
def corpus_present():
    if not CORPUS.is_dir():
        pytest.fail(f"benchmark corpus not found at {CORPUS} (it lives in ../shared next to the project)")


def test_extraction_f1_not_below_baseline() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    pages = load_corpus()
    score = score_predictions((page.truth, ours(page)) for page in pages)
    assert len(pages) == baseline["pages"]
    assert score.f1 >= baseline["f1"] - TOLERANCE, (
        f"extraction F1 {score.f1:.4f} fell below baseline {baseline['f1']:.4f} - {TOLERANCE}"
    )
