"""Turn gettext catalogs (theme's, then site's) into Babel translations for one language."""

from __future__ import annotations

import re
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from .errors import CatalogError

DOMAIN = "messages"


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(lang: str, locale_dirs: tuple[Path, ...]) -> NullTranslations:
    """Merge the catalogs found for ``lang``; later folders override earlier ones."""
    merged: Translations | None = None
    for folder in locale_dirs:
        path = catalog_path(folder, lang)
        if not path.is_file():
            continue
        translations = Translations(BytesIO(_compile(path, path.stat().st_mtime_ns)), DOMAIN)
        if merged is None:
            merged = translations
        else:
            merged.merge(translations)
    return merged if merged is not None else NullTranslations()


_PO_LINE = re.compile(
    r'^\s*(#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)?\s*"([^"\\]|\\.)*"\s*)?$')


def check_po_syntax(path: Path) -> None:
    """Reject lines Babel would silently misread (e.g. a string missing its closing quote)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise CatalogError(f"invalid PO file: cannot read {line.strip()[:60]!r}", path, number,
                               hint="every msgid/msgstr line holds one string in double quotes")


@cache
def _compile(path: Path, mtime_ns: int) -> bytes:
    """Compile a .po file in memory (so a build never uses a stale .mo)."""
    check_po_syntax(path)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", None)
        raise CatalogError(f"invalid PO file: {error}", path, line) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise CatalogError(f"cannot read catalog: {error}", path) from None
    buffer = BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()
