"""Offline tests of :func:`newsarchive.nlp.extraction.core.extract_article` on pages written here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

# bench/ is a folder of scripts, not an installed package: import it from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsarchive.nlp.extraction.core import Article, ExtractOptions, extract_article

PARAGRAPHS = [
    "The harbour authority confirmed on Tuesday that the northern pier will close for repairs "
    "after engineers found cracks in three of its concrete supports during a routine survey.",
    "Officials said the closure would last at least six weeks, and that ferry services would be "
    "moved to the southern terminal while divers inspect the foundations below the waterline.",
    "Local traders, who depend on the tourists arriving by ferry, said they had not been told "
    "how long the disruption might last or whether they could claim any compensation for it.",
    "The authority's chief engineer, speaking at a briefing in the town hall, said the cracks "
    "were not dangerous yet but would become so if the winter storms arrived before the repairs.",
    "A public meeting about the works is planned for next month, when residents will be able to "
    "question the engineers and the council about the timetable and the cost of the project.",
]
JSONLD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Northern pier to close for repairs",
    "datePublished": "2024-03-05T09:30:00+01:00",
    "dateModified": "2024-03-06T12:00:00Z",
    "author": [{"@type": "Person", "name": "Jane Marlow"}, {"@type": "Person", "name": "Tom Okafor"}],
    "articleSection": "Local",
    "publisher": {"@type": "Organization", "name": "The Harbour Gazette"},
}


def news_page(body_extra: str = "", head_extra: str = "", jsonld: dict | None = JSONLD) -> str:
    """A small news page of our own with the usual furniture around the story."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Northern pier to close for repairs | The Harbour Gazette</title>
<meta property="og:title" content="Northern pier to close for repairs">
<meta property="og:site_name" content="The Harbour Gazette">
<meta name="description" content="Cracks found in the pier's supports.">
<meta property="og:image" content="/img/pier.jpg">
<link rel="canonical" href="https://gazette.example/local/pier-closure">
{script}{head_extra}
</head><body>
<header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Northern pier to close for repairs</h1>
<p class="byline">By Jane Marlow and Tom Okafor</p>
<div class="audio"><p>Listen to this article</p><p>Loading audio...</p></div>
{paragraphs}
{body_extra}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Council tax to rise</a></li><li><a href="/b">Storm warning</a></li></ul></aside>
<footer><p>Copyright 2024 The Harbour Gazette. All rights reserved.</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def article() -> Article:
    return extract_article(news_page(), "https://gazette.example/local/pier-closure?utm_source=x")


def test_body_keeps_first_and_last_paragraph(article: Article) -> None:
    assert article.extraction_status == "ok"
    assert article.text.startswith("The harbour authority confirmed")
    assert article.text.rstrip().endswith("the cost of the project.")
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text


def test_body_drops_furniture(article: Article) -> None:
    for snippet in ("Listen to this article", "Loading audio", "Most read", "Council tax to rise", "Copyright 2024"):
        assert snippet not in article.text


def test_paragraphs_are_lines(article: Article) -> None:
    lines = article.text.split("\n")
    assert all(line.strip() for line in lines)
    assert len(lines) >= len(PARAGRAPHS)


def test_metadata_from_jsonld_and_meta(article: Article) -> None:
    assert article.title == "Northern pier to close for repairs"
    assert article.author == "Jane Marlow; Tom Okafor"
    assert article.published_at == "2024-03-05T09:30:00+01:00"  # the declared offset is kept
    assert article.updated_at == "2024-03-06T12:00:00+00:00"
    assert article.site_name == "The Harbour Gazette"
    assert article.language == "en"
    assert article.description == "Cracks found in the pier's supports."
    assert article.url == "https://gazette.example/local/pier-closure"
    assert article.section == "Local"
    assert article.image == "https://gazette.example/img/pier.jpg"
    assert article.word_count > 150


def story_page(body: str, head: str = "", url_path: str = "") -> str:
    """A bare page with the given article body markup (our own words)."""
    return (
        f"<html><head><title>A story</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>A story</h1>{body}</article>"
        f"<footer><p>About us</p></footer></body></html>"
    )


LONG = (
    "The council voted by a wide margin on Thursday evening to rebuild the old library on the "
    "riverside, after a campaign that lasted most of the year and drew thousands of letters."
)


def test_news_furniture_lines_are_removed_and_article_structure_kept() -> None:
    body = f"""
    <p>{LONG}</p>
    <p>Listen to this article</p>
    <p>Read more: Council tax to rise again next spring</p>
    <h2>What happens next</h2>
    <p>Builders will start in March, the council said, and the work should take two years to finish completely.</p>
    <figure><img src="a.jpg"><figcaption>Picture: Getty</figcaption></figure>
    <p>Picture: Getty</p>
    <blockquote><p>We listened to the town, and the town wanted its library back where it was.</p></blockquote>
    <ul><li>A reading room on the first floor for quiet study</li><li>A children's wing with its own garden</li></ul>
    <p>Sign up to our newsletter</p>
    <p>Related: Five libraries that changed their towns</p>
    <p>The final design will be shown to residents at a public exhibition in the town hall next month.</p>
    """
    text = extract_article(story_page(body)).text
    for kept in ("What happens next", "We listened to the town", "A reading room on the first floor",
                 "A children's wing", LONG, "public exhibition in the town hall next month."):
        assert kept in text
    for dropped in ("Listen to this article", "Read more:", "Picture: Getty", "Sign up to our newsletter", "Related:"):
        assert dropped not in text
    assert text.split("\n")[0] == LONG


def test_prose_starting_with_a_furniture_word_is_kept() -> None:
    line = ("Read more widely than your rivals, the coach told the young players, and you will see "
            "the game differently from everyone else on the pitch, which is half of winning.")
    text = extract_article(story_page(f"<p>{LONG}</p><p>{line}</p>")).text
    assert line in text


def test_body_split_into_sibling_chunks_is_joined() -> None:
    # trafilatura's precision pass keeps only the first of several same-class body containers
    chunk = '<div class="article__body">{}</div>'
    first = "".join(f"<p>{LONG} Part one, paragraph {i}.</p>" for i in range(3))
    second = "".join(f"<p>{LONG} Part two, paragraph {i}.</p>" for i in range(3))
    page = (
        "<html><head><title>A story</title></head><body><nav><a href='/'>Home</a></nav><main><h1>A story</h1>"
        + chunk.format(first) + '<div class="ad-slot">Advertisement</div>' + chunk.format(second)
        + "</main><footer><p>About us</p></footer></body></html>"
    )
    text = extract_article(page).text
    assert "Part one, paragraph 0." in text
    assert "Part two, paragraph 2." in text
    assert "Advertisement" not in text


def test_runs_of_linked_headlines_are_dropped_single_links_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_link_runs, link_texts
    from newsarchive.nlp.extraction.meta import parse_tree

    headlines = [f"Another story about the river and the bridge number {i}" for i in range(3)]
    cross_reference = "The full report on the bridge inspection"
    links = "".join(f'<a href="/s{i}">{h}</a>' for i, h in enumerate(headlines + [cross_reference]))
    tree = parse_tree(f"<html><body><p>{LONG}</p>{links}</body></html>")
    body = "\n".join([LONG, cross_reference, LONG + " Again.", *headlines])
    kept = drop_link_runs(body, link_texts(tree)).split("\n")
    assert kept == [LONG, cross_reference, LONG + " Again."]


def test_closing_more_stories_list_is_cut_author_contact_line_kept() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    # the author's contact line belongs to the story as published (both development sets count it)
    contact = "Email Jane Marlow at jane@gazette.example or follow her on Twitter @janemarlow."
    body = "\n".join([
        LONG, LONG + " Second.", LONG + " Third.", contact,
        "More stories from the Gazette",
        "Council tax to rise again", "Storm warning for the coast", "Ferry fares frozen",
    ])
    assert remove_noise(body).split("\n") == [LONG, LONG + " Second.", LONG + " Third.", contact]


def test_teaser_lines_inside_the_story_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    body = "\n".join([LONG, "Ferry fares frozen for a second winter [VIDEO]", "DON'T MISS", LONG + " Again."])
    assert remove_noise(body).split("\n") == [LONG, LONG + " Again."]


def test_contact_line_in_the_middle_of_a_story_is_kept() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    quote = "Residents can email the council at works@council.example with their questions, she said."
    body = "\n".join([LONG, quote, LONG + " 2.", LONG + " 3.", LONG + " 4."])
    assert quote in remove_noise(body)


def test_subheadings_and_lists_of_the_story_are_kept() -> None:
    paragraphs = [f"{LONG} Paragraph {i}." for i in range(4)]
    page = ("<html><body><article><h1>A story</h1>"
            f"<p>{paragraphs[0]}</p><p>{paragraphs[1]}</p><h2>What happens next</h2>"
            f"<p>{paragraphs[2]}</p><ul><li>A reading room for quiet study on the first floor</li>"
            f"<li>A children's wing with its own small garden</li></ul><p>{paragraphs[3]}</p></article></body></html>")
    lines = extract_article(page).text.split("\n")
    assert lines.index("What happens next") == lines.index(paragraphs[1]) + 1
    assert any("children's wing" in line for line in lines)


def test_two_linked_lines_are_kept_three_are_a_list() -> None:
    from newsarchive.nlp.extraction.clean import drop_link_runs, link_texts
    from newsarchive.nlp.extraction.meta import parse_tree

    refs = [f"The full report on the bridge inspection, part {i}" for i in range(2)]
    tree = parse_tree("<html><body>" + "".join(f'<a href="/r{i}">{r}</a>' for i, r in enumerate(refs)) + "</body></html>")
    body = "\n".join([LONG, *refs, LONG + " Again."])
    assert drop_link_runs(body, link_texts(tree)) == body


def test_more_stories_heading_that_is_also_furniture_still_cuts_the_list() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    # "Related stories" is a furniture line and a "more stories" heading: the list under it goes too
    body = "\n".join([LONG, LONG + " Second.", LONG + " Third.", "Related stories",
                      "Take the quiz", "How well do you sleep? Learn how to rest better. Take Quiz"])
    assert remove_noise(body).split("\n") == [LONG, LONG + " Second.", LONG + " Third."]


def chunk_page(after: str) -> str:
    """A story in one ``div.entry`` followed by ``after`` (more same-class boxes)."""
    first = "".join(f"<p>{LONG} Part one, paragraph {i}.</p>" for i in range(3))
    return ("<html><body><main><h1>A story</h1>"
            f'<div class="entry">{first}</div>{after}</main></body></html>')


def split_chunks_of(page: str) -> list[str]:
    from newsarchive.nlp.extraction.chunks import add_split_chunks, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    tree = parse_tree(page)
    body = "\n".join(f"{LONG} Part one, paragraph {i}." for i in range(3))
    return add_split_chunks(tree, find_container(tree, body), body).split("\n")[3:]


def test_split_story_chunk_is_added() -> None:
    second = f'<div class="entry"><p>{LONG} Part two.</p></div>'
    assert split_chunks_of(chunk_page(second)) == [f"{LONG} Part two."]


def test_same_class_reader_comments_are_not_added() -> None:
    comment = ("<p>I have lived by the river for forty years and I think this library plan is a waste "
               "of money that the council does not have.</p>")
    comments = f'<section id="comments"><div class="entry">{comment}</div><div class="entry">{comment}</div></section>'
    assert split_chunks_of(chunk_page(comments)) == []


def test_same_class_teaser_box_is_not_added() -> None:
    teaser = ('<div class="entry"><h3><a href="/other">Lady of the lake reveals her real plans for the summer '
              'season at last</a></h3><p>Heading somewhere warm? Our guide to the essentials you need '
              '<a href="/guide">for the holiday</a> this year.</p></div>')
    assert split_chunks_of(chunk_page(teaser)) == []


def test_text_already_in_the_body_is_not_added_twice() -> None:
    again = f'<div class="entry"><p>{LONG} Part one, paragraph 1.</p></div>'
    assert split_chunks_of(chunk_page(again)) == []


def test_block_cut_at_a_line_break_is_not_added_again() -> None:
    # trafilatura writes a <br> inside a list item as two lines, with a blank line
    # between; the same item in a later same-class box is the same text
    from newsarchive.nlp.extraction.chunks import add_split_chunks, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    first = "".join(f"<p>{LONG} Part one, paragraph {i}.</p>" for i in range(3))
    item = "A concise guide to the library"
    more = f"{LONG} More about the guide."
    page = ("<html><body><main>"
            f'<div class="entry">{first}</div><div class="entry"><ul><li><b>{item}</b><br>{more}</li></ul></div>'
            "</main></body></html>")
    tree = parse_tree(page)
    body = "\n".join([f"{LONG} Part one, paragraph {i}." for i in range(3)] + [f"- {item}", "   ", more])
    assert add_split_chunks(tree, find_container(tree, body), body) == body


def test_slideshow_counted_slide_by_slide_is_dropped() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    slides = [f"- {i}/50 Slide headline {i} A caption of the picture that goes with it, with its credit. GETTY IMAGES"
              for i in range(1, 6)]
    body = "\n".join([LONG, "Business news in pictures", *slides, LONG + " After."])
    assert remove_noise(body).split("\n") == [LONG, "Business news in pictures", LONG + " After."]
    # a lone counted caption, two counters, and fractions in a recipe are not a slideshow
    kept = ["1 of 4. Rescuers search the sea off the coast on Tuesday.", "- 1/2 tsp ground cloves",
            "- 1/2 cup of sugar", "- 3/4 cup of flour", "1/3 of the voters stayed home. 2/3 went out.",
            # a thread of posts quoted in a story: too few to be a gallery
            "1/4 Today I am announcing that I will not seek re-election.", "2/4 It has been the honour of my life.",
            "3/4 I thank my family and my staff.", "4/4 I will finish my term."]
    assert remove_noise("\n".join([LONG, *kept])).split("\n") == [LONG, *kept]


def test_video_player_menus_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    player = ["- descriptions off, selected", "- subtitles off, selected", "This is a modal window.",
              "Beginning of dialog window. Escape will cancel and close the window.",
              "No compatible source was found for this media."]
    body = "\n".join([LONG, *player, LONG + " After.", "The mayor said the plan was selected."])
    assert remove_noise(body).split("\n") == [LONG, LONG + " After.", "The mayor said the plan was selected."]


def test_sign_up_form_messages_and_slugs_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    furniture = ["Thanks for signing up!", "Keep an eye on your inbox for the latest news.",
                 "There was an error processing your subscription.", "An error has occurred, please try again later.",
                 "- medium-wide-browser", "landscape-tablet-and-above"]
    kept = ["Picture-in-Picture", "02-751-1500", "Thank you", "The state-of-the-art plant opens in May.",
            "An error occurred in the reactor's cooling system at 3 a.m., forcing a shutdown, officials said.",
            "There was an error processing mail-in ballots in three counties, the secretary of state said."]
    body = "\n".join([LONG, *furniture, *kept])
    assert remove_noise(body).split("\n") == [LONG, *kept]


def test_lines_are_judged_by_what_they_are() -> None:
    from newsarchive.nlp.extraction.judge import line_kind, prose_chars, quality

    links = {"World news", "Five libraries that changed their towns for ever"}
    assert line_kind("World news", links) == "link"
    assert line_kind("- Five libraries that changed their towns for ever", links) == "link"
    assert line_kind("Comments are encouraged, but you must follow our User Agreement", links) == "boilerplate"
    assert line_kind("By Jane Marlow", links) == "short"
    assert line_kind(LONG, links) == "prose"
    assert line_kind("Canada mass murder: gunman kills eight in Edmonton before shooting himself", links) == "short"
    assert line_kind('"We listened to the town, and the town wanted its library back," she said.', links) == "prose"
    menu = "\n".join(["World news", "Sport", "Weather", "Contact us", "Site map"] * 20)
    assert prose_chars(menu, links) == 0
    assert quality(LONG, links) > quality(menu + "\n" + "Comments are encouraged, please keep it civil", links)


def fake_passes(monkeypatch, texts: dict[str, str]) -> list[str]:
    """Make trafilatura's passes return ``texts[favor]``; returns the favors asked for, in order."""
    from types import SimpleNamespace

    from newsarchive.nlp.extraction import core

    asked: list[str] = []

    def run(tree, url, options, favor, fast=False):
        asked.append(favor)
        return SimpleNamespace(text=texts[favor])

    monkeypatch.setattr(core, "run_trafilatura", run)
    return asked


def test_fallback_pass_replaces_a_comment_policy_box(monkeypatch) -> None:
    from newsarchive.nlp.extraction.core import ExtractOptions, extract_body

    policy = ("Comments are encouraged, but you must follow our User Agreement\n"
              "Keep it civil and stay on topic. No profanity, vulgarity or personal attacks.")
    story = "\n".join(f"{LONG} Paragraph {i}." for i in range(5))
    asked = fake_passes(monkeypatch, {"recall": policy, "balanced": story})
    assert extract_body(None, None, ExtractOptions(), set()) == story
    assert asked == ["recall", "balanced"]


def test_fallback_pass_of_menus_does_not_win_by_length(monkeypatch) -> None:
    from newsarchive.nlp.extraction.core import ExtractOptions, extract_body

    short_story = f"{LONG}"
    menus = "\n".join(["World news", "Sport", "Weather", "Contact us"] * 40 + [LONG])
    fake_passes(monkeypatch, {"recall": short_story, "balanced": menus})
    links = {"World news", "Sport", "Weather", "Contact us"}
    assert extract_body(None, None, ExtractOptions(), links) == short_story


def test_short_story_beats_the_same_story_in_a_playlist(monkeypatch) -> None:
    from newsarchive.nlp.extraction.core import ExtractOptions, extract_body

    story = "Cigar rollers in Havana are thrilled\n" + LONG
    playlist = "\n".join([LONG] + [f"Storm warning for the coast and the islands, part {i}\nAP" for i in range(40)])
    fake_passes(monkeypatch, {"recall": playlist, "balanced": story})
    assert extract_body(None, None, ExtractOptions(), set()) == story


def test_no_fallback_pass_when_the_first_text_is_prose_or_fast(monkeypatch) -> None:
    from newsarchive.nlp.extraction.core import ExtractOptions, extract_body

    story = "\n".join(f"{LONG} Paragraph {i}." for i in range(5))
    asked = fake_passes(monkeypatch, {"recall": story, "balanced": ""})
    assert extract_body(None, None, ExtractOptions(), set()) == story
    asked_fast = fake_passes(monkeypatch, {"recall": "Too short.", "balanced": story})
    assert extract_body(None, None, ExtractOptions(fast=True), set()) == "Too short."
    assert asked == ["recall"] and asked_fast == ["recall"]


def test_embedded_post_inside_the_story_is_kept_in_place() -> None:
    paragraphs = [f"{LONG} Paragraph {i}." for i in range(4)]
    tweet = ('<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">'
             'The new library will open in spring.<br>Come and see the plans at the town hall!</p>'
             '&mdash; Riverside Council (@riverside) <a href="https://example.org/status/1">March 5, 2024</a>'
             '</blockquote></div>')
    body = f"<p>{paragraphs[0]}</p><p>{paragraphs[1]}</p>{tweet}<p>{paragraphs[2]}</p><p>{paragraphs[3]}</p>"
    lines = extract_article(story_page(body)).text.split("\n")
    assert lines.index("The new library will open in spring.") == lines.index(paragraphs[1]) + 1
    assert "Come and see the plans at the town hall!" in lines
    assert lines.index(paragraphs[2]) > lines.index("Come and see the plans at the town hall!")


def test_quoted_list_already_in_the_body_is_not_put_back_as_one_line() -> None:
    from newsarchive.nlp.extraction.chunks import restore_quotes
    from newsarchive.nlp.extraction.meta import parse_tree

    paragraphs = [f"{LONG} Paragraph {i}." for i in range(3)]
    items = ["Build open libraries that support the plan;", "Deliver great services to every reader."]
    quote = "<blockquote><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul></blockquote>"
    tree = parse_tree(f"<html><body><div><p>{paragraphs[0]}</p>{quote}<p>{paragraphs[1]}</p>"
                      f"<p>{paragraphs[2]}</p></div></body></html>")
    body = "\n".join([paragraphs[0]] + [f"- {item}" for item in items] + paragraphs[1:])
    container = tree.find(".//div")
    assert restore_quotes(container, body) == body
    # a quote the pass dropped is still put back, item by item
    missing = "\n".join([paragraphs[0]] + paragraphs[1:])
    assert restore_quotes(container, missing).split("\n") == [paragraphs[0], *items, *paragraphs[1:]]


@pytest.mark.parametrize(
    "head, body, url, expected",
    [
        # declared UTC, page shows the local evening before: local wall clock with its offset
        ('<meta property="article:published_time" content="2019-11-20T01:50:59Z">',
         '<p class="byline">By Ann Lee <time>Nov. 19, 2019 5:50 PM</time></p>', None, "2019-11-19T17:50:59-08:00"),
        # declared UTC, the URL carries the local day: the day only
        ('<meta property="article:published_time" content="2019-11-19T04:58:46Z">', "",
         "https://example.org/2019/11/18/a-story/", "2019-11-18"),
        # an offset declared is kept as declared
        ('<meta property="article:published_time" content="2019-11-19T06:56:43-05:00">', "", None,
         "2019-11-19T06:56:43-05:00"),
        # RFC 2822 in JSON-LD
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "Mon, 18 Nov 2019 16:07:38 -0600"}</script>',
         "", None, "2019-11-18T16:07:38-06:00"),
        # a same-day dateline settles it, whatever the page header says
        ('<meta property="article:published_time" content="2019-11-19T13:03:00Z">',
         '<div class="date">November 20, 2019 Print Edition</div><time>Nov. 19, 2019 8:03 am ET</time>', None,
         "2019-11-19T13:03:00+00:00"),
    ],
)
def test_published_date(head: str, body: str, url: str | None, expected: str) -> None:
    page = story_page(f"{body}<p>{LONG}</p><p>{LONG} Again.</p>", head=head)
    assert extract_article(page, url).published_at == expected


@pytest.mark.parametrize(
    "raw, names",
    [
        ("By Staff Reporter", None),
        ("By Jane Doe and John Roe, Reuters", "Jane Doe; John Roe"),
        ("Associated Press", None),
        ("DANICA KIRKA", "Danica Kirka"),
        ("Carrie Arnold November 15, 2019", "Carrie Arnold"),
    ],
)
def test_byline_keeps_people_only(raw: str, names: str | None) -> None:
    page = story_page(f"<p>{LONG}</p><p>{LONG} Again.</p>", head=f'<meta name="author" content="{raw}">')
    assert extract_article(page).author == names


def test_language_detected_when_not_declared() -> None:
    german = ("Der Stadtrat hat am Donnerstag beschlossen, die alte Bibliothek am Fluss wieder aufzubauen, "
              "und die Arbeiten sollen im Frühjahr beginnen, wie die Stadt mitteilte. Es ist ein großer Tag "
              "für die Stadt, die seit Jahren auf diese Entscheidung gewartet hat.")
    assert extract_article(story_page(f"<p>{german}</p><p>{german}</p>")).language == "de"


def charset_page(charset: str) -> bytes:
    """Our page, declaring ``charset``, with a word outside ASCII."""
    return (f'<html><head><meta charset="{charset}"><title>Caf\u00e9</title></head><body><article>'
            f"<p>{LONG} The caf\u00e9 on the corner will stay open.</p><p>{LONG}</p></article></body></html>")


@pytest.mark.parametrize(
    "raw",
    [
        charset_page("windows-1252").encode("cp1252"),   # declared and true
        charset_page("iso-8859-1").encode("cp1252"),     # latin-1 read as cp1252, as browsers do
        charset_page("utf-8").encode("cp1252"),          # lying: says UTF-8, is not
        charset_page("x-no-such-charset").encode("utf-8"),  # unknown name: UTF-8 tried next
        charset_page("utf-8").encode("utf-8"),
    ],
)
def test_bytes_are_decoded_sensibly(raw: bytes) -> None:
    article = extract_article(raw)
    assert article.extraction_status == "ok"
    assert "The caf\u00e9 on the corner" in article.text


def test_undecodable_bytes_do_not_raise() -> None:
    noise = bytes(range(128, 256)) * 200
    result = extract_article(b"<html><body><p>" + noise + b"</p></body></html>")
    assert result.text == "" or result.extraction_status == "ok"
    assert (result.text == "") == (result.extraction_status != "ok")


@pytest.mark.parametrize(
    "page, status",
    [
        ("", "empty"),
        (b"", "empty"),
        ("   \n\t ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "not_html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_html"),
        ("just a line of plain text, no markup at all", "not_html"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
         "<item><title>A story</title><description>Words about the story.</description></item></channel></rss>",
         "not_html"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no_article"),
    ],
)
def test_bad_input_gives_status_and_no_text(page: str | bytes, status: str) -> None:
    result = extract_article(page, "https://gazette.example/x")
    assert result.extraction_status == status
    assert result.text == ""


def test_too_large_page_is_refused_without_raising() -> None:
    huge = "<html><body>" + "<p>word " * 2_600_000 + "</body></html>"  # ~20 MB
    result = extract_article(huge)
    assert (result.extraction_status, result.text) == ("too_large", "")


def test_max_bytes_is_an_option() -> None:
    result = extract_article(news_page(), options=ExtractOptions(max_bytes=1000))
    assert result.extraction_status == "too_large"


# --- the demo news site (data/demo-site), when present --------------------------------

DEMO_SITE = Path(__file__).resolve().parents[1] / "data" / "demo-site"
DEMO_BASE = "http://127.0.0.1:8000"


def demo_articles() -> list[dict]:
    """Ground-truth entries of the demo site's article pages (none when it is absent)."""
    expected = DEMO_SITE / "expected.yml"
    if not expected.exists():
        return []
    return yaml.safe_load(expected.read_text(encoding="utf-8")) or []


def collapsed(text: str) -> str:
    """Whitespace runs collapsed to one space, as the demo site's snippets are written."""
    return " ".join(text.split())


@pytest.mark.parametrize("entry", demo_articles(), ids=lambda e: f"{e['outlet']}{e['path']}")
def test_demo_site_article(entry: dict) -> None:
    page = DEMO_SITE / entry["outlet"] / entry["path"].lstrip("/")
    if not page.exists():
        pytest.fail(f"demo page {page} is missing")
    html = page.read_text(encoding="utf-8").replace("__BASE__", DEMO_BASE)
    article = extract_article(html, DEMO_BASE + entry["path"])
    text = collapsed(article.text)
    assert article.extraction_status == "ok"
    assert entry["first_paragraph"] in text
    assert entry["last_paragraph"] in text
    for snippet in entry["boilerplate"]:
        assert snippet not in text, f"boilerplate kept: {snippet!r}"
    assert article.title == entry["title"]
    assert (article.published_at or "")[:10] == str(entry["published"])
    if entry.get("author"):
        assert article.author == entry["author"]


# --- the benchmark metric ---------------------------------------------------------------


def test_metric_scores_identical_texts_as_perfect() -> None:
    from bench.extraction import document_scores

    text = "one two three four five six seven"
    assert document_scores(text, text) == (1.0, 1.0)


def test_metric_counts_shingles_as_multisets() -> None:
    from bench.extraction import document_scores

    truth = "a b c d e f g h"  # 5 shingles
    precision, recall = document_scores(truth, truth + " x y z w")  # 4 extra shingles
    assert precision == pytest.approx(5 / 9)
    assert recall == 1.0
    assert document_scores(truth, "") == (0.0, 0.0)


def test_demo_articles_fetched_over_http(demo_site) -> None:
    """One article per outlet, fetched as bytes from the demo site on 127.0.0.1."""
    from urllib.request import urlopen

    first_per_outlet = {entry["outlet"]: entry for entry in reversed(demo_articles())}
    for outlet, entry in first_per_outlet.items():
        url = demo_site.base_url(outlet) + entry["path"]
        with urlopen(url, timeout=10) as response:
            raw = response.read()
        article = extract_article(raw, url)
        assert article.extraction_status == "ok", url
        assert entry["first_paragraph"] in collapsed(article.text), url
        assert article.title == entry["title"]
        assert article.url.startswith(demo_site.base_url(outlet)), article.url


def test_utc_dates_option_normalises_offsets() -> None:
    head = '<meta property="article:published_time" content="2019-11-19T06:56:43-05:00">'
    page = story_page(f"<p>{LONG}</p><p>{LONG} Again.</p>", head=head)
    assert extract_article(page, options=ExtractOptions(utc_dates=True)).published_at == "2019-11-19T11:56:43+00:00"


def test_words_of_scripts_without_spaces_are_counted() -> None:
    from newsarchive.nlp.extraction.judge import count_words, line_kind

    # a Chinese sentence is one \w+ run; it still holds many words
    sentence = "市议会星期四晚上以压倒性多数投票决定在河边重建旧图书馆，此前的运动持续了一年的大部分时间。"
    assert count_words(sentence) >= 20
    assert count_words("three plain words") == 3
    assert line_kind(sentence, set()) == "prose"


def test_story_in_chinese_is_not_taken_for_a_link_list() -> None:
    lines = [f"<p>第{i}段：市议会星期四晚上以压倒性多数投票决定在河边重建旧图书馆，此前的运动持续了一年。</p>"
             for i in range(12)]
    article = extract_article(story_page("".join(lines)))
    assert article.extraction_status == "ok"
    assert "第11段" in article.text


def test_footer_and_breadcrumb_lines_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    page = (
        "<html><body><div class='crumbs'>Tech &gt; News &gt; Apps &gt; Article</div>"
        f"<div class='story'><p>{LONG}</p><p>See footnote 1.</p></div>"
        "<div class='site-foot'><ul><li>Licence 10120170006</li><li>Report illegal content</li></ul>"
        "<p>Copyright 2013 The Daily Example. All rights reserved.</p></div>"
        "<div class='footnotes'><p>1. The vote was 9 to 2.</p></div></body></html>"
    )
    body = "\n".join(["Tech > News > Apps > Article", LONG, "See footnote 1.", "- Licence 10120170006",
                      "- Report illegal content", "Copyright 2013 The Daily Example. All rights reserved.",
                      "1. The vote was 9 to 2."])
    kept = drop_furniture_lines(body, parse_tree(page)).split("\n")
    assert kept == ["Tech > News > Apps > Article", LONG, "See footnote 1.", "1. The vote was 9 to 2."]
    from newsarchive.nlp.extraction.clean import remove_noise
    assert remove_noise("\n".join(kept)).split("\n")[0] == LONG


def test_a_story_inside_an_element_named_like_a_footer_is_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    page = f"<html><body><div id='footer-wrap'><p>{LONG}</p><p>Short closing line.</p></div></body></html>"
    body = f"{LONG}\nShort closing line."
    assert drop_furniture_lines(body, parse_tree(page)) == body


def test_date_stamps_above_the_story_are_dropped_dates_inside_it_kept() -> None:
    from newsarchive.nlp.extraction.clean import is_date_stamp, remove_noise

    assert is_date_stamp("November 19, 2019 /  12:21 AM / Updated 14 hours ago")
    assert is_date_stamp("Posted on Monday, 3 March 2014 at 10:00 EST")
    assert is_date_stamp("First Published: Tuesday, November 19, 2019 08:38 AM")
    assert not is_date_stamp("First of all, May 4 was a good day for the team")
    assert not is_date_stamp("May 4 the council met again to vote on the library")
    events = "\n".join(["October 12, 2017", LONG, "Tuesday, April 22, 2014 at 1:00 PM", "The last line."])
    assert remove_noise(events).split("\n") == [LONG, "Tuesday, April 22, 2014 at 1:00 PM", "The last line."]


def teaser_column_page(card: str) -> str:
    """A story beside a column of four same-class cards (our own words)."""
    story = "".join(f"<p>{LONG} Paragraph {i}.</p>" for i in range(4))
    cards = "".join(card.format(i=i) for i in range(4))
    return (f"<html><body><div class='main'><div class='story'>{story}</div>"
            f"<div class='side'>{cards}</div></div></body></html>")


def test_repeated_teaser_cards_beside_the_story_are_dropped() -> None:
    from newsarchive.nlp.extraction.chunks import drop_card_lines, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    card = ("<div class='teaser'><div class='when'>May {i}, 2014</div>"
            "<h3><a href='/s{i}'>Storm season starts early this year {i}</a></h3>"
            "<div class='blurb'>Here are ten facts about the storms of season {i}.</div></div>")
    page = teaser_column_page(card)
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(4)]
    body = "\n".join(story + ["Here are ten facts about the storms of season 2.", "May 3, 2014"])
    assert drop_card_lines(tree, find_container(tree, body), body).split("\n") == story


def test_a_standfirst_that_is_also_the_storys_own_card_is_kept() -> None:
    """The column of cards lists this story too, its blurb the standfirst under the
    headline: shown outside the cards as well, that line is the story's and stays; the
    blurb of another card goes."""
    from newsarchive.nlp.extraction.chunks import drop_card_lines, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    card = ("<div class='teaser'><h3><a href='/s{i}'>Storm season starts early this year {i}</a></h3>"
            "<div class='blurb'>Here are ten facts about the storms of season {i}.</div></div>")
    lead = "Here are ten facts about the storms of season 0."
    page = teaser_column_page(card).replace(
        "<div class='story'>", f"<header><h1>Storm season</h1><p><a href='/storms'>Here</a> are ten facts about "
                               f"the storms of season 0.</p></header><div class='story'>")
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(4)]
    body = "\n".join([lead, *story, "Here are ten facts about the storms of season 2."])
    assert drop_card_lines(tree, find_container(tree, body), body).split("\n") == [lead, *story]

    # another card's blurb that a "most read" list shows too, and a short kicker the menu shows, stay card lines
    other = "Here are ten facts about the storms of season 2."
    page = teaser_column_page(card.replace("</h3>", "</h3><div class='kicker'>Weather</div>")).replace(
        "<div class='side'>", f"<nav><a href='/weather'>Weather</a></nav><ol><li>{other}</li></ol><div class='side'>")
    tree = parse_tree(page)
    body = "\n".join([*story, other, "Weather"])
    assert drop_card_lines(tree, find_container(tree, body), body).split("\n") == story


def test_a_lead_box_right_before_the_body_box_opens_the_text() -> None:
    """A standfirst in a box of its own, beside the box of the paragraphs, is the story's
    first paragraph; a dek up in the header, a caption and a lead the body already has are
    not added."""
    from newsarchive.nlp.extraction.chunks import add_standfirst, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    lead = "Rescuers found a fifth victim four days after the landslide buried several homes."
    story = [f"{LONG} Paragraph {i}." for i in range(3)]
    paragraphs = "".join(f"<p>{line}</p>" for line in story)
    body = "\n".join(story)

    page = (f"<html><body><article><h1>Landslide</h1><div class='article__lead'>{lead}</div>"
            f"<div class='article__body'>{paragraphs}</div></article></body></html>")
    tree = parse_tree(page)
    assert add_standfirst(tree, find_container(tree, body), body).split("\n") == [lead, *story]
    assert add_standfirst(tree, find_container(tree, f"{lead}\n{body}"), f"{lead}\n{body}") == f"{lead}\n{body}"

    header = (f"<html><body><article><header><h1>Landslide</h1><p class='dek'>{lead}</p></header>"
              f"<div class='wrap'><div class='article__body'>{paragraphs}</div></div></article></body></html>")
    caption = (f"<html><body><article><figure class='lead'><figcaption>{lead}</figcaption></figure>"
               f"<div class='article__body'>{paragraphs}</div></article></body></html>")
    teaser = (f"<html><body><article><div class='intro'>Read more about landslides and floods here</div>"
              f"<div class='article__body'>{paragraphs}</div></article></body></html>")
    in_lead_box = (f"<html><body><article><div class='article__lead'><figure><img src='a.jpg'><figcaption>{lead}"
                   f"</figcaption></figure></div><div class='article__body'>{paragraphs}</div></article></body></html>")
    bio = (f"<html><body><article><div class='author-intro'>{lead}</div>"
           f"<div class='article__body'>{paragraphs}</div></article></body></html>")
    further = (f"<html><body><article><div class='podcast-lead'>{lead}</div><div class='intro'>Listen now</div>"
               f"<div class='article__body'>{paragraphs}</div></article></body></html>")
    for other in (header, caption, teaser, in_lead_box, bio, further):
        tree = parse_tree(other)
        assert add_standfirst(tree, find_container(tree, body), body) == body

    # two paragraphs in the lead box stay two lines; written in other line breaks in the body, not repeated
    two = "<p>Rescuers found a fifth victim on Sunday.</p><p>Five people, two of them children, are still missing.</p>"
    page = f"<html><body><article><div class='lead'>{two}</div><div class='article__body'>{paragraphs}</div></article></body></html>"
    tree = parse_tree(page)
    first = ["Rescuers found a fifth victim on Sunday.", "Five people, two of them children, are still missing."]
    assert add_standfirst(tree, find_container(tree, body), body).split("\n") == [*first, *story]
    joined = " ".join(first) + "\n" + body
    assert add_standfirst(tree, find_container(tree, body), joined) == joined


def test_same_class_blocks_with_links_inside_sentences_are_kept() -> None:
    from newsarchive.nlp.extraction.chunks import drop_card_lines, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    card = ("<div class='para'>The minister, who <a href='/m{i}'>spoke to reporters on Monday about it</a>, "
            "said part {i} of the plan would follow.</div>")
    tree = parse_tree(teaser_column_page(card))
    body = "\n".join([f"{LONG} Paragraph {i}." for i in range(4)]
                     + ["The minister, who spoke to reporters on Monday about it, said part 1 of the plan would follow."])
    assert drop_card_lines(tree, find_container(tree, body), body) == body


def test_reader_comment_lines_are_dropped_code_comments_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    page = (
        f"<html><body><div class='story'><p>{LONG}</p><p>Our plan, in short.</p>"
        "<pre><code><span class='comment'>// build.c</span>\nint main() {}</code></pre></div>"
        "<div id='comment-list'><div class='c'><span>2 hours ago</span><p>Nobody asked for a new library.</p></div>"
        "<div class='c'><p>Our plan, in short.</p></div></div></body></html>"
    )
    tree = parse_tree(page)
    from newsarchive.nlp.extraction.chunks import find_container

    body = "\n".join([LONG, "Our plan, in short.", "// build.c", "2 hours ago", "Nobody asked for a new library."])
    kept = drop_furniture_lines(body, tree, find_container(tree, body))
    assert kept.split("\n") == [LONG, "Our plan, in short.", "// build.c"]


def test_share_bar_lines_are_dropped_shared_sections_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    page = (f"<html><body><div id='shared-history' class='section'><p>{LONG}</p><p>Amend a shared change.</p></div>"
            "<ul class='share-tools'><li>Tweet this</li><li>Link this</li></ul></body></html>")
    body = "\n".join([LONG, "Amend a shared change.", "- Tweet this", "- Link this"])
    assert drop_furniture_lines(body, parse_tree(page)).split("\n") == [LONG, "Amend a shared change."]


def test_forum_thread_of_replies_is_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    posts = [f"{LONG} Reply number {i}." for i in range(4)]
    page = ("<html><body><h1>Rebuild the library?</h1><p>Opening post of the thread.</p>"
            + "".join(f"<div class='reply'><p>{post}</p></div>" for post in posts) + "</body></html>")
    body = "\n".join(["Opening post of the thread.", *posts])
    assert drop_furniture_lines(body, parse_tree(page)) == body


BYLINE_PAGES = [
    "<html><body><div class='byline'>By <time>May 3</time> Jane Doe<span class='print'>Print</span> more</div></body></html>",
    "<html><body><aside class='sidebar'><span class='author'>Bob Smith</span></aside>"
    "<div class='author-box'>Anna Lee <figure>A photo</figure>and friends</div></body></html>",
    "<html><body><div id='comments'><a rel='author'>Commenter Guy</a></div><p class='writer'>Real Writer</p></body></html>",
    "<html><body><div class='quote-author'>Quoted Person</div>"
    "<span itemprop='author'><span class='title'>Title</span>Mary Major</span></body></html>",
    "<html><body><p>Hello</p><p>world</p><div class='x'><author>Al Pha</author></div></body></html>",
    "<html><body><div class='post-meta'><a href='/category/news/'>News</a></div>"
    "<div class='byline'><rel>me</rel>Xx Yy</div></body></html>",
    "<html><head><meta property='article:section' content='Sport'></head><body><div class='Comments'>"
    "<div class='author'>No Body</div></div><h4 class='author-name'>Hugh Ghes</h4></body></html>",
    "<html><body><span class='commentlist'><b class='writer'>Hidden Name</b></span><p>No byline here at all.</p></body></html>",
]


@pytest.mark.parametrize("page", BYLINE_PAGES)
def test_byline_and_category_guesses_match_trafilatura(page: str) -> None:
    """Our faster byline and category lookups give what trafilatura's heuristics give."""
    from trafilatura import metadata as trafilatura_metadata

    from newsarchive.nlp.extraction.heuristics import page_author, page_categories
    from newsarchive.nlp.extraction.meta import parse_tree

    tree = parse_tree(page)
    assert page_author(tree) == trafilatura_metadata.extract_author(tree)
    assert page_categories(tree) == trafilatura_metadata.extract_catstags("category", tree)


def test_byline_and_category_guesses_match_trafilatura_on_benchmark_pages() -> None:
    from trafilatura import metadata as trafilatura_metadata

    from bench.extraction import load_corpus
    from newsarchive.nlp.extraction.heuristics import page_author, page_categories
    from newsarchive.nlp.extraction.meta import parse_tree

    found = 0
    for page in load_corpus()[::6]:
        tree = parse_tree(page.html)
        author = page_author(tree)
        assert author == trafilatura_metadata.extract_author(tree), page.doc_id
        assert page_categories(tree) == trafilatura_metadata.extract_catstags("category", tree), page.doc_id
        found += author is not None
    assert found >= 5


@pytest.mark.parametrize("value", ["site-footer", "FOOTER", "footnote", "shared-history", "Share", "ſhare-bar",
                                   "comment-list", "Replies", "repl", "respond-box", "main", "ƒooter", "KOMMENT"])
def test_furniture_mark_shortcut_agrees_with_the_pattern(value: str) -> None:
    from newsarchive.nlp.extraction.clean import ANY_MARK, has_mark

    assert has_mark(value, {}) == (ANY_MARK.search(value) is not None)


def test_other_xml_check_agrees_with_its_regular_expression() -> None:
    """The linear scan for a feed, sitemap or SVG root says what the backtracking expression it replaced said."""
    import random
    import re

    from newsarchive.nlp.extraction.decode import starts_as_other_xml

    spec = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|urlset|sitemapindex|svg|rdf:RDF)\b",
                      re.S | re.I)
    pieces = ["<!--", "-->", "--->", " ", "\n", "<rss>", "<RSS ", "<rssx", "<html>", "<?xml v?>", "<?XML", ">", "x",
              "<svg", "<rdf:rdf ", "<feed/>", "-", "<!-", "?>"]
    rng = random.Random(17)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 9))) for _ in range(20_000)]
    assert any(starts_as_other_xml(text) for text in texts)
    for text in texts:
        assert starts_as_other_xml(text) == bool(spec.match(text)), text


def test_page_of_many_comments_is_checked_quickly() -> None:
    import time

    from newsarchive.nlp.extraction.decode import looks_like_html

    # comments one after another, then many more: the old expression backtracked over every way to group them
    page = "<!--?xml version='1.0'?-->\n" + "<!-- a -->\n" * 50 + "<html><body>" + "<p>x</p><!-- b -->" * 200
    start = time.perf_counter()
    assert looks_like_html(page)
    assert time.perf_counter() - start < 0.5


def test_layout_table_is_read_as_paragraphs_and_data_tables_stay_tables() -> None:
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.tables import is_layout_table, unwrap_layout_tables

    paragraphs = [f"{LONG} Paragraph {i}." for i in range(4)]
    data = ("<table><tr><td>Year</td><td>Books lent</td></tr><tr><td>2022</td><td>41,200</td></tr>"
            "<tr><td>2023</td><td>38,900</td></tr></table>")
    story = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + data + "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    menu = "<td><a href='/a'>Front page</a><br><a href='/b'>Archives</a><br><a href='/c'>Subscribe</a></td>"
    page = (f"<html><head><title>A story</title></head><body><table width='100%'><tr>{menu}"
            f"<td><h1>A story</h1>{story}</td></tr></table></body></html>")
    tree = parse_tree(page)
    layout, inner = list(tree.iter("table"))
    assert is_layout_table(layout) and not is_layout_table(inner)
    unwrap_layout_tables(tree)
    assert [t.get("width") for t in tree.iter("table")] == [None]  # the data table only
    lines = extract_article(page).text.split("\n")
    assert paragraphs[0] in lines and paragraphs[3] in lines
    assert not any(line.startswith("|") and LONG in line for line in lines)
    # scripts do not count as a cell's text; a header cell or role="presentation" decides
    def table(markup: str):
        return parse_tree(f"<html><body><p>{LONG}</p>{markup}</body></html>").find(".//table")

    script = "<script>" + "var x = 1; " * 60 + "</script>"
    assert not is_layout_table(table(f"<table><tr><td>{script}</td><td>1</td></tr></table>"))
    assert is_layout_table(table(f"<table><tr><td>{LONG * 3}</td></tr></table>"))
    assert not is_layout_table(table(f"<table><tr><th>Note</th></tr><tr><td>{LONG * 3}</td></tr></table>"))
    assert is_layout_table(table("<table role='presentation'><tr><td>x</td></tr></table>"))


def test_layout_test_reads_nested_tables_in_one_pass() -> None:
    """The survey that decides layout tables (text below each element, the longest cell, a
    header below) gives what reading each table's cells would give, on tables nested
    eighty deep with comments, scripts and tails about (reading every cell below each
    table took 17 s on such a page of 20,000 cells; one pass takes well under one)."""
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.tables import is_layout_table, own_parts, shown_chars, unwrap_layout_tables

    cell = f"<!-- a note --><b>{LONG * 3}</b> tail <script>var a = 1;</script> more"
    page = ("<html><body>" + "<table><tr><td>x<!-- c -->" * 80 + f"<table><tr><td>{cell}</td><td>2</td></tr></table>"
            + "</td></tr></table>" * 80 + "</body></html>")
    tree = parse_tree(page)
    tables = list(tree.iter("table"))
    naive = [sum(len(t.strip()) for t in c.xpath(".//text()[not(ancestor::script or ancestor::style)]"))
             for c in tables[-1].iter("td")]
    assert [shown_chars(c) for c in tables[-1].iter("td")] == naive
    assert all(is_layout_table(t) for t in tables)  # every table holds the long cell below it
    assert [len(own_parts(t)) for t in tables[:2]] == [3, 3] and len(own_parts(tables[-1])) == 4
    unwrap_layout_tables(tree)
    assert next(tree.iter("table"), None) is None
    assert LONG in extract_article(page).text


def test_bare_text_of_a_layout_cell_becomes_paragraphs() -> None:
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.tables import unwrap_layout_tables

    page = (f"<html><body><table><tr><td>{LONG} Bare, with <a href='/n'>a note</a> in it.<p>{LONG} In a p.</p>"
            f"{LONG} Bare again.<br>Same paragraph.<div>{LONG} In a div.</div></td></tr></table></body></html>")
    tree = parse_tree(page)
    unwrap_layout_tables(tree)
    cell = tree.find(".//body/div/div/div")
    assert [child.tag for child in cell] == ["p", "p", "p", "div"]
    assert [" ".join(child.text_content().split()) for child in cell] == [
        f"{LONG} Bare, with a note in it.", f"{LONG} In a p.", f"{LONG} Bare again.Same paragraph.", f"{LONG} In a div."]
    lines = extract_article(page).text.split("\n")
    assert f"{LONG} Bare, with a note in it." in lines and f"{LONG} In a p." in lines


def test_a_poem_is_not_taken_for_a_link_list_and_a_menu_is() -> None:
    poem = ["The river keeps its counsel", "beneath the winter ice,", "the willows bend and listen",
            "and never ask it twice.", "The ferry sleeps till April,", "the gulls have flown away,",
            "the lamps along the water", "burn pale at close of day.", "But under all the silence",
            "the current runs as fast,", "and carries every promise", "the town has made at last."]
    article = extract_article(story_page("".join(f"<p>{line}</p>" for line in poem)))
    assert article.extraction_status == "ok" and "the gulls have flown away," in article.text.split("\n")
    from newsarchive.nlp.extraction.core import is_link_list

    assert not is_link_list("\n".join(poem), set())
    assert is_link_list("\n".join(poem), set(poem))
    assert is_link_list("\n".join(f"- {line}" for line in poem), set(poem[:6]))
    assert not is_link_list("\n".join(poem[:9]), set(poem))


def test_teaser_box_inside_the_story_container_is_dropped_a_lead_marked_teaser_kept() -> None:
    from newsarchive.nlp.extraction.chunks import drop_inner_teasers, find_container
    from newsarchive.nlp.extraction.meta import parse_tree

    page = ("<html><body><div class='story'>"
            "<p class='story-teaser'>The library reopens in spring after two years of building work downtown.</p>"
            f"<p>{LONG} Paragraph 0.</p><p>{LONG} Paragraph 1.</p>"
            "<div class='teaser'><h2><a href='/other'>Bridge repairs close the east road</a></h2>"
            "<p>Drivers face detours for a month while the old bridge is fixed. <a href='/other'>more</a></p></div>"
            f"<p>{LONG} Paragraph 2.</p></div></body></html>")
    tree = parse_tree(page)
    story = ["The library reopens in spring after two years of building work downtown."] + \
        [f"{LONG} Paragraph {i}." for i in range(2)]
    body = "\n".join(story + ["Bridge repairs close the east road",
                              "Drivers face detours for a month while the old bridge is fixed. more",
                              f"{LONG} Paragraph 2."])
    assert drop_inner_teasers(find_container(tree, body), body).split("\n") == story + [f"{LONG} Paragraph 2."]


def test_declared_article_body_decides_for_the_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from newsarchive.nlp.extraction import core
    from newsarchive.nlp.extraction.meta import declared_body, parse_tree

    story = " ".join(f"{LONG} Paragraph {i}." for i in range(6))
    caption = "The old library seen from the river bank in the evening light, before the works began."
    ld = json.dumps({"@type": "NewsArticle", "articleBody": story})
    page = f"<html><head><script type='application/ld+json'>{ld}</script></head><body><p>x</p></body></html>"
    tree = parse_tree(page)
    assert declared_body(tree) == story
    assert declared_body(parse_tree(page.replace(story, "A short summary."))) is None
    # the first pass settles on a caption long enough to pass as prose; the declared body shows it missed the story
    first = "\n".join([caption] * 6)
    passes = {"recall": first, "balanced": story}
    monkeypatch.setattr(core, "run_trafilatura",
                        lambda tree, url, options, favor, fast=False: SimpleNamespace(text=passes[favor]))
    assert core.extract_body(tree, None, core.ExtractOptions(), set()) == story
    assert core.extract_body(tree, None, core.ExtractOptions(fast=True), set()) == first
    # a first pass that holds the declared story is kept
    passes["recall"] = story
    passes["balanced"] = caption
    assert core.extract_body(tree, None, core.ExtractOptions(), set()) == story


def test_read_also_lines_of_european_languages_are_dropped_sentences_kept() -> None:
    from newsarchive.nlp.extraction.clean import remove_noise

    story = [f"{LONG} Paragraph {i}." for i in range(2)]
    furniture = ["Lesen Sie auch: Neue Brücke über den Fluss eröffnet", "À lire aussi Le marché du samedi déménage",
                 "Czytaj więcej", "Les også: Ny bro åpner i sommer", "Auch interessant", "Lees meer",
                 "MORE: Council tax to rise again next spring", "Ähnliche Artikel"]
    kept = ["Auch interessant ist, dass der Rat einstimmig abgestimmt hat.",
            "Ähnliche Pläne gab es schon vor zehn Jahren, sagte die Bürgermeisterin.",
            "More than forty people came to the meeting on Thursday evening.",
            "Lesen Sie auch das Protokoll der Sitzung, riet der Sprecher den Bürgern."]
    body = "\n".join(story[:1] + furniture[:4] + kept + furniture[4:] + story[1:])
    assert remove_noise(body).split("\n") == story[:1] + kept + story[1:]


def test_split_story_chunk_five_levels_up_is_added() -> None:
    # the story's first part sits four wrappers deep; the second part hangs off the fifth ancestor
    first = "".join(f"<p>{LONG} Part one, paragraph {i}.</p>" for i in range(3))
    nested = f'<div class="entry">{first}</div>'
    for level in range(4):
        nested = f'<div class="wrap{level}">{nested}</div>'
    page = (f"<html><body><main><h1>A story</h1>{nested}"
            f'<div class="entry"><p>{LONG} Part two.</p></div></main></body></html>')
    assert split_chunks_of(page) == [f"{LONG} Part two."]


def test_cjk_date_stamp_under_the_headline_is_dropped() -> None:
    from newsarchive.nlp.extraction.clean import is_date_stamp

    assert is_date_stamp("2024年3月9日 18時05分 (3月9日 18時30分更新)")
    assert is_date_stamp("09:15 JST, March 9, 2024")
    assert not is_date_stamp("（3月9日就任。前の館長は顧問に）")
    story = "図書館は川沿いに再建される。市議会は木曜日の夜、大差でこの計画を承認した。" * 3
    page = ("<html><head><title>川沿いの図書館を再建へ</title></head><body><article>"
            "<h1>川沿いの図書館を再建へ</h1><p>2024年3月9日 18時05分 (3月9日 18時30分更新)</p>"
            f"<p>{story}</p><p>{story}</p></article></body></html>")
    text = extract_article(page).text
    assert text.startswith(story[:20]) and "18時05分" not in text


def test_list_of_kicker_and_linked_headline_items_is_dropped_references_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_link_runs, link_texts, linked_items
    from newsarchive.nlp.extraction.meta import parse_tree

    related = [("Roads", "East bridge closes for a month of repairs"), ("Schools", "New term starts a week later this autumn"),
               ("Weather", "Storm warning for the coast on Friday night")]
    refs = ['"Library opening hours and rules"', '"Annual report of the city council"', '"Riverside plan, second draft"']
    page = ("<html><body><ul>" + "".join(f"<li><strong>{k}:</strong> <a href='/x'>{h}</a></li>" for k, h in related)
            + "</ul><ol>" + "".join(f"<li>^ <a href='/r'>{r}</a>.</li>" for r in refs) + "</ol></body></html>")
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(2)]
    body = "\n".join(story[:1] + [f"- {k}: {h}" for k, h in related] + story[1:] + [f"- ^ {r}." for r in refs])
    kept = drop_link_runs(body, link_texts(tree), linked_items(tree)).split("\n")
    assert kept == story + [f"- ^ {r}." for r in refs]


def test_reading_time_and_picture_credits_of_other_languages_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import is_noise_line

    for line in ("Lesedauer: 4 Minuten", "Temps de lecture : 3 min", "Lesezeit: ca. 5 Min.",
                 "Der neue Lesesaal am Fluss. Bild: Anna Beispiel", "Foto: Stadtarchiv"):
        assert is_noise_line(line), line
    for line in ("Lesedauer und Aufmerksamkeit sinken, sagt die Studie.",
                 "Das Bild zeigt den Lesesaal am Fluss kurz nach der Eröffnung im Frühjahr."):
        assert not is_noise_line(line), line


def test_advertisement_labels_and_paywall_notices_are_dropped() -> None:
    from newsarchive.nlp.extraction.clean import is_noise_line

    for line in ("Passer la publicité", "Anzeige", "- Advertisement 2Story continues below",
                 "Il vous reste 61% de cet article à lire. La suite est réservée aux abonnés.",
                 "この記事は会員限定です。", "This story is only available to subscribers."):
        assert is_noise_line(line), line
    for line in ("Anzeige gegen den Betreiber wurde am Montag erstattet, sagte die Polizei.",
                 "The library is available to members of the public every day of the week, the council said."):
        assert not is_noise_line(line), line


def test_appeals_to_the_reader_inside_the_story_are_dropped() -> None:
    from newsarchive.nlp.extraction.chunks import find_container
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    ask = ["Before you go: stories like this one take months of work and cost a great deal to report.",
           "We have no advertising, so we rely on readers like you to keep our reporting free for all."]
    page = ("<html><body><div class='story paywall'>"
            + "".join(f"<p>{LONG} Paragraph {i}.</p>" for i in range(3))
            + f"<div class='InlineDonationBox'><div>{ask[0]}<br><br>{ask[1]}</div><a href='/give'>Give now</a></div>"
            + "</div></body></html>")
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(3)]
    body = "\n".join(story + ask)
    assert drop_furniture_lines(body, tree, find_container(tree, body)).split("\n") == story


def test_headline_with_kicker_or_site_name_is_dropped_dateline_kept() -> None:
    from newsarchive.nlp.extraction.clean import drop_leading_title

    story = f"{LONG} Paragraph 0."
    # the title holds a kicker or the site name; the line is the headline alone
    assert drop_leading_title(f"Old library to be rebuilt by the river\n{story}",
                              "Council vote: Old library to be rebuilt by the river") == story
    assert drop_leading_title(f"Old library to be rebuilt by the river\n{story}",
                              "Old library to be rebuilt by the river | Riverside News") == story
    # the line holds a kicker before the headline
    assert drop_leading_title(f"Council vote - Old library to be rebuilt by the river\n{story}",
                              "Old library to be rebuilt by the river") == story
    # a dateline before the headline is story; a short line that opens the title is kept
    dated = f"Riverside, 4 May 2024 - Old library to be rebuilt by the river\n{story}"
    assert drop_leading_title(dated, "Old library to be rebuilt by the river") == dated
    assert drop_leading_title(f"Old library\n{story}", "Old library to be rebuilt by the river") == f"Old library\n{story}"


def test_kicker_line_above_the_headline_is_dropped_with_it() -> None:
    from newsarchive.nlp.extraction.clean import drop_leading_title

    story = f"{LONG} Paragraph 0."
    title = "Old library to be rebuilt by the river"
    assert drop_leading_title(f"CITY COUNCIL\n{title}\n{story}", title) == story
    # a sentence, or a line with a number, above the headline is no kicker
    for first in ("The vote was close.", "Council vote 2024"):
        body = f"{first}\n{title}\n{story}"
        assert drop_leading_title(body, title) == body


def test_author_bio_inside_the_story_is_dropped() -> None:
    from newsarchive.nlp.extraction.chunks import find_container
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    bio = "Sam Writer has covered the city council for twenty years and edits the weekend local news pages."
    page = ("<html><body><div class='story'>" + "".join(f"<p>{LONG} Paragraph {i}.</p>" for i in range(3))
            + f"<div class='author__bio-wrapper'><p>{bio}</p></div></div></body></html>")
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(3)]
    assert drop_furniture_lines("\n".join(story + [bio]), tree, find_container(tree, "\n".join(story))).split("\n") == story


def test_story_intro_in_a_box_marked_slideshow_is_kept_teaser_slides_dropped() -> None:
    from newsarchive.nlp.extraction.chunks import find_container
    from newsarchive.nlp.extraction.clean import drop_furniture_lines
    from newsarchive.nlp.extraction.meta import parse_tree

    intro = f"{LONG} This is how the plan came about, in ten pictures."
    slide = ("Bridge repairs close the east road for a month while the old bridge is fixed by the city crews, "
             "and drivers are asked to follow the signs to the north crossing until the work is done")
    page = ("<html><body><section class='slideshow-intro'><p>" + intro + "</p></section>"
            "<div class='story'>" + "".join(f"<p>{LONG} Paragraph {i}.</p>" for i in range(4)) + "</div>"
            f"<div class='slideshow-teasers'><p><a href='/b'>{slide}</a></p></div></body></html>")
    tree = parse_tree(page)
    story = [f"{LONG} Paragraph {i}." for i in range(4)]
    body = "\n".join([intro] + story + [slide])
    assert drop_furniture_lines(body, tree, find_container(tree, body)).split("\n") == [intro] + story


THREAD_POSTS = [
    "Has anyone fitted a rear rack to a carbon frame without drilling holes into it?",
    "I clamped one to the seat stays with rubber pads and it has held for two winters of commuting without trouble.",
    "The frame maker told me any clamp voids the warranty, so I bought a seat post rack that carries ten kilos.",
    "A trailer was the answer for me in the end: nothing touches the frame and the shopping fits in it.",
]


def thread_page(head: str = "") -> str:
    """A forum thread in our own words: a short opening post, then replies in comment boxes."""
    replies = "".join(
        f"<div class='comment' id='comment-{n}'><span class='author'>rider{n}</span><span>3 May</span>"
        f"<div class='comment-body'><p>{text}</p></div></div>"
        for n, text in enumerate(THREAD_POSTS[1:], 1))
    return (f"<html><head><title>Rear rack on carbon</title>{head}</head><body>"
            f"<div class='topic'><h1>Rear rack on carbon</h1><div class='post'><p>{THREAD_POSTS[0]}</p></div>"
            f"<div id='comments' class='comments'>{replies}</div></div></body></html>")


@pytest.mark.parametrize("head", [
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "DiscussionForumPosting", '
    '"headline": "Rear rack on carbon"}</script>',
    '<script type="application/ld+json">{"@type": "QAPage", "mainEntity": {"@type": "Question"}}</script>',
    '<meta name="generator" content="phpBB">',
])
def test_thread_page_keeps_its_replies(head: str) -> None:
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.threads import is_thread_page

    page = thread_page(head)
    assert is_thread_page(parse_tree(page))
    text = extract_article(page).text
    for post in THREAD_POSTS:
        assert post in text


def test_comments_under_a_story_are_not_a_thread() -> None:
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.threads import is_thread_page

    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rear rack on carbon", '
            '"comment": [{"@type": "Comment", "text": "Nice"}]}</script><meta name="generator" content="WordPress 6.5">')
    page = thread_page(head)
    assert not is_thread_page(parse_tree(page))
    assert THREAD_POSTS[2] not in extract_article(page).text


def thread_of_posts(head: str, body_class: str = "postbody") -> str:
    """A thread page in our own words whose posts sit in repeated post-body boxes, no schema declared."""
    posts = "".join(f"<div class='post'><div class='author'>rider{n}</div><div class='{body_class}'><p>{text}</p></div></div>"
                    for n, text in enumerate(THREAD_POSTS))
    return f"<html><head><title>Rear rack on carbon</title>{head}</head><body><div id='topic'>{posts}</div></body></html>"


def test_repeated_forum_post_bodies_make_a_thread_unless_the_page_is_an_article() -> None:
    from newsarchive.nlp.extraction.meta import parse_tree
    from newsarchive.nlp.extraction.threads import is_thread_page

    assert is_thread_page(parse_tree(thread_of_posts("")))
    assert is_thread_page(parse_tree(thread_of_posts("", "bbp-reply-content")))
    assert not is_thread_page(parse_tree(thread_of_posts('<meta property="og:type" content="article">')))
    assert not is_thread_page(parse_tree(thread_of_posts("", "entry-body")))
    links = "".join(f"<div class='postbody'><a href='/t/{n}'>{text}</a></div>" for n, text in enumerate(THREAD_POSTS))
    assert not is_thread_page(parse_tree(f"<html><body>{links}</body></html>"))  # teasers of other threads
