"""Is this page an article? For sources without an ``article_pattern``.

A page declares itself an article through Open Graph (``og:type`` of
``article``) or JSON-LD (an ``@type`` ending in ``Article`` or ``BlogPosting``,
e.g. ``NewsArticle``, ``ReportageNewsArticle``). Section, tag and author pages
declare ``website`` or nothing, and are not archived as articles.
"""

from __future__ import annotations

import json
import re

from parsel import Selector

ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|LiveBlogPosting)$")
HEAD_BYTES = 512 * 1024  # the declarations live in <head>; no need to parse a huge body


def declared_type(body: bytes) -> str | None:
    """``article`` if the page declares itself one, another ``og:type`` it
    declares (``website``), or ``None`` when it declares nothing."""
    try:
        selector = Selector(text=body[:HEAD_BYTES].decode("utf-8", errors="replace"))
    except ValueError:
        return None
    og_type = selector.xpath('//meta[@property="og:type"]/@content').get("").strip().lower()
    scripts = selector.xpath('//script[@type="application/ld+json"]/text()').getall()
    if og_type == "article" or any(_jsonld_is_article(script) for script in scripts):
        return "article"
    return og_type or None


def _jsonld_is_article(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return any(ARTICLE_TYPES.search(t) for t in _types(data))


def _types(data: object) -> list[str]:
    if isinstance(data, list):
        return [t for item in data for t in _types(item)]
    if not isinstance(data, dict):
        return []
    found = data.get("@type", [])
    types = [found] if isinstance(found, str) else [t for t in found if isinstance(t, str)]
    return types + _types(data.get("@graph", []))
