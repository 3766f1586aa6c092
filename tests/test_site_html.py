"""The built site: valid HTML, lang/dir everywhere, links that resolve, Persian dates and digits."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import html5lib
import pytest
from lxml import etree, html

from bilingual import BuildResult, build
from conftest import SITES, copy_site

PERSIAN_POST = "fa/posts/2010-01-20-the-only-way-forward/index.html"
ENGLISH_POST = "en/posts/2010-01-20-the-only-way-forward/index.html"
ENGLISH_ONLY = "en/posts/2010-02-03-heidari-on-why-diplomats-oppose-the-state/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def pages(result: BuildResult) -> list[Path]:
    return sorted(result.out_dir.rglob("*.html"))


def parse(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_site(SITES / "minimal", tmp_path_factory.mktemp("m") / "site"), pdf=False)


def test_every_page_is_well_formed_html5(built_example: BuildResult) -> None:
    parser = html5lib.HTMLParser(strict=True)
    for path in pages(built_example):
        parser.parse(path.read_bytes())  # raises on any parse error


def test_every_page_declares_language_and_direction(built_example: BuildResult) -> None:
    for path in pages(built_example):
        root = parse(path)
        lang = path.relative_to(built_example.out_dir).parts[0]
        expected = {"fa": ("fa", "rtl")}.get(lang, ("en", "ltr"))
        assert (root.get("lang"), root.get("dir")) == expected, path


def test_every_internal_link_resolves_to_a_file(built_example: BuildResult) -> None:
    out = built_example.out_dir
    for path in pages(built_example):
        page_url = "http://site/" + path.relative_to(out).as_posix()
        for element, _attribute, link, _pos in parse(path).iterlinks():
            if (
                element.tag == "link"
                and element.get("rel") in ("canonical", "alternate")
                and link.startswith("https://")
            ):
                continue
            if element.xpath("ancestor::nav[@class='share']"):
                continue  # links to other sites by design: see test_share_links.py
            target = urlparse(urljoin(page_url, link))
            assert target.netloc == "site", f"{path}: external link {link}"
            local = out / unquote(target.path).lstrip("/")
            if target.path.endswith("/"):
                local = local / "index.html"
            assert local.is_file(), f"{path}: {link} -> {local} does not exist"


def test_root_index_sends_visitors_to_the_default_language(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / "index.html")
    refresh = root.xpath("//meta[@http-equiv='refresh']/@content")[0]
    assert refresh.endswith("url=en/")


def test_persian_post_has_jalali_date_and_persian_digits(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / PERSIAN_POST)
    time = root.xpath("//article//time")[0]
    assert time.get("datetime") == "2010-01-20"
    assert time.text_content() == "۳۰ دی ۱۳۸۸"
    english = parse(built_example.out_dir / ENGLISH_POST).xpath("//article//time")[0]
    assert english.text_content() == "January 20, 2010"


def test_interface_is_translated_with_persian_digits(minimal: BuildResult) -> None:
    tag = parse(minimal.out_dir / "fa/tags/news/index.html")
    assert tag.xpath("string(//p[@class='list-kind'])") == "بایگانی‌شده در"
    assert tag.xpath("string(//p[@class='count'])") == "۱ نوشته"
    english = parse(minimal.out_dir / "en/page/2/index.html")
    assert english.xpath("string(//span[@class='page-number'])") == "Page 2 of 2"
    assert re.search(r"[0-9]", parse(minimal.out_dir / "fa/index.html").text_content()) is None


def test_opposite_direction_runs_are_isolated(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / PERSIAN_POST)
    isolated = root.xpath("//div[@class='entry-body']//bdi[@dir='ltr']")
    assert "IRGC" in [element.text for element in isolated]
    paragraph = next(
        p for p in root.xpath("//div[@class='entry-body']/p") if "IRGC" in p.text_content()
    )
    assert '(<bdi dir="ltr">IRGC</bdi>)' in html.tostring(paragraph, encoding="unicode")


def test_persian_phrase_in_english_text_is_isolated(minimal: BuildResult) -> None:
    root = parse(minimal.out_dir / "en/posts/hello/index.html")
    summary = root.xpath("//p[contains(@class, 'summary')]")[0]
    assert [b.text for b in summary.xpath(".//bdi[@dir='rtl']")] == ["سلام دنیا"]
    persian_paragraph = root.xpath("//div[@class='entry-body']/p[@dir='rtl']")
    assert len(persian_paragraph) == 1


def test_language_switcher_links_the_same_post(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / ENGLISH_POST)
    link = root.xpath("//nav[@class='language-switcher']//a[@hreflang='fa']")[0]
    assert link.get("href") == "../../../fa/posts/2010-01-20-the-only-way-forward/"
    assert link.get("data-translation") == "available"


def test_switcher_says_when_a_translation_is_missing(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / ENGLISH_ONLY)
    link = root.xpath("//nav[@class='language-switcher']//a[@hreflang='fa']")[0]
    assert link.get("data-translation") == "missing"
    assert link.get("href") == "../../../fa/"
    assert "not translated" in link.text_content()
    hreflangs = root.xpath("//link[@rel='alternate' and @hreflang]/@hreflang")
    assert "fa" not in hreflangs and "x-default" in hreflangs


def test_hreflang_alternates_include_x_default(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / PERSIAN_POST)
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in root.xpath("//link[@rel='alternate' and @hreflang]")
    }
    assert alternates == {
        "en": "https://example.org/en/posts/2010-01-20-the-only-way-forward/",
        "fa": "https://example.org/fa/posts/2010-01-20-the-only-way-forward/",
        "x-default": "https://example.org/en/posts/2010-01-20-the-only-way-forward/",
    }


def test_home_lists_posts_newest_first_with_summaries(built_example: BuildResult) -> None:
    root = parse(built_example.out_dir / "en/index.html")
    titles = [t.text_content() for t in root.xpath("//h2[@class='post-summary-title']")]
    assert titles[0].startswith("Q&A: Mohammad Reza Heidari")
    assert titles[1] == "The Only Way Forward"
    assert len(root.xpath("//article//p[@class='summary']")) == 2


def test_pagination_follows_posts_per_page(minimal: BuildResult) -> None:
    first = parse(minimal.out_dir / "en/index.html")
    assert len(first.xpath("//article[@class='post-summary']")) == 1
    assert first.xpath("//a[@rel='next']/@href") == ["page/2/"]
    assert not (minimal.out_dir / "fa/page/2/index.html").exists()


def test_tag_pages_use_keys_and_fall_back_to_another_label(minimal: BuildResult) -> None:
    root = parse(minimal.out_dir / "fa/posts/hello/index.html")
    tags = root.xpath("//div[@class='filed-under']//a")
    assert [a.get("href") for a in tags] == ["../../tags/news/", "../../tags/tech/"]
    fallback = tags[1].xpath(".//bdi")[0]
    assert (fallback.get("lang"), fallback.get("dir"), fallback.text) == ("en", "ltr", "Technology")


def test_feeds_are_atom_with_rfc3339_dates(built_example: BuildResult) -> None:
    for lang, count in (("en", 2), ("fa", 1)):
        feed = etree.parse(str(built_example.out_dir / lang / "feed.xml")).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == count
        for entry in entries:
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated")
            )
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html" and "<p>" in content.text
    persian = etree.parse(str(built_example.out_dir / "fa/feed.xml")).getroot()
    assert persian.find(f"{ATOM}entry/{ATOM}title").text == "تنها راه پیش رو"


def test_manifest_lists_every_file_written(built_example: BuildResult) -> None:
    out = built_example.out_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["outputs"]}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert listed == written - {"manifest.json"}
    kinds = {entry["kind"] for entry in manifest["outputs"]}
    assert {"post", "page", "index", "tag", "feed"} <= kinds
    post = next(e for e in manifest["outputs"] if e["path"] == PERSIAN_POST)
    assert post == {
        "kind": "post",
        "lang": "fa",
        "slug": "2010-01-20-the-only-way-forward",
        "path": PERSIAN_POST,
    }


def test_fonts_are_bundled_and_nothing_is_fetched_from_elsewhere(
    built_example: BuildResult,
) -> None:
    out = built_example.out_dir
    css = (out / "static/style.css").read_text(encoding="utf-8")
    for font in re.findall(r'url\("([^"]+)"\)', css):
        assert (out / "static" / font).is_file()
    assert (out / "static/fonts/OFL.txt").is_file()
    assert not re.search(r"@import|url\((\"|')?(https?:)?//", css)
    for path in pages(built_example):
        root = parse(path)
        fetched = root.xpath("//@src | //link[not(@rel='canonical' or @rel='alternate')]/@href")
        assert fetched and not [url for url in fetched if re.match(r"(https?:)?//", url)], path


def test_site_templates_override_the_theme(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="custom">{{ entry.title }}</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    result = build(site, pdf=False)
    assert (
        parse(result.out_dir / "fa/about/index.html").xpath("string(//p[@id='custom'])") == "درباره"
    )
