"""Convert public NER gold standards into one JSONL format (our own converter).

Row: {"id", "set", "genre", "text", "spans": [{"start", "end", "label", "text"}]}
labels: PER, ORG, LOC, MISC.  Split: md5(id) decides; ~30% held out.
"""
import hashlib, json, re, subprocess, sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).parent
MIRROR = Path("/work/.mirror")

def git_show(repo, path):
    return subprocess.run(["git", "-C", str(MIRROR / repo / "repo"), "show", f"HEAD:{path}"],
                          capture_output=True, check=True).stdout.decode("utf-8")

def git_ls(repo):
    return subprocess.run(["git", "-C", str(MIRROR / repo / "repo"), "ls-tree", "-r", "--name-only", "HEAD"],
                          capture_output=True, check=True, text=True).stdout.split()

def heldout(doc_id):
    return int(hashlib.md5(doc_id.encode()).hexdigest()[:8], 16) % 10 < 3

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'", "..."}
NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "@"}

def detok(sentences):
    """sentences: list of list of (token, label-or-None). Returns text, token offsets."""
    text, offsets = "", []
    for si, sent in enumerate(sentences):
        if si:
            text += " "
        prev = None
        sent_offs = []
        for tok, _ in sent:
            if prev is not None and tok not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
                text += " "
            start = len(text)
            text += tok
            sent_offs.append((start, len(text)))
            prev = tok
        offsets.append(sent_offs)
    return text, offsets

def bio_spans(sentences, offsets, text, mapping, iob1=False):
    spans = []
    for sent, offs in zip(sentences, offsets):
        cur = None
        for (tok, tag), (s, e) in zip(sent, offs):
            if tag in (None, "O", "-", "_") or not tag:
                if cur: spans.append(cur); cur = None
                continue
            pre, _, typ = tag.partition("-")
            lab = mapping.get(typ)
            begins = pre == "B" or cur is None or cur["typ"] != typ
            if begins:
                if cur: spans.append(cur)
                cur = {"start": s, "end": e, "typ": typ, "label": lab}
            else:
                cur["end"] = e
        if cur: spans.append(cur)
    out = []
    for sp in spans:
        if sp["label"]:
            out.append({"start": sp["start"], "end": sp["end"], "label": sp["label"], "text": text[sp["start"]:sp["end"]]})
    return out

def row(set_name, doc_id, genre, text, spans):
    for sp in spans:
        assert text[sp["start"]:sp["end"]] == sp["text"], (doc_id, sp)
    return {"id": doc_id, "set": set_name, "genre": genre, "text": text, "spans": spans}

# ---------------- wikigold (IOB1, space separated, -DOCSTART-) ----------------
def wikigold():
    raw = git_show("caurdy+LGP-NER-RegEx", "wikigold.conll.txt")
    docs, cur, sent = [], None, []
    for line in raw.splitlines():
        line = line.strip()
        if line.startswith("-DOCSTART-"):
            if cur is not None:
                if sent: cur.append(sent); sent = []
                docs.append(cur)
            cur = []
            continue
        if not line:
            if sent and cur is not None: cur.append(sent); sent = []
            continue
        tok, tag = line.rsplit(" ", 1)
        sent.append((tok, tag))
    if sent: cur.append(sent)
    if cur: docs.append(cur)
    rows = []
    m = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
    for i, d in enumerate(docs):
        text, offs = detok(d)
        rows.append(row("wikigold", f"wikigold-{i:03d}", "wikipedia", text, bio_spans(d, offs, text, m)))
    return rows

# ---------------- BTC section G (mainstream news tweets) ----------------
def btc_g():
    raw = git_show("GateNLP+broad_twitter_corpus", "g.conll")
    tweets, sent = [], []
    for line in raw.splitlines():
        if not line.strip():
            if sent: tweets.append([sent]); sent = []
            continue
        tok, tag = line.split("\t")
        sent.append((tok, tag))
    if sent: tweets.append([sent])
    rows = []
    m = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
    for i, d in enumerate(tweets):
        text, offs = detok(d)
        rows.append(row("btc_news", f"btc-g-{i:04d}", "news-tweet", text, bio_spans(d, offs, text, m)))
    return rows

# ---------------- WNUT-17 test ----------------
def wnut17():
    raw = git_show("leondz+emerging_entities_17", "emerging.test.annotated")
    docs, sent = [], []
    for line in raw.splitlines():
        if not line.strip():
            if sent: docs.append([sent]); sent = []
            continue
        tok, tag = line.split("\t")[:2]
        sent.append((tok, tag))
    if sent: docs.append([sent])
    m = {"person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG",
         "product": "MISC", "creative-work": "MISC"}
    rows = []
    for i, d in enumerate(docs):
        text, offs = detok(d)
        rows.append(row("wnut17", f"wnut17-test-{i:04d}", "social", text, bio_spans(d, offs, text, m)))
    return rows

# ---------------- UNER English-EWT dev+test (uses the # text lines) ----------------
def uner_ewt():
    return uner("UniversalNER+UNER_English-EWT", ["en_ewt-ud-dev.iob2", "en_ewt-ud-test.iob2"], "uner_ewt", "ewt",
                lambda doc_id: doc_id.split("-")[0])

def uner_pud():
    # PUD documents: n... = news, w... = Wikipedia (the Parallel UD sentences)
    return uner("UniversalNER+UNER_English-PUD", ["en_pud-ud-test.iob2"], "uner_pud", "pud",
                lambda doc_id: "news" if doc_id.startswith("n") else "wikipedia")

def uner(repo, files, set_name, prefix, genre_of):
    rows = []
    for path in files:
        raw = git_show(repo, path)
        docs = []  # (docid, [(sent_text, [(tok, tag)])])
        cur_text, toks = None, []
        def flush():
            nonlocal toks, cur_text
            if toks:
                docs[-1][1].append((cur_text, toks))
            toks, cur_text = [], None
        for line in raw.splitlines():
            if line.startswith("# newdoc id"):
                flush(); docs.append((line.split("=", 1)[1].strip(), []))
            elif line.startswith("# text ="):
                cur_text = line.split("=", 1)[1].strip()
            elif line.startswith("#"):
                continue
            elif not line.strip():
                flush()
            else:
                cols = line.split("\t")
                toks.append((cols[1], cols[2]))
        flush()
        m = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
        for doc_id, sents in docs:
            text, sent_offs, tagged = "", [], []
            for st, tk in sents:
                if text: text += " "
                base = len(text)
                text += st
                offs, pos = [], 0
                for tok, _ in tk:
                    j = st.find(tok, pos)
                    if j < 0:
                        raise ValueError((doc_id, tok, st))
                    offs.append((base + j, base + j + len(tok))); pos = j + len(tok)
                sent_offs.append(offs); tagged.append(tk)
            rows.append(row(set_name, f"{prefix}-{doc_id}", genre_of(doc_id), text, bio_spans(tagged, sent_offs, text, m)))
    return rows

# ---------------- GUM (Wikinews news + interviews; Wikipedia bios, Wikivoyage) ----------------
OPEN = re.compile(r"\((\d+)-")
TITLES = {"president", "prime", "minister", "mr.", "mrs.", "ms.", "dr.", "senator", "sen.", "gov.",
          "governor", "king", "queen", "prince", "princess", "pope", "general", "gen.", "captain",
          "chancellor", "secretary", "judge", "justice", "rep.", "lord", "sir", "saint", "st.",
          "professor", "prof.", "mayor", "dame", "emperor", "empress", "sheikh", "ayatollah", "chief",
          "director", "colonel", "col.", "lt.", "sergeant", "sgt.", "commander", "admiral", "bishop",
          "archbishop", "cardinal", "rev.", "reverend", "father", "brother", "sister", "duke", "count",
          "representative", "vice", "deputy", "foreign", "defence", "defense", "state", "ambassador",
          "coach", "lady", "officer", "detective", "inspector", "superintendent", "constable", "agent",
          "spokesman", "spokeswoman", "councillor", "councilman", "councilwoman", "congressman",
          "congresswoman", "assemblyman", "senior", "leader", "chairman", "chairwoman", "ceo"}
CONNECT = {"of", "and", "&", "for", "de", "the", "du", "la", "le", "von", "van", "der", "al", "-", "on"}

def parse_entity_field(val):
    """Return list of ('open', id, fields) / ('close', id) in order."""
    events = []
    i = 0
    while i < len(val):
        if val[i] == "(":
            mo = OPEN.match(val, i)
            if mo:
                # fields until next "(\d+-" opening, or a ")" closing this same id at the end of a token group
                j = i + 1
                nxt = OPEN.search(val, j)
                end = nxt.start() if nxt else len(val)
                chunk = val[i + 1:end]
                # single-token close: chunk ends with ")" possibly followed by other closes like "4)"
                closes = []
                m2 = re.search(r"((?:\)\d*)*)$", chunk)
                tail = m2.group(1) if m2 else ""
                # tail like ")4)" : first ")" closes this one, "4)" closes entity 4
                body = chunk[: len(chunk) - len(tail)] if tail else chunk
                fields = body.split("-", 7)
                events.append(("open", fields[0], fields))
                if tail:
                    parts = re.findall(r"(\d*)\)", tail)
                    for p in parts:
                        events.append(("close", p or fields[0]))
                i = end
                continue
        mo = re.match(r"(\d+)\)", val[i:])
        if mo:
            events.append(("close", mo.group(1))); i += len(mo.group(0)); continue
        i += 1
    return events

def gum_doc(conllu):
    sents, cur = [], None
    paras = []
    for line in conllu.splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_"):
            paras.append(len(sents))
        if line.startswith("# sent_id"):
            cur = []; sents.append(cur)
        elif line and not line.startswith("#"):
            c = line.split("\t")
            if "-" in c[0] or "." in c[0]:
                continue
            cur.append(c)
    # text
    text, toks = "", []  # toks: (sent, idx, start, end, form, upos, head)
    para_starts = set(paras)
    for si, s in enumerate(sents):
        if si:
            text += "\n\n" if si in para_starts else " "
        for c in s:
            start = len(text); text += c[1]
            toks.append({"s": si, "i": int(c[0]), "start": start, "end": len(text), "form": c[1],
                         "upos": c[3], "xpos": c[4], "head": int(c[6]) if c[6].isdigit() else -1, "misc": c[9]})
            if "SpaceAfter=No" not in c[9]:
                text += " "
        text = text.rstrip(" ")
    # mentions
    mentions, stack = [], defaultdict(list)
    for k, t in enumerate(toks):
        ent = next((f[7:] for f in t["misc"].split("|") if f.startswith("Entity=")), None)
        if not ent:
            continue
        for ev in parse_entity_field(ent):
            if ev[0] == "open":
                stack[ev[1]].append((k, ev[2]))
            else:
                if stack[ev[1]]:
                    k0, fields = stack[ev[1]].pop()
                    mentions.append((k0, k, fields))
    return text, toks, mentions

def gum_names(text, toks, mentions, place_ids):
    spans = []
    for k0, k1, f in mentions:
        etype = f[1] if len(f) > 1 else ""
        ident = f[7] if len(f) > 7 else ""
        if etype not in ("person", "organization", "place"):
            continue
        idxs = range(k0, k1 + 1)
        sent = toks[k0]["s"]
        inside = {toks[k]["i"] for k in idxs}
        heads = [k for k in idxs if toks[k]["head"] not in inside]
        h = heads[0] if heads else k0
        if toks[h]["upos"] == "PROPN":
            center = h
        elif ident:
            # longest PROPN token in the span not covered by a nested mention
            nested = set()
            for a, b, _ in mentions:
                if k0 <= a and b <= k1 and (a, b) != (k0, k1):
                    nested.update(range(a, b + 1))
            cands = [k for k in idxs if toks[k]["upos"] == "PROPN" and k not in nested]
            if not cands:
                continue
            center = cands[-1]
        else:
            continue
        def ok(k):
            return k0 <= k <= k1 and toks[k]["s"] == sent
        def namey(k):
            t = toks[k]
            return t["upos"] == "PROPN" or (t["form"][:1].isupper() and t["upos"] in ("ADJ", "NOUN", "VERB") and t["i"] > 1)
        a = center
        while ok(a - 1) and (namey(a - 1) or
                             (toks[a - 1]["form"].lower() in CONNECT and ok(a - 2) and namey(a - 2))):
            a -= 1
        b = center
        while ok(b + 1) and (namey(b + 1) or
                             (toks[b + 1]["upos"] == "NUM" and toks[b]["upos"] == "PROPN") or
                             (toks[b + 1]["form"].lower() in CONNECT and ok(b + 2) and namey(b + 2))):
            b += 1
        label = {"person": "PER", "organization": "ORG", "place": "LOC"}[etype]
        if label == "ORG" and ident and ident in place_ids:
            label = "LOC"
        if label == "PER":
            # a person's name without titles or what precedes them ("Pennsylvania Senator Rick Santorum")
            cut = [k for k in range(a, b + 1) if toks[k]["form"].lower() in TITLES]
            if cut and cut[-1] < b:
                a = cut[-1] + 1
            elif cut:
                continue
            # coordinated people are two names
            ands = [k for k in range(a, b + 1) if toks[k]["form"].lower() in ("and", "&", "of")]
            if ands:
                b = ands[0] - 1
            if a == b and toks[a]["misc"] is not None and toks[a].get("xpos") == "NNPS":
                continue
        while a <= b and toks[a]["form"].lower() in CONNECT:
            a += 1
        if a > b or not text[toks[a]["start"]].isupper() and not text[toks[a]["start"]].isdigit() or all(toks[k]["form"].lower() in TITLES for k in range(a, b + 1)):
            continue
        s, e = toks[a]["start"], toks[b]["end"]
        spans.append({"start": s, "end": e, "label": label, "text": text[s:e]})
    # dedupe identical spans
    seen, out = set(), []
    for sp in sorted(spans, key=lambda x: (x["start"], -x["end"])):
        key = (sp["start"], sp["end"])
        if key in seen: continue
        seen.add(key); out.append(sp)
    return out

def gum():
    repo = "amir-zeldes+gum"
    files = [p for p in git_ls(repo) if p.startswith("dep/GUM_") and p.endswith(".conllu")]
    parsed = {p: gum_doc(git_show(repo, p)) for p in files}
    place_ids = set()
    for text, toks, ments in parsed.values():
        for _, _, f in ments:
            if len(f) > 7 and f[1] == "place" and f[7]:
                place_ids.add(f[7])
    rows = {"gum_wikinews": [], "gum_wiki": []}
    for p, (text, toks, ments) in parsed.items():
        genre = p.split("_")[1]
        if genre in ("news", "interview"):
            set_name = "gum_wikinews"
        elif genre in ("bio", "voyage"):
            set_name = "gum_wiki"
        else:
            continue
        doc = p.split("/")[-1][:-7]
        rows[set_name].append(row(set_name, doc, genre, text, gum_names(text, toks, ments, place_ids)))
    return rows

def write(set_name, rows):
    d = OUT / set_name
    d.mkdir(exist_ok=True)
    dev = [r for r in rows if not heldout(r["id"])]
    held = [r for r in rows if heldout(r["id"])]
    for name, rs in (("dev.jsonl", dev), ("heldout.jsonl", held)):
        with open(d / name, "w", encoding="utf-8") as fh:
            for r in rs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = lambda rs: sum(len(r["spans"]) for r in rs)
    print(f"{set_name}: dev {len(dev)} docs {n(dev)} spans; heldout {len(held)} docs {n(held)} spans")

if __name__ == "__main__":
    which = sys.argv[1:] or ["gum", "wikigold", "btc", "wnut17", "uner"]
    if "gum" in which:
        for k, v in gum().items(): write(k, v)
    if "wikigold" in which: write("wikigold", wikigold())
    if "btc" in which: write("btc_news", btc_g())
    if "wnut17" in which: write("wnut17", wnut17())
    if "uner" in which: write("uner_ewt", uner_ewt())
    if "pud" in which: write("uner_pud", uner_pud())
