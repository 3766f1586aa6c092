"""Compress a PDF's streams once, before pydyf writes the file.

pydyf deflates a stream each time it serialises it, at level 9, and a file with an
/ID (every PDF here: its /ID is a hash of its content) is serialised twice: once to
hash, once to write. Deflating each stream here, with the same settings, and handing
pydyf the result gives the same bytes for half the work.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import cast

import pydyf

# pydyf's own level: the bytes stay those pydyf would write.
LEVEL = 9


def deflated(parts: Iterable[bytes], level: int = LEVEL) -> bytes:
    """``parts`` joined by line feeds, as pydyf joins a stream's parts, then deflated."""
    compressor = zlib.compressobj(level=level)
    return compressor.compress(b"\n".join(parts)) + compressor.flush()


def serialised(part: object) -> bytes | None:
    """A part of a stream as pydyf writes it: bytes as they are, a PDF object (the property
    list of a tagged span) as its data, text in ASCII; None for a number."""
    if isinstance(part, bytes):
        return part
    if isinstance(part, pydyf.Object):
        return cast(bytes, part.data)
    if isinstance(part, str):
        return part.encode("ascii")
    return None


def compress_streams(pdf: pydyf.PDF, level: int = LEVEL) -> None:
    """Deflate, once, each stream of ``pdf`` that pydyf would deflate on writing.

    A stream that already has a filter, or holds a number (which pydyf formats its
    own way), is left to pydyf.
    """
    for item in pdf.objects:
        if not (isinstance(item, pydyf.Stream) and item.compress) or "Filter" in item.extra:
            continue
        parts = list(map(serialised, item.stream))
        if None in parts:
            continue
        item.stream = [deflated(cast(list[bytes], parts), level)]
        item.extra["Filter"] = "/FlateDecode"
        item.compress = False
