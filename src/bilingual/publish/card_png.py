"""Turn images that differ from a shared background in one band of rows into palette PNGs.

Every card of a site in one language has the same top (site title, rule) and bottom (host
name); only the rows of the post's title differ. A PNG's pixels are one zlib stream, which may
be cut into pieces that never refer back across a cut (a sync flush): the background's rows
above and below the band are compressed once, and each image compresses only its band.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image
from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, fastest level; a multiple of 31 (RFC 1950)
PALETTE_COLOR = 3

Paste = tuple[Image.Image, tuple[int, int], Image.Image]
"""An 8-bit image, where its top left corner goes, and its mask (0: keep the background)."""


def deflate(rows: bytes, last: bool) -> bytes:
    """``rows`` as deflate blocks that end on a byte boundary and refer to nothing before them.

    Run-length matching suits large flat areas: as fast as the fastest level and smaller.
    zlib-ng does it four times as fast as the zlib that Python links to.
    """
    compressor = zlib_ng.compressobj(1, zlib_ng.DEFLATED, -zlib_ng.MAX_WBITS, 9, zlib_ng.Z_RLE)
    return compressor.compress(rows) + compressor.flush(
        zlib_ng.Z_FINISH if last else zlib_ng.Z_SYNC_FLUSH
    )


def with_filter_column(image: Image.Image) -> Image.Image:
    """``image`` one column wider on the left, all zeros: each PNG row starts with its filter
    type, and 0 (none) suits palette images, so the wider image's bytes are the PNG's rows."""
    wider = Image.new("L", (image.width + 1, image.height), 0)
    wider.paste(image.convert("L") if image.mode == "P" else image, (1, 0))
    return wider


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib_ng.crc32(data, zlib_ng.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@dataclass(frozen=True)
class BandedPNG:
    """PNGs of ``background`` with images pasted between rows ``top`` and ``bottom``."""

    head: bytes
    above: bytes
    above_adler: int
    band: Image.Image
    below: bytes
    below_rows: bytes
    top: int

    @classmethod
    def of(cls, background: Image.Image, palette: bytes, top: int, bottom: int) -> BandedPNG:
        """``background``: 8-bit palette indexes; ``palette``: RGB triplets; 0 <= top < bottom."""
        width, height = background.size
        ihdr = struct.pack(">IIBBBBB", width, height, 8, PALETTE_COLOR, 0, 0, 0)
        rows = with_filter_column(background).tobytes()
        above_rows, below_rows = rows[: top * (width + 1)], rows[bottom * (width + 1) :]
        band = with_filter_column(background.crop((0, top, width, bottom)))
        return cls(
            SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"PLTE", palette),
            deflate(above_rows, last=False),
            zlib_ng.adler32(above_rows),
            band,
            deflate(below_rows, last=True),
            below_rows,
            top,
        )

    def encode(self, pastes: Iterable[Paste]) -> bytes:
        """The PNG of the background with ``pastes`` (in the image's coordinates) in the band;
        whatever falls outside the band is left out."""
        band = self.band.copy()
        for image, (x, y), mask in pastes:
            band.paste(image, (x + 1, y - self.top), mask)
        band.paste(0, (0, 0, 1, band.height))  # the filter column, should a paste reach it
        rows = band.tobytes()
        adler = zlib_ng.adler32(self.below_rows, zlib_ng.adler32(rows, self.above_adler))
        stream = (
            ZLIB_HEADER
            + self.above
            + deflate(rows, last=False)
            + self.below
            + struct.pack(">I", adler)
        )
        return self.head + chunk(b"IDAT", stream) + chunk(b"IEND", b"")
