"""Stage rates and the end-to-end pipeline, measured in one run.

On the extraction benchmark's 181 real pages served over HTTP from 127.0.0.1:

(a) extraction docs/s (trafilatura through ``nlp.extract``, one process);
(b) NLP docs/s (our spaCy pipeline with entity linking, one process, on the
    extracted texts); and (b') the whole NLP stage as a crawl runs it: (b) plus
    incident evidence and story linking;
(c) end to end: ``newsarchive crawl`` (crawl + WARC capture + extraction in the
    crawl process; entities and incident evidence in two worker processes fed
    as articles arrive; the command's own process writes them and links
    stories), articles/s from the command's start to its exit.

With both cores busy, the two stage rates bound the end-to-end rate at
``2 / (1/a + 1/b)`` (each article needs 1/a + 1/b core-seconds; two cores);
the bound from (a) and (b') counts the work the pipeline really does per
article. Neither counts Scrapy, WARC writing, SQLite writes or process and
model start-up. Then ``newsarchive reprocess`` from the captured WARC with 1
and with 2 processes, interleaved rounds. Run from the project root:

    python -m bench.pipeline [--copies 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from bench.distributed import CORPUS, serve_corpus_site
from bench.report import write_section

ROOT = Path(__file__).resolve().parent.parent


def stage_rates(pages: list[bytes]) -> tuple[float, float, float, list[str]]:
    """Over the pages, one process each: extraction docs/s; entities docs/s; and the whole
    NLP stage as the pipeline runs it (entities, incident evidence, story linking) docs/s."""
    from nlp.entities import extract_entities, load_nlp
    from nlp.extract import extract_article
    from nlp.stories import StoryArticle, StoryLinker

    started = time.perf_counter()
    articles = [extract_article(page) for page in pages]
    extraction = len(pages) / (time.perf_counter() - started)
    kept = [a for a in articles if a.extraction_status == "ok"]
    texts = [(a.title or "") + "\n\n" + a.text for a in kept]
    nlp = load_nlp()
    extract_entities(texts[0], nlp=nlp)  # warm up
    started = time.perf_counter()
    found = [extract_entities(text, nlp=nlp) for text in texts]
    entities_s = time.perf_counter() - started
    linker = StoryLinker()
    linker.tagger.tag_article("warm up", "The files were sent to the wrong address.")
    started = time.perf_counter()
    for number, (article, ents) in enumerate(zip(kept, found)):
        linker.add(StoryArticle(str(number), article.title or "", article.text,
                                (article.published_at or "2024-01-01")[:10], [(e.kind, e.key) for e in ents]))
    stories_s = time.perf_counter() - started
    return extraction, len(texts) / entities_s, len(texts) / (entities_s + stories_s), texts


def newsarchive(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "archive", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"newsarchive {args[0]} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def count_articles(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles where processed_model is not null").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1, help="serve each page under this many URLs")
    parser.add_argument("--rounds", type=int, default=3, help="reprocess runs with 1 and with 2 processes")
    args = parser.parse_args()
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(CORPUS.glob("*.html.gz"))] * args.copies
    extraction, nlp_rate, nlp_stage_rate, texts = stage_rates(pages)
    bound = 2 / (1 / extraction + 1 / nlp_rate)
    stage_bound = 2 / (1 / extraction + 1 / nlp_stage_rate)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site, sources, total = serve_corpus_site(work, args.copies)
        db = work / "archive.db"
        crawl_s = newsarchive("crawl", "--sources", str(sources), "--db", str(db), "--allow-private",
                              "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
                              "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "LOG_LEVEL=WARNING")
        archived = count_articles(db)
        site.shutdown()
        runs: dict[int, list[float]] = {1: [], 2: []}
        for round_ in range(args.rounds):  # interleaved, so a noisy spell hits both alike
            for processes in (1, 2):
                rebuilt = work / f"rebuilt-{processes}-{round_}.db"
                runs[processes].append(newsarchive("reprocess", "--db", str(rebuilt), "--warc-dir",
                                                   str(work / "warc"), "--sources", str(sources),
                                                   "--processes", str(processes)))
                assert count_articles(rebuilt) == archived, "reprocess rebuilt a different number of articles"
        reprocess = {n: statistics.median(times) for n, times in runs.items()}
        # each round's two runs are close in time: their ratio is the fair one on a shared machine
        speedup = statistics.median(a / b for a, b in zip(runs[1], runs[2]))
    end_to_end = archived / crawl_s
    body = (
        f"{len(pages)} real article pages ({total} URLs served on 127.0.0.1), {len(texts)} with article text.\n\n"
        "| stage | rate |\n|---|---|\n"
        f"| (a) extraction, 1 process | {extraction:.1f} docs/s |\n"
        f"| (b) NLP (our spaCy pipeline), 1 process | {nlp_rate:.1f} docs/s |\n"
        f"| bound with 2 cores: 2/(1/a+1/b) | {bound:.1f} docs/s |\n"
        f"| (c) end to end: crawl + WARC + extraction + entities | {end_to_end:.1f} articles/s "
        f"({archived} articles in {crawl_s:.1f}s, including process start-up and model load) |\n"
        f"| (c) as a share of the bound | {end_to_end / bound:.2f} |\n"
        f"| (b') the NLP stage as the pipeline runs it (entities + incident evidence + story linking), "
        f"1 process | {nlp_stage_rate:.1f} docs/s |\n"
        f"| bound with 2 cores from (a) and (b') | {stage_bound:.1f} docs/s |\n"
        f"| (c) as a share of that bound | {end_to_end / stage_bound:.2f} |\n"
        f"| reprocess from WARC, 1 process | {archived / reprocess[1]:.1f} articles/s ({reprocess[1]:.1f}s) |\n"
        f"| reprocess from WARC, 2 processes | {archived / reprocess[2]:.1f} articles/s ({reprocess[2]:.1f}s) |\n"
        f"| reprocess speed-up, 2 processes against 1 (median of the rounds' ratios) | {speedup:.2f}x |\n"
        f"\nReprocess: median of {args.rounds} run(s) each, interleaved; seconds with 1 process: "
        + ", ".join(f"{t:.1f}" for t in runs[1]) + "; with 2: " + ", ".join(f"{t:.1f}" for t in runs[2])
        + "; speed-up per round: " + ", ".join(f"{a / b:.2f}x" for a, b in zip(runs[1], runs[2])) + ".\n"
    )
    print(body)
    write_section("pipeline", "Pipeline: stage rates, end to end, reprocess", body)


if __name__ == "__main__":
    main()
