"""Turn the bytes of a fetched page into text, and tell HTML from everything else.

The order of trust when decoding follows how browsers behave with real news
sites: a charset the page itself declares (``<meta charset>`` or the
``http-equiv`` form) wins when it decodes cleanly; otherwise UTF-8, which most
of the web is; otherwise charset-normalizer's guess; and cp1252 as the last
resort because it maps (almost) every byte, so decoding never fails.
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
XML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|urlset|sitemapindex|svg|rdf:RDF)\b", re.S | re.I)
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


def decode_html(raw: bytes) -> str:
    """Decode a page's bytes: declared charset, then UTF-8, then a guess, then cp1252.

    A declared charset that fails to decode is a lying charset and is skipped.
    Latin-1 declarations are read as cp1252, as browsers do.

    :param raw: the page as fetched
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    declared = declared_charset(raw)
    if declared in ("latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    guess = from_bytes(raw[:200_000]).best()
    if guess is not None and guess.encoding:
        return raw.decode(guess.encoding, "replace")
    return raw.decode("cp1252", "replace")


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
    if XML_ROOT.match(head):
        return False
    return TAG.search(head) is not None
