"""Independent counts for the wild corpus: feedparser (feeds), lxml (sitemaps), warcio (WARC/ARC)."""
import gzip, json, sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
BASE = "http://127.0.0.1:8000/"   # where the crawl test serves a file: BASE + kind/name

def raw(p):
    data = p.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data

def feed_items(p):
    url = BASE + "feeds/" + p.name
    parsed = feedparser.parse(raw(p), response_headers={"content-location": url, "content-type": "application/xml"})
    links = []
    for e in parsed.entries:
        link = e.get("link")
        if not link:
            continue
        link = urljoin(url, link.strip())
        if urlsplit(link).scheme in ("http", "https") and link not in links:
            links.append(link)
    return {"dialect": parsed.get("version") or "unknown", "items": len(links), "urls": links}

def local(tag):
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""

def sitemap_items(p):
    data = raw(p)
    if p.name.endswith(".txt"):
        lines = [l.split(":", 1)[1].strip() for l in data.decode("utf-8", "replace").splitlines()
                 if l.lower().startswith("sitemap:")]
        return {"dialect": "robots.txt", "items": 0, "children": len(lines), "urls": [], "child_urls": lines}
    try:
        root = etree.fromstring(data, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return {"dialect": "unreadable", "items": 0, "children": 0}
    kind = local(root.tag)
    pages, children = [], []
    for el in root:
        if local(el.tag) in ("url", "sitemap"):
            locs = [c.text.strip() for c in el if local(c.tag) == "loc" and c.text and c.text.strip()]
            if locs:
                (pages if local(el.tag) == "url" else children).append(locs[0])
    exts = sorted({etree.QName(c).namespace.rsplit("/", 2)[-2] if etree.QName(c).namespace and "schemas/sitemap-" in etree.QName(c).namespace else local(c.tag)
                   for el in root for c in el if isinstance(c.tag, str) and local(c.tag) not in ("loc", "lastmod", "changefreq", "priority")})
    return {"dialect": kind + ("+" + "+".join(exts) if exts else ""), "items": len(dict.fromkeys(pages)),
            "children": len(dict.fromkeys(children)), "urls": list(dict.fromkeys(pages)),
            "child_urls": list(dict.fromkeys(children))}

def _possible(date):
    import datetime as dt
    if date is None:  # an ARC record: its 14-digit date
        return True
    try:
        parsed = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
        parsed.astimezone(dt.timezone.utc)
    except OverflowError:
        return False
    except ValueError:  # malformed (ClueWeb09 writes 2008-10-294T05:21:46-0700), not impossible
        return True
    return 1991 <= parsed.year <= dt.date.today().year + 1


def _offset(it):
    try:
        return it.get_record_offset()
    except Exception:  # noqa
        return "?"

def warc_counts(p):
    from warcio.archiveiterator import ArchiveIterator
    out = {"records": 0, "html_pages": 0, "complete_html_pages": 0, "pages_any": 0, "revisits": 0, "error": None}
    with open(p, "rb") as h:
        it = ArchiveIterator(h, arc2warc=True)
        try:
            for rec in it:
                out["records"] += 1
                if rec.rec_type == "revisit":
                    out["revisits"] += 1
                if rec.rec_type not in ("response", "resource"):
                    continue
                if rec.rec_type == "response" and rec.http_headers is None:
                    continue
                if rec.http_headers is not None:
                    status = rec.http_headers.get_statuscode()
                    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                else:
                    status, ctype = "200", (rec.rec_headers.get_header("Content-Type") or "").lower()
                try:
                    body = rec.raw_stream.read()
                except Exception as exc:  # noqa
                    out["error"] = f"body at {_offset(it)}: {type(exc).__name__}: {exc}"
                    continue
                if body:
                    out["pages_any"] += 1
                if status == "200" and ctype.startswith(("text/html", "application/xhtml+xml")):
                    out["html_pages"] += 1
                    # whole (warcio read every byte the record declares) and dated possibly
                    if not getattr(rec.raw_stream, "limit", 0) and _possible(rec.rec_headers.get_header("WARC-Date")):
                        out["complete_html_pages"] += 1
        except Exception as exc:  # noqa
            out["error"] = f"stopped at {_offset(it)}: {type(exc).__name__}: {str(exc)[:120]}"
    return out

result = {}
for p in sorted((ROOT / "feeds").iterdir()):
    result["feeds/" + p.name] = feed_items(p)
for p in sorted((ROOT / "sitemaps").iterdir()):
    result["sitemaps/" + p.name] = sitemap_items(p)
for p in sorted((ROOT / "warc").iterdir()):
    result["warc/" + p.name] = warc_counts(p)
(ROOT / "expected.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
tot = {}
for k, v in result.items():
    kind = k.split("/")[0]
    tot.setdefault(kind, [0, 0]); tot[kind][0] += 1; tot[kind][1] += v.get("items", v.get("html_pages", 0))
print(tot)
