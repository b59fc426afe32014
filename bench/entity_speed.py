"""Throughput of our entity pipeline against the bare spaCy model and the pipeline before
issue 18, on the same texts, in one run.

The texts are the seed story and the first article bodies of the article-extraction-benchmark
ground truth. Timed over them:

* ``bare``: ``spacy.load(model)`` as shipped, through ``nlp.pipe``;
* ``before``: the whole model (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner)
  with our components, as the pipeline was before issue 18;
* ``pipeline``: ``load_nlp`` as shipped now: the model's ``ner`` (it has its own tok2vec),
  a rule-based ``sentencizer`` and our components;
* ``pipeline-senter``: the same with the model's statistical ``senter`` for sentences;
* ``extract-before`` and ``extract``: ``extract_entities_many`` (pipeline plus resolution and
  linking) on ``before`` and on ``pipeline``.

Runs are interleaved (the order rotated each round) and the best of ``--repeats`` is kept
for each, because the machine is shared and the slowest runs measure the neighbours, not
us; the median is shown too. Targets: ``pipeline`` at 1.8x or more of ``before`` (issue 18),
and at 90% or more of ``bare``. The entities found by ``extract`` and ``extract-before`` are
compared text by text.

Usage::

    python -m bench.entity_speed                 # 100 bodies + seed, 3 repeats
    python -m bench.entity_speed --limit 20 --repeats 1 --no-write
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from bench.report import write_section
from newsarchive.nlp.entities.extract import extract_entities_many
from newsarchive.nlp.entities.pipeline import add_components, load_nlp, model_name, model_path

from bench import CORPUS_DIR, SEED_DIR
GROUND_TRUTH = CORPUS_DIR / "ground-truth.json"
TARGET_RATIO = 0.90
#: Issue 18: the pipeline at this multiple of the pipeline before it, in docs/s.
TARGET_SPEEDUP = 1.8


def load_texts(limit: int) -> list[str]:
    """The seed stories and the first ``limit`` non-empty article bodies of the benchmark.

    :param limit: how many article bodies to take
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]
    if GROUND_TRUTH.exists():
        records = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
        bodies = [r.get("articleBody") or "" for r in records.values()]
        texts.extend([b for b in bodies if b.strip()][:limit])
    return texts


#: Runs are timed in CPU seconds of this process (``time.process_time``), not wall-clock
#: seconds: on a machine shared with other jobs the wall clock measures the neighbours
#: (a load of 10 on 2 cores made the bare model look faster than a subset of itself).
CLOCK = time.process_time


def best_time(run: Callable[[], object], repeats: int) -> list[float]:
    """CPU seconds (:data:`CLOCK`) of each of ``repeats`` calls.

    :param run: the work to time
    :param repeats: how many times
    """
    times = []
    for _ in range(repeats):
        start = CLOCK()
        run()
        times.append(CLOCK() - start)
    return times


def measure(texts: list[str], model: str, repeats: int, batch_size: int,
            other: str | None = None) -> dict[str, list[float]]:
    """Time the variants over ``texts``, interleaved.

    :param texts: the texts
    :param model: spaCy model name
    :param repeats: runs per variant
    :param batch_size: ``nlp.pipe`` batch size
    :param other: another model whose pipeline (ours, as shipped) is timed too
    """
    bare = spacy.load(model_path(model))
    before = before_pipeline(model)
    ours = load_nlp(model)
    senter = load_nlp(model, sentences="senter")
    variants: dict[str, Callable[[], object]] = {
        "bare": lambda: list(bare.pipe(texts, batch_size=batch_size)),
        "before": lambda: list(before.pipe(texts, batch_size=batch_size)),
        "pipeline": lambda: list(ours.pipe(texts, batch_size=batch_size)),
        "pipeline-senter": lambda: list(senter.pipe(texts, batch_size=batch_size)),
        "extract-before": lambda: list(extract_entities_many(texts, before, batch_size=batch_size)),
        "extract": lambda: list(extract_entities_many(texts, ours, batch_size=batch_size)),
    }
    if other:
        other_nlp = load_nlp(other)
        variants[f"pipeline ({other})"] = lambda: list(other_nlp.pipe(texts, batch_size=batch_size))
        variants[f"extract ({other})"] = lambda: list(extract_entities_many(texts, other_nlp, batch_size=batch_size))
    for run in variants.values():  # warm-up: caches, tables, first-batch allocations
        run()
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for round_number in range(repeats):
        # Rotate the order each round: on a shared machine whichever runs first in a round
        # meets different neighbours than whichever runs last.
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].extend(best_time(variants[name], 1))
    return times


def before_pipeline(model: str):
    """The pipeline as it was before issue 18: the whole model with our components."""
    return add_components(spacy.load(model_path(model)))


def agreement(texts: list[str], model: str, batch_size: int) -> str:
    """On how many texts the entities (kind, key) of ``extract`` equal those of ``extract-before``,
    for the sentencizer and the senter.

    :param texts: the texts
    :param model: spaCy model name
    :param batch_size: ``nlp.pipe`` batch size
    """
    def keys(nlp) -> list[set[tuple[str, str]]]:
        return [{(e.kind, e.key) for e in found} for found in extract_entities_many(texts, nlp, batch_size=batch_size)]

    old = keys(before_pipeline(model))
    lines = []
    for sentences in ("sentencizer", "senter"):
        new = keys(load_nlp(model, sentences=sentences))
        same = sum(a == b for a, b in zip(old, new, strict=True))
        changed = sum(len(a ^ b) for a, b in zip(old, new, strict=True))
        total = sum(len(a) for a in old)
        lines.append(f"- `{sentences}`: the same entities as before on {same} of {len(texts)} texts; "
                     f"{changed} entities differ of {total}.")
    return "\n".join(lines)


def component_seconds(texts: list[str], model: str, batch_size: int) -> dict[str, float]:
    """Seconds spent in each pipeline component over ``texts``, run one component at a time.

    A steadier measure than whole-pipeline wall time on a shared machine: our components'
    share of the total does not depend on what the neighbours are doing.

    :param texts: the texts
    :param model: spaCy model name
    :param batch_size: batch size for components that have ``pipe``
    """
    nlp = load_nlp(model)
    list(nlp.pipe(texts[:2]))  # warm-up: tables and the suffix list load on first use
    start = CLOCK()
    docs = [nlp.make_doc(t) for t in texts]
    seconds = {"tokenizer": CLOCK() - start}
    for name, component in nlp.pipeline:
        start = CLOCK()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = CLOCK() - start
    return seconds


def component_table(seconds: dict[str, float]) -> str:
    """Markdown table of per-component seconds and share of the total.

    :param seconds: from :func:`component_seconds`
    """
    total = sum(seconds.values())
    ours = sum(v for k, v in seconds.items() if k.startswith("newsarchive_"))
    rows = [f"| {name} | {secs:.2f} | {secs / total:.1%} |" for name, secs in seconds.items()]
    return "\n".join(
        ["| component | s | share |", "|---|---:|---:|", *rows, "",
         f"Our components take {ours:.2f} s of {total:.2f} s ({ours / total:.1%}) of the pipeline's time."]
    )


def report(texts: list[str], times: dict[str, list[float]], model: str) -> str:
    """A markdown table of docs/s and characters/s per variant, and the ratio to the bare model.

    :param texts: the texts timed
    :param times: seconds per run, per variant
    :param model: the model name
    """
    chars = sum(len(t) for t in texts)
    bare_best = min(times["bare"])
    before_best = min(times["before"])
    lines = [
        f"Model `{model}`, {len(texts)} texts, {chars:,} characters; best of {len(times['bare'])} runs each, "
        f"interleaved; CPU seconds of this process, since the machine is shared. Targets: `pipeline` at >= {TARGET_SPEEDUP}x `before`, and >= {TARGET_RATIO:.0%} of `bare`.",
        "",
        "| variant | best CPU s | median CPU s | docs/s (best) | chars/s (best) | vs bare (best) | vs before (best) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in times.items():
        best = min(runs)
        lines.append(
            f"| {name} | {best:.2f} | {statistics.median(runs):.2f} | {len(texts) / best:.1f} "
            f"| {chars / best:,.0f} | {bare_best / best:.1%} | {before_best / best:.2f}x |"
        )
    ratio = bare_best / min(times["pipeline"])
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    speedup = before_best / min(times["pipeline"])
    verdict2 = "meets" if speedup >= TARGET_SPEEDUP else "misses"
    lines += ["", f"Pipeline throughput is {ratio:.1%} of the bare model's: {verdict} the target. "
              f"It is {speedup:.2f}x the pipeline before issue 18: {verdict2} the {TARGET_SPEEDUP}x target. "
              f"End to end (`extract` against `extract-before`): "
              f"{min(times['extract-before']) / min(times['extract']):.2f}x."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="example: python -m bench.entity_speed --limit 20 --repeats 1 --no-write")
    parser.add_argument("--limit", type=int, default=100, help="article bodies to take")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per variant")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default=None, help="spaCy model (default: the setting)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md")
    parser.add_argument("--other-model", default=None, help="time our pipeline on this model too")
    args = parser.parse_args()
    model = model_name(args.model)
    texts = load_texts(args.limit)
    body = report(texts, measure(texts, model, args.repeats, args.batch_size, args.other_model), model)
    body += "\n\nEntities of the new pipeline against the one before, on the same texts:\n\n"
    body += agreement(texts, model, args.batch_size)
    body += "\n\nTime per component (one pass, components run one after another):\n\n"
    body += component_table(component_seconds(texts, model, args.batch_size))
    print(body)
    if not args.no_write:
        write_section("entity-speed", "Entity pipeline speed", body)


if __name__ == "__main__":
    main()
