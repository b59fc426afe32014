"""Score article extraction on the benchmark corpus and on the development sets.

Runs our extractor (:func:`newsarchive.nlp.extraction.core.extract_article`, default and
``fast=True``) and trafilatura with its default options
(``include_comments=False``) over the same pages in the same run, timed
page by page in turn, once per page set, and prints precision, recall, F1
and documents per second for each. The sets, each scored on its own:

- ``benchmark``: the article-extraction-benchmark corpus (181 pages, vendored in
  ``corpora/``); the rules of :mod:`newsarchive.nlp.extraction` were first tuned on it;
- the development sets in ``corpora/extraction-sets/`` (public test pages of
  other extractors, with their licences): their ``dev`` parts by default,
  their ``heldout`` parts only with ``--held-out`` (kept for a final check).

It also checks published days against ``bench/dates/checked.json`` (benchmark
pages whose publication day was checked by hand) and writes the figures into
``BENCHMARKS.md``.

The metric is the corpus's own (see its README): ``\\w+`` tokens, multisets of
4-token shingles, per-document precision and recall averaged over documents,
F1 from the two means.

Usage::

    python -m bench.extraction                    # score and write BENCHMARKS.md
    python -m bench.extraction --sets newspaper   # only some sets, nothing written
    python -m bench.extraction --held-out         # also the held-out parts (final check)
    python -m bench.extraction --write-baseline   # also store our F1s (benchmark, dev parts) as the gate's baselines
    python -m bench.extraction --held-out --comments  # against trafilatura.extract() as it defaults: comments kept

``trafilatura default`` in the figures is ``trafilatura.extract`` with ``include_comments=False``
(reader comments are no main text in any of the sets' gold); ``trafilatura.extract`` itself
defaults to ``include_comments=True``, which ``--comments`` compares with (printed only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import trafilatura

from bench.report import write_section
from newsarchive.nlp.extraction.core import ExtractOptions, extract_article

from bench import CORPUS_DIR as CORPUS
from bench import ROOT

SETS_DIR = ROOT / "corpora" / "extraction-sets"
#: the development sets, each a folder of ``SETS_DIR``
DEV_SETS = ("readability", "newspaper", "newspaper4k", "fundus", "magic_html")
BASELINE = Path(__file__).resolve().parent / "extraction_baseline.json"
CHECKED_DATES = Path(__file__).resolve().parent / "dates/checked.json"
TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass
class Page:
    """One benchmark page with its hand-checked body."""

    doc_id: str
    url: str
    html: str
    truth: str


@dataclass
class Score:
    """Mean precision and recall over documents, F1 from the means, and speed."""

    precision: float
    recall: float
    docs_per_second: float = 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of the mean precision and mean recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of a text.

    :param text: any text
    :param size: tokens per shingle
    """
    tokens = TOKEN.findall(text)
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def document_scores(truth: str, prediction: str) -> tuple[float, float]:
    """Precision and recall of one prediction against its truth.

    True positives, false positives and false negatives are the shingle counts
    in both, only in the prediction, only in the truth, each divided by their
    sum (so long documents weigh no more than short ones); precision is then
    tp/(tp+fp) and recall tp/(tp+fn). Two empty texts score 1, as nothing was
    missed and nothing added; an empty side against a non-empty one scores 0.

    :param truth: the hand-checked body
    :param prediction: the extracted body
    """
    want, got = shingles(truth), shingles(prediction)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def score_predictions(pairs: Iterable[tuple[str, str]]) -> Score:
    """Mean precision and recall over (truth, prediction) pairs.

    :param pairs: one (truth, prediction) per document
    """
    precisions, recalls = [], []
    for truth, prediction in pairs:
        precision, recall = document_scores(truth, prediction)
        precisions.append(precision)
        recalls.append(recall)
    count = len(precisions) or 1
    return Score(sum(precisions) / count, sum(recalls) / count)


def load_corpus(corpus: Path = CORPUS) -> list[Page]:
    """All pages of the benchmark with their truth, in id order.

    :param corpus: the corpus directory (``html/`` and ``ground-truth.json``)
    """
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for doc_id in sorted(truth):
        html = gzip.decompress((corpus / "html" / f"{doc_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append(Page(doc_id, truth[doc_id]["url"], html, truth[doc_id].get("articleBody", "")))
    return pages


def load_set(name: str, split: str = "dev", sets_dir: Path = SETS_DIR) -> list[Page]:
    """The pages of one part of a development set, in id order.

    :param name: the set's folder in ``corpora/extraction-sets``
    :param split: ``"dev"`` or ``"heldout"``
    :param sets_dir: where the sets live
    """
    folder = sets_dir / name
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for doc_id in sorted(gold):
        if gold[doc_id]["split"] != split:
            continue
        html = gzip.decompress((folder / "pages" / f"{doc_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append(Page(doc_id, gold[doc_id].get("url"), html, gold[doc_id]["text"]))
    return pages


def ours(page: Page) -> str:
    """Our extractor's text for a page.

    :param page: a benchmark page
    """
    return extract_article(page.html, page.url).text


def ours_fast(page: Page) -> str:
    """Our extractor's text with ``ExtractOptions(fast=True)``.

    :param page: a benchmark page
    """
    return extract_article(page.html, page.url, options=ExtractOptions(fast=True)).text


def trafilatura_default(page: Page) -> str:
    """trafilatura's text with its default options, comments excluded.

    :param page: a benchmark page
    """
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


def trafilatura_with_comments(page: Page) -> str:
    """trafilatura's text with the options ``trafilatura.extract`` really defaults to
    (``include_comments=True``: reader comments are kept).

    :param page: a benchmark page
    """
    return trafilatura.extract(page.html, url=page.url) or ""


def run_extractors(pages: list[Page], extractors: list[Callable[[Page], str]]) -> list[Score]:
    """Extract every page with each extractor, timing them interleaved, and score them.

    The extractors take turns page by page (the first to go alternating), so
    a machine that gets busier during the run slows them alike and the speed
    ratio stays fair.

    :param pages: benchmark pages
    :param extractors: page -> text, one per extractor
    """
    elapsed = [0.0] * len(extractors)
    predictions: list[list[str]] = [[] for _ in extractors]
    for n, page in enumerate(pages):
        order = list(range(len(extractors)))
        for i in order if n % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            predictions[i].append(extractors[i](page))
            elapsed[i] += time.perf_counter() - start
    scores = []
    for texts, seconds in zip(predictions, elapsed):
        score = score_predictions((page.truth, text) for page, text in zip(pages, texts))
        score.docs_per_second = len(pages) / seconds if seconds else 0.0
        scores.append(score)
    return scores


def checked_dates(checked: Path = CHECKED_DATES) -> dict[str, str]:
    """Hand-checked publication days: ``{doc_id: "YYYY-MM-DD"}``.

    :param checked: the JSON file (``{"dates": {doc_id: {"date": ..., "evidence": ...}}}``)
    """
    if not checked.exists():
        return {}
    entries = json.loads(checked.read_text(encoding="utf-8"))["dates"]
    return {doc_id: entry["date"] for doc_id, entry in entries.items()}


def date_misses(pages: list[Page], expected: dict[str, str]) -> list[tuple[str, str, str]]:
    """The hand-checked pages whose published day our extractor gets wrong.

    :param pages: benchmark pages
    :param expected: from :func:`checked_dates`
    :returns: (doc_id, expected day, found value) per miss
    """
    by_id = {page.doc_id: page for page in pages}
    misses = []
    for doc_id, day in expected.items():
        found = extract_article(by_id[doc_id].html, by_id[doc_id].url).published_at or ""
        if found[:10] != day:
            misses.append((doc_id, day, found))
    return misses


def speed_ratio(our: Score, theirs: Score) -> float:
    """Our documents per second over trafilatura's, measured in the same run.

    :param our: our score
    :param theirs: trafilatura's score
    """
    return our.docs_per_second / theirs.docs_per_second if theirs.docs_per_second else 0.0


def table_rows(label: str, pages: int, our: Score, fast: Score, theirs: Score) -> list[str]:
    """Markdown rows for one page set.

    :param label: the set and part, e.g. ``newspaper (dev)``
    :param pages: number of documents
    :param our: our score
    :param fast: our score with ``fast=True``
    :param theirs: trafilatura default's score
    """
    cells = [("ours", our), ("ours fast", fast), ("trafilatura", theirs)]
    rows = [f"| {label} | {pages} | {name} | {s.precision:.4f} | {s.recall:.4f} | "
            f"{'**%.4f**' % s.f1 if name == 'ours' else '%.4f' % s.f1} | {s.docs_per_second:.1f} |"
            for name, s in cells]
    rows.append(f"| {label} | | ours - trafilatura | | | {our.f1 - theirs.f1:+.4f} | "
                f"x{speed_ratio(our, theirs):.2f} (fast x{speed_ratio(fast, theirs):.2f}) |")
    return rows


def report_body(results: list[tuple[str, int, Score, Score, Score]], dates: tuple[int, int]) -> str:
    """The markdown table written into BENCHMARKS.md.

    :param results: (set label, pages, ours, ours fast, trafilatura default) per page set
    :param dates: (right, checked) published dates
    """
    rows = [
        "| set | pages | extractor | precision | recall | F1 | docs/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, pages, our, fast, theirs in results:
        rows.extend(table_rows(label, pages, our, fast, theirs))
    notes = [
        "",
        "Extractors: newsarchive `extract_article` (default; `fast`: `ExtractOptions(fast=True)`) and "
        "trafilatura 2.3 default (`include_comments=False`), timed page by page in turn in the same run; "
        "the last row of each set gives the F1 difference and the speed ratio ours / trafilatura.",
        "Metric: `\\w+` tokens, 4-token shingle multisets, per-document precision/recall averaged, "
        "F1 from the means.",
        "Sets: `benchmark` = the article-extraction-benchmark corpus (181 pages; the extractor's rules were "
        "first tuned on it); `readability`, `newspaper`, `newspaper4k`, `fundus`, `magic_html` = the development sets of `corpora/extraction-sets/` "
        "(rules checked on their `dev` parts; `heldout` parts scored only for the final check).",
        "Published F1 on the benchmark for comparison (corpus README): rs_trafilatura 0.970, "
        "Zyte AutoExtract 0.970, go_trafilatura 0.960, trafilatura 2.0.0 0.958, readability.js 0.947.",
    ]
    if dates[1]:
        notes.append(f"Published dates right to the day: {dates[0]}/{dates[1]} "
                     f"({dates[0] / dates[1]:.0%}) of the hand-checked pages in `bench/dates/checked.json` "
                     "(the day the outlet shows its readers, in its own time zone).")
    return "\n".join(rows + notes)


def page_sets(names: list[str], held_out: bool) -> list[tuple[str, list[Page]]]:
    """The page sets to score, labelled.

    :param names: ``benchmark`` and/or development set names
    :param held_out: also the held-out parts of the development sets
    """
    chosen = []
    for name in names:
        if name == "benchmark":
            chosen.append(("benchmark", load_corpus()))
            continue
        chosen.append((f"{name} (dev)", load_set(name, "dev")))
        if held_out:
            chosen.append((f"{name} (held out)", load_set(name, "heldout")))
    return chosen


def main() -> None:
    """Score both extractors per set, print the figures, write BENCHMARKS.md (and the baseline)."""
    parser = argparse.ArgumentParser(
        description="Score article extraction, ours against trafilatura, on each page set. "
                    "Example: python -m bench.extraction --sets readability newspaper")
    parser.add_argument("--sets", nargs="+", default=["benchmark", *DEV_SETS],
                        choices=["benchmark", *DEV_SETS], help="page sets to score (default: all)")
    parser.add_argument("--held-out", action="store_true", help="also score the held-out parts")
    parser.add_argument("--comments", action="store_true",
                        help="compare with trafilatura as its extract() defaults, comments kept (printed only)")
    parser.add_argument("--write-baseline", action="store_true",
                        help="store our F1 on the benchmark and each development set's dev part as the gate's baselines")
    args = parser.parse_args()
    results = []
    for label, pages in page_sets(args.sets, args.held_out):
        other = trafilatura_with_comments if args.comments else trafilatura_default
        our, fast, theirs = run_extractors(pages, [ours, ours_fast, other])
        results.append((label, len(pages), our, fast, theirs))
        theirs_name = "trafilatura, comments" if args.comments else "trafilatura default"
        for name, score in (("ours", our), ("ours, fast=True", fast), (theirs_name, theirs)):
            print(f"{label:24} {name:20} P={score.precision:.4f} R={score.recall:.4f} "
                  f"F1={score.f1:.4f} {score.docs_per_second:.1f} docs/s")
        print(f"{label:24} ours - trafilatura: F1 {our.f1 - theirs.f1:+.4f}, speed x{speed_ratio(our, theirs):.2f}")
    dates = (0, 0)
    if "benchmark" in args.sets:
        expected = checked_dates()
        misses = date_misses(load_corpus(), expected)
        dates = (len(expected) - len(misses), len(expected))
        if dates[1]:
            print(f"published dates right: {dates[0]}/{dates[1]}")
            for doc_id, day, found in misses:
                print(f"  date miss {doc_id[:12]}: expected {day}, got {found or None}")
    if args.comments:
        print("(trafilatura with comments: BENCHMARKS.md left as it is)")
    elif set(args.sets) == {"benchmark", *DEV_SETS}:
        write_section("extraction", "Article extraction", report_body(results, dates))
    else:
        print("(only some sets scored: BENCHMARKS.md left as it is)")
    if args.write_baseline:
        baseline = {label.removesuffix(" (dev)"): {"f1": round(our.f1, 4), "precision": round(our.precision, 4),
                                                   "recall": round(our.recall, 4), "pages": pages}
                    for label, pages, our, _, _ in results if label == "benchmark" or label.endswith(" (dev)")}
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
        print(f"baseline written to {BASELINE}")


if __name__ == "__main__":
    main()
