"""Tell the direction of characters and of texts from their Unicode bidirectional classes."""

from __future__ import annotations

import re
import unicodedata

from bilingual.text.controls import ISOLATE_INITIATORS, MARKS, PDI
from bilingual.text.languages import Direction

STRONG: dict[str, Direction] = {"L": "ltr", "R": "rtl", "AL": "rtl"}
OPPOSITE: dict[str, Direction] = {"ltr": "rtl", "rtl": "ltr"}
ASTRAL = re.compile("[\U00010000-\U0010ffff]")
ASCII_DIGIT = re.compile("[0-9]")


def check_direction(direction: str) -> None:
    if direction not in OPPOSITE:
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")


def text_direction(text: str, default: str = "ltr") -> str:
    """Return the direction of the first strong character, like HTML's dir="auto"."""
    isolated = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "B":
            isolated = 0
        elif char in ISOLATE_INITIATORS:
            isolated += 1
        elif char == PDI:
            isolated = max(isolated - 1, 0)
        elif isolated == 0 and kind in STRONG:
            return STRONG[kind]
    return default


def dominant_direction(text: str, default: str) -> str:
    """A block's direction: the opposite one only if it leads and outweighs ``default``."""
    check_direction(default)
    opposite = OPPOSITE[default]
    first_opposite = STRONG_PATTERNS[opposite].search(text)
    if first_opposite is None:
        return default
    first_same = STRONG_PATTERNS[default].search(text, 0, first_opposite.start())
    if first_same is not None:
        return default
    counts = {side: len(pattern.findall(text)) for side, pattern in STRONG_PATTERNS.items()}
    return opposite if counts[opposite] > counts[default] else default


def has_strong(text: str) -> bool:
    """Whether ``text`` holds a letter of either direction."""
    return any(pattern.search(text) for pattern in STRONG_PATTERNS.values())


def strong_before(text: str, position: int) -> str | None:
    """The direction of the last strong character before ``position`` in its paragraph."""
    for char in reversed(text[:position]):
        kind = unicodedata.bidirectional(char)
        if kind == "B":
            return None
        if kind in STRONG:
            return STRONG[kind]
    return None


def is_blank(char: str) -> bool:
    """Spaces, marks and other invisible characters, which never start or end a run."""
    return char.isspace() or char in MARKS or unicodedata.bidirectional(char) == "BN"


def strong_ranges(kinds: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """The (first, last) code points of the runs of Basic Multilingual Plane characters of the
    given bidi classes, marks left out."""
    marks = {ord(mark) for mark in MARKS}
    inside = [kind in kinds and code not in marks for code, kind in enumerate(_bmp_classes())]
    inside.append(False)
    ranges: list[tuple[int, int]] = []
    start = None
    for code, flag in enumerate(inside):
        if flag and start is None:
            start = code
        elif not flag and start is not None:
            ranges.append((start, code - 1))
            start = None
    return tuple(ranges)


STRONG_CLASSES: dict[Direction, frozenset[str]] = {
    "ltr": frozenset({"L"}),
    "rtl": frozenset({"R", "AL"}),
}


def _bmp_classes() -> list[str]:
    return list(map(unicodedata.bidirectional, map(chr, range(0x10000))))


def _strong_patterns() -> dict[str, re.Pattern[str]]:
    """Per direction, a regex class of its strong characters: kept in strong_classes.py for
    the Unicode version it was made from (finding them takes 15 ms, at every start)."""
    from bilingual.text import strong_classes

    kept = unicodedata.unidata_version == strong_classes.UNIDATA_VERSION
    patterns: dict[str, re.Pattern[str]] = {}
    for direction, kinds in STRONG_CLASSES.items():
        ranges = _read_ranges(strong_classes.RANGES[direction]) if kept else strong_ranges(kinds)
        inside = "".join(
            f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in ranges
        )
        patterns[direction] = re.compile(f"[{inside}]")
    return patterns


def _read_ranges(kept: str) -> tuple[tuple[int, int], ...]:
    pairs = (pair.split("-") for pair in kept.split())
    return tuple((int(first, 16), int(last, 16)) for first, last in pairs)


# Per-character unicodedata lookups dominate long bodies; regex classes run in C.
STRONG_PATTERNS: dict[str, re.Pattern[str]] = _strong_patterns()
