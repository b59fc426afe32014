"""Build a synthetic archive of N articles to measure the archive at scale.

``python -m bench.synthetic OUT.db --articles 1000000 [--seed 1]``

The archive has the project's own schema (:func:`newsarchive.archive.schema.migrate` on a
fresh file) and realistic shapes, not realistic words:

- article texts are drawn from a made-up vocabulary with Zipf-like word
  frequencies (a few real function words at the top), word counts log-normal
  around 600, titles of 8-14 words, sentences and paragraphs;
- :data:`RARE_TERM` is put in about :data:`RARE_TERM_SHARE` of the articles,
  so a search for it has a known, realistic hit rate;
- a few hundred sources with Zipf-like sizes; publication dates over several years;
- tens of thousands of entities (countries from ISO 3166, made-up
  organisations, people, places and domains) named with Zipf-like frequency,
  5-30 mentions per article, each mention's name spliced into the text at the
  offsets recorded, with its sentence.

Not generated: ``pages``, ``revisions``, ``crawls`` and ``stories`` (no query
measured at scale reads them).

The build streams: one worker process generates batches (each from its own
seed, so the result does not depend on timing) while this process writes
them, so neither holds more than a few batches. Writing is raw
``executemany`` in one transaction per batch with journaling and syncing off;
secondary indexes and the FTS triggers are dropped for the load and made
again afterwards from the very SQL the migrations created, and the FTS
indexes are filled in one pass at the end (``--fts-mode``; ``rebuild`` was
the fastest measured, see :func:`load_fts`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pycountry

from sqlite_utils import Database

from newsarchive.archive.schema import migrate, rebuild_aggregates

RARE_TERM = "misdirected"
RARE_TERM_SHARE = 0.01
BATCH_SIZE = 2000
GENERATORS = 2  # worker processes: generating, not writing, is the slow part
IN_FLIGHT = 4  # batches generated ahead of the writer; bounds memory
FIRST_DAY = date(2019, 1, 1)
DAYS = 7 * 365
MODEL = "synthetic"

# Shapes of the synthetic world (counts and Zipf exponents), kept together so
# the figures in BENCHMARKS.md can name them.
VOCABULARY_SIZE = 40_000
WORD_ZIPF = 1.07
SOURCES = 300
SOURCE_ZIPF = 1.0
ENTITY_KINDS = {"organisation": 14_000, "person": 20_000, "place": 6_000, "domain": 4_000}
ENTITY_ZIPF = 1.05
JOURNALISTS = 6_000
WORDS_MEDIAN = 600
WORDS_SIGMA = 0.45

# The commonest English words head the vocabulary so texts look like prose to
# FTS5: a search for them hits nearly every article, as in a real archive.
FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by had not are but from or "
    "have an they which one you were her all she there would their we him been has when who will "
    "more no if out so said what up its about into than them can only other new some could time "
    "these two may then do first any my now such like our over man me even most made after also"
).split()
CONSONANTS = "b c d f g h j k l m n p r s t v w z br cl dr fr gr kr pl pr st tr sh ch th".split()
VOWELS = "a e i o u ai ea io ou".split()
ORGANISATION_ENDINGS = "Group Ministry Agency Council Bank Holdings Institute Authority Party Union".split()
PLACE_PATTERNS = ("{} City", "Port {}", "{}ville", "{} Valley", "{}burg", "Lake {}")
SOURCE_ENDINGS = "Times Post Herald Tribune Gazette Daily Observer Chronicle Journal Review".split()
TLDS = "com org net mil gov ml co.uk de fr io".split()
SECTIONS = "world politics business technology security science health opinion".split()
LANGUAGES = (("en", 0.9), ("fr", 0.04), ("de", 0.03), ("es", 0.03))


@dataclass
class World:
    """Everything a batch is drawn from; the same for every batch of a build.

    :param vocabulary: words, commonest first
    :param word_cdf: cumulative word probabilities
    :param sources: (name, homepage host, country, language) per source
    :param source_cdf: cumulative source probabilities
    :param entities: (kind, name, key, country_code) per entity; id = index + 1
    :param entity_cdf: cumulative entity probabilities
    :param journalists: bylines, one list per source
    """

    vocabulary: np.ndarray
    word_cdf: np.ndarray
    sources: list[tuple[str, str, str, str]]
    source_cdf: np.ndarray
    entities: list[tuple[str, str, str, str | None]]
    entity_cdf: np.ndarray
    journalists: list[list[str]] = field(default_factory=list)


@dataclass
class Batch:
    """One generated batch, ready for ``executemany``.

    :param articles: article rows, in the column order of :data:`ARTICLE_COLUMNS`
    :param mentions: mention rows (article_id, entity_id, text, start, end, sentence)
    :param entity_articles: (entity id, article count, mention count, first day, last day) arrays
    :param rare_hits: articles holding :data:`RARE_TERM`
    :param generator_peak_mib: peak resident memory of the process that made it
    """

    articles: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    entity_articles: tuple[np.ndarray, ...]
    rare_hits: int
    generator_peak_mib: float = 0.0


ARTICLE_COLUMNS = (
    "id", "url", "source", "title", "byline", "published_at", "updated_at", "language",
    "site_name", "description", "section", "image", "text", "word_count", "content_hash",
    "first_seen", "last_seen", "revision", "status", "processed_model", "processed_at",
)


def zipf_cdf(n: int, exponent: float, offset: float = 1.0) -> np.ndarray:
    """Cumulative probabilities of ranks ``0..n-1`` under a Zipf-Mandelbrot law."""
    weights = 1.0 / np.power(np.arange(n) + offset, exponent)
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def draw(rng: np.random.Generator, cdf: np.ndarray, size: Any) -> np.ndarray:
    """Ranks drawn from a cumulative distribution (faster than ``choice(p=...)``)."""
    return np.minimum(np.searchsorted(cdf, rng.random(size)), len(cdf) - 1)


def made_up_words(rng: np.random.Generator, count: int, banned: set[str]) -> list[str]:
    """Distinct pronounceable words of 1-4 syllables, none in ``banned``."""
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.integers(1, 5)
        word = "".join(CONSONANTS[rng.integers(len(CONSONANTS))] + VOWELS[rng.integers(len(VOWELS))]
                       for _ in range(syllables))
        if word not in banned:
            words[word] = None
    return list(words)


def build_world(seed: int) -> World:
    """The vocabulary, sources, journalists and entities of a build.

    :param seed: the build's seed
    """
    rng = np.random.default_rng([seed, 0])
    banned = set(FUNCTION_WORDS) | {RARE_TERM, RARE_TERM[:-2]}
    pool = made_up_words(rng, VOCABULARY_SIZE + 100_000, banned)
    vocabulary = FUNCTION_WORDS + pool[:VOCABULARY_SIZE - len(FUNCTION_WORDS)]
    names = iter(pool[VOCABULARY_SIZE:])
    sources = make_sources(rng, names)
    entities = make_entities(rng, names)
    journalists = [[f"{next(names).title()} {next(names).title()}" for _ in range(JOURNALISTS // SOURCES)]
                   for _ in sources]
    # entities get Zipf ranks in a shuffled order, but countries are named far
    # more than most things, so they take ranks among the first thousand
    order = rng.permutation(len(entities))
    countries = [i for i, e in enumerate(entities) if e[0] == "country"]
    rest = [i for i in order if entities[i][0] != "country"]
    ranked = rest[:750] + countries + rest[750:]
    rank_cdf = zipf_cdf(len(entities), ENTITY_ZIPF, offset=3.0)
    return World(
        vocabulary=np.array(vocabulary, dtype=object),
        word_cdf=zipf_cdf(len(vocabulary), WORD_ZIPF, offset=2.7),
        sources=sources,
        source_cdf=zipf_cdf(len(sources), SOURCE_ZIPF, offset=2.0),
        entities=[entities[i] for i in ranked],
        entity_cdf=rank_cdf,
        journalists=journalists,
    )


def make_sources(rng: np.random.Generator, names: Any) -> list[tuple[str, str, str, str]]:
    """(name, host, country, language) of :data:`SOURCES` made-up outlets."""
    countries = [c.alpha_2 for c in pycountry.countries]
    sources = []
    for i in range(SOURCES):
        word = next(names)
        name = f"{word.title()} {SOURCE_ENDINGS[i % len(SOURCE_ENDINGS)]}"
        sources.append((name, f"www.{word}{i}.{TLDS[i % 3]}", countries[rng.integers(len(countries))], "en"))
    return sources


def make_entities(rng: np.random.Generator, names: Any) -> list[tuple[str, str, str, str | None]]:
    """(kind, name, key, country_code): every ISO country, then made-up others."""
    entities = [("country", c.name, c.alpha_2, c.alpha_2) for c in pycountry.countries]
    codes = [c.alpha_2 for c in pycountry.countries]
    makers = {
        "organisation": lambda i: f"{next(names).title()} {ORGANISATION_ENDINGS[i % len(ORGANISATION_ENDINGS)]}",
        "person": lambda i: f"{next(names).title()} {next(names).title()}",
        "place": lambda i: PLACE_PATTERNS[i % len(PLACE_PATTERNS)].format(next(names).title()),
        "domain": lambda i: f"{next(names)}.{TLDS[i % len(TLDS)]}",
    }
    for kind, count in ENTITY_KINDS.items():
        for i in range(count):
            name = makers[kind](i)
            code = codes[rng.integers(len(codes))] if kind != "domain" or i % 4 == 0 else None
            entities.append((kind, name, name.lower(), code))
    return entities


_WORLD: World | None = None


def _init_worker(seed: int) -> None:
    global _WORLD
    _WORLD = build_world(seed)


def generate_batch(seed: int, batch_no: int, first_id: int, count: int) -> Batch:
    """Articles ``first_id .. first_id+count-1`` and their mentions.

    :param seed: the build's seed (batch ``batch_no`` has its own stream)
    :param batch_no: which batch
    :param first_id: id of its first article
    :param count: how many articles
    """
    world = _WORLD if _WORLD is not None else build_world(seed)
    rng = np.random.default_rng([seed, 1, batch_no])
    lengths = np.clip(rng.lognormal(np.log(WORDS_MEDIAN), WORDS_SIGMA, count), 60, 6000).astype(int)
    title_lengths = rng.integers(8, 15, count)
    words = world.vocabulary[draw(rng, world.word_cdf, int(lengths.sum() + title_lengths.sum()))].tolist()
    sources = draw(rng, world.source_cdf, count)
    days = rng.integers(0, DAYS, count)
    seconds = rng.integers(0, 86400, count)
    rare = rng.random(count) < RARE_TERM_SHARE
    entity_draws = draw(rng, world.entity_cdf, (count, 20))
    distinct_wanted = rng.integers(4, 16, count)
    articles, mentions = [], []
    stats: dict[int, list[int]] = {}
    cursor = 0
    for i in range(count):
        article_id = first_id + i
        title_words = words[cursor:cursor + title_lengths[i]]
        cursor += title_lengths[i]
        body_words = words[cursor:cursor + lengths[i]]
        cursor += lengths[i]
        if rare[i]:
            body_words[int(rng.integers(len(body_words)))] = RARE_TERM
        named = np.unique(entity_draws[i, :distinct_wanted[i]])
        times = rng.integers(1, 4, len(named))
        total = int(np.clip(times.sum(), 5, 30))
        title = " ".join(title_words).capitalize()
        text, spans = write_text(rng, body_words, world, named, times, total, len(title) + 2)
        published = FIRST_DAY + timedelta(days=int(days[i]))
        row = article_row(world, rng, article_id, int(sources[i]), title, text, published, int(seconds[i]))
        articles.append(row)
        for entity_index, start, end, sentence in spans:
            mentions.append((article_id, entity_index + 1, world.entities[entity_index][1], start, end, sentence))
            entry = stats.setdefault(entity_index + 1, [0, 0, DAYS, -1, -1])
            if entry[4] != article_id:
                entry[0] += 1
                entry[4] = article_id
            entry[1] += 1
            entry[2] = min(entry[2], int(days[i]))
            entry[3] = max(entry[3], int(days[i]))
    ids = np.fromiter(stats, dtype=np.int64)
    values = np.array(list(stats.values()), dtype=np.int64).reshape(-1, 5)
    return Batch(articles, mentions, (ids, values[:, 0], values[:, 1], values[:, 2], values[:, 3]),
                 int(rare.sum()), own_peak_rss_mib())


def write_text(rng: np.random.Generator, words: list[str], world: World, named: np.ndarray,
               times: np.ndarray, total: int, offset: int) -> tuple[str, list[tuple[int, int, int, str]]]:
    """Sentences of 8-25 words in paragraphs of 2-6 sentences, with each entity
    name put at the head of a sentence; returns the text and the mention spans.

    :param offset: where the text starts in "title, blank line, text" (the mentions' frame)
    """
    sentences, position = [], 0
    while position < len(words):
        size = int(rng.integers(8, 26))
        sentences.append(" ".join(words[position:position + size]))
        position += size
    targets = rng.integers(0, len(sentences), total)
    owners = np.repeat(named, times)[:total] if times.sum() >= total else np.resize(named, total)
    at_sentence: dict[int, list[int]] = {}
    for target, owner in zip(targets.tolist(), owners.tolist()):
        at_sentence.setdefault(target, []).append(owner)
    pieces, spans, where = [], [], offset
    breaks = set(np.cumsum(rng.integers(2, 7, len(sentences))).tolist())
    for index, sentence in enumerate(sentences):
        heads = [world.entities[e][1] for e in at_sentence.get(index, [])]
        body = (", ".join(heads) + " " + sentence if heads else sentence.capitalize()) + "."
        cursor = where
        for entity_index, head in zip(at_sentence.get(index, []), heads):
            spans.append((entity_index, cursor, cursor + len(head), body))
            cursor += len(head) + 2
        separator = "\n" if index + 1 in breaks else " "
        pieces.append(body + separator)
        where += len(body) + 1
    return "".join(pieces).rstrip(), spans


def article_row(world: World, rng: np.random.Generator, article_id: int, source: int, title: str,
                text: str, published: date, second: int) -> tuple[Any, ...]:
    """One ``articles`` row in :data:`ARTICLE_COLUMNS` order."""
    name, host, _country, _language = world.sources[source]
    stamp = f"{published.isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+00:00"
    seen = f"{published.isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
    slug = "-".join(title.lower().split()[:6])
    language = LANGUAGES[int(np.searchsorted(np.cumsum([p for _, p in LANGUAGES]), rng.random()))][0]
    byline = world.journalists[source][int(rng.integers(len(world.journalists[source])))]
    digest = hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()
    description = text[: text.find(".") + 1]
    return (
        article_id, f"https://{host}/{published.year}/{published.month:02d}/{slug}-{article_id}",
        name, title, byline, stamp, None, language, name, description,
        SECTIONS[article_id % len(SECTIONS)], None, text, len(text.split()), digest, seen, seen, 1,
        "live", MODEL, seen,
    )


def own_peak_rss_mib() -> float:
    """Peak resident memory of this process (``VmHWM``), MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


GENERATOR_PEAK = [0.0]  # the largest peak a worker reported with a batch


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of the writer and of the largest generator process, MiB."""
    return {"writer_mib": own_peak_rss_mib(), "generator_mib": GENERATOR_PEAK[0]}


class Loader:
    """Write a build into a freshly migrated archive, as fast as SQLite allows.

    :param path: the new archive file (replaced if present)
    """

    def __init__(self, path: Path) -> None:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        migrate(Database(path))
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "locking_mode=EXCLUSIVE",
                       "cache_size=-400000", "temp_store=FILE", "foreign_keys=OFF"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.triggers = self._saved("trigger", ("articles", "entities", "entity_aliases"))
        self.indexes = self._saved("index", ("articles", "mentions"))

    def _saved(self, kind: str, tables: tuple[str, ...]) -> list[tuple[str, str]]:
        """(name, SQL) of the triggers or indexes on ``tables``, as the migrations made them."""
        marks = ",".join("?" * len(tables))
        return self.conn.execute(
            f"select name, sql from sqlite_master where type = ? and tbl_name in ({marks}) and sql is not null",
            [kind, *tables]).fetchall()

    def drop_for_load(self, keep_triggers: bool) -> None:
        """Drop secondary indexes (and the FTS triggers) so the load only appends."""
        for name, _sql in self.indexes:
            self.conn.execute(f"drop index [{name}]")
        if not keep_triggers:
            for name, _sql in self.triggers:
                self.conn.execute(f"drop trigger [{name}]")

    def restore(self, keep_triggers: bool) -> None:
        """Make the dropped indexes and triggers again, from their saved SQL."""
        for _name, sql in self.indexes:
            self.conn.execute(sql)
        if not keep_triggers:
            for _name, sql in self.triggers:
                self.conn.execute(sql)

    def write_world(self, world: World) -> None:
        """Sources, entities, their aliases and the domains table."""
        conn = self.conn
        conn.execute("begin")
        conn.executemany(
            "insert into sources (name, homepage, country, language) values (?, ?, ?, ?)",
            [(name, f"https://{host}/", country, language) for name, host, country, language in world.sources])
        conn.executemany(
            "insert into entities (id, kind, name, key, country_code, article_count, mention_count) "
            "values (?, ?, ?, ?, ?, 0, 0)",
            [(i + 1, *entity) for i, entity in enumerate(world.entities)])
        conn.executemany("insert into entity_aliases (entity_id, alias) values (?, ?)", aliases(world))
        conn.executemany(
            "insert into domains (entity_id, domain, suffix, registrable, cctld_country) values (?, ?, ?, ?, ?)",
            [(i + 1, name, name.split(".", 1)[1], name, code)
             for i, (kind, name, _key, code) in enumerate(world.entities) if kind == "domain"])
        conn.execute("commit")

    def write_batch(self, batch: Batch, fts_inline: bool) -> None:
        """One batch of articles and mentions, in one transaction."""
        conn = self.conn
        conn.execute("begin")
        marks = ", ".join("?" * len(ARTICLE_COLUMNS))
        conn.executemany(f"insert into articles ({', '.join(ARTICLE_COLUMNS)}) values ({marks})", batch.articles)
        if fts_inline:
            conn.executemany("insert into articles_fts (rowid, title, text) values (?, ?, ?)",
                             [(row[0], row[3], row[12]) for row in batch.articles])
        conn.executemany(
            "insert into mentions (article_id, entity_id, text, start, [end], sentence) values (?, ?, ?, ?, ?, ?)",
            batch.mentions)
        conn.execute("commit")

    def write_entity_stats(self, stats: np.ndarray) -> None:
        """article_count, mention_count, first_seen and last_seen of every entity."""
        rows = [(int(a), int(m), (FIRST_DAY + timedelta(days=int(f))).isoformat(),
                 (FIRST_DAY + timedelta(days=int(last))).isoformat(), i + 1)
                for i, (a, m, f, last) in enumerate(stats) if a]
        self.conn.execute("begin")
        self.conn.executemany(
            "update entities set article_count = ?, mention_count = ?, first_seen = ?, last_seen = ? where id = ?",
            rows)
        self.conn.execute("commit")


def aliases(world: World) -> list[tuple[int, str]]:
    """An acronym for every organisation of two words or more (e.g. "Kalo Ministry" -> "KM")."""
    rows = []
    for i, (kind, name, _key, _code) in enumerate(world.entities):
        if kind == "organisation":
            rows.append((i + 1, "".join(part[0] for part in name.split()).upper() + str(i % 97)))
    return rows


def load_fts(conn: sqlite3.Connection, mode: str) -> None:
    """Fill the FTS indexes in one pass after the base rows.

    ``rebuild`` asks FTS5 to re-read its content table; ``select`` inserts
    ``select id, title, text from articles`` into it. ``inline`` (rows
    written with each batch) and ``triggers`` (the schema's own triggers, left
    in place) need nothing here. The entity indexes are small and always rebuilt.
    """
    if mode == "rebuild":
        conn.execute("insert into articles_fts (articles_fts) values ('rebuild')")
    elif mode == "select":
        conn.execute("begin")
        conn.execute("insert into articles_fts (rowid, title, text) select id, title, text from articles")
        conn.execute("commit")
    if mode != "triggers":
        conn.execute("insert into entities_fts (entities_fts) values ('rebuild')")
        conn.execute("insert into entity_aliases_fts (entity_aliases_fts) values ('rebuild')")


def build(path: Path, articles: int, seed: int, fts_mode: str = "rebuild", optimize: bool = True,
          inspect: bool = True) -> dict[str, Any]:
    """Build the archive and return its figures (timings in seconds, counts, peak memory).

    :param path: the archive file to write (replaced)
    :param articles: how many articles
    :param seed: the random seed
    :param fts_mode: ``rebuild``, ``select``, ``inline`` or ``triggers`` (see :func:`load_fts`)
    :param optimize: merge the FTS5 segments into one after the load
    :param inspect: write ``datasette inspect`` counts beside the archive
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    world = build_world(seed)
    loader = Loader(path)
    keep_triggers = fts_mode == "triggers"
    loader.drop_for_load(keep_triggers)
    loader.write_world(world)
    timings["world"] = time.perf_counter() - started
    stats, rare, mentions = write_articles(loader, world, articles, seed, fts_mode == "inline")
    timings["articles"] = time.perf_counter() - started - sum(timings.values())
    loader.write_entity_stats(stats)
    loader.restore(keep_triggers=True)  # indexes only; triggers come back after the FTS load
    timings["indexes"] = time.perf_counter() - started - sum(timings.values())
    loader.conn.execute("begin")
    rebuild_aggregates(loader.conn, entity_counts=False)  # the counts are the generator's
    loader.conn.execute("commit")
    timings["aggregates"] = time.perf_counter() - started - sum(timings.values())
    load_fts(loader.conn, fts_mode)
    timings["fts"] = time.perf_counter() - started - sum(timings.values())
    if not keep_triggers:
        for _name, sql in loader.triggers:
            loader.conn.execute(sql)
    if optimize:
        loader.conn.execute("insert into articles_fts (articles_fts) values ('optimize')")
        timings["fts_optimize"] = time.perf_counter() - started - sum(timings.values())
    loader.conn.execute("analyze")
    timings["analyze"] = time.perf_counter() - started - sum(timings.values())
    loader.conn.close()
    if inspect:
        write_inspect(path)
        timings["inspect"] = time.perf_counter() - started - sum(timings.values())
    timings["total"] = time.perf_counter() - started
    figures = {
        "articles": articles, "mentions": mentions, "entities": len(world.entities),
        "sources": len(world.sources), "rare_term": RARE_TERM, "rare_term_articles": rare,
        "seed": seed, "fts_mode": fts_mode, "fts_optimize": optimize,
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "peak_rss": peak_rss_mib(), "file_gib": round(path.stat().st_size / 2**30, 2),
    }
    Path(f"{path}.build.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


def write_articles(loader: Loader, world: World, articles: int, seed: int,
                   fts_inline: bool) -> tuple[np.ndarray, int, int]:
    """Generate in a worker process and write here, a few batches ahead at most.

    :returns: per-entity (article count, mention count, first day, last day), rare-term articles, mentions
    """
    stats = np.zeros((len(world.entities) + 1, 4), dtype=np.int64)
    stats[:, 2] = DAYS
    stats[:, 3] = -1
    plan = [(n, first, min(BATCH_SIZE, articles - first + 1))
            for n, first in enumerate(range(1, articles + 1, BATCH_SIZE))]
    rare = mentions = 0
    pending: list[Future] = []
    with ProcessPoolExecutor(max_workers=GENERATORS, initializer=_init_worker, initargs=(seed,)) as pool:
        for step in range(len(plan) + IN_FLIGHT):
            if step < len(plan):
                pending.append(pool.submit(generate_batch, seed, *plan[step]))
            if len(pending) > IN_FLIGHT or (step >= len(plan) and pending):
                batch = pending.pop(0).result()
                loader.write_batch(batch, fts_inline)
                add_stats(stats, batch.entity_articles)
                rare += batch.rare_hits
                GENERATOR_PEAK[0] = max(GENERATOR_PEAK[0], batch.generator_peak_mib)
                mentions += len(batch.mentions)
                progress(plan, batch.articles[-1][0], articles)
    return stats[1:], rare, mentions


def add_stats(stats: np.ndarray, entity_articles: tuple[np.ndarray, ...]) -> None:
    """Fold one batch's per-entity figures into the totals."""
    ids, article_counts, mention_counts, first, last = entity_articles
    stats[ids, 0] += article_counts
    stats[ids, 1] += mention_counts
    stats[ids, 2] = np.minimum(stats[ids, 2], first)
    stats[ids, 3] = np.maximum(stats[ids, 3], last)


def progress(plan: list[tuple[int, int, int]], last_id: int, articles: int) -> None:
    """A line on stderr every tenth of the way."""
    step = max(1, articles // 10)
    if last_id % step < BATCH_SIZE or last_id == articles:
        print(f"  {last_id:,} / {articles:,} articles, peak RSS {peak_rss_mib()}", file=sys.stderr, flush=True)


def write_inspect(path: Path) -> Path:
    """``datasette inspect`` counts beside the archive (``OUT.inspect.json``)."""
    target = path.with_suffix(".inspect.json")
    datasette = Path(sys.executable).with_name("datasette")
    subprocess.run([str(datasette), "inspect", str(path), "--inspect-file", str(target)], check=True)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Build a synthetic archive. Example: python -m bench.synthetic /tmp/scale/archive.db --articles 20000")
    parser.add_argument("out", type=Path, help="the archive file to write (replaced)")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fts-mode", choices=("rebuild", "select", "inline", "triggers"), default="rebuild")
    parser.add_argument("--no-optimize", action="store_true", help="leave the FTS5 segments unmerged")
    parser.add_argument("--no-inspect", action="store_true", help="skip datasette inspect")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures = build(args.out, args.articles, args.seed, args.fts_mode, not args.no_optimize, not args.no_inspect)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
