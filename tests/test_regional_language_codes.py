"""A language written with its region (fa-IR, en-US) is treated as the language itself."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html

from bilingual import BuildResult, build
from bilingual.text.persian import format_date, format_number, localize_digits, uses_jalali

NOWRUZ_EVE = dt.date(2010, 3, 20)  # the last day of 1388 in the Persian calendar
POST = """---
title: {title}
summary: {summary}
date: 2010-01-20
tags: [iran-news]
---

{body}
"""
PERSIAN = {
    "title": "تنها راه پیش رو",
    "summary": "محمدرضا حیدری توضیح می‌دهد چرا دیپلمات‌های بیشتری از حکومت جدا خواهند شد.",
    "body": "محمدرضا حیدری، دیپلمات ارشد پیشین ایران در نروژ، در ماه دسامبر اعلام کرد که از "
    "وزارت امور خارجه کناره می‌گیرد. او در ۲۲ خرداد ۱۳۸۸ در اسلو بود.",
}
ENGLISH = {
    "title": "The Only Way Forward",
    "summary": "Mohammad Reza Heidari explains why more diplomats will leave the regime.",
    "body": "Mohammad Reza Heidari, formerly a senior Iranian diplomat in Norway, resigned in "
    "December and did not go back to Tehran.",
}


@pytest.mark.parametrize("code", ["fa", "fa-IR", "fa_IR", "fa-AF"])
def test_persian_in_any_region_gets_jalali_dates_and_persian_digits(code: str) -> None:
    assert uses_jalali(code)
    assert format_date(dt.date(2010, 1, 20), code) == "۳۰ دی ۱۳۸۸"
    assert format_date(NOWRUZ_EVE, code) == "۲۹ اسفند ۱۳۸۸"
    assert format_number(2024, code) == "۲۰۲۴"
    assert localize_digits("page 12 of 30", code) == "page ۱۲ of ۳۰"


@pytest.mark.parametrize(
    ("code", "date"),
    [("en", "January 20, 2010"), ("en-US", "January 20, 2010"), ("en_GB", "20 January 2010")],
)
def test_english_in_any_region_keeps_gregorian_dates_and_latin_digits(code: str, date: str) -> None:
    assert not uses_jalali(code)
    assert format_date(dt.date(2010, 1, 20), code) == date
    assert format_number(2024, code) == "2024"


@pytest.fixture(scope="module")
def regional_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A two-post site whose languages are en-US and fa-IR, built once (HTML only)."""
    root = tmp_path_factory.mktemp("regional") / "site"
    post = root / "content/posts/2010-01-20-the-only-way-forward"
    post.mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://regional.example/"\nlanguages = ["en-US", "fa-IR"]\n'
        'default_language = "en-US"\n'
        '[site.title]\n"en-US" = "Democratic Republic of Iran"\n"fa-IR" = "جمهوری دموکراتیک ایران"\n',
        encoding="utf-8",
    )
    (root / "content/tags.yaml").write_text(
        "iran-news:\n  en-US: Iran News\n  fa-IR: اخبار ایران\n", encoding="utf-8"
    )
    (post / "en-US.md").write_text(POST.format(**ENGLISH), encoding="utf-8")
    (post / "fa-IR.md").write_text(POST.format(**PERSIAN), encoding="utf-8")
    return build(root, pdf=False)


def page(result: BuildResult, path: str) -> html.HtmlElement:
    return html.fromstring((result.out_dir / path).read_bytes())


def test_fa_ir_post_page_shows_a_jalali_date_in_persian_digits(regional_site: BuildResult) -> None:
    document = page(regional_site, "fa-IR/posts/2010-01-20-the-only-way-forward/index.html")
    assert (document.get("lang"), document.get("dir")) == ("fa-IR", "rtl")
    [time] = document.xpath("//article//time")
    assert time.get("datetime") == "2010-01-20"
    assert time.text_content() == "۳۰ دی ۱۳۸۸"


def test_fa_ir_home_page_lists_the_post_with_its_jalali_date(regional_site: BuildResult) -> None:
    document = page(regional_site, "fa-IR/index.html")
    dates = [time.text_content() for time in document.xpath("//main//time")]
    assert dates == ["۳۰ دی ۱۳۸۸"]


def test_en_us_post_page_keeps_the_gregorian_date(regional_site: BuildResult) -> None:
    document = page(regional_site, "en-US/posts/2010-01-20-the-only-way-forward/index.html")
    assert (document.get("lang"), document.get("dir")) == ("en-US", "ltr")
    [time] = document.xpath("//article//time")
    assert time.text_content() == "January 20, 2010"
