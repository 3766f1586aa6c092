"""Turn front matter date-times into aware datetimes, and dates or datetimes into RFC 3339."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bilingual.text.persian import ascii_digits

# A date, then a time of day (with or without seconds), then an optional zone.
TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?", re.ASCII)
EXAMPLE = "write it as 2010-01-20T14:30:00+03:30 (the zone may be left out for UTC)"


class TimestampError(ValueError):
    """A date-time the reader cannot accept; its text is the message for the user."""


def has_time(value: Any) -> bool:
    """Whether a front matter value is written with a time of day."""
    return isinstance(value, str) and bool(re.search(r"\d[T ]\d", value.strip()))


def parse_timestamp(value: str) -> dt.datetime:
    """An aware datetime from ``2010-01-20T14:30:00+03:30``; without a zone, UTC."""
    text = ascii_digits(value.strip())
    if not TIMESTAMP.fullmatch(text):
        raise TimestampError(f"invalid date and time {value.strip()!r}; {EXAMPLE}")
    try:
        parsed = dt.datetime.fromisoformat(text)  # "Z" too, since Python 3.11
    except ValueError as error:
        raise TimestampError(f"no such date and time {value.strip()!r}: {error}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


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
