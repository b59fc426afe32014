"""Text spaced one token per space is read as printed, and mentions point into it as given."""

from __future__ import annotations

from newsarchive.nlp.entities.extract import extract_entities
from newsarchive.nlp.entities.spacing import looks_spaced, unspace


SPACED = ("NAIROBI , Kenya ( AP ) _ Thousands of laborers , students and politicians protested .\n"
          "President Daniel arap Moi , Kenya 's ruler for 20 years , said Moody 's Investors Service was wrong . "
          "He did n't care . It cost $ 5 in 1996 .")


def test_spaced_text_is_unspaced_and_mapped_back():
    text, offsets = unspace(SPACED)
    assert text.startswith("NAIROBI, Kenya (AP) _ Thousands of laborers, students")
    assert "Kenya's ruler" in text and "didn't" in text and "$5 in 1996 ." in text
    for word in ("Kenya's", "Moody's Investors Service", "protested", "NAIROBI", "$5"):
        start = text.find(word)
        given = SPACED[offsets.original(start) : offsets.original_end(start + len(word))]
        assert given.replace(" ", "") == word.replace(" ", "")


def test_printed_text_is_left_alone():
    printed = "Officials in Bamako, Mali, said on Friday that the U.S. embassy had closed. It re-opened."
    assert not looks_spaced(printed)
    assert unspace(printed) == (printed, None)
    # a stray spaced comma or two is no sign of spaced text
    assert not looks_spaced("He came , saw and left. Then , later, he wrote: fine. Done.")


def test_entities_of_spaced_text_point_into_it(nlp):
    ents = extract_entities(SPACED, nlp)
    kinds = {(e.kind, e.name) for e in ents}
    assert ("person", "Daniel arap Moi") in kinds and ("country", "Kenya") in kinds
    assert ("organisation", "Moody's Investors Service") in kinds
    for e in ents:
        for m in e.mentions:
            assert SPACED[m.start : m.end] == m.text
    moody = next(e for e in ents if e.name == "Moody's Investors Service")
    assert moody.mentions[0].text == "Moody 's Investors Service"
