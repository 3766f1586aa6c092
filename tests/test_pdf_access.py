"""Tagged PDF/UA-1 editions, machine-independent fonts and right-to-left booklets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from bilingual import build
from bilingual.errors import BilingualError
from bilingual.publish.pdf.pamphlet import make_pamphlet
from conftest import EXAMPLE, copy_site
from pdf_text import EXTRACTORS, body, score

FORWARD = "2010-01-20-the-only-way-forward"
SYMBOLS = "2010-04-01-symbols"
BUNDLED = {"Vazirmatn", "Vazirmatn-Bold", "Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Mono"}

SYMBOLS_FA = """\
---
title: نمادها و کد
date: 2010-04-01
---

## فرمول‌ها

نسبت α به β در این آزمایش ۰٫۵ است · و ضریب γ تغییری نکرد.

## کد

برای ساختن سایت `bilingual build examples/seed-blog` را اجرا کنید.

- نخست متن را بنویسید؛
- سپس آن را بسازید.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(EXAMPLE, tmp_path_factory.mktemp("access") / "seed-blog")
    (root / "content" / "posts" / SYMBOLS).mkdir()
    (root / "content" / "posts" / SYMBOLS / "fa.md").write_text(SYMBOLS_FA, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def symbols_pdf(site: Path) -> Path:
    result = build(site, site / "_site", pdf=True)
    return result.out_dir / "fa" / "posts" / SYMBOLS / f"{SYMBOLS}.fa.pdf"


def structure(reader: PdfReader) -> list[str]:
    """The structure element types of the document, depth first, in reading order."""
    found: list[str] = []

    def visit(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                visit(kid)
        elif isinstance(node, DictionaryObject) and node.get("/Type") == "/StructElem":
            found.append(str(node["/S"])[1:])
            if "/K" in node:
                visit(node["/K"])

    visit(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


def content(reader: PdfReader) -> bytes:
    return b"".join(page.get_contents().get_data() for page in reader.pages)


def test_pdf_is_tagged_pdf_ua_and_passes_qpdf(symbols_pdf: Path) -> None:
    info = subprocess.run(
        ["pdfinfo", str(symbols_pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert "Tagged:          yes" in info
    subprocess.run(["qpdf", "--check", str(symbols_pdf)], check=True, capture_output=True)
    reader = PdfReader(symbols_pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fa" and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"\xd9\x86\xd9\x85\xd8\xa7\xd8\xaf\xd9\x87\xd8\xa7" in xmp


def test_structure_tree_has_headings_in_order_and_lists(symbols_pdf: Path) -> None:
    kinds = structure(PdfReader(symbols_pdf))
    assert [kind for kind in kinds if kind[0] == "H"] == ["H1", "H2", "H2"]
    assert "L" in kinds and kinds.count("LI") >= 2 and "P" in kinds
    outline = PdfReader(symbols_pdf).outline
    assert outline[0].title == "نمادها و کد"
    assert [item.title for item in outline[1]] == ["فرمول‌ها", "کد"]


def test_greek_letters_middle_dot_and_code_use_bundled_fonts(symbols_pdf: Path) -> None:
    report = subprocess.run(
        ["pdffonts", str(symbols_pdf)], check=True, capture_output=True, text=True
    ).stdout
    names = {line.split()[0].split("+")[-1] for line in report.splitlines()[2:]}
    assert names <= BUNDLED, report
    assert "Noto-Sans" in names and "Noto-Sans-Mono" in names
    text = subprocess.run(
        ["pdftotext", str(symbols_pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "α" in text and "bilingual build examples/seed-blog" in text


@pytest.mark.parametrize("character", ["漢", "\U0001f600"])
def test_a_character_no_bundled_font_has_stops_the_build(
    site: Path, tmp_path: Path, character: str
) -> None:
    broken = copy_site(site, tmp_path / "broken")
    post = broken / "content" / "posts" / SYMBOLS / "fa.md"
    post.write_text(SYMBOLS_FA.replace("تغییری نکرد", f"تغییری {character} نکرد"), encoding="utf-8")
    with pytest.raises(BilingualError) as caught:
        build(broken, broken / "_site", pdf=True)
    message = str(caught.value)
    assert f"{post}:8" in message and f"U+{ord(character):04X}" in message
    assert not (broken / "_site").exists()


def test_lines_in_the_other_language_carry_their_lang(site: Path) -> None:
    result = make_pamphlet(
        site, lang="fa", slugs=[FORWARD], parallel=True, out=site / "parallel.pdf"
    )
    streams = content(PdfReader(result.path))
    assert streams.count(b"/Span <</Lang (en)>> BDC") > 20
    assert b"/Span <</Lang (fa)>> BDC" not in streams


def test_imposed_persian_booklet_reads_right_to_left(site: Path) -> None:
    result = make_pamphlet(site, lang="fa", slugs=[FORWARD], booklet=True, out=site / "booklet.pdf")
    root = PdfReader(result.path).trailer["/Root"]
    assert root["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert root["/Lang"] == "fa"


def test_an_imposed_booklet_keeps_its_text_layer_and_claims_no_tags(site: Path) -> None:
    """A sheet holds pages in folding order: the booklet is the printer's file, untagged,
    but its words still read right (the flat pamphlet is the tagged edition)."""
    flat = make_pamphlet(site, lang="fa", slugs=[FORWARD], out=site / "flat.pdf")
    booklet = make_pamphlet(
        site, lang="fa", slugs=[FORWARD], booklet=True, out=site / "imposed.pdf"
    )
    root = PdfReader(booklet.path).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root and "/Metadata" not in root
    assert "Tagged:          yes" in pdfinfo(flat.path)
    assert "Tagged:          no" in pdfinfo(booklet.path)
    subprocess.run(["qpdf", "--check", str(booklet.path)], check=True, capture_output=True)
    source = body((site / "content" / "posts" / FORWARD / "fa.md").read_text(encoding="utf-8"))
    for extractor in ("poppler", "pdfium"):
        result = score(source, EXTRACTORS[extractor](booklet.path))
        assert result.words >= 0.99 and result.numbers == 1.0, (extractor, result.missing)


def pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


def test_text_layer_spans_are_balanced(symbols_pdf: Path) -> None:
    streams = content(PdfReader(symbols_pdf))
    assert streams.count(b"BDC") + streams.count(b"BMC") == streams.count(b"EMC")
