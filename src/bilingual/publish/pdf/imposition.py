"""Turn a PDF of A5 pages into A4 sheets imposed for a saddle-stitched booklet.

Print the result double-sided, flipping on the short edge, stack the sheets in
the order they come out, fold the stack in the middle and staple along the fold.

Blank-page policy: a booklet needs a multiple of four pages, so blanks are
added. By default (``keep_last_page_last=True``) they go just before the final
page, so a pamphlet's back cover stays on the outside of the booklet; with
``keep_last_page_last=False`` they go after the final page. A one-page source
keeps its only page as the front cover either way.

Tags: a side of a sheet holds two pages in folding order (the outer sheet's
front shows the last page beside the first), merged into one content stream.
The source's structure tree, whose marked-content numbers belong to each source
page, is not carried over, so a booklet is not tagged and claims neither
/MarkInfo nor PDF/UA: it is the printer's file, and the flat pamphlet is the
accessible edition. It keeps the title, /Lang, the viewer preferences (a
right-to-left booklet's /Direction /R2L) and the text layer: the /ActualText
spans and the property lists they name come along with each page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, NameObject, create_string_object

from bilingual.errors import RenderError

Binding = Literal["left", "right"]
PageSlot = int | None
Sheet = tuple[PageSlot, PageSlot, PageSlot, PageSlot]
PdfSource = PdfReader | Path | str | bytes

A4_LANDSCAPE: tuple[float, float] = (841.89, 595.28)
PAGES_PER_SHEET = 4
_EXACT_SIZE_TOLERANCE = 1e-3
_QUARTER_TURNS = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}  # degrees: (cos, sin)
_UNREADABLE_PDF_ERRORS = (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError)


def saddle_stitch_order(
    page_count: int,
    binding: Binding,
    keep_last_page_last: bool = True,
) -> list[Sheet]:
    """Return one (front_left, front_right, back_left, back_right) tuple per sheet.

    Entries are 0-based source page indices, ``None`` for a blank half. Sheets
    are listed outermost first. ``binding`` is the side of the spine: "left"
    for left-to-right books (English), "right" for right-to-left books (Persian).
    """
    if page_count < 1:
        raise ValueError(f"a booklet needs at least one page, got {page_count}")
    if binding not in ("left", "right"):
        raise ValueError(f"binding must be 'left' or 'right', got {binding!r}")
    order = padded_reading_order(page_count, keep_last_page_last)
    last = len(order) - 1
    sheets = []
    for sheet in range(len(order) // PAGES_PER_SHEET):
        outer, inner = 2 * sheet, last - 2 * sheet
        front = (order[inner], order[outer])
        back = (order[outer + 1], order[inner - 1])
        if binding == "right":
            front, back = front[::-1], back[::-1]
        sheets.append((*front, *back))
    return sheets


def padded_reading_order(page_count: int, keep_last_page_last: bool = True) -> list[PageSlot]:
    """Return the source pages in reading order, padded with blanks to a multiple of four."""
    pages: list[PageSlot] = list(range(page_count))
    blanks: list[PageSlot] = [None] * (-page_count % PAGES_PER_SHEET)
    if keep_last_page_last and page_count > 1:
        return pages[:-1] + blanks + pages[-1:]
    return pages + blanks


def impose_booklet(
    source: PdfSource,
    binding: Binding,
    *,
    keep_last_page_last: bool = True,
    sheet_size: tuple[float, float] = A4_LANDSCAPE,
) -> bytes:
    """Return a PDF with two source pages side by side on each side of each sheet.

    ``source`` is a PdfReader, a path or the PDF's bytes. The output holds the
    front then the back of every sheet, outermost sheet first. Each page is
    scaled to fit its half of the sheet (an A5 page on A4 keeps its size),
    centred and upright. The source's document information and language are
    copied, and the same input always gives the same bytes.
    """
    reader = _open_pdf(source)
    pages = list(reader.pages)
    writer = PdfWriter()
    for sheet in saddle_stitch_order(len(pages), binding, keep_last_page_last):
        for left, right in (sheet[:2], sheet[2:]):
            _add_side(writer, sheet_size, _pick(pages, left), _pick(pages, right))
    _copy_metadata(reader, writer)
    writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _open_pdf(source: PdfSource) -> PdfReader:
    """Open the source PDF, raising RenderError if it is unreadable or has no pages."""
    path = source if isinstance(source, (str, Path)) else None
    try:
        reader = _read_pdf(source)
        page_count = len(reader.pages)
    except _UNREADABLE_PDF_ERRORS as error:
        raise RenderError(
            f"cannot read the PDF to impose: {error}",
            path=path,
            hint="check that the file is a complete, unencrypted PDF",
        ) from error
    if page_count == 0:
        raise RenderError("the PDF to impose has no pages", path=path)
    return reader


def _read_pdf(source: PdfSource) -> PdfReader:
    if isinstance(source, PdfReader):
        return source
    if isinstance(source, bytes):
        return PdfReader(io.BytesIO(source))
    return PdfReader(Path(source))


def _pick(pages: list[PageObject], index: PageSlot) -> PageObject | None:
    return None if index is None else pages[index]


def _add_side(
    writer: PdfWriter,
    sheet_size: tuple[float, float],
    left: PageObject | None,
    right: PageObject | None,
) -> None:
    """Append one side of a sheet holding ``left`` and ``right`` (None = blank half)."""
    sheet_width, sheet_height = sheet_size
    side = writer.add_blank_page(sheet_width, sheet_height)
    half = sheet_width / 2
    for page, offset in ((left, 0.0), (right, half)):
        if page is not None:
            side.merge_transformed_page(page, _fit_into(page, offset, half, sheet_height))
    side.compress_content_streams()


def _fit_into(page: PageObject, x: float, width: float, height: float) -> Transformation:
    """Map the page, upright and scaled to fit, onto the centre of the box at (x, 0)."""
    upright, page_width, page_height = _upright_at_origin(page)
    scale = min(width / page_width, height / page_height)
    if abs(scale - 1) < _EXACT_SIZE_TOLERANCE:
        scale = 1.0
    return upright.scale(scale).translate(
        x + (width - page_width * scale) / 2,
        (height - page_height * scale) / 2,
    )


def _upright_at_origin(page: PageObject) -> tuple[Transformation, float, float]:
    """Turn the page as a viewer shows it (its /Rotate applied) and move its box to (0, 0).

    Return that transformation and the turned box's width and height. The box
    is the trim box, the one pypdf clips merged pages to. A /Rotate that is not
    a quarter turn is ignored, as viewers do.
    """
    box = page.trimbox
    cos, sin = _QUARTER_TURNS.get(page.rotation % 360, (1, 0))
    clockwise = Transformation((cos, -sin, sin, cos, 0, 0))
    corners = [
        clockwise.apply_on((float(x), float(y)))
        for x in (box.left, box.right)
        for y in (box.bottom, box.top)
    ]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    moved = clockwise.translate(-min(xs), -min(ys))
    return moved, max(xs) - min(xs), max(ys) - min(ys)


def _copy_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    """Copy the PDF version, the document information (title, author, ...), /Lang and the
    viewer preferences (a right-to-left booklet keeps /Direction /R2L)."""
    writer.pdf_header = reader.pdf_header
    if reader.metadata:
        writer.add_metadata(reader.metadata)
    language = reader.root_object.get("/Lang")
    if language is not None:
        writer.root_object[NameObject("/Lang")] = create_string_object(str(language.get_object()))
    preferences = reader.root_object.get("/ViewerPreferences")
    if preferences is not None:
        writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
            preferences.get_object()
        )
