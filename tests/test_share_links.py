"""Share links: plain links per language carrying the page's address and its isolated title."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html

from bilingual import build
from bilingual.errors import BilingualError
from conftest import SITES, copy_site

PERSIAN_POST = "fa/posts/2010-01-20-the-only-way-forward/"
CANONICAL = "https://example.org/" + PERSIAN_POST
TITLE = "\u2067تنها راه پیش رو\u2069"  # right-to-left isolate: the title keeps its order anywhere


def share_hrefs(page: Any) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('nav.share a')]
        .map((a) => [a.className.replace('share-', ''), a.getAttribute('href')]))""")


@pytest.mark.browser
def test_share_links_carry_the_address_and_the_title(page: Any, example_server: str) -> None:
    page.goto(example_server + PERSIAN_POST)
    links = share_hrefs(page)
    assert list(links) == ["telegram", "whatsapp", "x", "facebook", "email", "copy"]
    query = {name: parse_qs(urlsplit(href).query) for name, href in links.items()}
    assert urlsplit(links["telegram"]).netloc == "t.me"
    assert query["telegram"] == {"url": [CANONICAL], "text": [TITLE]}
    assert query["whatsapp"] == {"text": [f"{TITLE} {CANONICAL}"]}
    assert query["x"] == {"text": [TITLE], "url": [CANONICAL]}
    assert query["facebook"] == {"u": [CANONICAL]}
    assert links["email"].startswith("mailto:?") and "+" not in links["email"]
    assert query["email"] == {"subject": [TITLE], "body": [CANONICAL]}
    assert links["copy"] == CANONICAL
    labels = page.evaluate(
        "[...document.querySelectorAll('nav.share a')].map((a) => a.textContent)"
    )
    assert labels == ["تلگرام", "واتس‌اپ", "ایکس", "فیس‌بوک", "ایمیل", "رونوشت پیوند"]
    assert page.evaluate("document.querySelectorAll('script[src^=\"http\"]').length") == 0


@pytest.mark.browser
def test_english_share_text_is_isolated_left_to_right(page: Any, example_server: str) -> None:
    page.goto(example_server + "en/brave-women-of-iran/")
    telegram = parse_qs(urlsplit(share_hrefs(page)["telegram"]).query)
    assert telegram["text"] == ["\u2066Brave Women Of Iran\u2069"]
    assert telegram["url"] == ["https://example.org/en/brave-women-of-iran/"]


@pytest.mark.browser
def test_copy_link_copies_the_address(browser: Any, example_server: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=example_server[:-1])
    page = context.new_page()
    page.goto(example_server + PERSIAN_POST)
    page.click("a.share-copy")
    assert page.url == example_server + PERSIAN_POST  # stayed on the page
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL
    assert page.text_content(".share-status") == "پیوند رونوشت شد"
    context.close()


@pytest.mark.browser
def test_copy_link_is_a_plain_link_without_scripts(browser: Any, example_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_server + PERSIAN_POST)
    assert page.get_attribute("a.share-copy", "href") == CANONICAL
    assert page.get_attribute("a.share-copy", "role") is None
    context.close()


def test_opposite_runs_of_a_shared_title_are_isolated(tmp_path: Path) -> None:
    """As in the feeds: a phone number or an English sentence keeps its order in a Persian title."""
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/fa.md"
    post.write_text(
        post.read_text().replace("title: سلام", "title: 'گفت: «I am here.» تلفن +1 212 555 0100'"),
        "utf-8",
    )
    page = html.fromstring(
        (build(site, pdf=False).out_dir / "fa/posts/hello/index.html").read_bytes()
    )
    telegram = parse_qs(urlsplit(page.xpath("//a[@class='share-telegram']/@href")[0]).query)
    assert telegram["text"] == [
        "\u2067گفت: «\u2066I am here.\u2069» تلفن \u2066+1 212 555 0100\u2069\u2069"
    ]


def test_share_links_follow_the_config(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "bilingual.toml"
    config.write_text(config.read_text() + '\n[share]\nlinks = ["email", "telegram"]\n')
    page = (build(site, pdf=False).out_dir / "fa/posts/hello/index.html").read_text()
    assert page.index('class="share-email"') < page.index('class="share-telegram"')
    assert "share-whatsapp" not in page and "share-copy" not in page


def test_unknown_share_link_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "bilingual.toml"
    text = config.read_text() + '\n[share]\nlinks = ["telegram", "myspace"]\n'
    config.write_text(text)
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    line = text.splitlines().index('links = ["telegram", "myspace"]') + 1
    assert f"bilingual.toml:{line}: share.links has unknown 'myspace'" in str(caught.value)
    assert "known links: telegram, whatsapp, x, facebook, email, copy" in str(caught.value)
