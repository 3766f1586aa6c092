"""Check saddle-stitch imposition by folding simulated sheets and reading real PDFs."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    create_string_object,
)

from bilingual.errors import RenderError
from bilingual.publish.pdf.imposition import (
    A4_LANDSCAPE,
    Sheet,
    impose_booklet,
    saddle_stitch_order,
)

A5 = (419.53, 595.28)
A4_PORTRAIT = (595.28, 841.89)
BINDINGS = ("left", "right")
HALF_INDEX = {
    ("front", "left"): 0,
    ("front", "right"): 1,
    ("back", "left"): 2,
    ("back", "right"): 3,
}
MIRROR = {"left": "right", "right": "left"}


# --- page order -------------------------------------------------------------


def face(sheet: Sheet, side: str, half: str) -> int | None:
    return sheet[HALF_INDEX[side, half]]


def fold_and_read(sheets: list[Sheet], binding: str) -> list[int | None]:
    """Nest the sheets (outermost first), fold them front side out, and read every face.

    Printed with a flip on the short edge, the back of a half lies at the
    mirrored position. With the spine on the left the right halves end up on
    top of the closed booklet; with the spine on the right, the left halves.
    """
    upper, lower = MIRROR[binding], binding  # the back of the upper half is printed at `lower`
    going_in = [(face(sheet, "front", upper), face(sheet, "back", lower)) for sheet in sheets]
    coming_out = [(face(sheet, "back", upper), face(sheet, "front", lower)) for sheet in sheets]
    leaves = going_in + coming_out[::-1]
    return [page for leaf in leaves for page in leaf]


_ = None  # a blank half, in the reading orders below
# The faces of the folded booklet, front cover first, worked out by hand: blanks go just
# before the back cover, or after the last page when the last page need not stay last.
READING_KEEPING_THE_LAST_PAGE_LAST = {
    1: [0, _, _, _],
    2: [0, _, _, 1],
    3: [0, 1, _, 2],
    4: [0, 1, 2, 3],
    5: [0, 1, 2, 3, _, _, _, 4],
    6: [0, 1, 2, 3, 4, _, _, 5],
    7: [0, 1, 2, 3, 4, 5, _, 6],
    8: [0, 1, 2, 3, 4, 5, 6, 7],
    9: [0, 1, 2, 3, 4, 5, 6, 7, _, _, _, 8],
}
READING_WITH_BLANKS_AT_THE_END = {
    1: [0, _, _, _],
    2: [0, 1, _, _],
    3: [0, 1, 2, _],
    4: [0, 1, 2, 3],
    5: [0, 1, 2, 3, 4, _, _, _],
    6: [0, 1, 2, 3, 4, 5, _, _],
    7: [0, 1, 2, 3, 4, 5, 6, _],
    8: [0, 1, 2, 3, 4, 5, 6, 7],
    9: [0, 1, 2, 3, 4, 5, 6, 7, 8, _, _, _],
}
READING_CASES = [
    (count, binding, keep_last, reading)
    for keep_last, table in (
        (True, READING_KEEPING_THE_LAST_PAGE_LAST),
        (False, READING_WITH_BLANKS_AT_THE_END),
    )
    for count, reading in table.items()
    for binding in BINDINGS
]


@pytest.mark.parametrize(("page_count", "binding", "keep_last", "reading"), READING_CASES)
def test_folded_sheets_read_as_worked_out_by_hand(
    page_count: int, binding: str, keep_last: bool, reading: list[int | None]
) -> None:
    sheets = saddle_stitch_order(page_count, binding, keep_last_page_last=keep_last)
    assert fold_and_read(sheets, binding) == reading


EVERY_COUNT = [(count, binding) for count in range(1, 42) for binding in BINDINGS]
ORDER_CASES = [(*case, keep_last) for case in EVERY_COUNT for keep_last in (True, False)]


@pytest.mark.parametrize(("page_count", "binding", "keep_last"), ORDER_CASES)
def test_folded_sheets_read_every_page_once_in_order(
    page_count: int, binding: str, keep_last: bool
) -> None:
    sheets = saddle_stitch_order(page_count, binding, keep_last_page_last=keep_last)
    reading = fold_and_read(sheets, binding)
    assert len(sheets) == -(-page_count // 4), "as few sheets as will hold the pages"
    assert [page for page in reading if page is not None] == list(range(page_count))
    blank_faces = [position for position, page in enumerate(reading) if page is None]
    assert len(blank_faces) == -page_count % 4
    if blank_faces:
        assert blank_faces == list(range(blank_faces[0], blank_faces[-1] + 1)), "blanks together"
    assert reading[0] == 0, "the first page is the front cover"
    if keep_last and page_count > 1:
        assert reading[-1] == page_count - 1, "the last page is the back cover"
    else:
        assert reading[:page_count] == list(range(page_count)), "the blanks come last"


@pytest.mark.parametrize(("page_count", "binding"), EVERY_COUNT)
def test_pages_sharing_a_side_sum_to_padded_count_plus_one(page_count: int, binding: str) -> None:
    sheets = saddle_stitch_order(page_count, binding, keep_last_page_last=False)
    padded = 4 * len(sheets)
    for sheet in sheets:
        for pair in (sheet[:2], sheet[2:]):
            numbers = [index + 1 for index in pair if index is not None]
            if len(numbers) == 2:
                assert sum(numbers) == padded + 1
            if len(numbers) == 1:
                assert padded + 1 - numbers[0] > page_count, "its partner should be a blank"


SPELLED_OUT = [
    (8, "left", True, [(7, 0, 1, 6), (5, 2, 3, 4)]),
    (8, "right", True, [(0, 7, 6, 1), (2, 5, 4, 3)]),
    (5, "left", True, [(4, 0, 1, None), (None, 2, 3, None)]),
    (5, "left", False, [(None, 0, 1, None), (None, 2, 3, 4)]),
    (5, "right", True, [(0, 4, None, 1), (2, None, None, 3)]),
    (1, "left", True, [(None, 0, None, None)]),
    (2, "right", True, [(0, 1, None, None)]),
]


@pytest.mark.parametrize(("page_count", "binding", "keep_last", "sheets"), SPELLED_OUT)
def test_order_matches_spelled_out_sheets(
    page_count: int, binding: str, keep_last: bool, sheets: list[Sheet]
) -> None:
    assert saddle_stitch_order(page_count, binding, keep_last_page_last=keep_last) == sheets


@pytest.mark.parametrize(("page_count", "binding"), [(0, "left"), (-3, "right"), (4, "top")])
def test_order_rejects_impossible_requests(page_count: int, binding: str) -> None:
    with pytest.raises(ValueError):
        saddle_stitch_order(page_count, binding)  # type: ignore[arg-type]


# --- real PDFs --------------------------------------------------------------


def helvetica() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def add_numbered_page(
    writer: PdfWriter, number: int, size: tuple[float, float], rotate: int
) -> None:
    page = writer.add_blank_page(*size)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica()})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 160 Tf 60 240 Td ({number}) Tj ET".encode())
    page.replace_contents(content)
    if rotate:
        page.rotate(rotate)


def numbered_pdf(
    page_count: int,
    sizes: dict[int, tuple[float, float]] | None = None,
    rotations: dict[int, int] | None = None,
) -> bytes:
    """Return a PDF whose page n (1-based) shows the number n in big type."""
    writer = PdfWriter()
    for number in range(1, page_count + 1):
        size = (sizes or {}).get(number, A5)
        add_numbered_page(writer, number, size, (rotations or {}).get(number, 0))
    writer.add_metadata({"/Title": "Numbered booklet", "/Author": "Test Author"})
    writer.root_object[NameObject("/Lang")] = create_string_object("fa")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def numbers_by_half(side: PageObject) -> tuple[set[str], set[str]]:
    """Return the numbers printed on the left and on the right half of a side."""
    middle = float(side.mediabox.width) / 2
    left: set[str] = set()
    right: set[str] = set()

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        if text.strip():
            (left if x < middle else right).add(text.strip())

    side.extract_text(visitor_text=visit)
    return left, right


def label(index: int | None) -> set[str]:
    return set() if index is None else {str(index + 1)}


def imposed(
    page_count: int,
    binding: str,
    sizes: dict[int, tuple[float, float]] | None = None,
    rotations: dict[int, int] | None = None,
) -> PdfReader:
    source = numbered_pdf(page_count, sizes, rotations)
    return PdfReader(io.BytesIO(impose_booklet(source, binding)))


PHYSICAL_CASES = [(n, b) for n in (1, 3, 5, 8, 13) for b in BINDINGS]


@pytest.mark.parametrize(("page_count", "binding"), PHYSICAL_CASES)
def test_sides_are_a4_landscape(page_count: int, binding: str) -> None:
    sides = imposed(page_count, binding).pages
    assert len(sides) == 2 * -(-page_count // 4)
    for side in sides:
        assert [float(value) for value in side.mediabox] == [0.0, 0.0, *A4_LANDSCAPE]


@pytest.mark.parametrize(("page_count", "binding"), PHYSICAL_CASES)
def test_numbers_land_on_their_halves(page_count: int, binding: str) -> None:
    sides = imposed(page_count, binding).pages
    for number, sheet in enumerate(saddle_stitch_order(page_count, binding)):
        for side, (left, right) in zip(
            sides[2 * number : 2 * number + 2], (sheet[:2], sheet[2:]), strict=True
        ):
            assert numbers_by_half(side) == (label(left), label(right))


@pytest.mark.parametrize(
    ("binding", "first_side"),
    [("left", ({"8"}, {"1"})), ("right", ({"1"}, {"8"}))],
)
def test_covers_share_the_outer_side(binding: str, first_side: tuple[set[str], set[str]]) -> None:
    assert numbers_by_half(imposed(8, binding).pages[0]) == first_side


def text_directions(side: PageObject) -> dict[str, tuple[float, float]]:
    """Return, for each number on a side, its baseline vector (scale and turn) on the sheet."""
    directions: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            directions[text.strip()] = (round(a, 3), round(b, 3))

    side.extract_text(visitor_text=visit)
    return directions


def test_odd_sized_and_rotated_pages_are_fitted_as_displayed() -> None:
    sizes = {1: A4_PORTRAIT, 2: (A5[1], A5[0])}
    front, back = imposed(4, "left", sizes=sizes, rotations={2: 90}).pages
    assert numbers_by_half(front) == ({"4"}, {"1"})
    assert numbers_by_half(back) == ({"2"}, {"3"})
    assert text_directions(front) == {"4": (1.0, 0.0), "1": (0.707, 0.0)}
    assert text_directions(back) == {"2": (0.0, -1.0), "3": (1.0, 0.0)}


def test_metadata_and_language_are_copied() -> None:
    reader = imposed(3, "right")
    assert reader.metadata is not None
    assert reader.metadata.title == "Numbered booklet"
    assert reader.metadata.author == "Test Author"
    assert reader.root_object["/Lang"] == "fa"


def test_weasyprint_booklet_keeps_its_language() -> None:
    import weasyprint

    html = (
        '<html lang="fa" dir="rtl"><head><title>دفترچه</title>'
        "<style>@page { size: A5 } p { font-size: 100pt; break-after: page }</style></head>"
        "<body>" + "".join(f"<p>{n}</p>" for n in range(1, 7)) + "</body></html>"
    )
    source = weasyprint.HTML(string=html).write_pdf()
    reader = PdfReader(io.BytesIO(impose_booklet(source, "right")))
    assert len(reader.pages) == 4
    assert reader.metadata is not None and reader.metadata.title == "دفترچه"
    assert reader.root_object["/Lang"] == "fa"
    assert [numbers_by_half(side) for side in reader.pages[:2]] == [({"1"}, {"6"}), (set(), {"2"})]


def source_kinds(tmp_path: Path) -> list[object]:
    data = numbered_pdf(6)
    path = tmp_path / "booklet.pdf"
    path.write_bytes(data)
    return [data, path, str(path), PdfReader(io.BytesIO(data))]


@pytest.mark.parametrize("binding", BINDINGS)
def test_output_is_deterministic_for_every_kind_of_source(tmp_path: Path, binding: str) -> None:
    sources = source_kinds(tmp_path) * 2
    outputs = {impose_booklet(source, binding) for source in sources}
    assert len(outputs) == 1
    assert b"/ID" not in outputs.pop()


def zero_page_pdf() -> bytes:
    output = io.BytesIO()
    PdfWriter().write(output)
    return output.getvalue()


@pytest.mark.parametrize(
    "source",
    [
        b"",
        b"not a pdf",
        b"%PDF-1.7\n%%EOF\n",
        numbered_pdf(4)[:300],
        zero_page_pdf(),
        "/nonexistent/missing.pdf",
    ],
    ids=["empty", "text", "header-only", "truncated", "no-pages", "missing-file"],
)
def test_unreadable_source_raises_render_error(source: bytes | str) -> None:
    with pytest.raises(RenderError):
        impose_booklet(source, "left")


# --- rendered ink -----------------------------------------------------------


INK_CASES = [
    (8, "left", 0, (True, True)),
    (5, "left", 1, (True, False)),
    (5, "right", 1, (False, True)),
    (5, "right", 2, (True, False)),
    (1, "left", 1, (False, False)),
]


@pytest.mark.parametrize(("page_count", "binding", "side", "inked"), INK_CASES)
def test_rendered_side_has_ink_on_printed_halves(
    tmp_path: Path, page_count: int, binding: str, side: int, inked: tuple[bool, bool]
) -> None:
    pdf = tmp_path / "booklet.pdf"
    pdf.write_bytes(impose_booklet(numbered_pdf(page_count), binding))
    page = str(side + 1)
    command = ["pdftoppm", "-png", "-r", "30", "-f", page, "-l", page, "-singlefile"]
    subprocess.run([*command, str(pdf), str(tmp_path / "side")], check=True)
    image = Image.open(tmp_path / "side.png").convert("L")
    width, height = image.size
    halves = (image.crop((0, 0, width // 2, height)), image.crop((width // 2, 0, width, height)))
    assert tuple(half.getextrema()[0] < 128 for half in halves) == inked
