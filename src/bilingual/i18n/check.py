"""Turn a catalog's translations into problems: broken placeholders, markup and plural forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message

from bilingual.errors import CatalogError
from bilingual.i18n.catalog_files import entries
from bilingual.i18n.catalogs import CatalogScope
from bilingual.i18n.po_reader import parse_po, plural_forms_hint

Severity = Literal["error", "warning"]
_BRACE_FIELD = re.compile(r"(?<!\{)\{[A-Za-z_]\w*(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)\b[^<>]*?(/?)>")
_PLURAL_FORM_LINE = re.compile(r"^msgstr\[\d+\]")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    severity: Severity
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else str(self.path)
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{location}: {self.severity}: {self.message}{hint}"


def check(scope: CatalogScope) -> list[Problem]:
    """Check every catalog of the scope; fuzzy entries are warnings, the rest errors."""
    return [
        problem for lang in scope.languages() for problem in check_file(scope.po_path(lang), lang)
    ]


def check_file(path: Path, lang: str | None = None) -> list[Problem]:
    """Every problem of one catalog, in the order of the file."""
    data = path.read_bytes()
    try:
        catalog, extra = parse_po(data, path, lang)
    except CatalogError as error:
        return [Problem(path, error.line, "error", error.message, error.hint)]
    problems = list(_problems(path, catalog, data.decode("utf-8").splitlines()))
    if extra:
        # Every entry is listed; the header's fix is explained once, after the last of them.
        lines = {item.line for item in extra}
        last = max(
            (index for index, problem in enumerate(problems) if problem.line in lines),
            default=len(problems) - 1,
        )
        problems[last] = replace(problems[last], hint=plural_forms_hint(catalog, extra, data))
    return problems


def _problems(path: Path, catalog: Catalog, lines: list[str]) -> Iterator[Problem]:
    messages = sorted(entries(catalog), key=lambda message: message.lineno or 0)
    for index, message in enumerate(messages):
        following = messages[index + 1].lineno if index + 1 < len(messages) else None
        block = lines[(message.lineno or 1) - 1 : (following or len(lines) + 1) - 1]
        for severity, text in _message_problems(catalog, message, block):
            yield Problem(path, message.lineno, severity, f"{text} (msgid {_short(message)})")


def _message_problems(
    catalog: Catalog, message: Message, block: list[str]
) -> Iterator[tuple[Severity, str]]:
    if message.pluralizable:
        forms = sum(1 for line in block if _PLURAL_FORM_LINE.match(line))
        if forms != catalog.num_plurals:
            yield (
                "error",
                (
                    f"wrong number of plural forms: {forms}, but the catalog's "
                    f"Plural-Forms says nplurals={catalog.num_plurals}"
                ),
            )
            return
    translations = _strings(message.string)
    if not any(translations):
        return
    if message.fuzzy:
        yield "warning", "fuzzy translation: not used until reviewed"
        return
    for number, translation in enumerate(translations):
        form = f"plural form {number}: " if message.pluralizable else ""
        if not translation:
            yield "warning", f"{form}not translated"
        for text in translation_problems(message, translation):
            yield "error", form + text


def translation_problems(message: Message, translation: str) -> list[str]:
    """What is wrong with ``translation`` (one form) of ``message``: placeholders, HTML tags."""
    if not translation:
        return []
    sources = _strings(message.id)
    return [
        *_placeholder_problems(message, sources, translation),
        *_mismatch("HTML tag", sources, translation, _html_tags),
    ]


def protected_tokens(message: Message) -> list[str]:
    """The placeholders and HTML tags of the source, as written, that a translation keeps."""
    sources = _strings(message.id)
    finders = [*_placeholder_finders(message, sources), _literal_tags]
    return list(
        dict.fromkeys(token for source in sources for find in finders for token in find(source))
    )


def _placeholder_problems(message: Message, sources: list[str], translation: str) -> Iterator[str]:
    for find in _placeholder_finders(message, sources):
        yield from _mismatch("placeholder", sources, translation, find)


def _placeholder_finders(message: Message, sources: list[str]) -> list[Callable[[str], list[str]]]:
    """The kinds of placeholder the entry uses, by its flags or else by its source."""
    flags = message.flags
    finders: list[Callable[[str], list[str]]] = []
    if "no-python-format" not in flags and ("python-format" in flags or message.python_format):
        finders.append(_percent_placeholders)
    if "no-python-brace-format" not in flags and (
        "python-brace-format" in flags or any(_BRACE_FIELD.search(s) for s in sources)
    ):
        finders.append(_BRACE_FIELD.findall)
    return finders


def _mismatch(
    kind: str, sources: list[str], translation: str, find: Callable[[str], list[str]]
) -> Iterator[str]:
    """A placeholder or tag in every source form is required; one in none is foreign."""
    found = [find(source) for source in sources]
    allowed = list(dict.fromkeys(token for tokens in found for token in tokens))
    present = find(translation)
    for token in allowed:
        if token not in present and all(token in tokens for tokens in found):
            yield f"{kind} {token} is missing from the translation"
    for token in dict.fromkeys(present):
        if token not in allowed:
            yield f"{kind} {token} is in the translation but not in the source"


def _percent_placeholders(text: str) -> list[str]:
    """``%(name)s``, ``%d``...; not ``%%``, nor ``% f`` as in "100% free" (a space flag)."""
    return [
        match[0]
        for match in PYTHON_FORMAT.finditer(text)
        if match[3] != "%" and not match[2].startswith(" ")
    ]


def _literal_tags(text: str) -> list[str]:
    return [match[0] for match in _HTML_TAG.finditer(text)]


def _html_tags(text: str) -> list[str]:
    return [f"<{match[1]}{match[2].lower()}{match[3]}>" for match in _HTML_TAG.finditer(text)]


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [text or "" for text in value]
    return [value or ""]


def _short(message: Message, limit: int = 50) -> str:
    text = _strings(message.id)[0].replace("\n", "\\n")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
