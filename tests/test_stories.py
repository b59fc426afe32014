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
from newsarchive.nlp.stories.incidents import ArticleIncident, IncidentTagger, load_rules
from newsarchive.nlp.stories.records import AlreadyLinked, SavedArticle
from newsarchive.nlp.stories.linker import (
    MinHasher,
    StateVersionError,
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


def test_a_copy_linked_before_its_original_gets_it_when_the_original_comes():
    """``duplicate_of`` must not depend on arrival order: the copy came first (a crawl
    fetched it first), then the original, published a day earlier."""
    edited = WIRE_TEXT.replace("on Tuesday", "on Tuesday morning")
    linker = StoryLinker()
    copy = linker.add(article("copy", edited, "2024-03-06", title="Booking glitch exposed ferry travellers"))
    assert copy.duplicate_of is None and linker.take_revised_originals() == {}
    first = linker.add(article("wire", WIRE_TEXT, title="Ferry passengers' details shown to others"))
    assert first.duplicate_of is None  # nothing earlier than the original
    assert linker.take_revised_originals() == {"copy": "wire"}
    assert linker.take_revised_originals() == {}  # taken once


def test_archive_copies_point_at_their_original_whatever_came_first(tmp_path):
    """In the archive: the copy linked in one update, its original in a later one."""
    from newsarchive.stages.stories import update_stories

    edited = WIRE_TEXT.replace("on Tuesday", "on Tuesday morning")
    rows = [{"id": "copy", "title": "Booking glitch exposed ferry travellers", "text": edited,
             "published": "2024-03-06", "entities": []},
            {"id": "wire", "title": "Ferry passengers' details shown to others", "text": WIRE_TEXT,
             "published": "2024-03-05", "entities": []}]
    tables = _link_in_batches(tmp_path / "copies.db", rows, 2, lambda store, number: update_stories(store))
    by_article = {row[1]: row for row in tables["story_articles"]}
    # ids follow the order saved: the copy is article 1, the original article 2
    assert by_article[1][3] == 2 and by_article[2][3] is None
    assert by_article[1][0] == by_article[2][0]


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


def test_text_ruled_out_before_tokenising_has_no_match(eval_rows, tagger):
    """A body whose raw words rule out every rule is not tokenised: the full matcher must
    find nothing in each such text, and the gate must rule out real texts (else it saves nothing)."""
    ruled_out = 0
    for row in eval_rows:
        for part in (row["title"], row["text"]):
            if not tagger.could_match(part):
                ruled_out += 1
                assert not list(tagger.matcher(tagger.nlp(part))), row["id"]
    assert ruled_out >= 10


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


def test_state_saved_midway_resumes_to_the_same_stories(eval_rows, tagger):
    items = sorted((to_article(row) for row in eval_rows), key=sort_key)
    half = len(items) // 2
    first = StoryLinker(tagger=tagger)
    for item in items[:half]:
        first.add(item)
    state = first.to_dict()
    assert all(isinstance(value, str) for value in state["sketches"].values())
    resumed = StoryLinker.from_dict(json.loads(json.dumps(state)), tagger=tagger)
    for item in items[half:]:
        resumed.add(item)
    assert resumed.stories() == link_all(items, tagger=tagger)


def test_state_of_the_older_linker_is_refused():
    older = {"config": {}, "doc_count": 3, "term_df": {}, "entity_df": {}, "stories": [], "sketches": {},
             "incidents": {}}
    with pytest.raises(StateVersionError):
        StoryLinker.from_dict(older)


# -- arrival order -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_written_set_in_any_order_gives_the_same_stories(eval_rows, tagger, seed):
    items = [to_article(row) for row in eval_rows]
    in_order = StoryLinker(tagger=tagger)
    for item in sorted(items, key=sort_key):
        in_order.add(item)
    shuffled = items[:]
    random.Random(seed).shuffle(shuffled)
    other = StoryLinker(tagger=tagger)
    for item in shuffled:
        other.add(item)
    assert other.partition() == in_order.partition()
    # titles, dates, types and related stories follow the articles, not the story numbers
    def view(linker):
        stories = linker.stories()
        number = {story.id: frozenset(story.article_ids) for story in stories}
        return {frozenset(s.article_ids): (s.title, s.first_seen, s.last_seen, s.incident_type, s.evidence,
                                           frozenset(number[r] for r in s.related)) for s in stories}
    assert view(other) == view(in_order)


@pytest.fixture(scope="module")
def real_pages():
    """The real pages of ``bench/story_real`` as linker inputs, in published order."""
    from bench.stories import load_real, real_article

    rows, labels = load_real()
    return sorted((real_article(row) for row in rows), key=sort_key), labels


@pytest.mark.parametrize("seed", [11, 12])
def test_real_pages_in_any_order_give_the_same_stories(real_pages, seed):
    pages, _labels = real_pages
    in_order = StoryLinker()
    for page in pages:
        in_order.add(page)
    shuffled = pages[:]
    random.Random(seed).shuffle(shuffled)
    other = StoryLinker()
    for page in shuffled:
        other.add(page)
    assert other.partition() == in_order.partition()
    assert any(len(group) > 2 for group in in_order.partition())  # a real test: stories did form


def test_real_pages_saved_and_resumed_in_another_order_give_the_same_stories(real_pages):
    pages, _labels = real_pages
    in_order = StoryLinker()
    for page in pages:
        in_order.add(page)
    backwards = pages[::-1]
    first = StoryLinker()
    for page in backwards[:90]:
        first.add(page)
    resumed = StoryLinker.from_dict(json.loads(json.dumps(first.to_dict())))
    for page in backwards[90:]:
        resumed.add(page)
    assert resumed.partition() == in_order.partition()


class DictStore:
    """A LinkerStore over a dict, saved by the test as the archive's writer saves."""

    def __init__(self) -> None:
        self.saved: dict[str, SavedArticle] = {}
        self.reads = 0

    def articles_between(self, first_day, last_day):
        self.reads += 1
        return [s for s in self.saved.values() if first_day <= s.item["day"] <= last_day]

    def articles_of(self, story_ids):
        return [s for s in self.saved.values() if s.story_id in set(story_ids)]


def _story_view(linker: StoryLinker) -> set:
    return {(frozenset(s.article_ids), s.title, s.first_seen, s.last_seen, s.incident_type, s.evidence)
            for s in linker.stories(related=False)}


@pytest.mark.parametrize("seed", [3, 4])
def test_linker_keeping_only_recent_stories_gives_the_stories_of_one_keeping_all(real_pages, seed):
    """Evicted after every ten articles down to the window, read back when a late article
    needs its days: the same stories as a linker holding everything."""
    pages, _labels = real_pages
    shuffled = pages[:]
    random.Random(seed).shuffle(shuffled)
    everything = StoryLinker()
    store = DictStore()
    windowed = StoryLinker(store=store)
    smallest = len(pages)
    for start in range(0, len(shuffled), 10):
        batch = shuffled[start:start + 10]
        for page in batch:
            everything.add(page)
            windowed.add(page)
        for article_id in windowed._items:  # every article in memory, in its story now
            store.saved[article_id] = windowed.saved(article_id)
        windowed.evict(windowed.newest_day - windowed.config.window_days, keep=start % 30)
        smallest = min(smallest, windowed.memory_size)
    assert len(store.saved) == len(pages)
    windowed._ensure_days(min(s.item["day"] for s in store.saved.values()), windowed.newest_day)
    assert windowed.partition() == everything.partition()
    assert _story_view(windowed) == _story_view(everything)
    assert smallest < len(pages) // 4 and store.reads > 10  # it did drop stories and read them back


def test_evicting_keeps_the_newest_stories_up_to_keep(real_pages):
    pages, _labels = real_pages
    linker = StoryLinker(store=DictStore())
    for page in pages:
        linker.add(page)
    newest_of = {story_id: max(linker._items[i].day for i in linker._stories[story_id].article_ids)
                 for story_id in linker.story_ids()}
    assert linker.evict(linker.newest_day + 1, keep=50) > 0
    assert 0 < linker.memory_size <= 50
    kept = set(linker.story_ids())
    assert min(newest_of[i] for i in kept) >= max(newest_of[i] for i in newest_of if i not in kept)
    assert all(linker._story_of[a] == s for s in kept for a in linker._stories[s].article_ids)  # whole stories
    assert linker.evict(linker.newest_day - 100_000, keep=0) == 0  # nothing that old is left


def test_a_linker_without_a_store_refuses_to_evict():
    with pytest.raises(ValueError):
        StoryLinker().evict(1)


def test_the_state_of_a_linker_with_a_store_holds_no_articles(real_pages):
    pages, _labels = real_pages
    linker = StoryLinker(store=DictStore())
    for page in pages[:20]:
        linker.add(page)
    state = json.loads(json.dumps(linker.state()))
    assert set(state) == {"version", "config", "next_story"}
    assert StoryLinker.from_state(state, DictStore())._next_story == linker._next_story
    with pytest.raises(StateVersionError):
        StoryLinker.from_dict(state)  # a whole-state reader refuses the small state
    with pytest.raises(StateVersionError):
        StoryLinker.from_state(linker.to_dict(), DictStore())


def test_an_article_linking_two_stories_joins_them_up():
    linker = StoryLinker()
    left = "Zuurbier registry Bamako domain typo emails misdirected Pentagon contractor warned"
    right = "Kestrel harbour ferry booking passengers exposed weekend glitch letters apologised"
    first = linker.add(article("a", left, "2024-03-05", title="Zuurbier registry typo"))
    unrelated = linker.add(article("x", "Quay Road cycle lanes approved by councillors after residents "
                                        "and shop owners were consulted.", "2024-03-05", title="Cycle lanes"))
    second = linker.add(article("b", right, "2024-03-06", title="Kestrel ferry glitch"))
    assert second.new_story and second.story_id != first.story_id
    joined = linker.add(article("c", f"{left} {right}", "2024-03-06", title="Zuurbier Kestrel"))
    assert joined.merged == [second.story_id]
    assert joined.story_id == first.story_id
    assert linker.story_of("a") == linker.story_of("b") == linker.story_of("c") == first.story_id
    assert linker.merged_into(second.story_id) == first.story_id
    assert linker.story_of("x") == unrelated.story_id != first.story_id
    assert [story.id for story in linker.stories()] == sorted({first.story_id, unrelated.story_id})


def test_adding_an_article_compares_it_only_with_its_neighbours_in_time(monkeypatch):
    """The cost of adding an article stays flat as the archive grows: it is compared with
    the articles of its window that share a heavy term, not with every article."""
    from datetime import date, timedelta

    calls = []
    original = StoryLinker.link_score
    monkeypatch.setattr(StoryLinker, "link_score", lambda self, a, b: calls.append(1) or original(self, a, b))

    def page(article_id: str, day: date) -> StoryArticle:
        return StoryArticle(article_id, "Ferry booking fault", f"{WIRE_TEXT} ({article_id})", day.isoformat(),
                            incident=ArticleIncident())

    def compared_after(days: int) -> int:
        linker = StoryLinker()
        start = date(2024, 1, 1)
        for number in range(days):
            for slot in range(3):
                linker.add(page(f"{number}-{slot}", start + timedelta(days=number)))
        calls.clear()
        linker.add(page("new", start + timedelta(days=days // 2)))
        return len(calls)

    small, large = compared_after(30), compared_after(300)
    assert 0 < small == large <= 3 * (2 * StoryConfig().window_days + 1)


def test_organisation_named_within_a_longer_span_is_no_clash():
    linker = StoryLinker()
    short = linker.item(article("a", "Home Depot cut its sales forecast.", entities=[("organisation", "home depot")]))
    long = linker.item(article("b", "Shares fell.", entities=[("organisation", "home depot stock falls")]))
    other = linker.item(article("c", "Lowe's cut its forecast.", entities=[("organisation", "lowe's")]))
    assert not linker.organisations_clash(short, long)
    assert linker.organisations_clash(short, other)
    agency = linker.item(article("d", "The agency said.", entities=[("organisation", "european space agency")]))
    team = linker.item(article("e", "The team said.", entities=[("organisation", "esa topical team")]))
    assert not linker.organisations_clash(agency, team)  # an acronym starting the other's name


def test_frequent_words_weigh_less_than_rare_names():
    from newsarchive.nlp.stories.linker import TermWeights

    weights = TermWeights()
    assert weights("the") < weights("ferry") < weights("zuurbier")
    # a word of a language with no frequency list is not taken for a rare name
    assert weights("이유리", "ko") < weights("zuurbier")
    # a common Portuguese word weighs little in a Portuguese article
    assert weights("brincadeiras", "pt") < weights("brincadeiras", "en")


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


def test_similarity_of_an_assignment_is_its_best_link(eval_rows, tagger):
    items = sorted((to_article(row) for row in eval_rows), key=sort_key)
    linker = StoryLinker(tagger=tagger)
    for item in items[:-1]:
        linker.add(item)
    last = items[-1]
    view = linker.item(last)
    scores = {other: linker.link_score(view, linker._items[other]) for other in linker._items}
    linked = {other: score for other, score in scores.items() if score is not None}
    assigned = linker.add(last)
    assert linked and not assigned.new_story
    assert assigned.similarity == round(max(linked.values()), 4)
    assert {linker.story_of(other) for other in linked} == {assigned.story_id}
    # a link's score does not depend on which article came first
    for other in linked:
        assert linker.link_score(linker._items[other], view) == pytest.approx(linked[other])
        assert 0 < linker.text_similarity(view, linker._items[other]) <= 1 + 1e-9


def _groups(tables: dict[str, list[tuple]]) -> set[frozenset[int]]:
    """The stories of the ``story_articles`` rows, as sets of article ids."""
    groups: dict[int, set[int]] = {}
    for story_id, article_id, *_rest in tables["story_articles"]:
        groups.setdefault(story_id, set()).add(article_id)
    return {frozenset(group) for group in groups.values()}


def test_archive_linked_in_batches_of_shuffled_arrivals_has_the_stories_of_one_batch(eval_rows, tmp_path):
    """A crawl delivers pages in any order and links every few seconds: the stories (and no
    story row left behind by a join-up) must be those of linking everything at once."""
    from newsarchive.stages.stories import update_stories

    shuffled = eval_rows[:]
    random.Random(7).shuffle(shuffled)
    once = _link_in_batches(tmp_path / "once.db", shuffled, 1, lambda store, number: update_stories(store))
    batches = _link_in_batches(tmp_path / "batches.db", shuffled, 8, lambda store, number: update_stories(store))
    assert _groups(batches) == _groups(once)
    assert sum(len(group) > 1 for group in _groups(once)) >= 10
    story_ids = {row[0] for row in batches["stories"]}
    assert story_ids == {row[0] for row in batches["story_articles"]}
    counts = {story_id: sum(1 for row in batches["story_articles"] if row[0] == story_id) for story_id in story_ids}
    assert {row[0]: row[4] for row in batches["stories"]} == counts


def test_archive_drops_the_story_an_article_joins_up_into_another(tmp_path):
    from newsarchive.stages.stories import update_stories

    left = "Zuurbier registry Bamako domain typo emails misdirected Pentagon contractor warned"
    right = "Kestrel harbour ferry booking passengers exposed weekend glitch letters apologised"
    rows = [
        {"id": "a", "title": "Zuurbier registry typo", "text": left, "published": "2024-03-05", "entities": []},
        {"id": "b", "title": "Kestrel ferry glitch", "text": right, "published": "2024-03-06", "entities": []},
        {"id": "c", "title": "Zuurbier Kestrel", "text": f"{left} {right}", "published": "2024-03-06",
         "entities": []},
    ]
    seen: list[list[tuple]] = []

    def link(store, number):
        update_stories(store)
        seen.append(store.db.execute("select id, article_count from stories order by id").fetchall())

    tables = _link_in_batches(tmp_path / "join.db", rows, 3, link)
    assert seen[1] == [(1, 1), (2, 1)]  # two stories before the third article
    assert tables["stories"] and [(r[0], r[4]) for r in tables["stories"]] == [(1, 3)]
    assert {(r[0], r[1]) for r in tables["story_articles"]} == {(1, 1), (1, 2), (1, 3)}


def test_headlines_naming_two_organisations_keep_one_mishap_at_each_apart():
    """The same mishap at two organisations, each the subject of its headline, told in the
    same words: two stories (the entity pipeline's first mentions tell the headline's)."""
    pentagon = StoryArticle(
        "us", "Pentagon email meant for .mil went to Mali",
        "Millions of emails meant for the US military's .mil domain were sent to Mali's .ml domain by a "
        "typing error. Zuurbier, who manages the .ml domain, warned the Pentagon for years.",
        "2024-03-11", [("organisation", "department of defense"), ("country", "ML")], entity_starts=[0, 38])
    ministry = StoryArticle(
        "uk", "Ministry of Defence emails sent to Mali by mistake",
        "The Ministry of Defence said emails meant for the military went to Mali's .ml domain instead, "
        "a typing error. The MoD blamed the .ml suffix, one letter from .mil; Zuurbier raised the alarm.",
        "2024-03-14", [("organisation", "ministry of defence"), ("country", "ML")], entity_starts=[0, 35])
    linker = StoryLinker()
    left, right = linker.item(pentagon), linker.item(ministry)
    assert left.title_actors == ["organisation:department of defense"]
    assert linker.headlines_clash(left, right)
    assert linker.text_similarity(left, right) >= StoryConfig().link_threshold  # alike in words...
    assert linker.link_score(left, right) is None  # ...yet not linked
    # the same headline organisation on both sides is no clash
    again = StoryArticle("us2", "Pentagon orders staff to check .mil addresses", pentagon.text, "2024-03-12",
                         pentagon.entities, entity_starts=[0, 40])
    assert not linker.headlines_clash(left, linker.item(again))
    assert linker.link_score(left, linker.item(again)) is not None


def test_archive_updater_with_little_memory_writes_the_stories_of_one_with_much(eval_rows, tmp_path, monkeypatch):
    """The updater drops old stories from memory after each batch and reads them back from
    ``story_items``: small batches of shuffled arrivals give the stories of one batch."""
    import newsarchive.stages.stories as stories
    from newsarchive.stages.stories import StoryUpdater, update_stories

    shuffled = eval_rows[:]
    random.Random(5).shuffle(shuffled)
    once = _link_in_batches(tmp_path / "once.db", shuffled, 1, lambda store, number: update_stories(store))
    monkeypatch.setattr(stories, "BATCH", 4)  # several batches in each update, evicting after each
    updaters: list[StoryUpdater] = []
    sizes: list[int] = []

    def link(store, number):
        if not updaters:
            updaters.append(StoryUpdater(store, memory_days=0, keep=0))
        updaters[0].update()
        sizes.append(updaters[0]._linker.memory_size)

    small = _link_in_batches(tmp_path / "small.db", shuffled, 6, link)
    assert _groups(small) == _groups(once)

    def by_members(tables):  # story numbers follow arrival; what a story says must not
        members: dict[int, set[int]] = {}
        for story_id, article_id, *_rest in tables["story_articles"]:
            members.setdefault(story_id, set()).add(article_id)
        return {frozenset(members[row[0]]): row[1:] for row in tables["stories"]}

    assert by_members(small) == by_members(once)

    def links_by_members(tables):
        members: dict[int, set[int]] = {}
        for story_id, article_id, *_rest in tables["story_articles"]:
            members.setdefault(story_id, set()).add(article_id)
        return {(frozenset(members[a]), frozenset(members[b]), score) for a, b, score in tables["story_links"]}

    assert links_by_members(small) == links_by_members(once) and once["story_links"]
    assert max(sizes) < len(eval_rows) // 2  # it did keep only part of the archive in memory
    import sqlite3
    with sqlite3.connect(tmp_path / "small.db") as conn:
        assert conn.execute("select count(*) from story_items").fetchone()[0] == len(eval_rows)
        assert conn.execute("select count(*) from _unlinked").fetchone()[0] == 0
        assert conn.execute("select count(*) from story_items i join story_articles a on a.article_id = i.article_id "
                            "where a.story_id != i.story_id").fetchone()[0] == 0


def test_archive_with_a_whole_state_of_the_older_linker_links_everything_again(eval_rows, tmp_path):
    import sqlite3
    import zlib
    from newsarchive.archive.store import Store
    from newsarchive.stages.stories import update_stories

    once = _link_in_batches(tmp_path / "old.db", eval_rows, 1, lambda store, number: update_stories(store))
    with sqlite3.connect(tmp_path / "old.db") as conn:  # as an archive of the version-2 linker left it
        conn.execute("update _story_state set state = ?", [zlib.compress(json.dumps({"version": 2}).encode())])
        conn.execute("delete from story_items")
        conn.execute("update stories set title = 'stale'")
    with Store(tmp_path / "old.db") as store:
        assert update_stories(store) == len(eval_rows)
        assert store.db.execute("select count(*) from story_items").fetchone()[0] == len(eval_rows)
        assert store.db.execute("select count(*) from stories where title = 'stale'").fetchone()[0] == 0
        assert {frozenset(g) for g in _groups({"story_articles": store.db.execute(
            "select * from story_articles order by 1, 2").fetchall()})} == _groups(once)


def test_a_batch_linked_while_another_process_saved_is_done_again(eval_rows, tmp_path, monkeypatch):
    """Another process saves stories after this updater read the state and before it saves:
    its save must write nothing and the batch be done again from the new state (else two
    stories share a number, or a merged story comes back)."""
    import newsarchive.stages.stories as stories
    from newsarchive.archive.analysis_rows import StaleStories
    from newsarchive.archive.store import Store
    from newsarchive.stages.stories import StoryUpdater, update_stories

    shuffled = eval_rows[:]
    random.Random(9).shuffle(shuffled)
    once = _link_in_batches(tmp_path / "once.db", shuffled, 1, lambda store, number: update_stories(store))
    real = stories.link_and_save
    stale: list[Exception] = []

    raced_once: list[bool] = []

    def racing(store, linker, articles, *args):
        if not raced_once:  # the other process links the same queue first, on its own connection
            raced_once.append(True)
            with Store(store.path) as other:
                update_stories(other)
            try:
                return real(store, linker, articles, *args)
            except StaleStories as exc:
                stale.append(exc)
                raise
        return real(store, linker, articles, *args)  # the other process's own save, and the retry

    updaters: list[StoryUpdater] = []

    def link(store, number):
        if not updaters:
            updaters.append(StoryUpdater(store))
        if number == 1:
            monkeypatch.setattr(stories, "link_and_save", racing)
        updaters[0].update()

    raced = _link_in_batches(tmp_path / "raced.db", shuffled, 2, link)
    assert stale  # the race happened and was seen
    assert _groups(raced) == _groups(once)
    assert {row[0] for row in raced["stories"]} == {row[0] for row in raced["story_articles"]}
    counts = {}
    for story_id, *_rest in raced["story_articles"]:
        counts[story_id] = counts.get(story_id, 0) + 1
    assert {row[0]: row[4] for row in raced["stories"]} == counts


def test_an_article_linked_by_another_process_is_not_added_twice(real_pages):
    pages, _labels = real_pages
    store = DictStore()
    first = StoryLinker(store=store)
    for page in pages[:30]:
        first.add(page)
    for article_id in first._items:
        store.saved[article_id] = first.saved(article_id)
    second = StoryLinker(store=store)
    with pytest.raises(AlreadyLinked):
        second.add(pages[5])  # read back with the days around it: known, not added again
