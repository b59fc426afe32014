"""Article extraction: a fetched page in, an :class:`Article` (text + metadata) out.

The stages, in order (each a small function below):

1. **check the input** - empty, too large, binary, undecodable or not HTML
   pages stop here with a clear ``extraction_status`` and empty text;
2. **decode** bytes (declared charset, UTF-8, a guess, cp1252; see
   :mod:`newsarchive.nlp.extraction.decode`);
3. **extract the body** with trafilatura (:func:`extract_body`), once tables
   that lay out the page rather than hold data are made plain blocks
   (:mod:`newsarchive.nlp.extraction.tables`): a recall
   pass without fallback extractors, and, only when its text holds little
   prose or little of the ``articleBody`` the page declares in JSON-LD, a balanced
   pass with them, chosen by what each text is
   (:mod:`newsarchive.nlp.extraction.judge`: prose against links and boilerplate);
   on a page that declares itself a discussion thread
   (:mod:`newsarchive.nlp.extraction.threads`) the posts are the content: both
   passes read the replies too, the text with more prose wins, and comment
   boxes are not dropped as furniture;
4. **repair the body** against the page (:mod:`newsarchive.nlp.extraction.chunks`): put back
   quotes the pass dropped, add the rest of a story split over several
   same-class containers (not teaser boxes, not reader comments), drop runs of
   linked headlines, lines from the page's footer, comment thread, gallery or
   share bar (by tag or class/id; :func:`~newsarchive.nlp.extraction.clean.drop_furniture_lines`)
   lines from a column of teaser cards beside the story
   (:func:`~newsarchive.nlp.extraction.chunks.drop_card_lines`) and from teaser boxes
   inside it (:func:`~newsarchive.nlp.extraction.chunks.drop_inner_teasers`);
5. **remove news-page noise** that survives (:mod:`newsarchive.nlp.extraction.clean`, the
   patterns as data in :mod:`newsarchive.nlp.extraction.patterns`): audio players, "Read
   more" teasers, picture credits, newsletter and social prompts, breadcrumb
   trails, related headline lists, date stamps above the story, a repeated headline;
6. **read metadata** from JSON-LD and meta tags (:mod:`newsarchive.nlp.extraction.meta`),
   filling gaps from trafilatura's heuristics and htmldate; the publication
   date is the day the outlet shows (:mod:`newsarchive.nlp.extraction.dates`) and the
   language is checked against the text (:mod:`newsarchive.nlp.extraction.language`).

Why this pass and not trafilatura's default: measured on the development sets
and the benchmark (``bench/extraction.py``), the recall pass without fallbacks
keeps subheadings, lists and tables the precision pass drops, and costs about
half of trafilatura's default; the default's fallback comparison decides by
length and sometimes swaps a good text for a longer one of teasers or
captions, so it runs here only where the first text lacks prose and wins only
when its text is better prose (see BENCHMARKS.md for the trials).

``Article.text`` holds one paragraph (or heading, list item, quote) per line,
lines separated by a single ``"\\n"``, no blank lines.

:func:`extract_article` never raises on bad input.
"""

from __future__ import annotations

import logging
import re
from enum import StrEnum
from dataclasses import dataclass
from typing import Any

import trafilatura
from htmldate import find_date
from trafilatura import metadata as trafilatura_metadata

from newsarchive.nlp.extraction.chunks import (
    add_split_chunks,
    add_standfirst,
    drop_card_lines,
    drop_inner_teasers,
    find_container,
    restore_quotes,
)
from newsarchive.nlp.extraction.clean import drop_furniture_lines, drop_leading_date_stamps, drop_leading_title, drop_link_runs, headline_texts, link_texts, linked_items, remove_noise, MIN_LINK_RUN
from newsarchive.nlp.extraction.judge import count_words, coverage, prose_chars, quality, trigrams
from newsarchive.nlp.extraction.decode import decode_html, looks_binary, looks_like_html
from newsarchive.nlp.extraction.dates import in_utc, local_published
from newsarchive.nlp.extraction.heuristics import page_author, page_categories
from newsarchive.nlp.extraction.language import choose_language
from newsarchive.nlp.extraction.meta import PageMeta, clean_person_names, declared_body, parse_tree, read_page_meta
from newsarchive.nlp.extraction.tables import unwrap_layout_tables
from newsarchive.nlp.extraction.threads import is_thread_page

log = logging.getLogger(__name__)

# Share of U+FFFD replacement characters above which decoding is deemed to have failed.
MAX_REPLACEMENT_SHARE = 0.02
# A first pass with less prose than this (characters of sentences) gets a second pass with fallbacks.
MIN_PROSE_CHARS = 500
#: a first pass holding less than this share of the body the page declares in JSON-LD gets the second pass too
MIN_DECLARED_COVERAGE = 0.7
#: the second pass replaces the first when it holds this much more of the declared body
DECLARED_COVERAGE_GAIN = 0.2


@dataclass
class ExtractOptions:
    """How :func:`extract_article` works on a page.

    :param favor: ``"auto"`` (choose per page), ``"precision"``, ``"recall"`` or ``"balanced"``
    :param max_bytes: pages larger than this are refused as ``too_large``
    :param min_words: a body with fewer words is no article (a menu, a caption)
    :param include_tables: keep tables that belong to the article
    :param remove_noise: drop news-page furniture lines that survive extraction
    :param with_metadata: read title, byline, dates and the rest
    :param fast: never run the second pass (trafilatura's balanced pass with its
        fallback extractors, tried where the first text holds little prose): a little
        faster, lower F1 on the few pages where the first pass settles on a box
        (see BENCHMARKS.md)
    :param utc_dates: give datetimes in UTC (``+00:00``) instead of with the offset
        the page declares; the local publication day is then lost for evening stories
    """

    favor: str = "auto"
    max_bytes: int = 8_000_000
    min_words: int = 10
    include_tables: bool = True
    remove_noise: bool = True
    with_metadata: bool = True
    fast: bool = False
    utc_dates: bool = False


class ExtractionStatus(StrEnum):
    """Why extraction gave the text it gave: ``ok``, or the reason it stopped."""

    OK = "ok"
    EMPTY = "empty"
    NOT_HTML = "not_html"
    TOO_LARGE = "too_large"
    BAD_ENCODING = "bad_encoding"
    NO_ARTICLE = "no_article"
    ERROR = "error"


@dataclass
class Article:
    """One extracted article; ``text`` has one paragraph per line (``"\\n"``-separated).

    ``published_at`` / ``updated_at`` are ISO 8601: ``YYYY-MM-DD`` when only the
    day is known, else ``YYYY-MM-DDTHH:MM:SS`` with the UTC offset the page
    declares (``+00:00`` for UTC; none when the page gives none), so the date
    part is the day the outlet published the story (see :mod:`newsarchive.nlp.extraction.dates`;
    ``ExtractOptions(utc_dates=True)`` gives UTC instead).
    """

    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    site_name: str | None = None
    language: str | None = None
    description: str | None = None
    url: str | None = None
    section: str | None = None
    image: str | None = None
    extraction_status: str = ExtractionStatus.OK

    @property
    def word_count(self) -> int:
        """Number of words: ``\\w+`` runs, except that scripts written without
        spaces (Chinese, Japanese, Thai, ...) count one word per two characters."""
        return count_words(self.text)


def failed(status: str, url: str | None) -> Article:
    """An empty article carrying the reason extraction stopped.

    :param status: the reason, e.g. ``"empty"``
    :param url: the URL the page was fetched from
    """
    return Article(text="", url=url, extraction_status=status)


def page_text(page: str | bytes | None, options: ExtractOptions) -> tuple[str | None, str]:
    """Decode and check a page; returns (text, "ok") or (None, reason).

    :param page: the page as fetched
    :param options: extraction options (for the size limit)
    """
    if page is None or not isinstance(page, (str, bytes, bytearray)):
        return None, ExtractionStatus.EMPTY if page is None else ExtractionStatus.NOT_HTML
    if len(page) > options.max_bytes:
        return None, ExtractionStatus.TOO_LARGE
    if isinstance(page, (bytes, bytearray)):
        raw = bytes(page)
        if not raw.strip():
            return None, ExtractionStatus.EMPTY
        if looks_binary(raw):
            return None, ExtractionStatus.NOT_HTML
        text = decode_html(raw.replace(b"\x00", b""))  # stray NULs (few: see looks_binary) break parsers
    else:
        text = page.replace("\x00", "")
    if not text.strip():
        return None, ExtractionStatus.EMPTY
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(text):
        return None, ExtractionStatus.BAD_ENCODING
    if not looks_like_html(text):
        return None, ExtractionStatus.NOT_HTML
    return text, ExtractionStatus.OK


def extract_article(html: str | bytes, url: str | None = None, *, options: ExtractOptions | None = None) -> Article:
    """Extract the article body and metadata of a news page.

    Never raises on bad input: an unusable page gives empty text and an
    ``extraction_status`` naming the reason (``empty``, ``not_html``,
    ``too_large``, ``bad_encoding``, ``no_article``, ``error``).

    :param html: the page, as text or as fetched bytes
    :param url: the URL it was fetched from (resolves relative links, checks the canonical URL)
    :param options: how to extract; defaults to :class:`ExtractOptions`
    """
    options = options or ExtractOptions()
    text, status = page_text(html, options)
    if text is None:
        return failed(status, url)
    try:
        return extract_from_text(text, url, options)
    except Exception:  # noqa: BLE001 - a crawler must survive any page; the reason is logged
        log.exception("extraction failed for %s", url)
        return failed(ExtractionStatus.ERROR, url)


def extract_from_text(text: str, url: str | None, options: ExtractOptions) -> Article:
    """Run body extraction, noise removal and metadata reading on decoded HTML.

    :param text: the decoded page
    :param url: the URL it was fetched from
    :param options: extraction options
    """
    tree = parse_tree(text)
    if tree is None:
        return failed(ExtractionStatus.NOT_HTML, url)
    unwrap_layout_tables(tree)
    links = link_texts(tree)
    thread = is_thread_page(tree)
    body = extract_body(tree, url, options, links, thread)
    if body:
        container = find_container(tree, body)
        body = add_split_chunks(tree, container, restore_quotes(container, body))
        body = add_standfirst(tree, container, body)
        # list items (trafilatura writes them "- ...") are read from the page only when a run of them may be links
        items = linked_items(tree) if f"\n{body}".count("\n- ") >= MIN_LINK_RUN else frozenset()
        body = drop_link_runs(body, links, items)
        body = drop_furniture_lines(body, tree, container, thread)
        body = drop_card_lines(tree, container, body)
        body = drop_inner_teasers(container, body)
    if options.remove_noise:
        body = remove_noise(body)
    article = Article(text=body, url=url)
    if options.with_metadata:
        fill_metadata(article, read_page_meta(tree, url), tree)
        if options.utc_dates:
            article.published_at, article.updated_at = in_utc(article.published_at), in_utc(article.updated_at)
        article.text = drop_leading_title(article.text, article.title, headline_texts(tree))
        if options.remove_noise:  # date stamps that stood under the headline now open the text
            article.text = "\n".join(drop_leading_date_stamps(article.text.split("\n")))
    if article.word_count < options.min_words or is_link_list(article.text, links):
        article.text, article.extraction_status = "", ExtractionStatus.NO_ARTICLE
    return article


#: a text of this many lines or more, none of them a sentence of
#: :data:`SENTENCE_WORDS` words, and most of them (:data:`MIN_LINKED_SHARE`) the
#: whole text of a link, is a list of links, not an article
LINK_LIST_LINES = 10
SENTENCE_WORDS = 8
MIN_LINKED_SHARE = 0.5


def is_link_list(text: str, links: set[str] = frozenset()) -> bool:
    """Whether the text is only short lines, most of them links: a page of navigation, not prose.

    Short lines that are not links (a poem, song lyrics, a list of ingredients) are content.

    :param text: the extracted text, one paragraph per line
    :param links: the whitespace-normalised texts of the page's links
    """
    lines = [" ".join(line.removeprefix("- ").split()) for line in text.split("\n") if line.strip()]
    if len(lines) < LINK_LIST_LINES or max(count_words(line) for line in lines) >= SENTENCE_WORDS:
        return False
    return sum(line in links for line in lines) >= MIN_LINKED_SHARE * len(lines)


def run_trafilatura(tree: Any, url: str | None, options: ExtractOptions, favor: str, fast: bool = False,
                    comments: bool = False) -> Any | None:
    """One trafilatura pass over a page, body only (metadata is read apart, once).

    :param tree: the parsed page (trafilatura works on its own copy)
    :param url: the page URL
    :param options: extraction options
    :param favor: ``"precision"``, ``"recall"`` or ``"balanced"``
    :param fast: skip trafilatura's comparison with its fallback extractors
    :param comments: also extract the comments (a thread's posts; see :func:`thread_body`)
    """
    return trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=comments,
        include_tables=options.include_tables,
        favor_precision=favor == "precision",
        favor_recall=favor == "recall",
        with_metadata=False,
        deduplicate=False,
    )


def extract_body(tree: Any, url: str | None, options: ExtractOptions, links: set[str], thread: bool = False) -> str:
    """The body text chosen for a page.

    In ``auto`` mode a recall-oriented pass without trafilatura's fallback
    extractors gives the body. Only when that text holds little prose
    (under :data:`MIN_PROSE_CHARS` characters of sentences: the pass settled
    on a comment box, a menu, a caption) does trafilatura's balanced pass with
    its fallback extractors run, and its text replaces the first when it holds
    at least as much prose and weighs better by
    :func:`~newsarchive.nlp.extraction.judge.quality` (prose against links,
    boilerplate and short lines): a longer text of menus and teasers never wins
    by length, and a short story beats the same story buried in a playlist.
    The page's own declaration of its body (JSON-LD ``articleBody``) is evidence
    too: when the first text holds under :data:`MIN_DECLARED_COVERAGE` of its
    3-word sequences, the second pass runs, and wins when it holds
    :data:`DECLARED_COVERAGE_GAIN` more of them (the first pass settled on a
    caption or a box). The declaration itself is never the text: it may be cut
    short, carry markup, or lack the subheadings.
    ``ExtractOptions(fast=True)`` skips that fallback.
    On a discussion thread (``thread``) both passes read the replies
    (:func:`thread_body`), and the second wins when its text holds more prose.

    :param tree: the parsed page
    :param url: the page URL
    :param options: extraction options
    :param links: the whitespace-normalised texts of the page's links
    :param thread: the page is a discussion thread (:func:`~newsarchive.nlp.extraction.threads.is_thread_page`)
    """
    if options.favor != "auto":
        return body_text(run_trafilatura(tree, url, options, options.favor, fast=options.fast))
    if thread:
        first = thread_body(run_trafilatura(tree, url, options, "recall", fast=True, comments=True))
        if options.fast:
            return first
        other = thread_body(run_trafilatura(tree, url, options, "balanced", fast=False, comments=True))
        return other if prose_chars(other, links) > prose_chars(first, links) else first
    body = body_text(run_trafilatura(tree, url, options, "recall", fast=True))
    if options.fast:
        return body
    prose = prose_chars(body, links)
    declared = declared_body(tree)
    evidence = trigrams(declared) if declared else set()
    first_coverage = coverage(body, evidence)
    if prose >= MIN_PROSE_CHARS and first_coverage >= MIN_DECLARED_COVERAGE:
        return body
    other = body_text(run_trafilatura(tree, url, options, "balanced", fast=False))
    if evidence and coverage(other, evidence) >= first_coverage + DECLARED_COVERAGE_GAIN:
        return other
    if prose < MIN_PROSE_CHARS and prose_chars(other, links) >= prose and quality(other, links) > quality(body, links):
        return other
    return body


def thread_body(document: Any | None) -> str:
    """The text of a thread page: the opening post, then the replies trafilatura read as comments.

    A reply already in the text (the pass kept part of the thread) is not repeated.

    :param document: a trafilatura ``Document`` extracted with comments, or None
    """
    text = body_text(document)
    if document is None or not document.comments:
        return text
    seen = set(text.split("\n"))
    replies = [line for line in document.comments.split("\n") if line.strip() and line not in seen]
    return "\n".join(filter(None, [text, *replies]))


def body_text(document: Any | None) -> str:
    """The extracted text of a trafilatura document ("" for none).

    :param document: a trafilatura ``Document`` or None
    """
    return (document.text or "") if document is not None else ""


def fill_metadata(article: Article, meta: PageMeta, tree: Any) -> None:
    """Set an article's metadata: page declarations first, trafilatura's heuristics for the gaps.

    :param article: the article to fill in place
    :param meta: what the page declares (JSON-LD, meta tags)
    :param tree: the parsed page
    """
    article.title = clean_title(meta.title) or clean_title(trafilatura_metadata.extract_title(tree))
    authors = meta.authors or clean_person_names(page_author(tree))
    article.author = "; ".join(authors) or None
    article.published_at = meta.published or guessed_date(tree, meta.canonical or article.url)
    article.updated_at = meta.updated
    article.site_name = meta.site_name or site_name_fallback(tree)
    article.language = choose_language(meta.language, article.text)
    article.description = meta.description
    article.url = meta.canonical or article.url
    article.section = meta.section or first_item(page_categories(tree))
    article.image = meta.image


def site_name_fallback(tree: Any) -> str | None:
    """trafilatura's guess at the site name, without a Twitter handle's "@".

    :param tree: the parsed page
    """
    name = trafilatura_metadata.extract_sitename(tree)
    return name.lstrip("@") or None if name else None


def guessed_date(tree: Any, url: str | None) -> str | None:
    """The publication day htmldate finds in a page that declares none.

    :param tree: the parsed page
    :param url: the page URL (dates in URLs count)
    """
    try:
        # the quick search first; the extensive one (dates in free text) is slow
        found = find_date(tree, url=url, original_date=True, extensive_search=False)
        found = found or find_date(tree, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError):
        return None
    return local_published(found, tree, url)


def first_item(items: list[str] | None) -> str | None:
    """The first of a list of strings, if any.

    :param items: a list or None
    """
    return items[0] if items else None


def clean_title(title: str | None) -> str | None:
    """A title with whitespace collapsed (None when blank).

    :param title: a raw title
    """
    if not title:
        return None
    return re.sub(r"\s+", " ", title).strip() or None
