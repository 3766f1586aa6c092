"""A search result's title reads as the post's own title does: in its language's direction."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from lxml import html

from bilingual import BuildResult, build, load_site
from bilingual.publish.search import document
from conftest import serve
from test_bidi_outputs import CHARACTER_BOXES, measured

# A Persian title that starts in English: laid out left to right, "IRGC" would come first
# on the left and the Persian words after it, in the wrong order.
TITLE = "IRGC در فهرست تحریم‌های تازهٔ اروپا ماند"
QUERY = "تحریم"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, str]]:
    root = tmp_path_factory.mktemp("search") / "site"
    (root / "content" / "posts" / "sanctions").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://search.example/"\nlanguages = ["fa", "en"]\n'
        'default_language = "fa"\n\n[site.title]\nen = "Search"\nfa = "جستجو"\n',
        encoding="utf-8",
    )
    (root / "content" / "tags.yaml").write_text("{}\n", encoding="utf-8")
    (root / "content" / "posts" / "sanctions" / "fa.md").write_text(
        f"---\ntitle: '{TITLE}'\ndate: 2024-04-22\n---\n\n"
        "اتحادیهٔ اروپا سپاه پاسداران را در فهرست تحریم‌ها نگه داشت.\n",
        encoding="utf-8",
    )
    result = build(root, pdf=False)
    server, url = serve(result.out_dir)
    yield result, url
    server.shutdown()


def test_the_index_stores_the_title_with_its_direction_and_isolates(
    search_site: tuple[BuildResult, str],
) -> None:
    result, _ = search_site
    site = load_site(result.out_dir.parent)
    indexed = html.fromstring(document(site, site.posts[0], "fa"))
    stored = {
        element.get("data-pagefind-meta"): element.get("content")
        for element in indexed.xpath("//meta[@data-pagefind-meta]")
    }
    assert stored["dir[content]"] == "rtl"
    assert stored["title[content]"] == "\u2066IRGC\u2069" + TITLE.removeprefix("IRGC")


@pytest.mark.browser
def test_a_persian_title_that_starts_in_english_reads_as_on_its_page(
    browser: Any, search_site: tuple[BuildResult, str]
) -> None:
    _, url = search_site
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(url + "fa/posts/sanctions/")
    on_the_page = _left_to_right(page.locator("h1.entry-title").first)
    page.goto(f"{url}fa/search/?q={quote(QUERY)}")
    page.wait_for_selector(".search-result-title a")
    in_the_results = _left_to_right(page.locator(".search-result-title a").first)
    context.close()
    assert on_the_page == in_the_results
    assert in_the_results.endswith("IRGC")  # the title starts on the right


def _left_to_right(element: Any) -> str:
    boxes = element.evaluate(CHARACTER_BOXES)
    shown = [box for box in boxes if measured(box[0], box) and unicodedata.category(box[0]) != "Cf"]
    return "".join(box[0] for box in sorted(shown, key=lambda box: box[1] + box[2]))
