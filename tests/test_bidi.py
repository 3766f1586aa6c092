import html
import re

import arabic_reshaper
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from bilingual.text.bidi import (
    ALM,
    ISOLATES,
    PDI,
    balance_controls,
    isolate_html,
    isolate_unicode,
    number_context,
    opposite_runs,
    reorder,
    text_direction,
    visual,
)

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI = "\u2066", "\u2067", "\u2068"
LRM, RLM, ZWNJ, ZWJ = "\u200e", "\u200f", "\u200c", "\u200d"
EMBEDDINGS = {LRE, RLE, LRO, RLO}
ISOLATE_INITIATORS = {LRI, RLI, FSI}
PARAGRAPH_SEPARATOR = "\u2029"


def run_texts(text: str, direction: str) -> list[tuple[str, str]]:
    return [(text[start:end], run) for start, end, run in opposite_runs(text, direction)]


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("سپاه پاسداران انقلاب اسلامی (IRGC) است.", "rtl", [("IRGC", "ltr")]),
        (
            "سپاه پاسداران (Islamic Revolutionary Guards Corps) و",
            "rtl",
            [("Islamic Revolutionary Guards Corps", "ltr")],
        ),
        ("زبان C++ محبوب است.", "rtl", [("C++", "ltr")]),
        ("نشانی https://example.com/fa/about.", "rtl", [("https://example.com/fa/about", "ltr")]),
        ("نامه را به info@example.org بفرستید.", "rtl", [("info@example.org", "ltr")]),
        ("The “سفارت سبز” campaign began.", "ltr", [("سفارت سبز", "rtl")]),
        ("«سفارت سبز»", "ltr", [("سفارت سبز", "rtl")]),
        ("Shalom means שלום.", "ltr", [("שלום", "rtl")]),
        ("He said می‌خواهد today", "ltr", [("می‌خواهد", "rtl")]),
        ("نماینده UN - IRGC گفت", "rtl", [("UN - IRGC", "ltr")]),
        ("نسخهٔ Windows 10 - ویندوز", "rtl", [("Windows 10", "ltr")]),
        ("برچسب #hashtag را ببینید", "rtl", [("#hashtag", "ltr")]),
        ("مثلاً (e.g. this one).", "rtl", [("e.g. this one", "ltr")]),
        ("IRGC's commanders", "rtl", [("IRGC's commanders", "ltr")]),
        ("آیا IRGC؟", "rtl", [("IRGC", "ltr")]),
        ("Really؟ Yes؛ no.", "ltr", []),
    ],
)
def test_opposite_runs_keep_words_and_leave_sentence_punctuation_outside(
    text: str, direction: str, expected: list[tuple[str, str]]
) -> None:
    assert run_texts(text, direction) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سپاه IRGC (Sepah) است", ["IRGC (Sepah)"]),
        # The algorithm gives the brackets the Persian side: two English phrases, not one.
        ("سپاه (Sepah) IRGC است", ["Sepah", "IRGC"]),
        ("سپاه (IRGC (Sepah)). است", ["IRGC (Sepah)"]),
        ("صفحهٔ https://w.org/wiki/Tehran_(city) را", ["https://w.org/wiki/Tehran_(city)"]),
        ('گفت "IRGC" and "Sepah" است', ['IRGC" and "Sepah']),
    ],
)
def test_brackets_and_quotes_stay_with_their_partners(text: str, expected: list[str]) -> None:
    assert [run for run, _ in run_texts(text, "rtl")] == expected


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("در تاریخ 2010-01-20 رخ داد", "rtl", ["2010-01-20"]),
        ("در تاریخ ۱۳۸۸/۱۰/۳۰ رخ داد.", "rtl", []),
        ("ساعت 10:30، جلسه", "rtl", ["10:30"]),
        ("تاریخ ٢٠١٠-٠١-٢٠ است", "rtl", []),
        ("ساعت 10:30 AM و 14 July 2015", "rtl", ["10:30 AM", "14 July 2015"]),
        ("با +1 212 555 0100 تماس بگیرید", "rtl", ["+1 212 555 0100"]),
        ("سال‌های 1990 – 2000", "rtl", ["1990 – 2000"]),
        ("۷۵٪ و ۱۲٫۵ درصد", "rtl", []),
        ("۲۲ بهمن", "rtl", []),
        ("سال 2010 بود", "rtl", []),
        ("On 2010-01-20 at 10:30 the UN met.", "ltr", []),
    ],
)
def test_dates_and_times_are_left_to_right_runs_only_in_rtl_text(
    text: str, direction: str, expected: list[str]
) -> None:
    assert run_texts(text, direction) == [(number, "ltr") for number in expected]


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("The quick brown fox.", "ltr", []),
        ("این متن فارسی است.", "rtl", []),
        ("", "rtl", []),
        ("؛", "ltr", []),
        ("   ", "ltr", []),
        ("«او می‌خواهد برود»", "ltr", [("او می‌خواهد برود", "rtl")]),
        ("Islamic Revolution.", "rtl", [("Islamic Revolution.", "ltr")]),
    ],
)
def test_text_in_one_direction_has_no_runs_or_is_one_run(
    text: str, direction: str, expected: list[tuple[str, str]]
) -> None:
    assert run_texts(text, direction) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"سپاه {LRI}IRGC{PDI} است", []),
        (f"سپاه {RLO}IRGC است", []),
        (f"IRGC {LRE}سپاه{PDF} Sepah", [f"IRGC {LRE}سپاه{PDF} Sepah"]),  # held whole
        (f"سپاه {LRM} است", []),
        (f"سپاه {LRM}IRGC{LRM} است", ["IRGC"]),
        ("IRGCها است", ["IRGC"]),
        ("سپاه IRGC\nSepah است", ["IRGC", "Sepah"]),
        (f"سپاه IRGC{PARAGRAPH_SEPARATOR}Sepah است", ["IRGC", "Sepah"]),
    ],
)
def test_controls_marks_mixed_words_and_paragraphs(text: str, expected: list[str]) -> None:
    assert [run for run, _ in run_texts(text, "rtl")] == expected


def test_zwnj_and_zwj_stay_inside_persian_words() -> None:
    text = f"Persian verbs like می{ZWNJ}خواهد and لا{ZWJ}ی vary"
    assert run_texts(text, "ltr") == [(f"می{ZWNJ}خواهد", "rtl"), (f"لا{ZWJ}ی", "rtl")]


def test_unknown_direction_is_rejected() -> None:
    with pytest.raises(ValueError, match="auto"):
        opposite_runs("IRGC", "auto")


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("سپاه (IRGC) است.", "rtl", 'سپاه (<bdi dir="ltr">IRGC</bdi>) است.'),
        (
            "The “سفارت سبز” campaign",
            "ltr",
            'The “<bdi dir="rtl" class="phrase">سفارت سبز</bdi>” campaign',
        ),
        ("شرکت AT&T است", "rtl", 'شرکت <bdi dir="ltr">AT&amp;T</bdi> است'),
        (
            "<script>alert(\"x\") & 'y'</script>",
            "ltr",
            "&lt;script&gt;alert(&#34;x&#34;) &amp; &#39;y&#39;&lt;/script&gt;",
        ),
        ("plain English", "ltr", "plain English"),
    ],
)
def test_isolate_html_escapes_and_wraps_runs_in_bdi(
    text: str, direction: str, expected: str
) -> None:
    result = isolate_html(text, direction)
    assert isinstance(result, Markup)
    assert result == expected


def test_isolate_html_escapes_markup_input_as_plain_text() -> None:
    expected = '<bdi dir="ltr" class="phrase">&lt;b&gt;IRGC&lt;/b&gt;</bdi>'
    assert isolate_html(Markup("<b>IRGC</b>"), "rtl") == expected


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("سپاه (IRGC) است.", "rtl", f"سپاه ({LRI}IRGC{PDI}) است."),
        ("The «سفارت سبز» campaign", "ltr", f"The «{RLI}سفارت سبز{PDI}» campaign"),
        ("<b>IRGC</b> & سپاه", "rtl", f"{LRI}<b>IRGC</b>{PDI} & سپاه"),
    ],
)
def test_isolate_unicode_wraps_runs_in_isolates_without_escaping(
    text: str, direction: str, expected: str
) -> None:
    assert isolate_unicode(text, direction) == expected


def test_isolate_constants() -> None:
    assert ISOLATES == {"ltr": LRI, "rtl": RLI}
    assert PDI == "\u2069"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"عنوان {RLO}evil", f"عنوان {RLO}evil{PDF}"),
        (f"title {RLI}تست", f"title {RLI}تست{PDI}"),
        (f"a{PDI}b{PDF}c", "abc"),
        (f"{RLE}a{LRI}b{PDF}c{PDI}", f"{RLE}a{LRI}bc{PDI}{PDF}"),
        (f"{LRI}{LRE}{FSI}x", f"{LRI}{LRE}{FSI}x{PDI}{PDF}{PDI}"),
        (f"{LRI}a{RLE}b{PDI}c", f"{LRI}a{RLE}b{PDI}c"),
        (f"{LRE}x{PDF} {RLI}y{PDI} {LRM}z{RLM}", f"{LRE}x{PDF} {RLI}y{PDI} {LRM}z{RLM}"),
        ("no controls at all", "no controls at all"),
        (f"{RLO}one\n\ntwo{PDI}", f"{RLO}one{PDF}\n\ntwo"),
        (f"{LRI}one{PARAGRAPH_SEPARATOR}{PDI}two", f"{LRI}one{PDI}{PARAGRAPH_SEPARATOR}two"),
        (f"{RLO}one\r\n \r\ntwo", f"{RLO}one{PDF}\r\n \r\ntwo"),
    ],
)
def test_balance_controls_closes_openers_and_drops_stray_closers(text: str, expected: str) -> None:
    assert balance_controls(text) == expected


def is_balanced(text: str) -> bool:
    """Pair controls by UAX #9 (X5-X7) and require every paragraph to close all it opens."""
    for paragraph in re.split(f"\n\n|{PARAGRAPH_SEPARATOR}", text):
        stack: list[str] = []
        for char in paragraph:
            if char in EMBEDDINGS or char in ISOLATE_INITIATORS:
                stack.append(char)
            elif char == PDF:
                if not stack or stack[-1] not in EMBEDDINGS:
                    return False
                stack.pop()
            elif char == PDI:
                if not ISOLATE_INITIATORS.intersection(stack):
                    return False
                while stack.pop() not in ISOLATE_INITIATORS:
                    pass
        if stack:
            return False
    return True


@pytest.mark.parametrize(
    ("text", "balanced"),
    [
        (f"{LRI}{RLE}x{PDI}", True),
        (f"{RLO}x", False),
        (f"x{PDI}", False),
        (f"{LRI}x{PDF}{PDI}", False),
        (f"{RLO}x\n\n{PDF}", False),
    ],
)
def test_balance_checker(text: str, balanced: bool) -> None:
    assert is_balanced(text) is balanced


def test_visual_shapes_and_reverses_persian() -> None:
    shaped = visual("سلام")
    assert all("\ufb50" <= char <= "\ufeff" for char in shaped)
    assert shaped == arabic_reshaper.reshape("سلام")[::-1]


def test_visual_keeps_english_and_line_order() -> None:
    assert visual("hello, world (1)") == "hello, world (1)"
    assert visual("سلام IRGC") == "IRGC " + visual("سلام")
    assert visual("سلام\nدنیا") == visual("سلام") + "\n" + visual("دنیا")


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("IRGC سپاه", "rtl", "ltr"),
        ("«سپاه» IRGC", "ltr", "rtl"),
        ("שלום world", "ltr", "rtl"),
        ("123 - ۴۵۶", "rtl", "rtl"),
        ("123 - ۴۵۶", "ltr", "ltr"),
        ("", "rtl", "rtl"),
        (f"{LRI}IRGC{PDI} سپاه", "ltr", "rtl"),
        (f"{RLM}IRGC", "ltr", "rtl"),
    ],
)
def test_text_direction_follows_first_strong_character(
    text: str, default: str, expected: str
) -> None:
    assert text_direction(text, default) == expected


def test_text_direction_defaults_to_ltr() -> None:
    assert text_direction("2010") == "ltr"


MIXED_CHARACTERS = (
    "abcXYZ"
    "سلامپگچژکیهو"
    "שלום"
    "0129۰۱۹٠١٩"
    "()[]{}«»\"'“”‘’.,;:!?،؛؟…-/#+@_"
    " \t\n\u00a0"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2029"
    "\u200e\u200f\u061c\u200c\u200d"
)
mixed_text = st.text(st.one_of(st.sampled_from(MIXED_CHARACTERS), st.characters()), max_size=60)
directions = st.sampled_from(["ltr", "rtl"])


@settings(max_examples=200)
@given(mixed_text, directions)
def test_runs_are_sorted_disjoint_and_trimmed(text: str, direction: str) -> None:
    opposite = "rtl" if direction == "ltr" else "ltr"
    previous_end = 0
    for start, end, run_direction in opposite_runs(text, direction):
        assert previous_end <= start < end <= len(text)
        assert run_direction == opposite
        assert not text[start].isspace() and not text[end - 1].isspace()
        run = text[start:end]
        is_number = opposite == "ltr" and any(char.isdigit() for char in run)  # "¹" too
        assert is_number or any(text_direction(char, "") == opposite for char in run)
        previous_end = end


@settings(max_examples=200)
@given(mixed_text, directions)
def test_isolating_only_adds_wrappers(text: str, direction: str) -> None:
    runs = opposite_runs(text, direction)
    contexts = "".join(number_context(text, start, run) for start, _, run in runs)
    isolated = isolate_unicode(text, direction)
    assert len(isolated) == len(text) + 2 * len(runs) + len(contexts)
    added = f"[{LRI}{RLI}{PDI}{ALM}]"
    assert re.sub(added, "", isolated) == re.sub(added, "", text)
    tagged = isolate_html(text, direction)
    assert tagged.count("<bdi ") == len(runs)
    assert re.sub(ALM, "", html.unescape(re.sub(r"</?bdi[^>]*>", "", tagged))) == re.sub(
        ALM, "", text
    )


@settings(max_examples=200)
@given(mixed_text)
def test_balanced_controls_pair_up_and_leave_other_text_alone(text: str) -> None:
    balanced = balance_controls(text)
    assert is_balanced(balanced)
    assert balance_controls(balanced) == balanced
    controls = f"[{LRE}{RLE}{PDF}{LRO}{RLO}{LRI}{RLI}{FSI}{PDI}]"
    assert re.sub(controls, "", balanced) == re.sub(controls, "", text)


def test_visual_mirrors_brackets_in_right_to_left_text() -> None:
    assert visual("سپاه (IRGC) است") == visual("است") + " (IRGC) " + visual("سپاه")


def test_a_persian_number_keeps_its_percent_sign_on_the_side_persian_puts_it() -> None:
    """A run that starts with ۷۵٪ after a Persian word keeps the sign left of the digits."""
    text = "The poll «نظرسنجی ملی» ۷۵٪ مردم agreed."
    isolated = isolate_unicode(text, "ltr")
    assert isolated == (f"The poll «{RLI}نظرسنجی ملی{PDI}» {RLI}{ALM}۷۵٪ مردم{PDI} agreed.")
    assert "٪۷۵" in reorder(text, "ltr")  # the plain algorithm, rule W2
    assert "٪۷۵" in reorder(isolated, "ltr")
    assert number_context("در ۷۵٪", 3, "rtl") == ALM
    assert number_context("in ۷۵٪", 3, "rtl") == ""
