"""A declared charset that does not fit the bytes: detected, no mojibake (the
L3S-GN1 kind of page: ``<meta charset>`` says latin-1, the bytes are UTF-8)."""

from __future__ import annotations

from newsarchive.nlp.extraction.core import extract_article
from newsarchive.nlp.extraction.decode import decode_html

TEXT = ("Café owners in Zürich and São Paulo said the naïve façade of the Straße project, "
        "opened in Kraków on Tuesday, had cost €2.5m — twice the estimate. ")
MOJIBAKE = ("Ã©", "Ã¼", "Ã£", "Ã¯", "â€", "Ã")


def page(charset: str, text: str = TEXT, title: str = "Café prices in Zürich") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>" + f"<p>{text}</p>" * 6 + "</article></body></html>")


def test_utf8_bytes_under_a_latin1_declaration_are_read_as_utf8():
    for declared in ("iso-8859-1", "latin-1", "windows-1252", "ISO-8859-15"):
        text = decode_html(page(declared).encode("utf-8"))
        assert TEXT in text, declared
        assert not any(m in text for m in MOJIBAKE), declared


def test_latin1_bytes_under_a_utf8_declaration_are_read_as_cp1252():
    raw = page("utf-8").encode("cp1252")
    text = decode_html(raw)
    assert TEXT in text
    assert "\ufffd" not in text


def test_a_declaration_that_fits_is_kept():
    assert TEXT in decode_html(page("windows-1252").encode("cp1252"))
    assert TEXT in decode_html(page("utf-8").encode("utf-8"))
    cyrillic = "Москва: мэр города заявил во вторник о новом бюджете. " * 5
    assert cyrillic in decode_html(page("windows-1251", cyrillic, "Бюджет").encode("cp1251"))


def test_mostly_utf8_with_a_stray_byte_under_latin1_is_utf8():
    raw = page("iso-8859-1").encode("utf-8").replace(b"</h1>", b"\xa0</h1>")
    text = decode_html(raw)
    assert TEXT in text


def test_extraction_has_no_mojibake_either_way():
    for raw in (page("iso-8859-1").encode("utf-8"), page("utf-8").encode("cp1252")):
        article = extract_article(raw, "https://ledger.example/news/2023/cafe.html")
        assert article is not None
        assert "Café" in article.title and "Zürich" in article.title
        assert "São Paulo" in article.text and not any(m in article.text for m in MOJIBAKE)
