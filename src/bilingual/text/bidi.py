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
    is_blank,
    text_direction,
)
from bilingual.text.run_rules import joined_number_phrases, widened, worth_isolating

__all__ = [
    "ISOLATES", "PDF", "PDI", "SHORT_PHRASE_LENGTH", "SHORT_PHRASE_WORDS", "Run",
    "balance_controls", "dominant_direction", "embedding_levels", "is_short_phrase",
    "isolate_html", "isolate_print", "isolate_unicode", "opposite_runs", "reorder",
    "text_direction", "visual",
]

Run = tuple[int, int, str]

_BASE_LEVEL = {"ltr": 0, "rtl": 1}

SHORT_PHRASE_WORDS = 3
SHORT_PHRASE_LENGTH = 32


def embedding_levels(text: str, direction: str) -> bytes:
    """The level UAX #9 resolves for each character of ``text`` in a ``direction`` paragraph."""
    check_direction(direction)
    if not text:
        return b""
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, _BASE_LEVEL[direction])
    levels = bytes(bidi.getLevels())
    if not ASTRAL.search(text):
        return levels
    # ICU counts UTF-16 code units: keep the level of each character's first unit.
    starts, unit = [], 0
    for char in text:
        starts.append(unit)
        unit += 2 if ord(char) > 0xFFFF else 1
    return bytes(levels[start] for start in starts)


def opposite_runs(text: str, direction: str) -> list[Run]:
    """Find the (start, end, run_direction) spans of ``text`` written against ``direction``."""
    check_direction(direction)
    if not _may_hold_runs(text, direction):
        return []
    spans = _resolved_spans(text, direction)
    if direction == "rtl":
        spans = joined_number_phrases(text, spans)
    run_direction = OPPOSITE[direction]
    runs: list[Run] = []
    position = 0
    for found_start, found_end in spans:
        if found_start < position:  # already taken in by the run before
            continue
        start, end = widened(text, found_start, found_end, direction)
        if worth_isolating(text, start, end, direction):
            runs.append((start, end, run_direction))
        position = end
    return runs


def is_short_phrase(run: str) -> bool:
    """Tell whether a run of a few words, or a number in groups, should stay on one line."""
    words = run.split()
    if len(words) < 2 or len(run) > SHORT_PHRASE_LENGTH:
        return False
    return len(words) <= SHORT_PHRASE_WORDS or not any(char.isalpha() for char in run)


def isolate_html(text: str, direction: str) -> Markup:
    """Escape plain ``text`` and wrap each opposite-direction run in ``<bdi dir=...>``.

    A short phrase of a few words gets ``class="phrase"``, which the theme keeps on one line.
    ``text`` is always treated as plain text: even a ``Markup`` value is escaped.
    """
    return Markup("".join(
        _bdi(chunk, run_direction) if run_direction else escape(chunk)
        for chunk, run_direction in _chunks(str(text), direction)
    ))


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
        pieces.append(Markup('<span class="phrase">%s</span>') % isolated
                      if is_short_phrase(chunk) else isolated)
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


def _bdi(chunk: str, run_direction: str) -> Markup:
    phrase = ' class="phrase"' if is_short_phrase(chunk) else ""
    return Markup(f'<bdi dir="{run_direction}"{phrase}>') + escape(chunk) + Markup("</bdi>")


def _chunks(text: str, direction: str) -> Iterator[tuple[str, str | None]]:
    """Yield the pieces of ``text`` with the run direction, or None outside runs."""
    position = 0
    for start, end, run_direction in opposite_runs(text, direction):
        if start > position:
            yield text[position:start], None
        yield text[start:end], run_direction
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
    above = re.compile(b"[%c-\xff]+" % (base + 1))
    spans = []
    for found in above.finditer(levels):
        start, end = _trimmed(text, found.start(), found.end())
        if start < end:
            spans.append((start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces, marks and other invisible characters from the edges of a span."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end
