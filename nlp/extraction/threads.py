"""Is this page a discussion thread, where the posts are the content?

On a news story or a blog post the reader comments under the text are not the
article, and :mod:`newsarchive.nlp.extraction` drops them. On a forum thread or a
question-and-answer page the replies *are* the content: the opening post is
often a line or two and the thread is what the page is about. A page is taken
for a thread by what it declares about itself, never by its site name:

- schema.org types of a thread (:data:`THREAD_TYPES`: ``DiscussionForumPosting``,
  ``QAPage``) in JSON-LD or microdata (``itemtype``);
- a ``<meta name="generator">`` naming forum software (:data:`FORUM_SOFTWARE`:
  phpBB, vBulletin, XenForo, Discourse, MyBB, ...).

Article types with comments (``NewsArticle`` with ``Comment`` objects, a blog's
``comment`` list) are not threads.
"""

from __future__ import annotations

import re
from typing import Any

from newsarchive.nlp.extraction.meta import iter_jsonld, jsonld_types

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
    return any(FORUM_SOFTWARE.search(value) for value in generators)
