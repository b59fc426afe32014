"""Convert the NIST 1999 IE-ER newswire sample into our JSONL rows, outside the repository.

The sample (94 AP and New York Times stories of 1998 with MUC-style ENAMEX gold) ships with
NLTK's data as ``packages/corpora/ieer.zip`` of the ``nltk/nltk_data`` repository. It states no
licence, so it is not committed here: this converter writes ``dev.jsonl`` and
``heldout.jsonl`` (the same md5 split as :mod:`bench.ner_sets.convert`) into a folder of your
choice, which ``python -m bench.ner_public --sets-dir DIR --sets ieer`` scores.

Choices that shape the gold:

* a document's text is its headline (one line), then one line per paragraph of its body
  (the wire's line wrapping undone); editors' notes (``<ANNOTATION>``) are left out;
* ENAMEX PERSON -> PER, ORGANIZATION -> ORG, LOCATION -> LOC; an ENAMEX the annotators
  marked optional (``status="opt"``, e.g. "Finance" in "Finance Minister") becomes MISC,
  which the scorer neither requires nor counts against us;
* TIMEX and NUMEX are dropped; ``&AMP;`` is ``&``.

Usage::

    python -m bench.ner_sets.convert_ieer ieer.zip /tmp/ner_ext
    python -m bench.ner_public --sets-dir /tmp/ner_ext --sets ieer --no-write
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from pathlib import Path

from bench.ner_sets.convert import heldout

LABELS = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_TAG = re.compile(r'<b_(enamex|timex|numex)([^>]*)>|<e_(enamex|timex|numex)>')
_ENTITIES = {"&AMP;": "&", "&LR;": "", "&UR;": ""}


def _plain(marked: str) -> tuple[str, list[dict]]:
    """Text without tags, and the ENAMEX spans on it (offsets into the text)."""
    text, spans, stack, pos = [], [], [], 0
    length = 0
    for m in _TAG.finditer(marked):
        chunk = marked[pos:m.start()]
        text.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(1):
            attrs = m.group(2)
            kind = re.search(r'type="([A-Z]+)"', attrs)
            stack.append((m.group(1), kind.group(1) if kind else "", 'status="opt"' in attrs, length))
        elif stack:
            family, kind, optional, start = stack.pop()
            if family == "enamex" and kind in LABELS:
                spans.append({"start": start, "end": length, "label": "MISC" if optional else LABELS[kind]})
    text.append(marked[pos:])
    return "".join(text), spans


def _lines(block: str) -> str:
    """One line per paragraph: a paragraph opens with an indented line."""
    paragraphs, current = [], []
    for line in block.split("\n"):
        if line[:1] in ("\t", " ") and current:
            paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(p for p in paragraphs if p)


def documents(raw: str, source: str) -> list[dict]:
    """The stories of one IE-ER file as rows."""
    rows = []
    for doc in _DOC.findall(raw):
        doc_id = re.search(r"<DOCNO>\s*(\S+)\s*</DOCNO>", doc).group(1)
        for code, value in _ENTITIES.items():
            doc = doc.replace(code, value)
        doc = re.sub(r"<ANNOTATION>.*?</ANNOTATION>", "\n\t", doc, flags=re.S)
        head = re.search(r"<HEADLINE>(.*?)</HEADLINE>", doc, re.S)
        body = re.search(r"<TEXT>(.*?)</TEXT>", doc, re.S)
        marked = (" ".join(head.group(1).split()) + "\n" if head else "") + _lines(body.group(1) if body else "")
        # spans are found on the text the lines were joined into, so tags must survive _lines:
        text, spans = _plain(marked)
        for span in spans:
            span["text"] = text[span["start"]:span["end"]]
        spans = [s for s in spans if s["text"].strip()]
        rows.append({"id": doc_id, "set": "ieer", "genre": f"newswire ({source})", "text": text, "spans": spans})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python -m bench.ner_sets.convert_ieer ieer.zip /tmp/ner_ext")
    parser.add_argument("zip", type=Path, help="ieer.zip of nltk_data")
    parser.add_argument("out", type=Path, help="folder to write ieer/dev.jsonl and ieer/heldout.jsonl into")
    args = parser.parse_args(argv)
    rows = []
    with zipfile.ZipFile(args.zip) as archive:
        for name in sorted(archive.namelist()):
            base = name.rsplit("/", 1)[-1]
            if base.startswith(("APW_", "NYT_")):
                rows += documents(archive.read(name).decode("latin-1"), base.split("_")[0])
    folder = args.out / "ieer"
    folder.mkdir(parents=True, exist_ok=True)
    for split, keep in (("dev", False), ("heldout", True)):
        part = [r for r in rows if heldout(r["id"]) is keep]
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for r in part:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"ieer {split}: {len(part)} docs, {sum(len(r['spans']) for r in part)} spans -> {folder / split}.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
