"""trafilatura's byline and category guesses, found without its slow XPath tests.

For pages that declare no author or section, :mod:`newsarchive.nlp.extraction.core`
falls back on trafilatura's heuristics (``trafilatura.metadata.extract_author`` and
``extract_catstags("category", ...)``). Their XPath expressions test class and id
values with EXSLT regular expressions, which lxml answers by calling back into
Python for every element of the page; and the byline lookup first deep-copies
the whole page to prune it. On a page that declares neither, that was about a
seventh of our extraction time.

This module gives the same answers (checked page by page against trafilatura on
every page of the benchmark and the development sets, and by tests):

- each regular expression there is a plain alternation of literals, optionally
  anchored at the start: the byline tests are made in Python on the few elements
  whose class, id or other attribute holds one of those literals (the page's
  attribute values are read in one XPath, as strings), and the category test is
  written as ``starts-with()`` tests that libxml2 evaluates natively;
- instead of pruning a copy of the page, a candidate byline element inside a
  pruned box (comments, sidebar, ``<time>``, ``<figure>``...) is skipped, and
  only a candidate that *holds* such a box is copied and pruned, so its text is
  read as trafilatura reads it.

Pages where the shortcut could differ (a tree that is not the root of its
document, a ``<rel>`` child element, which one of trafilatura's tests reads)
are handed to trafilatura itself.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from lxml.etree import XPath
from trafilatura import metadata as trafilatura_metadata
from trafilatura.baseline import block_text
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.utils import line_processing
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, CATEGORIES_XPATHS


def any_of(attribute: str, how: str, values: str) -> str:
    """An XPath ``or`` of ``how(@attribute, 'value')`` tests, one per space-separated value.

    :param attribute: the attribute name
    :param how: ``contains`` or ``starts-with``
    :param values: the literal values
    """
    return " or ".join(f"{how}(@{attribute},'{value}')" for value in values.split())


#: every element a byline test or a pruning test may pick, in page order: its attribute values
#: first (strings, cheap), only the few that can pass a test turned into elements
BYLINE_SCAN = XPath("//@class | //@id | //@itemprop | //@rel | //@data-testid | //@data-component "
                    "| //author | //time | //figure")
#: every attribute value some test below can accept holds one of these (the tests decide)
BYLINE_WORDS = re.compile(
    "author|Author|omment|ProductReviews|sidebar|is-hidden|quote|embedly-instagram|article-s|print|category|"
    "meta-date|meta-reviewer|Figure|Byline|byl|BBL|username|screenname|writer|zuozhe|bianji|xiaobian|"
    "channel-name|submitted-by|posted-by|journalist-name|^title$|^date$"
)
#: class words of boxes pruned before the byline is looked for (comment lists, sidebars, quotes, share bars...)
PRUNED_CLASS_WORDS = ("commentlist", "comments-list", "sidebar", "is-hidden", "quote", "embedly-instagram",
                      "article-share", "article-support", "print", "category", "meta-date", "meta-reviewer")
PRUNED_ID_WORDS = ("commentlist", "comment-list", "ProductReviews")
#: the three byline tests, most specific first: tags they look at, and words of class or id
SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
SPECIFIC_CLASS_WORDS = ("author-name", "authorname", "AuthorName", "authorName")
COMMON_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
COMMON_CLASS_WORDS = ("author", "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by",
                      "journalist-name")
COMMON_ID_WORDS = ("author", "zuozhe", "bianji", "xiaobian")
ANY_CLASS_WORDS = ("Author", "author", "screenname", "writer", "Byline", "byline")
PRUNED_TAGS = frozenset({"a", "div", "section", "span"})


def is_pruned_box(element: Any) -> bool:
    """True for a box trafilatura takes out of a page before looking for its byline.

    :param element: an element other than the page root
    """
    if element.tag in ("time", "figure"):
        return True
    if element.tag not in PRUNED_TAGS:
        return False
    ident, klass, component = element.get("id"), element.get("class"), element.get("data-component")
    if ident == "comments" or klass in ("comments", "title", "date"):
        return True
    if ident is not None and (ident.startswith("comments") or any(w in ident for w in PRUNED_ID_WORDS)):
        return True
    if klass is not None and (klass.startswith(("Comments", "comments")) or any(w in klass for w in PRUNED_CLASS_WORDS)):
        return True
    return component is not None and "Figure" in component


def byline_level(element: Any) -> int | None:
    """Which byline test an element passes first (0 most specific, 2 last resort), or None.

    :param element: any element
    """
    tag = element.tag
    if tag == "author":
        return 0
    klass, ident, itemprop = element.get("class"), element.get("id"), element.get("itemprop")
    if tag in SPECIFIC_TAGS and (
        element.get("rel") == "author" or ident == "author" or klass == "author" or itemprop == "author name"
        or element.get("data-testid") in ("AuthorCard", "AuthorURL")
        or (klass is not None and any(w in klass for w in SPECIFIC_CLASS_WORDS))
    ):
        return 0
    in_itemprop = itemprop is not None and "author" in itemprop
    if tag in COMMON_TAGS and (
        klass in ("byline", "username", "byl", "BBL") or in_itemprop
        or (ident is not None and any(w in ident for w in COMMON_ID_WORDS))
        or (klass is not None and any(w in klass for w in COMMON_CLASS_WORDS))
    ):
        return 1
    component = element.get("data-component")
    if (component is not None and "Byline" in component) or in_itemprop \
            or (ident is not None and ("Author" in ident or "author" in ident)) \
            or (klass is not None and any(w in klass for w in ANY_CLASS_WORDS)):
        return 2
    return None


MAX_BYLINE_CHARS = 120
#: containers of a post's categories, in trafilatura's order (the first that gives a link to a category
#: wins): its first expression, the only one with regular expressions, rewritten; the others as they are
CATEGORY_LINKS = (
    XPath(
        "//div[" + any_of("class", "starts-with", "post-info postinfo post-meta postmeta meta entry-meta "
                                                  "entry-info entry-utility")
        + " or starts-with(@id,'postpath')]//a[@href]"
    ),
    *CATEGORIES_XPATHS[1:],
)
CATEGORY_HREF = re.compile("/categor(?:y|ies|s)?/")
#: where no category link is found: the section a ``<head>`` meta tag names (``article:section``, ``*subject*``)
SECTION_META = XPath(".//head//meta[@content][@property='article:section' or contains(@name,'subject')]")


def is_document_root(tree: Any) -> bool:
    """True when ``tree`` is the root element of its document (not a fragment's wrapper).

    :param tree: the parsed page
    """
    return tree.getroottree().getroot() is tree


def pruned_text(element: Any, pruned: set[Any]) -> str:
    """An element's text as it reads once the pruned boxes are taken out (their tails stay).

    :param element: a candidate not inside a pruned box
    :param pruned: the pruned boxes of the page
    """
    if any(inner in pruned for inner in element.iterdescendants(*PRUNED_TAGS, "time", "figure")):
        element = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
    return " ".join(" ".join(element.itertext()).split())


def page_author(tree: Any) -> str | None:
    """The byline trafilatura's heuristics find in a page (as ``extract_author`` returns it).

    :param tree: the parsed page
    """
    if not is_document_root(tree) or tree.find(".//rel") is not None:
        return trafilatura_metadata.extract_author(tree)
    elements: dict[Any, None] = {}
    for node in BYLINE_SCAN(tree):
        if not isinstance(node, str):
            elements.setdefault(node, None)
        elif BYLINE_WORDS.search(node):
            elements.setdefault(node.getparent(), None)
    pruned = {element for element in elements if element is not tree and is_pruned_box(element)}
    levels: list[list[Any]] = [[], [], []]
    for element in elements:
        level = byline_level(element)
        if level is not None:
            levels[level].append(element)
    for candidates in levels:
        for element in candidates:
            if element in pruned or any(a in pruned for a in element.iterancestors()):
                continue
            text = pruned_text(element, pruned)
            if 2 < len(text) < MAX_BYLINE_CHARS:
                return normalize_authors(None, text)
    return None


#: every class value one of :data:`CATEGORY_LINKS` accepts starts with one of these, is one of
#: :data:`CATEGORY_CLASSES` or holds "cat-links"; every id value starts with one of :data:`CATEGORY_ID_STARTS`
CATEGORY_CLASS_STARTS = ("post-info", "postinfo", "post-meta", "postmeta", "meta", "entry-")
CATEGORY_CLASSES = frozenset({"post-category", "postcategory", "row", "tags"})
CATEGORY_ID_STARTS = ("postpath", "filedunder")
CLASS_VALUES = XPath("//@class", smart_strings=False)
ID_VALUES = XPath("//@id", smart_strings=False)


def may_hold_category_links(tree: Any) -> bool:
    """False when no class or id of the page is one that :data:`CATEGORY_LINKS` look for
    (most pages): reading the values as plain strings is cheaper than the six searches.

    :param tree: the parsed page
    """
    if any(value.startswith(CATEGORY_ID_STARTS) for value in ID_VALUES(tree)):
        return True
    return any(value.startswith(CATEGORY_CLASS_STARTS) or value in CATEGORY_CLASSES or "cat-links" in value
               for value in set(CLASS_VALUES(tree)))


def page_categories(tree: Any) -> list[str]:
    """The categories trafilatura's heuristics find in a page (as ``extract_catstags("category", ...)``).

    :param tree: the parsed page
    """
    found: list[str] = []
    for expression in CATEGORY_LINKS if may_hold_category_links(tree) else ():
        found = [block_text(link) for link in expression(tree) if CATEGORY_HREF.search(link.attrib["href"])]
        if found:
            break
    if not found:
        found = [meta.attrib["content"] for meta in SECTION_META(tree)]
    cleaned = (line_processing(text) for text in found if text)
    return [text for text in dict.fromkeys(cleaned) if text]
