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


def test_an_abbreviations_stop_before_the_sentences_stays_apart(nlp):
    """PTB writes "the U.S. ." and "King Jr. ." at a sentence's end: "Jr.. King" was read as
    one name and "U.S.." lost its stop."""
    text = ("The speech was given by Martin Luther King Jr. . King spoke in Washington , the capital . "
            "Prices rose in the U.S. . Kenya 's exports fell , officials said .")
    unspaced, _ = unspace(text)
    assert "King Jr. . King" in unspaced and "the U.S. . Kenya's" in unspaced
    ents = extract_entities(text, nlp)
    assert not [e for e in ents if "Jr.." in e.name or "Jr. ." in e.name]
    assert "U.S." in [m.text for e in ents for m in e.mentions]


def test_mentions_of_spaced_text_point_into_it_through_chunks_and_odd_spaces(nlp, monkeypatch):
    """CRLF line ends, tabs, double spaces, characters outside the BMP and a text cut into
    chunks: every mention is the text as given, and no mention starts or ends in a space."""
    import newsarchive.nlp.entities.extract as entities_module

    monkeypatch.setattr(entities_module, "CHUNK_CHARS", 1000)
    text = (SPACED.replace("\n", "\r\n") + "\r\n\r\n" + SPACED.replace(" , ", "\t, ").replace(" the ", "  the ")
            + " 😀 " + SPACED) * 8
    assert looks_spaced(text)
    ents = extract_entities(text, nlp)
    assert ("person", "Daniel arap Moi") in {(e.kind, e.name) for e in ents}
    for e in ents:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert m.text == m.text.strip()
