"""Find and balance the explicit directional controls in text: embeddings, overrides, isolates.

An author may place text with these invisible characters. The runs found in ``bidi`` leave
the spans they govern as the author set them, and ``balance_controls`` closes what a field
leaves open, so that nothing outside the field is reordered.
"""

from __future__ import annotations

import re

ISOLATES: dict[str, str] = {"ltr": "\u2066", "rtl": "\u2067"}  # LRI, RLI
PDI = "\u2069"  # pops a directional isolate
PDF = "\u202c"  # pops a directional embedding or override

EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
ISOLATE_INITIATORS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: invisible, never a run's edge
CONTROLS = EMBEDDINGS | ISOLATE_INITIATORS | MARKS | {PDF, PDI}

_ANY_CONTROL = re.compile(f"[{''.join(sorted(CONTROLS))}]")
_EXPLICIT = re.compile(
    f"[{''.join(sorted(EMBEDDINGS | ISOLATE_INITIATORS | {PDF, PDI}))}\n\r\x1c-\x1e\x85\u2029]"
)
_PARAGRAPH_BREAK = re.compile(r"(\r?\n\s*\n|\u2029)")
_PARAGRAPH_SEPARATORS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")


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


def author_controlled(text: str) -> list[tuple[int, int]]:
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
        elif char in EMBEDDINGS or char in ISOLATE_INITIATORS:
            stack.append((position, char))
        elif char == PDF and stack and stack[-1][1] in EMBEDDINGS:
            if len(stack) == 1:
                spans.append((stack[0][0], position + 1))
            stack.pop()
        elif char == PDI and any(opener in ISOLATE_INITIATORS for _, opener in stack):
            outermost = stack[0][0]
            while stack.pop()[1] not in ISOLATE_INITIATORS:
                pass
            if not stack:
                spans.append((outermost, position + 1))
        elif not stack:  # a stray closer, which would close the run's own isolate
            spans.append((position, position + 1))
    if stack:
        spans.append((stack[0][0], len(text)))
    return spans


def _balanced_paragraph(paragraph: str) -> str:
    """Apply UAX #9's pairing rules (X5-X7) and close whatever is still open at the end."""
    kept: list[str] = []
    open_stack: list[str] = []
    for char in paragraph:
        if char in EMBEDDINGS or char in ISOLATE_INITIATORS:
            open_stack.append(char)
        elif char == PDF:
            if not open_stack or open_stack[-1] not in EMBEDDINGS:
                continue
            open_stack.pop()
        elif char == PDI:
            if not ISOLATE_INITIATORS.intersection(open_stack):
                continue
            # A PDI also ends the embeddings opened inside its isolate.
            while open_stack.pop() not in ISOLATE_INITIATORS:
                pass
        kept.append(char)
    kept.extend(PDI if opener in ISOLATE_INITIATORS else PDF for opener in reversed(open_stack))
    return "".join(kept)
