"""The levels behind the isolation pass the Unicode conformance files of UAX #9.

``BidiTest.txt`` and ``BidiCharacterTest.txt`` come with Debian's ``unicode-data``; every case of
both runs. Two allowances, both ICU's own (its conformance test, ``bidiconf.cpp``, makes them):

- for a text that resolves to one direction only, ICU returns the paragraph level for every
  character instead of the (same-parity) levels; the visual order is the same;
- ICU 72 (Debian 12) departs from UAX #9 in 30 of the 91,707 character cases, listed in
  ``ICU_72_DEPARTURES``: brackets or isolates inside explicit embeddings and overrides, a
  combining mark just after a bracket, and more than 63 nested brackets. None of them touches
  the runs: text under an author's own embedding or override is left as it is, and the others
  do not occur in prose.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import icu
import pytest

from bilingual.text.bidi import embedding_levels

UNICODE = Path("/usr/share/unicode")
BIDI_TEST = UNICODE / "BidiTest.txt"
CHARACTER_TEST = UNICODE / "BidiCharacterTest.txt"
# Lines of BidiCharacterTest.txt (Unicode 15.0) that ICU 72 resolves otherwise; a newer ICU
# may resolve some of them right, never others wrong.
ICU_72_DEPARTURES = frozenset(
    {
        59,
        60,
        61,
        62,  # an isolate inside an override, between embeddings
        *range(65, 81),  # bracket pairs whose brackets sit in different explicit embeddings
        83,
        84,
        85,
        86,
        87,
        88,
        102,
        108,
        113,  # a combining mark after a bracket resolved by N0
        120,  # 64 nested brackets: the bracket stack overflows
    }
)

# One character of each bidi class, as in ICU's own conformance test.
CHARACTER_OF_CLASS = {
    "L": "a",
    "R": "\u05d0",
    "AL": "\u0627",
    "EN": "1",
    "ES": "+",
    "ET": "$",
    "AN": "\u0660",
    "CS": ",",
    "NSM": "\u0300",
    "BN": "\u00ad",
    "B": "\u2029",
    "S": "\t",
    "WS": " ",
    "ON": "!",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "PDF": "\u202c",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}
PARAGRAPH_LEVELS = {1: icu.Bidi.DEFAULT_LTR, 2: 0, 4: 1}  # BidiTest's bits: auto, LTR, RTL
CHARACTER_TEST_LEVELS = {"0": 0, "1": 1, "2": icu.Bidi.DEFAULT_LTR}


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    paragraph_level: int
    levels: tuple[int | None, ...]  # None: removed by rule X9 ("x" in the files)
    order: tuple[int, ...]


def class_cases() -> Iterator[Case]:
    levels: tuple[int | None, ...] = ()
    order: tuple[int, ...] = ()
    for number, line in enumerate(BIDI_TEST.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line.startswith("@Levels:"):
            levels = _levels(line.removeprefix("@Levels:"))
        elif line.startswith("@Reorder:"):
            order = tuple(int(index) for index in line.removeprefix("@Reorder:").split())
        elif line:
            classes, bits = line.split(";")
            text = "".join(CHARACTER_OF_CLASS[name] for name in classes.split())
            for bit, level in PARAGRAPH_LEVELS.items():
                if int(bits) & bit:
                    yield Case(number, text, level, levels, order)


def character_cases() -> Iterator[Case]:
    for number, line in enumerate(CHARACTER_TEST.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        codes, direction, _resolved, levels, order = line.split(";")
        text = "".join(chr(int(code, 16)) for code in codes.split())
        yield Case(
            number,
            text,
            CHARACTER_TEST_LEVELS[direction],
            _levels(levels),
            tuple(int(index) for index in order.split()),
        )


def _levels(field: str) -> tuple[int | None, ...]:
    return tuple(None if level == "x" else int(level) for level in field.split())


def resolves(case: Case) -> bool:
    """Tell whether ICU gives ``case`` its levels and visual order (removed characters aside)."""
    bidi = icu.Bidi()
    units = icu.UnicodeString(case.text)
    bidi.setPara(units, case.paragraph_level)
    order = tuple(index for index in bidi.getVisualMap() if case.levels[index] is not None)
    if order != case.order:
        return False
    resolved = [
        (expected, level)
        for expected, level in zip(case.levels, bidi.getLevels(), strict=True)
        if expected is not None
    ]
    if all(expected == level for expected, level in resolved):
        return True
    parities = {expected % 2 for expected, _ in resolved}
    return len(parities) == 1 and parities == {level % 2 for _, level in resolved}


def failures(cases: Iterator[Case]) -> tuple[int, list[int]]:
    count, failed = 0, []
    for case in cases:
        count += 1
        if not resolves(case):
            failed.append(case.line)
    return count, failed


def test_icu_resolves_every_case_of_bidi_test() -> None:
    assert BIDI_TEST.exists(), "install Debian's unicode-data (scripts/setup.sh --test does)"
    count, failed = failures(class_cases())
    assert count > 700_000
    assert failed == []


def test_icu_resolves_the_character_cases_but_its_known_departures() -> None:
    count, failed = failures(character_cases())
    assert count > 91_000
    assert set(failed) <= ICU_72_DEPARTURES


def test_the_checker_catches_wrong_levels_and_order() -> None:
    case = next(case for case in character_cases() if 1 in case.levels and 2 in case.levels)
    assert resolves(case)
    raised = tuple(None if level is None else level + 2 for level in case.levels)
    assert not resolves(Case(case.line, case.text, case.paragraph_level, raised, case.order))
    reversed_order = case.order[::-1]
    assert not resolves(
        Case(case.line, case.text, case.paragraph_level, case.levels, reversed_order)
    )


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_the_runs_come_from_these_levels(direction: str) -> None:
    text = "توافق در ۲۳ تیر ۱۳۹۴ (July 14, 2015) امضا شد 😀 and IRGC"
    bidi = icu.Bidi()
    units = icu.UnicodeString(text)
    bidi.setPara(units, 0 if direction == "ltr" else 1)
    utf16 = bidi.getLevels()
    assert len(utf16) == len(text) + 1  # the emoji takes two UTF-16 units
    emoji = text.index("😀")
    expected = bytes(utf16[: emoji + 1]) + bytes(utf16[emoji + 2 :])
    assert embedding_levels(text, direction) == expected
