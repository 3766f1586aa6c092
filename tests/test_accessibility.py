"""axe-core finds no accessibility violations on the home, post, tag and search pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from bilingual import build
from conftest import EXAMPLE, ROOT, copy_site, serve

AXE = ROOT / ".venv/node/node_modules/axe-core/axe.min.js"
LONG_URL = "https://example.org/api/v1/reports?" + "&amp;".join(
    f"field{n}=value{n}" for n in range(40)
)
LONG_CODE = "```\ncurl -s " + LONG_URL.replace("&amp;", "&") + "\n```\n"
LONG_PRE = f"<pre>wget -q -O - {LONG_URL}</pre>\n"
PAGES = [
    "en/",
    "fa/",
    "en/posts/2010-01-20-the-only-way-forward/",
    "fa/posts/2010-01-20-the-only-way-forward/",
    "en/posts/imported-code/",
    "fa/posts/imported-code/",
    "en/tags/reza-heidari/",
    "fa/tags/reza-heidari/",
    "en/brave-women-of-iran/",
    "fa/brave-women-of-iran/",
    "en/search/?q=" + quote("diplomats"),
    "fa/search/?q=" + quote("دیپلمات"),
    "en/search/?q=giraffe",
    "fa/search/",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example blog with an imported post whose code blocks scroll sideways."""
    site = copy_site(EXAMPLE, tmp_path_factory.mktemp("axe") / "seed-blog")
    config = site / "bilingual.toml"  # imported posts keep their HTML: a <pre> among it
    config.write_text(config.read_text() + "\n[content]\nallow_html = true\n")
    post = site / "content/posts/imported-code"
    post.mkdir()
    (post / "en.md").write_text(
        "---\ntitle: Fetching the reports\ndate: 2010-02-10\n"
        "tags: [reza-heidari]\n---\n\nThe reports come from:\n\n"
        + LONG_CODE
        + "\nOr, as the old post had it:\n\n"
        + LONG_PRE
    )
    (post / "fa.md").write_text(
        "---\ntitle: دریافت گزارش‌ها\n---\n\nگزارش‌ها از این نشانی می‌آیند:\n\n" + LONG_CODE
    )
    server, url = serve(build(site, pdf=False).out_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE} is missing: run scripts/setup.sh --test (it installs axe-core from npm)"
        )
    return AXE.read_text(encoding="utf-8")


def violations(page: Any, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map((v) => `${v.id} (${v.impact}): ` +
            v.nodes.map((n) => n.target.join(' ')).join(', '));
    }""")
    return list(found)


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(page: Any, site_url: str, axe_source: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if "?q=" in path:
        page.wait_for_function(
            "document.querySelector('.search-status').textContent !== ''"
            " && !document.querySelector('.search-status').textContent.endsWith('…')"
        )
    assert violations(page, axe_source) == []


def test_code_block_scrolls_with_the_keyboard(page: Any, site_url: str) -> None:
    page.goto(site_url + "fa/posts/imported-code/")
    pre = page.locator(".entry-body pre")
    assert pre.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it does overflow
    pre.focus()
    assert page.evaluate("document.activeElement.tagName") == "PRE"
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Scrolling may be animated: wait for it to move.
    page.wait_for_function("document.querySelector('.entry-body pre').scrollLeft > 0", timeout=5000)
