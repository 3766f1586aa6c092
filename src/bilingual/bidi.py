"""Turn mixed-direction text into text that browsers, PDFs and terminals show in reading order."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from markupsafe import Markup, escape

from .languages import Direction

ISOLATES: dict[str, str] = {"ltr": "\u2066", "rtl": "\u2067"}
PDI = "\u2069"
PDF = "\u202c"

Run = tuple[int, int, str]

_STRONG: dict[str, Direction] = {"L": "ltr", "R": "rtl", "AL": "rtl"}
_OPPOSITE: dict[str, Direction] = {"ltr": "rtl", "rtl": "ltr"}

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_ISOLATE_INITIATORS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: invisible, not words
_CONTROLS = _EMBEDDINGS | _ISOLATE_INITIATORS | _MARKS | {PDF, PDI}
_ANY_CONTROL = re.compile(f"[{''.join(sorted(_CONTROLS))}]")

_SENTENCE_PUNCTUATION = frozenset(".,;:!?،؛؟…\"'¡¿۔")
_BRACKET_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf"})
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "“": "”", "‘": "’", '"': '"'}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}

_WORD = re.compile(r"\S+")
_DIGIT = "0-9\u06f0-\u06f9\u0660-\u0669"
_NUMBER = re.compile(rf"[{_DIGIT}]+(?:[-/:.,\u066b\u066c][{_DIGIT}]+)+")
_PARAGRAPH_BREAK = re.compile(r"(\r?\n\s*\n|\u2029)")

_SAME_WORD, _OPPOSITE_WORD, _NEUTRAL_WORD = "same", "opposite", "neutral"


def text_direction(text: str, default: str = "ltr") -> str:
    """Return the direction of the first strong character, like HTML's dir="auto"."""
    isolated = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "B":
            isolated = 0
        elif char in _ISOLATE_INITIATORS:
            isolated += 1
        elif char == PDI:
            isolated = max(isolated - 1, 0)
        elif isolated == 0 and kind in _STRONG:
            return _STRONG[kind]
    return default


def dominant_direction(text: str, default: str) -> str:
    """A block's direction: the opposite one only if it leads and outweighs ``default``."""
    _check(default)
    opposite = _OPPOSITE[default]
    first_opposite = _STRONG_PATTERNS[opposite].search(text)
    if first_opposite is None:
        return default
    first_same = _STRONG_PATTERNS[default].search(text, 0, first_opposite.start())
    if first_same is not None:
        return default
    counts = {side: len(pattern.findall(text)) for side, pattern in _STRONG_PATTERNS.items()}
    return opposite if counts[opposite] > counts[default] else default


def opposite_runs(text: str, direction: str) -> list[Run]:
    """Find the (start, end, run_direction) spans of ``text`` written against ``direction``."""
    _check(direction)
    run_direction = _OPPOSITE[direction]
    if not _may_hold_runs(text, direction):
        return []
    return [
        _trimmed_run(text, start, end, run_direction)
        for start, end in _opposite_word_spans(text, direction)
    ]


def _may_hold_runs(text: str, direction: str) -> bool:
    return bool(_STRONG_PATTERNS[_OPPOSITE[direction]].search(text) or _ASTRAL.search(text)
                or (direction == "rtl" and _NUMBER.search(text)))


def isolate_html(text: str, direction: str) -> Markup:
    """Escape plain ``text`` and wrap each opposite-direction run in ``<bdi dir=...>``.

    ``text`` is always treated as plain text: even a ``Markup`` value is escaped.
    """
    text = str(text)
    return Markup("".join(
        f'<bdi dir="{run_direction}">{escape(chunk)}</bdi>' if run_direction else escape(chunk)
        for chunk, run_direction in _chunks(text, direction)
    ))


def isolate_unicode(text: str, direction: str) -> str:
    """Wrap each opposite-direction run in LRI/RLI ... PDI, for renderers that ignore ``<bdi>``."""
    return "".join(
        f"{ISOLATES[run_direction]}{chunk}{PDI}" if run_direction else chunk
        for chunk, run_direction in _chunks(text, direction)
    )


def balance_controls(text: str) -> str:
    """Close unclosed embeddings, overrides and isolates and drop stray closers, per paragraph."""
    if not _ANY_CONTROL.search(text):
        return text
    parts = _PARAGRAPH_BREAK.split(text)
    # split() with a capturing group puts the separators at the odd indexes.
    return "".join(
        separator_or_paragraph if index % 2 else _balanced_paragraph(separator_or_paragraph)
        for index, separator_or_paragraph in enumerate(parts)
    )


def visual(text: str) -> str:
    """Shape and reorder right-to-left text for displays without a bidi engine, line by line."""
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return text
    return "\n".join(_visual_line(line) for line in text.split("\n"))


def _visual_line(line: str) -> str:
    import arabic_reshaper  # noqa: PLC0415 - slow to import (fontTools), needed for terminals only
    # The pure-Python algorithm mirrors brackets ("(" shown as ")" in right-to-left runs).
    from bidi.algorithm import get_display  # noqa: PLC0415

    return str(get_display(arabic_reshaper.reshape(line))) if line else line


def _check(direction: str) -> None:
    if direction not in _OPPOSITE:
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")


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


def _opposite_word_spans(text: str, direction: str) -> Iterator[tuple[int, int]]:
    """Yield each run's span from its first to its last opposite word."""
    start: int | None = None
    end = 0
    for word_start, word_end in _opposite_words(text, direction):
        if start is not None and _run_breaks(text, end, word_start, direction):
            yield start, end
            start = None
        start = word_start if start is None else start
        end = word_end
    if start is not None:
        yield start, end


def _opposite_words(text: str, direction: str) -> list[tuple[int, int]]:
    """Spans of the words written against ``direction``, found by regex, checked one by one.

    A word is a run of non-space characters; the candidates are the words holding a character
    (or, in right-to-left text, a number) that may be written against ``direction``.
    """
    candidates = _CANDIDATES[direction]
    spans = []
    position = 0
    while (found := candidates.search(text, position)) is not None:
        start = found.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = _REST_OF_WORD.match(text, found.end()).end()  # type: ignore[union-attr]
        spans.append((start, end))
        position = end
    return [span for span in spans
            if _word_kind(text[span[0]:span[1]], direction) == _OPPOSITE_WORD]


def _run_breaks(text: str, gap_start: int, gap_end: int, direction: str) -> bool:
    """A run stops at a paragraph break or a word written in the base direction."""
    if _breaks_paragraph(text[gap_start:gap_end]):
        return True
    if not _STRONG_PATTERNS[direction].search(text, gap_start, gap_end):
        return False
    return any(_word_kind(word.group(), direction) == _SAME_WORD
               for word in _WORD.finditer(text, gap_start, gap_end))


def _strong_directions(word: str) -> set[str]:
    if _ASTRAL.search(word):
        return {
            _STRONG[kind]
            for char in word
            if char not in _MARKS and (kind := unicodedata.bidirectional(char)) in _STRONG
        }
    return {direction for direction, pattern in _STRONG_PATTERNS.items() if pattern.search(word)}


def _class_of(kinds: set[str]) -> re.Pattern[str]:
    """A regex class of the Basic Multilingual Plane characters of the given bidi classes."""
    marks = {ord(mark) for mark in _MARKS}
    inside = [kind in kinds and code not in marks for code, kind in enumerate(_bmp_classes())]
    inside.append(False)
    ranges: list[str] = []
    start = None
    for code, flag in enumerate(inside):
        if flag and start is None:
            start = code
        elif not flag and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    return re.compile(f"[{''.join(ranges)}]")


@functools.cache
def _bmp_classes() -> list[str]:
    return list(map(unicodedata.bidirectional, map(chr, range(0x10000))))


# Per-character unicodedata lookups dominate long bodies; regex classes run in C.
_STRONG_PATTERNS: dict[str, re.Pattern[str]] = {"ltr": _class_of({"L"}), "rtl": _class_of({"R", "AL"})}
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_PARAGRAPH_SEPARATOR = re.compile("[\n\r\x1c-\x1e\x85\u2029]")
_REST_OF_WORD = re.compile(r"\S*")
_CANDIDATES = {
    "ltr": re.compile(f"{_STRONG_PATTERNS['rtl'].pattern}|{_ASTRAL.pattern}"),
    "rtl": re.compile(f"{_STRONG_PATTERNS['ltr'].pattern}|{_ASTRAL.pattern}|{_NUMBER.pattern}"),
}


def _word_kind(word: str, direction: str) -> str:
    # Judge the word without its edge punctuation: "؟" and "؛" are strong Arabic letters to Unicode.
    core = _core(word)
    directions = _strong_directions(core)
    if direction in directions:
        return _SAME_WORD
    if directions:
        return _OPPOSITE_WORD
    # Dates, times and ranges reorder their parts in right-to-left text; plain integers do not.
    if direction == "rtl" and _NUMBER.fullmatch(core):
        return _OPPOSITE_WORD
    return _NEUTRAL_WORD


def _breaks_paragraph(gap: str) -> bool:
    return bool(_PARAGRAPH_SEPARATOR.search(gap))


def _is_edge(char: str) -> bool:
    """Tell whether ``char`` belongs to the surrounding sentence when it sits at a run's edge."""
    return (
        char in _SENTENCE_PUNCTUATION
        or char in _CONTROLS
        or unicodedata.category(char) in _BRACKET_CATEGORIES
    )


def _core(word: str) -> str:
    start, end = _core_bounds(word, 0, len(word))
    return word[start:end]


def _core_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return start, end


def _trimmed_run(text: str, start: int, end: int, run_direction: str) -> Run:
    """Drop edge punctuation from a run, but keep the partners of brackets and quotes inside it."""
    core_start, core_end = _core_bounds(text, start, end)
    unclosed, unopened = _unpaired(text[core_start:core_end])
    for closer in reversed(unclosed):
        found = text.find(closer, core_end, end)
        if found >= 0:
            core_end = found + 1
        elif _PAIRS.get(closer) == closer:  # a straight quote may pair with one before the run
            core_start = _extend_start(text, start, core_start, closer)
    for opener in unopened:
        core_start = _extend_start(text, start, core_start, opener)
    return core_start, core_end, run_direction


def _extend_start(text: str, start: int, core_start: int, opener: str) -> int:
    found = text.rfind(opener, start, core_start)
    return found if found >= 0 else core_start


def _unpaired(core: str) -> tuple[list[str], list[str]]:
    """Return the closers awaited (outermost first) and the openers missing (innermost first)."""
    awaited: list[str] = []
    missing: list[str] = []
    for char in core:
        if awaited and char == awaited[-1]:
            awaited.pop()
        elif char in _PAIRS:
            awaited.append(_PAIRS[char])
        elif char in _CLOSERS:
            missing.append(_CLOSERS[char])
    return awaited, missing


def _balanced_paragraph(paragraph: str) -> str:
    """Apply UAX #9's pairing rules (X5-X7) and close whatever is still open at the end."""
    kept: list[str] = []
    open_stack: list[str] = []
    for char in paragraph:
        if char in _EMBEDDINGS or char in _ISOLATE_INITIATORS:
            open_stack.append(char)
        elif char == PDF:
            if not open_stack or open_stack[-1] not in _EMBEDDINGS:
                continue
            open_stack.pop()
        elif char == PDI:
            if not _ISOLATE_INITIATORS.intersection(open_stack):
                continue
            # A PDI also ends the embeddings opened inside its isolate.
            while open_stack.pop() not in _ISOLATE_INITIATORS:
                pass
        kept.append(char)
    kept.extend(PDI if opener in _ISOLATE_INITIATORS else PDF for opener in reversed(open_stack))
    return "".join(kept)
