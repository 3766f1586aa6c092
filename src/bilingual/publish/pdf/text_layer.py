"""Give the words WeasyPrint draws their source text back, as /ActualText spans.

WeasyPrint shows glyphs in visual order and maps each glyph to text through the
font's ToUnicode map. For right-to-left text that is not enough: a ZWNJ has no
glyph and vanishes, a lam-alef ligature comes out as alef-lam, a mark (hamza,
tanwin) lands before its letter. So every word of a line that holds right-to-left
text is wrapped in a marked-content span (PDF 32000-1, 14.9.4) whose /ActualText
is the word's source text.

Extractors run their own bidi reordering over /ActualText, each its own way:

- poppler reverses a right-to-left span as a whole, so its text is the word in
  visual order (the order its glyphs are drawn, what extractors expect);
- PDFium reverses only the runs of right-to-left letters inside a span and keeps
  marks, joiners and punctuation where they are. Where that reading differs,
  a second span nested in the first carries PDFium's form of the text, through a
  named property list (/Span /Tn BDC, the dictionary in the page's /Properties):
  PDFium reads the innermost /ActualText and resolves named property lists,
  poppler reads only a dictionary written in the content stream.

The glyphs and their positions stay as WeasyPrint drew them: a TJ array split in
two moves the text position exactly as the single array did.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pydyf
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import ffi, pango

# Characters the templates add for layout (bidi isolates, embeddings, marks): a
# reader never typed them, so they stay out of the text layer.
LAYOUT_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                            "\u2066\u2067\u2068\u2069")
RIGHT_TO_LEFT = frozenset({"R", "AL"})
LEFT_TO_RIGHT = frozenset({"L", "EN", "AN"})
_TJ_ITEM = re.compile(rb"<([0-9A-Fa-f]*)>|(-?[0-9.]+(?:e-?[0-9]+)?)")
_DROP_CONTROLS = dict.fromkeys(map(ord, LAYOUT_CONTROLS))


@dataclass(frozen=True)
class Glyph:
    """One glyph of a line, in drawing order, and the source text it starts.

    ``text`` is its cluster's text on the cluster's first glyph and empty on the
    others; ``offset`` is where that text starts in the line's source; ``drawn`` is False for Pango's empty glyph (a ZWNJ, an isolate), which
    shows nothing.
    """

    text: str
    rtl: bool
    drawn: bool = True
    code_length: int = 4
    offset: int = 0


@dataclass(frozen=True)
class Word:
    """Drawn glyphs ``first`` to ``last`` (counted among drawn glyphs) and their texts."""

    first: int
    last: int
    visual: str
    logical: str

    @cached_property
    def pdfium(self) -> str:
        """The text as PDFium must read it: right-to-left letter runs reversed in place."""
        return pdfium_order(self.logical)


def visual_text(glyphs: Sequence[Glyph]) -> str:
    """The source text of ``glyphs`` in the order they are drawn."""
    return "".join(glyph.text[::-1] if glyph.rtl else glyph.text
                   for glyph in glyphs).translate(_DROP_CONTROLS)


def logical_text(glyphs: Sequence[Glyph]) -> str:
    """The source text of ``glyphs`` in reading order."""
    ordered = sorted(glyphs, key=lambda glyph: glyph.offset)
    return "".join(glyph.text for glyph in ordered).translate(_DROP_CONTROLS)


def pdfium_order(logical: str) -> str:
    """``logical`` with each run of right-to-left letters reversed, the rest in place.

    PDFium does the same to a span's /ActualText, so this gives the text back.
    """
    def strength(char: str) -> str:
        kind = unicodedata.bidirectional(char)
        return "R" if kind in RIGHT_TO_LEFT else "L" if kind in LEFT_TO_RIGHT else "N"

    return "".join("".join(run)[::-1] if kind == "R" else "".join(run)
                   for kind, run in itertools.groupby(logical, strength))


def needs_spans(glyphs: Sequence[Glyph]) -> bool:
    """Whether the line holds right-to-left text, which the ToUnicode map garbles."""
    return any(glyph.rtl for glyph in glyphs)


def words(glyphs: Sequence[Glyph]) -> list[Word]:
    """The words of a line (split at its spaces) that need a span; a ZWNJ stays inside.

    A word of right-to-left letters drawn one glyph per letter reads right from the
    ToUnicode map in poppler and PDFium alike, so it is left as it is.
    """
    found: list[Word] = []
    drawn = 0
    for is_space, group in itertools.groupby(glyphs, lambda glyph: glyph.text.isspace()):
        members = list(group)
        count = sum(glyph.drawn for glyph in members)
        if not is_space and count and not _reads_alone(members):
            logical = logical_text(members)
            if logical.strip():
                found.append(Word(drawn, drawn + count - 1, visual_text(members), logical))
        drawn += count
    return found


def _reads_alone(glyphs: Sequence[Glyph]) -> bool:
    """Whether every glyph is drawn and stands for one right-to-left letter."""
    return all(glyph.drawn and len(glyph.text) == 1 and glyph.rtl
               and unicodedata.bidirectional(glyph.text) in RIGHT_TO_LEFT for glyph in glyphs)


def line_glyphs(stream: Any, textbox: Any) -> list[Glyph]:
    """The glyphs of the line WeasyPrint just drew for ``textbox``, in drawing order."""
    first_line, _ = textbox.pango_layout.get_first_line()
    source = textbox.pango_layout.text.encode()
    glyphs: list[Glyph] = []
    run = first_line.runs
    while run != ffi.NULL:
        font, _size = stream.add_font(run.data.item.analysis.font)
        glyphs.extend(_run_glyphs(run.data, source, 2 if font.bitmap else 4))
        run = run.next
    return glyphs


def _run_glyphs(glyph_item: Any, source: bytes, code_length: int) -> Iterator[Glyph]:
    item, glyph_string = glyph_item.item, glyph_item.glyphs
    count = glyph_string.num_glyphs
    clusters = ffi.unpack(glyph_string.log_clusters, count)
    # PangoGlyphInfo is five 32-bit fields, the glyph first: read them all at once.
    infos = memoryview(ffi.buffer(glyph_string.glyphs, count * ffi.sizeof("PangoGlyphInfo")))
    glyph_ids = infos.cast("I")[::ffi.sizeof("PangoGlyphInfo") // 4]
    starts = sorted(set(clusters))
    ends = dict(zip(starts, [*starts[1:], item.length]))
    rtl = bool(item.analysis.level % 2)
    empty = pango.PANGO_GLYPH_EMPTY
    previous = None
    for start, glyph_id in zip(clusters, glyph_ids):
        text = "" if start == previous else \
            source[item.offset + start:item.offset + ends[start]].decode()
        previous = start
        yield Glyph(text, rtl, glyph_id != empty, code_length, item.offset + start)


class _Marker:
    """Rewrite one line's operators, wrapping each word's glyphs in its spans."""

    def __init__(self, line_words: Sequence[Word], glyphs: Sequence[Glyph],
                 properties: pydyf.Dictionary) -> None:
        self.starts = {word.first: word for word in line_words}
        self.ends = {word.last: word for word in line_words}
        self.code_lengths = [glyph.code_length for glyph in glyphs if glyph.drawn]
        self.properties = properties
        self.marked: list[Any] = []
        self.array: list[bytes] = []
        self.glyph = 0

    def rewrite(self, operators: Sequence[Any]) -> list[Any]:
        for operator in operators:
            if isinstance(operator, bytes) and operator.endswith(b"] TJ"):
                self._show(operator[1:-4])
                self._flush()
            else:
                self.marked.append(operator)
        return self.marked

    def _show(self, items: bytes) -> None:
        for match in _TJ_ITEM.finditer(items):
            codes, number = match.groups()
            if number is not None:
                self.array.append(number)
                continue
            position = 0
            while position < len(codes):
                length = self.code_lengths[self.glyph] \
                    if self.glyph < len(self.code_lengths) else 4
                self._glyph(codes[position:position + length])
                position += length

    def _glyph(self, code: bytes) -> None:
        word = self.starts.get(self.glyph)
        if word is not None:
            # Offsets before the word's first glyph position it: they go with it.
            leading = self._trailing_numbers()
            self._flush()
            self.marked.extend(self._begin(word))
            self.array.extend(leading)
        self.array.append(b"<" + code + b">")
        word = self.ends.get(self.glyph)
        if word is not None:
            self._flush()
            self.marked.extend([b"EMC"] * (1 + (word.pdfium != word.visual)))
        self.glyph += 1

    def _begin(self, word: Word) -> list[bytes]:
        operators = [span_operator(word.visual)]
        if word.pdfium != word.visual:
            operators.append(b"/Span /" + self._property(word.pdfium).encode() + b" BDC")
        return operators

    def _property(self, actual_text: str) -> str:
        """The name of the property list holding ``actual_text``, added if new.

        The name comes from the text, so the same text always gets the same name.
        """
        name = "T" + hashlib.blake2b(actual_text.encode(), digest_size=6).hexdigest()
        if name not in self.properties:
            self.properties[name] = pydyf.Dictionary({"ActualText": pydyf.String(actual_text)})
        return name

    def _trailing_numbers(self) -> list[bytes]:
        count = 0
        while count < len(self.array) and not self.array[-1 - count].startswith(b"<"):
            count += 1
        trailing = self.array[len(self.array) - count:]
        del self.array[len(self.array) - count:]
        return trailing

    def _flush(self) -> None:
        if self.array:
            self.marked.append(b"[" + b" ".join(self.array) + b"] TJ")
            self.array = []


def mark_words(operators: Sequence[Any], glyphs: Sequence[Glyph],
               properties: pydyf.Dictionary) -> list[Any]:
    """``operators`` (one line's) with the words of ``glyphs`` that need it in spans.

    PDFium's forms of the words go into ``properties``, the /Properties resource
    of the stream the operators belong to.
    """
    line_words = words(glyphs)
    if not line_words:
        return list(operators)
    return _Marker(line_words, glyphs, properties).rewrite(operators)


def span_operator(actual_text: str) -> bytes:
    """``/Span <</ActualText (text)>> BDC``, the text in UTF-16BE as PDF text strings are."""
    encoded = actual_text.encode("utf-16-be").hex().upper().encode()
    return b"/Span <</ActualText <FEFF" + encoded + b">>> BDC"


_document_language: ContextVar[str | None] = ContextVar("text_layer_language", default=None)


@contextmanager
def text_layer(language: str) -> Iterator[None]:
    """Within this block, the PDFs WeasyPrint draws get their text layer.

    Lines in another language than ``language`` (the document's) are wrapped in a
    span with their /Lang, so screen readers switch voices.
    """
    install()
    token = _document_language.set(language)
    try:
        yield
    finally:
        _document_language.reset(token)


def language_span(operators: list[Any], language: str) -> list[Any]:
    """``operators`` inside ``/Span <</Lang (language)>> BDC ... EMC``."""
    return [b"/Span <</Lang " + pydyf.String(language).data + b">> BDC", *operators, b"EMC"]


def install() -> None:
    """Wrap WeasyPrint's line drawing once per process; the wrapper acts in text_layer()."""
    original = weasyprint_text.draw_first_line
    if getattr(original, "text_layer", False):
        return

    def draw_first_line(stream: Any, textbox: Any, *args: Any) -> Any:
        start = len(stream.stream)
        emojis = original(stream, textbox, *args)
        document_language = _document_language.get()
        if document_language is None or len(stream.stream) == start:
            return emojis
        operators = stream.stream[start:]
        glyphs = line_glyphs(stream, textbox)
        if needs_spans(glyphs):
            properties = stream._resources.setdefault("Properties", pydyf.Dictionary())
            operators = mark_words(operators, glyphs, properties)
        language = textbox.style["lang"]
        if language and language.split("-")[0] != document_language.split("-")[0]:
            operators = language_span(operators, language)
        stream.stream[start:] = operators
        return emojis

    draw_first_line.text_layer = True  # type: ignore[attr-defined]
    weasyprint_text.draw_first_line = draw_first_line
