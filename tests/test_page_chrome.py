"""What every page carries around its content: search form, menu, language links, x-default."""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

from lxml import html

from bilingual import BuildResult, build
from conftest import EXAMPLE, ROOT, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site

BILINGUAL_POST = "2010-01-20-the-only-way-forward"
ENGLISH_ONLY_POST = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"


def pages(out: Path, lang: str) -> dict[str, html.HtmlElement]:
    """Every HTML page of ``lang``, by path, parsed."""
    return {
        path.relative_to(out).as_posix(): html.fromstring(path.read_bytes())
        for path in sorted((out / lang).rglob("*.html"))
    }


def target(page: str, href: str) -> str:
    """Where a relative link of the page at ``page`` leads, as a file in the output."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
    return f"{path}/index.html" if href.endswith(("/", "./", "..")) else path


def test_every_page_searches_its_own_language(built_example: BuildResult) -> None:
    for lang in ("en", "fa"):
        for path, doc in pages(built_example.out_dir, lang).items():
            forms = doc.cssselect("form.site-search")
            if path == f"{lang}/search/index.html":  # it has its own form
                assert not forms
                continue
            assert len(forms) == 1, path
            assert target(path, forms[0].get("action")) == f"{lang}/search/index.html", path


def test_without_search_no_page_offers_it(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    with (site / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nenabled = false\n")
    out = build(site, pdf=False, jobs=1).out_dir
    assert not any(doc.cssselect("form.site-search") for doc in pages(out, "fa").values())


def test_the_menu_leads_to_home_pages_tags_and_feed_in_the_pages_language(
    built_example: BuildResult,
) -> None:
    for lang in ("en", "fa"):
        menu = [
            f"{lang}/index.html",
            f"{lang}/brave-women-of-iran/index.html",
            f"{lang}/tags/index.html",
            f"{lang}/feed.xml",
        ]
        for path, doc in pages(built_example.out_dir, lang).items():
            links = [target(path, a.get("href")) for a in doc.cssselect("nav.site-nav a")]
            assert links == menu, path


def test_the_menu_lists_only_the_pages_written_in_its_language(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    (site / "content/pages/brave-women-of-iran/fa.md").unlink()
    out = build(site, pdf=False, jobs=1).out_dir
    for lang, shown in (("en", True), ("fa", False)):
        doc = html.fromstring((out / lang / "index.html").read_bytes())
        links = [a.get("href") for a in doc.cssselect("nav.site-nav a")]
        assert any("brave-women-of-iran" in href for href in links) is shown, lang


def test_a_site_without_tags_has_no_tags_link(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    for post in (site / "content/posts").rglob("*.md"):
        text = post.read_text("utf-8")
        post.write_text(re.sub(r"(?m)^tags:.*\n", "", text), "utf-8")
    out = build(site, pdf=False, jobs=1).out_dir
    assert not (out / "en/tags").exists()
    for path, doc in pages(out, "en").items():
        labels = [a.text_content() for a in doc.cssselect("nav.site-nav a")]
        assert "Tags" not in labels, path


def test_x_default_is_the_default_languages_page_whatever_the_languages_order(
    tmp_path: Path,
) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    config = site / "bilingual.toml"
    config.write_text(
        config.read_text("utf-8").replace('languages = ["en", "fa"]', 'languages = ["fa", "en"]'),
        "utf-8",
    )
    out = build(site, pdf=False, jobs=1).out_dir
    expected = f"https://example.org/en/posts/{BILINGUAL_POST}/"
    for lang in ("en", "fa"):
        doc = html.fromstring((out / f"{lang}/posts/{BILINGUAL_POST}/index.html").read_bytes())
        [x_default] = doc.xpath('//link[@rel="alternate"][@hreflang="x-default"]')
        assert x_default.get("href") in (expected, expected + "index.html")


def test_a_new_translation_rewrites_the_page_that_will_link_to_it(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    build(site, pdf=False, jobs=1)
    english = f"en/posts/{ENGLISH_ONLY_POST}/index.html"
    (site / "content/posts" / ENGLISH_ONLY_POST / "fa.md").write_text(
        '---\ntitle: "حیدری: چرا دیپلمات‌ها با حکومت مخالف‌اند"\n---\n\n'
        "محمدرضا حیدری می‌گوید دیپلمات‌های بیشتری کناره خواهند گرفت.\n",
        "utf-8",
    )
    result = build(site, pdf=False, jobs=1)
    assert english in result.rendered
    doc = html.fromstring((site / "_site" / english).read_bytes())
    [persian] = doc.cssselect('nav.language-switcher a[hreflang="fa"]')
    assert persian.get("data-translation") == "available"
    assert target(english, persian.get("href")) == f"fa/posts/{ENGLISH_ONLY_POST}/index.html"


def test_a_tags_first_post_in_a_language_rewrites_the_tag_page_that_will_link_to_it(
    tmp_path: Path,
) -> None:
    """Only English posts had the tag: a Persian-only post gives it a Persian page, which
    changes no English post, only the English tag page's language links."""
    site = copy_site(EXAMPLE, tmp_path / "site")
    build(site, pdf=False, jobs=1)
    post = site / "content/posts/2010-03-01-students-in-tehran"
    post.mkdir()
    (post / "fa.md").write_text(
        "---\ntitle: دانشجویان تهران\ndate: 2010-03-01\ntags: [iranian-university-protests]\n"
        "---\n\nدانشجویان دانشگاه تهران بار دیگر به خیابان آمدند.\n",
        "utf-8",
    )
    result = build(site, pdf=False, jobs=1)
    english = "en/tags/iranian-university-protests/index.html"
    assert english in result.rendered
    doc = html.fromstring((site / "_site" / english).read_bytes())
    [persian] = doc.cssselect('nav.language-switcher a[hreflang="fa"]')
    assert persian.get("data-translation") == "available"
    assert target(english, persian.get("href")) == "fa/tags/iranian-university-protests/index.html"


def test_home_pages_link_to_the_newer_and_older_ones_in_their_language(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", posts=25, words=40, search=False)  # ten to a page
    out = build(site, pdf=False, jobs=1).out_dir
    for lang in ("en", "fa"):
        homes = [f"{lang}/index.html", f"{lang}/page/2/index.html", f"{lang}/page/3/index.html"]
        assert not (out / lang / "page/4").exists()
        for number, path in enumerate(homes, start=1):
            doc = html.fromstring((out / path).read_bytes())
            [nav] = doc.cssselect("nav.pagination")
            newer = [target(path, a.get("href")) for a in nav.cssselect('a[rel="prev"]')]
            older = [target(path, a.get("href")) for a in nav.cssselect('a[rel="next"]')]
            assert newer == homes[number - 2 : number - 1], path
            assert older == homes[number : number + 1], path
            assert len(doc.cssselect(".post-list > *")) == (10 if number < 3 else 5), path
