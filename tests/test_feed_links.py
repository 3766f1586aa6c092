"""Every feed links to its own page, to its translations, and lists its entries in its language."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from bilingual import BuildResult, build
from conftest import SITES, copy_site

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://minimal.example/"


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_site(SITES / "minimal", tmp_path_factory.mktemp("feeds") / "site"), pdf=False)


def feed(result: BuildResult, path: str) -> etree._Element:
    return etree.parse(str(result.out_dir / path)).getroot()


def links(element: etree._Element) -> set[tuple[str, str, str, str]]:
    return {
        (link.get("rel"), link.get("type"), link.get("hreflang") or "", link.get("href"))
        for link in element.findall(f"{ATOM}link")
    }


def entries(element: etree._Element) -> dict[str, etree._Element]:
    return {entry.findtext(f"{ATOM}id"): entry for entry in element.findall(f"{ATOM}entry")}


def test_a_language_feed_links_to_its_home_page_and_the_other_languages_feed(
    minimal: BuildResult,
) -> None:
    persian = feed(minimal, "fa/feed.xml")
    assert persian.findtext(f"{ATOM}title") == "کمینه"
    assert links(persian) == {
        ("self", "application/atom+xml", "", f"{BASE}fa/feed.xml"),
        ("alternate", "text/html", "fa", f"{BASE}fa/"),
        ("alternate", "application/atom+xml", "en", f"{BASE}en/feed.xml"),
    }


def test_a_tag_feed_links_to_its_tag_page_and_lists_only_that_tags_posts(
    minimal: BuildResult,
) -> None:
    persian = feed(minimal, "fa/tags/news/feed.xml")
    assert persian.findtext(f"{ATOM}title") == "کمینه · خبر"
    assert links(persian) == {
        ("self", "application/atom+xml", "", f"{BASE}fa/tags/news/feed.xml"),
        ("alternate", "text/html", "fa", f"{BASE}fa/tags/news/"),
        ("alternate", "application/atom+xml", "en", f"{BASE}en/tags/news/feed.xml"),
    }
    assert list(entries(persian)) == [f"{BASE}fa/posts/hello/"]
    english = feed(minimal, "en/tags/tech/feed.xml")
    assert list(entries(english)) == [f"{BASE}en/posts/hello/"]  # "older" is not about tech


def test_entries_link_to_the_page_in_the_feeds_language_then_to_translations(
    minimal: BuildResult,
) -> None:
    [hello] = entries(feed(minimal, "fa/feed.xml")).values()
    assert links(hello) == {
        ("alternate", "text/html", "fa", f"{BASE}fa/posts/hello/"),
        ("alternate", "text/html", "en", f"{BASE}en/posts/hello/"),
    }
    english = entries(feed(minimal, "en/feed.xml"))
    assert links(english[f"{BASE}en/posts/older/"]) == {
        ("alternate", "text/html", "en", f"{BASE}en/posts/older/")
    }  # not translated


def test_a_language_without_posts_still_gets_a_valid_empty_feed(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content/posts/hello/fa.md").unlink()
    persian = feed(build(site, pdf=False), "fa/feed.xml")
    assert entries(persian) == {}
    assert persian.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert ("alternate", "text/html", "fa", f"{BASE}fa/") in links(persian)


def test_a_renamed_tag_renames_its_feed(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    build(site, pdf=False)
    tags = site / "content/tags.yaml"
    tags.write_text(tags.read_text("utf-8").replace("fa: خبر", "fa: اخبار"), "utf-8")
    renamed = feed(build(site, pdf=False), "fa/tags/news/feed.xml")
    assert renamed.findtext(f"{ATOM}title") == "کمینه · اخبار"
