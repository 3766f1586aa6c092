"""Turn mixed-direction text into text that browsers, PDFs and terminals show in reading order.

The opposite-direction runs of a text come from the embedding levels that ICU's conformant
Unicode Bidirectional Algorithm (UAX #9) resolves for it in the block's base direction. Each
run is then widened to the neutrals that belong to it: the ``+`` of a phone number, the ``++``
of ``C++``, the final punctuation of a quoted sentence, the numbers and units of one phrase
that the algorithm splits because it counts European digits as right-to-left in a
right-to-left paragraph.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

import icu
from markupsafe import Markup, escape

from bilingual.text.languages import Direction

ISOLATES: dict[str, str] = {"ltr": "\u2066", "rtl": "\u2067"}
PDI = "\u2069"
PDF = "\u202c"

Run = tuple[int, int, str]

_STRONG: dict[str, Direction] = {"L": "ltr", "R": "rtl", "AL": "rtl"}
_OPPOSITE: dict[str, Direction] = {"ltr": "rtl", "rtl": "ltr"}
_BASE_LEVEL = {"ltr": 0, "rtl": 1}

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_ISOLATE_INITIATORS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: invisible, never a run's edge
_CONTROLS = _EMBEDDINGS | _ISOLATE_INITIATORS | _MARKS | {PDF, PDI}
_ANY_CONTROL = re.compile(f"[{''.join(sorted(_CONTROLS))}]")
_EXPLICIT = re.compile(f"[{''.join(sorted(_EMBEDDINGS | _ISOLATE_INITIATORS | {PDF, PDI}))}"
                       "\n\r\x1c-\x1e\x85\u2029]")
_PARAGRAPH_BREAK = re.compile(r"(\r?\n\s*\n|\u2029)")
_PARAGRAPH_SEPARATORS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")

# Punctuation that ends or splits a sentence belongs to the surrounding text, unless the
# opposite-direction sentence it ends fills a whole quotation or the whole text.
_SENTENCE_PUNCTUATION = frozenset(".,;:!?،؛؟…\"'¡¿۔")
_FINAL_PUNCTUATION = re.compile(r"[.!?…]+")
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "“": "”", "‘": "’", '"': '"', "'": "'"}
_QUOTES_AND_BRACKETS = frozenset({"Ps", "Pe", "Pi", "Pf"})
_WEAK_OR_NEUTRAL = frozenset({"ES", "ET", "CS", "ON"})

_ASCII_DIGIT = re.compile("[0-9]")
# What may stand between two parts of one left-to-right phrase of numbers: "10:30 AM",
# "14 July", "+1 212 555 0100", "1990 – 2000" (and symbols, as in "5°C"). Persian digits keep
# the Persian convention.
_NUMBER_JOINER = re.compile("[ \u00a0\u202f\u2009]*[-\u2010-\u2015/]?[ \u00a0\u202f\u2009]*")
_BRACKETED_NUMBER = re.compile(r"[ \u00a0]*\([^()\n]*[0-9][^()\n]*\)")
_EASTERN_DIGIT = r"\u06f0-\u06f9\u0660-\u0669"
_LEADING_DIGITS = re.compile(rf"(?:^|(?<=[\s(\[«“]))[{_EASTERN_DIGIT}][{_EASTERN_DIGIT}\u066b\u066c/:.,-]*"
                             r"[ \u00a0\u202f]+$")
_EMPTY_BRACKETS = frozenset({"()", "[]", "{}"})
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")

SHORT_PHRASE_WORDS = 3
SHORT_PHRASE_LENGTH = 32


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


def embedding_levels(text: str, direction: str) -> bytes:
    """The level UAX #9 resolves for each character of ``text`` in a ``direction`` paragraph."""
    _check(direction)
    if not text:
        return b""
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, _BASE_LEVEL[direction])
    levels = bytes(bidi.getLevels())
    if not _ASTRAL.search(text):
        return levels
    # ICU counts UTF-16 code units: keep the level of each character's first unit.
    starts, unit = [], 0
    for char in text:
        starts.append(unit)
        unit += 2 if ord(char) > 0xFFFF else 1
    return bytes(levels[start] for start in starts)


def opposite_runs(text: str, direction: str) -> list[Run]:
    """Find the (start, end, run_direction) spans of ``text`` written against ``direction``."""
    _check(direction)
    if not _may_hold_runs(text, direction):
        return []
    spans = _resolved_spans(text, direction)
    if direction == "rtl":
        spans = _joined_number_phrases(text, spans)
    run_direction = _OPPOSITE[direction]
    runs: list[Run] = []
    position = 0
    for start, end in spans:
        if start < position:  # already taken in by the run before
            continue
        start, end = _widened(text, max(start, position), end, direction)
        if _worth_isolating(text, start, end, direction):
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


def reorder(text: str, direction: str) -> str:
    """One line of ``text`` in visual order (left to right), brackets mirrored, controls removed."""
    _check(direction)
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
    if not _STRONG_PATTERNS["rtl"].search(text) and not _ASTRAL.search(text):
        return text
    return "\n".join(_visual_line(line, direction) for line in text.split("\n"))


def _visual_line(line: str, direction: str | None) -> str:
    import arabic_reshaper  # slow to import (fontTools), needed for terminals only

    if not line:
        return line
    base = direction or text_direction(line)
    return reorder(arabic_reshaper.reshape(isolate_unicode(line, base)), base)


def _check(direction: str) -> None:
    if direction not in _OPPOSITE:
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")


def _may_hold_runs(text: str, direction: str) -> bool:
    if _STRONG_PATTERNS[_OPPOSITE[direction]].search(text) or _ASTRAL.search(text):
        return True
    return direction == "rtl" and _ASCII_DIGIT.search(text) is not None


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
    for start, end in _author_controlled(text):
        # The whole span takes the level its opening control has in the text around it.
        levels[start:end] = bytes([max(base, levels[start])]) * (end - start)
    above = re.compile(b"[%c-\xff]+" % (base + 1))
    spans = []
    for found in above.finditer(levels):
        start, end = _trimmed(text, found.start(), found.end())
        if start < end:
            spans.append((start, end))
    return spans


def _author_controlled(text: str) -> list[tuple[int, int]]:
    """Spans from each outermost embedding, override or isolate in ``text`` to its end.

    Their text is already placed as its author asked: a run may hold such a span whole, but
    never part of it, so that nothing inside is isolated again or, inside an override, set free
    of it. A stray closer is a span of its own.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for control in _EXPLICIT.finditer(text):
        char, position = control.group(), control.start()
        if char in _PARAGRAPH_SEPARATORS:
            if stack:
                spans.append((stack[0][0], position))
            stack.clear()
        elif char in _EMBEDDINGS or char in _ISOLATE_INITIATORS:
            stack.append((position, char))
        elif char == PDF and stack and stack[-1][1] in _EMBEDDINGS:
            if len(stack) == 1:
                spans.append((stack[0][0], position + 1))
            stack.pop()
        elif char == PDI and any(opener in _ISOLATE_INITIATORS for _, opener in stack):
            outermost = stack[0][0]
            while stack.pop()[1] not in _ISOLATE_INITIATORS:
                pass
            if not stack:
                spans.append((outermost, position + 1))
        elif not stack:  # a stray closer, which would close the run's own isolate
            spans.append((position, position + 1))
    if stack:
        spans.append((stack[0][0], len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces, marks and other invisible characters from the edges of a span."""
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    return start, end


def _is_blank(char: str) -> bool:
    return char.isspace() or char in _MARKS or unicodedata.bidirectional(char) == "BN"


def _joined_number_phrases(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join left-to-right spans that UAX #9 splits at a European number in right-to-left text.

    The algorithm counts European digits as right-to-left when it resolves the spaces and
    dashes around them, so "10:30 AM", "14 July 2015" and "+1 212 555 0100" fall apart into
    pieces shown in reverse order.
    """
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _continues_number(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _continues_number(text: str, previous_end: int, start: int) -> bool:
    if not ("0" <= text[previous_end - 1] <= "9"):
        return False
    if not ("0" <= text[start] <= "9" or _STRONG_PATTERNS["ltr"].match(text, start)):
        return False
    gap = text[previous_end:start]
    return _NUMBER_JOINER.fullmatch(gap) is not None or all(map(_is_attachable, gap))


def _widened(text: str, start: int, end: int, direction: str) -> tuple[int, int]:
    """Take in the symbols stuck to a run's edges and the final punctuation of its sentence."""
    if direction == "rtl":
        end = _with_bracketed_number(text, start, end)
    else:
        start = _with_leading_digits(text, start)
    start, end = _with_attached_symbols(text, start, end)
    return start, _with_final_punctuation(text, start, end)


def _with_bracketed_number(text: str, start: int, end: int) -> int:
    """Take in "(2012)" after "Argo": rule N0 gives brackets around a number the Persian side."""
    bracketed = _BRACKETED_NUMBER.match(text, end)
    if bracketed is None or _STRONG_PATTERNS["rtl"].search(bracketed.group()):
        return end
    if not _STRONG_PATTERNS["ltr"].search(text, start, end) and not _ASCII_DIGIT.search(
            text, start, end):
        return end  # a Persian number keeps the Persian side
    return bracketed.end()


def _with_leading_digits(text: str, start: int) -> int:
    """Take in the Persian number of "۲۳ تیر ۱۳۹۴": after English words, rule W7 makes it English."""
    leading = _LEADING_DIGITS.search(text, max(0, start - 40), start)
    return leading.start() if leading else start


def _with_attached_symbols(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in "+", "#", "++" and the like stuck to the run, when the word ends with them."""
    before = start
    while before > 0 and _is_attachable(text[before - 1]):
        before -= 1
    if before < start and (before == 0 or _ends_word(text[before - 1])):
        start = before
    after = end
    while after < len(text):
        if text[after:after + 2] in _EMPTY_BRACKETS:  # the "()" of "parse_args()"
            after += 2
        elif _is_attachable(text[after]):
            after += 1
        else:
            break
    if after > end and (after == len(text) or _ends_word(text[after])):
        end = after
    return start, end


def _is_attachable(char: str) -> bool:
    return (char not in _SENTENCE_PUNCTUATION
            and unicodedata.bidirectional(char) in _WEAK_OR_NEUTRAL
            and unicodedata.category(char) not in _QUOTES_AND_BRACKETS
            and not char.isspace())


def _ends_word(char: str) -> bool:
    return (char.isspace() or char in _SENTENCE_PUNCTUATION or char in _CONTROLS
            or unicodedata.category(char) in _QUOTES_AND_BRACKETS)


def _with_final_punctuation(text: str, start: int, end: int) -> int:
    """Take in the ".", "!" or "?" that ends a sentence filling a quotation or the whole text."""
    final = _FINAL_PUNCTUATION.match(text, end)
    if final is None:
        return end
    rest = text[final.end():]
    opener = text[start - 1] if start > 0 else ""
    if opener in _PAIRS and rest.startswith(_PAIRS[opener]):
        return final.end()
    if not _has_strong(text[:start]) and not _has_strong(rest):
        return final.end()
    return end


def _has_strong(text: str) -> bool:
    return any(pattern.search(text) for pattern in _STRONG_PATTERNS.values())


def _worth_isolating(text: str, start: int, end: int, direction: str) -> bool:
    """A run needs isolating if it holds words of the other direction or a compound number.

    A plain number, Persian digits (``۷۵٪``, ``۱۲٫۵``) and punctuation alone read the same
    with or without isolation, so they are left as they are; unless the number reads left to
    right only because an English word comes before it (rule W7), which isolating that word
    would undo.
    """
    run = text[start:end]
    if any(unicodedata.category(char)[0] in "LM" for char in run
           if unicodedata.bidirectional(char) in _STRONG):
        return True
    if direction != "rtl" or not any(char.isdigit() for char in run):
        return False
    if _ASCII_DIGIT.search(run) and not run.isdigit():
        return True
    return _strong_before(text, start) == "ltr"


def _strong_before(text: str, position: int) -> str | None:
    for char in reversed(text[:position]):
        kind = unicodedata.bidirectional(char)
        if kind == "B":
            return None
        if kind in _STRONG:
            return _STRONG[kind]
    return None


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
