"""Domains in prose: find host names, e-mail addresses, URLs, IP addresses and bare suffixes,
split them with the Public Suffix List, and check them against a watch-list for lookalikes.

Finding (``find_domain_hits``) is one pass of compiled regular expressions over the text,
in order of specificity (URL, e-mail, IP, host, bare suffix); a later pass never takes text
an earlier one took. What news prose throws at it, and the answer:

* sentence-final periods ("visit example.com.") — a host never ends in a dot;
* "U.S.", "e.g.", "a.m." — the last label must have two letters or more *and* be a suffix
  in the Public Suffix List; "3.14" has no letters;
* a missing space after a full stop ("said.It") — a suffix written in mixed case is refused;
* file names ("report.pdf", "invoice.zip") — ``pdf`` is no suffix, and suffixes that are
  also common file extensions (``data/file_extensions.txt``) count only with a scheme,
  "www." or an "@";
* bare suffixes (".ml", "'.mil'", ".gov.uk") — accepted only when written in lower case
  after a space, quote or bracket, known to the Public Suffix List, and not followed by
  "file" or "extension".

Splitting uses the suffix list bundled with ``tldextract``, offline:
``TLDExtract(suffix_list_urls=())``, built once per process.

Lookalikes (``find_lookalike``) compare a name with the watch-list in
``data/watchlist.yml`` using the optimal string alignment distance (Levenshtein plus
adjacent transposition). One edit away is a lookalike, and the edit is named the way
dnstwist names its fuzzers: omission, insertion, replacement, transposition, dropped-dot;
a watched name under another suffix ("nato.org" for "nato.int") is a suffix-swap.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
import tldextract
import yaml

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TLD = r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
_HOST = rf"(?:{_LABEL}\.)+{_TLD}"
# A host may not run on into more name characters or into ".<letter or digit>".
_HOST_END = r"(?![\w-]|\.[a-z0-9])"

URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`()\[\]{}]+", re.I)
EMAIL_RE = re.compile(rf"(?<![\w.+-])[\w.+-]+@({_HOST}){_HOST_END}", re.I)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_RE = re.compile(rf"(?<![\d.])(?:{_OCTET}\.){{3}}{_OCTET}(?!\d|\.\d)")
# IPv6 candidates; ``ipaddress`` decides ("10:30:00" is a time, not an address).
IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.I)
_PATH_RE = re.compile(r"/[^\s<>\"'`()\[\]{}]*")
HOST_RE = re.compile(rf"(?<![\w@.\-/]){_HOST}{_HOST_END}", re.I)
# Bare suffix: after start, space, quote or bracket; lower case; then end, space, quote,
# bracket, punctuation, or a sentence-final period.
BARE_SUFFIX_RE = re.compile(
    r"(?<![^\s\"'‘’“”(\[])\.([a-z]{2,63}(?:\.[a-z]{2,63})?)"
    r"(?=$|[\s\"'‘’“”)\],;:!?]|\.(?:\s|$))"
)
_FILE_WORD_RE = re.compile(r"\s*(?:files?|extensions?|formats?|documents?|attachments?)\b", re.I)
# Trailing characters that close a sentence or a bracket, not a URL.
_URL_TRAILING = ".,;:!?)]}'\"’”"


@dataclass
class DomainInfo:
    """A domain or bare suffix, split and checked.

    :param domain: as normalised: lowercase host, or ".ml" for a bare suffix
    :param suffix: public suffix, e.g. "gov.uk", "ml"
    :param registrable: e.g. "mod.uk"; None for a bare suffix
    :param cctld_country: ISO alpha-2 when the suffix is a country code, e.g. "ML"
    :param lookalike_of: the watched name it is one edit away from, e.g. ".mil"
    :param edit_type: omission, insertion, transposition, replacement, dropped-dot, suffix-swap
    :param distance: optimal string alignment distance to ``lookalike_of``
    """

    domain: str
    suffix: str
    registrable: str | None
    cctld_country: str | None = None
    lookalike_of: str | None = None
    edit_type: str | None = None
    distance: int | None = None


@dataclass
class DomainHit:
    """A stretch of text that names a domain-like thing.

    :param kind: "url", "email", "ip", "domain" (a host) or "suffix" (a bare suffix)
    :param start: character offset of the first character
    :param end: character offset after the last character
    :param text: the text as written
    :param host: the host it names, lower-cased (the address itself for an IP address);
        for a bare suffix, the suffix with its dot (".ml")
    """

    kind: str
    start: int
    end: int
    text: str
    host: str


@dataclass(frozen=True)
class Watchlist:
    """What lookalikes are checked against.

    :param suffixes: watched suffixes for bare suffixes in prose ("mil", "com")
    :param host_suffixes: watched suffixes also checked for every host's suffix
    :param swap_suffixes: a watched domain under one of these counts as suffix-swapped
        when its name appears under another suffix
    :param domains: watched registrable domains ("nato.int", "paypal.com")
    """

    suffixes: frozenset[str]
    host_suffixes: frozenset[str]
    swap_suffixes: frozenset[str]
    domains: frozenset[str]


@lru_cache(maxsize=1)
def suffix_extractor() -> tldextract.TLDExtract:
    """The one offline Public Suffix List splitter of this process."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=1)
def load_watchlist(path: Path = DATA_DIR / "watchlist.yml") -> Watchlist:
    """Read the watch-list of sensitive suffixes and domains.

    :param path: the YAML file
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    clean = lambda items: frozenset(str(i).lower().lstrip(".") for i in items or ())  # noqa: E731
    return Watchlist(
        suffixes=clean(data.get("suffixes")) | clean(data.get("host_suffixes")),
        host_suffixes=clean(data.get("host_suffixes")),
        swap_suffixes=clean(data.get("swap_suffixes")),
        domains=clean(data.get("domains")),
    )


@lru_cache(maxsize=1)
def file_extensions(path: Path = DATA_DIR / "file_extensions.txt") -> frozenset[str]:
    """Suffixes that are more often file extensions than domains in prose.

    :param path: one extension a line, ``#`` comments
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip().lower() for l in lines if l.strip() and not l.startswith("#"))


def public_suffix(name: str) -> str:
    """The public suffix of a host ("mail.mod.uk" -> "uk"); "" when it has none.

    :param name: a host name, lower case
    """
    return suffix_extractor()(name).suffix


def is_known_suffix(suffix: str) -> bool:
    """Whether ``suffix`` ("ml", "gov.uk") is itself a public suffix, whole.

    :param suffix: without the leading dot
    """
    return public_suffix("x." + suffix) == suffix


def cctld_country(suffix: str) -> str | None:
    """The country of a country-code suffix: "ml" -> "ML", "gov.uk" -> "GB".

    :param suffix: a public suffix without the leading dot
    """
    top = suffix.rsplit(".", 1)[-1].upper()
    if len(top) != 2:
        return None
    if top == "UK":  # the one ccTLD that is not its country's ISO code
        return "GB"
    if top == "EU":
        return None
    if top == "SU":  # still delegated: the Soviet Union's ISO 3166-3 code (a country the entities know)
        return top
    return top if pycountry.countries.get(alpha_2=top) else None


def normalise_host(host: str) -> str:
    """Lower-case a host, drop a trailing dot and a leading "www."

    :param host: e.g. "WWW.Example.COM."
    """
    host = host.lower().rstrip(".")
    if host.startswith("www.") and suffix_extractor()(host).subdomain.startswith("www"):
        return host[4:]  # "www.gov.uk" keeps its "www.": "gov.uk" alone is a suffix
    return host


def split_domain(name: str) -> DomainInfo | None:
    """Split a host or a bare suffix with the Public Suffix List and check it for lookalikes.

    :param name: "mail.mod.uk", "www.Example.com", ".ml" or "gov.uk"-style bare suffix
        written with its dot
    :returns: None when the name has no public suffix
    """
    if name.startswith("."):
        suffix = name[1:].lower()
        if not is_known_suffix(suffix):
            return None
        info = DomainInfo(domain="." + suffix, suffix=suffix, registrable=None)
    else:
        host = normalise_host(name)
        parts = suffix_extractor()(host)
        if parts.suffix and not parts.domain and "." in parts.suffix and parts.suffix == host:
            info = DomainInfo(host, parts.suffix, None)  # "gov.uk", "nhs.uk": a suffix that is a site
        elif not parts.suffix or not parts.domain:
            return None
        else:
            info = DomainInfo(host, parts.suffix, f"{parts.domain}.{parts.suffix}")
    info.cctld_country = cctld_country(info.suffix)
    match = find_lookalike(info)
    if match:
        info.lookalike_of, info.edit_type, info.distance = match
    return info


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: edits (insert, delete, replace, swap neighbours).

    :param a: one string
    :param b: the other
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def edit_kind(candidate: str, target: str) -> str:
    """Name the single edit that turns ``target`` into ``candidate``.

    :param candidate: the name seen ("ml")
    :param target: the watched name ("mil")
    """
    if len(candidate) == len(target) - 1:
        dropped = next(
            (t for c, t in zip(candidate + "\0", target) if c != t), target[-1]
        )
        return "dropped-dot" if dropped == "." else "omission"
    if len(candidate) == len(target) + 1:
        return "insertion"
    diffs = [i for i, (c, t) in enumerate(zip(candidate, target)) if c != t]
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
        return "transposition"
    return "replacement"


def _one_edit_match(candidate: str, targets: frozenset[str]) -> str | None:
    """The watched name one edit away from ``candidate``, if any (shortest first)."""
    for target in sorted(targets, key=lambda t: (len(t), t)):
        if abs(len(target) - len(candidate)) <= 1 and osa_distance(candidate, target) == 1:
            return target
    return None


def _suffix_swap(registrable: str, suffix: str, watch: Watchlist) -> tuple[str, int] | None:
    """A watched domain under a protected suffix whose name reappears under ``suffix``."""
    label = registrable[: -len(suffix) - 1]
    for target in sorted(watch.domains):
        target_suffix = public_suffix(target)
        if target_suffix in watch.swap_suffixes and target_suffix != suffix:
            if target[: -len(target_suffix) - 1] == label:
                return target, osa_distance(suffix, target_suffix)
    return None


def find_lookalike(info: DomainInfo, watch: Watchlist | None = None) -> tuple[str, str, int] | None:
    """Check a split domain against the watch-list.

    Bare suffixes are compared with the watched suffixes; hosts with the watched domains
    (registrable part and whole host), then with the protected suffixes, then for a
    suffix swap. A name equal to a watched entry is not a lookalike of anything.

    :param info: the split domain
    :param watch: the watch-list (default: ``data/watchlist.yml``)
    :returns: ``(lookalike_of, edit_type, distance)`` or None
    """
    watch = watch or load_watchlist()
    if info.registrable is None:
        if info.suffix in watch.suffixes:
            return None
        target = _one_edit_match(info.suffix, watch.suffixes)
        return ("." + target, edit_kind(info.suffix, target), 1) if target else None
    if info.registrable in watch.domains or info.domain in watch.domains:
        return None
    for name in (info.registrable, info.domain):
        target = _one_edit_match(name, watch.domains)
        if target:
            return target, edit_kind(name, target), 1
    if info.suffix not in watch.suffixes:
        target = _one_edit_match(info.suffix, watch.host_suffixes)
        if target:
            return "." + target, edit_kind(info.suffix, target), 1
    swap = _suffix_swap(info.registrable, info.suffix, watch)
    return (swap[0], "suffix-swap", swap[1]) if swap else None


def _mixed_case_suffix(host: str) -> bool:
    """True for "said.It": a capitalised last label, as after a missing space; "COM" is fine."""
    last = host.rsplit(".", 1)[-1]
    return last[:1].isupper() and not last.isupper()


def _accept_host(host: str, with_context: bool) -> bool:
    """Whether a host-shaped string is a real host name: known suffix, not a file name.

    :param host: as written
    :param with_context: True when a scheme, "www." or "@" vouches for it
    """
    if _mixed_case_suffix(host):
        return False
    parts = suffix_extractor()(host.lower())
    if parts.suffix and not parts.domain:
        # a public suffix of two labels or more written as a host ("nhs.uk", "gov.uk"): those
        # are sites of their own; one label alone ("uk") is a word
        return "." in parts.suffix and parts.suffix == host.lower().rstrip(".")
    if not parts.suffix or not parts.domain:
        return False
    if with_context or host.lower().startswith("www."):
        return True
    return parts.suffix not in file_extensions()


def url_host(url: str) -> str:
    """The host of a URL, without user, port, path, query or fragment; "" if none.

    :param url: with or without a scheme
    """
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.I)
    rest = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    if rest.startswith("["):  # "[2001:db8::1]:8443"
        return rest[1:].split("]")[0].lower()
    return rest.split(":")[0].lower()


def is_ip(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address.

    :param text: a candidate
    """
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def normalise_url(url: str) -> str:
    """A URL as written, with its scheme and host lower-cased.

    :param url: a URL with or without a scheme
    """
    host = url_host(url)
    at = url.lower().find(host)
    return url[:at].lower() + host + url[at + len(host) :] if at >= 0 else url


def _url_hit(match: re.Match[str]) -> DomainHit | None:
    """A URL hit, its trailing punctuation given back to the sentence."""
    text = match.group(0).rstrip(_URL_TRAILING)
    host = url_host(text)
    if not host or not (is_ip(host) or _accept_host(host, True)):
        return None
    return DomainHit("url", match.start(), match.start() + len(text), text, host)


def _host_hit(text: str, match: re.Match[str]) -> DomainHit | None:
    """A host name, or a URL written without a scheme when a path follows ("gov.uk/report")."""
    if not _accept_host(match.group(0), False):
        return None
    path = _PATH_RE.match(text, match.end())
    tail = path.group(0).rstrip(_URL_TRAILING) if path else ""
    if len(tail) > 1:
        end = match.end() + len(tail)
        return DomainHit("url", match.start(), end, text[match.start() : end], match.group(0).lower())
    return DomainHit("domain", match.start(), match.end(), match.group(0), match.group(0).lower())


def _bare_suffix_hit(text: str, match: re.Match[str]) -> DomainHit | None:
    """A bare suffix hit (".ml"), refused for file extensions and unknown suffixes."""
    suffix = match.group(1)
    if suffix in file_extensions() or not is_known_suffix(suffix):
        return None
    if _FILE_WORD_RE.match(text, match.end()):
        return None
    return DomainHit("suffix", match.start(), match.end(), match.group(0), "." + suffix)


def find_domain_hits(text: str) -> list[DomainHit]:
    """Every URL, e-mail address, IP address, host name and bare suffix in ``text``.

    :param text: any text
    :returns: hits in text order, never overlapping
    """
    hits: list[DomainHit] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(hit: DomainHit | None) -> None:
        if hit and free(hit.start, hit.end):
            hits.append(hit)
            taken.append((hit.start, hit.end))

    if "://" in text:
        for m in URL_RE.finditer(text):
            add(_url_hit(m))
    if "@" in text:
        for m in EMAIL_RE.finditer(text):
            if _accept_host(m.group(1), True):
                add(DomainHit("email", m.start(), m.end(), m.group(0), m.group(1).lower()))
    for m in IPV4_RE.finditer(text):
        add(DomainHit("ip", m.start(), m.end(), m.group(0), m.group(0)))
    if "::" in text or text.count(":") >= 3:
        for m in IPV6_RE.finditer(text):
            candidate = m.group(0).rstrip(":") if not m.group(0).endswith("::") else m.group(0)
            if is_ip(candidate):
                add(DomainHit("ip", m.start(), m.start() + len(candidate), candidate, candidate.lower()))
    for m in HOST_RE.finditer(text):
        if free(m.start(), m.end()):
            add(_host_hit(text, m))
    for m in BARE_SUFFIX_RE.finditer(text):
        if free(m.start(), m.end()):
            add(_bare_suffix_hit(text, m))
    hits.sort(key=lambda h: h.start)
    return hits
