"""The example site in headless Chromium: direction, mirrored layout, bidi, the switcher."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PERSIAN_POST = "fa/posts/2010-01-20-the-only-way-forward/"
ENGLISH_POST = "en/posts/2010-01-20-the-only-way-forward/"

FIRST_CHARACTER_BOX = """(selector) => {
  const block = document.querySelector(selector);
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT,
    {acceptNode: (n) => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
  const node = walker.nextNode();
  const start = node.textContent.search(/\\S/);
  const range = document.createRange();
  range.setStart(node, start); range.setEnd(node, start + 1);
  const ch = range.getBoundingClientRect(), box = block.getBoundingClientRect();
  return {charLeft: ch.left, charRight: ch.right, blockLeft: box.left, blockRight: box.right};
}"""

PARENTHESES_AROUND = """(word) => {
  const bdi = [...document.querySelectorAll('.entry-body bdi')].find(b => b.textContent === word);
  const box = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset); range.setEnd(node, offset + 1);
    return range.getBoundingClientRect();
  };
  const before = bdi.previousSibling, after = bdi.nextSibling;
  return {
    open: box(before, before.textContent.length - 1), word: bdi.getBoundingClientRect(),
    close: box(after, 0), openChar: before.textContent.slice(-1), closeChar: after.textContent[0],
  };
}"""


def open_page(page: Any, url: str) -> Any:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def test_persian_post_is_right_to_left(page: Any, example_server: str) -> None:
    open_page(page, example_server + PERSIAN_POST)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.entry-body p')).direction")
        == "rtl"
    )


def test_persian_text_column_starts_on_the_right(page: Any, example_server: str) -> None:
    open_page(page, example_server + PERSIAN_POST)
    box = page.evaluate(FIRST_CHARACTER_BOX, ".entry-body p")
    assert abs(box["charRight"] - box["blockRight"]) < 2
    assert box["charLeft"] > box["blockLeft"] + 200
    english = open_page(page, example_server + ENGLISH_POST).evaluate(
        FIRST_CHARACTER_BOX, ".entry-body p"
    )
    assert abs(english["charLeft"] - english["blockLeft"]) < 2


def test_layout_is_a_mirror_of_the_english_one(page: Any, example_server: str) -> None:
    def positions(url: str) -> dict[str, float]:
        open_page(page, url)
        return page.evaluate("""() => {
          const w = document.documentElement.clientWidth;
          const r = (s) => document.querySelector(s).getBoundingClientRect();
          return {title: r('.site-title').left, titleRight: w - r('.site-title').right,
                  switcher: r('.language-switcher').left,
                  body: r('.entry-body').left, bodyRight: w - r('.entry-body').right};
        }""")

    english, persian = (
        positions(example_server + ENGLISH_POST),
        positions(example_server + PERSIAN_POST),
    )
    assert english["switcher"] > english["title"]
    assert persian["switcher"] < persian["title"]
    assert abs(english["title"] - persian["titleRight"]) < 2
    assert abs(english["body"] - persian["bodyRight"]) < 2


def test_acronym_keeps_its_parentheses_on_the_right_sides(page: Any, example_server: str) -> None:
    open_page(page, example_server + PERSIAN_POST)
    boxes = page.evaluate(PARENTHESES_AROUND, "IRGC")
    assert (boxes["openChar"], boxes["closeChar"]) == ("(", ")")
    # Right to left: "(" is read first, so it stands to the right of the acronym.
    assert boxes["open"]["left"] >= boxes["word"]["right"] - 1
    assert boxes["close"]["right"] <= boxes["word"]["left"] + 1


def test_persian_date_reads_jalali_with_persian_digits(page: Any, example_server: str) -> None:
    open_page(page, example_server + PERSIAN_POST)
    assert page.inner_text("article time") == "۳۰ دی ۱۳۸۸"


def test_switcher_goes_to_the_translation_and_back(page: Any, example_server: str) -> None:
    open_page(page, example_server + ENGLISH_POST)
    page.click(".language-switcher a[hreflang='fa']")
    page.wait_for_url(example_server + PERSIAN_POST)
    assert page.inner_text("h1") == "تنها راه پیش رو"
    assert page.get_attribute("html", "dir") == "rtl"
    page.click(".language-switcher a[hreflang='en']")
    page.wait_for_url(example_server + ENGLISH_POST)
    assert page.inner_text("h1") == "The Only Way Forward"


def test_untranslated_post_switches_to_the_persian_home(page: Any, example_server: str) -> None:
    open_page(
        page, example_server + "en/posts/2010-02-03-heidari-on-why-diplomats-oppose-the-state/"
    )
    page.click(".language-switcher a[hreflang='fa']")
    page.wait_for_url(example_server + "fa/")
    assert page.get_attribute("html", "lang") == "fa"


def test_pages_request_nothing_outside_the_site(page: Any, example_server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", ENGLISH_POST, PERSIAN_POST, "fa/tags/", "en/brave-women-of-iran/"):
        open_page(page, example_server + path)
    assert requested and all(url.startswith(example_server) for url in requested)
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
