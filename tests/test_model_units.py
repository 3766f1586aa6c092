"""Small pieces of the model: Localized fallbacks, languages, config, Persian dates, markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual import ConfigError, Localized, build, load_config
from bilingual.cli import cli
from bilingual.errors import ErrorList
from bilingual.text.bidi import dominant_direction
from bilingual.text.languages import language
from bilingual.text.markdown import render_markdown
from bilingual.text.persian import format_date, localize_digits


def test_localized_is_strict_unless_asked_to_fall_back() -> None:
    title = Localized({"en": "Hello", "fa": "سلام"})
    assert title["fa"] == "سلام"
    with pytest.raises(KeyError):
        title["de"]
    assert title.get("de") is None
    assert title.resolve("de", ["fa", "en"]) == ("fa", "سلام")
    assert Localized({"en": "x"}).resolve("fa", ()) is None
    assert title.map(len) == Localized({"en": 5, "fa": 4})


@pytest.mark.parametrize(
    "code, direction, name",
    [
        ("fa", "rtl", "فارسی"),
        ("en", "ltr", "English"),
        ("ar", "rtl", "العربية"),
        ("he", "rtl", "עברית"),
        ("de", "ltr", "Deutsch"),
    ],
)
def test_direction_comes_from_babel(code: str, direction: str, name: str) -> None:
    assert (language(code).direction, language(code).name) == (direction, name)


def test_unknown_language_code_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://x.org/"\nlanguages = ["en", "xx-nonsense"]\n'
        '[site.title]\nen = "X"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown language code 'xx-nonsense'"):
        load_config(tmp_path)


def test_config_reports_every_error_at_once(tmp_path: Path) -> None:
    (tmp_path / "bilingual.toml").write_text(
        '[site]\nbase_url = "example.org"\nlanguages = ["en", "fa"]\n'
        'default_language = "de"\nposts_per_page = 0\n[site.title]\nen = "X"\n'
        "[pdf]\npage_size = 5\n[build]\n",
        encoding="utf-8",
    )
    with pytest.raises(ErrorList) as caught:
        load_config(tmp_path)
    messages = [(str(e.message), e.line) for e in caught.value.errors]
    text = "\n".join(m for m, _ in messages)
    for fragment in (
        "base_url",
        "default_language",
        "posts_per_page",
        "no value for 'fa'",
        "pdf.page_size",
        "unknown section or key 'build'",
    ):
        assert fragment in text
    assert ("base_url must be an absolute http(s) URL", 2) in messages


@pytest.mark.parametrize(
    "date, lang, expected",
    [
        (dt.date(2010, 1, 20), "fa", "۳۰ دی ۱۳۸۸"),
        (dt.date(2024, 3, 20), "fa", "۱ فروردین ۱۴۰۳"),
        (dt.date(2010, 2, 3), "fa", "۱۴ بهمن ۱۳۸۸"),
        (dt.date(2010, 1, 20), "en", "January 20, 2010"),
    ],
)
def test_dates_follow_the_language_calendar(date: dt.date, lang: str, expected: str) -> None:
    assert format_date(date, lang) == expected


def test_digits_are_localized_only_for_persian() -> None:
    assert localize_digits("Page 12 of 30", "fa") == "Page ۱۲ of ۳۰"
    assert localize_digits("Page 12", "en") == "Page 12"


def test_block_direction_follows_the_leading_majority() -> None:
    assert dominant_direction("سلام دنیا world", "ltr") == "rtl"
    assert dominant_direction("IRGC سپاه پاسداران انقلاب", "rtl") == "rtl"
    assert dominant_direction("The IRGC (سپاه) said", "ltr") == "ltr"


def test_markdown_marks_opposite_blocks_and_escapes_raw_html() -> None:
    html = render_markdown("English <script>x</script>\n\nمتن فارسی است", "ltr")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<p dir="rtl">متن فارسی است</p>' in html
    printed = render_markdown("سپاه (IRGC) است", "rtl", mode="print")
    assert "(\u2066IRGC\u2069)" in printed


def test_new_creates_a_site_that_builds(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "blog")])
    assert result.exit_code == 0, result.output
    built = build(tmp_path / "blog", pdf=False)
    assert (built.out_dir / "fa/posts/hello-world/index.html").is_file()
    again = CliRunner().invoke(cli, ["new", str(tmp_path / "blog")])
    assert again.exit_code == 1 and "not empty" in again.output


@pytest.mark.parametrize("url", ["https://example.org/my blog/", 'https://example.org/"x"/'])
def test_a_base_url_with_characters_no_url_holds_is_an_error_at_its_line(
    tmp_path: Path, url: str
) -> None:
    (tmp_path / "bilingual.toml").write_text(
        f'[site]\nbase_url = \'{url}\'\nlanguages = ["en"]\n[site.title]\nen = "X"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2 and "base_url cannot hold" in str(caught.value.message)
