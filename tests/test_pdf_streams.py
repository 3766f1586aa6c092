"""The streams of a PDF are deflated once, and the file's bytes stay those pydyf writes."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from bilingual.publish.pdf import document
from bilingual.publish.pdf.document import print_stylesheets, write_pdf
from bilingual.publish.pdf.streams import compress_streams, serialised
from bilingual.publish.renderers.pdf import post_html
from bilingual.publish.templating import template_set
from bilingual.site.reader import load_site
from bilingual.text.languages import language

PERSIAN_POST = "2010-01-20-the-only-way-forward"


@contextmanager
def counted_deflates() -> Iterator[list[int]]:
    """Within this block, the sizes of the data each zlib compressor was given."""
    sizes: list[int] = []
    original = zlib.compressobj

    class Counting:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.compressor = original(*args, **kwargs)  # type: ignore[arg-type]

        def compress(self, data: bytes) -> bytes:
            sizes.append(len(data))
            return self.compressor.compress(data)

        def flush(self) -> bytes:
            return self.compressor.flush()

    zlib.compressobj = Counting  # type: ignore[assignment]
    try:
        yield sizes
    finally:
        zlib.compressobj = original


def small_pdf() -> pydyf.PDF:
    """A one-page PDF: a tagged span (a name and a property list, as WeasyPrint writes them)
    around text that needs escaping."""
    pdf = pydyf.PDF()
    content = pydyf.Stream(compress=True)
    content.begin_text()
    content.set_font_size("F1", 12)
    content.stream.extend(["/P", pydyf.Dictionary({"MCID": 0}), b"BDC"])
    content.stream.append(b"/Span <</ActualText (\xfe\xff\x06\x45\\(\x06\x4c)>> BDC")
    content.show_text(b"<0041004200>")
    content.stream.append(b"EMC EMC")
    content.end_text()
    pdf.add_object(content)
    pdf.add_page(
        pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, 200, 200]),
                "Contents": content.reference,
            }
        )
    )
    return pdf


def written(pdf: pydyf.PDF) -> bytes:
    output = io.BytesIO()
    pdf.write(output, version=b"1.7", identifier=True, compress=True)
    return output.getvalue()


def test_the_bytes_are_those_pydyf_writes() -> None:
    assert written(compress_streams_of(small_pdf())) == written(small_pdf())


def compress_streams_of(pdf: pydyf.PDF) -> pydyf.PDF:
    compress_streams(pdf)
    return pdf


def test_a_stream_is_deflated_once_though_the_file_is_serialised_twice() -> None:
    raw = b"\n".join(map(serialised, small_pdf().objects[-2].stream))  # type: ignore[arg-type]
    with counted_deflates() as sizes:
        written(small_pdf())
    assert sizes.count(len(raw)) == 2  # pydyf alone: once for the /ID, once to write
    pdf = small_pdf()
    with counted_deflates() as sizes:
        compress_streams(pdf)
        written(pdf)
    assert sizes.count(len(raw)) == 1


def test_a_stream_with_a_filter_or_numbers_is_left_to_pydyf() -> None:
    pdf = small_pdf()
    image = pydyf.Stream([b"\xff\xd8 jpeg bytes"], {"Filter": "/DCTDecode"}, compress=True)
    widths = pydyf.Stream([b"0 0 m", 2.5, b"l"], compress=True)
    pdf.add_object(image)
    pdf.add_object(widths)
    compress_streams(pdf)
    assert image.stream == [b"\xff\xd8 jpeg bytes"] and image.compress
    assert widths.stream == [b"0 0 m", 2.5, b"l"] and widths.compress


def persian_pdf(site_root: Path) -> bytes:
    site, templates, fa = load_site(site_root), template_set(site_root), language("fa")
    post = site.entry(PERSIAN_POST)
    pdf: bytes = write_pdf(
        post_html(site, templates, post, fa),
        print_stylesheets(templates, fa, site.config.pdf),
        fa,
        post.sources["fa"].parent.as_uri() + "/",
    )
    return pdf


def test_a_persian_edition_has_the_bytes_weasyprint_writes(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with counted_deflates() as once:
        deflated_once = persian_pdf(example_site)
    monkeypatch.setattr(document, "compress_streams", lambda pdf: None)
    with counted_deflates() as twice:
        assert persian_pdf(example_site) == deflated_once
    reader = PdfReader(io.BytesIO(deflated_once))
    contents = reader.pages[0]["/Contents"].get_object()
    assert isinstance(contents, StreamObject)
    assert str(contents["/Filter"]) == "/FlateDecode"
    page = contents.get_data()
    assert b"/ActualText" in page
    assert (once.count(len(page)), twice.count(len(page))) == (1, 2)
