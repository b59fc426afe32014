"""Domain finding, splitting with the Public Suffix List, and lookalike checks."""

from __future__ import annotations

import pytest

from newsarchive.nlp.entities.domains import (
    cctld_country,
    edit_kind,
    find_domain_hits,
    find_lookalike,
    is_known_suffix,
    normalise_host,
    osa_distance,
    split_domain,
    suffix_extractor,
)


def hits(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.text) for h in find_domain_hits(text)]


# --- finding -------------------------------------------------------------------------------------


def test_bare_suffixes_in_quotes_and_prose():
    text = "Emails went to a '.ml' address, not '.mil'. Also .gov.uk and “.co” domains."
    assert hits(text) == [("suffix", ".ml"), ("suffix", ".mil"), ("suffix", ".gov.uk"), ("suffix", ".co")]


def test_sentence_final_period_is_not_part_of_a_host():
    assert hits("Visit example.com.") == [("domain", "example.com")]
    assert hits("It ends with .ml.") == [("suffix", ".ml")]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. and the U.K. said so, e.g. at 3 p.m. on Tuesday.",
        "Growth was 3.14 per cent, or 2.5bn.",
        "Read report.pdf and notes.docx first.",
        "The attachment invoice.zip held a script, setup.sh, and loader.py.",
        "Officials said.It was late.",
        "It is a .py file and a .zip archive.",
        "A suffix that is not one: .notarealsuffix and .pdf",
    ],
)
def test_no_false_hosts(text):
    assert hits(text) == []


def test_urls_emails_ips_hosts():
    text = (
        "See https://www.gov.uk/guidance?x=1, write to jane.doe@mail.mod.uk or visit "
        "WWW.Example.COM; the server was 192.168.10.1. Also www.files.zip."
    )
    assert hits(text) == [
        ("url", "https://www.gov.uk/guidance?x=1"),
        ("email", "jane.doe@mail.mod.uk"),
        ("domain", "WWW.Example.COM"),
        ("ip", "192.168.10.1"),
        ("domain", "www.files.zip"),
    ]


def test_hit_offsets():
    text = "Mail went to '.ml' by mistake."
    (hit,) = find_domain_hits(text)
    assert text[hit.start : hit.end] == ".ml"
    assert hit.host == ".ml"


def test_not_an_ip():
    assert hits("Version 1.2.3.4.5 and 300.1.1.1") == []


# --- splitting ----------------------------------------------------------------------------------


def test_extractor_is_offline_and_shared():
    assert suffix_extractor() is suffix_extractor()
    assert suffix_extractor().suffix_list_urls == ()


@pytest.mark.parametrize(
    "name, domain, suffix, registrable, country",
    [
        ("mail.mod.uk", "mail.mod.uk", "uk", "mod.uk", "GB"),
        ("www.Example.COM", "example.com", "com", "example.com", None),
        ("www.gov.uk", "www.gov.uk", "gov.uk", "www.gov.uk", "GB"),
        ("x.gov.uk", "x.gov.uk", "gov.uk", "x.gov.uk", "GB"),
        ("army.mil", "army.mil", "mil", "army.mil", None),
        (".ml", ".ml", "ml", None, "ML"),
        (".gov.uk", ".gov.uk", "gov.uk", None, "GB"),
        (".com", ".com", "com", None, None),
    ],
)
def test_split_domain(name, domain, suffix, registrable, country):
    info = split_domain(name)
    assert (info.domain, info.suffix, info.registrable, info.cctld_country) == (domain, suffix, registrable, country)


def test_split_refuses_unknown_suffixes():
    assert split_domain("report.pdf") is None
    assert split_domain(".pdf") is None
    assert not is_known_suffix("pdf")
    assert is_known_suffix("gov.uk")


def test_normalise_host():
    assert normalise_host("WWW.Example.COM.") == "example.com"
    assert normalise_host("www.gov.uk") == "www.gov.uk"


def test_cctld_country():
    assert cctld_country("ml") == "ML"
    assert cctld_country("co.uk") == "GB"
    assert cctld_country("com") is None
    assert cctld_country("eu") is None
    assert cctld_country("su") == "SU"  # still delegated: the Soviet Union's ISO 3166-3 code
    assert cctld_country("yu") is None  # withdrawn


# --- lookalikes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, distance",
    [("ml", "mil", 1), ("mil", "ml", 1), ("googel", "google", 1), ("abc", "abc", 0), ("ca", "abc", 3), ("", "ab", 2)],
)
def test_osa_distance(a, b, distance):
    assert osa_distance(a, b) == distance


@pytest.mark.parametrize(
    "candidate, target, kind",
    [
        ("ml", "mil", "omission"),
        ("cm", "com", "omission"),
        ("co", "com", "omission"),
        ("om", "com", "omission"),
        ("gooogle.com", "google.com", "insertion"),
        ("googel.com", "google.com", "transposition"),
        ("paypa1.com", "paypal.com", "replacement"),
        ("modgov.uk", "mod.gov.uk", "dropped-dot"),
    ],
)
def test_edit_kind(candidate, target, kind):
    assert edit_kind(candidate, target) == kind


@pytest.mark.parametrize(
    "name, lookalike_of, edit_type, distance",
    [
        (".ml", ".mil", "omission", 1),
        (".cm", ".com", "omission", 1),
        (".co", ".com", "omission", 1),
        (".om", ".com", "omission", 1),
        ("army.ml", "army.mil", "omission", 1),
        ("paypa1.com", "paypal.com", "replacement", 1),
        ("googel.com", "google.com", "transposition", 1),
        ("mail.rnicrosoft.com", None, None, None),
        ("nato.org", "nato.int", "suffix-swap", 3),
        ("example.ml", ".mil", "omission", 1),
    ],
)
def test_lookalikes(name, lookalike_of, edit_type, distance):
    info = split_domain(name)
    assert (info.lookalike_of, info.edit_type, info.distance) == (lookalike_of, edit_type, distance)


@pytest.mark.parametrize("name", [".mil", ".com", "paypal.com", "www.paypal.com", "mail.mod.uk", "nato.int", "corriere.it", "amazon.de"])
def test_watched_and_ordinary_names_are_not_lookalikes(name):
    assert find_lookalike(split_domain(name)) is None
