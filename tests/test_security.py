"""Hostile content cannot run script, fetch from elsewhere or reorder text outside its element."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html

from bilingual import BuildResult, build
from bilingual.bidi import balance_controls
from bilingual.markup import render_markdown

from conftest import SITES, copy_site, serve

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_site(SITES / "hostile", tmp_path_factory.mktemp("h") / "site"), pdf=False)


def test_raw_html_is_escaped_unless_allowed() -> None:
    source = 'Hi <script>alert(1)</script> <em>there</em>'
    assert "&lt;script&gt;" in render_markdown(source, "ltr")
    assert "<em>" not in render_markdown(source, "ltr")


@pytest.mark.parametrize("dangerous", [
    "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>', "<style>body{}</style>",
    '<iframe src="https://evil.example/"></iframe>', '<div onclick="alert(1)">x</div>',
    '<a href="JaVaScRiPt:alert(1)">x</a>', '<svg onload="alert(1)"></svg>',
])
def test_allowed_html_goes_through_the_sanitizer(dangerous: str) -> None:
    rendered = render_markdown(f"Text {dangerous} <em>kept</em>", "ltr", allow_html=True)
    assert "<em>kept</em>" in rendered
    lowered = rendered.lower()
    for marker in ("<script", "onerror", "onclick", "onload", "javascript:", "<style", "<iframe",
                   "<svg"):
        assert marker not in lowered, rendered


def test_every_field_is_escaped_in_html_feed_and_manifest(hostile: BuildResult) -> None:
    out = hostile.out_dir
    for path in out.rglob("*.html"):
        root = html.fromstring(path.read_bytes())
        assert not root.xpath("//script | //iframe | //style | //svg | //object | //form"), path
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), path
        assert not [h for h in root.xpath("//@href") if h.lower().startswith("javascript:")], path
    feed = etree.parse(str(out / "en/feed.xml")).getroot()
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title.text.startswith("</title><script>")
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def bidi_depth_is_balanced(text: str) -> bool:
    return balance_controls(text) == text


def test_unbalanced_override_is_closed_inside_its_element(hostile: BuildResult) -> None:
    root = html.fromstring((hostile.out_dir / "en/posts/attack/index.html").read_bytes())
    title = root.xpath("string(//h1)")
    assert "\u202e" in title and bidi_depth_is_balanced(title)
    assert title.index("\u202c") > title.index("\u202e")
    for element in root.iter("p", "h1", "title", "li", "span"):
        assert bidi_depth_is_balanced(element.text_content()), element.text_content()
    fa = html.fromstring((hostile.out_dir / "fa/posts/attack/index.html").read_bytes())
    assert bidi_depth_is_balanced(fa.xpath("string(//h1)"))


@pytest.mark.browser
def test_no_script_runs_and_nothing_leaves_localhost(hostile: BuildResult, page: Any) -> None:
    server, base = serve(hostile.out_dir)
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        page.route("**/*", guard)
        for path in sorted(hostile.out_dir.rglob("*.html")):
            page.goto(base + path.relative_to(hostile.out_dir).as_posix())
            page.wait_for_load_state("networkidle")
            for selector in ("a", "div", "img", "b"):
                for element in page.query_selector_all(selector)[:20]:
                    element.dispatch_event("mouseover")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    finally:
        server.shutdown()
    assert outside == []


def test_pdf_metadata_and_text_carry_fields_as_plain_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = build(copy_site(SITES / "hostile", tmp_path / "site"), pdf=True)
    reader = PdfReader(result.out_dir / "en/posts/attack/attack.en.pdf")
    assert reader.metadata.title == "</title><script>window.__pwned = 'title'</script> \u202eReversed\u202c"
    assert reader.metadata.author == "<img src=x onerror=\"window.__pwned='author'\">"
    text = reader.pages[0].extract_text()
    assert "<script>window.__pwned = 'config title'</script>Evil & Co" in text
