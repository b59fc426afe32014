"""Build ``bench/story_real/articles.jsonl`` from the article-extraction-benchmark pages.

The pages and their hand-checked article bodies are in ``corpora/article-extraction-benchmark``
(MIT licence). The gold body is the article's text (``bench.stories`` reads it there); this
script adds what a crawl would give besides: title, published date and language from our
own extractor run on the page, and the entities our pipeline finds in title and gold text.
So ``python -m bench.stories`` needs neither the HTML nor a crawl. The event labels are
ours, in ``bench/story_real/labels.json``.

Run from the project's root::

    python -m bench.story_real_build
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from newsarchive.nlp.entities.extract import extract_entities_many, load_nlp
from newsarchive.nlp.extraction.core import extract_article

OUT = Path(__file__).resolve().parent / "story_real" / "articles.jsonl"
CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "article-extraction-benchmark"


def build(corpus: Path = CORPUS, out: Path = OUT) -> int:
    """Write the articles file; returns how many articles it holds.

    :param corpus: folder with ``ground-truth.json`` and ``html/<id>.html.gz``
    :param out: the JSON-lines file to write
    """
    truth_path = corpus / "ground-truth.json"
    if not truth_path.is_file():
        raise SystemExit(f"error: no ground-truth.json in {corpus}")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    rows = []
    for page_id in sorted(truth):
        gold = truth[page_id]
        html = gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes())
        found = extract_article(html, gold["url"])
        rows.append({
            "id": page_id,
            "url": gold["url"],
            "title": found.title or "",
            "published": found.published_at,
            "language": found.language,
        })
    nlp = load_nlp()
    texts = (row["title"] + "\n\n" + truth[row["id"]]["articleBody"] for row in rows)
    for row, entities in zip(rows, extract_entities_many(texts, nlp=nlp)):
        # [kind, key, first offset in title + "\n\n" + text], in text order, as the archive hands them
        firsts = {(e.archive_kind, e.key): min(m.start for m in e.mentions) for e in entities if e.mentions}
        row["entities"] = [[kind, key, start] for (kind, key), start in sorted(firsts.items(), key=lambda p: (p[1], p[0]))]
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python -m bench.story_real_build")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the benchmark's folder (default {CORPUS})")
    options = parser.parse_args()
    count = build(options.corpus)
    print(f"{count} articles written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
