"""Benchmarks that write their figures into BENCHMARKS.md, and the places of their data.

Data that may be redistributed lives in the repository (``corpora/``). Data that may not
(the seed story) stays outside, in the folder named by ``$NEWSARCHIVE_SHARED`` (default
``../shared`` beside the checkout); only ``make eval`` and the benchmarks read it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpora" / "article-extraction-benchmark"
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED") or ROOT.parent / "shared")
SEED_DIR = SHARED / "seed"
