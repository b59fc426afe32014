"""The story linker's memory and cost per article as the archive grows (issue 20).

``python -m bench.story_memory --sizes 100000 1000000 [--per-day 300]``

For each size, a fresh process links that many synthetic articles through the archive's own
code path (:func:`newsarchive.stages.stories.link_and_save`, batches of
:data:`newsarchive.stages.stories.BATCH`, the linker reading stories back from
``story_items`` of a real archive file and dropping old ones), and reports its peak
resident memory and the seconds per 1,000 articles over the first and the last tenth.

The stream is what a crawl of a steady news flow gives: ``--per-day`` articles a day, so
a bigger archive covers more days, not more articles per day (the linker's memory follows
the news of a few weeks, which is the claim measured). Its articles arrive in published
order but shuffled within each batch, and one in 50 is late (published up to 60 days
before), so reading old days back is exercised. About 40% of articles report an event with
2 to 5 reports over 3 days, sharing event words and names; the others stand alone. Words are
English words from wordfreq's list (so term weights work as on real text), names are made
up. Incident evidence is handed in empty, as the analysis workers hand in theirs.

What is not real: the texts (word salad with the shapes that matter: length, shared
words, shared names) and the missing ``articles`` rows (foreign keys are off in the
bench's archive, which holds only the story tables).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from bench.report import write_section

START = date(2015, 1, 1)


def synthetic_articles(count: int, per_day: int, seed: int = 1, words: tuple[int, int] = (90, 160)) -> Iterator:
    """``count`` articles, ``per_day`` a day, events reported by several outlets."""
    from wordfreq import top_n_list

    from newsarchive.nlp.stories.incidents import ArticleIncident
    from newsarchive.nlp.stories.records import StoryArticle

    rng = random.Random(seed)
    common = top_n_list("en", 30000)
    rare = top_n_list("en", 30000)[10000:]
    names = [f"{rng.choice('BCDFGKLMNPRSTVZ')}{rng.choice('aeiou')}{rng.choice('lmnrstvz')}"
             f"{rng.choice('aeiou')}{rng.choice('bdgklmnprst')}{rng.choice(['a', 'o', 'ia', 'en', 'ar'])}"
             for _ in range(60000)]
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(common))))
    events: list[tuple[int, list[str], list[tuple[str, str]], int]] = []  # (day, words, entities, reports left)
    made = 0
    while made < count:
        day_number = made // per_day
        batch = []
        for _ in range(min(per_day, count - made)):
            day = day_number
            if rng.random() < 0.02:
                day = max(0, day_number - rng.randint(7, 60))
            open_events = [e for e in events if e[3] > 0 and abs(e[0] - day) <= 3]
            if open_events and rng.random() < 0.4:
                index = events.index(rng.choice(open_events))
                event_day, event_words, entities, left = events[index]
                events[index] = (event_day, event_words, entities, left - 1)
            elif rng.random() < 0.25:
                event_words = rng.sample(rare, 12)
                entities = [("organisation", rng.choice(names).lower()), ("person", rng.choice(names).lower()),
                            ("country", rng.choice(["ml", "fr", "gb", "us", "de"]))]
                events.append((day, event_words, entities, rng.randint(1, 4)))
            else:
                event_words = rng.sample(rare, 4)
                entities = [("organisation", rng.choice(names).lower()), ("person", rng.choice(names).lower())]
            filler = rng.choices(common, cum_weights=cumulative, k=rng.randint(*words))
            text_words = filler + event_words * 2 + [name for _kind, name in entities]
            rng.shuffle(text_words)
            text = ". ".join(" ".join(text_words[i:i + 18]) for i in range(0, len(text_words), 18)) + "."
            published = (START + timedelta(days=day)).isoformat()
            batch.append(StoryArticle(id=str(made + 1), title=" ".join(event_words[:3] + filler[:5]), text=text,
                                      published=published, entities=list(entities), incident=ArticleIncident(),
                                      language="en"))
            made += 1
        events = [e for e in events if e[3] > 0 and e[0] >= day_number - 5]
        yield from batch


def measure(count: int, per_day: int, words: tuple[int, int] = (90, 160)) -> dict:
    """Link ``count`` articles in this process; the figures as a dict."""
    from newsarchive.archive.store import Store
    from newsarchive.nlp.stories.linker import StoryLinker
    from newsarchive.stages import stories

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "archive.db") as store:
        store.db.execute("PRAGMA foreign_keys=OFF")  # story tables only: no article rows here
        linker = StoryLinker(store=stories._SavedStories(store))
        rng = random.Random(2)
        tenth = max(1, count // 10)
        marks: list[float] = []
        most_in_memory = 0
        batch: list = []
        started = time.perf_counter()
        rss: list[float] = []  # resident MiB after each tenth
        expected = None  # the story state's version, as the updater keeps it
        for number, article in enumerate(synthetic_articles(count, per_day, words=words), 1):
            batch.append(article)
            if len(batch) == stories.BATCH or number == count:
                rng.shuffle(batch)
                expected = stories.link_and_save(store, linker, batch, stories.MEMORY_DAYS, stories.KEEP, expected)
                most_in_memory = max(most_in_memory, linker.memory_size)
                batch = []
            if number % tenth == 0:
                rss.append(_resident_mib())
                print(f"{number:,} articles, {time.perf_counter() - started:.0f} s, {rss[-1]:.0f} MiB resident, "
                      f"{linker.memory_size:,} in memory", file=sys.stderr, flush=True)
            if number % tenth == 0:
                marks.append(time.perf_counter())
        seconds = time.perf_counter() - started
        linked = store.db.execute("select count(*) from story_items").fetchone()[0]
        story_count = store.db.execute("select count(*) from stories").fetchone()[0]
        multi = store.db.execute("select count(*) from stories where article_count > 1").fetchone()[0]
    first = marks[0] - started
    last = marks[-1] - marks[-2] if len(marks) > 1 else first
    return {"articles": count, "linked": linked, "stories": story_count, "stories_with_several": multi,
            "days": -(-count // per_day), "seconds": seconds, "first_tenth_ms": 1000 * first / tenth,
            "last_tenth_ms": 1000 * last / tenth, "most_in_memory": most_in_memory, "rss_by_tenth": rss,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _resident_mib() -> float:
    """This process's resident memory now, MiB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--words", type=int, nargs=2, default=[90, 160], metavar=("LEAST", "MOST"),
                        help="filler words per article (fewer: a faster run, the same memory per article in the index)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child: measure one size
    parser.add_argument("--results", type=Path, nargs="+",
                        help="write the report from these children's outputs (JSON) instead of measuring "
                             "(sizes run side by side, each with --one N)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.per_day, tuple(args.words))))
        return
    results = []
    for path in args.results or ():
        results.append(json.loads(path.read_text().strip().splitlines()[-1]))
    for size in () if args.results else args.sizes:
        done = subprocess.run([sys.executable, "-m", "bench.story_memory", "--one", str(size), "--per-day",
                               str(args.per_day), "--words", *map(str, args.words)],
                              stdout=subprocess.PIPE, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    base = results[0]
    rows = "\n".join(
        f"| {r['articles']:,} | {r['days']:,} | {r['linked']:,} | {r['stories']:,} ({r['stories_with_several']:,}) "
        f"| {r['most_in_memory']:,} | {r['peak_rss_mib']:.0f} | {r['peak_rss_mib'] / base['peak_rss_mib']:.2f}x "
        f"| {r['first_tenth_ms'] * 1000 / 1000:.2f} / {r['last_tenth_ms']:.2f} | {r['seconds']:.0f} |"
        for r in results)
    body = (
        f"Synthetic stream (see `bench/story_memory.py`): {args.per_day} articles a day in published order, "
        f"{args.words[0]} to {args.words[1]} filler words each, "
        "shuffled within each batch of the updater, one in 50 published up to 60 days late; each size "
        "linked in a fresh process through `stages.stories.link_and_save` into a real archive file "
        "(story tables only). Peak RSS is the process's (Python, wordfreq's English list, the linker, "
        "SQLite's cache).\n\n"
        "| articles | days | linked | stories (with 2+) | most articles in memory | peak RSS MiB "
        "| RSS against the first | ms per article, first / last tenth | seconds |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|\n" + rows + "\n"
    )
    write_section("story-memory", "Story linker memory as the archive grows (issue 20)", body)


if __name__ == "__main__":
    main()
