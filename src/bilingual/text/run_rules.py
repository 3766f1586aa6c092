"""Widen the runs UAX #9 resolves to the neutrals that belong to them, and keep only those
worth isolating.

The algorithm leaves at the edge of a run the ``+`` of a phone number, the ``++`` of ``C++``,
the final punctuation of a quoted sentence, the period of ``p.m.``, the closing quotation mark
of ``-m "fix"``, splits one phrase of numbers and units because it counts European digits as
right-to-left in a right-to-left paragraph, and carries a run on past the guillemet that closes
its quotation. Each rule below takes one of these back, and none makes a phrase read worse than
the plain algorithm would.
"""

from __future__ import annotations

import re
import unicodedata

from bilingual.text.controls import CONTROLS, EMBEDDINGS, ISOLATE_INITIATORS
from bilingual.text.directions import (
    ASCII_DIGIT,
    OPPOSITE,
    STRONG,
    STRONG_PATTERNS,
    has_strong,
    is_blank,
    strong_before,
)

Span = tuple[int, int]

# Punctuation that ends or splits a sentence belongs to the surrounding text, unless the
# opposite-direction sentence it ends fills a whole quotation or the whole text.
_SENTENCE_PUNCTUATION = frozenset(".,;:!?،؛؟…\"'¡¿۔")
_FINAL_PUNCTUATION = re.compile(r"[.!?…]+")
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "“": "”", "‘": "’", '"': '"', "'": "'"}
_OPENERS = {closer: opener for opener, closer in reversed(_PAIRS.items())}  # the first wins
_PAIRED = frozenset(_PAIRS) | frozenset(_OPENERS)
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
    r"[ \u00a0\u202f]+$"
)
_EMPTY_BRACKETS = frozenset({"()", "[]", "{}"})
_NESTING = {"(": ")", "[": "]", "{": "}"}
# Quotation marks whose opening and closing forms differ, so a closer cannot be an apostrophe.
_QUOTATIONS = {"«": "»", "‹": "›", "“": "”"}
_OPENING_CONTROLS = EMBEDDINGS | ISOLATE_INITIATORS
_CLOSING_BRACKET = re.compile("\\)[ \u00a0\u202f]*")
# The period of "p.m.", "e.g." or "Inc." is part of the phrase, not the end of the sentence.
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}"
    r"|Inc|Ltd|Co|Corp|Bros|Jr|Sr|Dr|Mr|Mrs|Ms|Mt|St|Prof|Gen|Gov|vs|etc|al|cf|approx|No|Vol"
)


def closed_quotations(text: str, spans: list[Span], direction: str) -> list[Span]:
    """Cut a span that runs on past the guillemet closing the quotation it starts in.

    In ``«A Separation» (2011)`` the algorithm resolves the closing mark and the year as
    English, after the English title; they belong to the Persian sentence around the quote.
    What follows the closing mark stays a span only if it holds words of the other direction.
    """
    opposite = STRONG_PATTERNS[OPPOSITE[direction]]
    parts: list[Span] = []
    for start, end in spans:
        closer = _closing_quotation(text, start, end)
        if closer is None:
            parts.append((start, end))
            continue
        parts.append(trimmed(text, start, closer))
        rest = trimmed(text, closer + 1, end)
        if opposite.search(text, *rest):
            parts.append(rest)
    return [(start, end) for start, end in parts if start < end]


def joined_number_phrases(text: str, spans: list[Span]) -> list[Span]:
    """Join left-to-right spans that UAX #9 splits at a European number in right-to-left text.

    The algorithm counts European digits as right-to-left when it resolves the spaces and
    dashes around them, so "10:30 AM", "14 July 2015" and "+1 212 555 0100" fall apart into
    pieces shown in reverse order.
    """
    joined: list[Span] = []
    for start, end in spans:
        if joined and _continues_number(text, joined[-1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def widened(text: str, start: int, end: int, direction: str) -> Span:
    """Take in the symbols stuck to a run's edges and the final punctuation of its sentence."""
    start, end = _with_whole_words(text, start, end, direction)
    if direction == "rtl":
        end = _with_bracketed_number(text, start, end)
    else:
        start = _with_leading_digits(text, start)
    start, end = _with_attached_symbols(text, start, end)
    start, end = _with_partners(text, start, end)
    return start, _with_final_punctuation(text, start, end)


def worth_isolating(text: str, start: int, end: int, direction: str) -> bool:
    """A run needs isolating if it holds words of the other direction or a compound number.

    Letters of the paragraph's own direction inside an author's embedding (``RLE`` then
    English in English text) read the same either way: the author's control stays.

    A plain number, Persian digits (``۷۵٪``, ``۱۲٫۵``) and punctuation alone read the same
    with or without isolation, so they are left as they are; unless the number reads left to
    right only because an English word comes before it (rule W7), which isolating that word
    would undo.
    """
    run = text[start:end]
    if any(
        unicodedata.category(char)[0] in "LM"
        for char in run
        if STRONG.get(unicodedata.bidirectional(char)) == OPPOSITE[direction]
    ):
        return True
    if direction != "rtl" or not any(char.isdigit() for char in run):
        return False
    if ASCII_DIGIT.search(run) and not run.isdigit():
        return True
    return strong_before(text, start) == "ltr"


def _continues_number(text: str, previous: Span, start: int) -> bool:
    previous_start, previous_end = previous
    if not ("0" <= text[previous_end - 1] <= "9"):
        return False
    if not ("0" <= text[start] <= "9" or STRONG_PATTERNS["ltr"].match(text, start)):
        return False
    gap = text[previous_end:start]
    if _CLOSING_BRACKET.fullmatch(gap):  # the "(+44) 20" of a phone number
        return _opening_bracket_before(text, previous_start)
    return _NUMBER_JOINER.fullmatch(gap) is not None or all(map(_is_attachable, gap))


def _opening_bracket_before(text: str, start: int) -> bool:
    while start > 0 and _is_attachable(text[start - 1]):
        start -= 1
    return text[start - 1 : start] == "("


def _closing_quotation(text: str, start: int, end: int) -> int | None:
    """Where in ``text[start:end]`` the quotation opened just before ``start`` closes."""
    opener = text[start - 1] if start > 0 else ""
    if opener not in _QUOTATIONS:
        return None
    depth = 0
    for index in range(start, end):
        if text[index] in _OPENING_CONTROLS:  # never cut what the author's controls hold
            return None
        if text[index] == opener:
            depth += 1
        elif text[index] == _QUOTATIONS[opener]:
            if depth == 0:
                return index
            depth -= 1
    return None


def _with_whole_words(text: str, start: int, end: int, direction: str) -> Span:
    """Take in the rest of a word such as ``3(a)(ii)`` or ``~/.config/app.toml``.

    Only a word with nothing in the text's own direction, and without the punctuation,
    quotation marks and brackets that belong to the sentence around it.
    """
    word_start, word_end = _word_around(text, start)
    if _is_foreign_word(text, word_start, word_end, direction):
        start = min(start, _inner(text, word_start, word_end)[0])
    word_start, word_end = _word_around(text, end - 1)
    if _is_foreign_word(text, word_start, word_end, direction):
        end = max(end, _inner(text, word_start, word_end)[1])
    return start, end


def _word_around(text: str, index: int) -> Span:
    start, end = index, index + 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _is_foreign_word(text: str, start: int, end: int, direction: str) -> bool:
    word = text[start:end]
    return not STRONG_PATTERNS[direction].search(word) and not CONTROLS.intersection(word)


def _inner(text: str, start: int, end: int) -> Span:
    """A word without its sentence punctuation and the quotes or brackets around it."""
    while start < end:
        if text[end - 1] in _SENTENCE_PUNCTUATION and text[end - 1] not in "\"'":
            end -= 1
        elif _wraps(text, start, end):
            start, end = start + 1, end - 1
        elif _is_unmatched(text, start, end, start):
            start += 1
        elif _is_unmatched(text, start, end, end - 1):
            end -= 1
        else:
            break
    return start, end


def _wraps(text: str, start: int, end: int) -> bool:
    return (
        end - start >= 2
        and _PAIRS.get(text[start]) == text[end - 1]
        and not any(
            _is_unmatched(text, start + 1, end - 1, index)
            for index in range(start + 1, end - 1)
            if text[index] in _PAIRED
        )
    )  # nothing else can be unmatched


def _is_unmatched(text: str, start: int, end: int, index: int) -> bool:
    """Whether the quote or bracket at ``index`` has no partner in ``text[start:end]``."""
    char = text[index]
    if char in "\"'":
        return char == '"' and text.count(char, start, end) % 2 == 1
    if char in _PAIRS:
        return text.count(char, start, end) > text.count(_PAIRS[char], start, end)
    opener = _OPENERS.get(char)
    return opener is not None and text.count(char, start, end) > text.count(opener, start, end)


def _with_partners(text: str, start: int, end: int) -> Span:
    """Take in the bracket or quotation mark that closes, or opens, one left open in the run."""
    for opener, closer in _NESTING.items():
        depth = text.count(opener, start, end) - text.count(closer, start, end)
        if depth > 0 and text[end : end + 1] == closer:
            end += 1
        elif depth < 0 and start > 0 and text[start - 1] == opener:
            start -= 1
    if text.count('"', start, end) % 2 == 1:
        if text[end : end + 1] == '"':
            end += 1
        elif start > 0 and text[start - 1] == '"':
            start -= 1
    return start, end


def _with_bracketed_number(text: str, start: int, end: int) -> int:
    """Take in "(2012)" after "Argo": rule N0 gives brackets around a number the Persian side."""
    bracketed = _BRACKETED_NUMBER.match(text, end)
    if bracketed is None or STRONG_PATTERNS["rtl"].search(bracketed.group()):
        return end
    if not STRONG_PATTERNS["ltr"].search(text, start, end) and not ASCII_DIGIT.search(
        text, start, end
    ):
        return end  # a Persian number keeps the Persian side
    return bracketed.end()


def _with_leading_digits(text: str, start: int) -> int:
    """Take in the Persian number of "۲۳ تیر ۱۳۹۴", which rule W7 makes English after English."""
    leading = _LEADING_DIGITS.search(text, max(0, start - 40), start)
    return leading.start() if leading else start


def _with_attached_symbols(text: str, start: int, end: int) -> Span:
    """Take in "+", "#", "++" and the like stuck to the run, when the word ends with them."""
    before = start
    while before > 0 and (_is_attachable(text[before - 1]) or _is_inner_period(text, before - 1)):
        before -= 1
    if before < start and (before == 0 or _ends_word(text[before - 1])):
        start = before
    after = end
    while after < len(text):
        if text[after : after + 2] in _EMPTY_BRACKETS:  # the "()" of "parse_args()"
            after += 2
        elif _is_attachable(text[after]):
            after += 1
        else:
            break
    if after > end and (after == len(text) or _ends_word(text[after])):
        end = after
    return start, end


def _is_attachable(char: str) -> bool:
    return (
        char not in _SENTENCE_PUNCTUATION
        and unicodedata.bidirectional(char) in _WEAK_OR_NEUTRAL
        and unicodedata.category(char) not in _QUOTES_AND_BRACKETS
        and not char.isspace()
    )


def _is_inner_period(text: str, index: int) -> bool:
    """The period of ".config" or ".NET", which a word starts with or holds, never ends."""
    return text[index] == "." and index + 1 < len(text) and not text[index + 1].isspace()


def _ends_word(char: str) -> bool:
    return (
        char.isspace()
        or char in _SENTENCE_PUNCTUATION
        or char in CONTROLS
        or unicodedata.category(char) in _QUOTES_AND_BRACKETS
    )


def _with_final_punctuation(text: str, start: int, end: int) -> int:
    """Take in the ".", "!" or "?" that ends a sentence filling a quotation or the whole text."""
    final = _FINAL_PUNCTUATION.match(text, end)
    if final is None:
        return end
    rest = text[final.end() :]
    if (
        final.group() == "."
        and _ends_abbreviation(text, start, end)
        and rest[:1].isspace()
        and has_strong(rest)
    ):
        return final.end()
    opener = text[start - 1] if start > 0 else ""
    if opener in _PAIRS and rest.startswith(_PAIRS[opener]):
        return final.end()
    if not has_strong(text[:start]) and not has_strong(rest):
        return final.end()
    return end


def _ends_abbreviation(text: str, start: int, end: int) -> bool:
    last_word = text[start:end].rsplit(maxsplit=1)[-1]
    return _ABBREVIATION.fullmatch(last_word) is not None


def trimmed(text: str, start: int, end: int) -> Span:
    """Drop spaces, marks and other invisible characters from the edges of a span."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end
