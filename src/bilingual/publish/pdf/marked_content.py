"""Wrap ranges of the glyphs one line draws in marked-content spans carrying /ActualText.

WeasyPrint writes a line as TJ arrays: hex strings of glyph codes between positioning
numbers. A span (PDF 32000-1, 14.9.4) cannot open inside an array, so each array is cut
where a span begins or ends, and only there: the work grows with the spans, not with the
glyphs, and a TJ array split in two moves the text position exactly as the whole did.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import pydyf


class Word(NamedTuple):
    """Drawn glyphs ``first`` to ``last`` (counted among drawn glyphs) and their texts.

    ``visual`` is the /ActualText written in the content stream (what poppler reads),
    ``pdfium`` the one PDFium reads, from a named property list, where it differs.
    """

    first: int
    last: int
    visual: str
    logical: str
    pdfium: str


class Marker:
    """Rewrite one line's operators, wrapping the glyphs of each word in its spans.

    ``code_lengths`` has the hex digits of each drawn glyph's code; ``properties`` is
    the /Properties resource of the stream, where PDFium's texts go.
    """

    def __init__(
        self, line_words: Sequence[Word], code_lengths: Sequence[int], properties: pydyf.Dictionary
    ) -> None:
        # A word begins before its first glyph and ends after its last one.
        self.begins = {word.first: word for word in line_words}
        self.ends = {word.last + 1: word for word in line_words}
        self.cuts = sorted({*self.begins, *self.ends})
        self.code_lengths = code_lengths
        self.properties = properties
        self.marked: list[Any] = []
        self.glyph = 0
        self.cut = (0, False)  # where the array was last cut, and whether inside a string

    def rewrite(self, operators: Sequence[Any]) -> list[Any]:
        """``operators`` with the spans opened and closed around the words' glyphs."""
        for drawing in operators:
            if isinstance(drawing, bytes) and drawing.endswith(b"] TJ"):
                self._show(drawing[1:-4])
            else:
                self.marked.append(drawing)
        return self.marked

    def _show(self, body: bytes) -> None:
        """Add one TJ array, cut where words begin and end."""
        first = self.glyph
        length = self.code_lengths[first] if first < len(self.code_lengths) else 4
        pieces = body.split(b"<")  # numbers, then each hex string with the numbers after it
        closes = list(map(bytes.find, pieces[1:], itertools.repeat(b">")))
        before = list(itertools.accumulate(map(length.__rfloordiv__, closes), initial=first))
        last = before[-1]
        self.glyph = last
        low = bisect.bisect_left(self.cuts, first)
        high = bisect.bisect_right(self.cuts, last)
        self.cut = (0, False)
        if low == high:  # no word begins or ends here
            self._cut_at(body, len(body), False)
            return
        # The k-th "<" comes after pieces 0 to k and the k "<" between them.
        ends = list(itertools.accumulate(map(len, pieces)))
        for place in self.cuts[low:high]:
            ending = self.ends.get(place) if place > first else None
            if ending is not None:
                string = bisect.bisect_right(before, place - 1) - 1
                offset = place - before[string]
                if offset == closes[string] // length:  # after the string
                    self._cut_at(body, ends[string] + string + closes[string] + 2, False)
                else:
                    self._cut_at(body, ends[string] + string + 1 + offset * length, True)
                self.marked.extend(_CLOSE[ending.pdfium != ending.visual])
            beginning = self.begins.get(place) if place < last else None
            if beginning is not None:
                string = bisect.bisect_right(before, place) - 1
                offset = place - before[string]
                if offset:
                    self._cut_at(body, ends[string] + string + 1 + offset * length, True)
                else:  # the numbers before a word's first glyph position it: they go with it
                    after = ends[string - 1] + string + 1 + closes[string - 1] if string else 0
                    self._cut_at(body, after, False)
                self._begin(beginning)
        self._cut_at(body, len(body), False)

    def _cut_at(self, body: bytes, position: int, inside: bool) -> None:
        """Show the array from the last cut to ``position``, closing a hex string cut there."""
        start, opened = self.cut
        part = (b"<" if opened else b"") + body[start:position].strip() + (b">" if inside else b"")
        if part.replace(b"<>", b"").strip():
            self.marked.append(b"[" + part + b"] TJ")
        self.cut = (position, inside)

    def _begin(self, word: Word) -> None:
        self.marked.append(span_operator(word.visual))
        if word.pdfium != word.visual:
            name = property_name(word.pdfium)
            if name not in self.properties:  # written as it stands: pydyf's objects cost more
                self.properties[name] = property_list(word.pdfium)
            self.marked.append(b"/Span /" + name.encode() + b" BDC")


_CLOSE = {False: (b"EMC",), True: (b"EMC", b"EMC")}


@lru_cache(maxsize=8192)  # words recur: a text's common ones are encoded once
def text_string(text: str) -> bytes:
    """``text`` as a PDF text string: UTF-16BE in a literal string.

    A literal string holds the bytes as they are, half the size of a hex string: the
    content stream, which is compressed, stays small.
    """
    encoded = (
        text.encode("utf-16-be")
        .replace(b"\\", b"\\\\")
        .replace(b"(", b"\\(")
        .replace(b")", b"\\)")
        .replace(b"\r", b"\\r")
    )
    return b"(\xfe\xff" + encoded + b")"


def span_operator(actual_text: str) -> bytes:
    """``/Span <</ActualText (text)>> BDC``."""
    return b"/Span <</ActualText " + text_string(actual_text) + b">> BDC"


def property_list(actual_text: str) -> bytes:
    """``<</ActualText (text)>>``, the property list a named span refers to."""
    return b"<</ActualText " + text_string(actual_text) + b">>"


@lru_cache(maxsize=8192)
def property_name(actual_text: str) -> str:
    """The name of the property list holding ``actual_text``: from the text, so the same
    text always gets the same name."""
    return "T" + hashlib.blake2b(actual_text.encode(), digest_size=6).hexdigest()
