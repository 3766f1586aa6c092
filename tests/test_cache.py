"""The build cache: each kind of input rebuilds exactly the outputs that use it, nothing more.

Every test edits one input of a built site, builds again and checks three things: the files
rendered again are exactly those expected, every other file is untouched (same inode, same
time stamp), and the result is byte-identical to a build from scratch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual import build, load_site
from bilingual.errors import OutputError
from bilingual.publish.cache import CACHE_DIR
from bilingual.site.resources import locales_dir
from conftest import ROOT, SITES, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site

Snapshot = dict[str, tuple[str, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file: content hash, inode and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            status = path.stat()
            found[path.relative_to(folder).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                status.st_ino,
                status.st_mtime_ns,
            )
    return found


def touched(before: Snapshot, after: Snapshot) -> set[str]:
    """Files added, removed, or not the same file as before."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def contents(shot: Snapshot) -> dict[str, str]:
    return {path: digest for path, (digest, _, _) in shot.items()}


def assert_like_a_clean_build(site: Path, tmp_path: Path, pdf: bool = False) -> None:
    fresh = build(site, tmp_path / "fresh", pdf=pdf, jobs=1, clean=True)
    assert contents(snapshot(site / "_site")) == contents(snapshot(fresh.out_dir))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """25 posts in English and Persian (3 home pages per language), built once, HTML only."""
    site = write_site(tmp_path / "site", posts=25, words=80)
    build(site, pdf=False, jobs=1)
    return site


def rebuild(site: Path, **options: object) -> tuple[set[str], set[str]]:
    """Build again: (files touched in _site, outputs the build says it rendered)."""
    before = snapshot(site / "_site")
    result = build(site, pdf=options.pop("pdf", False), jobs=options.pop("jobs", 1), **options)  # type: ignore[arg-type]
    return touched(before, snapshot(site / "_site")), set(result.rendered)


def without_search(paths: set[str], lang: str | None = None) -> set[str]:
    """``paths`` less the search bundles' files (Pagefind names them): all in ``lang``'s if given."""
    bundles = {path for path in paths if "/pagefind/" in path}
    assert lang is None or all(path.startswith(f"{lang}/pagefind/") for path in bundles), bundles
    return paths - bundles


def tag_feeds(site_root: Path, slug: str, lang: str) -> set[str]:
    return {f"{lang}/tags/{tag.key}/feed.xml" for tag in load_site(site_root).entry(slug).tags}


def listing_pages(site_root: Path, slug: str, lang: str) -> set[str]:
    """The pages of ``lang`` that list the post ``slug``: home page, tag pages, the feed."""
    site = load_site(site_root)
    posts = site.posts_in(lang)
    position = [post.slug for post in posts].index(slug)
    page = position // site.config.site.posts_per_page + 1
    home = f"{lang}/index.html" if page == 1 else f"{lang}/page/{page}/index.html"
    post = site.entry(slug)
    tags = {f"{lang}/tags/{tag.key}/index.html" for tag in post.tags}
    feed = {f"{lang}/feed.xml"} if position < 20 else set()
    return {home} | tags | feed | tag_feeds(site_root, slug, lang)


def test_nothing_changed_writes_nothing(synthetic: Path) -> None:
    before = snapshot(synthetic / "_site")
    parent_before = sorted(p.name for p in synthetic.iterdir())
    result = build(synthetic, pdf=False)
    assert snapshot(synthetic / "_site") == before
    assert sorted(p.name for p in synthetic.iterdir()) == parent_before
    assert result.rendered == frozenset() and result.written == frozenset()
    assert result.count("post") == 50 and result.site.posts


def test_a_persian_body_rewrites_that_post_and_the_pages_listing_it(
    synthetic: Path, tmp_path: Path
) -> None:
    edit(synthetic / "content/posts/post-00020/fa.md", "\n\n", "\n\nیک جملهٔ تازه.\n\n")
    changed, rendered = rebuild(synthetic)
    expected = {"fa/posts/post-00020/index.html"} | listing_pages(synthetic, "post-00020", "fa")
    assert without_search(rendered, "fa") == expected
    # The lists show no body: rendered again, they come out the same and keep their file.
    assert without_search(changed, "fa") == {
        "fa/posts/post-00020/index.html",
        "fa/feed.xml",
    } | tag_feeds(synthetic, "post-00020", "fa") | {"manifest.json"}
    assert any("/pagefind/" in path for path in changed)  # the search index knows the text
    assert_like_a_clean_build(synthetic, tmp_path)


def test_an_english_title_also_rewrites_its_card_and_the_persian_switcher_does_not_change(
    synthetic: Path, tmp_path: Path
) -> None:
    edit(synthetic / "content/posts/post-00003/en.md", "title: Report 3", "title: Account 3")
    changed, rendered = rebuild(synthetic)
    expected = {"en/posts/post-00003/index.html", "en/posts/post-00003/card.png"} | listing_pages(
        synthetic, "post-00003", "en"
    )
    assert without_search(rendered, "en") == expected
    # The manifest lists the search bundle's files, named after their content.
    assert without_search(changed, "en") == expected | {"manifest.json"}
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_tag_label_rewrites_the_pages_showing_it_in_that_language(
    synthetic: Path, tmp_path: Path
) -> None:
    edit(synthetic / "content/tags.yaml", "fa: موضوع 4\n", "fa: موضوع چهار\n")
    changed, rendered = rebuild(synthetic)
    site = load_site(synthetic)
    tag = site.tags["topic-4"]
    tagged = {post.slug for post in site.tagged(tag, "fa")}
    expected = {f"fa/posts/{slug}/index.html" for slug in tagged}
    for slug in tagged:
        expected |= listing_pages(synthetic, slug, "fa")
    expected |= {"fa/tags/index.html", "fa/tags/topic-4/index.html"}
    assert rendered == expected
    # The lists show posts without their tags: they come out the same; feeds name the tags.
    feeds = {path for path in expected if path.endswith("feed.xml")}
    assert changed == (
        {f"fa/posts/{slug}/index.html" for slug in tagged}
        | feeds
        | {"fa/tags/index.html", "fa/tags/topic-4/index.html"}
    )
    assert "موضوع چهار" in (synthetic / "_site/fa/tags/index.html").read_text(encoding="utf-8")
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_template_rewrites_the_pages_made_from_it(synthetic: Path, tmp_path: Path) -> None:
    own = synthetic / "templates"
    own.mkdir()
    shutil.copy(ROOT / "templates/tag.html", own / "tag.html")
    edit(own / "tag.html", '<header class="list-header">', '<header class="list-header tagged">')
    changed, rendered = rebuild(synthetic)
    expected = {
        path
        for path in snapshot(synthetic / "_site")
        if "/tags/topic-" in path and path.endswith("index.html")
    }
    assert len(expected) == 24
    assert rendered == expected
    assert changed == expected
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_template_edited_again_between_builds_of_one_process_is_read_again(
    synthetic: Path, tmp_path: Path
) -> None:
    own = synthetic / "templates"
    own.mkdir()
    shutil.copy(ROOT / "templates/tag.html", own / "tag.html")
    edit(own / "tag.html", '<header class="list-header">', '<header class="list-header one">')
    rebuild(synthetic)
    edit(own / "tag.html", '<header class="list-header one">', '<header class="list-header two">')
    changed, rendered = rebuild(synthetic)
    assert changed == rendered
    assert len(rendered) == 24
    page = (synthetic / "_site/en/tags/topic-4/index.html").read_text(encoding="utf-8")
    assert '<header class="list-header two">' in page
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_template_every_page_imports_rewrites_every_page(synthetic: Path) -> None:
    own = synthetic / "templates"
    own.mkdir()
    shutil.copy(ROOT / "templates/_macros.html", own / "_macros.html")
    edit(own / "_macros.html", '<article class="post-summary">', '<article class="post-summary x">')
    changed, rendered = rebuild(synthetic)
    pages = {path for path in snapshot(synthetic / "_site") if path.endswith(".html")}
    assert rendered == pages
    # Only the lists show post summaries: the other pages come out the same and keep their file.
    assert changed == {
        path
        for path in pages
        if "/posts/" not in path
        and path != "index.html"
        and not path.endswith(("/tags/index.html", "/search/index.html"))
    }


def test_the_stylesheet_rewrites_only_itself(synthetic: Path, tmp_path: Path) -> None:
    own = synthetic / "templates/static"
    own.mkdir(parents=True)
    shutil.copy(ROOT / "templates/static/style.css", own / "style.css")
    with (own / "style.css").open("a", encoding="utf-8") as handle:
        handle.write("\n.tagged { color: green; }\n")
    changed, rendered = rebuild(synthetic)
    assert rendered == {"static/style.css"}
    assert changed == {"static/style.css"}
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_catalog_rewrites_the_pages_of_its_language(synthetic: Path, tmp_path: Path) -> None:
    catalog = synthetic / "locales/fa/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    text = (locales_dir() / "fa/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    start = text.index('msgid "Read more"')
    msgstr = text.index("msgstr", start)
    end = text.index("\n", msgstr)
    catalog.write_text(text[:msgstr] + 'msgstr "بیشتر بخوانید"' + text[end:], encoding="utf-8")
    changed, rendered = rebuild(synthetic)
    persian = without_search(
        {
            path
            for path in snapshot(synthetic / "_site")
            if path.startswith("fa/") and not path.endswith(".png")
        }
    )
    assert rendered == persian
    # "Read more" is only on the lists; the other pages come out the same.
    assert changed == {
        path
        for path in persian
        if "/posts/" not in path
        and not path.endswith(("feed.xml", "/search/index.html"))
        and path != "fa/tags/index.html"
    }
    assert "بیشتر بخوانید" in (synthetic / "_site/fa/index.html").read_text(encoding="utf-8")
    assert_like_a_clean_build(synthetic, tmp_path)


def test_the_config_rewrites_every_page_and_card(synthetic: Path, tmp_path: Path) -> None:
    edit(synthetic / "bilingual.toml", 'fa = "خبرهای ساختگی"', 'fa = "خبرهای ساختگی تازه"')
    changed, rendered = rebuild(synthetic)
    everything = without_search(
        {
            path
            for path in snapshot(synthetic / "_site")
            if not path.startswith("static/") and path != "manifest.json"
        }
    )
    assert rendered == everything
    assert {path for path in changed if path.startswith("fa/")} == {
        path for path in everything if path.startswith("fa/")
    }
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_hand_edited_output_is_repaired(synthetic: Path, tmp_path: Path) -> None:
    page = synthetic / "_site/en/posts/post-00007/index.html"
    page.write_text("defaced", encoding="utf-8")
    (synthetic / "_site/fa/feed.xml").unlink()
    changed, rendered = rebuild(synthetic)
    assert rendered == {"en/posts/post-00007/index.html", "fa/feed.xml"}
    assert changed == rendered
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_file_the_build_did_not_write_is_never_removed(synthetic: Path) -> None:
    stray = synthetic / "_site/en/extra.html"
    stray.write_text("stray", encoding="utf-8")
    before = snapshot(synthetic / "_site")
    with pytest.raises(OutputError, match=r"did not write \(en/extra.html\)"):
        build(synthetic, pdf=False, jobs=1)
    assert snapshot(synthetic / "_site") == before
    stray.unlink()
    changed, rendered = rebuild(synthetic)
    assert changed == rendered == set()


def test_clean_renders_everything(synthetic: Path, tmp_path: Path) -> None:
    before = snapshot(synthetic / "_site")
    result = build(synthetic, pdf=False, jobs=1, clean=True)
    assert result.rendered == {output.path for output in result.outputs}
    after = snapshot(synthetic / "_site")
    assert contents(after) == contents(before)
    assert all(after[path][1] != before[path][1] for path in after if path != "manifest.json")


def test_a_new_post_and_a_removed_post(synthetic: Path, tmp_path: Path) -> None:
    shutil.rmtree(synthetic / "content/posts/post-00010")
    changed, rendered = rebuild(synthetic)
    assert not (synthetic / "_site/en/posts/post-00010").exists()
    assert "manifest.json" in changed
    assert_like_a_clean_build(synthetic, tmp_path)
    write_site(synthetic, posts=26, words=80)  # adds post-00025, rewrites the others unchanged
    changed, rendered = rebuild(synthetic)
    assert "en/posts/post-00025/index.html" in rendered
    assert "en/posts/post-00024/index.html" not in changed
    assert_like_a_clean_build(synthetic, tmp_path)


def test_a_killed_build_then_a_build_gives_the_right_output(
    synthetic: Path, tmp_path: Path
) -> None:
    """The folder a killed build left is taken up by the next one and checked file by file."""
    edit(synthetic / "content/posts/post-00001/fa.md", "\n\n", "\n\nجملهٔ دیگر.\n\n")
    code = (
        "import os, bilingual.publish.executors as e\n"
        "real = e.Work.render_into_staging\n"
        "def dying(self, index):\n"
        "    os.kill(os.getpid(), 9)\n"
        "e.Work.render_into_staging = dying\n"
        f"from bilingual import build\nbuild({str(synthetic)!r}, pdf=False, jobs=1)\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert process.returncode == -9
    assert any(p.name.startswith(".staging-") for p in synthetic.iterdir())
    _, rendered = rebuild(synthetic)
    assert "fa/posts/post-00001/index.html" in rendered
    assert not any(p.name.startswith((".staging-", ".retired-")) for p in synthetic.iterdir())
    assert_like_a_clean_build(synthetic, tmp_path)


@pytest.mark.slow
def test_pdfs_follow_the_print_templates_and_nothing_else(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    build(site, pdf=True, jobs=1)
    pdfs = {path for path in snapshot(site / "_site") if path.endswith(".pdf")}
    assert pdfs

    edit(site / "content/posts/hello/en.md", "---\n\n", "---\n\nA new first line.\n\n")
    changed, rendered = rebuild(site, pdf=True)
    assert {path for path in rendered if path.endswith(".pdf")} == {"en/posts/hello/hello.en.pdf"}

    own = site / "templates/print"
    own.mkdir(parents=True)
    shutil.copy(ROOT / "templates/print/print.css", own / "print.css")
    with (own / "print.css").open("a", encoding="utf-8") as handle:
        handle.write("\nh1 { letter-spacing: 0.01em; }\n")
    changed, rendered = rebuild(site, pdf=True)
    assert rendered == pdfs
    assert changed == pdfs

    shutil.copy(ROOT / "templates/print/post.html", own / "post.html")
    edit(own / "post.html", "<body", "<body data-edition")
    changed, rendered = rebuild(site, pdf=True)
    assert rendered == pdfs

    edit(site / "bilingual.toml", "[site.motto]", '[pdf]\nfont_size = "11pt"\n\n[site.motto]')
    changed, rendered = rebuild(site, pdf=True)
    assert rendered == pdfs
    assert_like_a_clean_build(site, tmp_path, pdf=True)


def test_the_cache_is_json_and_stays_in_its_folder(synthetic: Path) -> None:
    folder = synthetic / CACHE_DIR
    names = sorted(os.listdir(folder))
    assert "documents.json" in names and any(n.startswith("build-") for n in names)
    for name in names:
        if name.endswith(".json"):
            assert (folder / name).read_bytes().startswith(b"{")


def test_a_change_that_keeps_size_and_time_is_seen(synthetic: Path) -> None:
    """Time stamps are coarse: a file changed again within the same tick keeps its stat. A file
    modified just before a build looked at it is compared by content by the next build."""
    post = synthetic / "content/posts/post-00002/fa.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text + "\nیک.\n", encoding="utf-8")
    build(synthetic, pdf=False, jobs=1)
    status = post.stat()
    post.write_text(text + "\nدو.\n", encoding="utf-8")  # the same number of bytes
    os.utime(post, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert post.stat().st_size == status.st_size
    build(synthetic, pdf=False, jobs=1)
    page = (synthetic / "_site/fa/posts/post-00002/index.html").read_text(encoding="utf-8")
    assert "دو." in page and "یک." not in page
