"""Importing a WordPress export: posts, pages, translations, tags, drafts, safety and reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bilingual import build
from bilingual.cli import cli
from bilingual.frontmatter import parse_document
from bilingual.importers import ExportError
from bilingual.importers.wordpress import import_wordpress

EXPORT = Path(__file__).resolve().parent / "fixtures" / "wordpress-export.xml"
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


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "bilingual.toml").write_text(CONFIG, "utf-8")
    (root / "content" / "tags.yaml").write_text(TAGS, "utf-8")
    return root


def variant(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The fixture with some of its XML rewritten by regular expressions."""
    text = EXPORT.read_text("utf-8")
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, pattern
    path = tmp_path / "variant.xml"
    path.write_text(text, "utf-8")
    return path


WITHOUT_POLYLANG = (
    (r'\s*<category domain="(language|post_translations)"[^>]*>.*?</category>', ""),
    (r"(?s)\s*<wp:term>.*?</wp:term>", ""),
)


def post(site: Path, slug: str, lang: str):
    return parse_document(site / "content" / "posts" / slug / f"{lang}.md")


def tags(site: Path) -> dict:
    return yaml.safe_load((site / "content" / "tags.yaml").read_text("utf-8"))


def test_polylang_translations_become_one_post(site: Path) -> None:
    import_wordpress(EXPORT, site)
    english = post(site, "the-only-way-forward", "en")
    persian = post(site, "the-only-way-forward", "fa")
    assert english.meta == {"title": "The Only Way Forward",
                            "summary": "Why more diplomats will leave – in his words.",
                            "date": "2010-01-20", "author": "Green Embassy desk",
                            "tags": ["iran-news", "reza-heidari"]}
    assert persian.meta == {"title": "تنها راه پیش رو"}
    assert not (site / "content" / "posts" / PERSIAN_SLUG).exists()


def test_html_becomes_markdown_with_links_images_lists_and_quotes(site: Path) -> None:
    import_wordpress(EXPORT, site)
    english = post(site, "the-only-way-forward", "en").body
    assert "resigned in [Oslo](https://en.wikipedia.org/wiki/Oslo)." in english
    assert ("[Reza Heidari in Oslo](https://green-embassy.example.org/wp-content/uploads/2010/01/"
            "heidari.jpg)") in english
    assert "> We are against the killing of our people." in english
    assert "What he asks for:\n\n- free elections\n- the release of prisoners" in english
    persian = post(site, "the-only-way-forward", "fa").body
    assert "[اسلو](https://fa.wikipedia.org/wiki/اسلو)" in persian
    assert ("[رضا حیدری در اسلو](https://green-embassy.example.org/wp-content/uploads/2010/01/"
            "heidari-large.jpg)") in persian
    assert "1. انتخابات آزاد\n2. آزادی زندانیان" in persian
    for body in (english, persian):
        assert "![" not in body and "<" not in body and "wp:" not in body


def test_drafts_stay_drafts_and_get_a_slug_from_date_and_id(site: Path) -> None:
    import_wordpress(EXPORT, site)
    draft = post(site, "2010-02-03-13", "en")
    assert draft.meta["draft"] is True
    assert draft.meta["title"] == "Heidari on why diplomats oppose the state"


def test_pages_attachments_and_comments(site: Path) -> None:
    report = import_wordpress(EXPORT, site)
    about = parse_document(site / "content" / "pages" / "about" / "en.md")
    assert about.body.startswith("## Who we are\n\nDiplomats who left the state.")
    assert "[Write to us](mailto:desk@example.org)" in about.body
    assert report.entries == {"post": 2, "page": 1}
    assert ("attachment 15 'heidari'", "not a post or page") in report.skipped
    assert any("1 comment not imported" in note for note in report.notes)


def test_linked_tags_share_a_key_with_a_label_per_language(site: Path) -> None:
    report = import_wordpress(EXPORT, site)
    assert tags(site) == {"iran": {"en": "iran", "fa": "ایران"},
                          "reza-heidari": {"en": "reza heidari", "fa": "رضا حیدری"},
                          "iran-news": {"en": "Iran News", "fa": "اخبار ایران"}}
    assert (site / "content" / "tags.yaml").read_text("utf-8").startswith(TAGS)
    assert sorted(report.new_tags) == ["iran-news", "reza-heidari"]


def test_without_polylang_the_language_comes_from_the_script(site: Path, tmp_path: Path) -> None:
    import_wordpress(variant(tmp_path, *WITHOUT_POLYLANG), site)
    assert post(site, "the-only-way-forward", "en").meta["title"] == "The Only Way Forward"
    persian = post(site, PERSIAN_SLUG, "fa")
    assert persian.meta["title"] == "تنها راه پیش رو"
    assert persian.meta["tags"] == ["اخبار-ایران", "رضا-حیدری"]
    assert persian.meta["author"] == "مینا"
    assert tags(site)["رضا-حیدری"] == {"fa": "رضا حیدری"}
    assert tags(site)["reza-heidari"] == {"en": "reza heidari"}


def test_wpml_translation_groups_link_translations(site: Path, tmp_path: Path) -> None:
    def wpml(language: str) -> str:
        return (f"<wp:postmeta><wp:meta_key><![CDATA[_wpml_import_language_code]]></wp:meta_key>"
                f"<wp:meta_value><![CDATA[{language}]]></wp:meta_value></wp:postmeta>"
                "<wp:postmeta><wp:meta_key><![CDATA[_wpml_import_translation_group]]>"
                "</wp:meta_key><wp:meta_value><![CDATA[7]]></wp:meta_value></wp:postmeta>")
    export = variant(tmp_path, *WITHOUT_POLYLANG,
                     (r"(<wp:post_id>11</wp:post_id>)", r"\1" + wpml("en")),
                     (r"(<wp:post_id>12</wp:post_id>)", r"\1" + wpml("fa")))
    import_wordpress(export, site)
    folder = site / "content" / "posts" / "the-only-way-forward"
    assert sorted(path.name for path in folder.iterdir()) == ["en.md", "fa.md"]


def test_the_imported_site_builds(site: Path) -> None:
    import_wordpress(EXPORT, site)
    result = build(site, pdf=False)
    persian = (result.out_dir / "fa/posts/the-only-way-forward/index.html").read_text("utf-8")
    assert "تنها راه پیش رو" in persian
    tag_page = (result.out_dir / "fa" / "tags" / "reza-heidari" / "index.html").read_text("utf-8")
    assert "رضا حیدری" in tag_page
    assert not (result.out_dir / "en" / "posts" / "2010-02-03-13").exists()


def test_existing_files_are_kept_unless_forced(site: Path) -> None:
    mine = site / "content" / "posts" / "the-only-way-forward" / "fa.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: نسخهٔ من\n---\n\nمتن من\n", "utf-8")
    report = import_wordpress(EXPORT, site)
    assert mine.read_text("utf-8") == "---\ntitle: نسخهٔ من\n---\n\nمتن من\n"
    assert ("post 12 'تنها راه پیش رو'",
            f"{mine} already exists; --force overwrites it") in report.skipped
    assert mine not in report.written
    import_wordpress(EXPORT, site, force=True)
    assert post(site, "the-only-way-forward", "fa").meta["title"] == "تنها راه پیش رو"


def test_unsafe_names_never_leave_the_content_folder(site: Path, tmp_path: Path) -> None:
    export = variant(tmp_path,
                     (r"<wp:post_name><!\[CDATA\[the-only-way-forward\]\]>",
                      "<wp:post_name><![CDATA[%2e%2e%2f%2e%2e%2fescaped]]>"),
                     (r"<wp:tag_slug><!\[CDATA\[reza-heidari\]\]>",
                      "<wp:tag_slug><![CDATA[../x]]>"),
                     (r'nicename="reza-heidari"', 'nicename="../x"'))
    import_wordpress(export, site)
    assert not (tmp_path / "escaped").exists() and not (site / "escaped").exists()
    assert (site / "content" / "posts" / "2010-01-20-11" / "en.md").is_file()
    assert all(".." not in key and "/" not in key for key in tags(site))


@pytest.mark.parametrize("text, line, message", [
    ("not xml at all <", 1, "not well-formed XML"),
    ('<?xml version="1.0"?>\n<rss>\n<channel>\n<item>\n</channel>\n</rss>\n', 5, "not well-formed XML"),
    ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A feed</title></channel></rss>\n',
     1, "not a WordPress export (WXR)"),
    ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n]>\n<rss>&lol;</rss>\n', 3,
     "refused for safety"),
])
def test_bad_exports_are_errors_with_file_and_line(site: Path, tmp_path: Path, text: str,
                                                    line: int, message: str) -> None:
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    with pytest.raises(ExportError) as caught:
        import_wordpress(export, site)
    assert (caught.value.path, caught.value.line) == (export, line)
    assert message in caught.value.message
    assert sorted(p.name for p in (site / "content").iterdir()) == ["tags.yaml"]


def test_command_reports_what_it_imported_and_skipped(site: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "wordpress", str(EXPORT), str(site)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 posts and 1 page (4 files), 2 new tags." in result.output
    assert "attachment 15 'heidari': not a post or page" in result.output
    again = runner.invoke(cli, ["import", "wordpress", str(EXPORT), str(site)])
    assert "Imported 0 posts and 0 pages (0 files)" in again.output
    assert "already exists; --force overwrites it" in again.output
    broken = site / "broken.xml"
    broken.write_text("<rss>\n<channel>\n</rss>\n", "utf-8")
    failed = runner.invoke(cli, ["import", "wordpress", str(broken), str(site)])
    assert failed.exit_code == 1
    assert f"{broken}:3: not well-formed XML" in failed.output
