"""Render the demo site from content.py into data/demo-site.

The pages in data/demo-site are generated: edit content.py (the stories) or this
file (the outlets' templates), then run ``python tools/demo_site/build.py`` and
keep data/demo-site/expected.yml in step (it is written by this script too).
"""
from __future__ import annotations

import html
import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import yaml

from content import ARTICLES, OUTLETS

OUT = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "demo-site")
BASE = "__BASE__"

TZ = {
    "harbour-herald": timezone(timedelta(hours=1)),
    "westgate-post": timezone(timedelta(hours=1)),
    "capital-dispatch": timezone(timedelta(hours=-4)),
    "northbridge-observer": timezone(timedelta(hours=1)),
}

# Per-outlet boilerplate text (all visible, plain ASCII).
BOILER = {
    "harbour-herald": dict(
        nav="Explore the Herald: news, views and weather from the coast and beyond.",
        cookie="We use cookies to give you the best experience on The Harbour Herald and to show you relevant adverts. You can change your settings at any time.",
        newsletter="Sign up for the Morning Tide newsletter and get the day's top stories in your inbox every morning.",
        related="More Latest News",
        footer="Copyright 2023 The Harbour Herald Ltd. All rights reserved.",
        share="Share this article",
    ),
    "westgate-post": dict(
        nav="Your local paper since 1887 - choose a section:",
        cookie="This website uses cookies. We and our partners use cookies to personalise content and ads and to analyse our traffic.",
        newsletter="Get the Post's best stories sent to your inbox every evening - sign up to our free newsletter.",
        related="Related headlines",
        footer="Copyright 2023 Westgate Media Group Ltd. Westgate Evening Post is a registered trademark.",
        share="Share this story:",
    ),
    "capital-dispatch": dict(
        nav="Independent reporting from the nation's capital. Sections:",
        cookie="We use cookies and similar technologies to run this site and to measure our audience. Read our privacy policy to learn more.",
        newsletter="Get The Dispatch Morning Briefing: the news you need, before your first cup of coffee.",
        related="More Latest News",
        footer="Copyright 2023 The Capital Dispatch Company. All rights reserved.",
        share="Share",
    ),
    "northbridge-observer": dict(
        nav="The Observer, Northbridge's independent voice. Go to:",
        cookie="We use cookies to make this website work and to understand how you use it. By continuing you agree to our use of cookies.",
        newsletter="Want the Observer in your inbox? Sign up for our free daily newsletter, The Quay.",
        related="Related headlines",
        footer="Copyright 2023 Northbridge Observer Media DAC. All rights reserved.",
        share="Share this story",
    ),
}

SECTION_NAMES = {
    "uk": "UK", "world": "World", "weather": "Weather", "local": "Local", "sport": "Sport",
    "world/africa": "Africa", "world/americas": "Americas", "uk/politics": "Politics",
    "metro": "Metro", "analysis": "Analysis",
}

TAG_WORDS = {"mali": ["Mali"], "russia": ["Russia", "Wagner", "Putin"],
             "defence": ["Ministry of Defence", "Pentagon", "Defense Department"],
             "cyber-security": [".ml"]}


def e(s: str) -> str:
    return html.escape(s, quote=False)


def a(s: str) -> str:
    """Attribute value for a double-quoted attribute; apostrophes stay plain."""
    return html.escape(s, quote=False).replace('"', "&quot;")


def slugify(name: str) -> str:
    return name.lower().replace(" ", "-").replace("'", "")


def pub_dt(art: dict) -> datetime:
    d = datetime.strptime(f"{art['date']} {art['time']}", "%Y-%m-%d %H:%M")
    return d.replace(tzinfo=TZ[art["outlet"]])


def path_of(art: dict) -> str:
    o, d = art["outlet"], art["date"]
    y, m, dd = d.split("-")
    if o == "harbour-herald":
        return f"/news/{y}/{m}/{dd}/{art['slug']}.html"
    if o == "westgate-post":
        return f"/{art['section']}/{art['slug']}-{art['num']}.html"
    if o == "capital-dispatch":
        return f"/article/{art['slug']}/index.html"
    return f"/stories/{y}/{m}{dd}/{art['slug']}.html"


BY_KEY = {x["key"]: x for x in ARTICLES}
for x in ARTICLES:
    x["path"] = path_of(x)


def outlet_articles(outlet: str) -> list[dict]:
    return sorted([x for x in ARTICLES if x["outlet"] == outlet], key=pub_dt, reverse=True)


def tags_of(art: dict) -> list[str]:
    text = " ".join(art["paras"])
    return [t for t, words in TAG_WORDS.items() if any(w in text for w in words)]


def related_for(art: dict, n: int = 5) -> list[dict]:
    others = [x for x in outlet_articles(art["outlet"]) if x["key"] != art["key"]]
    return others[:n]


def write(path: str, text: str) -> None:
    full = os.path.join(OUT, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def first_snippet(p: str, n: int = 70) -> str:
    cut = p[:n]
    if len(p) > n:
        cut = cut[: cut.rfind(" ")]
    return cut


def last_snippet(p: str, n: int = 70) -> str:
    if len(p) <= n:
        return p
    tail = p[-n:]
    return tail[tail.find(" ") + 1:]


# ------------------------------------------------------------------ shared widgets
def body_html(art: dict, para_tag: str, readmore_tpl: str, figure_tpl: str) -> str:
    """Paragraphs with a figure after the first and Read more lines where content asks."""
    parts = []
    cap, agency = art["picture"]
    for i, p in enumerate(art["paras"]):
        parts.append(para_tag.format(text=e(p)))
        if i == 0:
            parts.append(figure_tpl.format(src="/static/photo.svg", alt=a(cap), cap=e(cap), agency=e(agency)))
        for k in art["readmore"].get(i + 1, []):
            t = BY_KEY[k]
            parts.append(readmore_tpl.format(href=t["path"], title=e(t["title"])))
    return "\n".join(parts)


def share_links(url: str) -> list[tuple[str, str]]:
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
        ("X", f"https://twitter.com/intent/tweet?url={url}"),
        ("WhatsApp", f"https://wa.me/?text={url}"),
        ("Email", f"mailto:?subject=Shared%20story&body={url}"),
    ]


# ------------------------------------------------------------------ The Harbour Herald
def hh_chrome(title: str, head_extra: str, main: str) -> str:
    b = BOILER["harbour-herald"]
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/rss+xml" title="The Harbour Herald" href="/feed.xml">
{head_extra}
</head>
<body>
<div id="cookie-banner" class="cookie-banner" role="dialog">
<p>{b['cookie']}</p>
<button type="button" class="accept">Accept</button> <button type="button">Manage settings</button>
</div>
<header class="site-header">
<a class="logo" href="/">The Harbour Herald</a>
<nav aria-label="Main">
<p class="nav-label">{b['nav']}</p>
<ul>
<li><a href="/">Home</a></li>
<li><a href="/uk/index.html">UK</a></li>
<li><a href="/world/index.html">World</a></li>
<li><a href="/local/index.html">Local</a></li>
<li><a href="/weather/index.html">Weather</a></li>
<li><a href="/tag/mali/index.html">Mali</a></li>
</ul>
</nav>
</header>
{main}
<footer class="site-footer">
<ul><li><a href="/about.html">About us</a></li><li><a href="/about.html#contact">Contact</a></li><li><a href="/about.html#privacy">Privacy policy</a></li><li><a href="/about.html#cookies">Cookie policy</a></li></ul>
<p>{b['footer']}</p>
</footer>
</body>
</html>
"""


def hh_article(art: dict) -> str:
    b = BOILER["harbour-herald"]
    url = BASE + art["path"]
    dt = pub_dt(art)
    author_slug = slugify(art["author"])
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
        "description": art["standfirst"], "datePublished": dt.isoformat(),
        "dateModified": (dt + timedelta(minutes=35)).isoformat(),
        "author": [{"@type": "Person", "name": art["author"], "url": f"{BASE}/author/{author_slug}/index.html"}],
        "publisher": {"@type": "Organization", "name": "The Harbour Herald",
                      "logo": {"@type": "ImageObject", "url": f"{BASE}/static/logo.svg"}},
        "image": [f"{BASE}/static/photo.svg"], "mainEntityOfPage": url,
        "articleSection": SECTION_NAMES[art["section"]], "inLanguage": "en-GB",
    }
    head = f"""<meta name="description" content="{a(art['standfirst'])}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="The Harbour Herald">
<meta property="og:title" content="{a(art['title'])}">
<meta property="og:description" content="{a(art['standfirst'])}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{BASE}/static/photo.svg">
<script type="application/ld+json">
{json.dumps(ld, indent=1)}
</script>"""
    listen = ""
    if art.get("listen"):
        listen = '<div class="audio-player"><p>Listen to this article</p><p class="audio-status">Loading audio...</p></div>'
    body = body_html(
        art, "<p>{text}</p>",
        '<p class="read-more">Read more: <a href="{href}">{title}</a></p>',
        '<figure class="story-picture"><img src="{src}" alt="{alt}" width="800" height="450"><figcaption>{cap}. Picture: {agency}</figcaption></figure>',
    )
    shares = "".join(f'<li><a href="{a(h)}">{n}</a></li>' for n, h in share_links(url))
    related = "\n".join(f'<li><a href="{r["path"]}">{e(r["title"])}</a></li>' for r in related_for(art))
    tags = "".join(f'<li><a href="/tag/{t}/index.html">{t}</a></li>' for t in tags_of(art) if t == "mali")
    main = f"""<main id="content">
<article class="story">
<header class="story-header">
<p class="kicker"><a href="/{art['section']}/index.html">{SECTION_NAMES[art['section']]}</a></p>
<h1>{e(art['title'])}</h1>
<p class="standfirst">{e(art['standfirst'])}</p>
<p class="byline">By <a rel="author" href="/author/{author_slug}/index.html">{e(art['author'])}</a></p>
<p class="dateline"><time datetime="{dt.isoformat()}">{dt.day} {dt.strftime('%B %Y')}, {dt.strftime('%H:%M')}</time></p>
</header>
{listen}
<div class="story-body">
{body}
</div>
<ul class="story-tags">{tags}</ul>
<aside class="share-tools"><p>{b['share']}</p><ul>{shares}</ul></aside>
</article>
<aside class="newsletter">
<h2>The Morning Tide</h2>
<p>{b['newsletter']}</p>
<form action="/newsletter.html" method="get"><input type="email" name="email" placeholder="Your email address"> <button type="submit">Sign up</button></form>
</aside>
<section class="related">
<h2>{b['related']}</h2>
<ul>
{related}
</ul>
</section>
</main>"""
    return hh_chrome(f"{art['title']} | The Harbour Herald", head, main)


def hh_listing(title: str, heading: str, intro: str, arts: list[dict], path: str, extra: str = "") -> str:
    head = f"""<link rel="canonical" href="{BASE}{path}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="The Harbour Herald">
<meta property="og:title" content="{a(title)}">
<meta property="og:url" content="{BASE}{path}">"""
    items = "\n".join(
        f'<li class="teaser"><h3><a href="{x["path"]}">{e(x["title"])}</a></h3><p>{e(x["standfirst"])}</p></li>'
        for x in arts)
    main = f"""<main id="content" class="listing">
<h1>{e(heading)}</h1>
<p class="intro">{e(intro)}</p>
<ul class="teasers">
{items}
</ul>
{extra}
</main>"""
    return hh_chrome(title, head, main)


# ------------------------------------------------------------------ Westgate Evening Post
WP_SECTIONS = ["world/africa", "world/americas", "uk/politics", "local", "sport"]


def wp_chrome(title: str, head_extra: str, main: str, side: str) -> str:
    b = BOILER["westgate-post"]
    nav = " ".join(f'<a href="/{s}/index.html">{SECTION_NAMES[s]}</a>' for s in WP_SECTIONS)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/atom+xml" title="Westgate Evening Post" href="/atom.xml">
{head_extra}
</head>
<body>
<div class="cc-bar"><div class="cc-text">{b['cookie']}</div><div class="cc-btn" onclick="this.parentNode.style.display='none'">Accept</div></div>
<div class="top">
<div class="logo"><a href="/">Westgate Evening Post</a></div>
<div class="navwrap"><div class="navtxt">{b['nav']}</div><div class="nav"><a href="/">Home</a> {nav} <a href="/topics/mali.html">Mali</a></div></div>
</div>
<div class="wrap">
<div class="col-main">
{main}
</div>
<div class="col-side">
{side}
</div>
</div>
<div class="ftr"><div class="ftr-links"><a href="/about.html">About us</a> | <a href="/about.html#terms">Terms</a> | <a href="/about.html#privacy">Privacy</a></div><div class="ftr-copy">{b['footer']}</div></div>
</body>
</html>
"""


def wp_side(arts: list[dict]) -> str:
    b = BOILER["westgate-post"]
    items = "\n".join(f'<div class="si"><a href="{x["path"]}">{e(x["title"])}</a></div>' for x in arts)
    return f'<div class="side-h">{b["related"]}</div>\n<div class="side-list">\n{items}\n</div>'


def wp_article(art: dict) -> str:
    b = BOILER["westgate-post"]
    url = BASE + art["path"]
    dt = pub_dt(art)
    head = f"""<meta name="description" content="{a(art['standfirst'])}">
<meta name="author" content="{a(art['author'])}">
<meta property="article:published_time" content="{dt.isoformat()}">
<meta property="article:section" content="{SECTION_NAMES[art['section']]}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Westgate Evening Post">
<meta property="og:title" content="{a(art['title'])}">
<meta property="og:description" content="{a(art['standfirst'])}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{BASE}/static/photo.svg">
<link rel="canonical" href="{url}">"""
    body = body_html(
        art, '<div class="para">{text}</div>',
        '<div class="rm">Read more: <a href="{href}">{title}</a></div>',
        '<div class="pic"><img src="{src}" alt="{alt}"><div class="cap">{cap}. Picture: {agency}</div></div>',
    )
    shares = " ".join(f'<a class="sh" href="{a(h)}">{n}</a>' for n, h in share_links(url))
    main = f"""<div class="crumb"><a href="/">Home</a> &gt; <a href="/{art['section']}/index.html">{SECTION_NAMES[art['section']]}</a></div>
<div class="hl"><h1>{e(art['title'])}</h1></div>
<div class="sub">{e(art['standfirst'])}</div>
<div class="txt">
{body}
</div>
<div class="shr">{b['share']} {shares}</div>
<div class="nl"><div class="nl-t">{b['newsletter']}</div><input type="text" name="email" value=""> <span class="btn">Subscribe</span></div>"""
    return wp_chrome(f"{art['title']} - Westgate Evening Post", head, main, wp_side(related_for(art)))


def wp_listing(title: str, intro: str, arts: list[dict], path: str, extra: str = "") -> str:
    head = f"""<meta property="og:type" content="website">
<meta property="og:site_name" content="Westgate Evening Post">
<meta property="og:title" content="{a(title)}">
<meta property="og:url" content="{BASE}{path}">
<link rel="canonical" href="{BASE}{path}">"""
    items = "\n".join(
        f'<div class="lst"><div class="lst-h"><a href="{x["path"]}">{e(x["title"])}</a></div><div class="lst-s">{e(x["standfirst"])}</div></div>'
        for x in arts)
    main = f'<div class="hl"><h1>{e(title)}</h1></div>\n<div class="sub">{e(intro)}</div>\n{items}\n{extra}'
    page_title = title if title == "Westgate Evening Post" else f"{title} - Westgate Evening Post"
    return wp_chrome(page_title, head, main, wp_side(outlet_articles("westgate-post")[:4]))


# ------------------------------------------------------------------ The Capital Dispatch
CD_SECTIONS = ["world", "metro"]


def cd_chrome(title: str, head_extra: str, main: str) -> str:
    b = BOILER["capital-dispatch"]
    nav = " ".join(f'<a href="/section/{s}/index.html">{SECTION_NAMES[s]}</a>' for s in CD_SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/rss+xml" title="The Capital Dispatch" href="/rss.xml">
{head_extra}
</head>
<body>
<div class="consent"><span>{b['cookie']}</span> <button type="button">Accept</button></div>
<header class="masthead">
<a class="brand" href="/">The Capital Dispatch</a>
<nav><span class="tagline">{b['nav']}</span> <a href="/">Home</a> {nav}</nav>
</header>
{main}
<footer><p>{b['footer']}</p><p><a href="/about.html">About</a> <a href="/about.html#ethics">Ethics policy</a> <a href="/about.html#privacy">Privacy</a></p></footer>
</body>
</html>
"""


def cd_article(art: dict) -> str:
    b = BOILER["capital-dispatch"]
    url = BASE + art["path"]
    dt = pub_dt(art)
    hour = dt.strftime("%I:%M").lstrip("0")
    ampm = "a.m." if dt.hour < 12 else "p.m."
    head = f"""<meta name="description" content="{a(art['standfirst'])}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{a(art['title'])}">
<meta property="og:url" content="{url}">"""
    body = body_html(
        art, "<p>{text}</p>",
        '<p class="readmore"><strong>Read more:</strong> <a href="{href}">{title}</a></p>',
        '<div class="photo"><img src="{src}" alt="{alt}"><p class="credit">{cap}. Picture: {agency}</p></div>',
    )
    shares = " ".join(f'<a class="btn-share" href="{a(h)}">{n}</a>' for n, h in share_links(url))
    author_slug = slugify(art["author"])
    related = "\n".join(f'<li><a href="{r["path"]}">{e(r["title"])}</a></li>' for r in related_for(art, 4))
    main = f"""<main>
<div class="article-header">
<a class="section-label" href="/section/{art['section']}/index.html">{SECTION_NAMES[art['section']]}</a>
<h1>{e(art['title'])}</h1>
<h2 class="dek">{e(art['standfirst'])}</h2>
<div class="meta"><span class="byline">By <a href="/people/{author_slug}/index.html">{e(art['author'])}</a></span> | <time datetime="{dt.isoformat()}">{dt.strftime('%B')} {dt.day}, {dt.year} at {hour} {ampm} EDT</time></div>
<div class="social">{b['share']} {shares}</div>
</div>
<section class="article-body">
{body}
</section>
<div class="signup"><p>{b['newsletter']}</p><form action="/newsletter.html"><input type="email" name="e"> <button>Subscribe</button></form></div>
<section class="more"><h3>{b['related']}</h3><ul>
{related}
</ul></section>
</main>"""
    return cd_chrome(f"{art['title']} - The Capital Dispatch", head, main)


def cd_listing(title: str, intro: str, arts: list[dict], path: str, extra: str = "") -> str:
    head = f"""<link rel="canonical" href="{BASE}{path}">
<meta property="og:type" content="website">
<meta property="og:title" content="{a(title)}">"""
    items = "\n".join(
        f'<li><a href="{x["path"]}">{e(x["title"])}</a> <span class="dek">{e(x["standfirst"])}</span></li>' for x in arts)
    title_tag = title if title == "The Capital Dispatch" else f"{title} - The Capital Dispatch"
    main = f'<main class="front">\n<h1>{e(title)}</h1>\n<p>{e(intro)}</p>\n<ul class="river">\n{items}\n</ul>\n{extra}\n</main>'
    return cd_chrome(title_tag, head, main)


# ------------------------------------------------------------------ The Northbridge Observer
NB_SECTIONS = ["world", "analysis", "local", "sport"]


def nb_chrome(title: str, head_extra: str, main: str) -> str:
    b = BOILER["northbridge-observer"]
    nav = " | ".join(f'<a href="/{s}/index.html">{SECTION_NAMES[s]}</a>' for s in NB_SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en-IE">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/rss+xml" title="Northbridge Observer - latest" href="/feeds/latest.xml">
{head_extra}
</head>
<body>
<section class="gdpr"><p>{b['cookie']}</p><p><a href="#" class="gdpr-accept">Accept</a> <a href="/about.html#cookies">Cookie settings</a></p></section>
<div class="masthead"><a href="/" class="brand">The Northbridge Observer</a></div>
<nav class="menu"><p>{b['nav']} <a href="/">Home</a> | {nav} | <a href="/tags/mali.html">Mali</a></p></nav>
{main}
<footer class="foot"><p><a href="/about.html">About the Observer</a> - <a href="/about.html#complaints">Complaints</a></p><p>{b['footer']}</p></footer>
</body>
</html>
"""


def nb_article(art: dict) -> str:
    b = BOILER["northbridge-observer"]
    url = BASE + art["path"]
    dt = pub_dt(art)
    head = f"""<meta name="description" content="{a(art['standfirst'])}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="The Northbridge Observer">
<meta property="og:title" content="{a(art['title'])}">
<meta property="og:url" content="{url}">"""
    if art["author"]:
        byline = (f'By <span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                  f'<a itemprop="url" href="/authors/{slugify(art["author"])}.html"><span itemprop="name">{e(art["author"])}</span></a></span>')
    else:
        byline = (f'<span itemprop="author" itemscope itemtype="https://schema.org/Organization">'
                  f'<span itemprop="name">{e(art["wire"])}</span></span>')
    listen = ""
    if art.get("listen"):
        listen = '<div class="listen"><span>Listen to this article</span> <span class="listen-state">Loading audio...</span></div>'
    body = body_html(
        art, "<p>{text}</p>",
        '<p class="also">Read more: <a href="{href}">{title}</a></p>',
        '<figure><img src="{src}" alt="{alt}"><figcaption>{cap}. Picture: {agency}</figcaption></figure>',
    )
    credit = ""
    if art.get("wire"):
        credit = f'<p class="wire-credit">This story was supplied by {e(art["wire"])}.</p>'
    shares = " ".join(f'<a href="{a(h)}" class="share-{n.lower()}">{n}</a>' for n, h in share_links(url))
    related = "\n".join(f'<li><a href="{r["path"]}">{e(r["title"])}</a></li>' for r in related_for(art, 4))
    main = f"""<div id="main">
<article itemscope itemtype="https://schema.org/NewsArticle">
<meta itemprop="datePublished" content="{dt.isoformat()}">
<h1 itemprop="headline">{e(art['title'])}</h1>
<p class="intro" itemprop="description">{e(art['standfirst'])}</p>
<p class="byline">{byline}</p>
<p class="stamp">{dt.strftime('%d/%m/%Y %H:%M')}</p>
{listen}
<div itemprop="articleBody">
{body}
</div>
{credit}
<div class="sharebar">{b['share']}: {shares}</div>
</article>
<div class="newsletter-box"><p>{b['newsletter']}</p><p><a href="/newsletter.html">Sign me up</a></p></div>
<div class="related"><h2>{b['related']}</h2><ul>
{related}
</ul></div>
</div>"""
    return nb_chrome(f"{art['title']} - The Northbridge Observer", head, main)


def nb_listing(title: str, intro: str, arts: list[dict], path: str, extra: str = "") -> str:
    head = f"""<link rel="canonical" href="{BASE}{path}">
<meta property="og:type" content="website">
<meta property="og:title" content="{a(title)}">"""
    items = "\n".join(
        f'<div class="card"><h2><a href="{x["path"]}">{e(x["title"])}</a></h2><p>{e(x["standfirst"])}</p></div>' for x in arts)
    title_tag = title if title == "The Northbridge Observer" else f"{title} - The Northbridge Observer"
    main = f'<div id="main" class="listing">\n<h1>{e(title)}</h1>\n<p>{e(intro)}</p>\n{items}\n{extra}\n</div>'
    return nb_chrome(title_tag, head, main)


RENDER = {"harbour-herald": hh_article, "westgate-post": wp_article,
          "capital-dispatch": cd_article, "northbridge-observer": nb_article}


def listing(outlet: str, title: str, intro: str, arts: list[dict], path: str, extra: str = "") -> str:
    if outlet == "harbour-herald":
        page_title = title if title == OUTLETS[outlet]["name"] else f"{title} | The Harbour Herald"
        return hh_listing(page_title, title, intro, arts, path, extra)
    if outlet == "westgate-post":
        return wp_listing(title, intro, arts, path, extra)
    if outlet == "capital-dispatch":
        return cd_listing(title, intro, arts, path, extra)
    return nb_listing(title, intro, arts, path, extra)


# ------------------------------------------------------------------ listing pages per outlet
def section_path(outlet: str, section: str) -> str:
    if outlet == "capital-dispatch":
        return f"/section/{section}/index.html"
    return f"/{section}/index.html"


def author_path(outlet: str, name: str) -> str:
    s = slugify(name)
    return {"harbour-herald": f"/author/{s}/index.html", "westgate-post": f"/authors/{s}.html",
            "capital-dispatch": f"/people/{s}/index.html", "northbridge-observer": f"/authors/{s}.html"}[outlet]


def tag_path(outlet: str, tag: str) -> str:
    return {"harbour-herald": f"/tag/{tag}/index.html", "westgate-post": f"/topics/{tag}.html",
            "capital-dispatch": f"/topics/{tag}/index.html", "northbridge-observer": f"/tags/{tag}.html"}[outlet]


def build_listings(outlet: str) -> list[str]:
    """Homepage, section, tag and author pages; returns their paths (for sitemaps)."""
    arts = outlet_articles(outlet)
    name = OUTLETS[outlet]["name"]
    paths = []
    private = '<p class="staff-only"><a href="/private/drafts.html">Staff area: drafts and embargoed stories</a></p>'
    sections = sorted({x["section"] for x in arts})
    for s in sections:
        p = section_path(outlet, s)
        write(p, listing(outlet, SECTION_NAMES[s], f"The latest {SECTION_NAMES[s]} stories from {name}.",
                         [x for x in arts if x["section"] == s], p))
        paths.append(p)
    topic_links, people_links = [], []
    for t in ["mali", "russia"]:
        tagged = [x for x in arts if t in tags_of(x)]
        if tagged:
            p = tag_path(outlet, t)
            write(p, listing(outlet, f"Topic: {t.capitalize()}", f"Every story tagged {t.capitalize()}.", tagged, p))
            paths.append(p)
            topic_links.append(f'<li><a href="{p}">{t.capitalize()}</a></li>')
    for who in sorted({x["author"] for x in arts if x["author"]}):
        p = author_path(outlet, who)
        write(p, listing(outlet, who, f"Stories by {who}, reporter at {name}.",
                         [x for x in arts if x["author"] == who], p))
        paths.append(p)
        people_links.append(f'<li><a href="{p}">{e(who)}</a></li>')
    sec_links = "".join(f'<li><a href="{section_path(outlet, s)}">{SECTION_NAMES[s]}</a></li>' for s in sections)
    extra = (f'<h2>Sections</h2><ul class="sections">{sec_links}</ul>\n'
             f'<h2>Topics</h2><ul class="topics">{"".join(topic_links)}</ul>\n'
             f'<h2>Our reporters</h2><ul class="people">{"".join(people_links)}</ul>\n{private}')
    write("/index.html", listing(outlet, name, "Latest stories", arts, "/", extra))
    write("/about.html", listing(outlet, f"About {name}",
                                 f"{name} is a fictional news outlet written for the newsarchive demo.", [], "/about.html"))
    write("/newsletter.html", listing(outlet, "Newsletters", "Thank you for your interest in our newsletters.", [], "/newsletter.html"))
    write("/private/drafts.html", listing(
        outlet, "DRAFT - embargoed, not for publication",
        "Internal staff page. Crawlers must not fetch this page: robots.txt disallows /private/.", [], "/private/drafts.html",
        '<p class="draft">EMBARGOED DRAFT: this text must never appear in the archive.</p>'))
    return paths


# ------------------------------------------------------------------ feeds and sitemaps
def rss(outlet: str, arts: list[dict], path: str, title: str, dc: bool = False) -> str:
    items = []
    for x in arts:
        creator = ""
        if dc:
            creator = f"\n  <dc:creator>{e(x['author'] or x.get('wire', ''))}</dc:creator>"
        elif x["author"]:
            creator = f"\n  <author>newsdesk@example.invalid ({e(x['author'])})</author>"
        items.append(f"""<item>
  <title>{e(x['title'])}</title>
  <link>{BASE}{x['path']}</link>
  <guid isPermaLink="true">{BASE}{x['path']}</guid>
  <description>{e(x['standfirst'])}</description>
  <pubDate>{format_datetime(pub_dt(x))}</pubDate>{creator}
  <category>{SECTION_NAMES[x['section']]}</category>
</item>""")
    ns = ' xmlns:dc="http://purl.org/dc/elements/1.1/"' if dc else ""
    last = format_datetime(max(pub_dt(x) for x in arts))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"{ns} xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{e(title)}</title>
<link>{BASE}/</link>
<atom:link href="{BASE}{path}" rel="self" type="application/rss+xml"/>
<description>Latest stories from {e(OUTLETS[outlet]['name'])}</description>
<language>en</language>
<lastBuildDate>{last}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
"""


def atom(outlet: str, arts: list[dict], path: str) -> str:
    entries = []
    for x in arts:
        dt = pub_dt(x).isoformat()
        entries.append(f"""<entry>
  <title>{e(x['title'])}</title>
  <link rel="alternate" type="text/html" href="{BASE}{x['path']}"/>
  <id>{BASE}{x['path']}</id>
  <published>{dt}</published>
  <updated>{dt}</updated>
  <author><name>{e(x['author'])}</name></author>
  <summary>{e(x['standfirst'])}</summary>
</entry>""")
    updated = max(pub_dt(x) for x in arts).isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{e(OUTLETS[outlet]['name'])}</title>
<link rel="self" href="{BASE}{path}"/>
<link rel="alternate" href="{BASE}/"/>
<id>{BASE}/</id>
<updated>{updated}</updated>
{chr(10).join(entries)}
</feed>
"""


def urlset(urls: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<url><loc>{BASE}{p}</loc><lastmod>{m}</lastmod></url>" if m else f"<url><loc>{BASE}{p}</loc></url>"
                     for p, m in urls)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


def news_sitemap(outlet: str, arts: list[dict]) -> str:
    body = []
    for x in arts:
        body.append(f"""<url>
  <loc>{BASE}{x['path']}</loc>
  <news:news>
    <news:publication><news:name>{e(OUTLETS[outlet]['name'])}</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>{pub_dt(x).isoformat()}</news:publication_date>
    <news:title>{e(x['title'])}</news:title>
  </news:news>
</url>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(body)}
</urlset>
"""


def robots(sitemaps: list[str]) -> str:
    lines = ["User-agent: *", "Disallow: /private/", "Disallow: /newsletter.html", ""]
    lines += [f"Sitemap: {BASE}{s}" for s in sitemaps]
    return "\n".join(lines) + "\n"


def build_feeds(outlet: str, listing_paths: list[str]) -> dict:
    arts = outlet_articles(outlet)
    lastmod = lambda x: pub_dt(x).date().isoformat()  # noqa: E731
    if outlet == "harbour-herald":
        write("/feed.xml", rss(outlet, arts, "/feed.xml", "The Harbour Herald - latest news"))
        children = []
        for month in ["2023-07", "2023-08"]:
            p = f"/sitemaps/articles-{month}.xml"
            write(p, urlset([(x["path"], lastmod(x)) for x in arts if x["date"].startswith(month)]))
            children.append(p)
        write("/sitemaps/pages.xml", urlset([("/", None)] + [(p, None) for p in listing_paths]))
        children.append("/sitemaps/pages.xml")
        idx = "\n".join(f"<sitemap><loc>{BASE}{c}</loc><lastmod>2023-08-01</lastmod></sitemap>" for c in children)
        write("/sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{idx}
</sitemapindex>
""")
        feeds, sitemaps = ["/feed.xml"], ["/sitemap.xml"]
    elif outlet == "westgate-post":
        write("/atom.xml", atom(outlet, arts, "/atom.xml"))
        write("/sitemap.xml", news_sitemap(outlet, arts))
        feeds, sitemaps = ["/atom.xml"], ["/sitemap.xml"]
    elif outlet == "capital-dispatch":
        # The feed carries only the newest stories; older ones are reachable through the sitemap.
        write("/rss.xml", rss(outlet, arts[:3], "/rss.xml", "The Capital Dispatch"))
        write("/sitemap.xml", urlset([("/", None)] + [(x["path"], lastmod(x)) for x in arts]
                                     + [(p, None) for p in listing_paths]))
        feeds, sitemaps = ["/rss.xml"], ["/sitemap.xml"]
    else:
        write("/feeds/latest.xml", rss(outlet, arts, "/feeds/latest.xml", "Northbridge Observer - latest", dc=True))
        world = [x for x in arts if x["section"] in ("world", "analysis")]
        write("/feeds/world.xml", rss(outlet, world, "/feeds/world.xml", "Northbridge Observer - world", dc=True))
        write("/sitemap.xml", urlset([(x["path"], lastmod(x)) for x in arts]))
        feeds, sitemaps = ["/feeds/latest.xml", "/feeds/world.xml"], ["/sitemap.xml"]
    write("/robots.txt", robots(sitemaps))
    return {"feeds": feeds, "sitemaps": sitemaps}


PATTERNS = {
    "harbour-herald": r"^/news/\d{4}/\d{2}/\d{2}/[a-z0-9-]+\.html$",
    "westgate-post": r"^/(?:world|uk|local|sport)/(?:[a-z-]+/)?[a-z0-9-]+-\d{6}\.html$",
    "capital-dispatch": r"^/article/[a-z0-9-]+/index\.html$",
    "northbridge-observer": r"^/stories/\d{4}/\d{4}/[a-z0-9-]+\.html$",
}

CSS = """body{font-family:Georgia,serif;max-width:960px;margin:0 auto;padding:0 1em;color:#222}
a{color:#0b4f8a}.cookie-banner,.cc-bar,.consent,.gdpr{background:#fff8d6;padding:.5em;border:1px solid #e0d090}
nav ul,footer ul{list-style:none;padding:0}nav li,footer li{display:inline;margin-right:1em}
figure,.pic,.photo{margin:1em 0}img{max-width:100%;background:#ccc}
.col-side{border-top:2px solid #ddd;margin-top:2em}footer,.ftr,.foot{border-top:1px solid #ccc;margin-top:2em;font-size:.85em}
"""

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450"><rect width="800" height="450" fill="#9aa8b5"/><text x="400" y="235" font-size="28" text-anchor="middle" fill="#fff">Photo</text></svg>
"""


def expected_entry(x: dict) -> dict:
    b = BOILER[x["outlet"]]
    readmore = [BY_KEY[k]["title"] for ks in x["readmore"].values() for k in ks]
    rel = related_for(x, 4)
    boiler = [b["nav"], b["cookie"], b["newsletter"]]
    if readmore:
        boiler.append("Read more: " + readmore[0])
    boiler.append(next(r["title"] for r in rel if r["title"] not in readmore))
    return {
        "outlet": x["outlet"], "path": x["path"], "title": x["title"], "published": x["date"],
        "author": x["author"], "story": x["story"],
        "syndicated_from": BY_KEY[x["syndicated_from"]]["path"] if x.get("syndicated_from") else None,
        "first_paragraph": first_snippet(x["paras"][0]),
        "last_paragraph": last_snippet(x["paras"][-1]),
        "boilerplate": boiler,
    }


def main() -> None:
    global OUT
    root = OUT
    keep = {"README.md"}
    if os.path.isdir(root):
        for n in os.listdir(root):
            if n not in keep:
                p = os.path.join(root, n)
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    outlets_yml = []
    for outlet, meta in OUTLETS.items():
        OUT = os.path.join(root, outlet)
        for x in outlet_articles(outlet):
            write(x["path"], RENDER[outlet](x))
        lp = build_listings(outlet)
        fs = build_feeds(outlet, lp)
        write("/static/site.css", CSS)
        write("/static/photo.svg", SVG)
        write("/static/logo.svg", SVG)
        outlets_yml.append({"slug": outlet, "name": meta["name"], "country": meta["country"],
                            "language": meta["language"], "feeds": fs["feeds"], "sitemaps": fs["sitemaps"],
                            "article_pattern": PATTERNS[outlet]})
    OUT = root
    header = "# Outlets of the bundled offline demo news site (fictional; see README.md).\n"
    with open(os.path.join(root, "outlets.yml"), "w") as f:
        f.write(header + yaml.safe_dump(outlets_yml, sort_keys=False, width=200))
    exp = [expected_entry(x) for x in sorted(ARTICLES, key=lambda x: (x["outlet"], x["date"], x["time"]))]
    header = ("# Ground truth for the demo site: one entry per article page. Snippets are exact substrings\n"
              "# of the page's visible text; boilerplate snippets are page text that is not article text.\n")
    with open(os.path.join(root, "expected.yml"), "w") as f:
        f.write(header + yaml.safe_dump(exp, sort_keys=False, width=200, allow_unicode=False))


if __name__ == "__main__":
    main()
