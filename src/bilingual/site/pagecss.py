"""Check that the ``[pdf]`` page settings are CSS values the print stylesheet can use."""

from __future__ import annotations

import re

ABSOLUTE_UNITS = ("mm", "cm", "q", "in", "pt", "pc", "px")
RELATIVE_UNITS = ("em", "rem", "ex", "ch")
PAGE_SIZES = frozenset(
    [f"{series}{number}" for series in ("a", "b", "c", "jis-b") for number in range(11)]
    + ["letter", "legal", "ledger"]
)
ORIENTATIONS = frozenset({"portrait", "landscape"})
FONT_SIZE_KEYWORDS = frozenset(
    {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "smaller", "larger"}
)

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"


def _length(units: tuple[str, ...], percent: bool = False) -> re.Pattern[str]:
    choices = "|".join(units + (("%",) if percent else ()))
    return re.compile(rf"{_NUMBER}(?:{choices})|0", re.IGNORECASE)


_PAGE_LENGTH = _length(ABSOLUTE_UNITS)
_MARGIN = _length(ABSOLUTE_UNITS + RELATIVE_UNITS, percent=True)
_FONT_SIZE = _length(ABSOLUTE_UNITS + RELATIVE_UNITS, percent=True)


def page_size_problem(value: str) -> str | None:
    """Why ``value`` is not a page size (``A5``, ``A4 landscape``, ``148mm 210mm``), or None."""
    words = value.lower().split()
    if words and len(words) <= 2 and all(_PAGE_LENGTH.fullmatch(word) for word in words):
        if any(_is_zero(word) for word in words):
            return "a page cannot be 0 wide or high"
        return None
    names = [word for word in words if word not in ORIENTATIONS]
    orientations = len(words) - len(names)
    if words == ["auto"] or (
        orientations <= 1
        and len(names) <= 1
        and words
        and all(name in PAGE_SIZES for name in names)
    ):
        return None
    return (
        "expected a paper size (A5, A4, letter...), optionally with portrait or landscape, "
        "or a width and height such as 148mm 210mm"
    )


def margin_problem(value: str) -> str | None:
    """Why ``value`` is not a margin of one to four lengths (``18mm 16mm 20mm``), or None."""
    words = value.split()
    if 1 <= len(words) <= 4 and all(word == "auto" or _MARGIN.fullmatch(word) for word in words):
        return None
    return "expected one to four lengths (top, sides, bottom...), such as 18mm 16mm 20mm"


def font_size_problem(value: str) -> str | None:
    """Why ``value`` is not a font size (``10.5pt``, ``110%``, ``medium``), or None."""
    word = value.strip().lower()
    if word in FONT_SIZE_KEYWORDS or (_FONT_SIZE.fullmatch(word) and not _is_zero(word)):
        return None
    return "expected a size above zero such as 10.5pt, 4mm or 110%"


def _is_zero(length: str) -> bool:
    number = re.match(_NUMBER, length)
    return number is None or float(number.group()) == 0
