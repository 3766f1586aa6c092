"""Edges of the bidi helpers: empty and astral text, phrase limits, print isolates, terminal lines."""

from __future__ import annotations

import unicodedata

import pytest

from bilingual.text import directions, strong_classes
from bilingual.text.bidi import (
    SHORT_PHRASE_LENGTH,
    SHORT_PHRASE_WORDS,
    embedding_levels,
    is_short_phrase,
    isolate_print,
    opposite_runs,
    reorder,
    visual,
)

LRI, PDI = "\u2066", "\u2069"


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_empty_text_has_no_levels(direction: str) -> None:
    assert embedding_levels("", direction) == b""


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("\U00010000 سلام", [0, 0, 1, 1, 1, 1]),  # the first code point past the BMP
        ("\U00010000\U0001f642 سلام", [0, 0, 0, 1, 1, 1, 1]),
        ("سلام \U0001f642 IRGC", [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_characters_beyond_the_bmp_keep_one_level_each(text: str, levels: list[int]) -> None:
    assert list(embedding_levels(text, "ltr")) == levels


def runs(text: str, direction: str) -> list[tuple[str, str]]:
    return [(text[start:end], run) for start, end, run in opposite_runs(text, direction)]


def test_a_bracketed_year_joins_the_english_title_before_it() -> None:
    text = "فیلم Argo (2012) را دیدم و گزارش BBC را خواندم."
    assert runs(text, "rtl") == [("Argo (2012)", "ltr"), ("BBC", "ltr")]


def test_a_persian_number_before_an_english_word_stays_on_the_persian_side() -> None:
    assert runs("او در ۲۳ July به اسلو آمد.", "rtl") == [("July", "ltr")]


def test_a_mark_left_at_the_end_of_a_line_is_no_run() -> None:
    # A left-to-right mark pasted after the text is a run of its own of nothing visible.
    assert runs("سلام IRGC است \u200e", "rtl") == [("IRGC", "ltr")]


@pytest.mark.parametrize("letters", ["A", "\U00010000"])  # Latin, and Linear B past the BMP
def test_an_embedding_of_the_paragraphs_own_letters_is_left_to_the_author(letters: str) -> None:
    """A right-to-left embedding holding only English letters reads the same with or without
    an isolate around it; a Hebrew word after it is still a run."""
    assert runs(f"\u202b{letters}", "ltr") == []
    assert runs(f"x \u202b{letters}\u202c \u05d0", "ltr") == [
        (f"\u202b{letters}\u202c \u05d0", "rtl")
    ]


@pytest.mark.parametrize(
    ("run", "short"),
    [
        ("Hello world", True),
        ("Security Council", True),
        ("the Security Council", True),  # SHORT_PHRASE_WORDS words
        ("the UN Security Council", False),  # one word more
        ("+1 212 555 0100", True),  # a number in groups, however many
        ("IRGC", False),  # one word stays whole anyway
        ("Mohammadreza Heidari-Khorramabadi", False),  # two words, too long to keep together
    ],
)
def test_short_phrases_are_a_few_words_or_a_grouped_number(run: str, short: bool) -> None:
    assert is_short_phrase(run) is short


def test_phrase_limits_are_inclusive() -> None:
    longest = "a" * (SHORT_PHRASE_LENGTH // 2 - 1) + " " + "b" * (SHORT_PHRASE_LENGTH // 2)
    assert len(longest) == SHORT_PHRASE_LENGTH and is_short_phrase(longest)
    assert not is_short_phrase(longest + "b")
    assert is_short_phrase(" ".join(["word"] * SHORT_PHRASE_WORDS))
    assert not is_short_phrase(" ".join(["word"] * (SHORT_PHRASE_WORDS + 1)))


def test_print_keeps_a_short_phrase_on_one_line_inside_its_isolate() -> None:
    assert isolate_print("او گفت Hello world امروز", "rtl") == (
        f'او گفت <span class="phrase">{LRI}Hello world{PDI}</span> امروز'
    )


def test_print_isolates_a_long_run_without_holding_it_together() -> None:
    text = "او گفت the Islamic Revolutionary Guard Corps of Iran امروز"
    assert isolate_print(text, "rtl") == (
        f"او گفت {LRI}the Islamic Revolutionary Guard Corps of Iran{PDI} امروز"
    )


def test_reorder_uses_the_paragraph_direction_given() -> None:
    assert reorder("IRGC سپاه", "rtl") == "هاپس IRGC"
    assert reorder("IRGC سپاه", "ltr") == "IRGC هاپس"


@pytest.mark.parametrize("line", ["Build finished: 25 pages.", "-- 25 pages written"])
def test_a_terminal_line_without_persian_is_left_alone(line: str) -> None:
    assert visual(line, "rtl") == line


def test_a_terminal_line_follows_the_direction_given() -> None:
    # Shaped Persian comes out in presentation forms; the English word shows where the line starts.
    assert visual("IRGC و سپاه", "rtl").endswith("IRGC")
    assert visual("IRGC و سپاه").startswith("IRGC")


def test_the_kept_strong_classes_are_those_of_this_python() -> None:
    if unicodedata.unidata_version != strong_classes.UNIDATA_VERSION:
        pytest.skip(f"kept for Unicode {strong_classes.UNIDATA_VERSION}: found at every start")
    for direction, kinds in directions.STRONG_CLASSES.items():
        kept = directions._read_ranges(strong_classes.RANGES[direction])
        assert kept == directions.strong_ranges(kinds)


def test_another_unicode_version_finds_the_same_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = directions._strong_patterns()
    monkeypatch.setattr(strong_classes, "UNIDATA_VERSION", "0.0.0")
    monkeypatch.setattr(strong_classes, "RANGES", {})
    found = directions._strong_patterns()
    assert found == kept
    assert found["rtl"].fullmatch("پ") and not found["rtl"].search("a1 \u200f")
    assert found["ltr"].fullmatch("a") and not found["ltr"].search("پ1 \u200e")
