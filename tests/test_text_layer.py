"""The text layer of Persian PDFs: what poppler, PDFium and pypdf read back from the words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydyf
import pytest
from pdf_text import EXTRACTORS, body, score

from bilingual.publish.pdf.text_layer import (
    Glyph,
    logical_text,
    mark_words,
    pdfium_order,
    span_operator,
    visual_text,
    words,
)
from bilingual.publish.renderers.pdf import post_pdf
from bilingual.publish.templating import template_set
from bilingual.site.reader import load_site
from bilingual.text.languages import language

FIXTURES = Path(__file__).parent / "fixtures"
PROSE = FIXTURES / "persian-prose.md"
PROSE_SLUG = "2024-03-05-printing-in-tabriz"
EXAMPLE_SLUG = "2010-01-20-the-only-way-forward"


def rtl(*texts: str, offset: int = 0) -> list[Glyph]:
    """Glyphs of a right-to-left run, given in drawing order with their source offsets."""
    return [Glyph(text, True, offset=offset + index) for index, text in enumerate(texts)]


# --- the texts a word carries -------------------------------------------------------------


def test_visual_text_reverses_right_to_left_clusters_and_keeps_a_ligature_whole() -> None:
    # اسلامی drawn left to right: ی م ا لا س ا (lam-alef is one glyph standing for two letters)
    glyphs = [Glyph(char, True, offset=offset) for char, offset in
              (("ی", 6), ("م", 5), ("لا", 3), ("س", 2), ("ا", 1))]
    assert visual_text(glyphs) == "یمالسا"
    assert logical_text(glyphs) == "اسلامی"


def test_layout_controls_stay_out_of_the_text() -> None:
    glyphs = [Glyph("\u2066", False, drawn=False, offset=0), Glyph("IRGC", False, offset=1),
              Glyph("\u2069", False, drawn=False, offset=5)]
    assert visual_text(glyphs) == logical_text(glyphs) == "IRGC"


def test_pdfium_order_reverses_only_runs_of_right_to_left_letters() -> None:
    assert pdfium_order("تقریباً") == "ابیرقت\u064b"
    assert pdfium_order("می\u200cخواهند") == "یم\u200cدنهاوخ"
    assert pdfium_order("۱۴۰۳") == "۱۴۰۳"
    assert pdfium_order("ایران،") == "ناریا،"


def test_words_split_at_spaces_and_keep_the_zwnj_inside() -> None:
    # «او می‌خواهند» drawn left to right: خواهند, (empty ZWNJ glyph), می, space, او
    glyphs = [*rtl("د", "ن", "ه", "ا", "و", "خ", offset=0)]
    glyphs = [Glyph(g.text, True, offset=10 - index) for index, g in enumerate(glyphs)]
    glyphs += [Glyph("\u200c", True, drawn=False, offset=4),
               Glyph("ی", True, offset=3), Glyph("م", True, offset=2),
               Glyph(" ", True, offset=1), Glyph("و", True, offset=0.5),  # type: ignore[arg-type]
               Glyph("ا", True, offset=0)]
    found = words(glyphs)
    assert [(word.first, word.last) for word in found] == [(0, 7)]  # «او» reads alone
    assert found[0].logical == "می\u200cخواهند"
    assert found[0].visual == "دنهاوخ\u200cیم"


# --- the content stream -------------------------------------------------------------------


def test_mark_words_splits_the_tj_array_and_keeps_every_offset() -> None:
    # «لا ،» drawn left to right: the comma, a space, the lam-alef ligature
    glyphs = [Glyph("،", True, offset=3), Glyph(" ", True, offset=2),
              Glyph("لا", True, offset=0)]
    operators = [b"/F1 10 Tf", b"[<0001>12<0002>-30<0003>] TJ"]
    properties = pydyf.Dictionary()
    marked = mark_words(operators, glyphs, properties)
    assert marked == [b"/F1 10 Tf", span_operator("،"), b"[<0001>] TJ", b"EMC",
                      b"[12 <0002>] TJ", span_operator("ال"), b"[-30 <0003>] TJ", b"EMC"]
    assert not properties  # poppler and PDFium read these alike


def test_words_of_plain_letters_are_left_to_the_tounicode_map() -> None:
    glyphs = [Glyph("ب", True, offset=2), Glyph(" ", True, offset=1), Glyph("ا", True, offset=0)]
    operators = [b"[<0001>12<0002>-30<0003>] TJ"]
    assert mark_words(operators, glyphs, pydyf.Dictionary()) == operators


def test_a_word_that_pdfium_reads_differently_gets_a_named_inner_span() -> None:
    # تقریباً drawn left to right: the tanwin (raised, its own TJ), then ا ب ی ر ق ت
    glyphs = [Glyph("ا\u064b", True, offset=5), Glyph("", True, offset=5),
              *[Glyph(char, True, offset=4 - index) for index, char in enumerate("بیرقت")]]
    operators = [b"4.4 Ts", b"[32.5<02d4>] TJ", b"0 Ts", b"[-32<0495><049b><046a><04bd><04e7><04a3>] TJ"]
    properties = pydyf.Dictionary()
    marked = mark_words(operators, glyphs, properties)
    (name,) = properties
    assert marked[:3] == [b"4.4 Ts", span_operator("\u064bابیرقت"),
                          b"/Span /" + name.encode() + b" BDC"]
    assert marked[-2:] == [b"EMC", b"EMC"]
    assert properties[name]["ActualText"].data == pydyf.String("ابیرقت\u064b").data
    again = mark_words(operators, glyphs, properties)
    assert b"/Span /" + name.encode() + b" BDC" in again and len(properties) == 1


# --- what extractors read from real Persian prose ---------------------------------------------


@pytest.fixture(scope="module")
def persian_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The PDF editions of a 1,742-word Persian essay and of the example's Persian post."""
    root = tmp_path_factory.mktemp("text-layer") / "site"
    shutil.copytree(Path(__file__).parent.parent / "examples" / "seed-blog", root,
                    ignore=shutil.ignore_patterns("_site", ".bilingual-cache"))
    (root / "content" / "posts" / PROSE_SLUG).mkdir()
    shutil.copy(PROSE, root / "content" / "posts" / PROSE_SLUG / "fa.md")
    site = load_site(root)
    pdfs = {}
    for name, slug in (("prose", PROSE_SLUG), ("example", EXAMPLE_SLUG)):
        post = site.entry(slug)
        path = root / f"{name}.pdf"
        path.write_bytes(post_pdf(site, template_set(root), post, language("fa")))
        pdfs[name] = (path, body(post.sources["fa"].read_text(encoding="utf-8")))
    return pdfs


@pytest.mark.parametrize("text", ["prose", "example"])
@pytest.mark.parametrize("extractor", ["poppler", "pdfium"])
def test_extractors_read_back_the_words_as_written(
        persian_pdfs: dict[str, tuple[Path, str]], text: str, extractor: str) -> None:
    pdf, source = persian_pdfs[text]
    result = score(source, EXTRACTORS[extractor](pdf))
    assert result.words >= 0.99, sorted(result.missing)
    assert result.numbers == 1.0


def test_zwnj_hamza_tanwin_and_lam_alef_survive_copying(
        persian_pdfs: dict[str, tuple[Path, str]]) -> None:
    pdf, _ = persian_pdfs["prose"]
    for extractor in ("poppler", "pdfium"):
        text = EXTRACTORS[extractor](pdf)
        for word in ("می\u200cخواهند", "کتاب\u200cها", "همهٔ", "تقریباً", "اسلامی", "اطلاعات",
                     "۱۴۰۳", "1906", "۱۲٫۵", "مؤسسه\u200cها"):
            assert word in text, (extractor, word)


def test_pypdf_reads_the_glyphs_without_the_text_layer(
        persian_pdfs: dict[str, tuple[Path, str]]) -> None:
    """pypdf ignores /ActualText: its figure shows what the glyphs alone give (reported)."""
    pdf, source = persian_pdfs["prose"]
    result = score(source, EXTRACTORS["pypdf"](pdf))
    assert 0.5 < result.words < 0.99
