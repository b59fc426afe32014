"""Stage rates and the end-to-end pipeline, measured in one run.

On the extraction benchmark's 181 real pages served over HTTP from 127.0.0.1:

(a) extraction docs/s (trafilatura through ``newsarchive.nlp.extraction.core``, one process);
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

Each round measures (a), (b), (b'), the crawl and both reprocess runs once, in that order,
so the figures of a round are close in time; the report gives medians over the rounds, and
each share is the median of the rounds' own shares (the machine is shared and noisy).
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
from newsarchive.nlp.entities.extract import analysis_text

ROOT = Path(__file__).resolve().parent.parent
B_STAGE = "b'"


def stage_rates(pages: list[bytes]) -> tuple[float, float, float, list[str]]:
    """Over the pages, one process each: extraction docs/s; entities docs/s; and the whole
    NLP stage as the pipeline runs it (entities, incident evidence, story linking) docs/s."""
    from newsarchive.nlp.entities.extract import extract_entities, load_nlp
    from newsarchive.nlp.extraction.core import extract_article
    from newsarchive.nlp.stories.linker import StoryArticle, StoryLinker

    started = time.perf_counter()
    articles = [extract_article(page) for page in pages]
    extraction = len(pages) / (time.perf_counter() - started)
    kept = [a for a in articles if a.extraction_status == "ok"]
    texts = [analysis_text(a.title, a.text) for a in kept]
    nlp = load_nlp()
    extract_entities(texts[0], nlp=nlp)  # warm up
    started = time.perf_counter()
    found = [extract_entities(text, nlp=nlp) for text in texts]
    entities_s = time.perf_counter() - started
    linker = StoryLinker()
    linker.tagger.tag_article("warm up", "The files were sent to the wrong address.")
    linker.item(StoryArticle("warm up", "Warm up", "The word frequencies load once.", "2024-01-01"))
    started = time.perf_counter()
    for number, (article, ents) in enumerate(zip(kept, found)):
        linker.add(StoryArticle(str(number), article.title or "", article.text,
                                (article.published_at or "2024-01-01")[:10], [(e.archive_kind, e.key) for e in ents]))
    stories_s = time.perf_counter() - started
    return extraction, len(texts) / entities_s, len(texts) / (entities_s + stories_s), texts


def newsarchive(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsarchive.app", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"newsarchive {args[0]} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def count_articles(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from articles where processed_model is not null").fetchone()[0]


def crawl_end_to_end(work: Path, sources: Path) -> tuple[float, int]:
    """One ``newsarchive crawl`` into a fresh archive under ``work``: seconds, articles."""
    db = work / "archive.db"
    seconds = newsarchive("crawl", "--sources", str(sources), "--db", str(db), "--allow-private",
                          "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
                          "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "LOG_LEVEL=WARNING")
    return seconds, count_articles(db)


def reprocess(work: Path, sources: Path, processes: int, archived: int) -> float:
    """``newsarchive reprocess`` of the WARC files under ``work`` into a new archive: seconds."""
    rebuilt = work / f"rebuilt-{processes}.db"
    seconds = newsarchive("reprocess", "--db", str(rebuilt), "--warc-dir", str(work / "warc"),
                          "--sources", str(sources), "--processes", str(processes))
    assert count_articles(rebuilt) == archived, "reprocess rebuilt a different number of articles"
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1, help="serve each page under this many URLs")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, each measuring (a), (b), (b'), the crawl and reprocess with 1 and 2 processes")
    args = parser.parse_args()
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(CORPUS.glob("*.html.gz"))] * args.copies
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        site, sources, total = serve_corpus_site(Path(tmp), args.copies)
        try:
            # every figure is measured once a round, close in time to the others, so a noisy
            # spell on this shared machine hits a round's stage rates and its crawl alike
            for number in range(args.rounds):
                work = Path(tmp) / f"round-{number}"
                work.mkdir()
                extraction, nlp_rate, nlp_stage_rate, texts = stage_rates(pages)
                crawl_s, archived = crawl_end_to_end(work, sources)
                one = reprocess(work, sources, 1, archived)
                two = reprocess(work, sources, 2, archived)
                rounds.append({"a": extraction, "b": nlp_rate, B_STAGE: nlp_stage_rate, "crawl_s": crawl_s,
                               "archived": archived, "c": archived / crawl_s,
                               "bound": 2 / (1 / extraction + 1 / nlp_rate),
                               "stage_bound": 2 / (1 / extraction + 1 / nlp_stage_rate),
                               "reprocess_1": one, "reprocess_2": two})
                print(f"round {number + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in rounds[-1].items()), flush=True)
        finally:
            site.shutdown()

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    def median_ratio(top: str, bottom: str) -> float:
        return statistics.median(r[top] / r[bottom] for r in rounds)

    def listed(values) -> str:
        return ", ".join(values)

    archived = rounds[0]["archived"]
    body = (
        f"{len(pages) // args.copies} real article pages, each served under {args.copies} URL(s) ({total} URLs "
        f"on 127.0.0.1; the stage rates run over the pages as often), {len(texts)} with article text. "
        f"{args.rounds} round(s); each measures every figure below once, in the order listed; "
        "the table gives medians, and each share is the median of the rounds' own shares.\n\n"
        "| stage | rate |\n|---|---|\n"
        f"| (a) extraction, 1 process | {median('a'):.1f} docs/s |\n"
        f"| (b) NLP (our spaCy pipeline), 1 process | {median('b'):.1f} docs/s |\n"
        f"| bound with 2 cores: 2/(1/a+1/b) | {median('bound'):.1f} docs/s |\n"
        f"| (c) end to end: crawl + WARC + extraction + entities + incident evidence + stories | "
        f"{median('c'):.1f} articles/s ({archived} articles in {median('crawl_s'):.1f}s, "
        "from the command's start to its exit: process start-up and model load included) |\n"
        f"| (c) as a share of the bound | {median_ratio('c', 'bound'):.2f} |\n"
        f"| (b') the NLP stage as the pipeline runs it (entities + incident evidence + story linking), "
        f"1 process | {median(B_STAGE):.1f} docs/s |\n"
        f"| bound with 2 cores from (a) and (b') | {median('stage_bound'):.1f} docs/s |\n"
        f"| (c) as a share of that bound | {median_ratio('c', 'stage_bound'):.2f} |\n"
        f"| reprocess from WARC, 1 process | {archived / median('reprocess_1'):.1f} articles/s "
        f"({median('reprocess_1'):.1f}s) |\n"
        f"| reprocess from WARC, 2 processes | {archived / median('reprocess_2'):.1f} articles/s "
        f"({median('reprocess_2'):.1f}s) |\n"
        f"| reprocess speed-up, 2 processes against 1 | {median_ratio('reprocess_1', 'reprocess_2'):.2f}x |\n"
        "\nPer round: (c) as a share of the bound "
        + listed(f"{r['c'] / r['bound']:.2f}" for r in rounds)
        + "; of the (b') bound " + listed(f"{r['c'] / r['stage_bound']:.2f}" for r in rounds)
        + "; crawl seconds " + listed(f"{r['crawl_s']:.1f}" for r in rounds)
        + "; reprocess seconds with 1 process " + listed(f"{r['reprocess_1']:.1f}" for r in rounds)
        + ", with 2 " + listed(f"{r['reprocess_2']:.1f}" for r in rounds)
        + "; speed-up " + listed(f"{r['reprocess_1'] / r['reprocess_2']:.2f}x" for r in rounds) + ".\n"
    )
    print(body)
    if args.copies == 1:
        write_section("pipeline", "Pipeline: stage rates, end to end, reprocess", body)
    else:  # a section of its own: the 181 pages once stay the figures
        write_section(f"pipeline-copies-{args.copies}",
                      f"Pipeline with each page served under {args.copies} URLs: fixed costs spread thinner",
                      body)


if __name__ == "__main__":
    main()
