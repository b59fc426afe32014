"""Clean extracted article text of the news-page furniture that survives extraction.

Works on text with one paragraph per line. The patterns are data, in
:mod:`newsarchive.nlp.extraction.patterns`; this module only applies them:

- furniture lines (audio players, "Read more:" teasers, picture credits,
  newsletter and social prompts) are dropped when short and matching;
- a line above the story that is only a date stamp (a date, a time, "Updated 14
  hours ago") is metadata, read apart, not story;
- a closing "More stories" heading and the headlines under it are cut;
- a slideshow written out slide by slide ("1/50 ...", "2/50 ...") is dropped;
- runs of lines that are each the whole text of a link are "related" lists;
- a leading line that repeats the headline is metadata, not body;
- lines that are the whole text of an element inside the page's footer or
  breadcrumb trail (by tag or by class/id) are site furniture, not story.
- lines of an appeal to the reader (a donation box, a registration wall, a
  newsletter sign-up, by class/id) are dropped even inside the story's container.

Nothing here is keyed to a site: the rules are the shapes news templates share.
"""

from __future__ import annotations

import re
from typing import Any

from newsarchive.nlp.extraction.patterns import (
    END_OF_STORY_HEADINGS,
    MAX_HEADING_CHARS,
    MAX_NOISE_LINE_CHARS,
    NOISE_LINES,
    NOISE_SUFFIXES,
)

NOISE = [re.compile(rf"^\s*(?:{p})\s*$", re.I) for p in NOISE_LINES]
END_HEADINGS = [re.compile(rf"^(?:{p})$", re.I) for p in END_OF_STORY_HEADINGS]
NOISE_SUFFIX = re.compile(rf"(?:{'|'.join(NOISE_SUFFIXES)})\s*$", re.I)
WORD = re.compile(r"\w+")
#: how a sentence ends (a kicker does not)
SENTENCE_END = re.compile(r"[.!?…。！？]\W*$")
#: the words a date stamp is made of: month and day names, times, zones, "updated ... ago"
MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
DATE_IN_LINE = re.compile(rf"\d{{1,2}} ?月 ?\d{{1,2}} ?日|\b(?:{MONTHS})\.? \d{{1,2}}\b|\b\d{{1,2}}\.? (?:{MONTHS})\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.I)
DATE_STAMP_WORD = re.compile(
    rf"\b(?:{MONTHS}|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"\d+(?:st|nd|rd|th)?|am|pm|a\.m|p\.m|gmt|utc|[a-z]?[ecmp][sd]t|hkt|bst|cet|cest|jst|kst|updated?|published|posted|first|modified|"
    r"last|on|at|ago|just|now|an?|hours?|hrs?|minutes?|mins?|days?|weeks?)\b\.?",
    re.I,
)
#: the pieces of a date stamp written in Chinese or Japanese ("2025年1月14日 01時28分 (1月14日 01時40分更新)"):
#: numbers with their unit characters run into one ``\w+`` word, so they are taken out first
CJK_STAMP = re.compile(r"\d{1,4} ?[年月日時时分秒]|更新|公開|配信|発表|发布|[()（）]")
#: a date stamp is short
MAX_DATE_STAMP_CHARS = 80
# Lines under a "More stories" heading are headlines, not paragraphs.
MAX_TEASER_CHARS = 150
# A "More stories" cut never leaves fewer lines of story than this.
MIN_STORY_LINES = 2
# Linked lines this long (in words) read as headlines of other articles.
MIN_HEADLINE_WORDS = 4
# This many such lines in a row are a list of other articles (two may be the story's own cross-references).
MIN_LINK_RUN = 3
#: class or id of a page's footer, copyright notice or breadcrumb trail ("footnote" is story)
#: syntax highlighting marks code comments with a "comment" class: code is never furniture
CODE_TAGS = {"pre", "code"}
#: a "footer" holding more of the body than this is a wrapper of the story, not furniture
MAX_FURNITURE_SHARE = 0.5
FURNITURE_MARK = re.compile(r"foot(?!note)|ftr|copyright|breadcrumb|gallery|slideshow|carousel|share(?!d)|social", re.I)
#: class or id of an appeal to the reader (a donation box, a registration wall, a newsletter sign-up) or of an author bio:
#: never story, even inside the story's container
APPEAL_MARK = re.compile(r"donat|access-?wall|registration-?wall|newsletter|author_*-?bio", re.I)
#: a line this long found anywhere in an appeal's text is the appeal's (shorter ones must be a whole element's text)
MIN_APPEAL_LINE_CHARS = 40
#: gallery-like marks that some templates also give a story's own intro ("slideshow-intro-content")
STORY_BOX_MARK = re.compile(r"gallery|slideshow|carousel", re.I)
#: such a box holding a body line this long (characters) and little link text is story, not slides
MIN_STORY_LINE_CHARS = 150
MAX_STORY_BOX_LINK_SHARE = 0.1
#: class or id of reader comments and replies; on a forum or a comment page they are the content
THREAD_MARK = re.compile(r"comment|disqus|repl(?:y|ies)|respond", re.I)
#: either mark, to pick candidates from the page's attribute values before deciding on each
ANY_MARK = re.compile(f"{FURNITURE_MARK.pattern}|{THREAD_MARK.pattern}|{APPEAL_MARK.pattern}", re.I)
#: the words every match of :data:`ANY_MARK` starts with, in lower case
MARK_WORDS = ("foot", "ftr", "copyright", "breadcrumb", "gallery", "slideshow", "carousel", "share", "social",
              "donat", "wall", "newsletter", "bio",
              "comment", "disqus", "repl", "respond")
MARK_WORD = re.compile("|".join(MARK_WORDS))  # case-sensitive, for lower-cased text: quicker than re.I


def remove_noise(body: str) -> str:
    """Drop furniture lines; keep every line of prose.

    Copyright lines are kept: agency copy ends with its notice, which belongs to the story as published.

    :param body: extracted text, one paragraph per line
    """
    lines = [NOISE_SUFFIX.sub("", line).strip() for line in body.split("\n")]
    # the "More stories" cut first: its heading is often a furniture line too, and must be seen
    lines = cut_more_stories([line for line in lines if line])
    kept = [line for line in drop_slide_runs(lines) if not is_noise_line(line)]
    return "\n".join(drop_leading_date_stamps(kept))


#: a slide's counter at the start of a line: "3/50", "3 / 50", "3 of 50"
SLIDE_COUNTER = re.compile(r"^(?:- )?(\d{1,3}) ?(?:/|of) ?(\d{1,3})\b")
#: this many slides in a row, counted one by one out of the same total, are a slideshow
MIN_SLIDES = 3
#: out of a total of at least this many: a thread of posts quoted in a story counts "1/4",
#: "2/4" ... and stays; a gallery has more slides
MIN_SLIDE_TOTAL = 6


def drop_slide_runs(lines: list[str]) -> list[str]:
    """The lines without slideshows: runs of :data:`MIN_SLIDES`+ lines that open with
    counters going up one by one out of one total ("1/50 ...", "2/50 ...", "3/50 ...").

    A lone "1 of 4." caption stays, and so do fractions in a recipe ("1/2 tsp", "1/2 cup":
    the counter does not go up) and a quoted thread of posts ("1/4 Today I am announcing
    ...": fewer than :data:`MIN_SLIDE_TOTAL`).

    :param lines: extracted lines
    """
    counters = []
    for line in lines:
        match = SLIDE_COUNTER.match(line)
        counters.append((int(match[1]), int(match[2])) if match else None)
    drop = [False] * len(lines)
    start = 0
    while start < len(lines):
        end = start + 1
        if counters[start] is not None:
            while end < len(lines) and counters[end] is not None and counters[end][1] == counters[start][1] \
                    and counters[end][0] == counters[end - 1][0] + 1:
                end += 1
            if end - start >= MIN_SLIDES and counters[start][1] >= MIN_SLIDE_TOTAL:
                drop[start:end] = [True] * (end - start)
        start = end
    return [line for line, dropped in zip(lines, drop) if not dropped]


def drop_leading_date_stamps(lines: list[str]) -> list[str]:
    """The lines without the date stamps above the story (a date inside it, in a list of events, stays).

    :param lines: extracted lines
    """
    start = 0
    while start < len(lines) - 1 and is_date_stamp(lines[start]):
        start += 1
    return lines[start:]


def link_texts(tree: Any) -> set[str]:
    """The whitespace-normalised texts of a page's links.

    :param tree: the parsed page
    """
    texts = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    texts.discard("")
    return texts


#: a list item with this share of its characters in links (a kicker, then a linked headline) is a link
LINKED_ITEM_SHARE = 0.6
#: the kicker of such an item (its text outside links) is a label of at most this many characters
MAX_KICKER_CHARS = 40


def linked_items(tree: Any) -> set[str]:
    """The whitespace-normalised texts of list items made of a kicker and a linked headline.

    "Schlafstörungen: <a>Häufig hilft nur noch diese Methode</a>": a short label and the
    headline of another page, a link though the line is not one link's whole text. The
    label must hold a word: a reference list's "^ <a>"Title"</a>." is no kicker.

    :param tree: the parsed page
    """
    items = set()
    for item in tree.iter("li"):
        text = " ".join(item.text_content().split())
        if not text:
            continue
        linked = [" ".join(a.text_content().split()) for a in item.iter("a")]
        if sum(len(link) for link in linked) < LINKED_ITEM_SHARE * len(text):
            continue
        rest = text
        for link in linked:
            rest = rest.replace(link, " ", 1)
        if WORD.search(rest) and len(rest.strip()) <= MAX_KICKER_CHARS:
            items.add(text)
    return items


def is_headline_link(line: str, links: set[str]) -> bool:
    """True for a line that is the whole text of a link and reads like a headline.

    :param line: one extracted line
    :param links: from :func:`link_texts`
    """
    line = line.removeprefix("- ")  # a list item, as trafilatura writes it
    words = line.split()
    return len(words) >= MIN_HEADLINE_WORDS and line in links and "@" not in line and "://" not in line


def drop_link_runs(body: str, links: set[str], items: set[str] = frozenset()) -> str:
    """Remove runs of headline-like lines that are each a whole link: "related" lists.

    One or two linked lines are kept (cross-references the story makes); a run
    of :data:`MIN_LINK_RUN` or more is a list of other articles.

    :param body: extracted text, one paragraph per line
    :param links: from :func:`link_texts`
    :param items: from :func:`linked_items` (list items that are mostly a link)
    """
    lines = body.split("\n")
    links = links | items if items else links
    flags = [is_headline_link(" ".join(line.split()), links) for line in lines]
    drop = [False] * len(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and flags[end]:
            end += 1
        if end - start >= MIN_LINK_RUN:
            drop[start:end] = [True] * (end - start)
        start = end + 1
    return "\n".join(line for line, dropped in zip(lines, drop) if not dropped)


def comparable(text: str) -> str:
    """Lower-cased words only, to compare a heading with a title.

    :param text: any text
    """
    return " ".join(WORD.findall(text.lower()))


def headline_texts(tree: Any) -> set[str]:
    """The comparable texts of a page's ``<h1>`` elements.

    :param tree: the parsed page
    """
    return {comparable(h.text_content()) for h in tree.iter("h1")} - {""}


def drop_leading_title(body: str, title: str | None, headlines: set[str] = frozenset()) -> str:
    """Remove the headline when the body starts with it: it is metadata, not body.

    The headline is the title or the text of the page's ``<h1>`` (which may
    differ from the title a page declares for sharing).

    :param body: extracted text, one paragraph per line
    :param title: the article title
    :param headlines: from :func:`headline_texts`
    """
    if not body:
        return body
    names = {comparable(title or ""), *headlines} - {""}
    first, _, rest = body.partition("\n")
    if is_headline(comparable(first), names):
        return rest
    # a kicker on a line of its own above the headline ("MIDDLE EAST CRISIS")
    second, _, after = rest.partition("\n")
    if is_kicker(comparable(first)) and not SENTENCE_END.search(first) and is_headline(comparable(second), names):
        return after
    return body


def is_headline(key: str, names: set[str]) -> bool:
    """Whether a line (:func:`comparable`) is the page's headline (:func:`is_headline_part`).

    :param key: the line
    :param names: the title and ``<h1>`` texts, :func:`comparable`
    """
    return bool(key) and (key in names or any(is_headline_part(key, name) for name in names))


def is_kicker(words: str) -> bool:
    """Whether words (:func:`comparable`) make a kicker: at most :data:`MAX_KICKER_WORDS` words, no number.

    :param words: the words of a line or of the part of a line before the headline
    """
    kicker = words.split()
    return 0 < len(kicker) <= MAX_KICKER_WORDS and not any(ch.isdigit() for word in kicker for ch in word)


#: a headline line that is part of the declared title has at least this many words
MIN_TITLE_PART_WORDS = 4
#: a kicker before the headline ("Premiere in Eisenhüttenstadt - ...") has at most this many words, none a number
MAX_KICKER_WORDS = 6


def is_headline_part(key: str, name: str) -> bool:
    """Whether a first line is the headline the page declares, give or take a kicker or a site name.

    The title may hold more than the line ("Kicker: headline", "headline | Site"), or the
    line more than the title (a short kicker of words, no numbers, before it: a dateline
    before it is story).

    :param key: the first line, :func:`comparable`
    :param name: the title or a ``<h1>`` text, :func:`comparable`
    """
    if len(key.split()) >= MIN_TITLE_PART_WORDS and (name.startswith(key) or name.endswith(key)):
        return True
    if len(name.split()) >= MIN_TITLE_PART_WORDS and key.endswith(name):
        return is_kicker(key[:-len(name)])
    return False


def cut_more_stories(lines: list[str]) -> list[str]:
    """Cut a closing "More stories" heading and the list of headlines under it.

    Only after the first :data:`MIN_STORY_LINES` lines, and only when every
    line after the heading is headline-sized, so a story that goes on after
    such a phrase is kept.

    :param lines: extracted lines
    """
    for i in range(MIN_STORY_LINES, len(lines)):
        line = lines[i]
        if len(line) <= MAX_HEADING_CHARS and any(p.match(line) for p in END_HEADINGS):
            if all(len(after) <= MAX_TEASER_CHARS for after in lines[i + 1:]):
                return lines[:i]
    return lines


def is_noise_line(line: str) -> bool:
    """True for a short line that matches a furniture pattern, or a date stamp.

    :param line: one stripped line of extracted text
    """
    return len(line) <= MAX_NOISE_LINE_CHARS and any(p.match(line) for p in NOISE)


def is_date_stamp(line: str) -> bool:
    """True for a line made only of a date and the words around one ("May 4, 2019 / 12:21 AM / Updated 14 hours ago").

    :param line: one stripped line of extracted text
    """
    if len(line) > MAX_DATE_STAMP_CHARS or not DATE_IN_LINE.search(line):
        return False
    return not WORD.search(DATE_STAMP_WORD.sub(" ", CJK_STAMP.sub(" ", line)))


def is_story_box(element: Any, whole: str, inside: list[str]) -> bool:
    """Whether a box marked as a gallery or slideshow holds story: a body line of
    :data:`MIN_STORY_LINE_CHARS`+ characters and under :data:`MAX_STORY_BOX_LINK_SHARE`
    of its text in links (teaser slides are links to other pages).

    :param element: a box marked as furniture
    :param whole: its whitespace-normalised text
    :param inside: the body lines its text holds
    """
    if not STORY_BOX_MARK.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
        return False
    return any(len(line) >= MIN_STORY_LINE_CHARS for line in inside) \
        and link_chars(element) < MAX_STORY_BOX_LINK_SHARE * len(whole)


def link_chars(element: Any) -> int:
    """Characters of link text inside an element.

    :param element: any element
    """
    return sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))


def furniture_kind(element: Any) -> str | None:
    """``"furniture"`` for a ``<footer>`` or an element whose class or id names a footer, a
    copyright, a breadcrumb trail, a gallery or a share bar; ``"thread"`` for reader
    comments; None for anything else.

    :param element: any element
    """
    if element.tag == "footer":
        return "furniture"
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    if APPEAL_MARK.search(marks):
        return "appeal"
    if FURNITURE_MARK.search(marks):
        return "furniture"
    return "thread" if THREAD_MARK.search(marks) else None


def has_mark(value: str, seen: dict[str, bool]) -> bool:
    """Whether a class or id value carries a furniture or thread mark (:data:`ANY_MARK`).

    Pages repeat their class values, so each distinct value is tested once
    (``seen`` remembers the answers); an ASCII value holding none of the marks'
    words in lower case cannot match, which is cheaper to see than to search.

    :param value: a class or id value
    :param seen: answers so far on this page
    """
    known = seen.get(value)
    if known is None:
        if value.isascii():
            lowered = value.lower()
            known = MARK_WORD.search(lowered) is not None and ANY_MARK.search(value) is not None
        else:
            known = ANY_MARK.search(value) is not None
        seen[value] = known
    return known


def marked_elements(tree: Any) -> list[Any]:
    """``<footer>`` elements and elements whose class or id carries a furniture or thread mark, in page order.

    Reads attribute values rather than elements, so that only the few marked
    elements are built as Python objects.

    :param tree: the parsed page
    """
    found: dict[Any, None] = {}
    seen: dict[str, bool] = {}
    for node in tree.xpath("//footer | //@class | //@id"):  # in page order
        if isinstance(node, str):
            if has_mark(node, seen):
                found.setdefault(node.getparent(), None)
        else:
            found.setdefault(node, None)
    return list(found)


def furniture_texts(tree: Any, body: str, thread: bool = False) -> tuple[set[str], set[str]]:
    """Whitespace-normalised texts of the elements inside the page's furniture containers
    that are also lines of the body: those of footers, galleries, share bars and comments,
    then those of appeals to the reader (:data:`APPEAL_MARK`).

    A container that holds more than :data:`MAX_FURNITURE_SHARE` of the body's
    characters is a wrapper of the whole page or story (some templates name their
    main column "foot..."), not furniture, and is skipped; so are comment boxes when
    together they hold more than that share (a forum thread, a page of replies).

    :param tree: the parsed page
    :param body: extracted text, one paragraph per line
    :param thread: the page is a discussion thread (its replies are content, never dropped)
    """
    lines = {" ".join(line.removeprefix("- ").split()) for line in body.split("\n")} - {""}
    total = sum(len(line) for line in lines)
    boxes: dict[str, list[tuple[Any, list[str]]]] = {"furniture": [], "thread": [], "appeal": []}
    done: set[Any] = set()
    appeals_done: set[Any] = set()  # appeals are looked for inside other boxes too (a box marked "social" may hold one)
    for element in marked_elements(tree):
        kind = furniture_kind(element)
        seen = appeals_done if kind == "appeal" else done
        if kind is None or any(a in seen or a.tag in CODE_TAGS for a in element.iterancestors()):
            continue
        whole = " ".join(element.text_content().split())
        inside = [line for line in lines if line in whole]
        if not inside or sum(len(line) for line in inside) > MAX_FURNITURE_SHARE * total:
            continue
        if kind == "furniture" and is_story_box(element, whole, inside):
            continue
        seen.add(element)
        boxes[kind].append((element, inside))
    # comments that together make most of the text are what the page is about (a forum thread)
    if thread or sum(len(line) for _, inside in boxes["thread"] for line in set(inside)) > MAX_FURNITURE_SHARE * total:
        boxes["thread"] = []
    # an appeal's paragraphs are often one block cut at <br>: its lines of some length go by substring
    appeals = element_lines(boxes["appeal"]) | {line for _, inside in boxes["appeal"] for line in inside
                                                 if len(line) >= MIN_APPEAL_LINE_CHARS}
    return element_lines(boxes["furniture"] + boxes["thread"]), appeals


def element_lines(boxes: list[tuple[Any, list[str]]]) -> set[str]:
    """The texts of elements inside the boxes that are whole lines of the body.

    :param boxes: (box, the body lines its text holds) pairs
    """
    texts: set[str] = set()
    for element, inside in boxes:
        wanted = set(inside)
        for inner in element.iter():
            if isinstance(inner.tag, str):
                text = " ".join(inner.text_content().split())
                if text in wanted:
                    texts.add(text)
    return texts


def drop_furniture_lines(body: str, tree: Any, container: Any | None = None, thread: bool = False) -> str:
    """Remove lines that are the whole text of an element of the page's footer, breadcrumb trail or comments.

    A line the body container holds too is kept (a story's own subheading that a
    comment quotes, a copyright line the story ends with), except from an appeal to the
    reader (a donation box, a registration wall), which templates put inside the story.

    :param body: extracted text, one paragraph per line
    :param tree: the parsed page
    :param container: the element holding most of the extracted paragraphs, if known
    :param thread: the page is a discussion thread (:mod:`newsarchive.nlp.extraction.threads`):
        its comment boxes hold the posts and stay
    """
    if not body:
        return body
    furniture, appeals = furniture_texts(tree, body, thread)
    if furniture and container is not None and container.tag not in CODE_TAGS:
        story = " ".join(container.text_content().split())
        furniture = {text for text in furniture if text not in story}
    furniture |= appeals
    if not furniture:
        return body
    kept = [line for line in body.split("\n") if " ".join(line.removeprefix("- ").split()) not in furniture]
    return "\n".join(kept)
