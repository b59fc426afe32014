"""Check extracted text against the page: the container it came from, and its siblings.

Many news templates cut the story into chunks (one ``<div class="article-body">``
per few paragraphs, with advertisements or "related" boxes between them).
trafilatura's precision pass keeps the first, so the rest of the story is lost.
:func:`add_split_chunks` finds the container holding the extracted paragraphs,
looks for elements with the *same tag and class* under a near ancestor *after*
it (same-class boxes before the body are summaries and teasers), and appends
their paragraphs in page order.

Guards against adding furniture, each on what the chunk is: a chunk must hold
real prose (a paragraph of sentence length); a chunk whose text is mostly link
text is a box of teasers, and one marked as a comment (its class or id, or an
ancestor's below the shared one) holds reader comments - both are skipped;
paragraphs dense with links are skipped, text the body already holds is not
added twice, collection stops at a "More stories" heading, and the noise rules
of :mod:`newsarchive.nlp.extraction.clean` still apply afterwards.

"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from newsarchive.nlp.extraction.patterns import END_OF_STORY_HEADINGS, MAX_HEADING_CHARS

# Elements whose text is never body text, even inside a chunk.
SKIPPED_ANCESTORS = {"figure", "figcaption", "aside", "nav", "footer", "form", "button", "noscript", "script", "style"}
BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote")
# Only plain layout elements count as body containers (not quotes, embeds, lists).
CONTAINER_TAGS = {"div", "section", "article", "main"}
# How far up from the body container the chunks may share an ancestor.
MAX_SHARED_LEVELS = 5
# A chunk must contain at least one paragraph this long to count as prose.
MIN_PROSE_CHARS = 80
# Paragraphs whose text is mostly links are navigation.
MAX_LINK_SHARE = 0.5
# A chunk with more of its text in links than this is a box of teasers, not story.
MAX_CHUNK_LINK_SHARE = 0.25
# Class or id of an element that holds reader comments.
COMMENT_MARK = re.compile(r"comment|disqus|repl(?:y|ies)|respond|discussion", re.I)
END_HEADINGS = [re.compile(rf"^(?:{p})$", re.I) for p in END_OF_STORY_HEADINGS]


def normal(text: str) -> str:
    """Whitespace-collapsed text, for matching DOM paragraphs to extracted lines.

    :param text: any text
    """
    return " ".join(text.split())  # str.split() cuts at the characters regex \s matches; faster than re.sub


def body_container(tree: Any, lines: set[str]) -> Any | None:
    """The element that directly holds most of the extracted paragraphs.

    :param tree: the parsed page
    :param lines: normalised extracted lines
    """
    weight: Counter[Any] = Counter()
    for para in tree.iter("p"):
        text = normal(para.text_content())
        if text and text in lines and para.getparent() is not None:
            weight[para.getparent()] += len(text)
    if not weight:
        return None
    container, _ = weight.most_common(1)[0]
    return container if container.tag in CONTAINER_TAGS else None


def sibling_chunks(container: Any) -> list[Any]:
    """Elements like ``container`` (same tag, same class) near it, in document order.

    :param container: the element holding the extracted body
    """
    ancestor = container
    for _ in range(MAX_SHARED_LEVELS):
        if ancestor.getparent() is None:
            break
        ancestor = ancestor.getparent()
    klass = container.get("class")
    return [
        el for el in ancestor.iter(container.tag)
        if el.get("class") == klass and not is_inside(el, container) and not is_inside(container, el)
    ]


def is_inside(element: Any, container: Any) -> bool:
    """True when ``element`` is ``container`` or one of its descendants.

    :param element: an element
    :param container: a possible ancestor
    """
    while element is not None:
        if element is container:
            return True
        element = element.getparent()
    return False


def is_end_heading(element: Any) -> bool:
    """True for a short heading that opens a "more stories" box.

    :param element: any element of a chunk
    """
    own = normal(element.text or "")
    return 0 < len(own) <= MAX_HEADING_CHARS and any(p.match(own) for p in END_HEADINGS)


def chunk_paragraphs(chunk: Any) -> list[str]:
    """The prose blocks of a chunk (paragraphs, subheadings, quotes, list items).

    Collection stops at a "More stories"-like heading: what follows it is a
    list of other articles.

    :param chunk: a sibling body container
    """
    blocks = []
    for el in chunk.iter():
        if not isinstance(el.tag, str):
            continue
        if is_end_heading(el):
            break
        if el.tag not in BLOCK_TAGS:
            continue
        if any(a.tag in SKIPPED_ANCESTORS for a in el.iterancestors()) or has_block_child(el):
            continue
        text = normal(el.text_content())
        if text and link_share(el, text) <= MAX_LINK_SHARE:
            blocks.extend(text_lines(el))  # a <br> ends a line, as in the extracted text
    return blocks if any(len(b) >= MIN_PROSE_CHARS for b in blocks) else []


def has_block_child(element: Any) -> bool:
    """True when a block holds other blocks (their text is taken from them instead).

    :param element: a block element
    """
    return any(child.tag in BLOCK_TAGS for child in element.iterdescendants())


def link_share(element: Any, text: str) -> float:
    """Share of a block's characters that are link text.

    :param element: a block element
    :param text: its normalised text
    """
    linked = sum(len(normal(a.text_content())) for a in element.iter("a"))
    return linked / len(text) if text else 0.0


def find_container(tree: Any, body: str) -> Any | None:
    """The element holding most of an extracted body's paragraphs (see :func:`body_container`).

    :param tree: the parsed page
    :param body: extracted text, one paragraph per line
    """
    return body_container(tree, {normal(line) for line in body.split("\n")})


def is_comment_box(chunk: Any, stop: Any) -> bool:
    """True when a chunk, or an ancestor of it below ``stop``, is marked as reader comments.

    :param chunk: a sibling chunk
    :param stop: the nearest ancestor it shares with the body container
    """
    element = chunk
    while element is not None and element is not stop:
        if COMMENT_MARK.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
        element = element.getparent()
    return False


def is_teaser_box(chunk: Any) -> bool:
    """True when most of a chunk's text is link text (headlines of other pages).

    :param chunk: a sibling chunk
    """
    text = normal(chunk.text_content())
    return link_share(chunk, text) > MAX_CHUNK_LINK_SHARE


def shared_ancestor(first: Any, second: Any) -> Any | None:
    """The nearest element both are inside.

    :param first: an element
    :param second: another element of the same tree
    """
    ancestors = {id(a) for a in first.iterancestors()}
    return next((a for a in second.iterancestors() if id(a) in ancestors), None)


def add_split_chunks(tree: Any, container: Any | None, body: str) -> str:
    """The body with the paragraphs of its sibling chunks added in document order.

    :param tree: the parsed page
    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    :param body: extracted text, one paragraph per line
    """
    lines = body.split("\n")
    if container is None or not container.get("class"):
        return body
    chunks = sibling_chunks(container)
    if not chunks:
        return body
    order = {el: i for i, el in enumerate(tree.iter())}
    seen = {normal(line) for line in lines}
    # blank lines left out, so that a block cut in two at a <br> is seen as its two lines
    whole = normal(" ".join(line.removeprefix("- ") for line in lines))
    added = []
    # Only chunks after the body: same-class boxes before it are summaries and teasers.
    for chunk in (c for c in chunks if order[c] > order[container]):
        if is_teaser_box(chunk) or is_comment_box(chunk, shared_ancestor(chunk, container)):
            continue
        for text in chunk_paragraphs(chunk):
            if text not in seen and text not in whole:
                seen.add(text)
                added.append(text)
    return "\n".join(lines + added)


#: a class token or id that names a story's standfirst ("lead", "article__lead", "lead-text",
#: "c-summary", "ue-c-article__standfirst", "dek", "subtitle", "intro")
STANDFIRST_MARK = re.compile(r"(?:^|__|[_-])(?:lead|lede|standfirst|intro|summary|dek|subtitle)(?:[_-]{0,2}text)?$",
                             re.I)
#: a standfirst is a sentence or two: at least this many words ...
STANDFIRST_MIN_WORDS = 8
#: ... and at most this many characters
STANDFIRST_MAX_CHARS = 800
#: at most this share of its characters are link text
STANDFIRST_MAX_LINKED = 0.3
#: words of a class token that name some other box ("author-intro", "toc-summary",
#: "newsletter-intro", "cookie-banner__intro", "podcast-intro", "video-lead")
NOT_STANDFIRST = re.compile(r"author|bio|toc|contents|podcast|newsletter|signup|subscri|cookie|consent|banner|modal|"
                            r"promo|teaser|related|card|item|widget|sidebar|video|gallery|image|photo|media|audio|(?:^|[_-])ad[sv]?(?:$|[_-])",
                            re.I)
#: elements a standfirst does not hold (a lead box around a picture holds its caption)
_MEDIA = ".//figure | .//figcaption | .//img | .//picture | .//video | .//script"


def standfirst(container: Any) -> list[str] | None:
    """The lines of a story's standfirst, when the pass left it out: the nearest element
    before the body container, beside it under the same parent, whose class or id names a
    lead (:data:`STANDFIRST_MARK`, not another box: :data:`NOT_STANDFIRST`), when its text
    is a sentence or two of prose (:data:`STANDFIRST_MIN_WORDS` words, ending like a
    sentence, few links) and it holds no picture, caption or script. Only that nearest
    marked element is read: if it fails, there is no standfirst.

    Templates put the lead in a box of its own before the box of the paragraphs, and the
    recall pass then keeps only the paragraphs. A dek or summary further away, in the
    page's header, is left alone: the annotators of the benchmark and of most English news
    count it out (on the development sets, with a first, wider version of this rule, 12 of the
    15 leads found right beside the body were main text, 13 of the 26 found further up).

    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    """
    for element in container.itersiblings(preceding=True):
        if not isinstance(element.tag, str):
            continue
        marks = [mark for mark in [*(element.get("class") or "").split(), element.get("id") or ""] if mark]
        if not any(STANDFIRST_MARK.search(mark) for mark in marks):
            continue
        if any(NOT_STANDFIRST.search(mark) for mark in marks) or element.xpath(_MEDIA):
            return None
        blocks = [el for el in element.iter("p") if next(el.iterdescendants("p"), None) is None] or [element]
        lines = [line for block in blocks for line in text_lines(block)]
        text = " ".join(lines)
        linked = sum(len(normal(link.text_content())) for link in element.iter("a"))
        if (not text or len(text) > STANDFIRST_MAX_CHARS or len(text.split()) < STANDFIRST_MIN_WORDS
                or text[-1] not in ".!?\"”»…)" or linked > STANDFIRST_MAX_LINKED * len(text)):
            return None
        return lines
    return None


def add_standfirst(tree: Any, container: Any | None, body: str) -> str:
    """The body with its standfirst (:func:`standfirst`) first, when the body lacks it
    (compared without whitespace, so a lead the body holds in other line breaks is not
    repeated).

    :param tree: the parsed page
    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    :param body: extracted text, one paragraph per line
    """
    if container is None or not body:
        return body
    lines = standfirst(container)
    if not lines or "".join(lines[0].split())[:50] in "".join(body.split()):
        return body
    return "\n".join([*lines, body])


def text_lines(element: Any) -> list[str]:
    """An element's text split at ``<br>``, each line whitespace-collapsed, blanks dropped.

    :param element: any element
    """
    parts = []
    for node in element.xpath(".//text() | .//br"):
        parts.append("\n" if getattr(node, "tag", None) == "br" else str(node))
    return [line for line in (normal(piece) for piece in "".join(parts).split("\n")) if line]


def quote_lines(quote: Any) -> list[str]:
    """The lines of a ``<blockquote>``: its paragraphs and list items, then any text after them (a tweet's credit line).

    :param quote: a blockquote element
    """
    blocks = [el for el in quote.iter("p", "li") if next(el.iterdescendants("p", "li"), None) is None]
    paragraphs = [line for block in blocks for line in text_lines(block)]
    rest = normal(quote.text_content())
    for paragraph in paragraphs:
        rest = rest.replace(paragraph, "", 1)
    rest = normal(rest)
    return paragraphs + ([rest] if rest else [])


def restore_quotes(container: Any | None, body: str) -> str:
    """Put back the quotes and embedded posts of the body container that extraction dropped.

    A ``<blockquote>`` (a pull quote, an embedded tweet) inside the container
    of the extracted paragraphs is part of the story as published; trafilatura's
    precision pass drops many. Each missing one is inserted before the first
    extracted paragraph that follows it on the page; one with no extracted
    paragraph after it is left out (it closes the page, not the story).

    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    :param body: extracted text, one paragraph per line
    """
    if container is None:
        return body
    lines = body.split("\n")
    present = {normal(line): line for line in lines}
    whole = normal(body)
    insert_before: dict[str, list[str]] = {}
    pending: list[str] = []
    for el in container.iter("p", "blockquote"):
        if el.tag == "blockquote":
            missing = [line for line in quote_lines(el) if line not in whole and line not in pending]
            if missing and not any(a.tag == "blockquote" for a in el.iterancestors()):
                pending.extend(missing)
        elif not any(a.tag == "blockquote" for a in el.iterancestors()):
            text = normal(el.text_content())
            if text in present and pending:
                insert_before.setdefault(present[text], []).extend(pending)
                pending = []
    restored: list[str] = []
    for line in lines:
        restored.extend(insert_before.pop(line, []))
        restored.append(line)
    return "\n".join(restored)


#: this many siblings of one tag and class, each with a link, make a list of cards (teasers, comments)
MIN_CARDS = 3
#: a card longer than this (characters) is a section of a story, not a teaser
MAX_CARD_CHARS = 400
#: a link of this many words standing on its own reads as the headline of another page
MIN_HEADLINE_WORDS = 4
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def has_headline_link(card: Any) -> bool:
    """True when a card holds a link of :data:`MIN_HEADLINE_WORDS`+ words that stands on its own.

    The link stands on its own when it is the whole text of its parent or sits in
    or around a heading: a teaser's headline, not a link inside a sentence.

    :param card: an element
    """
    for link in card.iter("a"):
        text = normal(link.text_content())
        if len(text.split()) < MIN_HEADLINE_WORDS:
            continue
        parent = link.getparent()
        if (parent is not None and normal(parent.text_content()) == text) or parent.tag in HEADINGS \
                or any(el.tag in HEADINGS for el in link.iterdescendants()):
            return True
    return False


def card_texts(tree: Any, container: Any, lines: set[str]) -> set[str]:
    """The lines of a body that are texts of elements of repeated link cards outside the body container.

    A card is one of at least :data:`MIN_CARDS` siblings that share a tag and a
    class, each holding a headline link (:func:`has_headline_link`) and at most
    :data:`MAX_CARD_CHARS` characters: the teasers of a "more on this" column or a
    "latest news" box. Cards inside the body container, or holding it, are left
    alone, and so are blocks whose links sit inside their sentences (a story cut
    into same-class paragraphs). A line the page also shows outside the cards stays
    (:func:`shown_elsewhere`: the standfirst, when the list holds the story's own teaser).

    :param tree: the parsed page
    :param container: the element holding the extracted paragraphs
    :param lines: the body's lines, whitespace-normalised
    """
    groups: dict[tuple[Any, str, str], list[Any]] = {}
    for element in tree.xpath("//*[@class]"):
        parent = element.getparent()
        if parent is not None:
            groups.setdefault((parent, element.tag, element.get("class")), []).append(element)
    texts: set[str] = set()
    in_cards: set[Any] = set()
    for (parent, _, _), cards in groups.items():
        if len(cards) < MIN_CARDS or is_inside(parent, container) or any(is_inside(container, c) for c in cards):
            continue
        wholes = []
        for card in cards:
            whole = normal(card.text_content())
            if len(whole) > MAX_CARD_CHARS:
                break
            wholes.append(whole)
        if len(wholes) < len(cards) or not any(line in whole for whole in wholes for line in lines):
            continue
        if not all(has_headline_link(card) for card in cards):
            continue
        for card in cards:
            for el in card.iter():
                if isinstance(el.tag, str):
                    in_cards.add(el)
                    text = normal(el.text_content())
                    if text in lines:
                        texts.add(text)
    return texts - shown_elsewhere(container, texts, in_cards)


#: a card line is looked for outside the cards this many levels above the body container at most
ELSEWHERE_REACH = 3
#: elements whose text is a link, a list item or navigation, not the story's own words
_NOT_STORY_TAGS = frozenset({"a", "li", "ul", "ol", "dl", "nav", "aside", "footer", "button", "option", "select"})


def shown_elsewhere(container: Any, texts: set[str], skip: set[Any]) -> set[str]:
    """Those of ``texts`` that are a sentence or more (:data:`STANDFIRST_MIN_WORDS` words)
    and also the whole text of an element near the body container (at most
    :data:`ELSEWHERE_REACH` levels above it) that is not in ``skip`` and not in a link, a
    list item or navigation.

    A list of cards often holds the page's own story too, its teaser the same words as
    the standfirst under the headline: that line is the story's, shown twice. Another
    story's headline in a "most read" list, a kicker or a date the story shows too stay
    card lines. Only elements whose first words start one of the texts are read whole.

    :param container: the element holding the extracted paragraphs
    :param texts: whitespace-normalised texts
    :param skip: the elements of the cards
    """
    texts = {text for text in texts if len(text.split()) >= STANDFIRST_MIN_WORDS}
    if not texts:
        return set()
    top = container
    for _ in range(ELSEWHERE_REACH):
        if top.getparent() is None:
            break
        top = top.getparent()
    heads = {text[:k] for text in texts for k in range(1, min(len(text), 40) + 1)}
    found: set[str] = set()
    for el in top.iter():
        if el in skip or not isinstance(el.tag, str) or el.tag in _NOT_STORY_TAGS:
            continue
        head = normal(next((chunk for chunk in el.itertext() if chunk.strip()), ""))[:40]
        if not head or head not in heads:
            continue
        whole = normal(el.text_content())
        if whole in texts and not _inside_any(el, top, _NOT_STORY_TAGS):
            found.add(whole)
    return found


def _inside_any(element: Any, top: Any, tags: frozenset[str]) -> bool:
    """Whether an ancestor of ``element`` below ``top`` has one of ``tags``."""
    for ancestor in element.iterancestors():
        if ancestor is top:
            return False
        if ancestor.tag in tags:
            return True
    return False


def drop_card_lines(tree: Any, container: Any | None, body: str) -> str:
    """Remove lines that are the whole text of an element of a list of link cards (see :func:`card_texts`).

    :param tree: the parsed page
    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    :param body: extracted text, one paragraph per line
    """
    if container is None or not body:
        return body
    cards = card_texts(tree, container, {normal(line.removeprefix("- ")) for line in body.split("\n")} - {""})
    if not cards:
        return body
    return "\n".join(line for line in body.split("\n") if normal(line.removeprefix("- ")) not in cards)


#: class or id of a teaser or recommendation box ("teaser", "teaser-absatz", "recommended", "related-link", "promo")
TEASER_MARK = re.compile(r"teaser|recommend|related|promo", re.I)


def inner_teaser_texts(container: Any, lines: set[str]) -> set[str]:
    """The body lines that come from teaser boxes inside the body container.

    Some templates put a teaser of another story (headline link, a line of summary,
    a picture) between the story's paragraphs. A box counts when its class or id
    names a teaser or recommendation (:data:`TEASER_MARK`), it holds a headline
    link that stands on its own (:func:`has_headline_link`) and at most
    :data:`MAX_CARD_CHARS` characters: a story's lead marked "teaser" has no such
    link and stays.

    :param container: the element holding the extracted paragraphs
    :param lines: the body's lines, whitespace-normalised
    """
    texts: set[str] = set()
    done: set[Any] = set()
    for box in container.iter():
        if not isinstance(box.tag, str) or box in done:
            continue
        if not TEASER_MARK.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
            continue
        whole = normal(box.text_content())
        if not whole or len(whole) > MAX_CARD_CHARS or not has_headline_link(box):
            continue
        for el in box.iter():
            if isinstance(el.tag, str):
                done.add(el)
                text = normal(el.text_content())
                if text in lines:
                    texts.add(text)
    return texts


def drop_inner_teasers(container: Any | None, body: str) -> str:
    """Remove lines of teaser boxes inside the body container (see :func:`inner_teaser_texts`).

    :param container: the element holding the extracted paragraphs (:func:`find_container`)
    :param body: extracted text, one paragraph per line
    """
    if container is None or not body:
        return body
    teasers = inner_teaser_texts(container, {normal(line.removeprefix("- ")) for line in body.split("\n")} - {""})
    if not teasers:
        return body
    return "\n".join(line for line in body.split("\n") if normal(line.removeprefix("- ")) not in teasers)
