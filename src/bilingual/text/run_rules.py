"""Widen the runs UAX #9 resolves to the neutrals that belong to them, and keep only those
worth isolating.

The algorithm leaves at the edge of a run the ``+`` of a phone number, the ``++`` of ``C++``,
the final punctuation of a quoted sentence, and splits one phrase of numbers and units because
it counts European digits as right-to-left in a right-to-left paragraph. Each rule below takes
one of these back, and none makes a phrase read worse than the plain algorithm would.
"""

from __future__ import annotations

import re
import unicodedata

from bilingual.text.controls import CONTROLS
from bilingual.text.directions import (
    ASCII_DIGIT,
    STRONG,
    STRONG_PATTERNS,
    has_strong,
    strong_before,
)

Span = tuple[int, int]

# Punctuation that ends or splits a sentence belongs to the surrounding text, unless the
# opposite-direction sentence it ends fills a whole quotation or the whole text.
_SENTENCE_PUNCTUATION = frozenset(".,;:!?،؛؟…\"'¡¿۔")
_FINAL_PUNCTUATION = re.compile(r"[.!?…]+")
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "“": "”", "‘": "’", '"': '"', "'": "'"}
_QUOTES_AND_BRACKETS = frozenset({"Ps", "Pe", "Pi", "Pf"})
_WEAK_OR_NEUTRAL = frozenset({"ES", "ET", "CS", "ON"})

# What may stand between two parts of one left-to-right phrase of numbers: "10:30 AM",
# "14 July", "+1 212 555 0100", "1990 – 2000" (and symbols, as in "5°C"). Persian digits keep
# the Persian convention.
_NUMBER_JOINER = re.compile("[ \u00a0\u202f\u2009]*[-\u2010-\u2015/]?[ \u00a0\u202f\u2009]*")
_BRACKETED_NUMBER = re.compile(r"[ \u00a0]*\([^()\n]*[0-9][^()\n]*\)")
_EASTERN_DIGIT = r"\u06f0-\u06f9\u0660-\u0669"
_LEADING_DIGITS = re.compile(
    rf"(?:^|(?<=[\s(\[«“]))[{_EASTERN_DIGIT}][{_EASTERN_DIGIT}\u066b\u066c/:.,-]*"
    r"[ \u00a0\u202f]+$")
_EMPTY_BRACKETS = frozenset({"()", "[]", "{}"})


def joined_number_phrases(text: str, spans: list[Span]) -> list[Span]:
    """Join left-to-right spans that UAX #9 splits at a European number in right-to-left text.

    The algorithm counts European digits as right-to-left when it resolves the spaces and
    dashes around them, so "10:30 AM", "14 July 2015" and "+1 212 555 0100" fall apart into
    pieces shown in reverse order.
    """
    joined: list[Span] = []
    for start, end in spans:
        if joined and _continues_number(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def widened(text: str, start: int, end: int, direction: str) -> Span:
    """Take in the symbols stuck to a run's edges and the final punctuation of its sentence."""
    if direction == "rtl":
        end = _with_bracketed_number(text, start, end)
    else:
        start = _with_leading_digits(text, start)
    start, end = _with_attached_symbols(text, start, end)
    return start, _with_final_punctuation(text, start, end)


def worth_isolating(text: str, start: int, end: int, direction: str) -> bool:
    """A run needs isolating if it holds words of the other direction or a compound number.

    A plain number, Persian digits (``۷۵٪``, ``۱۲٫۵``) and punctuation alone read the same
    with or without isolation, so they are left as they are; unless the number reads left to
    right only because an English word comes before it (rule W7), which isolating that word
    would undo.
    """
    run = text[start:end]
    if any(unicodedata.category(char)[0] in "LM" for char in run
           if unicodedata.bidirectional(char) in STRONG):
        return True
    if direction != "rtl" or not any(char.isdigit() for char in run):
        return False
    if ASCII_DIGIT.search(run) and not run.isdigit():
        return True
    return strong_before(text, start) == "ltr"


def _continues_number(text: str, previous_end: int, start: int) -> bool:
    if not ("0" <= text[previous_end - 1] <= "9"):
        return False
    if not ("0" <= text[start] <= "9" or STRONG_PATTERNS["ltr"].match(text, start)):
        return False
    gap = text[previous_end:start]
    return _NUMBER_JOINER.fullmatch(gap) is not None or all(map(_is_attachable, gap))


def _with_bracketed_number(text: str, start: int, end: int) -> int:
    """Take in "(2012)" after "Argo": rule N0 gives brackets around a number the Persian side."""
    bracketed = _BRACKETED_NUMBER.match(text, end)
    if bracketed is None or STRONG_PATTERNS["rtl"].search(bracketed.group()):
        return end
    if not STRONG_PATTERNS["ltr"].search(text, start, end) and not ASCII_DIGIT.search(
            text, start, end):
        return end  # a Persian number keeps the Persian side
    return bracketed.end()


def _with_leading_digits(text: str, start: int) -> int:
    """Take in the Persian number of "۲۳ تیر ۱۳۹۴", which rule W7 makes English after English."""
    leading = _LEADING_DIGITS.search(text, max(0, start - 40), start)
    return leading.start() if leading else start


def _with_attached_symbols(text: str, start: int, end: int) -> Span:
    """Take in "+", "#", "++" and the like stuck to the run, when the word ends with them."""
    before = start
    while before > 0 and _is_attachable(text[before - 1]):
        before -= 1
    if before < start and (before == 0 or _ends_word(text[before - 1])):
        start = before
    after = end
    while after < len(text):
        if text[after:after + 2] in _EMPTY_BRACKETS:  # the "()" of "parse_args()"
            after += 2
        elif _is_attachable(text[after]):
            after += 1
        else:
            break
    if after > end and (after == len(text) or _ends_word(text[after])):
        end = after
    return start, end


def _is_attachable(char: str) -> bool:
    return (char not in _SENTENCE_PUNCTUATION
            and unicodedata.bidirectional(char) in _WEAK_OR_NEUTRAL
            and unicodedata.category(char) not in _QUOTES_AND_BRACKETS
            and not char.isspace())


def _ends_word(char: str) -> bool:
    return (char.isspace() or char in _SENTENCE_PUNCTUATION or char in CONTROLS
            or unicodedata.category(char) in _QUOTES_AND_BRACKETS)


def _with_final_punctuation(text: str, start: int, end: int) -> int:
    """Take in the ".", "!" or "?" that ends a sentence filling a quotation or the whole text."""
    final = _FINAL_PUNCTUATION.match(text, end)
    if final is None:
        return end
    rest = text[final.end():]
    opener = text[start - 1] if start > 0 else ""
    if opener in _PAIRS and rest.startswith(_PAIRS[opener]):
        return final.end()
    if not has_strong(text[:start]) and not has_strong(rest):
        return final.end()
    return end
