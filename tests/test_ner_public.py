"""bench.ner_public: the public NER sets load, and the scoring counts what it says it counts."""

from __future__ import annotations

import json

import pytest

from bench.ner_public import SETS_DIR, GoldDoc, Predicted, SetScore, available_sets, load_set, norm, score_doc


def test_norm():
    assert norm("The U.S.'s") == "us"
    assert norm("#Pistorius") == "pistorius"
    assert norm("Reuters’") == "reuters"
    assert norm("  New   York ") == "new york"


def gold(*pairs: tuple[str, str], misc: tuple[tuple[int, int], ...] = ()) -> GoldDoc:
    return GoldDoc("d", "news", "", frozenset((t, norm(n)) for t, n in pairs), misc)


def entity(kind: str, *names: str, spans=((0, 1),), surfaces=("x",)) -> Predicted:
    return Predicted(kind, frozenset(norm(n) for n in names), tuple(spans), tuple(surfaces))


def test_one_entity_finds_its_full_and_short_names():
    result = SetScore()
    score_doc(gold(("PER", "Barack Obama"), ("PER", "Obama"), ("LOC", "Kenya")),
              [entity("PER", "Barack Obama", "Obama"), entity("ORG", "Kenya")], result)
    assert (result.by_type["PER"].pred_ok, result.by_type["PER"].pred) == (1, 1)
    assert (result.by_type["PER"].gold_ok, result.by_type["PER"].gold) == (2, 2)
    # the right name with the wrong type is a false positive and a false negative
    assert (result.by_type["ORG"].pred_ok, result.by_type["ORG"].pred) == (0, 1)
    assert (result.by_type["LOC"].gold_ok, result.by_type["LOC"].gold) == (0, 1)
    assert result.overall.precision == 0.5 and result.overall.recall == pytest.approx(2 / 3)


def test_entities_inside_misc_or_demonyms_are_not_scored():
    result = SetScore()
    doc = gold(("PER", "Ann Lee"), misc=((10, 20),))
    score_doc(doc, [entity("ORG", "Nobel Prize", spans=((10, 21),)),  # crosses the MISC span: scored
                    entity("LOC", "Nobel", spans=((10, 15),)),  # inside it: not scored
                    entity("LOC", "Turkey", surfaces=("Turkish",))], result)  # a demonym: not scored
    assert result.overall.pred == 1 and result.overall.pred_ok == 0
    # --strict scores them all, as a plain scorer would
    strict = SetScore()
    score_doc(doc, [entity("ORG", "Nobel Prize", spans=((10, 21),)), entity("LOC", "Nobel", spans=((10, 15),)),
                    entity("LOC", "Turkey", surfaces=("Turkish",))], strict, strict=True)
    assert (strict.overall.pred, strict.overall.pred_ok, strict.by_type["LOC"].pred) == (3, 0, 2)


@pytest.mark.parametrize("name", available_sets())
def test_set_files_are_well_formed(name):
    for split in ("dev", "heldout"):
        path = SETS_DIR / name / f"{split}.jsonl"
        docs = load_set(path)
        assert docs, path
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for span in row["spans"]:
                assert row["text"][span["start"]:span["end"]] == span["text"]
                assert span["label"] in ("PER", "ORG", "LOC", "MISC")


def test_sets_have_source_and_licence():
    manifest = (SETS_DIR / "MANIFEST.md").read_text(encoding="utf-8")
    assert len(available_sets()) >= 5
    for name in available_sets():
        assert f"| {name} |" in manifest
    assert (SETS_DIR / "licences" / "CC-BY-4.0.txt").exists()
