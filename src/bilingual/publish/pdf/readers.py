"""Tell what poppler and PDFium read from a span's /ActualText, and what to write for each."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache, lru_cache

RIGHT_TO_LEFT = frozenset({"R", "AL"})
LEFT_TO_RIGHT = frozenset({"L", "EN", "AN"})
# The blocks of right-to-left scripts: Hebrew to Arabic Extended, the presentation forms,
# and the supplementary right-to-left blocks.
_RIGHT_TO_LEFT_BLOCKS = (
    (0x0590, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10800, 0x10FFF),
    (0x1E800, 0x1EFFF),
)
RIGHT_TO_LEFT_CHARACTERS = frozenset(
    char
    for first, last in _RIGHT_TO_LEFT_BLOCKS
    for char in map(chr, range(first, last + 1))
    if unicodedata.bidirectional(char) in RIGHT_TO_LEFT
)


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Consecutive ``codes`` as (first, last) pairs."""
    return [
        (group[0][1], group[-1][1])
        for group in (
            list(run)
            for _, run in itertools.groupby(enumerate(codes), lambda pair: pair[1] - pair[0])
        )
    ]


def strength(char: str) -> str:
    """``R`` for a right-to-left letter, ``L`` for a left-to-right one or a digit, else ``N``."""
    kind = unicodedata.bidirectional(char)
    return "R" if kind in RIGHT_TO_LEFT else "L" if kind in LEFT_TO_RIGHT else "N"


_RIGHT_TO_LEFT_CLASS = (
    "["
    + "".join(
        f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last in _ranges(sorted(map(ord, RIGHT_TO_LEFT_CHARACTERS)))
    )
    + "]"
)
_RIGHT_TO_LEFT_RUN = re.compile(_RIGHT_TO_LEFT_CLASS + "+")


def pdfium_order(logical: str) -> str:
    """``logical`` with each run of right-to-left letters reversed, the rest in place.

    PDFium does the same to a span's /ActualText, so this gives the text back.
    """
    return _RIGHT_TO_LEFT_RUN.sub(lambda run: run[0][::-1], logical)


@lru_cache(maxsize=8192)  # words recur: a text's common ones are worked out once
def pdfium_text(logical: str) -> str:
    """The /ActualText from which PDFium reads ``logical``, one word of a document that
    asks to be read right to left (/Direction /R2L), where PDFium reads lines from the right.

    In a left-to-right document, PDFium reads the visual text, as poppler does.
    """
    if "L" in map(pdfium_class, logical):
        return left_to_right_word(logical)
    return right_to_left_word(logical)


def right_to_left_word(logical: str) -> str:
    """The /ActualText of a word without Latin letters in a right-to-left document.

    PDFium reverses each run of right-to-left letters in place and keeps digits, marks
    and joiners as they are. A neutral at either end of the word (a bracket, a
    quotation mark) would join the space beside it and move to the other side of
    it: a right-to-left mark there keeps it in the word, and PDFium then reads the
    whole word as right-to-left text, reversing every run (digits too) in place and
    mirroring the brackets.
    """
    starts, ends = (pdfium_class(logical[index]) == "N" for index in (0, -1))
    if not (starts or ends):
        return pdfium_order(logical)
    runs = ("".join(run)[::-1] for _, run in itertools.groupby(logical, pdfium_class))
    text = "".join(runs).translate(_MIRRORED)
    return RIGHT_TO_LEFT_MARK * starts + text + RIGHT_TO_LEFT_MARK * ends


LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"
_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
# How PDFium sorts characters when it orders a line: letters of either direction, the
# "weak" ones it keeps in place (digits, marks, joiners, commas), and the others.
_PDFIUM_CLASSES = {
    "L": "L",
    "R": "R",
    "AL": "R",
    "EN": "W",
    "AN": "W",
    "NSM": "W",
    "CS": "W",
    "ES": "W",
    "ET": "W",
    "BN": "W",
}


@cache
def pdfium_class(char: str) -> str:
    """``L``, ``R``, ``W`` (weak) or ``N`` (neutral), as PDFium groups ``char``."""
    return _PDFIUM_CLASSES.get(unicodedata.bidirectional(char), "N")


def left_to_right_word(logical: str) -> str:
    """The /ActualText of a word or phrase with Latin letters in a right-to-left document.

    There PDFium reads the line from its right end, one run of a class at a time, so a
    neutral at the start of the word («@UN», «(NYT») would be read after it and one at
    its end («true?») before it. The runs go in reverse order (right-to-left letters
    reversed), and a left-to-right mark keeps a neutral at either end from joining
    the space beside it: PDFium then reads ``logical``, the marks aside. A digit read
    first would leave PDFium reading right to left, mirroring a bracket after it
    («3(a)»): the mark goes there too.
    """
    runs = ["".join(run) for _, run in itertools.groupby(logical, pdfium_class)]
    text = "".join(run[::-1] if pdfium_class(run[0]) == "R" else run for run in reversed(runs))
    classes = [pdfium_class(run[0]) for run in runs]
    if classes[0] == "N" or (classes[0] == "W" and "N" in classes):
        text += LEFT_TO_RIGHT_MARK
    if pdfium_class(logical[-1]) == "N":
        text = LEFT_TO_RIGHT_MARK + text
    return text


@lru_cache(maxsize=8192)
def left_to_right_run(visual: str, logical: str) -> tuple[str, str]:
    """What poppler and PDFium read a whole left-to-right run from (a Latin phrase, a number)
    in a right-to-left document: one span over all its words.

    poppler sets the run apart as a whole, but would move a sign or a combining accent
    at its right end («true?», «Café») to the right-to-left text beyond it: a
    right-to-left mark before the run and a left-to-right mark after such a character
    hold the run together. PDFium reads the span as it reads a word
    (``left_to_right_word``).
    """
    last = logical[-1]
    closing = (
        LEFT_TO_RIGHT_MARK
        if pdfium_class(last) == "N" or unicodedata.category(last)[0] == "M"
        else ""
    )
    return RIGHT_TO_LEFT_MARK + visual + closing, left_to_right_word(logical)


@lru_cache(maxsize=8192)
def poppler_text(visual: str, logical: str, ends_run: bool = True) -> str:
    """The /ActualText poppler reads ``logical`` from, in a right-to-left document.

    poppler reverses the visual text of a right-to-left word, but sets a comma, a
    full stop or a quotation mark at either end of it, and a number or a Latin word
    as a whole, apart: on the far side of the space beside it («آمد .برخی»,
    «سال  ۱۲۵۳خورشیدی»). A right-to-left mark after it (or before a leading
    bracket) keeps it in its place; the mark is invisible, as the bidi controls
    poppler writes itself. A word without right-to-left letters gets the mark only
    at the end of its run (``ends_run``), so that «Is it true?» stays one run.
    """
    if RIGHT_TO_LEFT_CHARACTERS.isdisjoint(logical):
        return RIGHT_TO_LEFT_MARK + visual if ends_run else visual
    if unicodedata.category(logical[-1])[0] in "PSN":  # punctuation, symbol, number
        visual = RIGHT_TO_LEFT_MARK + visual
    if pdfium_class(logical[0]) == "N":
        visual += RIGHT_TO_LEFT_MARK
    return visual
