"""Read the text of a PDF as poppler, PDFium and pypdf give it, and score it against a source."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from pypdf import PdfReader

# Persian letters, marks (tanwin, hamza above) and the ZWNJ; digits and punctuation separate words.
PERSIAN_WORD = re.compile(
    r"[\u0621-\u063A\u0640-\u065F\u0670\u067E\u0686\u0698\u06A9\u06AF"
    r"\u06C0\u06CC\u200c]+"
)
NUMBER = re.compile(r"[0-9\u06F0-\u06F9\u066B]{2,}")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# A sign that extractors may move: brackets, quotation marks, commas, stops, question marks.
SIGN = re.compile(r"[()\[\]«»،؛؟!?.,:;]")
# Bidi controls extractors write themselves (poppler's embeddings) or read from the text layer.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def poppler_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdfium_text(pdf: Path) -> str:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\n".join(
            document[index].get_textpage().get_text_range() for index in range(len(document))
        )
    finally:
        document.close()


def pypdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


EXTRACTORS = {"poppler": poppler_text, "pdfium": pdfium_text, "pypdf": pypdf_text}


def persian_words(text: str) -> set[str]:
    return {word.strip("\u200c") for word in PERSIAN_WORD.findall(text) if word.strip("\u200c")}


def signed_words(text: str) -> set[str]:
    """The space-separated tokens holding a Persian letter and a sign: «ایران»، (۱۴۰۳) آمد."""
    plain = re.sub(r"[*#_`]", "", BIDI_CONTROLS.sub("", text))  # Markdown's marks, controls
    return {token for token in plain.split() if SIGN.search(token) and PERSIAN_WORD.search(token)}


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def body(markdown: str) -> str:
    """A post's text without its front matter (the PDF shows the fields, not the keys)."""
    match = FRONT_MATTER.match(markdown)
    fields = match.group(0) if match else ""
    titles = re.findall(r"^(?:title|summary): (.*)$", fields, re.MULTILINE)
    return "\n".join([*titles, markdown[len(fields) :]])


@dataclass(frozen=True)
class Score:
    """How much of the source an extractor gave back exactly."""

    words: float
    numbers: float
    missing: frozenset[str]
    signed: float = 1.0
    signed_missing: frozenset[str] = frozenset()


def score(source: str, extracted: str) -> Score:
    wanted, found = persian_words(source), persian_words(extracted)
    wanted_numbers, found_numbers = numbers(source), numbers(extracted)
    wanted_signed, found_signed = signed_words(source), signed_words(extracted)
    return Score(
        len(wanted & found) / len(wanted),
        len(wanted_numbers & found_numbers) / max(len(wanted_numbers), 1),
        frozenset(wanted - found),
        len(wanted_signed & found_signed) / max(len(wanted_signed), 1),
        frozenset(wanted_signed - found_signed),
    )
