"""Arbitrary Unicode in every field never crashes the build; pages and PDFs show the text given."""

from __future__ import annotations

import functools
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import icu
import pytest
import yaml
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import html

from bilingual import BilingualError, build
from bilingual.errors import RenderError
from bilingual.site.frontmatter import clean_text, one_line
from bilingual.text.bidi import balance_controls
from conftest import ROOT
from pdf_text import poppler_text

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCRIPTS = st.sampled_from(
    [
        "سلام دنیا",
        "می‌خواهد",
        "مرحبا بالعالم",
        "שלום עולם",
        "Hello world",
        "IRGC",
        "(UN)",
        "۱۲۳",
        "2010-01-20",
        "🙂👍🏽",
        "e\u0301",
        "\u200c",
        "\u200d",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u202c",
        "\u200f",
        "<b>",
        "&amp;",
        "\"'",
        "\t",
        "\x01",
        "\u0085",
        "\ufeff",
    ]
)
TEXT = st.one_of(
    st.text(min_size=1, max_size=40), st.lists(SCRIPTS, min_size=1, max_size=8).map(" ".join)
)
BODY_SAFE = st.lists(
    st.sampled_from(
        ["سلام", "دنیا", "می‌خواهد", "world", "IRGC", "۱۲۳", "שלום", "🙂", "\u202e", "\u2067"]
    ),
    min_size=1,
    max_size=30,
)


def write_site(root: Path, title: str, summary: str, label: str, body: str) -> None:
    (root / "content/posts/p").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://p.example/"\nlanguages = ["en", "fa"]\n'
        '[site.title]\nen = "P"\nfa = "پ"\n',
        encoding="utf-8",
    )
    (root / "content/tags.yaml").write_text(
        yaml.safe_dump({"t": {"en": label, "fa": label}}, allow_unicode=True), encoding="utf-8"
    )
    for lang in ("en", "fa"):
        meta = {"title": title, "summary": summary, "tags": ["t"], "date": "2020-01-01"}
        front = yaml.safe_dump(meta, allow_unicode=True)
        (root / f"content/posts/p/{lang}.md").write_text(
            f"---\n{front}---\n\n{body}\n", encoding="utf-8"
        )


def expected(text: str) -> str:
    return balance_controls(one_line(text))


@given(title=TEXT, summary=TEXT, label=TEXT, words=BODY_SAFE)
def test_any_text_builds_or_fails_cleanly(
    title: str, summary: str, label: str, words: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, title, summary, label, " ".join(words))
        try:
            result = build(root, pdf=False)
        except BilingualError:
            assert not expected(title) or not expected(label)
            return
        for lang in ("en", "fa"):
            page = html.fromstring((result.out_dir / f"{lang}/posts/p/index.html").read_bytes())
            assert page.xpath("string(//h1)") == expected(title)
            body = " ".join(page.xpath("string(//div[@class='entry-body'])").split())
            assert body == " ".join(expected(" ".join(words)).split())
            assert expected(label) in page.xpath("string(//ul[@class='tag-list'])")


# --- PDF editions: every character is drawn from a bundled font, or the build says which is not

PRINT_FONTS = ROOT / "templates/print/fonts"
TEXT_FONTS = (
    "Vazirmatn-Regular.ttf",
    "Vazirmatn-Bold.ttf",
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
)  # print.css sets titles and paragraphs in these
OVERRIDES = re.compile("[\u202d\u202e]")
NOT_DRAWN = {"Cf", "Mn"}  # of the default-ignorable characters, these take no glyph

COVERED = st.sampled_from(
    [
        "تنها راه پیش رو",
        "می‌خواهند",
        "سپاه (IRGC) است.",
        "۷۵٪",
        "۱۲٫۵",
        "هٔ",
        "سَلام",
        "The Only Way Forward",
        "Heidari's",
        "café",
        "«نقل»",
        "2010-01-20",
        "U.N.",
        "— …",
    ]
)  # a decomposed accent (e + U+0301) reads back wrong: see test_pdf_edge_text.py
STRAYS = st.sampled_from(["שלום", "🙂👍🏽", "\u0530", "Ա", "漢字", "\ue000", "\u0600", "\u3164"])
CONTROLS = st.sampled_from(
    [
        "\u200c",
        "\u200d",
        "\u202e",
        "\u202b",
        "\u2066",
        "\u2067",
        "\u2069",
        "\u202c",
        "\u200f",
        "\ufeff",
        "\u00ad",
        "\u2060",
        "\t",
        "\x01",
        "\u0085",
    ]
)
ANY_VISIBLE = st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=12)


def words_of(*pools: st.SearchStrategy[str], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.one_of(*pools), min_size=1, max_size=most)


# Half the examples hold only text the fonts have; the others may hold anything.
PRINT_TITLE = st.one_of(
    words_of(COVERED, CONTROLS, most=6), words_of(COVERED, ANY_VISIBLE, STRAYS, CONTROLS, most=6)
).map(" ".join)
# A body starts with a word: a leading tab would make it a code block, set in other fonts.
PRINT_BODY = st.tuples(
    COVERED,
    st.one_of(words_of(COVERED, CONTROLS, most=12), words_of(COVERED, STRAYS, CONTROLS, most=12)),
).map(lambda first_and_rest: [first_and_rest[0], *first_and_rest[1]])


@functools.cache
def bundled_characters() -> frozenset[int]:
    """Every code point the fonts of the print stylesheet have a glyph for."""
    return frozenset(
        code for name in TEXT_FONTS for code in TTFont(PRINT_FONTS / name).getBestCmap()
    )


def needs_glyph(char: str) -> bool:
    """Whether Pango draws ``char`` with a glyph (a NEL does, unlike the spaces of HTML)."""
    ignorable = icu.Char.hasBinaryProperty(char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)
    return char not in " \t\n" and not (ignorable and unicodedata.category(char) in NOT_DRAWN)


def without_glyphs(text: str) -> list[str]:
    return sorted(
        {char for char in text if needs_glyph(char) and ord(char) not in bundled_characters()}
    )


def readable_words(text: str) -> list[str]:
    """The words of ``text`` a reader sees in order: those before any override, which
    deliberately draws its characters backwards."""
    shown = unicodedata.normalize("NFC", OVERRIDES.split(text)[0])
    return re.findall(r"\w+", shown.replace("\u200c", ""))


def searchable(text: str) -> str:
    """Extracted text with the bidi marks of extractors and the ZWNJ taken out."""
    kept = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFC", kept)


@settings(max_examples=int(os.environ.get("HYPOTHESIS_PDF_EXAMPLES", "4")), deadline=None)
@given(title=PRINT_TITLE, words=PRINT_BODY)
@example(title="تنها راه پیش رو (IRGC) ۷۵٪", words=["سلام", "world", "\u2067", "۱۲۳"])
@example(title="Armenian \u0530 is unassigned", words=["دنیا"])
@example(title="سلام", words=["می‌خواهد", "🙂", "שלום"])
def test_any_text_gives_a_readable_pdf_or_names_the_missing_glyphs(
    title: str, words: list[str]
) -> None:
    shown_title, body = expected(title), balance_controls(clean_text(" ".join(words)))
    missing = without_glyphs(shown_title + body)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, title, "s", "label", " ".join(words))
        event("empty title" if not shown_title else "missing glyphs" if missing else "built")
        if not shown_title:
            with pytest.raises(BilingualError, match="'title' is empty"):
                build(root, pdf=True)
            return
        if missing:
            with pytest.raises(RenderError) as raised:
                build(root, pdf=True)
            message = str(raised.value)
            assert re.search(r"content/posts/p/(en|fa)\.md(:\d+)?: no bundled font has ", message)
            assert [f"U+{ord(char):04X}" in message for char in missing] == [True] * len(missing)
            return
        result = build(root, pdf=True)
        for lang in ("en", "fa"):
            text = searchable(poppler_text(result.out_dir / f"{lang}/posts/p/p.{lang}.pdf"))
            absent = [
                word
                for word in readable_words(shown_title) + readable_words(body)
                if word not in text
            ]
            assert not absent, f"{lang} PDF lacks {absent} in {text!r}"
