"""Every phrase of the mixed-direction corpus reads intact once isolated, and isolation never hurts."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bidi_oracle import (
    ISOLATES,
    PDI,
    Phrase,
    broken_phrases,
    corpus,
    own_order,
    visual_order,
)
from bilingual.text.bidi import (
    balance_controls,
    embedding_levels,
    isolate_unicode,
    number_context,
    opposite_runs,
)

SENTENCES = corpus()


def test_the_corpus_mixes_both_directions_and_every_kind_of_phrase() -> None:
    assert len(SENTENCES) >= 40
    assert sum(sentence.direction == "ltr" for sentence in SENTENCES) >= 10
    assert sum(sentence.direction == "rtl" for sentence in SENTENCES) >= 25
    for sentence in SENTENCES:
        assert all(phrase.text in sentence.text for phrase in sentence.phrases), sentence.text


def test_every_phrase_reads_intact_once_isolated() -> None:
    broken = {
        sentence.text: broken_phrases(
            isolate_unicode(sentence.text, sentence.direction), sentence.direction, sentence.phrases
        )
        for sentence in SENTENCES
    }
    assert {text: phrases for text, phrases in broken.items() if phrases} == {}


def test_the_plain_algorithm_alone_breaks_many_of_them() -> None:
    """The corpus is worth its name: without isolation, UAX #9 gets these wrong."""
    broken = {
        sentence.text
        for sentence in SENTENCES
        if broken_phrases(sentence.text, sentence.direction, sentence.phrases)
    }
    assert len(broken) >= 15
    assert "او گفت: «I am here.» و رفت." in broken
    assert "با شمارهٔ +1 212 555 0100 تماس بگیرید." in broken
    assert "The agreement was signed on ۲۳ تیر ۱۳۹۴ in Vienna." in broken


def test_the_oracle_sees_a_phrase_read_backwards() -> None:
    wrong = f"نامه ({ISOLATES['ltr']}July{PDI} 14, 2015) رسید"  # a word isolated, not the date
    assert broken_phrases(wrong, "rtl", (Phrase("July 14, 2015", "ltr"),)) == ["July 14, 2015"]
    assert own_order(Phrase("۷۵٪", "rtl"), "rtl") == "٪۷۵"


def test_persian_conventions_are_not_wrapped() -> None:
    text = "رشد اقتصادی ۷۵٪ و تورم ۱۲٫۵ درصد در ۲۳ تیر ۱۳۹۴ و سال 1979 بود."
    assert isolate_unicode(text, "rtl") == text


MIXTURE = st.lists(
    st.sampled_from(
        [
            "سلام",
            "دنیا",
            "IRGC",
            "Green Embassy",
            "July",
            "14",
            "2015",
            "۱۳۹۴",
            "۷۵٪",
            "12.5",
            "+1",
            "C++",
            "(",
            ")",
            "«",
            "»",
            '"',
            ".",
            "،",
            "؟",
            "!",
            ":",
            "-",
            "–",
            "/",
            "#",
            "@",
            "$",
            "%",
            "https://example.org",
            "\u200c",
            "\u200f",
            "\u2066",
            "\u2069",
            "\u202a",
            "\u202b",
            "\u202c",
            "p.m.",
            "Inc.",
            "~/.config",
            "3(a)(ii)",
            "(+44)",
            "-m",
            '"fix"',
            "«A",
            "Separation»",
            "«دختری",
            "ایران»",
            "(2011)",
            "مردم",
            "v2.3.1-beta",
            "۲۳",
        ]
    ),
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(MIXTURE, st.sampled_from(["ltr", "rtl"]))
def test_isolating_never_reorders_a_run_the_plain_algorithm_resolved_whole(
    text: str, direction: str
) -> None:
    """Within each opposite-direction run of the plain algorithm, the visual order stays.

    Except across the guillemet that closes a quotation opened before the run: the algorithm
    carries the run on past it ("«A Separation» (2011)" as one English run in Persian), and
    isolating gives what follows back to the sentence (its words stay in their order). And except a number with no letters
    that took its direction from the word before it (rules W2 and W7): once that word is
    isolated, the number reads as the sentence around it does. Every field is read through
    ``balance_controls``, so the text has no stray closers.
    """
    text = balance_controls(text)
    base = 0 if direction == "ltr" else 1
    levels = embedding_levels(text, direction)
    plain_runs, start = [], None
    for index, level in enumerate([*levels, base]):
        if level > base and start is None:
            start = index
        elif level <= base and start is not None:
            plain_runs.append(range(start, index))
            start = None
    isolated, source = _isolated_with_sources(text, direction)
    plain_order = visual_order(text, direction)
    isolated_order = [source[index] for index in visual_order(isolated, direction)]
    runs = opposite_runs(text, direction)
    for run in (part for whole in plain_runs for part in _quotation_parts(text, whole, direction)):
        if _turned_by_an_isolated_word(text, run, runs):
            continue
        seen = [index for index in run if _visible(text[index])]
        assert [index for index in plain_order if index in seen] == [
            index for index in isolated_order if index in seen
        ], text[run.start : run.stop]


CLOSING = {"«": "»", "‹": "›", "“": "”"}
STRONG = frozenset({"L", "R", "AL"})
OPPOSITE_LETTERS = {"ltr": frozenset({"R", "AL"}), "rtl": frozenset({"L"})}
MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: invisible, never a run's edge


def _quotation_parts(text: str, run: range, direction: str) -> list[range]:
    """``run`` cut at the closing mark of a quotation whose opening mark comes just before it."""
    opener = text[: run.start].rstrip()[-1:]
    depth, cut = 0, None
    for index in range(run.start, run.stop) if opener in CLOSING else ():
        depth += (text[index] == opener) - (text[index] == CLOSING[opener])
        if depth < 0:
            cut = index
            break
    if cut is None:
        return [run]
    rest = text[cut + 1 : run.stop]
    if not any(
        unicodedata.bidirectional(char) in OPPOSITE_LETTERS[direction]
        and unicodedata.category(char)[0] == "L"
        for char in rest
    ):
        return [range(run.start, cut)]  # numbers and signs: the sentence's again
    return [range(run.start, cut), range(cut + 1, run.stop)]


def _turned_by_an_isolated_word(text: str, run: range, runs: list[tuple[int, int, str]]) -> bool:
    """Whether ``run`` is a number whose direction came from a letter now inside a run."""
    if any(
        unicodedata.bidirectional(text[index]) in STRONG and text[index] not in MARKS
        for index in run
    ):
        return False
    letters = [
        index for index in range(run.start) if unicodedata.bidirectional(text[index]) in STRONG
    ]
    return bool(letters) and any(start <= letters[-1] < end for start, end, _ in runs)


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) != "Cf"


def _isolated_with_sources(text: str, direction: str) -> tuple[str, list[int]]:
    """``text`` isolated, and for each of its characters the index it comes from (-1: added)."""
    pieces: list[str] = []
    source: list[int] = []
    position = 0
    for start, end, run_direction in opposite_runs(text, direction):
        context = number_context(text, start, run_direction)
        pieces += [text[position:start], ISOLATES[run_direction], context, text[start:end], PDI]
        source += [*range(position, start), -1, *[-1] * len(context), *range(start, end), -1]
        position = end
    pieces.append(text[position:])
    source += range(position, len(text))
    isolated = "".join(pieces)
    assert isolated == isolate_unicode(text, direction)
    assert not any(ord(char) > 0xFFFF for char in text)  # visual_order counts UTF-16 units
    return isolated, source
