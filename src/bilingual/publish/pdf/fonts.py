"""Refuse a PDF that would take a glyph from a font installed on the building machine.

The print stylesheets load every font they use with @font-face (Vazirmatn, Noto
Sans, Noto Sans Mono, or a site's own). When none of them has a character, Pango
quietly borrows a system font, and the PDF then depends on the machine that built
it. After drawing, each font WeasyPrint embedded is compared with the @font-face
files; text set in any other font is an error naming the file and line.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from weasyprint import Document
from weasyprint.logger import LOGGER
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

from bilingual.errors import RenderError


class MissingGlyphs(logging.Handler):
    """Collect the characters WeasyPrint drew as .notdef because no font at all has them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(".notdef glyph") and isinstance(record.args, tuple):
            self.characters.update(str(record.args[0]))


@contextmanager
def missing_glyphs() -> Iterator[MissingGlyphs]:
    """Within this block, collect the characters no installed font has."""
    handler = MissingGlyphs()
    LOGGER.addHandler(handler)
    try:
        yield handler
    finally:
        LOGGER.removeHandler(handler)


def require_bundled_fonts(
    document: Document,
    font_config: FontConfiguration,
    source: Path | str | None,
    missing: Iterable[str] = (),
) -> None:
    """Raise RenderError if ``document`` drew text in a font no @font-face rule loaded,
    or drew ``missing`` characters that no font has."""
    bundled = loaded_fonts(font_config)
    strays = [
        font
        for font in document.fonts.values()
        if not _is_bundled(bytes(get_hb_object_data(font.hb_face)), bundled)
    ]
    characters = sorted(
        {
            char
            for font in strays
            for text in font.to_unicode.values()
            for char in text
            if not char.isspace()
        }
        | set(missing)
    )
    if characters:
        borrowed = ", ".join(sorted({font.family for font in strays}))
        raise RenderError(
            f"no bundled font has {describe(characters)}"
            + (f" (the PDF would use {borrowed} from this machine)" if borrowed else ""),
            source,
            _first_line(source, characters),
            hint="replace the characters, or add a font that has them with @font-face "
            "in the site's templates/print/print.css",
        )


class _FontFiles(dict[Path, bytes]):
    """Each font file @font-face rules wrote, read the first time it is met in the process
    (WeasyPrint names a file after its rule and never rewrites it)."""

    def __missing__(self, path: Path) -> bytes:
        content = self[path] = path.read_bytes()
        return content


_FONT_FILES = _FontFiles()


def loaded_fonts(font_config: FontConfiguration) -> dict[int, list[bytes]]:
    """The font files @font-face rules have loaded so far, by size.

    Whether an embedded font is one of them is then a comparison of bytes with the
    files of its size, if any, instead of a digest of every font of every PDF.
    """
    folder: Path | None = font_config._folder  # where WeasyPrint keeps @font-face files
    by_size: dict[int, list[bytes]] = {}
    for path in folder.iterdir() if folder is not None else ():
        if path.is_file() and not path.suffix:
            content = _FONT_FILES[path]
            by_size.setdefault(len(content), []).append(content)
    return by_size


def _is_bundled(content: bytes, bundled: dict[int, list[bytes]]) -> bool:
    return any(content == known for known in bundled.get(len(content), ()))


def describe(characters: Iterable[str]) -> str:
    """``'α' (U+03B1 GREEK SMALL LETTER ALPHA), ...`` for an error message."""
    return ", ".join(
        f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})" for char in characters
    )


def _first_line(source: Path | str | None, characters: Iterable[str]) -> int | None:
    """The first line of ``source`` holding one of ``characters``, if it is readable."""
    if source is None:
        return None
    wanted = set(characters)
    try:
        # Only "\n" ends a line of the source: splitlines() would also break at a
        # NEL or a line separator, and never find those characters.
        lines = Path(source).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, 1) if wanted & set(line)), None)
