"""Publication dates: machine-readable values, and the day the page shows its readers.

A page's JSON-LD or meta tags often give the publication instant in UTC
(``2019-11-20T01:50:59Z``) while the page, its URL and its readers have the
local day (``Nov. 19, 2019 5:50 PM``, ``/2019-11-19/``). An archive files a
story under the day the outlet published it, so:

- a declared offset is kept as declared (``2019-11-19T06:56:43-05:00``), not
  converted to UTC; a value without an offset keeps its wall-clock time and
  gets no offset;
- when the declared value is UTC (or has no offset) and the page shows a local
  day one day off it - in a ``<time>`` element's text, a dateline element, or
  the URL - the local day wins: with the local wall-clock time when the page
  shows one (the offset is then worked out from the UTC instant), else as a
  bare ``YYYY-MM-DD``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
)
RFC_DATE = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
CLOCK = r"(?:\D{0,12}?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
# "Nov. 18, 2019 at 9:24 pm", "November 18 2019", "Posted Nov 18, 8:19 PM" (year from context)
MONTH_FIRST = re.compile(rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b,?\s*(?P<year>\d{{4}})?{CLOCK}", re.I)
# "18 November 2019 16:07", "19 Nov 2019"
DAY_FIRST = re.compile(rf"\b(?P<day>\d{{1,2}})\s+{MONTH}\s*,?\s*(?P<year>\d{{4}}){CLOCK}", re.I)
URL_DAY = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})(?:/|-|\b)")
# Elements that hold the dateline a reader sees.
DATELINE_XPATH = (
    "//time | //*[@itemprop='datePublished'] | "
    "//*[contains(@class,'publish') or contains(@class,'dateline') or contains(@class,'timestamp') "
    "or contains(@class,'posted') or contains(@class,'byline') or contains(@class,'date')]"
)
MAX_DATELINE_CHARS = 120
MAX_DATELINE_ELEMENTS = 60
UPDATE_WORDS = re.compile(r"\b(updated?|modified|edited|revised)\b", re.I)


def parse_machine_date(value: str | None) -> datetime | date | None:
    """A date or datetime from a machine-readable date string (ISO 8601 or RFC 2822).

    Aware datetimes keep their offset; a datetime without one stays naive.

    :param value: a date from JSON-LD, a meta tag or ``<time datetime>``
    """
    if not value:
        return None
    value = value.strip()
    match = ISO_DATE.search(value)
    if match:
        return iso_match_to_date(match)
    if RFC_DATE.match(value):
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return None


def iso_match_to_date(match: re.Match[str]) -> datetime | date | None:
    """The date or datetime of an :data:`ISO_DATE` match.

    :param match: the match
    """
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if offset is None:
        return moment
    if offset in ("Z", "UTC", "GMT"):
        return moment.replace(tzinfo=timezone.utc)
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return moment.replace(tzinfo=timezone(delta if offset[0] == "+" else -delta))


def format_date(value: datetime | date) -> str:
    """ISO 8601 text: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``.

    :param value: a date or datetime
    """
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def normalise_date(value: str | None) -> str | None:
    """ISO 8601 text for a machine-readable date string (None when unreadable).

    :param value: a date as written in JSON-LD, a meta tag or ``<time datetime>``
    """
    parsed = parse_machine_date(value)
    return format_date(parsed) if parsed is not None else None


def plausible_date(iso: str | None) -> str | None:
    """Drop dates before the web or far in the future (placeholders, typos).

    :param iso: a normalised date
    """
    if not iso:
        return None
    year = int(iso[:4])
    return iso if 1995 <= year <= datetime.now(timezone.utc).year + 1 else None


def is_utc_or_naive(moment: datetime) -> bool:
    """True for a datetime in UTC or without an offset (so possibly not the local day).

    :param moment: a datetime
    """
    offset = moment.utcoffset()
    return offset is None or offset == timedelta(0)


def visible_date(text: str, year_hint: int) -> tuple[date, tuple[int, int] | None] | None:
    """The first date written in words in a short text, with its clock time if given.

    :param text: text a reader sees ("Posted Nov 18, 2019 at 8:19 PM")
    :param year_hint: the year to assume when the text gives none
    """
    for pattern in (MONTH_FIRST, DAY_FIRST):
        match = pattern.search(text)
        if not match:
            continue
        try:
            day = date(int(match["year"] or year_hint), MONTHS[match["month"].lower()], int(match["day"]))
        except ValueError:
            continue
        return day, clock_time(match)
    return None


def clock_time(match: re.Match[str]) -> tuple[int, int] | None:
    """(hour, minute) of a visible date match on a 24-hour clock, if it has a time.

    :param match: a :data:`MONTH_FIRST` or :data:`DAY_FIRST` match
    """
    if match["hour"] is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


def url_day(url: str | None) -> date | None:
    """A full date in a URL path (``/2019/11/18/``, ``/2019-11-19/``), if any.

    :param url: the page URL
    """
    match = URL_DAY.search(url or "")
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def dateline_dates(tree: Any, year_hint: int) -> list[tuple[date, tuple[int, int] | None]]:
    """Publication dates written in the page's dateline elements, in page order.

    Lines about an update ("Updated Nov 19, 9:41 AM") are skipped: they date
    the revision, not the story.

    :param tree: the parsed page
    :param year_hint: the year to assume when a dateline gives none
    """
    found = []
    for element in tree.xpath(DATELINE_XPATH)[:MAX_DATELINE_ELEMENTS]:
        text = " ".join(element.text_content().split())
        if not text or len(text) > MAX_DATELINE_CHARS or UPDATE_WORDS.search(text):
            continue
        parsed = visible_date(text, year_hint)
        if parsed and parsed not in found:
            found.append(parsed)
    return found


def local_evidence(tree: Any, url: str | None, moment: datetime) -> tuple[date, tuple[int, int] | None] | None:
    """The local publication day the page shows, when it is one day off ``moment``.

    A dateline showing the same day as ``moment`` settles it (no change). A
    dateline one day off counts only with a clock time that makes a real time
    zone (a bare date one day off is as likely "today's date" in the page
    header). A URL date one day off counts on its own: it is set when the
    story is published, in the outlet's time zone.

    :param tree: the parsed page
    :param url: the page URL
    :param moment: the declared UTC (or offset-less) publication datetime
    """
    datelines = dateline_dates(tree, moment.year)
    if any(day == moment.date() for day, _ in datelines):
        return None
    for day, clock in datelines:
        if abs((day - moment.date()).days) == 1 and local_datetime(moment, day, clock) is not None:
            return day, clock
    day = url_day(url)
    if day and abs((day - moment.date()).days) == 1:
        return day, None
    return None


def local_published(declared: str | None, tree: Any, url: str | None) -> str | None:
    """The publication date to report: the declared one, moved to the local day when the page shows it.

    :param declared: the machine-readable publication date the page declares
    :param tree: the parsed page
    :param url: the page URL
    """
    moment = parse_machine_date(declared)
    if not isinstance(moment, datetime) or not is_utc_or_naive(moment):
        return plausible_date(format_date(moment)) if moment is not None else None
    evidence = local_evidence(tree, url, moment)
    if evidence is None:
        return plausible_date(format_date(moment))
    day, clock = evidence
    return plausible_date(format_date(local_datetime(moment, day, clock) or day))


def local_datetime(moment: datetime, day: date, clock: tuple[int, int] | None) -> datetime | None:
    """The local wall-clock datetime with the offset that makes it the same instant as ``moment``.

    Returns None when the page shows no time, or when the implied offset is no
    real time zone (beyond +/-14 h, or not a quarter hour).

    :param moment: the declared UTC (or offset-less, read as UTC) datetime
    :param day: the local day the page shows
    :param clock: the local (hour, minute) the page shows, if any
    """
    if clock is None:
        return None
    local = datetime(day.year, day.month, day.day, clock[0], clock[1], moment.second)
    offset = local - moment.replace(tzinfo=None)
    if abs(offset) > timedelta(hours=14) or offset.total_seconds() % 900:
        return None
    return local.replace(tzinfo=timezone(offset))


def in_utc(iso: str | None) -> str | None:
    """An ISO datetime with an offset turned to UTC; dates and offset-less datetimes unchanged.

    :param iso: a value as :func:`format_date` writes it
    """
    parsed = parse_machine_date(iso)
    if isinstance(parsed, datetime) and parsed.utcoffset() is not None:
        return format_date(parsed.astimezone(timezone.utc))
    return iso
