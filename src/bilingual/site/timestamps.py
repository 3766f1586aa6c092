"""Turn front matter date-times into aware datetimes, and dates or datetimes into RFC 3339."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bilingual.site.dates import DateError, check_range
from bilingual.text.persian import ascii_digits

# A date, then a time of day (with or without seconds), then an optional zone.
TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?"
    r"(?:Z|(?P<sign>[+-])(?P<hours>\d\d):?(?P<minutes>\d\d))?",
    re.ASCII,
)
EXAMPLE = "write it as 2010-01-20T14:30:00+03:30 (the zone may be left out for UTC)"
# The zones in use run from UTC-12:00 to UTC+14:00.
OFFSETS = (dt.timedelta(hours=-12), dt.timedelta(hours=14))


class TimestampError(ValueError):
    """A date-time the reader cannot accept; its text is the message for the user."""


def has_time(value: Any) -> bool:
    """Whether a front matter value is written with a time of day."""
    return isinstance(value, str) and bool(re.search(r"\d[T ]\d", value.strip()))


def parse_timestamp(value: str, jalali: bool = False) -> dt.datetime:
    """An aware datetime from ``2010-01-20T14:30:00+03:30``; without a zone, UTC.

    ``jalali``: the site shows dates in the Persian calendar, whose range is narrower.
    """
    written = value.strip()
    text = ascii_digits(written)
    match = TIMESTAMP.fullmatch(text)
    if not match:
        raise TimestampError(f"invalid date and time {written!r}; {EXAMPLE}")
    if match["sign"] and not _real_offset(match["sign"], match["hours"], match["minutes"]):
        raise TimestampError(
            f"no such time zone in {written!r}: UTC offsets run from -12:00 "
            "to +14:00, in minutes under 60"
        )
    try:
        parsed = dt.datetime.fromisoformat(text)  # "Z" too, since Python 3.11
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        parsed.astimezone(dt.UTC)  # a moment past the calendar's ends in UTC cannot be sorted
    except ValueError as error:
        raise TimestampError(f"no such date and time {written!r}: {error}") from None
    except OverflowError:
        raise TimestampError(
            f"no such date and time {written!r}: in UTC it falls outside the years 0001 to 9999"
        ) from None
    try:
        check_range(parsed.date(), written, jalali)
    except DateError as error:
        raise TimestampError(str(error)) from None
    return parsed


def _real_offset(sign: str, hours: str, minutes: str) -> bool:
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes))
    return int(minutes) < 60 and OFFSETS[0] <= (-offset if sign == "-" else offset) <= OFFSETS[1]


def moment(value: dt.date) -> dt.datetime:
    """A date as the start of its day in UTC; a datetime as it is (UTC if naive)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def rfc3339(value: dt.date) -> str:
    """``2010-01-20T14:30:00+03:30``; a date alone is midnight UTC, ``...T00:00:00Z``."""
    text = moment(value).isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def calendar_date(value: dt.date) -> dt.date:
    """The day a date or datetime falls on, where it was written."""
    return value.date() if isinstance(value, dt.datetime) else value
