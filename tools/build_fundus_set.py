"""Build the ``fundus`` extraction development set from a local copy of flairNLP/fundus.

fundus (MIT licence) keeps, for each publisher it parses, one or more real pages
(``tests/resources/parser/test_data/<country>/<Publisher>_<YYYY_MM_DD>.html.gz``),
their addresses and crawl dates (``<country>/meta.info``) and the attributes its
parser versions must return (``<country>/<Publisher>.json``, keyed by version:
``V1``, ``V1_1``, ``V2``...). A page belongs to the parser version that was valid on
its crawl date; versions follow each other in time, so the pages of a publisher
sorted by crawl date pair one to one with its versions sorted by number.

The gold body of a page is its version's ``body``: the summary (lead) paragraphs,
then each section's subheading and paragraphs, one per line; no headline. Soft
hyphens (U+00AD) are removed, as a reader does not see them.

Usage::

    python tools/build_fundus_set.py /path/to/fundus            # a checkout or a git directory
    python tools/build_fundus_set.py /path/to/fundus --out corpora/extraction-sets/fundus

The page id is ``<country>_<file name without .html.gz>``; a page is held out when the
first byte of ``sha1(page id)`` is below 77, as in the other sets.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from set_source import HELD_OUT_BELOW, RepoSource, split_of

TEST_DATA = "tests/resources/parser/test_data"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "corpora" / "extraction-sets" / "fundus"
SOFT_HYPHEN = "\u00ad"


def version_key(version: str) -> tuple[int, ...]:
    """``V1_2`` -> (1, 2), so versions sort by number."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def gold_text(body: dict) -> str:
    """The expected article body as lines: summary, then subheadings and paragraphs.

    :param body: a version's ``body`` (``{"summary": [...], "sections": [{"headline": [...], "paragraphs": [...]}]}``)
    """
    lines = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        lines.extend(section.get("headline") or [])
        lines.extend(section.get("paragraphs") or [])
    lines = [" ".join(line.replace(SOFT_HYPHEN, "").split()) for line in lines]
    return "\n".join(line for line in lines if line)


def build(source: RepoSource, out: Path) -> dict[str, dict]:
    """Write ``pages/``, ``gold.json``, ``LICENSE`` and ``MANIFEST`` into ``out``.

    :param source: the fundus copy
    :param out: the set's folder
    :returns: the gold entries written
    """
    names = source.names()
    pages_by_publisher: dict[tuple[str, str], list[str]] = {}
    for name in names:
        if name.endswith(".html.gz"):
            country, file_name = name.split("/")[-2:]
            pages_by_publisher.setdefault((country, file_name.split("_", 1)[0]), []).append(name)
    meta: dict[str, dict] = {}
    for name in names:
        if name.endswith("/meta.info"):
            meta[name.split("/")[-2]] = json.loads(source.read(name))
    gold: dict[str, dict] = {}
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for (country, publisher), page_names in sorted(pages_by_publisher.items()):
        cases = json.loads(source.read(f"{TEST_DATA}/{country}/{publisher}.json"))
        versions = sorted(cases, key=version_key)
        page_names.sort(key=lambda n: meta[country][n.split("/")[-1]]["crawl_date"])
        if len(versions) != len(page_names):
            print(f"skipped {country}/{publisher}: {len(page_names)} pages, {len(versions)} versions")
            continue
        for name, version in zip(page_names, versions):
            text = gold_text(cases[version].get("body") or {})
            if len(text) < 300:
                print(f"skipped {name}: gold under 300 characters")
                continue
            file_name = name.split("/")[-1]
            page_id = f"{country}_{file_name.removesuffix('.html.gz')}"
            raw = source.read(name)
            gzip.decompress(raw).decode("utf-8")  # every page must be UTF-8
            (out / "pages" / f"{page_id}.html.gz").write_bytes(raw)
            gold[page_id] = {"text": text, "split": split_of(page_id), "source_path": name,
                             "url": meta[country][file_name]["url"], "version": version}
    (out / "gold.json").write_text(json.dumps(dict(sorted(gold.items())), ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    (out / "LICENSE").write_bytes(source.read("LICENSE"))
    dev = sum(entry["split"] == "dev" for entry in gold.values())
    countries = len({page_id.split("_", 1)[0] for page_id in gold})
    publishers = len({(page_id.split("_", 1)[0], page_id.split("_")[1]) for page_id in gold})
    (out / "MANIFEST").write_text(
        "source repository: flairNLP/fundus\n"
        f"commit: {source.commit()}\n"
        "licence: MIT (text in LICENSE, copied from LICENSE)\n"
        f"paths: {TEST_DATA}/<country>/<Publisher>_<YYYY_MM_DD>.html.gz (page), "
        f"{TEST_DATA}/<country>/<Publisher>.json (gold: the parser version's `body`), "
        f"{TEST_DATA}/<country>/meta.info (url, crawl date)\n"
        "gold: the article body fundus's own parser tests expect (its maintainers' checked output of "
        "hand-written per-publisher parsers): summary/lead paragraphs, then each section's subheading and "
        "paragraphs, one per line; no headline; soft hyphens (U+00AD) removed. A page is paired with the "
        "parser version valid on its crawl date (a publisher's pages by crawl date, its versions by number)\n"
        "genre: news from many publishers and countries, in their own languages\n"
        f"pages: {len(gold)} from {publishers} publishers in {countries} countries "
        f"({dev} dev, {len(gold) - dev} held out; held out = first byte of sha1(page id) < {HELD_OUT_BELOW}); "
        "page id = <country>_<file name>\n"
        "built by: tools/build_fundus_set.py\n",
        encoding="utf-8")
    return gold


def main() -> None:
    """Build the set from the fundus copy named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("fundus", type=Path, help="a checkout of flairNLP/fundus, or its git directory")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the set's folder")
    args = parser.parse_args()
    gold = build(RepoSource(args.fundus, TEST_DATA), args.out)
    dev = sum(entry["split"] == "dev" for entry in gold.values())
    print(f"{len(gold)} pages ({dev} dev, {len(gold) - dev} held out) written to {args.out}")


if __name__ == "__main__":
    main()
