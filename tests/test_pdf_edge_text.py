"""Rare characters in PDF editions: a stray C1 control or a script without a bundled font is named
with its line; accents read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual import build
from bilingual.errors import RenderError
from pdf_text import pdfium_text, poppler_text

PERSIAN_POST = """---
title: تنها راه پیش رو
date: 2010-01-20
---

محمدرضا حیدری، دیپلمات ارشد پیشین ایران در نروژ، در ماه دسامبر اعلام کرد که از وزارت امور خارجه
کناره می‌گیرد و به تهران بازنمی‌گردد.

{paragraph}
"""


def persian_site(root: Path, paragraph: str) -> Path:
    (root / "content/posts/heidari").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://edge.example/"\nlanguages = ["fa"]\n'
        '[site.title]\nfa = "جمهوری دموکراتیک ایران"\n',
        encoding="utf-8",
    )
    (root / "content/tags.yaml").write_text("{}\n", encoding="utf-8")
    (root / "content/posts/heidari/fa.md").write_text(
        PERSIAN_POST.format(paragraph=paragraph), encoding="utf-8"
    )
    return root


def test_a_next_line_control_is_named_with_its_line(tmp_path: Path) -> None:
    # Windows-1252's ellipsis (0x85) read as Latin-1 becomes U+0085, which no font draws.
    site = persian_site(tmp_path / "site", "او گفت: «ما با کشتن مردممان مخالفیم\x85»")
    with pytest.raises(RenderError) as raised:
        build(site, pdf=True)
    assert str(raised.value).startswith(
        f"{site / 'content/posts/heidari/fa.md'}:9: no bundled font has '\\x85' (U+0085 "
    )


def test_a_word_in_a_script_no_bundled_font_has_is_named_with_its_line(tmp_path: Path) -> None:
    # Hebrew: none of the bundled fonts has it; a system font may (DejaVu Sans), or none.
    site = persian_site(tmp_path / "site", "او گفت: «שלום» و رفت.")
    with pytest.raises(RenderError) as raised:
        build(site, pdf=True)
    assert str(raised.value).startswith(
        f"{site / 'content/posts/heidari/fa.md'}:9: no bundled font has 'ו' (U+05D5 "
    )


@pytest.mark.parametrize("name", ["Cafe\u0301 Oslo", "Cafe\u0301"])
def test_a_decomposed_accent_in_a_persian_line_reads_after_its_letter(
    tmp_path: Path, name: str
) -> None:
    site = persian_site(tmp_path / "site", f"او در کافه\u200cای به نام {name} بود.")
    result = build(site, pdf=True)
    pdf = result.out_dir / "fa/posts/heidari/heidari.fa.pdf"
    for text in (poppler_text(pdf), pdfium_text(pdf)):
        assert "\u0301" in text
        assert "\u0301" not in text.replace("e\u0301", "")
