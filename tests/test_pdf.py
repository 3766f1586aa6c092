"""The PDF editions of posts: page size, fonts, language and direction, metadata, text, layout."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from bilingual import BuildResult, build, load_site
from bilingual.publish.pdf import document as printing
from bilingual.publish.renderers.pdf import post_html, post_pdf
from bilingual.publish.templating import template_set
from bilingual.text.languages import language

SLUG = "2010-01-20-the-only-way-forward"
ENGLISH_ONLY = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"
PERSIAN_PDF = f"fa/posts/{SLUG}/{SLUG}.fa.pdf"
ENGLISH_PDF = f"en/posts/{SLUG}/{SLUG}.en.pdf"
A5 = (419.53, 595.28)
A4 = (595.28, 841.89)
DPI = 60
MM = DPI / 25.4


def read(result: BuildResult, path: str) -> PdfReader:
    return PdfReader(result.out_dir / path)


def plain(text: str) -> str:
    """Extracted text without the joiners and spacing that text extraction drops or adds."""
    return re.sub(r"\s+", " ", text.replace("\u200c", ""))


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def render_page(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return Image.open(tmp_path / f"page-{page}.png").convert("L")


def text_lines(image: Image.Image, top: float, bottom: float) -> list[tuple[int, int]]:
    """The (leftmost, rightmost) ink of each line of text between ``top`` and ``bottom`` px.

    A band of rows with ink is a line; bands under three rows tall (a descender cut
    off by anti-aliasing, a rule) are not text.
    """
    pixels = image.load()
    lines: list[tuple[int, int]] = []
    band: list[tuple[int, int]] = []
    for y in range(int(top), int(bottom) + 1):
        ink = [x for x in range(image.width) if pixels[x, y] < 160] if y < bottom else []
        if ink:
            band.append((min(ink), max(ink)))
        elif band:
            if len(band) >= 3:
                lines.append((min(left for left, _ in band), max(right for _, right in band)))
            band = []
    return lines


# --- the build writes them ---------------------------------------------------------------


def test_build_writes_one_pdf_per_post_and_language(built_example_with_pdf: BuildResult) -> None:
    manifest = json.loads((built_example_with_pdf.out_dir / "manifest.json").read_text())
    pdfs = {
        (entry["slug"], entry["lang"]): entry["path"]
        for entry in manifest["outputs"]
        if entry["kind"] == "pdf"
    }
    assert pdfs == {
        (SLUG, "en"): ENGLISH_PDF,
        (SLUG, "fa"): PERSIAN_PDF,
        (ENGLISH_ONLY, "en"): f"en/posts/{ENGLISH_ONLY}/{ENGLISH_ONLY}.en.pdf",
    }
    for path in pdfs.values():
        assert (built_example_with_pdf.out_dir / path).read_bytes().startswith(b"%PDF-")


def test_post_pages_link_to_their_pdf_edition(built_example_with_pdf: BuildResult) -> None:
    out = built_example_with_pdf.out_dir
    persian = (out / f"fa/posts/{SLUG}/index.html").read_text()
    english = (out / f"en/posts/{SLUG}/index.html").read_text()
    assert re.search(rf'<a href="{SLUG}.fa.pdf"[^>]*>دریافت PDF</a>', persian)
    assert re.search(rf'<a href="{SLUG}.en.pdf"[^>]*>Download PDF</a>', english)


def test_no_pdf_builds_no_pdf_and_no_link(built_example: BuildResult) -> None:
    assert not list(built_example.out_dir.rglob("*.pdf"))
    assert "Download PDF" not in (built_example.out_dir / f"en/posts/{SLUG}/index.html").read_text()


# --- what the PDF holds --------------------------------------------------------------------


def test_pages_are_a5_by_default(built_example_with_pdf: BuildResult) -> None:
    for path in (ENGLISH_PDF, PERSIAN_PDF):
        reader = read(built_example_with_pdf, path)
        assert len(reader.pages) >= 2
        assert {page_size(reader, i) for i in range(len(reader.pages))} == {A5}


def test_vazirmatn_regular_and_bold_are_embedded(built_example_with_pdf: BuildResult) -> None:
    for path in (ENGLISH_PDF, PERSIAN_PDF):
        report = subprocess.run(
            ["pdffonts", str(built_example_with_pdf.out_dir / path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        fonts = {line.split()[0].split("+")[-1]: line.split() for line in report.splitlines()[2:]}
        assert set(fonts) == {"Vazirmatn", "Vazirmatn-Bold"}, report
        assert all(row[-5] == "yes" for row in fonts.values()), report  # the "emb" column


def test_persian_edition_reads_right_to_left(built_example_with_pdf: BuildResult) -> None:
    persian = read(built_example_with_pdf, PERSIAN_PDF).trailer["/Root"]
    english = read(built_example_with_pdf, ENGLISH_PDF).trailer["/Root"]
    assert persian["/Lang"] == "fa"
    assert persian["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert english["/Lang"] == "en"
    assert "/Direction" not in english["/ViewerPreferences"]
    for root in (persian, english):
        assert root["/PageLayout"] == "/TwoPageRight"
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)


def test_metadata_comes_from_the_post(built_example_with_pdf: BuildResult) -> None:
    english = read(built_example_with_pdf, ENGLISH_PDF).metadata
    persian = read(built_example_with_pdf, PERSIAN_PDF).metadata
    assert english.title == "The Only Way Forward"
    assert persian.title == "تنها راه پیش رو"
    assert english.author == persian.author == "Green Embassy desk"
    for metadata in (english, persian):
        assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20100120000000Z"


def test_title_header_and_body_text_are_present(built_example_with_pdf: BuildResult) -> None:
    english = plain(read(built_example_with_pdf, ENGLISH_PDF).pages[0].extract_text())
    persian = plain(read(built_example_with_pdf, PERSIAN_PDF).pages[0].extract_text())
    assert "The Only Way Forward" in english
    assert "January 20, 2010" in english and "by Green Embassy desk" in english
    assert "Filed under" in english and "reza heidari" in english
    assert "Mohammad Reza Heidari, a former high-ranking Iranian diplomat" in english
    assert "تنها راه پیش رو" in persian and "Green Embassy desk" in persian
    assert "بایگانیشده در" in persian and "رضا حیدری" in persian
    assert "محمدرضا حیدری، دیپلمات ارشد پیشین ایران در نروژ" in persian


def test_running_header_and_page_numbers_use_the_edition_digits(
    built_example_with_pdf: BuildResult,
) -> None:
    persian = read(built_example_with_pdf, PERSIAN_PDF)
    english = read(built_example_with_pdf, ENGLISH_PDF)
    second_fa = persian.pages[1].extract_text().split()
    second_en = english.pages[1].extract_text()
    assert "۲" in second_fa and "2" not in second_fa
    assert "جمهوری" in second_fa  # the site's title heads a verso
    assert "Democratic Republic of Iran" in second_en
    assert "The Only Way Forward" in english.pages[2].extract_text()  # the post's, a recto
    first = english.pages[0].extract_text().splitlines()
    assert first[0] == "Democratic Republic of Iran"  # no running header on the first page


def test_post_title_is_a_bookmark(built_example_with_pdf: BuildResult) -> None:
    for path, title in ((ENGLISH_PDF, "The Only Way Forward"), (PERSIAN_PDF, "تنها راه پیش رو")):
        reader = read(built_example_with_pdf, path)
        assert [item.title for item in reader.outline] == [title]
        assert reader.get_destination_page_number(reader.outline[0]) == 0


def test_print_html_isolates_with_unicode_controls_not_bdi(example_site: Path) -> None:
    site = load_site(example_site)
    post = site.entry(SLUG)
    html = post_html(site, template_set(example_site), post, language("fa"))
    assert '<html lang="fa" dir="rtl">' in html
    assert "<bdi" not in html
    assert "(\u2066IRGC\u2069)" in html
    assert "\u2066Green Embassy desk\u2069" in html


def test_same_input_gives_the_same_bytes(
    built_example_with_pdf: BuildResult, tmp_path: Path
) -> None:
    again = build(built_example_with_pdf.site.config.root, tmp_path / "again", pdf=True)
    for path in (ENGLISH_PDF, PERSIAN_PDF):
        assert (again.out_dir / path).read_bytes() == (
            built_example_with_pdf.out_dir / path
        ).read_bytes()


# --- layout on the page ----------------------------------------------------------------------


def test_persian_text_starts_at_the_right_margin(
    built_example_with_pdf: BuildResult, tmp_path: Path
) -> None:
    image = render_page(built_example_with_pdf.out_dir / PERSIAN_PDF, 1, tmp_path)
    right_margin = image.width - 16 * MM
    left_margin = 16 * MM
    lines = text_lines(image, 18 * MM, image.height - 20 * MM)
    assert len(lines) > 15
    assert all(abs(right - right_margin) <= 3 for _left, right in lines), lines
    ragged = [left for left, _right in lines if left > left_margin + 20 * MM]
    assert len(ragged) >= 4  # short lines (titles, paragraph ends) hang from the right


def test_english_text_starts_at_the_left_margin(
    built_example_with_pdf: BuildResult, tmp_path: Path
) -> None:
    image = render_page(built_example_with_pdf.out_dir / ENGLISH_PDF, 1, tmp_path)
    lines = text_lines(image, 18 * MM, image.height - 20 * MM)
    assert len(lines) > 15
    assert all(abs(left - 16 * MM) <= 3 for left, _right in lines), lines
    assert len([right for _left, right in lines if right < image.width - 36 * MM]) >= 4


def body_font_size(reader: PdfReader, index: int) -> float:
    """The font size most of the page's characters are set in (in the PDF's own units)."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        sizes[round(size, 2)] += len(text.strip())

    reader.pages[index].extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def test_page_size_margins_and_font_size_come_from_the_config(
    built_example_with_pdf: BuildResult, example_site: Path, tmp_path: Path
) -> None:
    config = example_site / "bilingual.toml"
    config.write_text(
        config.read_text() + '\n[pdf]\npage_size = "A4"\nmargin = "30mm"\nfont_size = "14pt"\n'
    )
    result = build(example_site, pdf=True)
    reader = read(result, PERSIAN_PDF)
    assert page_size(reader) == A4
    image = render_page(result.out_dir / PERSIAN_PDF, 1, tmp_path)
    lines = text_lines(image, 30 * MM, image.height - 30 * MM)
    assert len(lines) > 15
    assert all(abs(right - (image.width - 30 * MM)) <= 4 for _left, right in lines)
    default = read(built_example_with_pdf, PERSIAN_PDF)
    assert body_font_size(reader, 1) / body_font_size(default, 1) == pytest.approx(
        14 / 10.5, rel=1e-3
    )


# --- one font configuration and stylesheet per process ----------------------------------------


def test_fonts_and_stylesheets_are_loaded_once_per_process(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    original_css = printing.CSS

    def counting_css(*args: object, **kwargs: object) -> object:
        parsed.append(str(kwargs.get("base_url")))
        return original_css(*args, **kwargs)

    monkeypatch.setattr(printing, "CSS", counting_css)
    printing.parsed_stylesheet.cache_clear()
    printing.font_configuration.cache_clear()
    site = load_site(example_site)
    templates = template_set(example_site)
    for lang in ("en", "fa", "en", "fa"):
        for post in site.posts_in(lang):
            post_pdf(site, templates, post, language(lang))
    assert len(parsed) == 3  # print.css once, page.css once per language
    assert printing.font_configuration.cache_info().misses == 1
    printing.parsed_stylesheet.cache_clear()


def running_heads(html: str, stylesheets: list[object]) -> list[str]:
    """The text each page's running heads hold once laid out (before any ellipsis is drawn)."""
    document = HTML(string=html).render(
        stylesheets=stylesheets, font_config=printing.font_configuration()
    )
    return [
        "".join(box.text for box in margin.descendants() if isinstance(box, boxes.TextBox))
        for page in document.pages
        for margin in page._page_box.children
        if isinstance(margin, boxes.MarginBox) and margin.at_keyword.startswith("@top")
    ]


def test_a_long_title_is_cut_in_the_running_head(example_site: Path) -> None:
    """The title is printed whole, but the running head holds one short line of it: laying
    out a 200,000-character title on every page took seconds per page."""
    title = "Azadi " * 300
    folder = example_site / "content" / "posts" / "2024-01-01-long-title"
    folder.mkdir()
    paragraph = "Women, life, freedom: the words were written on every wall of the city. " * 12
    (folder / "en.md").write_text(
        f"---\ntitle: {title}\ndate: 2024-01-01\n---\n\n" + f"{paragraph}\n\n" * 12,
        encoding="utf-8",
    )
    site = load_site(example_site)
    templates = template_set(example_site)
    html = post_html(site, templates, site.entry("2024-01-01-long-title"), language("en"))
    heads = running_heads(
        html, printing.print_stylesheets(templates, language("en"), site.config.pdf)
    )
    assert any(head.startswith("Azadi Azadi") for head in heads), heads
    assert max(map(len, heads)) <= 160
    assert f'data-bookmark="{title[:159]}…"' in html


def body_lines(html: str, stylesheets: list[object]) -> list[tuple[str, float]]:
    """Each line of the body's paragraphs: its text and the space justification added."""
    document = HTML(string=html).render(
        stylesheets=stylesheets, font_config=printing.font_configuration()
    )
    lines = []
    for page in document.pages:
        for paragraph in page._page_box.descendants():
            if (
                isinstance(paragraph, boxes.BlockBox)
                and paragraph.element_tag == "p"
                and paragraph.element.get("class") is None
            ):
                for line in paragraph.children:
                    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
                    lines.append(
                        (
                            "".join(box.text for box in texts),
                            max((box.justification_spacing for box in texts), default=0),
                        )
                    )
    return lines


def test_persian_is_set_from_the_start_and_english_justified(example_site: Path) -> None:
    """Justified Persian stretched one space in ten by 90 % or more: rivers (see print.css)."""
    corpus = [
        entry["text"]
        for entry in yaml.safe_load(
            (Path(__file__).parent / "fixtures" / "bidi-corpus.yaml").read_text(encoding="utf-8")
        )
        if entry["dir"] == "rtl"
    ]
    folder = example_site / "content" / "posts" / "2015-07-14-mixed"
    folder.mkdir()
    paragraphs = [" ".join(corpus[start : start + 6]) for start in range(0, len(corpus), 6)]
    (folder / "fa.md").write_text(
        "---\ntitle: پیکره\ndate: 2015-07-14\n---\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
    )
    site = load_site(example_site)
    templates = template_set(example_site)
    persian, english = (
        body_lines(
            post_html(site, templates, site.entry(slug), language(code)),
            printing.print_stylesheets(templates, language(code), site.config.pdf),
        )
        for slug, code in (("2015-07-14-mixed", "fa"), (SLUG, "en"))
    )
    assert len(persian) > 20 and all(stretch == 0 for _, stretch in persian)
    assert sum(stretch > 0 for _, stretch in english) > 10
    # No Persian line holds only an English phrase.
    assert not [
        text
        for text, _ in persian
        if {unicodedata.bidirectional(char) for char in text if char.isalpha()} == {"L"}
    ]
