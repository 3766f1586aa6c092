"""Give the words WeasyPrint draws their source text back, as /ActualText spans.

WeasyPrint shows glyphs in visual order and maps each glyph to text through the
font's ToUnicode map. For right-to-left text that is not enough: a ZWNJ has no
glyph and vanishes, a lam-alef ligature comes out as alef-lam, a mark (hamza,
tanwin) lands before its letter. So every word of a line that holds right-to-left
text, unless its glyphs stand one for one for its letters, is wrapped in a
marked-content span (PDF 32000-1, 14.9.4) whose /ActualText is its source text.
The words of a run in the other direction (an English phrase in a Persian line)
share one span: extractors order spans by their places, as they order the line,
and would read the phrase's words from its far end (PDFium: «true? it Is»).

Extractors run their own bidi reordering over /ActualText, each its own way:

- poppler reverses a right-to-left span as a whole, so its text is the word in
  visual order (the order its glyphs are drawn, what extractors expect), with a
  right-to-left mark where poppler would set a sign or a number apart from it;
- PDFium reads a span as runs of letters, digits and neutrals and reorders them
  with the rest of the line, its own way in a document read right to left (see
  readers.py). Where that reading of the visual text is not the source text, a
  second span nested in the first carries the text PDFium turns back into the
  source, through a named property list (/Span /Tn BDC, the dictionary in the
  page's /Properties): PDFium reads the innermost /ActualText and resolves named
  property lists, poppler reads only a dictionary written in the content stream.

The marks (U+200E, U+200F) are invisible; extractors give them back as the bidi
controls they are, as poppler gives its own embeddings.

The glyphs and their positions stay as WeasyPrint drew them (marked_content.py
cuts the TJ arrays). A line is read from Pango in bulk (a few list operations per
run); only the words that need a span are looked at glyph by glyph.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import ffi, pango

from bilingual.publish.pdf.marked_content import Marker, Word, span_operator
from bilingual.publish.pdf.readers import (
    RIGHT_TO_LEFT_CHARACTERS,
    left_to_right_run,
    pdfium_text,
    poppler_text,
)

__all__ = ["Line", "Word", "language_span", "mark_words", "span_operator", "text_layer", "words"]

# Characters the templates add for layout (bidi isolates, embeddings, marks): a
# reader never typed them, so they stay out of the text layer.
LAYOUT_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
SPACE_BYTES = frozenset(b" \t\n\r\f\v")
_DROP_CONTROLS = dict.fromkeys(map(ord, LAYOUT_CONTROLS))
RIGHT_TO_LEFT_BYTES = frozenset(char.encode() for char in RIGHT_TO_LEFT_CHARACTERS)
_GLYPH_INFO_SIZE = ffi.sizeof("PangoGlyphInfo")  # five 32-bit fields, the glyph first
_EMPTY = pango.PANGO_GLYPH_EMPTY


@dataclass
class Line:
    """The glyphs of one drawn line in drawing order, as columns.

    ``starts`` and ``ends`` bound each glyph's cluster in ``source`` (UTF-8 bytes);
    the glyphs of one cluster follow one another. ``code_lengths`` has one entry
    per drawn glyph: the hex digits of its code in the content stream.
    """

    source: bytes
    base: int = 1  # the paragraph's bidi level: 1 right to left, 0 left to right
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    rtl: list[bool] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    drawn: list[bool] = field(default_factory=list)
    code_lengths: list[int] = field(default_factory=list)

    def add_run(
        self,
        offset: int,
        clusters: Sequence[int],
        level: int,
        drawn: Sequence[bool],
        code_length: int,
    ) -> None:
        """Append a run at bidi ``level``: its glyphs' cluster offsets (from ``offset``) and
        which are drawn."""
        self.starts += map(offset.__add__, clusters)
        self.rtl += [level % 2 == 1] * len(clusters)
        self.levels += [level & 0xFF] * len(clusters)  # the rest: gravity, flags, script
        self.drawn += drawn
        self.code_lengths += [code_length] * sum(drawn)

    def close(self, end: int) -> None:
        """End each cluster where the next starts (runs tile the line), the last at ``end``."""
        starts = sorted(set(self.starts))
        following = dict(zip(starts, [*starts[1:], end], strict=True))
        self.ends = list(map(following.__getitem__, self.starts))


def words(line: Line, right_to_left_document: bool = True) -> list[Word]:
    """The words of ``line`` (split at its spaces) that need a span; a ZWNJ stays inside.

    A word of right-to-left letters drawn one glyph per letter reads right from the
    ToUnicode map in poppler and PDFium alike, so it is left as it is. The words of a
    run in the other direction (an English phrase in a Persian line) share one span:
    extractors order separate spans as they order the line, by their places, and so
    read such a phrase's words from the wrong end.
    """
    kinds = _kinds(line)
    ranges = [(*match.span(), False) for match in _NEEDS_SPAN.finditer(kinds)]
    phrases = _phrases(line, kinds)
    if phrases:
        ranges = _merged(sorted(ranges + phrases))
    if not ranges:
        return []
    drawn_before = list(itertools.accumulate(line.drawn, initial=0))
    found: list[Word] = []
    for first, last, phrase in ranges:
        if drawn_before[last] == drawn_before[first] or not (
            right_to_left_document or any(line.rtl[first:last])
        ):
            continue  # nothing drawn, or left-to-right text in a left-to-right document
        visual, logical = _texts(line, first, last)
        if logical.strip():
            found.append(
                Word(
                    drawn_before[first],
                    drawn_before[last] - 1,
                    *_reader_texts(
                        line, first, last, (visual, logical), phrase, right_to_left_document
                    ),
                )
            )
    return found


def _reader_texts(
    line: Line,
    first: int,
    last: int,
    texts: tuple[str, str],
    phrase: bool,
    right_to_left_document: bool,
) -> tuple[str, str, str]:
    """The /ActualText poppler reads, the source text, and the /ActualText PDFium reads."""
    visual, logical = texts
    if not (right_to_left_document or line.base == 1):
        # A left-to-right line of a left-to-right document: PDFium reads a word as
        # poppler does, a phrase of right-to-left words (digits included) reversed as a
        # whole. A right-to-left line (the Persian column of a parallel edition) is
        # read as in a right-to-left document.
        return visual, logical, logical[::-1] if phrase else visual
    if any(map(operator.and_, line.rtl[first:last], line.drawn[first:last])):
        return (poppler_text(visual, logical, _ends_run(line, last)), logical, pdfium_text(logical))
    poppler, pdfium = left_to_right_run(visual, logical)
    return poppler, logical, pdfium


# Glyphs above the paragraph's level, one byte per glyph: in a right-to-left paragraph
# (level 1), left-to-right text (2) and anything it embeds; in a left-to-right one, any.
_EMBEDDED = {1: re.compile(b"[\x02-\xff]+"), 0: re.compile(b"[\x01-\xff]+")}


def _phrases(line: Line, kinds: bytes) -> list[tuple[int, int, bool]]:
    """The glyph ranges of the line's runs in the other direction that hold several words
    (spaces at their ends left out)."""
    found = []
    for run in _EMBEDDED[line.base].finditer(bytes(line.levels)):
        first, last = run.span()
        while first < last and kinds[first] == _SPACE:
            first += 1
        while last > first and kinds[last - 1] == _SPACE:
            last -= 1
        if _SPACE in kinds[first:last]:
            found.append((first, last, True))
    return found


def _merged(ranges: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Sorted ``ranges`` with those that overlap joined into one, a phrase if any was."""
    joined: list[tuple[int, int, bool]] = []
    for first, last, phrase in ranges:
        if joined and first < joined[-1][1]:
            start, end, was = joined[-1]
            joined[-1] = (start, max(last, end), phrase or was)
        else:
            joined.append((first, last, phrase))
    return joined


def _ends_run(line: Line, last: int) -> bool:
    """Whether the glyphs before ``last`` end a left-to-right run: what follows to the
    right (past spaces) is right-to-left, or the line ends."""
    for index in range(last, len(line.starts)):
        if line.source[line.starts[index]] not in SPACE_BYTES:
            return line.rtl[index]
    return True


# One byte per glyph: a space, a glyph that reads right from the ToUnicode map, another.
_SPACE, _PLAIN, _OTHER = 0, 1, 2
_NEEDS_SPAN = re.compile(b"[\x01\x02]*\x02[\x01\x02]*")


class _ClusterKinds(dict[bytes, int]):
    """The kind of a cluster's text (UTF-8), worked out the first time it is met in the process."""

    def __missing__(self, cluster: bytes) -> int:
        kind = (
            _SPACE
            if cluster[0] in SPACE_BYTES
            else _PLAIN
            if cluster in RIGHT_TO_LEFT_BYTES
            else _OTHER
        )
        self[cluster] = kind
        return kind


_CLUSTER_KINDS = _ClusterKinds()


def _kinds(line: Line) -> bytes:
    """For each glyph, one byte: a space, a plain glyph or another.

    A plain glyph is drawn, alone in its cluster, for one right-to-left letter in a
    right-to-left run. The kinds of the clusters come from a table; the few glyphs
    that are hidden, left to right or share their cluster are then looked at one
    by one.
    """
    starts = line.starts
    kinds = bytearray(
        map(_CLUSTER_KINDS.__getitem__, map(line.source.__getitem__, map(slice, starts, line.ends)))
    )
    if False in line.rtl or False in line.drawn:
        for index, plain in enumerate(map(operator.and_, line.rtl, line.drawn)):
            if not plain and kinds[index] == _PLAIN:
                kinds[index] = _OTHER
    if len(set(starts)) < len(starts):  # a cluster drawn with several glyphs
        for index in range(1, len(starts)):
            if starts[index] == starts[index - 1]:
                for glyph in (index - 1, index):
                    if kinds[glyph] == _PLAIN:
                        kinds[glyph] = _OTHER
    return bytes(kinds)


def _texts(line: Line, first: int, last: int) -> tuple[str, str]:
    """The source text of glyphs ``first`` to ``last``: in drawing order, in reading order."""
    rtl = line.rtl[first:last]
    if all(rtl) or not any(rtl):  # one direction: the word's bytes, reversed if right to left
        starts = line.starts[first:last]
        logical = line.source[min(starts) : max(line.ends[first:last])].decode()
        logical = logical.translate(_DROP_CONTROLS)
        return (logical[::-1] if rtl[0] else logical), logical
    seen: set[int] = set()
    visual: list[str] = []
    clusters: list[tuple[int, str]] = []
    for index in range(first, last):
        start = line.starts[index]
        if start in seen:
            continue
        seen.add(start)
        text = line.source[start : line.ends[index]].decode()
        visual.append(text[::-1] if line.rtl[index] else text)
        clusters.append((start, text))
    logical = "".join(text for _, text in sorted(clusters))
    return "".join(visual).translate(_DROP_CONTROLS), logical.translate(_DROP_CONTROLS)


def drawn_line(stream: Any, textbox: Any, fonts: dict[Any, int]) -> Line | None:
    """The line WeasyPrint just drew for ``textbox``, or None if it has no right-to-left run.

    ``fonts`` keeps the code length of each Pango font met so far in the document.
    """
    first_line = pango.pango_layout_get_line_readonly(textbox.pango_layout.layout, 0)
    runs = []
    run = first_line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        runs.append((glyph_item.item, glyph_item.glyphs))
        run = run.next
    analyses = [item.analysis for item, _ in runs]
    if not any(analysis.level % 2 for analysis in analyses):
        return None
    line = Line(textbox.pango_layout.text.encode(), first_line.resolved_dir % 2)
    for (item, glyphs), analysis in zip(runs, analyses, strict=True):
        count = glyphs.num_glyphs
        infos = memoryview(ffi.buffer(glyphs.glyphs, count * _GLYPH_INFO_SIZE)).cast("I")
        font = analysis.font
        if font not in fonts:  # WeasyPrint's own look-up is costly: once per document
            fonts[font] = 2 if stream.add_font(font)[0].bitmap else 4
        line.add_run(
            item.offset,
            ffi.unpack(glyphs.log_clusters, count),
            analysis.level,
            list(map(_EMPTY.__ne__, infos[:: _GLYPH_INFO_SIZE // 4])),
            fonts[font],
        )
    line.close(first_line.start_index + first_line.length)
    return line


def mark_words(
    operators: Sequence[Any],
    line: Line,
    properties: pydyf.Dictionary,
    right_to_left_document: bool = True,
) -> list[Any]:
    """``operators`` (one line's) with the words of ``line`` that need it in spans.

    PDFium's forms of the words go into ``properties``, the /Properties resource
    of the stream the operators belong to.
    """
    line_words = words(line, right_to_left_document)
    if not line_words:
        return list(operators)
    return Marker(line_words, line.code_lengths, properties).rewrite(operators)


@dataclass(frozen=True)
class _Document:
    language: str
    right_to_left: bool
    fonts: dict[Any, int] = field(default_factory=dict)


_document: ContextVar[_Document | None] = ContextVar("text_layer_document", default=None)


@contextmanager
def text_layer(language: str, right_to_left: bool = False) -> Iterator[None]:
    """Within this block, the PDFs WeasyPrint draws get their text layer.

    Lines in another language than ``language`` (the document's) are wrapped in a
    span with their /Lang, so screen readers switch voices. ``right_to_left``: the
    document asks viewers to read it right to left, which changes how PDFium
    orders its lines.
    """
    install()
    token = _document.set(_Document(language, right_to_left))
    try:
        yield
    finally:
        _document.reset(token)


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
        document = _document.get()
        if document is None or len(stream.stream) == start:
            return emojis
        operators = stream.stream[start:]
        line = drawn_line(stream, textbox, document.fonts)
        if line is not None:
            properties = stream._resources.setdefault("Properties", pydyf.Dictionary())
            operators = mark_words(operators, line, properties, document.right_to_left)
        language = textbox.style["lang"]
        if language and language.split("-")[0] != document.language.split("-")[0]:
            operators = language_span(operators, language)
        stream.stream[start:] = operators
        return emojis

    draw_first_line.text_layer = True  # type: ignore[attr-defined]
    weasyprint_text.draw_first_line = draw_first_line
