"""Build the ``magic_html`` extraction development set from a local copy of opendatalab/magic-html.

magic-html (Apache-2.0 licence) benchmarks its extractor on real pages of two
genres, each in ``benchmark/data/<genre>/``: ``base.json`` maps a page id to
``{"url", "content"}``, where ``content`` is the main text its maintainers
annotated for the page, and ``htmls/<id>.html`` is the page. ``article`` holds
news and blog posts of many sites and languages, ``forum`` threads of forums,
Q&A sites and social sites (every post of the thread is main text).

Kept: pages whose gold text is mostly Latin script (at least 90% of its letters;
the metric tokenises ``\\w+``, so Chinese or Japanese text without spaces makes one
token per sentence and scores badly) and at least 200 characters long (shorter
golds are a few words, where one line moves the page's F1 by a third). Capped at
75 pages per genre, the first ones in id order (the ids are hex digests, so the
order is arbitrary), so the set stays near 150 pages and ``make test`` fast.
The gold text is ``content`` with each line's white space collapsed and empty
lines dropped.

Usage::

    python tools/build_magic_html_set.py /path/to/magic-html          # a checkout or a git directory
    python tools/build_magic_html_set.py /path/to/magic-html --out corpora/extraction-sets/magic_html

The page id is ``<genre>_<magic-html id>``; a page is held out when the first
byte of ``sha1(page id)`` is below 77, as in the other sets.
"""

from __future__ import annotations

import argparse
import gzip
import json
import unicodedata
from pathlib import Path

from set_source import HELD_OUT_BELOW, RepoSource, split_of

DATA = "benchmark/data"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "corpora" / "extraction-sets" / "magic_html"
MIN_LATIN_SHARE = 0.9
MIN_GOLD_CHARS = 200
PER_GENRE = 75


def genres(source: RepoSource) -> list[str]:
    """The genre folders that hold a ``base.json``."""
    return sorted(name.split("/")[-2] for name in source.names() if name.endswith("/base.json"))


def latin_share(text: str) -> float:
    """The share of a text's letters that are Latin script (0 when it has none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(unicodedata.name(c, "").startswith("LATIN") for c in letters) / len(letters)


def gold_text(content: str) -> str:
    """The annotated main text, one line per line, white space collapsed, no empty lines."""
    lines = (" ".join(line.split()) for line in content.splitlines())
    return "\n".join(line for line in lines if line)


def build(source: RepoSource, out: Path) -> dict[str, dict]:
    """Write ``pages/``, ``gold.json``, ``LICENSE`` and ``MANIFEST`` into ``out``.

    :param source: the magic-html copy
    :param out: the set's folder
    :returns: the gold entries written
    """
    gold: dict[str, dict] = {}
    counts: dict[str, tuple[int, int]] = {}
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for genre in genres(source):
        base = json.loads(source.read(f"{DATA}/{genre}/base.json"))
        kept = [doc_id for doc_id in sorted(base)
                if latin_share(base[doc_id]["content"]) >= MIN_LATIN_SHARE
                and len(gold_text(base[doc_id]["content"])) >= MIN_GOLD_CHARS]
        counts[genre] = (len(base), len(kept))
        for doc_id in kept[:PER_GENRE]:
            name = f"{DATA}/{genre}/htmls/{doc_id}.html"
            raw = source.read(name)
            raw.decode("utf-8")  # every page must be UTF-8
            page_id = f"{genre}_{doc_id}"
            (out / "pages" / f"{page_id}.html.gz").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
            gold[page_id] = {"text": gold_text(base[doc_id]["content"]), "split": split_of(page_id),
                             "source_path": name, "url": base[doc_id]["url"], "genre": genre}
    (out / "gold.json").write_text(json.dumps(dict(sorted(gold.items())), ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    (out / "LICENSE").write_bytes(source.read("LICENSE"))
    dev = sum(entry["split"] == "dev" for entry in gold.values())
    per_genre = ", ".join(
        f"{genre} {sum(e['genre'] == genre for e in gold.values())} "
        f"(dev {sum(e['genre'] == genre and e['split'] == 'dev' for e in gold.values())}; "
        f"{counts[genre][1]} of {counts[genre][0]} passed the filters)"
        for genre in sorted(counts))
    (out / "MANIFEST").write_text(
        "source repository: opendatalab/magic-html\n"
        f"commit: {source.commit()}\n"
        "licence: Apache-2.0 (text in LICENSE, copied from LICENSE)\n"
        f"paths: {DATA}/<genre>/htmls/<id>.html (page), {DATA}/<genre>/base.json (gold: `content` of <id>; "
        "also `url`)\n"
        "gold: the main text magic-html's maintainers annotated for their extractor benchmark (article: "
        "the body, with captions or a headline where the annotators kept them; forum: the opening post and "
        "the replies); its lines break where the page's inline elements (links, emphasis) start and end; "
        "here each line's white space is collapsed and empty lines dropped\n"
        "genre: article (news and blog posts of many sites, several languages) and forum (forum threads, "
        "Q&A and social pages)\n"
        f"filters: gold mostly Latin script (at least {MIN_LATIN_SHARE:.0%} of its letters; the metric "
        f"tokenises \\w+, so unspaced CJK text scores badly) and at least {MIN_GOLD_CHARS} characters; "
        f"then at most {PER_GENRE} pages per genre, the first in id order (ids are hex digests, so the "
        "order is arbitrary), to keep the set near 150 pages\n"
        f"pages: {len(gold)}: {per_genre} ({dev} dev, {len(gold) - dev} held out; held out = first byte "
        f"of sha1(page id) < {HELD_OUT_BELOW}); page id = <genre>_<magic-html id>; pages gzipped from the "
        "source's bytes (UTF-8)\n"
        "built by: tools/build_magic_html_set.py\n",
        encoding="utf-8")
    return gold


def main() -> None:
    """Build the set from the magic-html copy named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("magic_html", type=Path, help="a checkout of opendatalab/magic-html, or its git directory")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the set's folder")
    args = parser.parse_args()
    gold = build(RepoSource(args.magic_html, DATA), args.out)
    dev = sum(entry["split"] == "dev" for entry in gold.values())
    print(f"{len(gold)} pages ({dev} dev, {len(gold) - dev} held out) written to {args.out}")


if __name__ == "__main__":
    main()
