"""What a journalist types into a search box, made into SQL that cannot fail.

Two pure parts, no I/O and nothing else of ours imported (the Datasette plugin
loads this file as it is, in a published copy too):

- :func:`parse` turns any typed text into a :class:`TextQuery`: an FTS5 match
  expression in which every word is quoted, so no character can make an FTS5
  syntax error, while ``"a phrase"``, ``OR``, ``-word`` (or ``NOT word``) and a
  trailing ``*`` keep their meaning for those who use them. Possessives lose
  their ``'s`` (``Mali's`` finds Mali), dotted acronyms also match undotted
  (``U.K.`` finds "U.K." and "UK"; ``U.S.`` only "U.S.", as "US" is the word "us"
  to the index), hyphenated words also match joined
  (``e-mail`` finds "email"), dotted names stay phrases (``army.mil``,
  ``.ml``), an unbalanced quote runs to the end, very long input is cut with a
  note, and input with nothing to search for means "every article".
- :func:`search_sql`, :func:`count_sql` and :func:`facet_sql` build the SELECTs
  of the search page from a :class:`TextQuery` and :class:`Filters`. The
  statement is driven by the most selective thing asked for (the full-text
  match, else the rarest entity, else the incident type, else the articles in
  date order), and every other filter is an indexed probe per candidate
  article, so the cost follows the size of the result, not of the archive.

And for finding an entity by a name typed loosely: :func:`normalise_name`,
:func:`name_similarity` and :func:`lookup_fts` (accents, case, punctuation,
small typos: "Ministry of Defense" finds Ministry of Defence).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 300  # typed text beyond this is cut (with a note)
#: words alone (no other filter) look at this many matches at most, the most recently
#: archived first: what FTS5 reads then stops, so a search for a word in half the archive
#: costs what one in 2,000 articles costs; the page says when the cap was reached
TEXT_CAP = 2000
MAX_TERMS = 12  # words or phrases beyond this are left out (with a note)

QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                        "\u2033": '"', "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2212": "-",
                        "\u2013": "-", "\u2014": "-"})
TOKEN = re.compile(r'(?P<sign>[-+]?)"(?P<phrase>[^"]*)(?P<close>"?)(?P<star>\*?)|(?P<word>\S+)')
ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]\.?$")
# two-letter words an acronym's letters may spell: U.S. must not find "us" (nor "use": porter)
WORDS = frozenset("am an as at be by do go he if in is it me my no of on or so to up us we".split())
HYPHENATED = re.compile(r"^[^\W_]+(?:-[^\W_]+)+$")
POSSESSIVE = re.compile(r"(?<=\w)'s?$", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query: as shown to the reader, and as FTS5 reads it."""

    shown: str
    fts: str


@dataclass(frozen=True)
class TextQuery:
    """The typed text, understood.

    ``match`` is the FTS5 expression to match (``''``: no words to match, so
    every article is a candidate); ``exclude`` is the expression of the
    excluded words when there is nothing else to match (FTS5 cannot say "not
    X" alone; ``match`` carries the exclusions otherwise); ``notes`` say what
    was cut or ignored.
    """

    typed: str
    match: str = ""
    exclude: str = ""
    wanted: tuple[tuple[Term, ...], ...] = ()  # AND of OR-groups
    unwanted: tuple[Term, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.match or self.exclude)

    def describe(self) -> str:
        """The query in words: ``mali and (wagner or "africa corps"), without russia``."""
        groups = []
        for group in self.wanted:
            shown = " or ".join(t.shown for t in group)
            groups.append(f"({shown})" if len(group) > 1 and len(self.wanted) > 1 else shown)
        text = " and ".join(groups)
        if self.unwanted:
            without = " or ".join(t.shown for t in self.unwanted)
            text = f"{text}, without {without}" if text else f"every article without {without}"
        return text


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def _searchable(text: str) -> bool:
    """Whether FTS5's tokenizer finds a token in ``text`` (letters or digits)."""
    return any(ch.isalnum() for ch in text)


def _term(raw: str, quoted: bool, prefix: bool) -> Term | None:
    """The FTS5 form of one typed word (or quoted phrase), None if it has no letters or digits."""
    text = raw.strip()
    if not quoted:
        text = text.replace('"', " ").strip()
        while text.endswith("*"):
            prefix, text = True, text[:-1]
        text = text.lstrip("*").strip()
        if ACRONYM.match(text):  # U.S.A. / u.k: the dotted and the plain spelling
            letters = text.replace(".", "")
            if letters.casefold() in WORDS:  # "US" is the word "us" to the index (and "use", stemmed)
                return Term(text + ("*" if prefix else ""), _phrase(text) + ("*" if prefix else ""))
            if prefix:
                return Term(text + "*", f"({_phrase(text)}* OR {_phrase(letters)}*)")
            return Term(text, f"({_phrase(text)} OR {_phrase(letters)})")
        if HYPHENATED.match(text):  # e-mail / email, Okafor-Pryce: the spelling with and without
            joined = text.replace("-", "")
            shown = text + ("*" if prefix else "")
            star = "*" if prefix else ""
            return Term(shown, f"({_phrase(text)}{star} OR {_phrase(joined)}{star})")
        stripped = POSSESSIVE.sub("", text)
        if stripped and _searchable(stripped):
            text = stripped
    if not _searchable(text):
        return None
    shown = f'"{text}"' if quoted else text
    return Term(shown + ("*" if prefix else ""), _phrase(text) + ("*" if prefix else ""))


def _cut(text: str) -> tuple[str, list[str]]:
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = text.translate(QUOTES)
    if len(text) <= MAX_CHARS:
        return text, []
    cut = text[:MAX_CHARS]
    if not text[MAX_CHARS].isspace() and " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut, [f"Your search was {len(text):,} characters long; only its first {len(cut):,} were used."]


def parse(typed: str | None) -> TextQuery:
    """Understand any typed text as a full-text query (see the module's docstring).

    >>> parse("mali -wagner").match
    '("mali") NOT ("wagner")'
    """
    typed = typed or ""
    text, notes = _cut(typed)
    items: list[tuple[Term, bool]] = []  # (term, negated)
    joins: list[bool] = []  # joins[i]: item i is OR-ed with item i-1
    pending_or = pending_not = False
    ignored: list[str] = []
    text = re.sub(r"(?<!\S)NEAR\(|[()]", " ", text)  # grouping is not offered: brackets are spaces
    for token in TOKEN.finditer(text):
        word = token.group("word")
        if word == "OR":
            pending_or = bool(items)
            continue
        if word in ("AND", "&&", "+", "NEAR"):
            continue
        if word in ("NOT", "-"):
            pending_not = True
            continue
        negated = pending_not
        if word is None:
            negated = negated or token.group("sign") == "-"
            term = _term(token.group("phrase"), quoted=True, prefix=bool(token.group("star")))
            raw = token.group(0)
        else:
            raw = word
            if word[0] in "-+" and len(word) > 1:
                negated, word = negated or word[0] == "-", word[1:]
            term = _term(word, quoted=False, prefix=False)
        pending_not = False
        if term is None:
            ignored.append(raw)
            pending_or = False
            continue
        joins.append(pending_or and not negated and not items[-1][1])
        items.append((term, negated))
        pending_or = False
    if ignored:
        notes.append("Ignored (no letters or digits): " + " ".join(ignored[:5]) + (" …" if len(ignored) > 5 else ""))
    if len(items) > MAX_TERMS:
        notes.append(f"Only the first {MAX_TERMS} words or phrases were used.")
        items, joins = items[:MAX_TERMS], joins[:MAX_TERMS]
    wanted: list[list[Term]] = []
    unwanted: list[Term] = []
    for (term, negated), joined in zip(items, joins):
        if negated:
            unwanted.append(term)
        elif joined and wanted:
            wanted[-1].append(term)
        else:
            wanted.append([term])
    positive = " AND ".join("(" + " OR ".join(t.fts for t in group) + ")" for group in wanted)
    negative = " OR ".join(t.fts for t in unwanted)
    if positive and negative:
        match, exclude = f"({positive}) NOT ({negative})", ""
    else:
        match, exclude = positive, negative
    return TextQuery(typed, match, exclude, tuple(tuple(g) for g in wanted), tuple(unwanted), tuple(notes))


def fts_query(typed: str | None) -> str:
    """The FTS5 expression for typed text ('' when it has nothing to match; exclusions
    alone cannot be matched, so ``-word`` alone also gives ''). Registered as the SQL
    function ``fts_query(text)`` so stored queries can take any input."""
    return parse(typed).match


# --- the search statement -------------------------------------------------------------

SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class Filters:
    """What the results are narrowed to. ``entities`` are entity ids, all of which must be
    named (a country is an entity too); ``rarest_first``: the same ids, the one named in
    the fewest articles first (it drives the statement when there are no words)."""

    entities: tuple[int, ...] = ()
    source: str | None = None
    incident: str | None = None
    language: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    #: the outlet's articles between the dates are fewer than the rarest entity's: they drive
    #: the statement (see :func:`outlet_count_sql`); not a filter of its own
    outlet_first: bool = False

    def any(self) -> bool:
        return bool(self.entities or self.source or self.incident or self.language or self.since or self.until)


def parse_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date string; None if it is not one."""
    value = (value or "").strip()
    for pattern, suffix in (("%Y-%m-%d", ""), ("%Y-%m", "-01"), ("%Y", "-01-01")):
        try:
            return dt.datetime.strptime(value, pattern).date().isoformat() if not suffix else \
                dt.datetime.strptime(value + suffix, "%Y-%m-%d").date().isoformat()
        except ValueError:
            continue
    return None


def _day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


@dataclass
class _Plan:
    driver: str
    where: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    ranked: bool = False
    capped: bool = False  # the driver reads at most TEXT_CAP matches


def capped(query: TextQuery, filters: Filters) -> bool:
    """Whether a search looks only at the :data:`TEXT_CAP` most recently archived matches:
    words and nothing else (a filter or a left-out word must see every match, or an
    older article that meets it would be missed)."""
    return bool(query.match) and not query.exclude and not filters.any()


def hits_sql(query: TextQuery, filters: Filters, most: int) -> tuple[str, dict]:
    """``(id, score)`` of up to ``most`` articles the search finds, in no order. When they are
    all of them, the page hands them (JSON, as :func:`capped_hits_sql`'s) to the other
    statements as ``hits``, which then read neither the index nor the filters again."""
    plan = _plan(query, filters)
    columns = "c.id, c.score" if plan.driver else "a.id, null as score"
    return f"select {columns} from {_from(plan)}{_where(plan)} limit :most", {**plan.params, "most": int(most)}


def capped_hits_sql(query: TextQuery, scored: bool = True) -> tuple[str, dict]:
    """The :data:`TEXT_CAP` most recently archived matches of a :func:`capped` search,
    ``(id, score)``: read once, then handed to :func:`search_sql`, :func:`count_sql` and
    :func:`facet_sql` as ``hits`` (a JSON list of ``[id, score]``), so FTS5 walks a long
    list of matches once per page, not once per statement.

    :param scored: with the bm25 score (only the relevance order needs it; it costs)
    """
    score = "bm25(articles_fts, 3.0, 1.0)" if scored else "null"
    return (f"select rowid as id, {score} as score from articles_fts where articles_fts match :match "
            f"order by rowid desc limit {TEXT_CAP}", {"match": query.match})


def _plan(query: TextQuery, filters: Filters, hits: str | None = None) -> _Plan:
    """The candidate rows (``c``: id, score) and the conditions every result meets."""
    params: dict = {}
    entities = list(dict.fromkeys(filters.entities))
    cap = capped(query, filters)
    if hits is not None:  # the matching articles, already found: every condition is met
        driver = ("select json_extract(value, '$[0]') as id, json_extract(value, '$[1]') as score "
                  "from json_each(:hits)")
        return _Plan(driver, [], {"hits": hits}, bool(query.match), cap)
    if query.match:
        driver = ("select rowid as id, bm25(articles_fts, 3.0, 1.0) as score "
                  "from articles_fts where articles_fts match :match")
        if cap:  # FTS5 walks the matches from the highest rowid and stops: bm25 for these only
            driver += f" order by rowid desc limit {TEXT_CAP}"
        params["match"] = query.match
        ranked = True
    elif entities and not (filters.outlet_first and filters.source):
        first = entities.pop(0)
        driver = ("select distinct article_id as id, null as score "
                  "from mentions where entity_id = :entity0")
        params["entity0"] = first
        ranked = False
    elif filters.incident:
        driver = ("select sa.article_id as id, null as score from stories s "
                  "join story_articles sa on sa.story_id = s.id where s.incident_type = :incident")
        ranked = False
    else:
        driver = ""  # the articles table itself
        ranked = False
    where: list[str] = []
    for number, entity in enumerate(entities, start=1):
        params[f"entity{number}"] = entity
        where.append(f"exists (select 1 from mentions m where m.entity_id = :entity{number} "
                     f"and m.article_id = a.id)")
    if filters.incident:
        params["incident"] = filters.incident
        if query.match or filters.entities:
            where.append("exists (select 1 from story_articles sa join stories s on s.id = sa.story_id "
                         "where sa.article_id = a.id and s.incident_type = :incident)")
    if query.exclude:
        params["exclude"] = query.exclude
        where.append("a.id not in (select rowid from articles_fts where articles_fts match :exclude)")
    if filters.source:
        params["source"] = filters.source
        where.append("a.source = :source")
    if filters.language:
        params["language"] = filters.language
        where.append("a.language = :language")
    if filters.since:
        params["since"] = filters.since
        where.append("a.published_at >= :since")
    if filters.until:
        params["until"] = _day_after(filters.until)
        where.append("a.published_at < :until")
    return _Plan(driver, where, params, ranked, cap)


def outlet_count_sql(filters: Filters, most: int) -> tuple[str, dict]:
    """How many of the outlet's articles lie between the dates, counted up to ``most``
    from the index on ``(source, published_at)``: compared with the rarest entity's
    article count, it tells which of the two should drive the statement
    (``Filters.outlet_first``)."""
    where, params = ["source = :source"], {"source": filters.source, "most": int(most)}
    if filters.since:
        where.append("published_at >= :since")
        params["since"] = filters.since
    if filters.until:
        where.append("published_at < :until")
        params["until"] = _day_after(filters.until)
    return (f"select count(*) as n from (select 1 from articles where {' and '.join(where)} limit :most)", params)


def _from(plan: _Plan) -> str:
    if plan.driver:
        return f"({plan.driver}) c join articles a on a.id = c.id"
    return "articles a"


def _where(plan: _Plan) -> str:
    return (" where " + " and ".join(plan.where)) if plan.where else ""


ARTICLE_COLUMNS = ("a.id, a.title, a.source, a.url, a.published_at, a.first_seen, a.language, "
                   "a.description, substr(a.text, 1, 320) as opening")


def search_sql(query: TextQuery, filters: Filters, sort: str, limit: int, offset: int = 0,
               hits: str | None = None) -> tuple[str, dict]:
    """The page of results: article columns and ``score`` (bm25, lower is better; null
    without words). Snippets are made for the page's rows only, by :func:`snippet_sql`."""
    plan = _plan(query, filters, hits)
    if sort == "relevance" and plan.ranked:
        order = "c.score, a.published_at desc, a.id desc"
    elif sort == "oldest":
        order = "a.published_at is null, a.published_at, a.id"
    else:
        order = "a.published_at desc, a.id desc"
    score = "c.score" if plan.driver else "null as score"
    sql = (f"select {ARTICLE_COLUMNS}, {score} from {_from(plan)}{_where(plan)} "
           f"order by {order} limit :limit offset :offset")
    return sql, {**plan.params, "limit": int(limit), "offset": int(offset)}


def snippet_sql(query: TextQuery, ids: list[int]) -> tuple[str, dict]:
    """The passage of each of ``ids`` where the words match, the matches between U+E000 and
    U+E001 (run for one page of results: a snippet costs a read of the article's text)."""
    marks = ", ".join(str(int(i)) for i in ids) or "null"
    return (f"select rowid as id, snippet(articles_fts, -1, char(57344), char(57345), ' … ', 24) as snippet "
            f"from articles_fts where articles_fts match :match and rowid in ({marks})", {"match": query.match})


def count_sql(query: TextQuery, filters: Filters, hits: str | None = None) -> tuple[str, dict]:
    """How many articles the search finds."""
    plan = _plan(query, filters, hits)
    return f"select count(*) as n from {_from(plan)}{_where(plan)}", plan.params


FACETS = {
    # name: (select of value, label, count over the matched ids ``hits``)
    "source": "select a.source as value, a.source as label, count(*) as n from hits join articles a on a.id = hits.id "
              "group by a.source order by n desc, value limit :size",
    "language": "select a.language as value, a.language as label, count(*) as n from hits "
                "join articles a on a.id = hits.id where a.language is not null "
                "group by a.language order by n desc, value limit :size",
    "incident": "select s.incident_type as value, s.incident_type as label, count(*) as n from hits "
                "join story_articles sa on sa.article_id = hits.id join stories s on s.id = sa.story_id "
                "where s.incident_type is not null and s.incident_type != 'none' "
                "group by s.incident_type order by n desc, value limit :size",
    "country": "select e.id as value, e.name as label, count(distinct m.article_id) as n, e.key as code from hits "
               "join mentions m on m.article_id = hits.id join entities e on e.id = m.entity_id "
               "where e.kind = 'country' group by e.id order by n desc, label limit :size",
    "entity": "select e.id as value, e.name as label, count(distinct m.article_id) as n, e.kind as kind from hits "
              "join mentions m on m.article_id = hits.id join entities e on e.id = m.entity_id "
              "where e.kind in ('organisation', 'person', 'group', 'domain', 'place') "
              "group by e.id order by n desc, label limit :size",
    "month": "select substr(a.published_at, 1, 7) as value, substr(a.published_at, 1, 7) as label, "
             "count(*) as n from hits join articles a on a.id = hits.id "
             "where a.published_at glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' group by value order by value",
}


# The same counts when the search is every article: read from indexes and the entities'
# own counts instead of joining every article.
FACETS_ALL = {
    "source": "select source as value, source as label, count(*) as n from articles "
              "group by source order by n desc, value limit :size",
    "language": FACETS["language"].replace("from hits join articles a on a.id = hits.id", "from articles a"),
    "incident": "select s.incident_type as value, s.incident_type as label, sum(s.article_count) as n "
                "from stories s where s.incident_type is not null and s.incident_type != 'none' "
                "group by s.incident_type order by n desc, value limit :size",
    "country": "select id as value, name as label, article_count as n, key as code from entities "
               "where kind = 'country' and article_count > 0 order by n desc, label limit :size",
    "entity": "select id as value, name as label, article_count as n, kind from entities "
              "where kind in ('organisation', 'person', 'group', 'domain', 'place') and article_count > 0 "
              "order by n desc, label limit :size",
    "month": "select substr(published_at, 1, 7) as value, substr(published_at, 1, 7) as label, count(*) as n "
             "from articles where published_at glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' group by value order by value",
}


def facet_sql(name: str, query: TextQuery, filters: Filters, size: int = 10,
              hits: str | None = None) -> tuple[str, dict]:
    """Counts per value of one facet (see :data:`FACETS`) over every result."""
    plan = _plan(query, filters, hits)
    if not plan.driver and not plan.where:
        return FACETS_ALL[name], {"size": int(size)}
    hits = f"select a.id from {_from(plan)}{_where(plan)}"
    return f"with hits as ({hits}) {FACETS[name]}", {**plan.params, "size": int(size)}


#: the ``country`` and ``entity`` facets in one pass over the results' mentions (the costly
#: part of a page's facets), counted per entity before the entities are looked up: the top
#: ``size`` of each, told apart by ``facet``
NAMED_FACETS = (
    "named as (select m.entity_id, count(distinct m.article_id) as n from hits "
    "join mentions m on m.article_id = hits.id group by m.entity_id) "
    "select facet, value, label, n, kind, code from ("
    "select case when e.kind = 'country' then 'country' else 'entity' end as facet, e.id as value, "
    "e.name as label, named.n as n, e.kind as kind, e.key as code, "
    "row_number() over (partition by e.kind = 'country' order by named.n desc, e.name) as place "
    "from named join entities e on e.id = named.entity_id "
    "where e.kind in ('country', 'organisation', 'person', 'group', 'domain', 'place')"
    ") where place <= :size order by facet, n desc, label"
)


def named_facets_sql(query: TextQuery, filters: Filters, size: int = 10,
                     hits: str | None = None) -> tuple[str, dict] | None:
    """The ``country`` and ``entity`` facets in one statement (:data:`NAMED_FACETS`); None
    for the search of every article, whose facets read the counts kept (:data:`FACETS_ALL`)."""
    plan = _plan(query, filters, hits)
    if not plan.driver and not plan.where:
        return None
    found = f"select a.id from {_from(plan)}{_where(plan)}"
    return f"with hits as ({found}), {NAMED_FACETS}", {**plan.params, "size": int(size)}


# --- finding an entity by a loosely typed name ---------------------------------------

def normalise_name(name: str | None) -> str:
    """Lower case, accents and punctuation gone, spaces single: ``"Côte-d'Ivoire"`` -> ``"cote d ivoire"``."""
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w.@]+|_", " ", plain).split()).strip(" .")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, with a swap of two neighbouring letters counted as one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def name_similarity(typed: str, name: str) -> float:
    """How alike a typed name and a known name are, from 0 to 1: one minus the edits
    between them (once normalised) over the longer's length. A name that starts with what
    was typed scores at least 0.75, so suggestions work while typing."""
    a, b = normalise_name(typed)[:120], normalise_name(name)[:120]
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = 1 - edit_distance(a, b) / max(len(a), len(b))
    if len(a) >= 3 and b.startswith(a):
        score = max(score, 0.75 + 0.2 * len(a) / len(b))
    return round(score, 4)


def lookup_fts(typed: str, max_words: int = 6) -> str:
    """An FTS5 expression finding candidate names for loosely typed words: any word's first
    three letters as a prefix (so a typo later in a word still finds it). '' if none."""
    words = [w for w in normalise_name(typed).replace(".", " ").replace("@", " ").split() if _searchable(w)]
    stems = list(dict.fromkeys(w[:3] for w in words if len(w) >= 2))[:max_words]
    return " OR ".join(_phrase(s) + "*" for s in stems)
