"""Turn the bytes of a fetched page into text, and tell HTML from everything else.

The order of trust when decoding follows how browsers behave with real news
sites: a charset the page itself declares (``<meta charset>`` or the
``http-equiv`` form) wins when it fits the bytes; otherwise UTF-8, which most
of the web is; otherwise charset-normalizer's guess; and cp1252 as the last
resort because it maps (almost) every byte, so decoding never fails.

A declaration that does not fit is common (templates copied from one site to
another, CMS upgrades): a page that says latin-1 (or any one-byte charset) but
whose bytes are UTF-8 is read as UTF-8, since legacy text is almost never
valid UTF-8 by chance; a page that says UTF-8 but whose bytes are latin-1 is
read as cp1252. The bytes themselves are never changed (the WARC keeps them).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Only the head of a page is searched for a declared charset (the HTML spec's
# pre-scan looks at the first 1024 bytes; pages in the wild put it later).
CHARSET_SCAN_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# Leading bytes of common binary formats a crawler may be handed by mistake.
BINARY_SIGNATURES = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
    b"RIFF", b"\x00\x00\x01\x00", b"ID3", b"OggS", b"\x7fELF", b"BZh", b"7z\xbc\xaf",
)
# Share of control characters above which decoded text is not a web page.
MAX_CONTROL_SHARE = 0.05
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# Feeds, sitemaps and images are XML with tags of their own (RSS has <title> too).
#: the root tag of an XML document that is not a web page (a feed, a sitemap, an image); see :func:`starts_as_other_xml`
OTHER_XML_ROOT = re.compile(r"<(?:rss|feed|urlset|sitemapindex|svg|rdf:RDF)\b", re.I)
SPACES = re.compile(r"\s*")
TAG = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|article|meta|title|span|h[1-6]|section|main|br|table|ul)\b", re.I)


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its head, if Python knows it.

    :param raw: the page as fetched
    """
    match = META_CHARSET.search(raw[:CHARSET_SCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").strip().lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


#: one-byte charsets: a page declaring one of these whose bytes are valid UTF-8 is UTF-8
SINGLE_BYTE = re.compile(r"^(latin[-_]?\d*|iso8859[-_]\d+|cp125\d|windows-125\d|cp437|cp850|ascii|koi8[-_]\w|mac[-_]?\w+)$")
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: UTF-8 sequences needed per byte that is no UTF-8, to call mostly-UTF-8 bytes UTF-8
UTF8_MAJORITY = 20


def decode_html(raw: bytes) -> str:
    """Decode a page's bytes: declared charset when it fits, then UTF-8, then a guess, then cp1252.

    A declared charset that fails to decode is a lying charset and is skipped;
    so is a one-byte charset declared over bytes that are UTF-8. Latin-1
    declarations are read as cp1252, as browsers do.

    :param raw: the page as fetched
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    declared = declared_charset(raw)
    if declared in ("latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"
    if declared and SINGLE_BYTE.match(declared) and (text := utf8_text(raw)) is not None:
        return text
    if declared == "utf-8" and utf8_text(raw) is None and looks_latin(raw):
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            declared = None
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    if (text := utf8_text(raw)) is not None:
        return text
    guess = from_bytes(raw[:200_000]).best()
    if guess is not None and guess.encoding:
        return raw.decode(guess.encoding, "replace")
    return raw.decode("cp1252", "replace")


HIGH_BYTE = re.compile(rb"[\x80-\xff]")
HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")


def looks_latin(raw: bytes) -> bool:
    """Whether the non-ASCII bytes stand alone between ASCII ones, as accented
    letters of a Western one-byte charset do (double-byte charsets pair them)."""
    high = len(HIGH_BYTE.findall(raw))
    return high > 0 and 2 * len(HIGH_PAIR.findall(raw)) <= high * 0.3


def utf8_text(raw: bytes) -> str | None:
    """``raw`` as UTF-8 when its non-ASCII bytes are UTF-8 (all of them, or all
    but a stray few among many), else ``None``; pure ASCII is not evidence either way."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        sequences = len(UTF8_SEQUENCE.findall(raw))
        stray = raw.decode("utf-8", "replace").count("\ufffd") - raw.decode("utf-8", "ignore").count("\ufffd")
        if sequences >= 3 and sequences >= UTF8_MAJORITY * stray:
            return raw.decode("utf-8", "replace")
        return None
    return text if not text.isascii() else None


#: a page with more NUL bytes than this share of its head is binary; a few stray ones are not
MAX_NUL_SHARE = 0.01


def looks_binary(raw: bytes) -> bool:
    """True when bytes start like a known binary format or are full of NUL bytes.

    :param raw: the payload as fetched
    """
    head = raw[:2048]
    return head.startswith(BINARY_SIGNATURES) or head.count(b"\x00") > MAX_NUL_SHARE * len(head)


def looks_like_html(text: str) -> bool:
    """True when decoded text has HTML tags, is not XML of another kind, and is not mostly control characters.

    :param text: the decoded payload
    """
    head = text[:20_000]
    if not head.strip():
        return False
    controls = len(CONTROL_CHARS.findall(head))
    if controls / len(head) > MAX_CONTROL_SHARE:
        return False
    if starts_as_other_xml(head):
        return False
    return TAG.search(head) is not None


def starts_as_other_xml(head: str) -> bool:
    """True when a text opens, after blanks, an optional ``<?xml ...>`` declaration and
    any number of comments, with the root tag of a feed, sitemap or SVG image.

    Found by scanning, in time linear in the text: a page that opens with a comment
    and holds many comments later (conditional comments, ``<!--?xml ...?-->``) made the
    regular expression this replaces backtrack for a second or more. As that expression
    did, a comment may run over later ``-->`` marks, so the root tag is looked for at the
    start and after every ``-->`` once the text opens with a comment.

    :param head: the start of a decoded page
    """
    start = SPACES.match(head).end()
    starts = [start]
    if head[start:start + 5].lower() == "<?xml":
        close = head.find(">", start + 5)
        if close != -1:
            starts.append(SPACES.match(head, close + 1).end())
    for position in starts:
        if OTHER_XML_ROOT.match(head, position):
            return True
        if head.startswith("<!--", position):
            end = head.find("-->", position + 4)
            while end != -1:
                if OTHER_XML_ROOT.match(head, SPACES.match(head, end + 3).end()):
                    return True
                end = head.find("-->", end + 1)
    return False
