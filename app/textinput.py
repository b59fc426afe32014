"""Text files given to commands that read them whole (``newsarchive entities``).

A careless argument can be a photo, a database, or 50 MB of text: the first
was read as text (31 s and 2.3 GB printing junk), the last ran for minutes
without a sign of life. :func:`read_text_file` refuses binary files and files
over a size bound before any model is loaded; :func:`entities_of_long_text`
works through a long text in pieces and says how far it got.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsarchive.archive.errors import ArchiveError
from newsarchive.nlp.extraction.decode import looks_binary

#: the default bound of ``entities`` (``--max-mb``)
DEFAULT_MAX_MB = 10
#: a text whose first 64 KB hold more than this share of bytes that are not text is binary
MAX_JUNK_SHARE = 0.02
#: a long text goes through the pipeline in pieces of about this many characters
PIECE_CHARS = 200_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def read_text_file(path: str | Path, max_mb: float = DEFAULT_MAX_MB) -> str:
    """The text of a UTF-8 (or mostly UTF-8) text or HTML file.

    :raises ArchiveError: for a file over ``max_mb`` megabytes or one that is binary
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_mb * 1_000_000:
        raise ArchiveError(f"{path}: {size / 1_000_000:.1f} MB, over this command's bound of {max_mb:g} MB "
                           "(--max-mb raises it)")
    with open(path, "rb") as handle:
        raw = handle.read(int(max_mb * 1_000_000) + 1)
    head = raw[:65536].decode("utf-8", errors="replace")
    if looks_binary(raw) or (head and len(CONTROL.findall(head)) > MAX_JUNK_SHARE * len(head)):
        raise ArchiveError(f"{path}: looks binary (not text or HTML); give a text or HTML file")
    return raw.decode("utf-8", errors="replace")


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into ``(offset, piece)`` of about ``size`` characters, at paragraph
    (else line, else space) boundaries."""
    found, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            for mark in ("\n\n", "\n", " "):
                cut = text.rfind(mark, start + size // 2, end)
                if cut > start:
                    end = cut + len(mark)
                    break
        found.append((start, text[start:end]))
        start = end
    return found


def entities_of_long_text(text: str, nlp: Any, progress: Callable[[int], None] | None = None,
                          piece_chars: int = PIECE_CHARS) -> list[Any]:
    """The entities of ``text``, piece by piece (one piece: exactly
    :func:`~newsarchive.nlp.entities.extract.extract_entities`); the same entity
    found in several pieces is one, with every mention (offsets into ``text``).

    :param progress: told the characters of each piece once it is done
    :param piece_chars: about how long a piece is
    """
    from newsarchive.nlp.entities.extract import Mention, extract_entities_many

    parts = pieces(text, piece_chars)
    merged: dict[tuple[str, str], Any] = {}
    for (offset, part), found in zip(parts, extract_entities_many([p for _, p in parts], nlp=nlp)):
        for entity in found:
            mentions = [Mention(m.text, m.start + offset, m.end + offset, m.sentence) for m in entity.mentions]
            # a country named in one piece and only as a nationality in another is a country
            known = merged.get((entity.archive_kind, entity.key))
            if known is None:
                entity.mentions = mentions
                merged[(entity.archive_kind, entity.key)] = entity
            else:
                if entity.kind == entity.archive_kind:
                    known.kind = entity.kind
                known.mentions.extend(mentions)
                known.aliases.extend(a for a in entity.aliases if a not in known.aliases)
        if progress:
            progress(len(part))
    return list(merged.values())
