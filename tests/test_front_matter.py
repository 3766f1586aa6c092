"""Any front matter gives a good site or errors that name the file and line, never a crash."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bilingual import BilingualError, build, load_site
from bilingual.cli import cli
from bilingual.errors import ErrorList
from bilingual.site.dates import DateError, parse_date
from bilingual.site.timestamps import TimestampError, parse_timestamp
from bilingual.text.persian import format_date, persian_digits
from conftest import SITES, copy_site

POST = "content/posts/older/en.md"

TAGS = st.sampled_from(
    [
        "",
        "",
        "",
        "!!str ",
        "!!int ",
        "!!float ",
        "!!bool ",
        "!!null ",
        "!!timestamp ",
        "!!binary ",
        "!!set ",
        "!!seq ",
        "!!map ",
        "!!omap ",
        "!!python/object:os.system ",
        "!local ",
        "!<tag:yaml.org,2002:int> ",
    ]
)
GREGORIAN = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
DATES = st.one_of(
    GREGORIAN.map(dt.date.isoformat),
    GREGORIAN.map(lambda date: persian_digits(date.isoformat())),
    GREGORIAN.map(lambda date: date.strftime("%Y%m%d")),
    GREGORIAN.map(lambda date: date.strftime("%G-W%V-%u")),
    GREGORIAN.map(lambda date: f"{date.isoformat()}T10:30:00+03:30"),
    st.tuples(
        st.one_of(GREGORIAN, st.sampled_from([dt.date.min, dt.date.max])),
        st.sampled_from(["00:00:00", "23:59", "12:00:00.5"]),
        st.sampled_from(
            ["", "Z", "+03:30", "-05:00", "+14:00", "-12:00", "+25:00", "+14:60", "-13:00", "+0330"]
        ),
    ).map(lambda parts: f"{parts[0].isoformat()}T{parts[1]}{parts[2]}"),
    st.from_regex(r"\A[0-9۰-۹]{1,5}-[0-9۰-۹]{1,2}-[0-9۰-۹]{1,3}\Z"),
    st.sampled_from(
        [
            "0000-01-01",
            "2024-02-30",
            "2023-13-01",
            "1402-10-11",
            "۱۴۰۲-۱۲-۳۰",
            "0622-03-21",
            "9999-12-31",
            "yesterday",
            "",
            "~",
            "[2024, 1, 1]",
        ]
    ),
)
WORDS = st.sampled_from(
    [
        "سپاه",
        "پاسداران",
        "(IRGC)",
        "می‌خواهد",
        "گزارش",
        "Tehran",
        "2024",
        "۱۴۰۲",
        "«نقل»",
        "#",
        "&anchor",
        "*alias",
        "'",
        '"',
        ":",
        "- ",
        "{",
        "\u202e",
        "e\u0301",
    ]
)
TEXT = st.one_of(
    st.lists(WORDS, min_size=1, max_size=12).map(" ".join),
    st.tuples(st.sampled_from(["سلام ", "x", "گزارش-"]), st.integers(1, 5000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.text(max_size=40),
)


@st.composite
def alias_chain(draw: st.DrawFn) -> list[str]:
    """Nested anchors and aliases, from harmless to a bomb."""
    levels, width = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    lines = [f"a1: &a1 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(2, levels + 1)]
    return lines


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = [f"title: {draw(TAGS)}{draw(TEXT)}"]
    if draw(st.booleans()):
        lines.append(f"date: {draw(TAGS)}{draw(DATES)}")
    if draw(st.booleans()):
        lines.append(f"summary: {draw(TAGS)}{draw(TEXT)}")
    if draw(st.booleans()):
        lines.append(f"draft: {draw(TAGS)}{draw(st.sampled_from(['false', 'no', 'maybe', '0']))}")
    if draw(st.booleans()):
        lines.append(
            f"tags: {draw(TAGS)}{draw(st.sampled_from(['[news]', 'news', '[sport]', '{}']))}"
        )
    if draw(st.booleans()):
        lines += draw(alias_chain())
    if draw(st.booleans()):
        lines.append(
            draw(
                st.sampled_from(
                    [
                        "title: twice",
                        '"date": 2024-01-01',
                        "? [a]\n: b",
                        "author: &me Desk",
                        "<<: {author: x}",
                    ]
                )
            )
        )
    return "\n".join(draw(st.permutations(lines))) + "\n"


def write_post(site: Path, meta: str) -> Path:
    post = site / POST
    post.write_text(f"---\n{meta}---\n\nمتنی با (IRGC) و سپاه پاسداران.\n", encoding="utf-8")
    return post


def assert_located(error: BaseException, site: Path) -> None:
    """Every error is a BilingualError naming a file of the site and a line in it."""
    assert isinstance(error, BilingualError), repr(error)
    errors = error.errors if isinstance(error, ErrorList) else [error]
    for item in errors:
        assert item.path is not None and item.line is not None, str(item)
        assert Path(item.path).resolve().is_relative_to(site.resolve()), str(item)
        lines = Path(item.path).read_text(encoding="utf-8").count("\n") + 1
        assert 1 <= item.line <= lines, str(item)


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="bilingual-front-matter-"))
    try:
        yield copy_site(SITES / "minimal", folder / "site")
    finally:
        shutil.rmtree(folder)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(meta=front_matter())
@example(meta="title: Oldest\ndate: 0001-01-01T00:00:00Z\n")
@example(meta="title: Last\ndate: 9999-12-31T10:00:00+03:30\n")
def test_any_front_matter_reads_or_fails_with_file_and_line(site: Path, meta: str) -> None:
    write_post(site, meta)
    try:
        loaded = load_site(site)
    except Exception as error:
        assert_located(error, site)
    else:
        post = next(post for post in loaded.posts if post.slug == "older")
        assert post.title.get("en")
        for lang in loaded.config.site.codes:  # a date that was read can be shown
            assert post.date is not None and format_date(post.date, lang)


@pytest.fixture(scope="module")
def built_site() -> Iterator[tuple[Path, dict[Path, bytes]]]:
    folder = Path(tempfile.mkdtemp(prefix="bilingual-front-matter-cli-"))
    try:
        site = copy_site(SITES / "minimal", folder / "site")
        result = build(site, pdf=False)
        yield site, {p: p.read_bytes() for p in result.out_dir.rglob("*") if p.is_file()}
    finally:
        shutil.rmtree(folder)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(meta=front_matter())
def test_the_cli_builds_or_exits_1_without_a_traceback_and_keeps_the_site(
    built_site: tuple[Path, dict[Path, bytes]], meta: str
) -> None:
    site, published = built_site
    original = (SITES / "minimal" / POST).read_bytes()
    write_post(site, meta)
    try:
        result = CliRunner().invoke(cli, ["build", str(site), "--no-pdf"])
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 1:
            assert isinstance(result.exception, SystemExit)
            assert f"{site / POST}:" in result.output, result.output
            current = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
            assert current == published
    finally:
        (site / POST).write_bytes(original)
        assert CliRunner().invoke(cli, ["build", str(site), "--no-pdf"]).exit_code == 0


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2010-01-20", dt.date(2010, 1, 20)),
        ("۲۰۱۰-۰۱-۲۰", dt.date(2010, 1, 20)),
        ("٢٠١٠-٠١-٢٠", dt.date(2010, 1, 20)),
        (dt.date(2010, 1, 20), dt.date(2010, 1, 20)),
        ("0622-03-22", dt.date(622, 3, 22)),
    ],
)
def test_dates_in_ascii_or_persian_digits_are_read(written: object, meant: dt.date) -> None:
    assert parse_date(written, jalali=True) == meant


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("20100120", "invalid date '20100120'; write it as YYYY-MM-DD"),
        ("2010-W03-3", "invalid date '2010-W03-3'"),
        ("0000-01-01", "there is no year 0"),
        ("2010-13-01", "there is no month 13"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("0622-03-21", "outside the Persian (Jalali) calendar"),
        (
            "۱۳۸۸-۱۰-۳۰",
            (
                "looks like a Persian (Jalali) date, but dates are written in the "
                "Gregorian calendar: write 2010-01-20"
            ),
        ),
        ("۱۳۸۸-۱۲-۳۰", "looks like a Persian (Jalali) date"),
        (dt.datetime(2010, 1, 20, 10, 0), "a date without a time is expected"),
    ],
)
def test_dates_that_cannot_be_read_say_why(written: object, message: str) -> None:
    with pytest.raises(DateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_date(written, jalali=True)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0001-01-01T00:00:00Z", "outside the Persian (Jalali) calendar"),
        ("9999-12-31T10:00:00+03:30", "outside the Persian (Jalali) calendar"),
        ("9999-12-31T23:00:00-05:00", "in UTC it falls outside the years 0001 to 9999"),
        ("2024-01-01T10:00:00+25:00", "no such time zone in '2024-01-01T10:00:00+25:00'"),
        ("2024-01-01T10:00:00+14:60", "UTC offsets run from -12:00 to +14:00"),
        ("2024-01-01T10:00:00-13:00", "UTC offsets run from -12:00 to +14:00"),
    ],
)
def test_date_times_that_no_page_could_show_say_why(written: str, message: str) -> None:
    with pytest.raises(TimestampError, match=re.escape(message)):
        parse_timestamp(written, jalali=True)


def test_date_times_in_real_zones_are_read() -> None:
    assert parse_timestamp("۲۰۱۰-۰۱-۲۰T۱۴:۳۰:۰۰+۰۳:۳۰").utcoffset() == dt.timedelta(hours=3.5)
    assert parse_timestamp("2010-01-20T14:30:00-1200").utcoffset() == dt.timedelta(hours=-12)
    assert parse_timestamp("0500-01-01T00:00:00+14:00", jalali=False).year == 500


def test_an_english_only_site_takes_dates_before_the_persian_calendar() -> None:
    assert parse_date("0500-01-01", jalali=False) == dt.date(500, 1, 1)
    assert os.path.basename(POST) == "en.md"
