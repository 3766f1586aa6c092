"""Inline code is always set left to right, in Persian paragraphs too, on the web and in print."""

from __future__ import annotations

import pytest
from lxml import html
from playwright.sync_api import Page

from bilingual.text.markdown import render_markdown

PERSIAN_WITH_CODE = "برای تعیین پوشهٔ خروجی، گزینهٔ `--out _site/` را به دستور ساخت بدهید."
ENGLISH_WITH_CODE = "Give the build `--out _site/` to choose the output folder."
OPTION = "--out _site/"
LRI, PDI = "\u2066", "\u2069"


def inline_code(fragment: str) -> list[html.HtmlElement]:
    return list(html.fragment_fromstring(fragment, create_parent="div").xpath("//p/code"))


@pytest.mark.parametrize(
    ("source", "direction"),
    [(PERSIAN_WITH_CODE, "rtl"), (ENGLISH_WITH_CODE, "ltr")],
    ids=["persian", "english"],
)
@pytest.mark.parametrize("allow_html", [False, True], ids=["escaped-html", "sanitised-html"])
def test_inline_code_is_left_to_right_on_the_web(
    source: str, direction: str, allow_html: bool
) -> None:
    [code] = inline_code(render_markdown(source, direction, allow_html=allow_html))
    assert code.get("dir") == "ltr"
    assert code.text == OPTION


def test_inline_code_in_a_persian_pdf_is_isolated_left_to_right() -> None:
    # WeasyPrint ignores dir on inline elements: only the isolate characters order the run.
    [code] = inline_code(render_markdown(PERSIAN_WITH_CODE, "rtl", mode="print"))
    assert code.get("dir") == "ltr"
    assert code.text == LRI + OPTION + PDI


def test_inline_code_in_an_english_pdf_needs_no_isolates() -> None:
    [code] = inline_code(render_markdown(ENGLISH_WITH_CODE, "ltr", mode="print"))
    assert (code.get("dir"), code.text) == ("ltr", OPTION)


def test_inline_code_escapes_markup() -> None:
    [code] = inline_code(render_markdown('مثال: `<b dir="rtl">x</b>`', "rtl"))
    assert code.text == '<b dir="rtl">x</b>'
    assert code.getchildren() == []


@pytest.mark.browser
def test_an_option_in_a_persian_paragraph_reads_left_to_right(page: Page) -> None:
    body = render_markdown(PERSIAN_WITH_CODE, "rtl")
    page.set_content(f'<html lang="fa" dir="rtl"><body style="font-size:20px">{body}</body></html>')
    # The x position of each character of the code, in logical order.
    positions = page.evaluate("""() => {
        const text = document.querySelector('p code').firstChild;
        return Array.from(text.data, (_, i) => {
            const range = document.createRange();
            range.setStart(text, i); range.setEnd(text, i + 1);
            return range.getBoundingClientRect().left;
        });
    }""")
    assert len(positions) == len(OPTION)
    assert positions == sorted(positions), "the option is not drawn from left to right"
