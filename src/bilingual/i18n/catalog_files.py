"""Read and write gettext catalogs: strictly, with lines in errors, previous msgids, atomically."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import denormalize, write_po

from bilingual.atomic import write_atomically
from bilingual.errors import BilingualError, CatalogError
from bilingual.i18n.po_reader import read_po_strictly
from bilingual.site.inputs import read_input

WIDTH = 0  # no wrapping: one line per string, as translators edit them
State = Literal["translated", "fuzzy", "missing"]


def state(message: Message) -> State:
    """Whether a message is translated (every plural form), fuzzy, or missing."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    if message.fuzzy and any(strings):
        return "fuzzy"
    return "translated" if strings and all(strings) else "missing"


@dataclass(frozen=True)
class Progress:
    """How many entries of a catalog are translated, fuzzy or missing."""

    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @classmethod
    def count(cls, states: Iterable[State]) -> Progress:
        counts = Counter(states)
        return cls(counts["translated"], counts["fuzzy"], counts["missing"])

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    def to_json(self) -> dict[str, int]:
        return {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "missing": self.missing,
            "total": self.total,
        }


def entries(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages without the header."""
    return (message for message in catalog if message.id)


def read_catalog(path: Path, locale: str | Locale | None = None) -> Catalog:
    """Read a .po/.pot file with Babel; a syntax error becomes a CatalogError with its line."""
    if not os.path.lexists(path):
        raise CatalogError("catalog not found", path)
    return parse_catalog(read_input(path, None, error_class=CatalogError), path, locale)


def parse_catalog(data: bytes, path: Path, locale: str | Locale | None = None) -> Catalog:
    """The catalog in ``data``; every entry with more plural forms than the header allows is
    reported at once (one error each)."""
    catalog = read_po_strictly(data, path, locale)
    restore_previous_ids(catalog)
    return catalog


def restore_previous_ids(catalog: Catalog) -> None:
    """Babel writes the previous msgid of a fuzzy entry (#|) but reads it as a comment."""
    for message in (*catalog, *catalog.obsolete.values()):
        _restore_previous(message)


def _restore_previous(message: Message) -> None:
    previous = [comment[1:].strip() for comment in message.user_comments if comment.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: list[list[str]] = []
    for line in previous:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            parts.append([rest])
        elif parts and line.startswith('"'):
            parts[-1].append(line)
    message.previous_id = [denormalize("\n".join(lines)) for lines in parts]


def write_catalog(path: Path, catalog: Catalog, include_previous: bool = False) -> None:
    buffer = BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=include_previous)
    write_file(path, buffer.getvalue())


def write_file(path: Path, data: bytes, error_class: type[BilingualError] = CatalogError) -> None:
    """Replace ``path`` with ``data`` in one step, or say why the folder refuses it."""
    try:
        write_atomically(path, data)
    except OSError as error:
        raise error_class(
            f"cannot write this file: {error.strerror or error}",
            path,
            hint="nothing was changed; make the folder writable and run the command again",
        ) from None
