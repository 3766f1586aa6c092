"""Tell what PDFium, Chrome's PDF engine, reads from a span's /ActualText, and what to write."""

from __future__ import annotations

import itertools
import re
import unicodedata

RIGHT_TO_LEFT = frozenset({"R", "AL"})
LEFT_TO_RIGHT = frozenset({"L", "EN", "AN"})
# The blocks of right-to-left scripts: Hebrew to Arabic Extended, the presentation forms,
# and the supplementary right-to-left blocks.
_RIGHT_TO_LEFT_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF),
                         (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))
RIGHT_TO_LEFT_CHARACTERS = frozenset(
    char for first, last in _RIGHT_TO_LEFT_BLOCKS for char in map(chr, range(first, last + 1))
    if unicodedata.bidirectional(char) in RIGHT_TO_LEFT)


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Consecutive ``codes`` as (first, last) pairs."""
    return [(group[0][1], group[-1][1]) for group in
            (list(run) for _, run in itertools.groupby(enumerate(codes),
                                                        lambda pair: pair[1] - pair[0]))]


def strength(char: str) -> str:
    """``R`` for a right-to-left letter, ``L`` for a left-to-right one or a digit, else ``N``."""
    kind = unicodedata.bidirectional(char)
    return "R" if kind in RIGHT_TO_LEFT else "L" if kind in LEFT_TO_RIGHT else "N"


_RIGHT_TO_LEFT_RUN = re.compile("[" + "".join(
    f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in
    _ranges(sorted(map(ord, RIGHT_TO_LEFT_CHARACTERS)))) + "]+")


def pdfium_order(logical: str) -> str:
    """``logical`` with each run of right-to-left letters reversed, the rest in place.

    PDFium does the same to a span's /ActualText, so this gives the text back.
    """
    return _RIGHT_TO_LEFT_RUN.sub(lambda run: run[0][::-1], logical)


def pdfium_text(logical: str, right_to_left_document: bool) -> str:
    """The /ActualText from which PDFium reads ``logical``, the text of one word."""
    return pdfium_order(logical)
