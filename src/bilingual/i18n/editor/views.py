"""Turn a catalog into what the editor's pages show: entries, filters, progress, plural labels."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from bilingual.i18n.catalog_files import Progress, State, entries, state
from bilingual.i18n.check import protected_tokens
from bilingual.i18n.editor.po_edit import entry_id, file_version, parse
from bilingual.text.languages import Language, language

Filter = Literal["untranslated", "fuzzy", "all"]
FILTERS: tuple[Filter, ...] = ("untranslated", "fuzzy", "all")
_SHOWN: dict[Filter, set[State]] = {
    "untranslated": {"missing"},
    "fuzzy": {"fuzzy"},
    "all": {"translated", "fuzzy", "missing"},
}


@dataclass(frozen=True)
class Form:
    """One field to fill: the translation, or one plural form of it."""

    number: int
    label: str
    text: str


@dataclass(frozen=True)
class EntryView:
    id: str
    state: State
    source: str
    source_plural: str | None
    context: str | None
    previous: str | None
    forms: tuple[Form, ...]
    flags: tuple[str, ...]
    translator_comments: tuple[str, ...]
    extracted_comments: tuple[str, ...]
    references: tuple[str, ...]
    tokens: tuple[str, ...]
    """Placeholders and tags of the source, shown as protected tokens in the fields."""


@dataclass(frozen=True)
class CatalogView:
    lang: Language
    path: Path
    version: str
    progress: Progress
    entries: tuple[EntryView, ...]

    def shown(self, name: Filter) -> list[EntryView]:
        return [entry for entry in self.entries if entry.state in _SHOWN[name]]

    def count(self, name: Filter) -> int:
        return len(self.shown(name))

    def default_filter(self) -> Filter:
        return next((name for name in FILTERS[:2] if self.count(name)), "all")


def catalog_view(path: Path, lang: str) -> CatalogView:
    data = path.read_bytes()
    version = file_version(path, data)
    catalog = parse(data.decode("utf-8"), path, lang)
    views = tuple(_entry_view(message, _plural_labels(catalog)) for message in entries(catalog))
    return CatalogView(_language(lang), path, version, progress(catalog), views)


def progress(catalog: Catalog) -> Progress:
    return Progress.count(state(message) for message in entries(catalog))


def _language(code: str) -> Language:
    try:
        return language(code)
    except ValueError:
        return Language(code=code, name=code, direction="ltr")


def _entry_view(message: Message, plural_labels: list[str]) -> EntryView:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    if message.pluralizable:
        forms = tuple(
            Form(number, label, (strings[number] if number < len(strings) else "") or "")
            for number, label in enumerate(plural_labels)
        )
    else:
        forms = (Form(0, "Translation", strings[0] or ""),)
    previous = " / ".join(message.previous_id) if message.previous_id else None
    return EntryView(
        id=entry_id(message),
        state=state(message),
        source=ids[0],
        source_plural=ids[1] if len(ids) > 1 else None,
        context=message.context,
        previous=previous,
        forms=forms,
        flags=tuple(sorted(flag for flag in message.flags if flag != "fuzzy")),
        translator_comments=tuple(message.user_comments),
        extracted_comments=tuple(message.auto_comments),
        references=tuple(f"{file}:{line}" if line else file for file, line in message.locations),
        tokens=tuple(protected_tokens(message)),
    )


def _plural_labels(catalog: Catalog) -> list[str]:
    """Name each plural form by the numbers that use it, e.g. "n = 2, 3, 4, …"."""
    choose = gettext.c2py(catalog.plural_expr)
    examples: dict[int, list[int]] = {number: [] for number in range(catalog.num_plurals)}
    for n in range(1000):
        form = choose(n)
        if form in examples and len(examples[form]) < 4:
            examples[form].append(n)
    return [f"Plural form {form + 1} (n = {_numbers(found)})" for form, found in examples.items()]


def _numbers(found: list[int]) -> str:
    if not found:
        return "none"
    shown = ", ".join(str(n) for n in found[:3])
    return shown + (", …" if len(found) > 3 else "")
