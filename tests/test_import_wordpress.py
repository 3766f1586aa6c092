"""Importing WordPress exports: every WXR shape, statuses, content, media, comments, reports, safety."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree, html
from PIL import Image

from bilingual import build
from bilingual.cli import cli
from bilingual.errors import BilingualError
from bilingual.importers import ExportError
from bilingual.importers.markdown import to_markdown
from bilingual.importers.wordpress import import_wordpress
from bilingual.importers.wxr import read_export
from bilingual.site.frontmatter import parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPORT = FIXTURES / "wordpress-export.xml"  # Polylang, English and Persian, WXR 1.2
WORDPRESS_COM = FIXTURES / "wordpress-com.xml"  # https namespace, atom:, control characters...
CONFIG = """[site]
base_url = "https://example.org/"
languages = ["en", "fa"]
default_language = "en"

[site.title]
en = "Democratic Republic of Iran"
fa = "جمهوری دموکراتیک ایران"
"""
TAGS = "# Tags kept by hand.\niran:\n  en: iran\n  fa: ایران\n"
PERSIAN_SLUG = "تنها-راه-پیش-رو"
POEM_SLUG = "شب‌های-اسلو"
KNOWN_SHORTCODES = re.compile(r"\[/?(caption|gallery|audio|video|embed|youtube|code|sourcecode)\b")


def make_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "bilingual.toml").write_text(CONFIG, "utf-8")
    (root / "content" / "tags.yaml").write_text(TAGS, "utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def variant(tmp_path: Path, *replacements: tuple[str, str], source: Path = EXPORT) -> Path:
    """A fixture with some of its XML rewritten by regular expressions."""
    text = source.read_bytes().decode("utf-8")
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, pattern
    path = tmp_path / "variant.xml"
    path.write_bytes(text.encode("utf-8"))
    return path


WITHOUT_POLYLANG = (
    (r'\s*<category domain="(language|post_translations)"[^>]*>.*?</category>', ""),
    (r"(?s)\s*<wp:term>.*?</wp:term>", ""),
)


def post(site: Path, slug: str, lang: str, section: str = "posts"):
    return parse_document(site / "content" / section / slug / f"{lang}.md")


def tags(site: Path) -> dict:
    return yaml.safe_load((site / "content" / "tags.yaml").read_text("utf-8"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def page(out: Path, path: str):
    return html.fromstring((out / path).read_bytes())


def uploads(folder: Path) -> Path:
    """A copy of wp-content/uploads with real image files (no 300x200 copy of heidari.jpg)."""
    for name, size, colour in (
        ("heidari.jpg", (600, 400), "#2d6a4f"),
        ("gate.jpg", (400, 300), "#adb5bd"),
        ("flag.png", (300, 200), "#1b4332"),
    ):
        path = folder / "2010" / "01" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, colour).save(path)
    return folder


@pytest.fixture(scope="module")
def wordpress_com(tmp_path_factory: pytest.TempPathFactory):
    """The WordPress.com export imported with its uploads, and the site built."""
    root = tmp_path_factory.mktemp("com")
    site = make_site(root / "site")
    report = import_wordpress(WORDPRESS_COM, site, media=uploads(root / "uploads"))
    result = build(site, pdf=False)
    return site, report, result.out_dir


# ----- reading every kind of export


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_every_wxr_version_and_namespace_is_read(
    site: Path, tmp_path: Path, namespace: str
) -> None:
    export = variant(tmp_path, (r"http://wordpress\.org/export/1\.2/", namespace))
    report = import_wordpress(export, site)
    assert (report.count("post"), report.count("page")) == (2, 1)
    assert post(site, "the-only-way-forward", "en").meta["summary"] == (
        "Why more diplomats will leave – in his words."
    )


def test_wxr_1_0_shapes_without_authors_and_with_tag_domain(site: Path, tmp_path: Path) -> None:
    export = variant(
        tmp_path,
        (r"http://wordpress\.org/export/1\.2/", "http://wordpress.org/export/1.0/"),
        (r"(?s)\s*<wp:author>.*?</wp:author>", ""),
        (r'domain="post_tag"', 'domain="tag"'),
        *WITHOUT_POLYLANG,
    )
    import_wordpress(export, site)
    english = post(site, "the-only-way-forward", "en")
    assert english.meta["author"] == "desk"  # no display names in WXR 1.0: the login
    assert english.meta["tags"] == ["iran-news", "reza-heidari"]


def test_a_wordpress_com_export_with_its_defects_is_read(wordpress_com) -> None:
    site, report, _ = wordpress_com
    assert post(site, "the-consul-resigns", "en").meta["title"] == "The consul resigns in Oslo"
    assert "\x1f" not in (site / "content/posts/the-consul-resigns/en.md").read_text("utf-8")
    assert any("declared the namespace prefix atom:" in note for note in report.notes)
    assert any(
        "dropped control characters" in note and "lines 38, 44" in note for note in report.notes
    )


def test_no_item_is_lost_silently(wordpress_com) -> None:
    _, report, _ = wordpress_com
    items = WORDPRESS_COM.read_bytes().count(b"<item>")
    accounted = [entry.origin for entry in report.entries] + [what for what, _ in report.skipped]
    assert len(accounted) == items == 18
    skipped = dict(report.skipped)
    assert skipped["post 101 'Diplomats in exile: a second statement'"].startswith(
        "a copy of the item at line "
    )
    assert skipped["post 109 'An old mistake'"] == "in the trash"
    assert skipped["nav_menu_item 300 'Home'"] == "not a post or page (nav_menu_item)"
    second = next(e for e in report.entries if e.slug == "second-statement")
    assert second.warnings == [
        ("shares wp:post_id 101 with the item at line 37; imported as a post of its own")
    ]


# ----- nothing unpublished is published


def test_only_published_items_are_published(wordpress_com) -> None:
    site, report, out = wordpress_com
    drafted = {entry.slug: entry.warnings for entry in report.entries if entry.draft}
    assert drafted == {
        "brussels-interview": ["imported as a draft: scheduled for 2031-05-01 10:00 in WordPress"],
        "desk-notes": ["imported as a draft: private in WordPress"],
        "members": ["imported as a draft: password-protected in WordPress"],
        "2010-02-08-107": ["imported as a draft: a draft in WordPress"],
        "guest-post": ["imported as a draft: pending review in WordPress"],
    }
    for slug in drafted:
        assert post(site, slug, "en").meta["draft"] is True
        assert not (out / "en/posts" / slug).exists()
    published = b"".join(
        data for name, data in files_under(out).items() if name.endswith((".html", ".xml", ".json"))
    )
    for secret in (
        b"Brussels interview",
        b"Private phone numbers",
        b"Signatories",
        b"guest post",
        b"old mistake",
    ):
        assert secret not in published


# ----- content


def test_images_shortcodes_and_media_become_html_that_shows(wordpress_com) -> None:
    _, report, out = wordpress_com
    doc = page(out, "en/posts/the-consul-resigns/index.html")
    body = doc.cssselect(".entry-body")[0]
    assert KNOWN_SHORTCODES.findall(body.text_content()) == ["caption"]  # the [[caption]]
    figure = body.cssselect("figure.alignright")[0]
    assert (
        figure.cssselect("figcaption")[0].text_content() == "Heidari at the embassy, January 2010"
    )
    image = figure.cssselect("img")[0]
    assert (image.get("src"), image.get("alt"), image.get("width")) == (
        "heidari.jpg",
        "Reza Heidari at the embassy",
        "300",
    )
    gallery = body.cssselect("div.gallery img")
    assert [img.get("src") for img in gallery] == ["heidari.jpg", "gate.jpg", "flag.png"]
    assert [img.get("alt") for img in gallery][1] == "The embassy gate in the snow"
    for img in body.iter("img"):  # every image is there, beside the page
        assert (out / "en/posts/the-consul-resigns" / img.get("src")).is_file()
    audio, video = body.cssselect("audio")[0], body.cssselect("video")[0]
    assert audio.get("src").endswith("statement.mp3") and video.get("poster").endswith("press.jpg")
    links = [a.get("href") for a in body.iter("a")]
    assert "https://www.youtube.com/watch?v=oslo2010" in links
    assert "https://www.youtube.com/watch?v=embassy" in links
    code = body.cssselect("pre code")
    assert code[0].get("class") == "language-python"
    assert code[0].text_content() == (
        'def resign(consul):\n    return consul.name + " & family < 3"\n'
    )
    assert code[1].get("class") == "language-bash"
    assert "[caption] is how a caption starts" in body.text_content()
    consul = next(e for e in report.entries if e.slug == "the-consul-resigns")
    assert consul.shortcodes_left == ["[contact-form]", "[contact-field]", "[polldaddy]"]
    assert consul.media_copied == ["heidari.jpg", "gate.jpg", "flag.png"]
    assert sorted(consul.media_missing) == [
        "https://greenembassy.files.wordpress.com/2010/01/press.jpg",
        "https://greenembassy.files.wordpress.com/2010/01/press.mp4",
        "https://greenembassy.files.wordpress.com/2010/01/statement.mp3",
    ]


def test_inline_semantics_definition_lists_and_tables_are_kept(wordpress_com) -> None:
    _, _, out = wordpress_com
    body = page(out, "en/posts/the-consul-resigns/index.html").cssselect(".entry-body")[0]
    assert [el.text for el in body.iter("sup", "sub", "cite", "q", "kbd", "s")] == [
        "nd",
        "2",
        "Le Monde",
        "We are against the killing of our people.",
        "Ctrl",
        "C",
        "first",
    ]
    assert body.cssselect("abbr")[0].get("title") == "Islamic Revolutionary Guard Corps"
    second = page(out, "en/posts/second-statement/index.html").cssselect(".entry-body")[0]
    assert [dt.text for dt in second.iter("dt")] == ["Consul", "Attaché"]
    assert second.cssselect("dd a")[0].get("href") == "https://en.wikipedia.org/wiki/Oslo"
    headed, plain = second.cssselect("table")
    assert [th.text for th in headed.iter("th")] == ["Embassy", "Staff who left"]
    assert [td.text for td in headed.iter("td")] == ["Oslo", "1", "Brussels", "2"]
    assert not plain.cssselect("th") and len(plain.cssselect("tr")) == 2


def test_verse_keeps_its_line_breaks(wordpress_com) -> None:
    _, _, out = wordpress_com
    body = page(out, f"fa/posts/{POEM_SLUG}/index.html").cssselect(".entry-body")[0]
    stanzas = [p for p in body.iter("p") if p.text_content().startswith(("بنی‌آدم", "شب است"))]
    assert len(stanzas) == 2
    lines = [[line.strip() for line in re.split(r"\n", "".join(p.itertext()))] for p in stanzas]
    assert len(stanzas[0].findall("br")) == 1 and len(stanzas[1].findall("br")) == 2
    assert lines[1] == ["شب است و ستاره‌ها", "بر سر اسلو می‌تابند", "و ما بیداریم."]
    assert "بنی‌آدم اعضای یکدیگرند\u2003\u2003که در آفرینش ز یک گوهرند" in lines[0][0]


def test_polylang_translations_become_one_post(site: Path) -> None:
    import_wordpress(EXPORT, site)
    english = post(site, "the-only-way-forward", "en")
    persian = post(site, "the-only-way-forward", "fa")
    assert english.meta == {
        "title": "The Only Way Forward",
        "summary": "Why more diplomats will leave – in his words.",
        "date": "2010-01-20T10:30:00+01:00",
        "author": "Green Embassy desk",
        "tags": ["iran-news", "reza-heidari"],
    }
    assert persian.meta == {"title": "تنها راه پیش رو"}
    assert not (site / "content" / "posts" / PERSIAN_SLUG).exists()
    assert "resigned in [Oslo](https://en.wikipedia.org/wiki/Oslo)." in english.body
    assert "> We are against the killing of our people." in english.body
    assert "What he asks for:\n\n- free elections\n- the release of prisoners" in english.body
    assert (
        "[![رضا حیدری در اسلو](https://green-embassy.example.org/wp-content/uploads/2010/01/"
        "heidari.jpg)](https://green-embassy.example.org/wp-content/uploads/2010/01/"
        "heidari-large.jpg)"
    ) in persian.body
    assert "1. انتخابات آزاد\n2. آزادی زندانیان" in persian.body


def test_linked_tags_share_a_key_with_a_label_per_language(site: Path) -> None:
    report = import_wordpress(EXPORT, site)
    assert tags(site) == {
        "iran": {"en": "iran", "fa": "ایران"},
        "reza-heidari": {"en": "reza heidari", "fa": "رضا حیدری"},
        "iran-news": {"en": "Iran News", "fa": "اخبار ایران"},
    }
    assert (site / "content" / "tags.yaml").read_text("utf-8").startswith(TAGS)
    assert sorted(report.new_tags) == ["iran-news", "reza-heidari"]


def test_tag_keys_differ_in_more_than_case_and_persian_stays_persian(wordpress_com) -> None:
    site, _, out = wordpress_com
    assert post(site, "the-consul-resigns", "en").meta["tags"] == [
        "Category-1",
        "category-1-2",
        "oslo",
    ]
    assert tags(site)["category-1-2"] == {"en": "Category One (archive)"}
    assert post(site, POEM_SLUG, "fa").meta["tags"] == ["شعر"]
    assert (out / "fa/tags/شعر/index.html").is_file()


def test_without_polylang_the_language_comes_from_the_script(site: Path, tmp_path: Path) -> None:
    import_wordpress(variant(tmp_path, *WITHOUT_POLYLANG), site)
    assert post(site, "the-only-way-forward", "en").meta["title"] == "The Only Way Forward"
    persian = post(site, PERSIAN_SLUG, "fa")
    assert persian.meta["title"] == "تنها راه پیش رو"
    assert persian.meta["tags"] == ["اخبار-ایران", "رضا-حیدری"]
    assert persian.meta["author"] == "مینا"
    assert tags(site)["رضا-حیدری"] == {"fa": "رضا حیدری"}


def test_wpml_translation_groups_link_translations(site: Path, tmp_path: Path) -> None:
    def wpml(language: str) -> str:
        return (
            f"<wp:postmeta><wp:meta_key><![CDATA[_wpml_import_language_code]]></wp:meta_key>"
            f"<wp:meta_value><![CDATA[{language}]]></wp:meta_value></wp:postmeta>"
            "<wp:postmeta><wp:meta_key><![CDATA[_wpml_import_translation_group]]>"
            "</wp:meta_key><wp:meta_value><![CDATA[7]]></wp:meta_value></wp:postmeta>"
        )

    export = variant(
        tmp_path,
        *WITHOUT_POLYLANG,
        (r"(<wp:post_id>11</wp:post_id>)", r"\1" + wpml("en")),
        (r"(<wp:post_id>12</wp:post_id>)", r"\1" + wpml("fa")),
    )
    import_wordpress(export, site)
    folder = site / "content" / "posts" / "the-only-way-forward"
    assert sorted(path.name for path in folder.iterdir()) == ["comments.yaml", "en.md", "fa.md"]


# ----- dates, pages, comments


def test_dates_keep_time_and_zone_so_same_day_posts_do_not_tie(wordpress_com) -> None:
    site, _, out = wordpress_com
    assert post(site, "the-consul-resigns", "en").meta["date"] == "2010-01-20T10:30:00+01:00"
    assert post(site, "2010-02-08-107", "en").meta["date"] == "2010-02-08T09:00:00+01:00"
    home = page(out, "en/index.html")
    titles = [a.text_content().strip() for a in home.cssselect(".post-summary-title a")]
    assert titles.index("Diplomats in exile: a second statement") < titles.index(
        "The consul resigns in Oslo"
    )
    time = page(out, "en/posts/second-statement/index.html").cssselect(
        "meta[property='article:published_time']"
    )
    assert time and time[0].get("content").startswith("2010-01-20")


def test_page_hierarchy_becomes_nested_paths(wordpress_com) -> None:
    site, _, out = wordpress_com
    assert post(site, "about/team/oslo", "en", "pages").meta["title"] == "Oslo office"
    oslo = page(out, "en/about/team/oslo/index.html")
    assert oslo.cssselect("h1")[0].text_content().strip() == "Oslo office"
    assert (out / "en/about/team/index.html").is_file()


def test_comments_are_kept_and_shown_as_a_closed_thread(wordpress_com) -> None:
    site, report, out = wordpress_com
    kept = yaml.load(
        (site / "content/posts" / POEM_SLUG / "comments.yaml").read_text("utf-8"),
        Loader=yaml.BaseLoader,
    )  # every value as written
    assert kept == [
        {
            "id": "505",
            "author": "مینا",
            "date": "2010-02-01T21:10:00+01:00",
            "lang": "fa",
            "text": "سعدی همیشه زنده است.",
        },
        {
            "id": "506",
            "author": "Green Embassy desk",
            "date": "2010-02-01T22:00:00+01:00",
            "lang": "fa",
            "parent": "505",
            "text": "سپاس، مینا جان. (IRGC) را هم فراموش نکنیم.",
        },
    ]
    assert "3 comments not imported: 1 not approved, 1 pingback, 1 spam" in report.notes
    doc = page(out, f"fa/posts/{POEM_SLUG}/index.html")
    section = doc.cssselect("section.comments")[0]
    assert section.cssselect("h2")[0].text == "دیدگاه‌ها"
    assert (doc.get("lang"), doc.get("dir")) == ("fa", "rtl")
    first = section.cssselect("ol.comment-list > li.comment")
    assert len(first) == 1 and "مینا" in first[0].cssselect(".comment-author")[0].text_content()
    reply = first[0].cssselect("ol.comment-replies > li.comment")[0]
    assert "فراموش نکنیم" in reply.cssselect(".comment-body")[0].text_content()
    assert not section.cssselect("form, textarea, input")  # read-only
    english = page(out, "en/posts/the-consul-resigns/index.html").cssselect("section.comments")[0]
    assert english.cssselect("h2")[0].text == "Comments"
    assert "Buy now" not in etree.tostring(english, encoding="unicode")
    assert english.cssselect(".comment-body em")[0].text == "writing"


def test_a_wrong_comments_file_is_an_error_with_its_line(site: Path) -> None:
    import_wordpress(EXPORT, site)
    path = site / "content/posts/the-only-way-forward/comments.yaml"
    path.write_text(
        "- id: 3\n  author: Reader\n  text: Thanks\n- id: 4\n  author: Me\n"
        "  text: Welcome\n  parent: 99\n",
        "utf-8",
    )
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    assert f"{path}:4: comment '4' answers comment '99'" in str(caught.value)


# ----- the report, dry runs and the command


def test_command_reports_per_post_writes_json_and_dry_runs(site: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    before = files_under(site)
    dry = runner.invoke(cli, ["import", "wordpress", str(WORDPRESS_COM), str(site), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith(
        "Would import 9 posts and 3 pages (16 files), 4 new tags; 5 drafts stay unpublished."
    )
    assert "Dry run: nothing was written." in dry.output
    assert files_under(site) == before
    report_file = tmp_path / "report.json"
    result = runner.invoke(
        cli, ["import", "wordpress", str(WORDPRESS_COM), str(site), "--report", str(report_file)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "  post brussels-interview (draft): en\n      imported as a draft: scheduled for "
        "2031-05-01 10:00 in WordPress" in result.output
    )
    assert "shortcodes left as text: [contact-form] [contact-field] [polldaddy]" in result.output
    assert "  nav_menu_item 300 'Home': not a post or page (nav_menu_item)" in result.output
    data = json.loads(report_file.read_text("utf-8"))
    assert data["imported"] == {"posts": 9, "pages": 3, "drafts": 5, "files": 16}
    consul = next(entry for entry in data["entries"] if entry["slug"] == "the-consul-resigns")
    assert consul["status"] == "published" and consul["comments"] == 2
    assert consul["media"]["missing"][0].endswith("heidari-300x200.jpg?w=300&h=200")
    assert {"item": "post 109 'An old mistake'", "reason": "in the trash"} in data["skipped"]
    again = runner.invoke(cli, ["import", "wordpress", str(WORDPRESS_COM), str(site)])
    assert again.output.startswith("Imported 0 posts and 0 pages (0 files)")
    assert "already exists; --force overwrites it" in again.output


def test_html_kept_turns_on_allow_html_unless_the_site_said_no(site: Path, tmp_path: Path) -> None:
    import_wordpress(WORDPRESS_COM, site)
    assert "[content]\nallow_html = true" in (site / "bilingual.toml").read_text("utf-8")
    other = make_site(tmp_path / "other")
    toml = other / "bilingual.toml"
    toml.write_text(CONFIG + "\n[content]\nallow_html = false\n", "utf-8")
    report = import_wordpress(WORDPRESS_COM, other)
    assert toml.read_text("utf-8").endswith("allow_html = false\n")
    assert any("shows as text until bilingual.toml says" in note for note in report.notes)
    assert (
        "the PDF editions of 1 post with media from the web need [pdf] allow_remote = true "
        "in bilingual.toml (or import again with --media)"
    ) in report.notes


# ----- safety: nothing written unless everything can be, modes kept


def test_a_slug_too_long_is_refused_before_anything_is_written(site: Path, tmp_path: Path) -> None:
    long_name = "%d8%b4" * 140  # 140 Persian letters: 280 bytes
    export = variant(
        tmp_path,
        (
            r"<wp:post_name>brussels-interview</wp:post_name>",
            f"<wp:post_name>{long_name}</wp:post_name>",
        ),
        source=WORDPRESS_COM,
    )
    before = files_under(site)
    with pytest.raises(ExportError) as caught:
        import_wordpress(export, site)
    line = next(
        n for n, text in enumerate(export.read_text("utf-8").split("\n"), 1) if long_name in text
    )
    assert (caught.value.path, caught.value.line) == (export, line)
    assert "its slug is 280 bytes long; this file system allows 255" in caught.value.message
    assert files_under(site) == before


def test_nothing_is_written_when_one_file_cannot_be(site: Path) -> None:
    blocked = site / "content/posts/second-statement/en.md"
    blocked.mkdir(parents=True)  # a folder where a post's file should go
    before = sorted(p for p in site.rglob("*"))
    result = CliRunner().invoke(cli, ["import", "wordpress", str(WORDPRESS_COM), str(site)])
    assert result.exit_code == 1
    assert f"{blocked}: a folder is in the way of this file" in result.output
    assert "nothing was written" in result.output
    assert sorted(p for p in site.rglob("*")) == before
    with pytest.raises(ExportError, match="a folder is in the way"):
        import_wordpress(WORDPRESS_COM, site, dry_run=True)


def test_a_write_that_fails_midway_leaves_nothing_behind(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = []

    def disk_full(source, stream) -> None:  # the disk fills up at the second copied image
        written.append(source)
        if len(written) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        stream.write(source.read())

    monkeypatch.setattr("bilingual.importers.writing.shutil.copyfileobj", disk_full)
    before = files_under(site)
    with pytest.raises(ExportError) as caught:
        import_wordpress(WORDPRESS_COM, site, media=uploads(site.parent / "uploads"))
    assert "No space left on device; nothing was imported" in caught.value.message
    assert files_under(site) == before and len(written) == 2
    assert sorted(p.name for p in (site / "content").iterdir()) == ["tags.yaml"]


def test_written_files_keep_their_mode_and_new_ones_are_not_private(site: Path) -> None:
    tags_file = site / "content" / "tags.yaml"
    tags_file.chmod(0o640)
    previous = os.umask(0o022)
    try:
        report = import_wordpress(EXPORT, site)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(tags_file.stat().st_mode) == 0o640
    assert report.written and all(
        stat.S_IMODE(p.stat().st_mode) == 0o644 for p in report.written if p != tags_file
    )
    assert not list(site.rglob(".*.tmp"))


def test_existing_files_are_kept_unless_forced(site: Path) -> None:
    mine = site / "content" / "posts" / "the-only-way-forward" / "fa.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: نسخهٔ من\n---\n\nمتن من\n", "utf-8")
    report = import_wordpress(EXPORT, site)
    assert mine.read_text("utf-8") == "---\ntitle: نسخهٔ من\n---\n\nمتن من\n"
    assert (
        "post 11 'The Only Way Forward' (fa.md)",
        f"{mine} already exists; --force overwrites it",
    ) in report.skipped
    assert mine not in report.written
    import_wordpress(EXPORT, site, force=True)
    assert post(site, "the-only-way-forward", "fa").meta["title"] == "تنها راه پیش رو"


def test_unsafe_names_never_leave_the_content_folder(site: Path, tmp_path: Path) -> None:
    export = variant(
        tmp_path,
        (
            r"<wp:post_name><!\[CDATA\[the-only-way-forward\]\]>",
            "<wp:post_name><![CDATA[%2e%2e%2f%2e%2e%2fescaped]]>",
        ),
        (r"<wp:tag_slug><!\[CDATA\[reza-heidari\]\]>", "<wp:tag_slug><![CDATA[../x]]>"),
        (r'nicename="reza-heidari"', 'nicename="../x"'),
    )
    import_wordpress(export, site, media=tmp_path)
    assert not (tmp_path / "escaped").exists() and not (site / "escaped").exists()
    assert (site / "content" / "posts" / "2010-01-20-11" / "en.md").is_file()
    assert all(".." not in key and "/" not in key for key in tags(site))


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("not xml at all <", 1, "not well-formed XML"),
        (
            '<?xml version="1.0"?>\n<rss>\n<channel>\n<item>\n</channel>\n</rss>\n',
            5,
            "not well-formed XML",
        ),
        (
            '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A feed</title></channel></rss>\n',
            1,
            "not a WordPress export (WXR)",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n]>\n<rss>&lol;</rss>\n',
            3,
            "refused for safety",
        ),
    ],
)
def test_bad_exports_are_errors_with_file_and_line(
    site: Path, tmp_path: Path, text: str, line: int, message: str
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    with pytest.raises(ExportError) as caught:
        import_wordpress(export, site)
    assert (caught.value.path, caught.value.line) == (export, line)
    assert message in caught.value.message
    assert sorted(p.name for p in (site / "content").iterdir()) == ["tags.yaml"]


PHOTO = "https://greenembassy.files.wordpress.com/2010/02/oslo.jpg"


@pytest.mark.parametrize(
    "image, kept",
    [
        (
            f'<img src="{PHOTO}?w=240" alt="Oslo">',
            f'<img alt="Oslo" src="{PHOTO}?w=240" width="240">',
        ),
        (
            f'<img src="{PHOTO}?w=240&amp;h=180" alt="Oslo">',
            f'<img alt="Oslo" height="180" src="{PHOTO}?w=240&amp;h=180" width="240">',
        ),
        (
            f'<img src="{PHOTO}?resize=300%2C200" alt="Oslo">',
            f'<img alt="Oslo" height="200" src="{PHOTO}?resize=300%2C200" width="300">',
        ),
        (
            f'<img src="{PHOTO}?w=240" alt="Oslo" width="320">',
            f'<img alt="Oslo" src="{PHOTO}?w=240" width="320">',
        ),
        (f'<img src="{PHOTO}?w=wide&amp;ssl=1" alt="Oslo">', f"![Oslo]({PHOTO}?w=wide&ssl=1)"),
    ],
)
def test_the_size_an_image_address_asks_for_is_the_size_it_is_shown_at(
    image: str, kept: str
) -> None:
    markdown, _ = to_markdown(f"<p>{image}</p>")
    assert markdown == kept


def test_the_imported_bilingual_site_builds(site: Path, tmp_path: Path) -> None:
    media = uploads(tmp_path / "uploads")
    shutil.copy(media / "2010/01/heidari.jpg", media / "2010/01/heidari-large.jpg")
    import_wordpress(EXPORT, site, media=media)
    out = build(site, pdf=False).out_dir
    persian = page(out, "fa/posts/the-only-way-forward/index.html")
    assert "تنها راه پیش رو" in persian.cssselect("h1")[0].text_content()
    link = persian.cssselect(".entry-body a img")[0].getparent()
    assert (link.get("href"), link[0].get("src")) == ("heidari-large.jpg", "heidari.jpg")
    assert (out / "fa/posts/the-only-way-forward/heidari-large.jpg").is_file()
    tag_page = (out / "fa" / "tags" / "reza-heidari" / "index.html").read_text("utf-8")
    assert "رضا حیدری" in tag_page
    assert not (out / "en" / "posts" / "2010-02-03-13").exists()


# ----- a block-editor export from a self-hosted WordPress 6


BLOCKS = FIXTURES / "wordpress-blocks.xml"  # a PHP notice before the XML, blocks, reusable blocks


@pytest.fixture(scope="module")
def block_editor(tmp_path_factory: pytest.TempPathFactory):
    """The block-editor export imported with its uploads (no 1024x683 copy), and the site built."""
    root = tmp_path_factory.mktemp("blocks")
    site = make_site(root / "site")
    media = root / "uploads" / "2024" / "02"
    media.mkdir(parents=True)
    for name, size in (
        ("gate.jpg", (400, 300)),
        ("heidari.jpg", (1200, 800)),
        ("flag.png", (300, 200)),
    ):
        Image.new("RGB", size, "#2d6a4f").save(media / name)
    report = import_wordpress(BLOCKS, site, media=root / "uploads")
    return site, report, build(site, pdf=False).out_dir


def test_text_that_looks_like_markdown_or_html_stays_text(block_editor) -> None:
    _, _, out = block_editor
    body = page(out, "en/posts/embassies-in-pictures/index.html").cssselect(".entry-body")[0]
    paragraphs = [p.text_content() for p in body.iter("p")]
    assert paragraphs[:3] == [
        "1984. That is the year the first of them left.",
        "- and more followed, one by one.",
        "The cable said <b>urgent</b> in plain text; the IRGC read it on telex_2.",
    ]
    assert not body.cssselect("ol, ul, blockquote, b")
    assert body.cssselect("abbr")[0].get("title") == "Islamic Revolutionary Guard Corps"
    assert body.cssselect("code")[0].text == "telex_2"
    cells = [[cell.text_content() for cell in row] for row in body.cssselect("table tr")]
    assert cells == [["Embassy", "Staff who left"], ["Brussels | Bern", "2"], ["Oslo", "1"]]
    persian = page(out, "fa/posts/نه-به-اعدام/index.html").cssselect(".entry-body")[0]
    assert persian.cssselect("p")[0].text_content() == "- نه به اعدام، نه به زندان."
    assert [td.text_content() for td in persian.cssselect("td")] == ["بروکسل | برن", "۲"]


def test_block_galleries_resized_images_and_embeds_show_as_in_wordpress(block_editor) -> None:
    _, _, out = block_editor
    folder = out / "en/posts/embassies-in-pictures"
    body = page(out, "en/posts/embassies-in-pictures/index.html").cssselect(".entry-body")[0]
    resized = body.cssselect("img[alt='The embassy gate in the snow']")[0]
    assert (resized.get("src"), resized.get("width"), resized.get("height")) == (
        "gate.jpg",
        "200",
        "150",
    )
    nested, classic = body.cssselect("div.gallery")
    assert [img.get("src") for img in nested.iter("img")] == ["heidari.jpg", "flag.png"]
    assert [c.text_content() for c in nested.cssselect("figcaption")] == ["Heidari in Oslo"]
    assert nested.getparent().cssselect("figure > figcaption")[-1].text_content() == (
        "Oslo, January 2010"
    )
    assert [img.get("src") for img in classic.iter("img")] == ["gate.jpg", "flag.png"]
    assert classic.cssselect("figcaption")[0].text_content() == "The gate"
    assert all((folder / img.get("src")).is_file() for img in body.iter("img"))
    links = [a.get("href") for a in body.iter("a")]
    assert {
        "https://www.youtube.com/watch?v=oslo2010",
        "https://www.youtube.com/watch?v=embassy",
        "http://www.youtube.com/watch?v=JaNH56Vpg-A",
    } <= set(links)
    assert "The press conference" in body.text_content()
    assert "[youtube" not in body.text_content() and "wp:block" not in body.text_content()


def test_reusable_blocks_are_written_out_and_a_missing_one_is_reported(block_editor) -> None:
    _, report, out = block_editor
    for path in ("en/posts/embassies-in-pictures", "fa/posts/نه-به-اعدام"):
        body = page(out, f"{path}/index.html").cssselect(".entry-body")[0]
        assert body.cssselect("p em")[-1].text == "write to us"
    pictures = next(entry for entry in report.entries if entry.slug == "embassies-in-pictures")
    assert pictures.warnings == ["reusable block 699 is not in the export: left out"]
    assert (
        "wp_block 601 'Signature'",
        "a reusable block, not a post or page (the posts that use it show it)",
    ) in report.skipped


def test_text_printed_before_the_xml_declaration_is_ignored_and_lines_keep_numbers(
    block_editor,
) -> None:
    _, report, _ = block_editor
    assert (
        "ignored what came before the XML declaration on line 3: '<br /> <b>Notice</b>: "
        "Function wp_enqueue_script was called '"
    ) in report.notes
    lines = BLOCKS.read_text("utf-8").split("\n")
    first_item = next(number for number, text in enumerate(lines, 1) if "<item>" in text)
    assert read_export(BLOCKS).items[0].line == first_item


def test_a_post_whose_wordpress_name_is_taken_says_where_it_went(
    site: Path, tmp_path: Path
) -> None:
    export = variant(
        tmp_path,
        (
            r"<wp:post_name>second-statement</wp:post_name>",
            "<wp:post_name>The-Consul-Resigns</wp:post_name>",
        ),
        source=WORDPRESS_COM,
    )
    report = import_wordpress(export, site)
    second = next(e for e in report.entries if e.origin.startswith("post 101 'Diplomats"))
    assert second.slug == "2010-01-20-101"
    assert (
        "its WordPress name 'The-Consul-Resigns' is taken or cannot name a folder: imported "
        "as '2010-01-20-101'"
    ) in second.warnings
    consul = next(e for e in report.entries if e.slug == "the-consul-resigns")
    assert not any("WordPress name" in warning for warning in consul.warnings)
