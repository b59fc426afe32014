"""When to fetch a known article again: often while fresh, rarely when old.

In the spirit of NewsDiffs, a schedule is a list of ``AGE:INTERVAL`` steps,
read in order: an article younger than AGE is due again INTERVAL after its
last fetch. ``*`` is any age. The default::

    3h:15m,1d:1h,7d:6h,30d:1d,*:30d

reads "every 15 minutes for the first 3 hours, hourly for the first day, every
6 hours for the first week, daily for the first month, then monthly". Age
counts from publication (or first sight, when the page gives no date).
``*:0s`` rechecks everything on every crawl. Set it with the Scrapy setting
``NEWSARCHIVE_RECHECK`` (``newsarchive crawl --set NEWSARCHIVE_RECHECK=...``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DEFAULT_SCHEDULE = "3h:15m,1d:1h,7d:6h,30d:1d,*:30d"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
DURATION = re.compile(r"^(\d+)([smhdw])$")


def parse_duration(text: str) -> dt.timedelta:
    """``"15m"`` → 15 minutes.

    :raises ValueError: on anything else than a number and one of s, m, h, d, w
    """
    found = DURATION.match(text.strip())
    if not found:
        raise ValueError(f"not a duration (like 30s, 15m, 6h, 7d, 2w): {text!r}")
    try:
        return dt.timedelta(seconds=int(found.group(1)) * UNITS[found.group(2)])
    except OverflowError:  # past timedelta's 999,999,999 days
        raise ValueError(f"a duration too long to mean anything: {text[:40]!r}") from None


@dataclass(frozen=True)
class Schedule:
    """A parsed recheck schedule: ``(max_age or None, interval)`` steps."""

    steps: tuple[tuple[dt.timedelta | None, dt.timedelta], ...]

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """Read ``AGE:INTERVAL,...``; the last step must be ``*``."""
        steps = []
        for part in text.split(","):
            age, _, interval = part.strip().partition(":")
            if not interval:
                raise ValueError(f"recheck step must be AGE:INTERVAL, got {part!r}")
            steps.append((None if age.strip() == "*" else parse_duration(age), parse_duration(interval)))
        if steps[-1][0] is not None:
            raise ValueError(f"recheck schedule must end with a '*:INTERVAL' step: {text!r}")
        return cls(tuple(steps))

    def interval(self, age: dt.timedelta) -> dt.timedelta:
        """How long an article of this age may rest between fetches."""
        for max_age, interval in self.steps:
            if max_age is None or age < max_age:
                return interval
        return self.steps[-1][1]

    def is_due(self, born: dt.datetime, last_fetched: dt.datetime, now: dt.datetime) -> bool:
        """Whether an article first published ``born`` and last fetched ``last_fetched`` is due."""
        return now - last_fetched >= self.interval(max(now - born, dt.timedelta(0)))


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date or time as an aware UTC datetime (dates at midnight)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
