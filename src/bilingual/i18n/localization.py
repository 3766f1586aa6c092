"""Turn gettext catalogs (theme's, then site's) into Babel translations for one language."""

from __future__ import annotations

import os
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations

from bilingual.errors import CatalogError
from bilingual.i18n.po_reader import DOMAIN, read_po_strictly
from bilingual.site.inputs import read_input, real_roots

__all__ = ["DOMAIN", "catalog_path", "load_translations"]


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(lang: str, locale_dirs: tuple[Path, ...]) -> NullTranslations:
    """Merge the catalogs found for ``lang``; later folders override earlier ones."""
    merged: Translations | None = None
    for folder in locale_dirs:
        path = catalog_path(folder, lang)
        if not os.path.lexists(path):
            continue
        # Only a regular file inside the site (or the theme) is read, as for every input.
        data = read_input(path, real_roots([folder.parent]), error_class=CatalogError)
        translations = Translations(BytesIO(_compile(path, data)), DOMAIN)
        if merged is None:
            merged = translations
        else:
            merged.merge(translations)
    return merged if merged is not None else NullTranslations()


@cache
def _compile(path: Path, data: bytes) -> bytes:
    """Compile a .po file in memory (so a build never uses a stale .mo)."""
    buffer = BytesIO()
    write_mo(buffer, read_po_strictly(data, path))
    return buffer.getvalue()
