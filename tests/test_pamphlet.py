"""Pamphlets: covers, contents, bookmarks, right-hand starts, booklets and parallel editions."""

from __future__ import annotations

import itertools
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from bilingual.cli import cli
from bilingual.errors import BilingualError
from bilingual.publish.pdf import document as printing
from bilingual.publish.pdf import pamphlet as pamphlet_module
from bilingual.publish.pdf.pamphlet import PamphletResult, make_pamphlet
from bilingual.text.persian import ascii_digits
from conftest import EXAMPLE, copy_site

A5 = (419.53, 595.28)
A4_LANDSCAPE = (841.89, 595.28)
ALIGNED = "2010-03-01-aligned"
FORWARD = "2010-01-20-the-only-way-forward"
ENGLISH_ONLY = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"
MOTTO_EN = "The One Who Wishes To Move A Mountain"

ALIGNED_EN = """\
---
title: Letters From Tehran
date: 2010-03-01
author: Green Embassy desk
tags: [reza-heidari, iran]
summary: Two short letters, side by side with their Persian originals.
---

## The first letter

The streets were quiet on Friday, but the rooftops were not: at ten o'clock the calls rose \
again over the city, as they did every night in June.

## The second letter

The university reopened on Saturday. Students wore green wristbands under their sleeves and \
passed notes with the dates of the next gatherings, written as sums.
"""

ALIGNED_FA = """\
---
title: نامه‌هایی از تهران
summary: دو نامهٔ کوتاه، در کنار متن اصلی فارسی‌شان.
---

## نامهٔ نخست

روز جمعه خیابان‌ها آرام بود، اما بام‌ها نه: ساعت ده شب صدای مردم دوباره از فراز شهر برخاست، \
همان‌گونه که هر شب در خرداد برمی‌خاست.

## نامهٔ دوم

دانشگاه روز شنبه دوباره باز شد. دانشجویان مچ‌بندهای سبز را زیر آستین بسته بودند و یادداشت‌هایی \
با تاریخ گردهمایی بعدی رد و بدل می‌کردند.
"""


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    y: float


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example blog plus a post whose two languages have the same blocks."""
    root = copy_site(EXAMPLE, tmp_path_factory.mktemp("pamphlet") / "seed-blog")
    post = root / "content" / "posts" / ALIGNED
    post.mkdir()
    (post / "en.md").write_text(ALIGNED_EN, encoding="utf-8")
    (post / "fa.md").write_text(ALIGNED_FA, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def english(site: Path) -> PamphletResult:
    return make_pamphlet(site, lang="en", tag="reza-heidari", out=site / "out" / "en.pdf")


@pytest.fixture(scope="module")
def persian(site: Path) -> PamphletResult:
    return make_pamphlet(site, lang="fa", tag="reza-heidari", out=site / "out" / "fa.pdf")


@pytest.fixture(scope="module")
def parallel(site: Path) -> PamphletResult:
    return make_pamphlet(site, tag="reza-heidari", parallel=True, out=site / "out" / "par.pdf")


def page_text(path: Path, page: int) -> str:
    return re.sub(r"\s+", " ", PdfReader(path).pages[page].extract_text().replace("\u200c", ""))


def words(path: Path, page: int) -> list[Word]:
    """Every word of a 1-based page with its top-left corner, in points."""
    layout = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>'
    return [Word(text, float(x), float(y)) for x, y, text in re.findall(pattern, layout)]


def half_text(path: Path, page: int, half: str, width: float = A4_LANDSCAPE[0]) -> str:
    return " ".join(
        word.text for word in words(path, page) if (word.x < width / 2) == (half == "left")
    )


def bookmarks(path: Path) -> list[tuple[str, int]]:
    """The top-level bookmarks (one per post) and their 0-based pages."""
    reader = PdfReader(path)
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


# --- the pamphlet ------------------------------------------------------------------------------


def test_cover_contents_posts_and_back_cover(english: PamphletResult) -> None:
    reader = PdfReader(english.path)
    assert {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader.pages
    } == {A5}
    cover = page_text(english.path, 0)
    for expected in (
        "Democratic Republic of Iran",
        "Our perseverance is our sword",
        "reza heidari",
        "3 posts",
        "March 1, 2010",
    ):
        assert expected in cover
    contents = page_text(english.path, 1)
    assert contents.startswith("Contents")
    assert "The Only Way Forward" in contents and "Letters From Tehran" in contents
    assert MOTTO_EN in page_text(english.path, len(reader.pages) - 1)
    assert "Mohammad Reza Heidari, a former high-ranking" in page_text(english.path, 2)


def test_posts_come_oldest_first_the_first_on_a_right_hand_page(
    english: PamphletResult, persian: PamphletResult
) -> None:
    assert [title for title, _ in bookmarks(english.path)] == [
        "The Only Way Forward",
        "Q&A: Mohammad Reza Heidari on why diplomats like himself and "
        "other Iranian government officials are now opposed to the state",
        "Letters From Tehran",
    ]
    assert [title for title, _ in bookmarks(persian.path)] == [
        "تنها راه پیش رو",
        "نامه‌هایی از تهران",
    ]
    for result in (english, persian):
        pages = [page for _, page in bookmarks(result.path)]
        assert pages[0] == 2  # page 3, a recto in either direction, after the contents


def blank_pages(path: Path) -> list[int]:
    """The 0-based pages that hold no text at all (running heads and numbers are text)."""
    reader = PdfReader(path)
    return [index for index, page in enumerate(reader.pages) if not page.extract_text().strip()]


def test_blank_pages_only_where_the_binding_needs_them(
    english: PamphletResult, persian: PamphletResult
) -> None:
    """Each post after the first starts on the next page; a blank page may only come
    before the back cover, which is a verso."""
    for result in (english, persian):
        reader = PdfReader(result.path)
        last = len(reader.pages) - 1
        starts = [page for _, page in bookmarks(result.path)]
        assert set(blank_pages(result.path)) <= {last - 1}
        assert last % 2 == 1  # the back cover: an even page number, a verso
        for previous, following in itertools.pairwise(starts):
            assert following > previous
            assert following - 1 not in blank_pages(result.path)


def test_back_cover_holds_motto_title_and_address_in_its_middle(
    english: PamphletResult, tmp_path: Path
) -> None:
    reader = PdfReader(english.path)
    back = page_text(english.path, len(reader.pages) - 1)
    assert MOTTO_EN in back and "Democratic Republic of Iran" in back
    assert "https://example.org/" in back
    image = render(english.path, len(reader.pages), tmp_path)
    rows = [
        y
        for y in range(image.height)
        if any(image.getpixel((x, y)) < 160 for x in range(0, image.width, 2))
    ]
    top, bottom = min(rows), max(rows)
    assert top > image.height * 0.25 and bottom < image.height * 0.75
    assert abs((top + bottom) / 2 - image.height / 2) < image.height * 0.12


def test_parallel_columns_have_the_same_gutter(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each side of the column rule gets the same padding, whatever the cell's direction."""
    printed: list[tuple[str, list[object]]] = []
    original = pamphlet_module.write_pdf

    def keep(html: str, stylesheets: list[object], *args: object, **kwargs: object) -> bytes:
        printed.append((html, stylesheets))
        return original(html, stylesheets, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pamphlet_module, "write_pdf", keep)
    for lang in ("en", "fa"):
        make_pamphlet(site, lang=lang, slugs=[ALIGNED], parallel=True, out=site / "gutter.pdf")
    for html, stylesheets in printed:
        document = HTML(string=html).render(
            stylesheets=stylesheets, font_config=printing.font_configuration()
        )
        rows = [
            box
            for page in document.pages
            for box in page._page_box.descendants()
            if box.element_tag == "tr"
        ]
        assert rows
        for row in rows:
            left, right = (cell for cell in row.children if cell.element_tag == "td")
            assert left.border_right_width > 0
            assert left.padding_right == right.padding_left > 5


def test_contents_give_each_post_its_page_number(
    english: PamphletResult, persian: PamphletResult
) -> None:
    for result in (english, persian):
        contents = PdfReader(result.path).pages[1].extract_text()
        numbers = [
            int(ascii_digits(found))
            for found in re.findall(r"[0-9۰-۹]+", contents)
            if not re.fullmatch(r"[0-9۰-۹]{4}", found)
        ]  # not years
        listed = [number for number in numbers if number > 2 and number != 20]
        assert sorted(set(listed)) == [page + 1 for _, page in bookmarks(result.path)]
    assert re.search(r"[۰-۹]", PdfReader(persian.path).pages[1].extract_text())


def test_persian_pamphlet_reads_right_to_left(persian: PamphletResult) -> None:
    reader = PdfReader(persian.path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fa" and root["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert reader.metadata.title == "رضا حیدری"
    assert "جمهوری دموکراتیک ایران" in page_text(persian.path, 0)
    assert "فهرست" in page_text(persian.path, 1)
    assert "آن که میخواهد کوهی را جابهجا کند" in page_text(persian.path, len(reader.pages) - 1)


def test_page_numbers_sit_in_the_outer_corner(
    english: PamphletResult, persian: PamphletResult, tmp_path: Path
) -> None:
    """Page 3 is a right-hand page in English but a left-hand one in Persian."""
    for result, outer in ((english, "right"), (persian, "left")):
        image = render(result.path, 3, tmp_path)
        footer = image.crop((0, int(image.height * 0.91), image.width, image.height))
        ink = [
            x
            for x in range(footer.width)
            for y in range(footer.height)
            if footer.getpixel((x, y)) < 128
        ]
        assert ink, "no page number"
        assert (sum(ink) / len(ink) > image.width / 2) == (outer == "right")


def render(path: Path, page: int, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / f"{path.stem}-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("L")


def test_pamphlet_by_list_keeps_the_order_given(site: Path) -> None:
    result = make_pamphlet(
        site, lang="en", slugs=[ALIGNED, FORWARD], out=site / "list.pdf", title="Two posts"
    )
    assert [post.slug for post in result.posts] == [ALIGNED, FORWARD]
    assert [title for title, _ in bookmarks(result.path)] == [
        "Letters From Tehran",
        "The Only Way Forward",
    ]
    assert "Two posts" in page_text(result.path, 0)
    assert PdfReader(result.path).metadata.title == "Two posts"


# --- booklets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, cover_half", [("en", "right"), ("fa", "left")])
def test_booklet_imposes_a5_pages_on_a4_sheets(site: Path, lang: str, cover_half: str) -> None:
    flat = make_pamphlet(site, lang=lang, tag="reza-heidari", out=site / f"flat-{lang}.pdf")
    booklet = make_pamphlet(
        site, lang=lang, tag="reza-heidari", booklet=True, out=site / f"booklet-{lang}.pdf"
    )
    reader = PdfReader(booklet.path)
    assert booklet.pages == flat.pages
    assert len(reader.pages) == 2 * math.ceil(flat.pages / 4)
    assert {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader.pages
    } == {A4_LANDSCAPE}
    assert all(page.rotation == 0 for page in reader.pages)
    back_half = "left" if cover_half == "right" else "right"
    year = {"en": "2010", "fa": "۱۳۸۸"}[lang]  # the date is on the front cover only
    assert year in half_text(booklet.path, 1, cover_half)
    back = half_text(booklet.path, 1, back_half)
    assert year not in back and re.search("[A-Za-z\u0600-\u06ff]{4}", back)
    assert reader.trailer["/Root"]["/Lang"] == lang


# --- parallel editions ----------------------------------------------------------------------------


def test_parallel_edition_pairs_blocks_side_by_side(parallel: PamphletResult) -> None:
    start = dict(bookmarks(parallel.path))["Letters From Tehran"] + 1
    page = words(parallel.path, start)
    english_heading = next(word for word in page if word.text == "second")
    persian_heading = next(word for word in page if word.text in ("دوم", "مود"))  # any order
    assert english_heading.x < A5[0] / 2 < persian_heading.x
    assert abs(english_heading.y - persian_heading.y) < 3  # the same row
    persian_words = [word for word in page if re.search("[\u0600-\u06ff]", word.text)]
    assert all(word.x > A5[0] / 2 - 5 for word in persian_words)


def test_parallel_edition_sets_unmatched_texts_one_after_the_other(
    parallel: PamphletResult,
) -> None:
    start = dict(bookmarks(parallel.path))["The Only Way Forward"]
    reader = PdfReader(parallel.path)
    texts = [page_text(parallel.path, index) for index in range(start, len(reader.pages))]
    english_page = next(i for i, text in enumerate(texts) if "Mohammad Reza Heidari, a" in text)
    persian_page = next(i for i, text in enumerate(texts) if "تنها راه پیش رو" in text)
    assert english_page == 0 and persian_page > english_page


def test_parallel_edition_skips_untranslated_posts(parallel: PamphletResult) -> None:
    assert [post.slug for post in parallel.skipped] == [ENGLISH_ONLY]
    assert [post.slug for post in parallel.posts] == [FORWARD, ALIGNED]
    assert parallel.warnings == (f"skipped {ENGLISH_ONLY}: not translated into fa",)
    assert "Q&A" not in " ".join(title for title, _ in bookmarks(parallel.path))


def test_cli_warns_about_skipped_posts_and_reports_what_it_wrote(site: Path) -> None:
    out = site / "cli" / "parallel.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "pamphlet",
            str(site),
            "--parallel",
            "--lang",
            "fa",
            "--tag",
            "reza-heidari",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"warning: skipped {ENGLISH_ONLY}: not translated into fa" in result.stderr
    assert "of 2 posts" in result.stdout and out.is_file()
    root = PdfReader(out).trailer["/Root"]
    assert root["/Lang"] == "fa" and root["/ViewerPreferences"]["/Direction"] == "/R2L"


# --- errors, atomic writes and reproducible bytes ---------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        ({"tag": "no-such-tag"}, "unknown tag 'no-such-tag'"),
        ({"slugs": ["no-such-post"]}, "unknown post 'no-such-post'"),
        ({"tag": "iran", "slugs": [FORWARD]}, "not both"),
        ({"lang": "de"}, "unknown language 'de'"),
        ({"lang": "fa", "tag": "iranian-university-protests"}, "no post matches"),
        ({"lang": "fa", "slugs": [ENGLISH_ONLY]}, f"post '{ENGLISH_ONLY}' has no"),
    ],
)
def test_bad_options_are_clear_errors_and_write_nothing(
    site: Path, options: dict[str, object], message: str
) -> None:
    out = site / "errors" / "never.pdf"
    with pytest.raises(BilingualError, match=re.escape(message)):
        make_pamphlet(site, out=out, **options)  # type: ignore[arg-type]
    assert not out.exists()


def test_parallel_needs_a_second_language(tmp_path: Path) -> None:
    root = tmp_path / "english-only"
    (root / "content" / "posts" / "hello").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://example.org/"\nlanguages = ["en"]\n'
        '[site.title]\nen = "English only"\n',
        encoding="utf-8",
    )
    (root / "content" / "posts" / "hello" / "en.md").write_text(
        "---\ntitle: Hello\ndate: 2010-01-01\n---\n\nHello.\n", encoding="utf-8"
    )
    assert make_pamphlet(root, out=tmp_path / "one.pdf").pages >= 3
    with pytest.raises(BilingualError, match="at least two languages"):
        make_pamphlet(root, parallel=True, out=tmp_path / "two.pdf")


def test_cli_reports_errors_without_a_traceback(site: Path) -> None:
    result = CliRunner().invoke(
        cli, ["pamphlet", str(site), "--tag", "nope", "--out", str(site / "nope.pdf")]
    )
    assert result.exit_code == 1
    assert "error: unknown tag 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_a_failed_pamphlet_leaves_the_previous_file_alone(site: Path) -> None:
    out = site / "keep" / "pamphlet.pdf"
    out.parent.mkdir()
    out.write_bytes(b"previous")
    with pytest.raises(BilingualError):
        make_pamphlet(site, tag="no-such-tag", out=out)
    assert out.read_bytes() == b"previous"
    make_pamphlet(site, slugs=[FORWARD], out=out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [path.name for path in out.parent.iterdir()] == ["pamphlet.pdf"]


def test_same_posts_give_the_same_bytes_dated_by_source_date_epoch(
    site: Path, english: PamphletResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = make_pamphlet(site, lang="en", tag="reza-heidari", out=site / "again.pdf")
    assert again.path.read_bytes() == english.path.read_bytes()
    assert PdfReader(english.path).metadata["/CreationDate"] == "D:20100301000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262649600")  # 2010-01-05
    dated = make_pamphlet(site, lang="en", tag="reza-heidari", out=site / "dated.pdf")
    assert PdfReader(dated.path).metadata["/CreationDate"] == "D:20100105000000Z"
    assert "January 5, 2010" in page_text(dated.path, 0)


# --- images in a post's folder ---------------------------------------------------------------

PICTURED = "2010-05-01-pictured"


@pytest.fixture(scope="module")
def pictured_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example blog plus a post in both languages showing a picture from its own folder."""
    root = copy_site(EXAMPLE, tmp_path_factory.mktemp("pictured") / "seed-blog")
    post = root / "content" / "posts" / PICTURED
    post.mkdir()
    Image.new("RGB", (240, 120), (31, 122, 77)).save(post / "square.png")
    (post / "en.md").write_text(
        "---\ntitle: Azadi Square\ndate: 2010-05-01\n---\n\n"
        "The square at dawn:\n\n![Azadi Square](square.png)\n",
        encoding="utf-8",
    )
    (post / "fa.md").write_text(
        "---\ntitle: میدان آزادی\n---\n\nمیدان در سپیده‌دم:\n\n![میدان آزادی](square.png)\n",
        encoding="utf-8",
    )
    return root


def pictures(path: Path) -> int:
    """How many times the pages draw an image (resources may be shared by every page)."""
    drawn = 0
    for page in PdfReader(path).pages:
        objects = page["/Resources"].get("/XObject", {})
        images = [name for name, ref in objects.items() if ref.get_object()["/Subtype"] == "/Image"]
        content = page.get_contents()
        data = content.get_data() if content is not None else b""
        drawn += sum(data.count(f"{name} Do".encode()) for name in images)
    return drawn


@pytest.mark.parametrize("options", [{"lang": "fa"}, {"lang": "en", "parallel": True}])
def test_pamphlets_show_pictures_from_the_post_folder(
    pictured_site: Path, options: dict[str, object]
) -> None:
    result = make_pamphlet(
        pictured_site, slugs=[PICTURED], out=pictured_site / "out.pdf", **options
    )  # type: ignore[arg-type]
    assert pictures(result.path) == (2 if options.get("parallel") else 1)


def test_a_pamphlet_names_the_line_of_a_picture_outside_the_site(pictured_site: Path) -> None:
    source = pictured_site / "content" / "posts" / PICTURED / "en.md"
    text = source.read_text(encoding="utf-8")
    outside = "../../../bilingual.toml"  # from the post's folder: outside content/
    source.write_text(text + f"\n![host]({outside})\n", encoding="utf-8")
    try:
        with pytest.raises(BilingualError) as raised:
            make_pamphlet(pictured_site, lang="en", slugs=[PICTURED], out=pictured_site / "x.pdf")
    finally:
        source.write_text(text, encoding="utf-8")
    assert raised.value.path == source and raised.value.line == 10
    assert outside in raised.value.message
