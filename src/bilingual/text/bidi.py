"""Turn mixed-direction text into text that browsers, PDFs and terminals show in reading order.

The opposite-direction runs of a text come from the embedding levels that ICU's conformant
Unicode Bidirectional Algorithm (UAX #9) resolves for it in the block's base direction. Each
run is then widened to the neutrals that belong to it: the ``+`` of a phone number, the ``++``
of ``C++``, the final punctuation of a quoted sentence, the numbers and units of one phrase
that the algorithm splits because it counts European digits as right-to-left in a
right-to-left paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import icu
from markupsafe import Markup, escape

from bilingual.text.controls import ISOLATES, PDF, PDI, author_controlled, balance_controls
from bilingual.text.directions import (
    ASCII_DIGIT,
    ASTRAL,
    OPPOSITE,
    STRONG_PATTERNS,
    check_direction,
    dominant_direction,
    text_direction,
)
from bilingual.text.run_rules import (
    closed_quotations,
    joined_number_phrases,
    trimmed,
    widened,
    worth_isolating,
)

__all__ = [
    "ALM",
    "ISOLATES",
    "PDF",
    "PDI",
    "SHORT_PHRASE_LENGTH",
    "SHORT_PHRASE_WORDS",
    "Run",
    "balance_controls",
    "dominant_direction",
    "embedding_levels",
    "is_short_phrase",
    "isolate_html",
    "isolate_print",
    "isolate_unicode",
    "number_context",
    "opposite_runs",
    "reorder",
    "text_direction",
    "visual",
]

Run = tuple[int, int, str]

_BASE_LEVEL = {"ltr": 0, "rtl": 1}
# The characters of a paragraph resolved above its level: those written against it.
_ABOVE = {base: re.compile(b"[%c-\xff]+" % (base + 1)) for base in _BASE_LEVEL.values()}

SHORT_PHRASE_WORDS = 3
SHORT_PHRASE_LENGTH = 32
ALM = "\u061c"  # Arabic letter mark
_NEUTRAL = frozenset({"ES", "ET", "CS", "ON", "WS", "NSM", "BN"})
# Where a browser may break a word: after a dash or slash, before an inner opening bracket.
_INNER_BREAK = re.compile(r".[-\u2010-\u2015/\\(\[{]|[\u2010-\u2015]")


def embedding_levels(text: str, direction: str) -> bytes:
    """The level UAX #9 resolves for each character of ``text`` in a ``direction`` paragraph."""
    check_direction(direction)
    if not text:
        return b""
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, _BASE_LEVEL[direction])
    levels = _levels_by_run(bidi)
    if not ASTRAL.search(text):
        return levels
    # ICU counts UTF-16 code units: keep the level of each character's first unit.
    starts, unit = [], 0
    for char in text:
        starts.append(unit)
        unit += 2 if ord(char) > 0xFFFF else 1
    return bytes(levels[start] for start in starts)


def _levels_by_run(bidi: icu.Bidi) -> bytes:
    """The levels of a paragraph, asked run by run: a paragraph has a few runs and hundreds
    of characters, and ``getLevels`` makes a Python integer of each character's."""
    length = bidi.getLength()
    levels = bytearray(length)
    position = 0
    while position < length:
        limit, level = bidi.getLogicalRun(position)
        levels[position:limit] = bytes((level,)) * (limit - position)
        position = limit
    return bytes(levels)


def opposite_runs(text: str, direction: str) -> list[Run]:
    """Find the (start, end, run_direction) spans of ``text`` written against ``direction``."""
    check_direction(direction)
    if not _may_hold_runs(text, direction):
        return []
    spans = closed_quotations(text, _resolved_spans(text, direction), direction)
    if direction == "rtl":
        spans = joined_number_phrases(text, spans)
    run_direction = OPPOSITE[direction]
    runs: list[Run] = []
    position = 0
    for span_start, span_end in spans:
        # Only what the run before has not taken in already.
        found_start, found_end = trimmed(text, max(span_start, position), span_end)
        if found_start >= found_end:
            continue
        start, end = widened(text, found_start, found_end, direction)
        start = max(start, position)
        if worth_isolating(text, start, end, direction):
            runs.append((start, end, run_direction))
        position = end
    return runs


def is_short_phrase(run: str) -> bool:
    """Tell whether a run of a few words, or a number in groups, should stay on one line.

    A single word is one if a browser may break it: after the dash of ``2015-07-14`` or
    ``v2.3.1-beta``, the slash of ``km/h``, before the bracket of ``3(a)(ii)``.
    """
    words = run.split()
    if not words or len(run) > SHORT_PHRASE_LENGTH:
        return False
    if len(words) == 1:
        return _INNER_BREAK.search(run.strip()) is not None
    return len(words) <= SHORT_PHRASE_WORDS or not any(char.isalpha() for char in run)


def number_context(text: str, start: int, run_direction: str) -> str:
    """An Arabic letter mark for a right-to-left run that starts with a number after a letter.

    Outside the run, such a number follows an Arabic-script letter and reads as an Arabic
    number (rule W2): ``۷۵٪`` shows its percent sign on the left, as Persian writes it. An
    isolate starts afresh and would move the sign to the right; the mark keeps the number as
    the plain algorithm showed it.
    """
    if run_direction != "rtl":
        return ""
    first = start
    while first < len(text) and unicodedata.bidirectional(text[first]) in _NEUTRAL:
        first += 1  # the "+" of "+1", the "$" of "$5"
    if text[first : first + 1] == "" or unicodedata.bidirectional(text[first]) != "EN":
        return ""
    for char in reversed(text[:start]):
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "B"):
            return ""
        if kind == "AL":
            return ALM
    return ""


def isolate_html(text: str, direction: str) -> Markup:
    """Escape plain ``text`` and wrap each opposite-direction run in ``<bdi dir=...>``.

    A short phrase of a few words gets ``class="phrase"``, which the theme keeps on one line.
    ``text`` is always treated as plain text: even a ``Markup`` value is escaped.
    """
    return Markup(
        "".join(
            _bdi(chunk, run_direction) if run_direction else escape(chunk)
            for chunk, run_direction in _chunks(str(text), direction)
        )
    )


def isolate_unicode(text: str, direction: str) -> str:
    """Wrap each opposite-direction run in LRI/RLI ... PDI, for renderers that ignore ``<bdi>``."""
    return "".join(
        f"{ISOLATES[run_direction]}{chunk}{PDI}" if run_direction else chunk
        for chunk, run_direction in _chunks(text, direction)
    )


def isolate_print(text: str, direction: str) -> Markup:
    """Escape plain ``text`` for print HTML: runs in Unicode isolates, short phrases in a span."""
    pieces = []
    for chunk, run_direction in _chunks(str(text), direction):
        if run_direction is None:
            pieces.append(escape(chunk))
            continue
        isolated = escape(f"{ISOLATES[run_direction]}{chunk}{PDI}")
        pieces.append(
            Markup('<span class="phrase">%s</span>') % isolated
            if is_short_phrase(chunk)
            else isolated
        )
    return Markup("".join(pieces))


def reorder(text: str, direction: str) -> str:
    """One line of ``text`` in visual order (left to right), brackets mirrored, controls removed."""
    check_direction(direction)
    if not text:
        return text
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, _BASE_LEVEL[direction])
    return str(bidi.writeReordered(icu.Bidi.DO_MIRRORING | icu.Bidi.REMOVE_BIDI_CONTROLS))


def visual(text: str, direction: str | None = None) -> str:
    """Shape and reorder right-to-left text for displays without a bidi engine, line by line.

    Each line's direction is ``direction``, or else that of its first strong character.
    """
    if not STRONG_PATTERNS["rtl"].search(text) and not ASTRAL.search(text):
        return text
    return "\n".join(_visual_line(line, direction) for line in text.split("\n"))


def _visual_line(line: str, direction: str | None) -> str:
    import arabic_reshaper  # slow to import (fontTools), needed for terminals only

    if not line:
        return line
    base = direction or text_direction(line)
    return reorder(arabic_reshaper.reshape(isolate_unicode(line, base)), base)


def _may_hold_runs(text: str, direction: str) -> bool:
    if STRONG_PATTERNS[OPPOSITE[direction]].search(text) or ASTRAL.search(text):
        return True
    return direction == "rtl" and ASCII_DIGIT.search(text) is not None


def _bdi(chunk: str, run_direction: str) -> str:
    phrase = ' class="phrase"' if is_short_phrase(chunk) else ""
    return f'<bdi dir="{run_direction}"{phrase}>{escape(chunk)}</bdi>'


def _chunks(text: str, direction: str) -> Iterator[tuple[str, str | None]]:
    """Yield the pieces of ``text`` with the run direction, or None outside runs."""
    position = 0
    for start, end, run_direction in opposite_runs(text, direction):
        if start > position:
            yield text[position:start], None
        yield number_context(text, start, run_direction) + text[start:end], run_direction
        position = end
    if position < len(text):
        yield text[position:], None


def _resolved_spans(text: str, direction: str) -> list[tuple[int, int]]:
    """Spans whose resolved level is above the paragraph's, outside the author's own controls."""
    base = _BASE_LEVEL[direction]
    levels = bytearray(embedding_levels(text, direction))
    for start, end in author_controlled(text):
        # The whole span takes the level its opening control has in the text around it.
        levels[start:end] = bytes([max(base, levels[start])]) * (end - start)
    spans = []
    for found in _ABOVE[base].finditer(levels):
        start, end = trimmed(text, found.start(), found.end())
        if start < end:
            spans.append((start, end))
    return spans
