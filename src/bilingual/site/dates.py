"""Turn a front matter date into a ``datetime.date``, or say exactly what is wrong with it."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from persiantools.jdatetime import JalaliDate

from bilingual.text.persian import ascii_digits

ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)", re.ASCII)
EXAMPLE = "write it as YYYY-MM-DD, e.g. 2010-01-20"
# Years a Persian writer means in the Solar Hijri calendar (today's is 14xx).
JALALI_LOOKING_YEARS = range(1200, 1500)
JALALI_FIRST: dt.date = JalaliDate.min.to_gregorian()
JALALI_LAST: dt.date = JalaliDate.max.to_gregorian()


class DateError(ValueError):
    """A date the reader cannot accept; its text is the message for the user."""


def parse_date(value: Any, jalali: bool = False) -> dt.date:
    """The Gregorian date ``value`` stands for: strictly YYYY-MM-DD, in ASCII or Persian digits.

    ``jalali``: the site shows dates in the Persian calendar, whose range is narrower.
    """
    if isinstance(value, dt.datetime):
        raise DateError(f"a date without a time is expected, not {value.isoformat()!r}; {EXAMPLE}")
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    ascii_text = ascii_digits(text)
    match = ISO_DATE.fullmatch(ascii_text)
    if not match:
        raise DateError(f"invalid date {text!r}; {EXAMPLE}")
    year, month, day = (int(part) for part in match.groups())
    if ascii_text != text and year in JALALI_LOOKING_YEARS:
        raise DateError(_jalali_hint(text, year, month, day))
    date = _gregorian(text, year, month, day)
    check_range(date, text, jalali)
    return date


def check_range(date: dt.date, text: str, jalali: bool) -> None:
    """Refuse a date the Persian calendar cannot show, when the site shows it in that calendar."""
    if jalali and not JALALI_FIRST <= date <= JALALI_LAST:
        raise DateError(
            f"date {text!r} is outside the Persian (Jalali) calendar the site's Persian pages "
            f"use: it runs from {JALALI_FIRST.isoformat()} to {JALALI_LAST.isoformat()}"
        )


def _gregorian(text: str, year: int, month: int, day: int) -> dt.date:
    if year < dt.MINYEAR:
        raise DateError(f"no such date {text!r}: there is no year 0; the first year is 0001")
    if not 1 <= month <= 12:
        raise DateError(f"no such date {text!r}: there is no month {month}; {EXAMPLE}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        raise DateError(f"no such date {text!r}: {name} {year} has {days} days")
    return dt.date(year, month, day)


def _jalali_hint(text: str, year: int, month: int, day: int) -> str:
    """A Persian-digit date in the 1200s-1400s is a Jalali date: give its Gregorian form."""
    message = (
        f"{text!r} looks like a Persian (Jalali) date, but dates are written in the "
        "Gregorian calendar"
    )
    try:
        gregorian = JalaliDate(year, month, day).to_gregorian()  # type: ignore[no-untyped-call]
    except ValueError:
        return f"{message}; {EXAMPLE}"
    return f"{message}: write {gregorian.isoformat()}"
