"""Read the glyphs a PDF paints, line by line from left to right, as their fonts name them.

Without a text layer, PDFium names each glyph through its font's ToUnicode map and places it
at its drawn origin: the order a reader's eye meets the glyphs, whatever the text says.
Latin letters and digits stand one for one for their glyphs; a mirrored bracket is named by
either of its pair, so brackets are compared as one sign (``comparable``).
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium

from bidi_oracle import Phrase, Sentence, comparable, own_order

# Glyphs on one line share a baseline; lines of text are a dozen points apart or more.
SAME_LINE = 2.0
LATIN = re.compile(r"[A-Za-z0-9]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")


@dataclass(frozen=True)
class Line:
    """A line of glyphs: where it is and what it shows from left to right."""

    page: int
    baseline: float
    text: str  # comparable() characters, leftmost first


def painted_lines(path: Path) -> list[Line]:
    """Every line of ``path``'s pages, its glyphs ordered by where they are painted."""
    lines = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for number, page in enumerate(document):
            lines += _page_lines(number, page.get_textpage())
    finally:
        document.close()
    return lines


def _page_lines(number: int, textpage: pypdfium2.PdfTextPage) -> list[Line]:
    x, y = ctypes.c_double(), ctypes.c_double()
    glyphs: list[tuple[float, float, int, str]] = []
    for index in range(textpage.count_chars()):
        if pdfium.FPDFText_IsGenerated(textpage.raw, index):
            continue  # a space or line end PDFium adds between words and lines
        char = comparable(chr(pdfium.FPDFText_GetUnicode(textpage.raw, index)))
        if char and pdfium.FPDFText_GetCharOrigin(textpage.raw, index, x, y):
            glyphs.append((-y.value, x.value, index, char))
    rows: list[list[tuple[float, float, int, str]]] = []
    for glyph in sorted(glyphs):
        if not rows or glyph[0] - rows[-1][0][0] > SAME_LINE:
            rows.append([])
        rows[-1].append(glyph)
    return [
        Line(number, -row[0][0], "".join(glyph[3] for glyph in sorted(row, key=_across)))
        for row in rows
    ]


def _across(glyph: tuple[float, float, int, str]) -> tuple[float, int]:
    return glyph[1], glyph[2]


def latin_phrases(sentence: Sentence) -> list[Phrase]:
    """The phrases of ``sentence`` written left to right in Latin letters or digits."""
    return [
        phrase
        for phrase in sentence.phrases
        if phrase.direction == "ltr"
        and LATIN.search(phrase.text)
        and not ARABIC_SCRIPT.search(phrase.text)
    ]


def misdrawn(sentence: Sentence, phrase: Phrase, lines: list[Line]) -> list[str]:
    """How ``phrase`` is painted on each line of ``sentence`` that does not show it intact.

    A line is the sentence's when all its glyphs are the sentence's (the sentence may be
    wrapped, or repeated as a title). Each such line that
    holds the phrase's signs must show them in the phrase's own order, with nothing between
    them; a phrase on none of its lines is drawn nowhere whole.
    """
    expected = comparable(own_order(phrase, sentence.direction))
    signs = Counter(comparable(sentence.text))
    own = [line for line in lines if not Counter(line.text) - signs]
    holding = [line for line in own if not Counter(expected) - Counter(line.text)]
    if not holding:
        return ["on no line whole"]
    return [
        f"page {line.page + 1}: painted {line.text!r}, not {expected!r} in it"
        for line in holding
        if expected not in line.text
    ]
