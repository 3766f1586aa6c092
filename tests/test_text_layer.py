"""The text layer of Persian PDFs: what poppler, PDFium and pypdf read back from the words."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pydyf
import pytest

from bidi_oracle import corpus
from bilingual.publish.pdf.pamphlet import make_pamphlet
from bilingual.publish.pdf.readers import pdfium_order
from bilingual.publish.pdf.text_layer import Line, mark_words, span_operator, words
from bilingual.publish.renderers.pdf import post_pdf
from bilingual.publish.templating import template_set
from bilingual.site.reader import load_site
from bilingual.text.languages import language
from pdf_text import BIDI_CONTROLS, EXTRACTORS, body, score

FIXTURES = Path(__file__).parent / "fixtures"
RLM, LRM = "\u200f", "\u200e"
PROSE = FIXTURES / "persian-prose.md"
PROSE_SLUG = "2024-03-05-printing-in-tabriz"
EXAMPLE_SLUG = "2010-01-20-the-only-way-forward"
DIRECTIONS = {"fa": "rtl", "en": "ltr"}


def drawn(
    source: str,
    *clusters: tuple[int, int] | tuple[int, int, bool],
    rtl: bool = True,
    hidden: Sequence[int] = (),
    base: int = 1,
) -> Line:
    """The line of ``source`` whose glyphs, in drawing order, show the given clusters.

    Each cluster is (first character, character count[, right to left]); a cluster
    given twice in a row is drawn with two glyphs. ``hidden``: the indexes of glyphs
    Pango leaves empty (a ZWNJ, an isolate). ``base``: the paragraph's bidi level, 1 for
    a right-to-left one.
    """
    encoded = source.encode()
    byte = [len(source[:index].encode()) for index in range(len(source) + 1)]
    line = Line(encoded, base)
    for index, (first, count, *direction) in enumerate(clusters):
        line.starts.append(byte[first])
        line.ends.append(byte[first + count])
        line.rtl.append(direction[0] if direction else rtl)
        # A glyph in the paragraph's direction is at its level, another one level up.
        line.levels.append(base + (line.rtl[-1] != (base == 1)))
        line.drawn.append(index not in hidden)
    line.code_lengths = [4] * sum(line.drawn)
    return line


def literal_text(written: bytes, before: bytes, after: bytes) -> str:
    """The text of a PDF literal string in UTF-16BE written between ``before`` and ``after``."""
    assert written.startswith(before + b"(\xfe\xff") and written.endswith(b")" + after)
    escaped = written[len(before) + 3 : -len(after) - 1]
    return re.sub(
        rb"\\(.)", lambda match: b"\r" if match[1] == b"r" else match[1], escaped, flags=re.DOTALL
    ).decode("utf-16-be")


def right_to_left(source: str, *glyphs: int | tuple[int, int]) -> Line:
    """``source`` drawn right to left, one glyph per character unless a (start, count) is given."""
    return drawn(source, *[(glyph, 1) if isinstance(glyph, int) else glyph for glyph in glyphs])


# --- the texts a word carries -------------------------------------------------------------


def test_a_ligature_stands_for_two_letters_in_both_orders() -> None:
    # اسلامی drawn left to right: ی م لا س ا (lam-alef is one glyph standing for two letters)
    (word,) = words(right_to_left("اسلامی", 5, 4, (2, 2), 1, 0))
    assert (word.visual, word.logical) == ("یمالسا", "اسلامی")
    assert (word.first, word.last) == (0, 4)


def test_layout_controls_stay_out_of_the_text() -> None:
    # «IRGC را» with the isolates the templates add, drawn left to right: ا ر, space, PDI,
    # I R G C, LRI (Pango draws the isolates as empty glyphs)
    line = drawn(
        "\u2066IRGC\u2069 را",
        (8, 1),
        (7, 1),
        (6, 1),
        (5, 1),
        (1, 1, False),
        (2, 1, False),
        (3, 1, False),
        (4, 1, False),
        (0, 1),
        hidden=(3, 8),
    )
    (word,) = words(line)
    assert (word.visual, word.logical, word.pdfium) == (RLM + "IRGC", "IRGC", "IRGC")
    assert (word.first, word.last) == (3, 6)


def test_pdfium_order_reverses_only_runs_of_right_to_left_letters() -> None:
    assert pdfium_order("تقریباً") == "ابیرقت\u064b"
    assert pdfium_order("می\u200cخواهند") == "یم\u200cدنهاوخ"
    assert pdfium_order("۱۴۰۳") == "۱۴۰۳"
    assert pdfium_order("ایران،") == "ناریا،"


def test_words_split_at_spaces_and_keep_the_zwnj_inside() -> None:
    # «او می‌خواهند» drawn left to right: خواهند, (empty ZWNJ glyph), می, space, او
    line = drawn("او می\u200cخواهند", *[(index, 1) for index in range(11, -1, -1)], hidden=(6,))
    found = words(line)
    assert [(word.first, word.last) for word in found] == [(0, 7)]  # «او» reads alone
    assert found[0].logical == "می\u200cخواهند"
    assert found[0].visual == "دنهاوخ\u200cیم"


def test_the_words_of_a_phrase_in_the_other_direction_share_one_span() -> None:
    # «گفت Is it رفت» drawn left to right: رفت, a space, «Is it» left to right, a space, گفت
    line = drawn(
        "گفت Is it رفت",
        (12, 1),
        (11, 1),
        (10, 1),
        (9, 1),
        *[(index, 1, False) for index in range(4, 9)],
        (3, 1),
        (2, 1),
        (1, 1),
        (0, 1),
    )
    (word,) = words(line)
    assert (word.first, word.last, word.logical) == (4, 8, "Is it")
    # poppler reads the span's text as it is; PDFium reads its runs from the right end
    assert (word.visual, word.pdfium) == (RLM + "Is it", "it Is")


# --- the content stream -------------------------------------------------------------------


def test_mark_words_splits_the_tj_array_and_keeps_every_offset() -> None:
    # «لا لا» drawn left to right: a lam-alef ligature, a space, a lam-alef ligature
    line = right_to_left("لا لا", (3, 2), 2, (0, 2))
    operators = [b"/F1 10 Tf", b"[<0001>12<0002>-30<0003>] TJ"]
    properties = pydyf.Dictionary()
    marked = mark_words(operators, line, properties)
    assert marked == [
        b"/F1 10 Tf",
        span_operator("ال"),
        b"[<0001>] TJ",
        b"EMC",
        b"[12<0002>] TJ",
        span_operator("ال"),
        b"[-30<0003>] TJ",
        b"EMC",
    ]
    assert not properties  # poppler and PDFium read these alike


def test_a_word_inside_one_hex_string_is_cut_out_of_it() -> None:
    # «با اسلامی» drawn left to right in one string: ی م لا س ا, space, ا ب
    line = right_to_left("با اسلامی", 8, 7, (5, 2), 4, 3, 2, 1, 0)
    operators = [b"[<00010002000300040005000600070008>] TJ"]
    marked = mark_words(operators, line, pydyf.Dictionary())
    assert marked == [
        span_operator("یمالسا"),
        b"[<00010002000300040005>] TJ",
        b"EMC",
        b"[<000600070008>] TJ",
    ]


@pytest.mark.parametrize(
    ("logical", "drawing", "poppler", "pdfium"),
    [
        # a sign at the end of a word, or a number, stays before the next space in poppler
        ("آمد.", "3r 2r 1r 0r", RLM + ".دمآ", "دمآ."),
        ("۱۲۵۳", "0 1 2 3", RLM + "۱۲۵۳", "۱۲۵۳"),
        # brackets and quotation marks: mirrored and kept in the word in PDFium
        ("(ایران)", "6r 5r 4r 3r 2r 1r 0r", RLM + ")ناریا(" + RLM, RLM + ")ناریا(" + RLM),
        ("(۱۲", "1 2 0r", RLM + "۱۲(", RLM + ")۲۱"),
        # Latin words: PDFium reads their runs from the right
        ("@UN", "0 1 2", RLM + "@UN", "UN@" + LRM),
        ("true?", "0 1 2 3 4", RLM + "true?" + LRM, LRM + "?true"),
    ],
)
def test_words_in_a_right_to_left_document_get_the_text_each_reader_needs(
    logical: str, drawing: str, poppler: str, pdfium: str
) -> None:
    """``drawing``: the word's characters in the order their glyphs are drawn, ``r`` for
    those in a right-to-left run."""
    source = f"او {logical} رفت"
    start = source.index(logical)
    line = drawn(
        source,
        *[(start + int(glyph.rstrip("r")), 1, glyph.endswith("r")) for glyph in drawing.split()],
    )
    (word,) = words(line, right_to_left_document=True)
    assert (word.visual, word.pdfium) == (poppler, pdfium)


def test_words_of_plain_letters_are_left_to_the_tounicode_map() -> None:
    line = right_to_left("ا ب", 2, 1, 0)
    operators = [b"[<0001>12<0002>-30<0003>] TJ"]
    assert mark_words(operators, line, pydyf.Dictionary()) == operators


def test_a_word_that_pdfium_reads_differently_gets_a_named_inner_span() -> None:
    # تقریباً drawn left to right: the tanwin (raised, its own TJ), then ا ب ی ر ق ت
    line = right_to_left("تقریباً", (5, 2), (5, 2), 4, 3, 2, 1, 0)
    operators = [
        b"4.4 Ts",
        b"[32.5<02d4>] TJ",
        b"0 Ts",
        b"[-32<0495><049b><046a><04bd><04e7><04a3>] TJ",
    ]
    properties = pydyf.Dictionary()
    marked = mark_words(operators, line, properties)
    (name,) = properties
    assert marked[:3] == [
        b"4.4 Ts",
        span_operator("\u064bابیرقت"),
        b"/Span /" + name.encode() + b" BDC",
    ]
    assert marked[-2:] == [b"EMC", b"EMC"]
    assert literal_text(properties[name], b"<</ActualText ", b">>") == "ابیرقت\u064b"
    again = mark_words(operators, line, properties)
    assert b"/Span /" + name.encode() + b" BDC" in again and len(properties) == 1


# --- what extractors read from real Persian prose ---------------------------------------------


@pytest.fixture(scope="module")
def persian_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The PDF editions of a 1,742-word Persian essay and of the example's Persian post."""
    root = tmp_path_factory.mktemp("text-layer") / "site"
    shutil.copytree(
        Path(__file__).parent.parent / "examples" / "seed-blog",
        root,
        ignore=shutil.ignore_patterns("_site", ".bilingual-cache"),
    )
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
    persian_pdfs: dict[str, tuple[Path, str]], text: str, extractor: str
) -> None:
    pdf, source = persian_pdfs[text]
    result = score(source, EXTRACTORS[extractor](pdf))
    assert result.words >= 0.99, sorted(result.missing)
    assert result.numbers == 1.0


@pytest.mark.parametrize("extractor", ["poppler", "pdfium"])
def test_the_persian_column_of_an_english_parallel_edition_reads_as_written(
    tmp_path: Path, extractor: str
) -> None:
    """An English document whose Persian lines are read as in a Persian one."""
    root = tmp_path / "site"
    shutil.copytree(
        Path(__file__).parent.parent / "examples" / "seed-blog",
        root,
        ignore=shutil.ignore_patterns("_site", ".bilingual-cache"),
    )
    out = tmp_path / "parallel.pdf"
    make_pamphlet(root, out=out, lang="en", slugs=[EXAMPLE_SLUG], parallel=True)
    source = body((root / "content" / "posts" / EXAMPLE_SLUG / "fa.md").read_text(encoding="utf-8"))
    result = score(source, EXTRACTORS[extractor](out))
    assert result.words >= 0.99, sorted(result.missing)
    assert result.signed >= 0.97, sorted(result.signed_missing)


@pytest.mark.parametrize("text", ["prose", "example"])
@pytest.mark.parametrize("extractor", ["poppler", "pdfium"])
def test_signs_stay_with_their_words(
    persian_pdfs: dict[str, tuple[Path, str]], text: str, extractor: str
) -> None:
    """Brackets, quotation marks, commas and stops next to Persian words (169 and 47 tokens)."""
    pdf, source = persian_pdfs[text]
    result = score(source, EXTRACTORS[extractor](pdf))
    assert result.signed >= 0.97, sorted(result.signed_missing)


def test_zwnj_hamza_tanwin_and_lam_alef_survive_copying(
    persian_pdfs: dict[str, tuple[Path, str]],
) -> None:
    pdf, _ = persian_pdfs["prose"]
    for extractor in ("poppler", "pdfium"):
        text = EXTRACTORS[extractor](pdf)
        for word in (
            "می\u200cخواهند",
            "کتاب\u200cها",
            "همهٔ",
            "تقریباً",
            "اسلامی",
            "اطلاعات",
            "۱۴۰۳",
            "1906",
            "۱۲٫۵",
            "مؤسسه\u200cها",
        ):
            assert word in text, (extractor, word)


def test_pypdf_reads_the_glyphs_without_the_text_layer(
    persian_pdfs: dict[str, tuple[Path, str]],
) -> None:
    """pypdf ignores /ActualText: its figure shows what the glyphs alone give (reported)."""
    pdf, source = persian_pdfs["prose"]
    result = score(source, EXTRACTORS["pypdf"](pdf))
    assert 0.5 < result.words < 0.99


@pytest.mark.parametrize(
    ("line", "spanned"),
    [
        # «ب» drawn with two glyphs (a font that draws the dot apart): the map cannot tell
        (
            drawn(
                "او ب رفت", (7, 1), (6, 1), (5, 1), (4, 1), (3, 1), (3, 1), (2, 1), (1, 1), (0, 1)
            ),
            (4, 5),
        ),
        # «ب» forced left to right (an override): its glyph is not where the map expects it
        (
            drawn(
                "او ب رفت", (7, 1), (6, 1), (5, 1), (4, 1), (3, 1, False), (2, 1), (1, 1), (0, 1)
            ),
            (4, 4),
        ),
    ],
)
def test_letters_the_tounicode_map_cannot_place_get_a_span(
    line: Line, spanned: tuple[int, int]
) -> None:
    (word,) = words(line)
    assert (word.first, word.last) == spanned
    assert word.logical == "ب"


# --- phrases in the other direction: the mixed-direction corpus ------------------------------


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDF editions of a post of the corpus's Persian sentences and one of its English."""
    root = tmp_path_factory.mktemp("phrases") / "site"
    posts = root / "content" / "posts" / "corpus"
    posts.mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://corpus.example/"\nlanguages = ["en", "fa"]\n'
        'default_language = "en"\n\n[site.title]\nen = "Corpus"\nfa = "پیکره"\n',
        encoding="utf-8",
    )
    (root / "content" / "tags.yaml").write_text("{}\n", encoding="utf-8")
    for lang, direction in DIRECTIONS.items():
        text = "\n\n".join(
            sentence.text for sentence in corpus() if sentence.direction == direction
        )
        (posts / f"{lang}.md").write_text(
            f"---\ntitle: Corpus\ndate: 2015-07-14\n---\n\n{text}\n", encoding="utf-8"
        )
    site = load_site(root)
    pdfs = {}
    for lang in DIRECTIONS:
        pdfs[lang] = root / f"{lang}.pdf"
        pdfs[lang].write_bytes(
            post_pdf(site, template_set(root), site.entry("corpus"), language(lang))
        )
    return pdfs


@pytest.mark.parametrize(
    ("lang", "extractor", "unread"),
    [
        ("fa", "pdfium", set()),
        # a percent sign, and brackets beside a quotation mark, in a Persian line
        ("fa", "poppler", {"۷۵٪", "» (2011)"}),
        ("en", "pdfium", {"» (2001)"}),
        # poppler reads the words of a Persian phrase in an English line from its left end
        (
            "en",
            "poppler",
            {
                "زن، زندگی، آزادی",
                "زن، زندگی، آزادی!",
                "من اینجا هستم.",
                "۲۳ تیر ۱۳۹۴",
                "سال ۱۴۰۱ در ۱۰ تصویر",
                "» (2001)",
            },
        ),
    ],
)
def test_phrases_in_the_other_direction_read_in_their_order(
    corpus_pdfs: dict[str, Path], lang: str, extractor: str, unread: set[str]
) -> None:
    """«Is it true?» in a Persian line reads so, not «true? it Is»: one span per phrase."""
    text = " ".join(BIDI_CONTROLS.sub("", EXTRACTORS[extractor](corpus_pdfs[lang])).split())
    phrases = {
        phrase.text
        for sentence in corpus()
        if sentence.direction == DIRECTIONS[lang]
        for phrase in sentence.phrases
    }
    assert len(phrases) > (40 if lang == "fa" else 12)
    assert {phrase for phrase in phrases if phrase not in text} == unread
