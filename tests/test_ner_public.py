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


def test_convert_ieer_reads_enamex_spans_and_paragraphs(tmp_path):
    """The IE-ER converter on a story written here in the sample's mark-up (the sample itself
    is kept outside the repository): spans land on their words, optional ENAMEX become MISC,
    TIMEX and NUMEX go, wrapped lines join, editors' notes drop out."""
    import zipfile

    from bench.ner_sets.convert_ieer import documents, main as convert_main

    raw = ("<DOC>\n<DOCNO> APW19990101.0001 </DOCNO>\n<BODY>\n<HEADLINE>\nRains hit <b_enamex type=\"LOCATION\">"
           "Mali<e_enamex>\n</HEADLINE>\n<TEXT>\n\t   <b_enamex type=\"LOCATION\">BAMAKO<e_enamex> (<b_enamex "
           "type=\"ORGANIZATION\">AP<e_enamex>) _ Floods on <b_timex type=\"DATE\">Monday<e_timex> forced\n"
           "<b_numex type=\"CARDINAL\">2,000<e_numex> people from homes, said <b_enamex type=\"PERSON\">Awa\n"
           "Traore<e_enamex> of the <b_enamex type=\"ORGANIZATION\" status=\"opt\">Health<e_enamex> Ministry.\n"
           "<ANNOTATION>\n\t   (STORY CAN END HERE)\n</ANNOTATION>\n\t   Aid &AMP; food arrived.\n</TEXT>\n</BODY>\n</DOC>\n")
    [row] = documents(raw, "APW")
    assert row["text"] == ("Rains hit Mali\nBAMAKO (AP) _ Floods on Monday forced 2,000 people from homes, said "
                           "Awa Traore of the Health Ministry.\nAid & food arrived.")
    assert [(s["label"], s["text"]) for s in row["spans"]] == [
        ("LOC", "Mali"), ("LOC", "BAMAKO"), ("ORG", "AP"), ("PER", "Awa Traore"), ("MISC", "Health")]
    archive = tmp_path / "ieer.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ieer/APW_19990101", raw)
    assert convert_main([str(archive), str(tmp_path / "out")]) == 0
    rows = [json.loads(line) for split in ("dev", "heldout")
            for line in (tmp_path / "out" / "ieer" / f"{split}.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["APW19990101.0001"]
