"""Request leases of a distributed crawl, as the spider sees them.

Kept apart from :mod:`newsarchive.crawler.distributed` so that a plain crawl never
imports scrapy-redis (and Redis's client) just to learn it has no leases.
"""

from __future__ import annotations

from typing import Any

#: request meta key holding the lease id of a request taken from the shared queue
LEASE_META = "newsarchive_lease"


def release(spider: Any, request: Any) -> None:
    """Release ``request``'s lease, if it has one (distributed mode only)."""
    queue = getattr(spider, "lease_queue", None)
    lease_id = request.meta.get(LEASE_META) if request is not None else None
    if queue is not None and lease_id:
        queue.ack(lease_id)
