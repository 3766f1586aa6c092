"""A body rendered once per process: reused for the same text and options, never for others."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html  # type: ignore[import-untyped]

from bilingual.publish.build import build
from bilingual.text import markdown
from bilingual.text.markdown import render_markdown

PROSE = (Path(__file__).parent / "fixtures" / "persian-prose.md").read_text(encoding="utf-8")
WITH_CODE = "در <mark>تهران</mark> دستور `make` را اجرا کنید:\n\n```sh\nmake html\n```\n"
ATOM = "{http://www.w3.org/2005/Atom}"
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def test_the_same_text_and_options_render_once() -> None:
    first = render_markdown(PROSE, "rtl", "html", False, "کد")
    assert render_markdown(PROSE, "rtl", "html", False, "کد") is first


@pytest.mark.parametrize(
    "options",
    [
        ("ltr", "html", False, "کد"),
        ("rtl", "print", False, "کد"),
        ("rtl", "html", True, "کد"),
        ("rtl", "html", False, "Code"),
    ],
)
def test_other_options_render_again(options: tuple[str, markdown.Mode, bool, str]) -> None:
    direction, mode, allow_html, label = options
    kept = render_markdown(WITH_CODE, "rtl", "html", False, "کد")
    other = render_markdown(WITH_CODE, direction, mode, allow_html, label)
    fresh = markdown._render(WITH_CODE, direction, mode, allow_html, label)
    assert other == fresh != kept


def test_text_over_the_budget_is_rendered_but_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "_RENDERED", markdown._Rendered(len(PROSE)))
    first = render_markdown(PROSE, "rtl")
    again = render_markdown(PROSE, "rtl")
    assert again == first and again is not first
    assert markdown._RENDERED.html == {}


def test_a_feed_shows_the_body_its_page_shows(tmp_path: Path) -> None:
    root = tmp_path / "site"
    post = root / "content" / "posts" / "essay"
    post.mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://example.org/"\nlanguages = ["fa", "en"]\n'
        'default_language = "fa"\n\n[site.title]\nfa = "نوشته‌ها"\nen = "Essays"\n'
        "\n[search]\nenabled = false\n",
        encoding="utf-8",
    )
    (post / "fa.md").write_text(
        f"---\ntitle: آزادی\ndate: 2009-06-12\n---\n\n{PROSE}\n\n{WITH_CODE}", encoding="utf-8"
    )
    out = tmp_path / "out"
    build(root, out, pdf=False, jobs=1)

    page = html.parse(str(next(out.rglob("essay/index.html"))))
    body = page.xpath("//div[@class='entry-body']")[0]
    feed = etree.parse(str(next(out.rglob("fa/feed.xml"))))
    content = html.fromstring(feed.find(f"{ATOM}entry/{ATOM}content").text)
    # The feed adds isolate characters inside each <bdi>, for readers that drop the element.
    shown = [block.translate(ISOLATES) for block in _text(content)]
    assert len(shown) > 10 and shown == _text(body)


def _text(element: html.HtmlElement) -> list[str]:
    return [" ".join(block.text_content().split()) for block in element.iter("p", "pre")]


def test_a_body_without_code_is_reused_whatever_the_label_of_code() -> None:
    page = render_markdown(PROSE, "rtl", "html", False, "کد")
    assert render_markdown(PROSE, "rtl", "html", False, "Code") is page
