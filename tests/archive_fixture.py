"""A small, realistic archive built through the store, without crawling or spaCy.

:func:`build_archive` writes two outlets, a finished and a failed crawl, five
articles (three about e-mails for the US military sent to Mali's ``.ml``,
one on Mali's politics, one about weather whose text holds markup that must
never be rendered), and their entities with real offsets, as the entity
extractor would give them (``newsarchive.nlp.entities.extract.Entity``/``Mention``,
``newsarchive.nlp.entities.domains.DomainInfo``). Tests of the Datasette pages use it where the
crawled demo archive would be slower or less exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from newsarchive.archive.store import CrawlStats, Store
from newsarchive.archive.sources import Source
from newsarchive.nlp.entities.domains import DomainInfo
from newsarchive.nlp.entities.extract import Entity, Mention
from newsarchive.nlp.extraction.core import Article

MODEL = "fixture"
FETCHED = "2024-03-20T09:00:00+00:00"
HOSTILE_TEXT = '<script>alert("x")</script> and <b>bold</b> & <a href="javascript:alert(1)">link</a>'


@dataclass(frozen=True)
class Named:
    """An entity as the fixture declares it: what it is and the words naming it."""

    kind: str
    name: str
    key: str
    country_code: str | None
    forms: tuple[str, ...]
    domain: DomainInfo | None = None


MALI = Named("country", "Mali", "ML", "ML", ("Mali", "Malian"))
US = Named("country", "United States", "US", "US", ("United States", "US"))
MOD = Named("organisation", "Ministry of Defence", "ministry of defence", "GB", ("Ministry of Defence", "MoD"))
PENTAGON = Named("organisation", "Department of Defense", "department of defense", "US", ("Pentagon",))
ZUURBIER = Named("person", "Johannes Zuurbier", "johannes zuurbier", None, ("Johannes Zuurbier", "Zuurbier"))
BAMAKO = Named("place", "Bamako", "bamako", "ML", ("Bamako",))
DOT_ML = Named("domain", ".ml", ".ml", "ML", (".ml",),
               DomainInfo(".ml", "ml", None, "ML", ".mil", "omission", 1))
DOT_MIL = Named("domain", ".mil", ".mil", None, (".mil",), DomainInfo(".mil", "mil", None))
ARMY_ML = Named("email", "someone@army.ml", "someone@army.ml", "ML", ("someone@army.ml",),
                DomainInfo("army.ml", "ml", "army.ml", "ML", "army.mil", "omission", 1))

ARTICLES = [
    {
        "source": "Capital Dispatch", "path": "/2024/03/11/pentagon-mail-mali",
        "published_at": "2024-03-11T10:00:00+00:00", "author": "Jordan Vance",
        "title": "Pentagon email meant for .mil went to Mali",
        "text": ("Millions of emails meant for the US military's .mil domain were sent to Mali's .ml "
                 "domain by a typing error.\nJohannes Zuurbier, who manages the .ml domain, warned the "
                 "Pentagon for years.\nAn address like someone@army.ml is one letter from the real one."),
        "named": [MALI, US, DOT_ML, DOT_MIL, ZUURBIER, PENTAGON, ARMY_ML],
    },
    {
        "source": "Harbour Herald", "path": "/news/mod-emails-mali",
        "published_at": "2024-03-14T08:30:00+00:00", "author": "Imogen Strachey",
        "title": "Ministry of Defence emails sent to Mali by mistake",
        "text": ("The Ministry of Defence said emails for the US military went to Mali instead.\n"
                 "The MoD blamed the .ml suffix, one letter away from .mil, and said Zuurbier had "
                 "raised the alarm.\nMalian officials did not comment."),
        "named": [MOD, MALI, US, DOT_ML, DOT_MIL, ZUURBIER],
    },
    {
        "source": "Harbour Herald", "path": "/news/mod-mali-what-we-know",
        "published_at": "2024-03-18T07:00:00+00:00", "author": "Imogen Strachey",
        "title": "MoD emails to Mali: what we know",
        "text": ("A week after the Ministry of Defence admitted its mistake, emails for .mil still reach "
                 ".ml addresses in Mali.\nThe MoD says its filters now stop them."),
        "named": [MOD, MALI, DOT_ML, DOT_MIL],
    },
    {
        "source": "Capital Dispatch", "path": "/2024/03/05/bamako-junta-vote",
        "published_at": "2024-03-05T16:00:00+00:00", "author": "Marisol Akers",
        "title": "Mali's junta delays the vote again",
        "text": ("Mali's military rulers in Bamako said on Tuesday that the election would be delayed.\n"
                 "The United States called for a date to be set."),
        "named": [MALI, BAMAKO, US],
    },
    {
        "source": "Capital Dispatch", "path": "/2024/03/19/heatwave-markup",
        "published_at": "2024-03-19T12:00:00+00:00", "author": None,
        "title": "Heat advisory <b>extended</b>",
        "text": f"Forecasters extended the heat advisory.\nThe page's raw text read: {HOSTILE_TEXT}",
        "named": [],
    },
]

SOURCES = {
    "Capital Dispatch": "https://dispatch.example/",
    "Harbour Herald": "https://herald.example/",
}


def mentions_of(named: Named, full_text: str) -> list[Mention]:
    """Every occurrence of the entity's forms as whole words in ``full_text``,
    in text order, each with its sentence (the line it is on)."""
    found = []
    for form in named.forms:
        pattern = rf"(?<![\w.@]){re.escape(form)}(?![\w@]|\.\w)"
        for match in re.finditer(pattern, full_text):
            found.append(Mention(form, match.start(), match.end(), _line_at(full_text, match.start())))
    return sorted(found, key=lambda m: m.start)


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)]


def entities_of(article: dict) -> list[Entity]:
    """The entities of one fixture article, as the extractor returns them."""
    full_text = f"{article['title']}\n\n{article['text']}"
    entities = []
    for named in article["named"]:
        mentions = mentions_of(named, full_text)
        assert mentions, f"{named.name} not found in {article['title']!r}"
        aliases = sorted({m.text for m in mentions} - {named.name})
        entities.append(Entity(named.kind, named.name, named.key, named.country_code, aliases, mentions,
                               named.domain))
    return entities


def build_archive(path: str | Path) -> Path:
    """Write the fixture archive at ``path`` (a new file) and return the path."""
    path = Path(path)
    with Store(path) as store:
        store.save_sources([Source(name=name, homepage=home) for name, home in SOURCES.items()])
        _crawl(store, "Capital Dispatch", "finished", [])
        _crawl(store, "Harbour Herald", "failed", ["https://herald.example/news/ 503 Service Unavailable"])
        saved = []
        for article in ARTICLES:
            url = SOURCES[article["source"]].rstrip("/") + article["path"]
            record = Article(text=article["text"], title=article["title"], author=article["author"],
                             published_at=article["published_at"], language="en", url=url)
            article_id, _ = store.save_article(article["source"], url, record, FETCHED)
            saved.append((article_id, entities_of(article)))
        store.save_entities(saved, MODEL)
    return path


def _crawl(store: Store, source: str, status: str, errors: list[str]) -> int:
    """One closed ``crawls`` row for ``source``."""
    crawl_id = store.start_crawl(source)
    stats = CrawlStats(pages_fetched=3, articles_new=3 - len(errors), errors=len(errors))
    store.finish_crawl(crawl_id, stats, status, errors)
    return crawl_id


def link_stories(path: str | Path) -> int:
    """Group the fixture's articles into stories with the project's linker."""
    from newsarchive.stages.stories import update_stories

    with Store(path) as store:
        return update_stories(store)
