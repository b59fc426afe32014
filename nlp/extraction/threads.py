"""Is this page a discussion thread, where the posts are the content?

On a news story or a blog post the reader comments under the text are not the
article, and :mod:`newsarchive.nlp.extraction` drops them. On a forum thread or a
question-and-answer page the replies *are* the content: the opening post is
often a line or two and the thread is what the page is about. A page is taken
for a thread by what it declares about itself, never by its site name:

- schema.org types of a thread (:data:`THREAD_TYPES`: ``DiscussionForumPosting``,
  ``QAPage``) in JSON-LD or microdata (``itemtype``);
- a ``<meta name="generator">`` naming forum software (:data:`FORUM_SOFTWARE`:
  phpBB, vBulletin, XenForo, Discourse, MyBB, ...);
- on a page that does not declare itself an article (``og:type``, JSON-LD), three
  or more post bodies in the class forum software gives them (:data:`POST_BODY_CLASS`:
  ``postbody``, ``post_content``, ``bbp-reply-content``, ``message-body``, ...),
  each of some text and mostly not links.

Article types with comments (``NewsArticle`` with ``Comment`` objects, a blog's
``comment`` list) are not threads.
"""

from __future__ import annotations

import re
from typing import Any

from newsarchive.nlp.extraction.meta import ARTICLE_TYPES, iter_jsonld, jsonld_types

#: schema.org types (lower case) that make a page a thread of posts
THREAD_TYPES = {"discussionforumposting", "qapage"}
THREAD_ITEMTYPE = re.compile(r"schema\.org/(?:DiscussionForumPosting|QAPage)\b", re.I)
#: forum software that names itself in ``<meta name="generator">``
FORUM_SOFTWARE = re.compile(
    r"phpbb|vbulletin|xenforo|discourse|mybb|simple machines|\bsmf\b|invision|kunena|bbpress|wpforo|"
    r"flarum|nodebb|vanilla forums|ubbthreads|discuz|punbb|fluxbb|phorum|yabb",
    re.I,
)


def is_thread_page(tree: Any) -> bool:
    """Whether a page declares itself a discussion thread (its posts are the content).

    :param tree: the parsed page
    """
    if any(jsonld_types(obj) & THREAD_TYPES for obj in iter_jsonld(tree)):
        return True
    if any(THREAD_ITEMTYPE.search(value) for value in tree.xpath("//@itemtype")):
        return True
    generators = tree.xpath('//meta[translate(@name, "GENERATOR", "generator")="generator"]/@content')
    if any(FORUM_SOFTWARE.search(value) for value in generators):
        return True
    return not declares_article(tree) and has_repeated_posts(tree)


#: classes that forum and Q&A software give the body of a post (phpBB, MyBB, bbPress, wpForo, DW Q&A, XenForo,
#: Invision, Kunena, ...), as whole class names: "post-body" alone marks a blog's single post too
POST_BODY_CLASS = re.compile(r"(?:^|\s)(?:postbody|post_body|post_content|posttext|post-message|bbp-reply-content|wpforo-post-content|dwqa-answer-content|message-body|bbwrapper|ipscomment_content|kmsgtext)(?:$|\s)", re.I)
#: this many post bodies of one class, each of :data:`MIN_POST_CHARS`+ characters, mostly not links, make a thread
MIN_POSTS = 3
MIN_POST_CHARS = 20
MAX_POST_LINK_SHARE = 0.5
NON_ARTICLE_TYPES = {"webpage"}


def declares_article(tree: Any) -> bool:
    """Whether the page declares itself an article (``og:type`` ``article``, an article type in JSON-LD).

    :param tree: the parsed page
    """
    if any(value.strip().lower() == "article" for value in tree.xpath('//meta[@property="og:type"]/@content')):
        return True
    return any(jsonld_types(obj) & (ARTICLE_TYPES - NON_ARTICLE_TYPES) for obj in iter_jsonld(tree))


def has_repeated_posts(tree: Any) -> bool:
    """Whether :data:`MIN_POSTS` elements of one class that forum software gives a post body
    (:data:`POST_BODY_CLASS`) hold text, not links.

    Reads class values as strings, so that only the few marked elements are built.

    :param tree: the parsed page
    """
    counts: dict[str, int] = {}
    for value in tree.xpath("//@class"):
        if not POST_BODY_CLASS.search(value):
            continue
        element = value.getparent()
        text = " ".join(element.text_content().split())
        linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
        if len(text) >= MIN_POST_CHARS and linked < MAX_POST_LINK_SHARE * len(text):
            name = " ".join(value.split())
            counts[name] = counts.get(name, 0) + 1
            if counts[name] >= MIN_POSTS:
                return True
    return False
