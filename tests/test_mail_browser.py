"""The e-mail's HTML part in headless Chromium at 600 px and 390 px: layout, direction, isolation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bilingual.mail.edition import EditionMaker
from conftest import EXAMPLE

pytestmark = pytest.mark.browser

SLUG = "2010-01-20-the-only-way-forward"
LAYOUT = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const title = document.querySelector('h1 span'), section = box('td.section');
  const range = document.createRange(); range.selectNodeContents(title);
  const text = range.getBoundingClientRect();
  const irgc = [...document.querySelectorAll('.body span[dir]')].find(s => s.textContent === 'IRGC');
  return {
    scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
    frame: box('table.frame').width, direction: getComputedStyle(document.body).direction,
    sectionLeft: section.left, sectionRight: section.right, textLeft: text.left, textRight: text.right,
    irgc: irgc ? getComputedStyle(irgc).unicodeBidi : null,
    paragraphs: [...document.querySelectorAll('.body p')].map(p => getComputedStyle(p).direction),
  };
}"""


def render(page: Any, html: str, width: int, screenshot: Path) -> tuple[dict[str, Any], list[str]]:
    requests: list[str] = []
    page.set_viewport_size({"width": width, "height": 900})
    page.route("**/*", lambda route: (requests.append(route.request.resource_type), route.abort()))
    page.set_content(html)
    page.screenshot(path=str(screenshot))
    return page.evaluate(LAYOUT), requests


@pytest.mark.parametrize("width", [600, 390])
def test_persian_e_mail_in_chromium(page: Any, tmp_path: Path, width: int) -> None:
    maker = EditionMaker.for_site(EXAMPLE)
    html = maker.html(maker.edition(SLUG, ["fa"]), "maryam@example.org")
    layout, requests = render(page, html, width, tmp_path / f"fa-{width}.png")
    assert layout["scrollWidth"] <= width  # nothing wider than the screen
    assert layout["frame"] <= 600
    assert layout["direction"] == "rtl"
    assert set(layout["paragraphs"]) == {"rtl"}
    # The title starts on the right, against the section's padding.
    assert layout["sectionRight"] - layout["textRight"] < 40
    assert layout["textLeft"] - layout["sectionLeft"] > 40
    assert layout["irgc"] == "isolate"
    assert not {"stylesheet", "script", "font"} & set(requests), requests


@pytest.mark.parametrize("width", [600, 390])
def test_english_e_mail_in_chromium(page: Any, tmp_path: Path, width: int) -> None:
    maker = EditionMaker.for_site(EXAMPLE)
    html = maker.html(maker.edition(SLUG, ["en"]), "john@example.org")
    layout, requests = render(page, html, width, tmp_path / f"en-{width}.png")
    assert layout["scrollWidth"] <= width
    assert layout["direction"] == "ltr"
    assert layout["textLeft"] - layout["sectionLeft"] < 40
    assert not {"stylesheet", "script", "font"} & set(requests), requests
