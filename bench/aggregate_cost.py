"""What keeping the entity aggregates current costs `process` and `reprocess`, in one run.

``python -m bench.aggregate_cost [--articles 181] [--rounds 3] [--no-write]``

The entities of real article texts (the extraction benchmark's bodies, ``corpora/``) are
found once with the project's pipeline, timed: that is the NLP part of `process`. Then the
same results are written into fresh archives by two writers, interleaved round by round:

- ``before``: the writer as it was before the aggregates (:class:`BeforeStore`: mentions
  replaced, each touched entity's counts recounted from ``mentions``), on the same schema;
- ``after``: the store's writer (:meth:`newsarchive.archive.store.Store.save_entities`),
  which also moves ``entity_pairs``, ``entity_weeks`` and the counts by what changed.

Each round times a first pass over every article in batches of 64 (what `process` writes)
and a second pass with the same results (what `reprocess` writes when nothing changed). The
extra cost is the writer's extra seconds as a share of NLP plus the writer's before-seconds,
i.e. of a `process` run's analysis time (fetching, extraction and story linking left out,
so the share is an upper bound). Best round of each kept: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench import CORPUS_DIR
from bench.report import write_section
from newsarchive.archive.clock import utcnow
from newsarchive.archive.sources import Source
from newsarchive.archive.store import Store
from newsarchive.nlp.entities.extract import Entity, extract_entities_many
from newsarchive.nlp.entities.pipeline import load_nlp, model_name
from newsarchive.nlp.extraction.core import Article

BATCH = 64
TARGET_SHARE = 0.10


class BeforeStore(Store):
    """The store with the writer as it was before the aggregates (commit b62c45c)."""

    def save_entities(self, batch: list[tuple[int, list[Entity]]], model: str) -> None:
        conn = self.db.conn
        touched: set[int] = set()
        with self.transaction():
            for article_id, entities in batch:
                touched |= {r[0] for r in conn.execute(
                    "select distinct entity_id from mentions where article_id = ?", [article_id])}
                conn.execute("delete from mentions where article_id = ?", [article_id])
                for entity in entities:
                    entity_id = self._upsert_entity(entity)
                    touched.add(entity_id)
                    self._insert_mentions(article_id, entity_id, entity)
                conn.execute("update articles set processed_model = ?, processed_at = ? where id = ?",
                             [model, utcnow(), article_id])
            if touched:
                ids = ",".join(str(int(i)) for i in touched)
                conn.execute(f"""
                    update entities set
                      article_count = (select count(distinct article_id) from mentions where entity_id = entities.id),
                      mention_count = (select count(*) from mentions where entity_id = entities.id),
                      first_seen = (select min(coalesce(a.published_at, a.first_seen)) from mentions m
                                    join articles a on a.id = m.article_id where m.entity_id = entities.id),
                      last_seen = (select max(coalesce(a.published_at, a.first_seen)) from mentions m
                                   join articles a on a.id = m.article_id where m.entity_id = entities.id)
                    where id in ({ids})""")


def load_bodies(limit: int) -> list[str]:
    """The first ``limit`` non-empty article bodies of the extraction benchmark."""
    records = json.loads((CORPUS_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    return [b for b in (r.get("articleBody") or "" for r in records.values()) if b.strip()][:limit]


def write_pass(store: Store, ids: list[int], found: list[list[Entity]]) -> float:
    """Seconds to save every article's entities, :data:`BATCH` articles per transaction."""
    started = time.perf_counter()
    for at in range(0, len(ids), BATCH):
        store.save_entities(list(zip(ids[at:at + BATCH], found[at:at + BATCH])), "bench")
    return time.perf_counter() - started


def one_round(kind: type[Store], folder: Path, bodies: list[str], found: list[list[Entity]]) -> tuple[float, float]:
    """(first pass, second pass) seconds of one writer on a fresh archive."""
    path = folder / f"{kind.__name__}-{time.monotonic_ns()}.db"
    with kind(path) as store:
        store.save_sources([Source(name="Bench", homepage="https://bench.example/")])
        ids = [store.save_article("Bench", f"https://bench.example/{n}",
                                  Article(text=body, title=f"Article {n}", published_at=f"2024-0{1 + n % 9}-1{n % 10}"),
                                  "2024-10-01T00:00:00Z")[0] for n, body in enumerate(bodies)]
        first = write_pass(store, ids, found)
        second = write_pass(store, ids, found)
    for leftover in folder.glob(f"{path.name}*"):
        leftover.unlink()
    return first, second


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Cost of the entity aggregates on process and reprocess. Example: python -m bench.aggregate_cost --rounds 3")
    parser.add_argument("--articles", type=int, default=181)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print, but leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    bodies = load_bodies(args.articles)
    nlp = load_nlp(model_name())
    started = time.perf_counter()
    found = list(extract_entities_many(bodies, nlp=nlp))
    nlp_seconds = time.perf_counter() - started
    times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            order = [("before", BeforeStore), ("after", Store)]
            for name, kind in order if n % 2 == 0 else order[::-1]:
                times[name].append(one_round(kind, Path(tmp), bodies, found))
    best = {name: (min(t[0] for t in runs), min(t[1] for t in runs)) for name, runs in times.items()}
    entities = sum(len(f) for f in found)
    mentions = sum(len(e.mentions) for f in found for e in f)
    pairs = sum(len({e.key for e in f if e.mentions}) * (len({e.key for e in f if e.mentions}) - 1) for f in found)
    rows = []
    for label, index in (("process (first write)", 0), ("reprocess (same results again)", 1)):
        before, after = best["before"][index], best["after"][index]
        share = (after - before) / (nlp_seconds + before)
        rows.append(f"| {label} | {before:.2f} | {after:.2f} | {after - before:+.2f} | {nlp_seconds:.1f} | "
                    f"{100 * share:+.1f}% | {'yes' if share <= TARGET_SHARE else 'NO'} |")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join([
        f"{len(bodies)} article bodies of the extraction benchmark; {entities:,} entities, {mentions:,} mentions, "
        f"{pairs:,} ordered entity pairs in all. NLP (our pipeline, `{model_name()}`, 1 process): "
        f"{nlp_seconds:.1f} s. Writer seconds: best of {args.rounds} interleaved rounds, batches of {BATCH}. "
        f"Load average (1/5/15 min) at the end: {load} on {os.cpu_count()} cores (shared machine).", "",
        "| pass | writer before (s) | writer with aggregates (s) | extra (s) | NLP (s) | extra, share of NLP + writer | <= 10% |",
        "|---|---:|---:|---:|---:|---:|---|",
        *rows, "",
        "Every round, seconds (first pass, second pass): "
        + "; ".join(f"{name} " + ", ".join(f"({a:.2f}, {b:.2f})" for a, b in runs) for name, runs in times.items()),
    ])
    print(body)
    if not args.no_write:
        write_section("aggregate-cost", "Cost of the entity aggregates on process and reprocess (issue 20)", body)


if __name__ == "__main__":
    main()
