"""The seed story (the model incident, as captured): every must-show of its entities.

The story may not be redistributed, so it stays outside the repository and these tests run
with ``make eval`` (``pytest -m eval``), which reads it from ``$NEWSARCHIVE_SHARED/seed``
(default ``../shared`` beside the checkout).
"""

from __future__ import annotations

import json

import pytest

from bench import SEED_DIR
from newsarchive.nlp.entities.extract import Entity, entity_to_dict, extract_entities

pytestmark = pytest.mark.eval

SEED = SEED_DIR / "mod-mali-emails-2023-07-28.txt"


def by_key(entities: list[Entity], kind: str, key: str) -> list[Entity]:
    return [e for e in entities if e.kind == kind and e.key == key]


def one(entities: list[Entity], kind: str, key: str) -> Entity:
    found = by_key(entities, kind, key)
    assert len(found) == 1, f"expected one {kind} {key!r}, got {found!r}"
    return found[0]


@pytest.fixture(scope="module")
def seed_entities(nlp) -> list[Entity]:
    if not SEED.exists():
        pytest.fail(f"seed story not found at {SEED} (set NEWSARCHIVE_SHARED to the folder holding seed/)")
    return extract_entities(SEED.read_text(encoding="utf-8"), nlp)




def test_seed_mali_is_never_a_person(seed_entities):
    for e in seed_entities:
        if e.kind in ("person", "organisation"):
            assert all(m.text != "Mali" for m in e.mentions), e
    mali = one(seed_entities, "country", "ML")
    assert mali.name == "Mali"
    assert len(mali.mentions) >= 8


@pytest.mark.parametrize("code", ["GB", "ML", "RU", "US", "UA"])
def test_seed_countries_found(seed_entities, code):
    country = one(seed_entities, "country", code)
    assert country.country_code == code


def test_seed_demonyms_resolve_to_their_country(seed_entities):
    assert "British" in one(seed_entities, "country", "GB").aliases
    russia = one(seed_entities, "country", "RU")
    assert "Russian" in russia.aliases
    # "Russian mercenaries" is a mention of Russia too
    assert any("mercenaries" in m.sentence for m in russia.mentions if m.text == "Russian")
    assert "Ukrainian" in one(seed_entities, "country", "UA").aliases


def test_seed_ministry_of_defence_is_one_organisation(seed_entities):
    mod = one(seed_entities, "organisation", "ministry of defence")
    assert mod.name == "Ministry of Defence"
    assert "MoD" in mod.aliases
    assert len(mod.mentions) >= 3
    assert mod.country_code == "GB"
    assert not by_key(seed_entities, "organisation", "mod")
    assert not by_key(seed_entities, "organisation", "british ministry of defence")


def test_seed_wagner_and_the_un(seed_entities):
    # A mercenary outfit: kind "group" (an organisation that is a non-state armed group)
    wagner = one(seed_entities, "group", "wagner group")
    assert [e.key for e in seed_entities if "wagner" in e.key] == ["wagner group"]
    assert len(wagner.mentions) == 2
    un = one(seed_entities, "organisation", "united nations")
    assert "UN" in un.aliases


def test_seed_people(seed_entities):
    putin = one(seed_entities, "person", "vladimir putin")
    assert "Putin" in putin.aliases
    assert len(putin.mentions) == 2
    assert not by_key(seed_entities, "person", "putin")
    blinken = one(seed_entities, "person", "antony blinken")
    assert blinken.name == "Antony Blinken"
    # "Secretary of State" is a title, not an organisation called "State"
    assert not by_key(seed_entities, "organisation", "state")


def test_seed_ml_and_mil_are_a_lookalike_pair(seed_entities):
    ml = one(seed_entities, "domain", ".ml")
    mil = one(seed_entities, "domain", ".mil")
    assert ml.country_code == "ML"
    assert ml.domain.cctld_country == "ML"
    assert (ml.domain.lookalike_of, ml.domain.edit_type, ml.domain.distance) == (".mil", "omission", 1)
    assert mil.domain.lookalike_of is None
    assert mil.country_code is None


def test_seed_mentions_point_into_the_text(seed_entities):
    text = SEED.read_text(encoding="utf-8")
    for e in seed_entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
            assert m.text in m.sentence or m.sentence in text


def test_seed_entities_are_json_ready(seed_entities):
    rows = [entity_to_dict(e) for e in seed_entities]
    json.dumps(rows)
    ml = next(r for r in rows if r["key"] == ".ml")
    assert ml["lookalike_of"] == ".mil" and ml["suffix"] == "ml" and ml["registrable"] is None
