"""Turn the bytes of a PO file into a Babel catalog, every problem located by file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, PoFileParser

from bilingual.errors import CatalogError, ErrorList

DOMAIN = "messages"
_EXTRA_FORMS = "msg has more translations than num_plurals of catalog"
_PO_LINE = re.compile(
    r'^\s*(#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)?\s*"([^"\\]|\\.)*"\s*)?$'
)


@dataclass(frozen=True)
class ExtraForms:
    """An entry with more plural forms than the header's ``nplurals``."""

    line: int
    forms: int


class _Parser(PoFileParser):
    """Babel's parser, noting every entry with too many plural forms instead of stopping."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog, abort_invalid=True)
        self.extra_forms: dict[int, ExtraForms] = {}

    def _invalid_pofile(self, line: str, lineno: int, msg: str) -> None:
        if msg != _EXTRA_FORMS:
            super()._invalid_pofile(line, lineno, msg)
            return
        forms = max(index for index, _ in self.translations) + 1
        self.extra_forms[lineno + 1] = ExtraForms(lineno + 1, forms)


def parse_po(
    data: bytes, path: Path, locale: str | Locale | None = None
) -> tuple[Catalog, list[ExtraForms]]:
    """The catalog (extra plural forms left out) and the entries that had extra forms."""
    check_po_syntax(data, path)
    catalog = Catalog(locale=locale, domain=DOMAIN)
    parser = _Parser(catalog)
    try:
        parser.parse(BytesIO(data))
    except PoFileError as error:
        lineno = getattr(error, "lineno", None)
        line = lineno + 1 if isinstance(lineno, int) else None
        raise CatalogError(f"invalid PO file: {error}", path, line) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise CatalogError(f"cannot read catalog: {error}", path) from None
    return catalog, list(parser.extra_forms.values())


def read_po_strictly(data: bytes, path: Path, locale: str | Locale | None = None) -> Catalog:
    """The catalog, or a CatalogError for every entry whose plural forms the header denies."""
    catalog, extra = parse_po(data, path, locale)
    if extra:
        raise ErrorList(extra_forms_errors(catalog, extra, data, path))
    return catalog


def extra_forms_errors(
    catalog: Catalog, extra: list[ExtraForms], data: bytes, path: Path
) -> list[CatalogError]:
    """One error per entry; the last one explains how to fix the header."""
    errors = [
        CatalogError(
            f"wrong number of plural forms: {item.forms}, but the catalog's "
            f"Plural-Forms says nplurals={catalog.num_plurals}",
            path,
            item.line,
        )
        for item in extra
    ]
    errors[-1].hint = plural_forms_hint(catalog, extra, data)
    return errors


def plural_forms_hint(catalog: Catalog, extra: list[ExtraForms], data: bytes) -> str:
    """Say which header line is wrong and what it should say for the catalog's language."""
    header = _header_line(data)
    where = f"the header (line {header})" if header else "the header"
    count = f"{len(extra)} entr{'ies' if len(extra) != 1 else 'y'}"
    forms = max(item.forms for item in extra)
    said = f"{where} says nplurals={catalog.num_plurals} but {count} carry {forms} forms"
    locale = catalog.locale
    expected = get_plural(locale) if locale is not None else None
    if locale is not None and expected is not None and expected.num_plurals == forms:
        return (
            f'{said}; {locale.english_name} has {forms}: write "Plural-Forms: {expected}\\n" there'
        )
    return f"{said}: correct Plural-Forms in the header, or remove the extra msgstr[N] lines"


def _header_line(data: bytes) -> int | None:
    for number, line in enumerate(data.splitlines(), start=1):
        if line.lstrip().startswith(b'"Plural-Forms:'):
            return number
    return None


def check_po_syntax(data: bytes, path: Path) -> None:
    """Reject lines Babel would silently misread (e.g. a string missing its closing quote)."""
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise CatalogError(
                f"invalid PO file: cannot read {line.strip()[:60]!r}",
                path,
                number,
                hint="every msgid/msgstr line holds one string in double quotes",
            )
