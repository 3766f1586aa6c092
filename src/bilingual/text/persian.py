"""Turn dates and numbers into their Persian form: Jalali calendar and Persian digits."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date as babel_format_date
from persiantools.jdatetime import JalaliDate

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_PERSIAN = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", PERSIAN_DIGITS * 2)
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + "٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)

# Languages whose pages use the Solar Hijri calendar and Persian digits.
JALALI_LANGUAGES = frozenset({"fa"})


def uses_jalali(lang: str) -> bool:
    return re.split("[-_]", lang, maxsplit=1)[0] in JALALI_LANGUAGES


def persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN)


def ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def localize_digits(text: str, lang: str) -> str:
    """Write the digits of ``text`` the way ``lang`` readers expect."""
    return persian_digits(text) if uses_jalali(lang) else text


def format_number(number: int, lang: str) -> str:
    return localize_digits(str(number), lang)


def jalali_date(date: dt.date) -> str:
    """E.g. 2010-01-20 -> "۳۰ دی ۱۳۸۸"."""
    jalali = _jalali(date)
    return persian_digits(jalali.strftime("%d %B %Y", locale="fa")).lstrip("۰")


def format_date(date: dt.date, lang: str) -> str:
    """A reader-facing date: Jalali with Persian digits for Persian, Babel's long form otherwise."""
    if uses_jalali(lang):
        return jalali_date(date)
    return babel_format_date(date, format="long", locale=lang.replace("-", "_"))


def jalali_year(date: dt.date) -> int:
    return _jalali(date).year


def _jalali(date: dt.date) -> JalaliDate:
    return JalaliDate(date)  # type: ignore[no-untyped-call]  # persiantools has no annotations here
