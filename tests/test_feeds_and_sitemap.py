"""Feeds that RFC 4287 accepts, a sitemap with every language version, robots.txt, canonicals."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree, html

from bilingual import BuildResult, build
from bilingual.errors import BilingualError
from conftest import SITES, copy_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\Z")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201a5e2b7c60000000049454e44ae426082"
)
LISTED = re.compile(
    r"(index|posts/[^/]+/index|page/\d+/index|tags/(.+/)?index|[^/]+/index)\.html\Z"
)


def feeds(result: BuildResult) -> list[Path]:
    return sorted(result.out_dir.rglob("feed.xml"))


def local(result: BuildResult, url: str) -> Path:
    """The output file an absolute URL of the site stands for."""
    path = unquote(urlsplit(url).path).lstrip("/")
    return result.out_dir / (path + "index.html" if path.endswith("/") or not path else path)


def check_rfc4287(path: Path, result: BuildResult) -> None:
    """What RFC 4287 requires of a feed and its entries (sections 4.1.1 and 4.1.2)."""
    feed = etree.parse(str(path)).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, f"{path}: feed {name}"
    assert RFC3339.match(feed.findtext(f"{ATOM}updated")), path
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and local(result, self_links[0].get("href")) == path
    entries = feed.findall(f"{ATOM}entry")
    assert entries, path
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"{path}: entry {name}"
        for name in ("published", "updated"):
            assert RFC3339.match(entry.findtext(f"{ATOM}{name}")), path
        assert (
            entry.findtext(f"{ATOM}published") <= entry.findtext(f"{ATOM}updated")
            or entry.findtext(f"{ATOM}published")[:10] <= entry.findtext(f"{ATOM}updated")[:10]
        )
        # 4.1.1: an entry without an author needs one in the feed (or in its source).
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None or feed_author is not None
        alternates = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") in (None, "alternate")
        ]
        pairs = [(link.get("type"), link.get("hreflang")) for link in alternates]
        assert len(pairs) == len(set(pairs)), f"{path}: two alternates of one type and language"
        for link in alternates:
            assert local(result, link.get("href")).is_file(), link.get("href")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") in ("en", "fa")


def test_every_feed_validates(built_example: BuildResult) -> None:
    found = feeds(built_example)
    assert len(found) > 2  # the two languages' feeds and the tag feeds
    for path in found:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        check_rfc4287(path, built_example)


def test_feed_author_falls_back_to_the_site_title(tmp_path: Path) -> None:
    result = build(copy_site(SITES / "minimal", tmp_path / "site"), pdf=False)
    feed = etree.parse(str(result.out_dir / "en/feed.xml")).getroot()
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Minimal"
    anonymous = [
        entry for entry in feed.findall(f"{ATOM}entry") if entry.find(f"{ATOM}author") is None
    ]
    assert anonymous  # "An older post" has no author of its own
    check_rfc4287(result.out_dir / "en/feed.xml", result)


def test_site_author_is_the_feeds_author(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "bilingual.toml"
    config.write_text(config.read_text().replace("[site]\n", '[site]\nauthor = "News desk"\n'))
    feed = etree.parse(str(build(site, pdf=False).out_dir / "fa/feed.xml")).getroot()
    # In the Persian feed the English name is isolated (U+2066-2069), as every opposite run.
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "\u2066News desk\u2069"


def test_time_zone_and_updated_are_kept(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/en.md"
    post.write_text(
        post.read_text().replace(
            "date: 2024-03-20", "date: 2024-03-20T09:15:00+03:30\nupdated: 2024-04-02T18:00:00Z"
        )
    )
    other = site / "content/posts/older/en.md"
    other.write_text(other.read_text().replace("date: 2023-12-31", "date: 2024-03-20T10:00:00Z"))
    result = build(site, pdf=False)
    feed = etree.parse(str(result.out_dir / "en/feed.xml")).getroot()
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in feed.findall(f"{ATOM}entry")}
    hello = next(entry for title, entry in entries.items() if "Hello" in title)
    assert hello.findtext(f"{ATOM}published") == "2024-03-20T09:15:00+03:30"
    assert hello.findtext(f"{ATOM}updated") == "2024-04-02T18:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2024-04-02T18:00:00Z"
    # Same day: 10:00 UTC is after 09:15 in Tehran (05:45 UTC), so the older post comes first.
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "older" in titles[0] and "Hello" in titles[1]
    check_rfc4287(result.out_dir / "en/feed.xml", result)
    page = html.fromstring((result.out_dir / "en/posts/hello/index.html").read_bytes())
    assert page.xpath("//meta[@property='article:modified_time']/@content") == [
        "2024-04-02T18:00:00Z"
    ]
    # The Persian version shares the date and time.
    fa = etree.parse(str(result.out_dir / "fa/feed.xml")).getroot()
    assert fa.find(f"{ATOM}entry").findtext(f"{ATOM}published") == "2024-03-20T09:15:00+03:30"


def test_updated_before_date_is_an_error(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/en.md"
    post.write_text(
        post.read_text().replace("date: 2024-03-20", "date: 2024-03-20\nupdated: 2024-01-01")
    )
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    assert "'updated' (2024-01-01) is before 'date' (2024-03-20)" in str(caught.value)
    assert f"{post}:4" in str(caught.value)  # the line of 'updated:'


def test_tag_feeds_list_only_their_tags_posts(tmp_path: Path) -> None:
    result = build(copy_site(SITES / "minimal", tmp_path / "site"), pdf=False)
    tech = etree.parse(str(result.out_dir / "en/tags/tech/feed.xml")).getroot()
    assert [entry.findtext(f"{ATOM}title") for entry in tech.findall(f"{ATOM}entry")] == ["Hello"]
    news = etree.parse(str(result.out_dir / "en/tags/news/feed.xml")).getroot()
    assert len(news.findall(f"{ATOM}entry")) == 2
    tag_page = html.fromstring((result.out_dir / "en/tags/tech/index.html").read_bytes())
    assert tag_page.xpath("//link[@type='application/atom+xml']/@href")[-1] == "feed.xml"


def test_links_and_images_in_a_feed_entry_lead_to_the_posts_files(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/fa.md"
    post.write_text(
        post.read_text() + "\n![عکس تظاهرات](photo.png)\n\n"
        "[خانه](../../) و [درباره](../../about/)\n"
    )
    (post.parent / "photo.png").write_bytes(PNG)
    result = build(site, pdf=False)
    for path in (result.out_dir / "fa/feed.xml", result.out_dir / "fa/tags/news/feed.xml"):
        entry = feedparser.parse(path.read_bytes()).entries[0]
        body = html.fromstring(entry.content[0].value)
        targets = body.xpath("//img/@src") + body.xpath("//a/@href")
        assert targets == [
            "https://minimal.example/fa/posts/hello/photo.png",
            "https://minimal.example/fa/",
            "https://minimal.example/fa/about/",
        ], path
        assert local(result, targets[0]).is_file()


def test_feeds_link_their_translations(built_example: BuildResult) -> None:
    fa = etree.parse(str(built_example.out_dir / "fa/feed.xml")).getroot()
    links = {
        (link.get("rel"), link.get("type"), link.get("hreflang")): link.get("href")
        for link in fa.findall(f"{ATOM}link")
    }
    assert links[("alternate", "application/atom+xml", "en")] == "https://example.org/en/feed.xml"
    entry = fa.find(f"{ATOM}entry")
    hreflangs = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert hreflangs == {
        "fa": "https://example.org/fa/posts/2010-01-20-the-only-way-forward/",
        "en": "https://example.org/en/posts/2010-01-20-the-only-way-forward/",
    }


def sitemap_urls(result: BuildResult) -> dict[str, dict[str, str]]:
    root = etree.parse(str(result.out_dir / "sitemap.xml")).getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_every_page_with_its_alternates(built_example: BuildResult) -> None:
    out = built_example.out_dir
    listed = sitemap_urls(built_example)
    pages = {
        path.relative_to(out).as_posix()
        for path in out.rglob("index.html")
        if path.parent != out and path.relative_to(out).parts[1] != "search"
    }
    assert {local(built_example, url).relative_to(out).as_posix() for url in listed} == pages
    for url, alternates in listed.items():
        assert url in alternates.values(), url  # every page lists itself among its versions
        assert "x-default" in alternates
        for lang, href in alternates.items():
            assert local(built_example, href).is_file(), href
            if lang != "x-default":
                assert sitemap_urls(built_example)[href] == alternates  # both ways
    post = listed["https://example.org/fa/posts/2010-01-20-the-only-way-forward/"]
    assert post == {
        "en": "https://example.org/en/posts/2010-01-20-the-only-way-forward/",
        "fa": "https://example.org/fa/posts/2010-01-20-the-only-way-forward/",
        "x-default": "https://example.org/en/posts/2010-01-20-the-only-way-forward/",
    }


def test_sitemap_lists_a_translation_only_page_with_its_own_language(tmp_path: Path) -> None:
    result = build(copy_site(SITES / "minimal", tmp_path / "site"), pdf=False)
    older = sitemap_urls(result)["https://minimal.example/en/posts/older/"]
    assert older == {
        "en": "https://minimal.example/en/posts/older/",
        "x-default": "https://minimal.example/en/posts/older/",
    }


def test_robots_txt_points_at_the_sitemap(built_example: BuildResult) -> None:
    robots = (built_example.out_dir / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert "Sitemap: https://example.org/sitemap.xml" in robots.splitlines()


def test_every_page_has_one_canonical_link_to_itself(built_example: BuildResult) -> None:
    out = built_example.out_dir
    for path in out.rglob("*.html"):
        canonical = html.fromstring(path.read_bytes()).xpath("//link[@rel='canonical']/@href")
        assert len(canonical) == 1, path
        if path.parent != out:
            assert local(built_example, canonical[0]) == path, path


def test_head_alternates_match_the_sitemap(built_example: BuildResult) -> None:
    listed = sitemap_urls(built_example)
    for url, alternates in listed.items():
        page = html.fromstring(local(built_example, url).read_bytes())
        head = {
            link.get("hreflang"): link.get("href")
            for link in page.xpath("//head/link[@rel='alternate'][@hreflang]")
        }
        assert head == alternates, url


@pytest.mark.parametrize("allow_html", [False, True])
def test_code_blocks_take_focus_and_are_labelled(tmp_path: Path, allow_html: bool) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    if allow_html:
        (site / "bilingual.toml").write_text(
            (site / "bilingual.toml").read_text() + "\n[content]\nallow_html = true\n"
        )
    for lang in ("en", "fa"):
        post = site / f"content/posts/hello/{lang}.md"
        post.write_text(
            post.read_text()
            + "\n\n```\n"
            + "x = 1  # "
            + "long " * 60
            + "\n```\n"
            # as a WordPress import writes one
            + "\n<pre>y = 2  # "
            + "long " * 60
            + "</pre>\n"
        )
    result = build(site, pdf=False)
    for lang, label in (("en", "Code"), ("fa", "کد")):
        page = html.fromstring((result.out_dir / f"{lang}/posts/hello/index.html").read_bytes())
        blocks = page.xpath("//div[@class='entry-body']//pre")
        assert len(blocks) == (2 if allow_html else 1)  # else the <pre> is shown as text
        for pre in blocks:
            assert (pre.get("tabindex"), pre.get("role"), pre.get("aria-label")) == (
                "0",
                "group",
                label,
            )


def test_an_impossible_time_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/en.md"
    post.write_text(post.read_text().replace("date: 2024-03-20", "date: 2024-03-20T25:10:00+03:30"))
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    assert (
        f"{post}:3: no such date and time '2024-03-20T25:10:00+03:30': hour must be in 0..23"
        in str(caught.value)
    )


def test_a_new_updated_date_reaches_the_sitemap_of_the_next_build(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/hello/en.md"
    text = post.read_text("utf-8")
    stamps = []
    for updated in ("2024-04-02T18:00:00Z", "2024-05-09T07:30:00Z"):
        post.write_text(text.replace("date: 2024-03-20", f"date: 2024-03-20\nupdated: {updated}"))
        result = build(site, pdf=False, jobs=1)
        sitemap = etree.parse(str(result.out_dir / "sitemap.xml")).getroot()
        stamps.append(
            [
                url.findtext(f"{SITEMAP}lastmod")
                for url in sitemap.findall(f"{SITEMAP}url")
                if url.findtext(f"{SITEMAP}loc").endswith("/en/posts/hello/")
            ]
        )
    assert stamps == [["2024-04-02T18:00:00Z"], ["2024-05-09T07:30:00Z"]]


def test_an_ampersand_in_the_base_url_leaves_sitemap_and_feeds_well_formed(
    tmp_path: Path,
) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    config = site / "bilingual.toml"
    text = config.read_text("utf-8")
    base = re.search(r'base_url = "([^"]+)"', text)
    assert base is not None
    config.write_text(text.replace(base.group(1), "https://example.org/news&views/"), "utf-8")
    result = build(site, pdf=False, jobs=1)
    sitemap = etree.parse(str(result.out_dir / "sitemap.xml")).getroot()
    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap.findall(f"{SITEMAP}url")]
    assert locations and all(
        location.startswith("https://example.org/news&views/") for location in locations
    )
    for feed in feeds(result):
        assert (
            etree.parse(str(feed))
            .getroot()
            .findtext(f"{ATOM}id")
            .startswith("https://example.org/news&views/")
        )


def test_the_sitemap_holds_nothing_but_its_elements(built_example: BuildResult) -> None:
    """The sitemaps.org schema allows no text between elements: only the leaves hold text."""
    sitemap = etree.parse(str(built_example.out_dir / "sitemap.xml")).getroot()
    for element in sitemap.iter():
        assert not (element.tail or "").strip(), element.tag
        if len(element):
            assert not (element.text or "").strip(), element.tag
