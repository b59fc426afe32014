"""The processing stage: entities for every article that lacks them.

Articles are read from the archive in batches, run through the spaCy pipeline
with ``nlp.pipe`` (in several processes when asked), and each batch is written
back in one transaction. An article is pending until its entities are saved
under the current model's name, so an interrupted run resumes where it
stopped and a new model reprocesses everything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from archive.store import Store
from archive.stories import update_stories
from nlp.entities import DEFAULT_MODEL, extract_entities_many, load_nlp

logger = logging.getLogger(__name__)


@dataclass
class ProcessResult:
    """What one processing run did."""

    articles: int = 0
    mentions: int = 0
    linked: int = 0


def process_pending(
    store: Store,
    model: str | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ProcessResult:
    """Extract and save the entities of every pending article.

    :param store: the archive
    :param model: spaCy model name (default :data:`nlp.entities.DEFAULT_MODEL`)
    :param batch_size: articles written per transaction
    :param n_process: worker processes for ``nlp.pipe``
    :param progress: called with the number of articles done after each batch
    """
    model = model or DEFAULT_MODEL
    nlp = load_nlp(model)
    result = ProcessResult()
    pending = iter(list(store.articles_to_process(model)))
    while batch := list(islice(pending, batch_size)):
        ids = [article_id for article_id, _ in batch]
        entities = extract_entities_many(
            (text for _, text in batch), nlp=nlp, n_process=n_process, batch_size=16
        )
        results = list(zip(ids, entities))
        store.save_entities(results, model)
        result.articles += len(results)
        result.mentions += sum(len(e.mentions) for _, ents in results for e in ents)
        if progress:
            progress(result.articles)
    result.linked = update_stories(store)
    return result


def process_while(
    store: Store,
    running: Callable[[], bool],
    model: str | None = None,
    batch_size: int = 16,
    poll_seconds: float = 0.5,
    progress: Callable[[int], None] | None = None,
) -> ProcessResult:
    """Process articles as they arrive while ``running()`` is true, then
    whatever is left: the crawl fetches and extracts on one core while the
    entities are found on the other.
    """
    total = ProcessResult()
    while True:
        still_running = running()
        done = process_pending(store, model=model, batch_size=batch_size)
        total.articles += done.articles
        total.mentions += done.mentions
        if progress and done.articles:
            progress(total.articles)
        if not still_running:
            return total
        if not done.articles:
            time.sleep(poll_seconds)
