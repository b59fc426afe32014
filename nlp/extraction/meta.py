"""Read an article's metadata from what the page declares about itself.

Sources, most trusted first: schema.org JSON-LD (``NewsArticle`` and kin),
then ``<meta>`` tags (Open Graph, ``article:*``, Dublin Core, ``parsely-*``,
``sailthru.*``), then ``<time>`` elements and the ``<html lang>`` attribute.
trafilatura's heuristics and htmldate fill what is left; that merge happens in
:mod:`newsarchive.nlp.extraction.core`. Bylines keep people only (:func:`clean_person_names`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urljoin

from lxml import html as lxml_html
from trafilatura.utils import load_html

from newsarchive.nlp.extraction.sites import same_site
from newsarchive.nlp.extraction.dates import local_published, normalise_date, plausible_date
from newsarchive.nlp.extraction.patterns import BYLINE_NOISE, NON_PERSON_BYLINES, NON_PERSON_WORDS

ARTICLE_TYPES = {
    "article", "newsarticle", "reportage", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting",
    "report", "scholarlyarticle", "techarticle", "socialmediaposting", "webpage",
}
# Meta tag names/properties per field, most trusted first.
META_KEYS: dict[str, tuple[str, ...]] = {
    "published": (
        "article:published_time", "og:article:published_time", "datepublished",
        "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.created", "dc.date",
        "pubdate", "publishdate", "publish-date", "date", "article.published", "cxenseparse:recs:publishtime",
    ),
    "updated": (
        "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
        "last-modified", "article.updated", "lastmod",
    ),
    "title": ("og:title", "twitter:title", "parsely-title", "dc.title", "headline"),
    "author": ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"),
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "site_name": ("og:site_name", "application-name"),
    "section": ("article:section", "parsely-section", "section", "category", "sailthru.tags"),
    "image": ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src", "thumbnailurl"),
    "language": ("og:locale", "content-language", "language", "dc.language"),
}
JSONLD_KEYS: dict[str, tuple[str, ...]] = {
    "published": ("datePublished", "dateCreated", "uploadDate"),
    "updated": ("dateModified",),
    "title": ("headline", "name"),
    "description": ("description",),
    "section": ("articleSection",),
}
LANG_CODE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.I)
NON_PERSON = [re.compile(rf"^\s*{p}\s*$", re.I) for p in NON_PERSON_BYLINES]
BYLINE_CLEANERS = [re.compile(p, re.I) for p in BYLINE_NOISE]
NAME_SPLIT = re.compile(r"\s*(?:;|,|\b(?:and|And|AND)\b|&|\||/|\.\s+(?=[A-Z][a-z]+\s+[A-Z]))\s*")


@dataclass
class PageMeta:
    """Metadata a page declares; every field optional."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    site_name: str | None = None
    language: str | None = None
    description: str | None = None
    canonical: str | None = None
    section: str | None = None
    image: str | None = None


def clean_person_names(raw: str | None) -> list[str]:
    """People's names from a byline string; organisations and staff labels dropped.

    :param raw: an author string as a page gives it ("By Jane Doe and John Roe, Reuters")
    """
    if not raw:
        return []
    text = re.sub(r"\s+", " ", raw).strip()
    for cleaner in BYLINE_CLEANERS:
        text = cleaner.sub("", text).strip()
    names = []
    for part in NAME_SPLIT.split(text):
        part = re.sub(r"^by\s+", "", part.strip(" .,:-–—"), flags=re.I)
        if part.isupper():
            part = part.title()  # "DANICA KIRKA" -> "Danica Kirka"
        if is_person_name(part) and part not in names:
            names.append(part)
    return names


def is_person_name(name: str) -> bool:
    """True when a string looks like a person's name: 2-5 words, no organisation words.

    :param name: one candidate name
    """
    if not name or any(p.match(name) for p in NON_PERSON) or name.startswith("http"):
        return False
    words = name.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in name):
        return False
    if any(w.lower().strip(".,") in NON_PERSON_WORDS for w in words):
        return False
    # A name's words are capitalised (particles like "van", "de", "bin" aside).
    return sum(1 for w in words if w[:1].isupper()) >= 2


def parse_tree(text: str) -> Any | None:
    """An lxml tree of a page (parsed as trafilatura does), or None when there is none.

    :param text: the decoded page
    """
    try:
        return load_html(text)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def iter_jsonld(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of a page, flattening ``@graph`` and lists.

    :param tree: the parsed page
    """
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except (ValueError, RecursionError):
            continue
        yield from flatten_jsonld(data)


def flatten_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    """Objects in a JSON-LD value, depth-first, including ``@graph`` members.

    :param data: parsed JSON
    """
    if isinstance(data, list):
        for item in data:
            yield from flatten_jsonld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from flatten_jsonld(data["@graph"])
        if isinstance(data.get("mainEntity"), dict):
            yield from flatten_jsonld(data["mainEntity"])


def jsonld_types(obj: dict[str, Any]) -> set[str]:
    """The lower-cased ``@type`` values of a JSON-LD object.

    :param obj: one JSON-LD object
    """
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def article_jsonld(tree: Any) -> dict[str, Any] | None:
    """The page's article JSON-LD object (a NewsArticle before a bare WebPage).

    :param tree: the parsed page
    """
    best, best_rank = None, 99
    for obj in iter_jsonld(tree):
        kinds = jsonld_types(obj) & ARTICLE_TYPES
        if not kinds:
            continue
        rank = 1 if kinds == {"webpage"} else 0
        if rank < best_rank:
            best, best_rank = obj, rank
    return best


#: a declared article body shorter than this (characters) is a summary or a paywall stub, no evidence
MIN_DECLARED_BODY_CHARS = 500


def declared_body(tree: Any) -> str | None:
    """The longest ``articleBody`` the page's JSON-LD declares, when it is long enough to be the story.

    :param tree: the parsed page (None: no page, no evidence)
    """
    if tree is None:
        return None
    bodies = [obj["articleBody"] for obj in iter_jsonld(tree) if isinstance(obj.get("articleBody"), str)]
    best = max(bodies, key=len, default="")
    return html.unescape(best) if len(best) >= MIN_DECLARED_BODY_CHARS else None


def jsonld_text(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a list or an object.

    HTML entities are decoded: CMSs often write ``&#8217;`` into JSON-LD strings.

    :param value: the value of a JSON-LD property
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    return html.unescape(str(value)).strip() if value else None


def jsonld_authors(obj: dict[str, Any]) -> list[str]:
    """Names of the people in a JSON-LD ``author`` (organisations skipped).

    :param obj: the article JSON-LD object
    """
    value = obj.get("author") or obj.get("creator")
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if "organization" in jsonld_types(item) or "newsmediaorganization" in jsonld_types(item):
                continue
            item = item.get("name")
        if isinstance(item, str):
            names += [n for n in clean_person_names(item) if n not in names]
    return names


def meta_values(tree: Any) -> dict[str, str]:
    """First value of every ``<meta>`` tag, keyed by lower-cased name or property.

    :param tree: the parsed page
    """
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        content = meta.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), html.unescape(content).strip())
    return values


def first_meta(values: dict[str, str], field_name: str) -> str | None:
    """The first meta value among the keys listed for a field.

    :param values: from :func:`meta_values`
    :param field_name: a key of :data:`META_KEYS`
    """
    for key in META_KEYS[field_name]:
        if values.get(key):
            return values[key]
    return None


def first_jsonld(obj: dict[str, Any] | None, field_name: str) -> str | None:
    """The first JSON-LD value among the properties listed for a field.

    :param obj: the article JSON-LD object
    :param field_name: a key of :data:`JSONLD_KEYS`
    """
    if not obj:
        return None
    for key in JSONLD_KEYS[field_name]:
        text = jsonld_text(obj.get(key))
        if text:
            return text
    return None


def page_language(tree: Any, metas: dict[str, str]) -> str | None:
    """The ISO 639-1 code from ``<html lang>`` or a language meta tag.

    :param tree: the parsed page
    :param metas: from :func:`meta_values`
    """
    for value in (tree.get("lang"), tree.get("xml:lang"), first_meta(metas, "language")):
        match = LANG_CODE.match((value or "").strip())
        if match:
            return match.group(1).lower()
    return None


def canonical_link(tree: Any, url: str | None) -> str | None:
    """The page's canonical URL when it is on the same site as ``url``.

    A canonical pointing at another site (syndication, a misconfigured CMS) is
    ignored, as the brief of the archive keys articles by their own site.

    :param tree: the parsed page
    :param url: the URL the page was fetched from
    """
    hrefs = tree.xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')
    hrefs += [v for v in tree.xpath('//meta[@property="og:url"]/@content')]
    for href in hrefs:
        href = href.strip()
        if not href:
            continue
        absolute = urljoin(url or "", href)
        if not absolute.startswith(("http://", "https://")):
            continue
        if url is None or same_site(absolute, url):
            return absolute
    return None


def declared_date(ld: dict[str, Any] | None, metas: dict[str, str], field_name: str) -> str | None:
    """The first readable date declared for a field, JSON-LD before meta tags.

    :param ld: the article JSON-LD object
    :param metas: from :func:`meta_values`
    :param field_name: ``"published"`` or ``"updated"``
    """
    for value in (first_jsonld(ld, field_name), first_meta(metas, field_name)):
        if value and plausible_date(normalise_date(value)):
            return value
    return None


def time_element_date(tree: Any) -> str | None:
    """The first ``<time datetime>`` marked as the publication time, or the first one.

    :param tree: the parsed page
    """
    marked = tree.xpath('//time[@itemprop="datePublished" or contains(@class,"publish") or @pubdate]/@datetime')
    any_time = tree.xpath("//article//time/@datetime") or tree.xpath("//time/@datetime")
    for value in marked + any_time[:1]:
        if plausible_date(normalise_date(value)):
            return value
    return None


def read_page_meta(tree: Any, url: str | None) -> PageMeta:
    """Everything the page declares about the article, from JSON-LD and meta tags.

    :param tree: the parsed page
    :param url: the URL the page was fetched from
    """
    ld = article_jsonld(tree)
    metas = meta_values(tree)
    meta = PageMeta()
    meta.published = local_published(declared_date(ld, metas, "published") or time_element_date(tree), tree, url)
    meta.updated = plausible_date(normalise_date(declared_date(ld, metas, "updated")))
    meta.title = first_jsonld(ld, "title") or first_meta(metas, "title")
    meta.authors = (jsonld_authors(ld) if ld else []) or clean_person_names(first_meta(metas, "author"))
    meta.description = first_meta(metas, "description") or first_jsonld(ld, "description")
    meta.site_name = first_meta(metas, "site_name")
    if ld and not meta.site_name:
        meta.site_name = jsonld_text(ld.get("publisher"))
    meta.section = first_jsonld(ld, "section") or first_meta(metas, "section")
    image = first_meta(metas, "image") or (jsonld_text(ld.get("image")) if ld else None)
    meta.image = urljoin(url or "", image) if image else None
    meta.language = page_language(tree, metas)
    meta.canonical = canonical_link(tree, url)
    return meta
