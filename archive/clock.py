"""The archive's one way of writing the time."""

from __future__ import annotations

import datetime as dt


def utcnow() -> str:
    """The current time as an ISO 8601 UTC timestamp (seconds)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
