"""Tests of story linking (newsarchive.nlp.stories.linker) and incident typing (newsarchive.nlp.stories.incidents)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
import random

import pytest

# bench/ is not an installed package; make it importable under plain `pytest` too
# (harmless once pytest is configured with pythonpath = ["."])
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stories import load_eval, to_article
from newsarchive.nlp.stories.incidents import IncidentTagger, load_rules
from newsarchive.nlp.stories.linker import (
    MinHasher,
    StoryArticle,
    StoryConfig,
    StoryLinker,
    estimated_jaccard,
    link_all,
    sort_key,
)

WIRE_TEXT = (
    "The harbour authority in Kestrel Bay said on Tuesday that a fault in its booking "
    "system had let ferry passengers see the names and phone numbers of other travellers "
    "for most of the weekend. The authority said the problem began after a software update "
    "on Friday evening and was fixed on Sunday afternoon. About 4,000 bookings were affected. "
    "Passengers who noticed the fault reported it through the authority's help line, and "
    "the authority said it had written to everyone whose details could have been seen. "
    "A spokesperson apologised and said an outside firm would review the update process."
)


@pytest.fixture(scope="module")
def tagger() -> IncidentTagger:
    """One tagger (blank pipeline + matcher) for the module."""
    return IncidentTagger()


@pytest.fixture(scope="module")
def eval_rows() -> list[dict]:
    """The labelled evaluation articles."""
    return load_eval()


@pytest.fixture(scope="module")
def eval_stories(eval_rows, tagger):
    """The evaluation set linked once, with a map article id -> story."""
    stories = link_all([to_article(row) for row in eval_rows], tagger=tagger)
    return stories, {article_id: story for story in stories for article_id in story.article_ids}


def article(article_id: str, text: str, published: str = "2024-03-05", title: str = "Ferry booking fault", entities=()) -> StoryArticle:
    """A small article for the tests."""
    return StoryArticle(article_id, title, text, published, list(entities))


# -- near-duplicates -----------------------------------------------------------------


def test_minhash_estimate_is_close_to_true_jaccard():
    hasher = MinHasher(num_perm=256, shingle_size=3, seed=1)
    left = "one two three four five six seven eight nine ten eleven twelve"
    right = "one two three four five six seven eight nine ten thirteen fourteen"
    true = len(set(_grams(left)) & set(_grams(right))) / len(set(_grams(left)) | set(_grams(right)))
    assert abs(estimated_jaccard(hasher.sketch(left), hasher.sketch(right)) - true) < 0.12


def _grams(text: str, size: int = 3) -> list[str]:
    tokens = text.split()
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def test_lightly_edited_copy_is_a_duplicate_of_the_original():
    edited = WIRE_TEXT.replace("on Tuesday", "on Tuesday morning").replace(
        " About 4,000 bookings were affected.", ""
    )
    linker = StoryLinker()
    first = linker.add(article("wire", WIRE_TEXT, title="Ferry passengers' details shown to others"))
    copy = linker.add(article("copy", edited, "2024-03-06", title="Booking glitch exposed ferry travellers"))
    assert first.new_story and first.duplicate_of is None
    assert copy.duplicate_of == "wire"
    assert copy.story_id == first.story_id
    assert copy.similarity >= StoryConfig().duplicate_threshold


def test_article_rewritten_in_other_words_is_not_a_duplicate():
    rewritten = (
        "Travellers booking ferries at Kestrel Bay could see strangers' contact details for two "
        "days, the port said. It blamed an update installed before the weekend and said "
        "thousands of reservations were involved; letters are going out to passengers."
    )
    linker = StoryLinker()
    linker.add(article("wire", WIRE_TEXT))
    assert linker.add(article("other", rewritten, "2024-03-06")).duplicate_of is None


def test_syndicated_copies_in_the_eval_set_are_found(eval_rows):
    linker = StoryLinker()
    duplicates = {}
    for item in sorted((to_article(row) for row in eval_rows), key=sort_key):
        found = linker.add(item).duplicate_of
        if found:
            duplicates[item.id] = found
    outlets = {row["id"]: row["outlet"] for row in eval_rows}
    incidents = {row["id"]: row["incident"] for row in eval_rows}
    assert len(duplicates) >= 3
    for copy, original in duplicates.items():
        assert incidents[copy] == incidents[original]
        assert outlets[copy] != outlets[original]


# -- incident types --------------------------------------------------------------------


def test_rules_file_loads_and_every_type_has_rules():
    labels = {rule.label for rule in load_rules()}
    assert labels == {
        "error/misdelivery", "error/publishing", "error/loss", "error/misconfiguration",
        "hacking", "malware", "social-engineering", "physical", "misuse",
    }


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Council emails tenant list to wrong recipient",
         "A housing officer sent the file to the wrong email address. The council apologised.",
         "error/misdelivery"),
        ("Shipping firm locked out of its systems",
         "Ransomware encrypted the firm's servers overnight. A ransom note demanded payment.",
         "malware"),
        ("Charity staff fooled by fake chief executive",
         "Fraudsters posing as the charity's director tricked a clerk into paying an invoice.",
         "social-engineering"),
        ("Patient records viewed by nurse",
         "A nurse accessed the records of her neighbours without a clinical reason.",
         "misuse"),
        ("Clinic laptops taken",
         "Thieves stole three laptops during a burglary at the clinic on Sunday night.",
         "physical"),
        ("Retailer's customer database found online",
         "The database was left unsecured and could be read without a password.",
         "error/misconfiguration"),
    ],
)
def test_rules_tag_incident_and_keep_the_sentence(tagger, title, text, expected):
    found = tagger.tag_article(title, text)
    label, evidence = tagger.decide([found])
    assert label == expected
    assert evidence is not None and (evidence in text or evidence == title)


def test_gated_matching_finds_exactly_what_the_full_matcher_finds(eval_rows, tagger):
    """Rules are run only where a document has the words they need: the matches (and
    their order) must be those of one matcher holding every rule."""
    compared = 0
    for row in eval_rows:
        for part in (row["title"], row["text"]):
            doc = tagger.nlp(part)
            full = sorted(((start, end, tagger.nlp.vocab.strings[match_id])
                           for match_id, start, end in tagger.matcher(doc)), key=lambda m: (m[0], m[1]))
            gated = tagger._matches(doc)
            assert sorted(gated) == sorted(full), row["id"]
            assert [m[:2] for m in gated] == [m[:2] for m in full], row["id"]
            compared += len(full)
    assert compared > 50  # the evaluation set is full of incidents: the test saw real matches


def test_news_without_an_incident_is_none(tagger):
    found = tagger.tag_article(
        "Grain shipments promised to Mali",
        "Russia says it will send wheat to Mali and five other countries free of charge. "
        "Aid groups said the amounts were small.",
    )
    assert tagger.decide([found]) == ("none", None)


def test_background_mention_far_down_does_not_type_a_story(tagger):
    lead = "The registry reopened sales of web addresses on Monday. Prices start low. Shops welcomed it. "
    found = tagger.tag_article("Registry relaunch", lead + "Months ago some emails were misdirected to the domain.")
    assert tagger.decide([found])[0] == "none"


def test_phishing_sites_are_not_a_phishing_incident(tagger):
    found = tagger.tag_article("Cheap domains", "The suffix was a favourite of spammers and phishing sites.")
    assert "social-engineering" not in found.hits


def test_specific_type_outweighs_generic_hacking_words(tagger):
    found = tagger.tag_article("Hackers hit council", "Hackers deployed ransomware across the council's network.")
    assert tagger.decide([found])[0] == "malware"


# -- incremental linking ---------------------------------------------------------------


def test_adding_one_by_one_equals_link_all(eval_rows, tagger):
    items = [to_article(row) for row in eval_rows]
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    batch = link_all(shuffled, tagger=tagger)
    linker = StoryLinker(tagger=tagger)
    for item in sorted(items, key=sort_key):
        linker.add(item)
    assert linker.stories() == batch


@pytest.mark.parametrize("sketches", ["packed", "number lists"])
def test_state_saved_midway_resumes_to_the_same_stories(eval_rows, tagger, sketches):
    """Also from a state saved before sketches were packed (lists of numbers)."""
    items = sorted((to_article(row) for row in eval_rows), key=sort_key)
    half = len(items) // 2
    first = StoryLinker(tagger=tagger)
    for item in items[:half]:
        first.add(item)
    state = first.to_dict()
    assert all(isinstance(value, str) for value in state["sketches"].values())
    if sketches == "number lists":
        state["sketches"] = {key: first._sketches[key].tolist() for key in state["sketches"]}
    resumed = StoryLinker.from_dict(json.loads(json.dumps(state)), tagger=tagger)
    for item in items[half:]:
        resumed.add(item)
    assert resumed.stories() == link_all(items, tagger=tagger)


def test_article_outside_the_window_starts_a_new_story():
    linker = StoryLinker(StoryConfig(window_days=14))
    owner = [("organisation", "kestrel bay harbour authority")]
    first = linker.add(article("a", "Kestrel Bay harbour authority says a ferry booking fault exposed passenger details.", "2024-03-01", entities=owner))
    near = linker.add(article("b", "Letters about the ferry booking fault went to Kestrel Bay passengers whose details were exposed.", "2024-03-10", entities=owner))
    far = linker.add(article("c", "A review of the Kestrel Bay ferry booking fault that exposed passenger details has begun.", "2024-05-20", entities=owner))
    assert near.story_id == first.story_id and near.duplicate_of is None
    assert far.new_story and far.story_id != first.story_id


def test_adding_the_same_id_twice_is_refused():
    linker = StoryLinker()
    linker.add(article("a", WIRE_TEXT))
    with pytest.raises(ValueError):
        linker.add(article("a", WIRE_TEXT))


def test_story_has_title_dates_and_type(eval_stories):
    _stories, story_of = eval_stories
    story = story_of["us-01"]
    assert story.title == "Typo sends years of US military email traffic to Mali"
    assert story.first_seen == "2023-07-17" and story.last_seen >= "2023-07-21"
    assert story.incident_type == "error/misdelivery" and story.evidence


# -- the .ml stories ---------------------------------------------------------------------


def test_uk_and_us_ml_incidents_are_separate_but_related(eval_stories):
    _stories, story_of = eval_stories
    uk, us = story_of["uk-01"], story_of["us-01"]
    assert uk.id != us.id
    assert uk.id in us.related and us.id in uk.related
    assert {a for a in uk.article_ids if a.startswith("us-")} == set()
    assert {a for a in us.article_ids if a.startswith("uk-")} == set()


def test_second_ransomware_victim_in_the_same_week_is_its_own_story(eval_stories):
    _stories, story_of = eval_stories
    assert story_of["hw-01"].id != story_of["rw-01"].id
    assert story_of["hw-01"].incident_type == story_of["rw-01"].incident_type == "malware"


def test_mali_grain_story_stays_out_of_the_email_stories(eval_stories):
    _stories, story_of = eval_stories
    email_stories = {story_of["uk-01"].id, story_of["us-01"].id}
    for grain in ("grain-01", "grain-02", "grain-03"):
        assert story_of[grain].id not in email_stories
        assert story_of[grain].incident_type == "none"


def test_other_organisation_mailing_the_wrong_address_is_its_own_story(eval_stories):
    _stories, story_of = eval_stories
    hospital = story_of["hosp-01"]
    assert hospital.id not in {story_of["uk-01"].id, story_of["us-01"].id}
    assert hospital.incident_type == "error/misdelivery"


# -- stories in the archive: the updater that keeps its linker between updates ------------


def _link_in_batches(db_path, rows, batches: int, link) -> dict[str, list[tuple]]:
    """Save the labelled articles with their entities in ``batches`` batches (as a crawl
    commits them), calling ``link(store, batch number)`` after each; the story tables."""
    from newsarchive.archive.store import Store
    from newsarchive.archive.sources import Source
    from newsarchive.nlp.entities.extract import Entity, Mention
    from newsarchive.nlp.extraction.core import Article

    with Store(db_path) as store:
        store.save_sources([Source(name="Eval", homepage="https://eval.example/")])
        size = -(-len(rows) // batches)
        for number, start in enumerate(range(0, len(rows), size)):
            saved = []
            for row in rows[start:start + size]:
                url = f"https://eval.example/{row['id']}"
                record = Article(text=row["text"], title=row["title"], published_at=row["published"],
                                 language="en", url=url)
                article_id, _ = store.save_article("Eval", url, record, "2024-01-01T00:00:00+00:00")
                entities = [Entity(kind, key, key, None, [], [Mention(key, 0, len(key), "s")])
                            for kind, key in row["entities"]]
                saved.append((article_id, entities))
            store.save_entities(saved, "test")
            link(store, number)
        return {table: store.db.execute(f"select * from {table} order by 1, 2").fetchall()
                for table in ("stories", "story_articles", "story_links")}


@pytest.fixture(scope="module")
def stories_linked_afresh_each_time(eval_rows, tmp_path_factory):
    """The story tables after linking each of four batches with a linker read from the archive."""
    from newsarchive.stages.stories import update_stories

    return _link_in_batches(tmp_path_factory.mktemp("afresh") / "a.db", eval_rows, 4,
                            lambda store, number: update_stories(store))


def test_updater_keeping_its_linker_writes_what_a_fresh_linker_writes(eval_rows, tmp_path,
                                                                       stories_linked_afresh_each_time):
    from newsarchive.stages.stories import StoryUpdater

    updaters: list[StoryUpdater] = []

    def link(store, number):
        updaters.append(updaters[0] if updaters else StoryUpdater(store))
        updaters[-1].update()

    tables = _link_in_batches(tmp_path / "kept.db", eval_rows, 4, link)
    assert len(tables["stories"]) > 1 and tables["story_links"]
    assert tables == stories_linked_afresh_each_time


def test_updater_reads_the_state_again_after_another_writer_linked(eval_rows, tmp_path,
                                                                   stories_linked_afresh_each_time):
    from newsarchive.stages.stories import StoryUpdater, update_stories

    updaters: list[StoryUpdater] = []

    def link(store, number):
        updater = updaters[0] if updaters else StoryUpdater(store)
        updaters[:] = [updater]
        if number == 2:
            update_stories(store)  # someone else: the updater's linker is now stale
        else:
            updater.update()

    assert _link_in_batches(tmp_path / "other.db", eval_rows, 4, link) == stories_linked_afresh_each_time


def test_score_of_one_story_matches_the_scores_used_to_pick_it(eval_rows, tagger):
    from newsarchive.nlp.stories.linker import content_terms, entity_keys, sublinear

    items = sorted((to_article(row) for row in eval_rows), key=sort_key)
    linker = StoryLinker(tagger=tagger)
    for item in items[:-1]:
        linker.add(item)
    last = items[-1]
    terms, entities = sublinear(content_terms(last, linker.config.title_weight)), entity_keys(last)
    linker._count_frequencies(terms, entities)
    day = last.published[:10]
    best = linker._best_story(day, terms, entities)
    scores = {story.id: linker.score(story, terms, entities) for story in linker._open_stories(day)}
    assert best is not None and best.story_id == max(scores, key=scores.get)
    assert best.similarity == round(scores[best.story_id], 4)
    # the cosine part agrees with the plain-dict text similarity
    story = linker._stories[best.story_id]
    assert 0 < linker.text_similarity(terms, story.terms) <= 1
