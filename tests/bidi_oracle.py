"""Lay out mixed-direction text with ICU's bidi algorithm and tell whether phrases read intact."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import icu
import yaml
from lxml import html

CORPUS_FILE = Path(__file__).resolve().parent / "fixtures" / "bidi-corpus.yaml"
ISOLATES = {"ltr": "\u2066", "rtl": "\u2067"}
PDI = "\u2069"
OPPOSITE = {"ltr": "rtl", "rtl": "ltr"}


@dataclass(frozen=True)
class Phrase:
    text: str
    direction: str


@dataclass(frozen=True)
class Sentence:
    text: str
    direction: str
    phrases: tuple[Phrase, ...]


def corpus() -> list[Sentence]:
    entries = yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))
    return [
        Sentence(
            entry["text"],
            entry["dir"],
            (
                *(Phrase(str(text), OPPOSITE[entry["dir"]]) for text in entry["phrases"]),
                *(Phrase(str(text), entry["dir"]) for text in entry.get("same", ())),
            ),
        )
        for entry in entries
    ]


def visual(text: str, direction: str) -> str:
    """``text`` (with any isolates) laid out on one line, left to right, as UAX #9 orders it."""
    if not text:
        return text
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, 0 if direction == "ltr" else 1)
    return str(bidi.writeReordered(icu.Bidi.DO_MIRRORING | icu.Bidi.REMOVE_BIDI_CONTROLS))


def visual_order(text: str, direction: str) -> list[int]:
    """The indexes of ``text`` (UTF-16 units), from the leftmost character to the rightmost."""
    if not text:
        return []
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, 0 if direction == "ltr" else 1)
    return list(bidi.getVisualMap())


def own_order(phrase: Phrase, sentence_direction: str) -> str:
    """How ``phrase`` reads on its own: in its direction, or as in plain text of the sentence's."""
    if phrase.direction != sentence_direction:
        return visual(phrase.text, phrase.direction)
    # A number in Persian text follows an Arabic letter (rule W2), as in the sentence.
    letter = "\u0627 " if sentence_direction == "rtl" else "a "
    laid_out = visual(letter + phrase.text, sentence_direction)
    return laid_out[:-2] if sentence_direction == "rtl" else laid_out[2:]


def broken_phrases(text: str, direction: str, phrases: tuple[Phrase, ...]) -> list[str]:
    """The phrases that do not appear, in their own order, in ``text`` laid out in ``direction``."""
    line = visual(text, direction)
    return [phrase.text for phrase in phrases if own_order(phrase, direction) not in line]


def isolated_text(element: html.HtmlElement) -> str:
    """The text of ``element`` with each ``<bdi>`` or ``dir`` element as a Unicode isolate."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        inner = isolated_text(child)
        direction = child.get("dir")
        if child.tag == "bdi" or direction:
            inner = f"{ISOLATES.get(direction or '', chr(0x2068))}{inner}{PDI}"
        parts.append(inner + (child.tail or ""))
    return "".join(parts)


def comparable(text: str) -> str:
    """Glyph text as PDF extraction gives it: presentation forms folded, no spaces or marks.

    A mirrored bracket is extracted as either of its pair, so brackets become one sign.
    """
    return "".join(
        BRACKETS.get(char, char)
        for char in unicodedata.normalize("NFKC", text)
        if not char.isspace() and unicodedata.category(char) not in ("Mn", "Cf")
    )


BRACKETS = dict.fromkeys("()[]{}", "|") | dict.fromkeys("«»", '"')


def words(text: str) -> list[tuple[int, int]]:
    """The spans of the space-separated words of ``text``."""
    return [match.span() for match in re.finditer(r"\S+", text)]


def bare(word: str) -> str:
    """A word as compared in a PDF: its letters, digits and signs, in no particular order.

    The text layer gives each word its source text with the boxes shared out evenly, so the
    order inside a word (and where its brackets and quotation marks are) cannot be seen; the
    order of the words can. Brackets and quotation marks are left out.
    """
    return "".join(sorted(char for char in comparable(word) if char not in '|"'))


def visual_words(phrase: Phrase, sentence_direction: str) -> list[str]:
    """The words of ``phrase`` from left to right, as it reads on its own."""
    if phrase.direction != sentence_direction:
        text, offset, direction = phrase.text, 0, phrase.direction
    else:
        letter = "\u0627 " if sentence_direction == "rtl" else "a "
        text, offset, direction = letter + phrase.text, 2, sentence_direction
    position = {index: place for place, index in enumerate(visual_order(text, direction))}
    spans = sorted(
        words(phrase.text), key=lambda span: min(position[index + offset] for index in range(*span))
    )
    return [word for start, end in spans if (word := bare(phrase.text[start:end]))]
