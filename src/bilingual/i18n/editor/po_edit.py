"""Turn one edited translation into a new PO file, every other byte of the file unchanged."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize

from bilingual.errors import CatalogError
from bilingual.i18n.catalog_files import WIDTH, parse_catalog, write_file
from bilingual.i18n.check import translation_problems

_SAVING = threading.Lock()


class ConflictError(CatalogError):
    """The catalog changed on disk after the page that edits it was loaded."""


class TranslationRefused(CatalogError):
    """A translation that would break its entry; ``problems`` lists them by form number."""

    def __init__(self, problems: dict[int, list[str]], path: Path) -> None:
        found = [text for texts in problems.values() for text in texts]
        summary = found[0] if len(found) == 1 else f"{len(found)} problems, shown by the fields"
        super().__init__(
            f"not saved: {summary}",
            path,
            hint="keep every placeholder, HTML tag and plural form of the source",
        )
        self.problems = problems


def entry_id(message: Message) -> str:
    """A stable id for an entry in pages and forms (msgids may hold newlines and markup)."""
    key = repr((message.context, message.id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def file_version(path: Path, data: bytes | None = None) -> str:
    """The file's modification time and content hash, to detect changes made elsewhere."""
    content = path.read_bytes() if data is None else data
    return f"{path.stat().st_mtime_ns}-{hashlib.sha256(content).hexdigest()[:16]}"


def parse(text: str, path: Path, lang: str | None = None) -> Catalog:
    return parse_catalog(text.encode("utf-8"), path, lang)


def find(catalog: Catalog, identifier: str) -> Message | None:
    return next(
        (message for message in catalog if message.id and entry_id(message) == identifier), None
    )


def save_translation(
    path: Path, version: str, identifier: str, strings: list[str], lang: str | None = None
) -> str:
    """Write the translation of one entry unless the file changed since ``version``."""
    with _SAVING:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CatalogError(f"cannot read this file: {error.strerror or error}", path) from None
        if file_version(path, data) != version:
            raise ConflictError(
                "the catalog changed on disk since this page was loaded; nothing was saved",
                path,
                hint="reload the page to see the current file, then enter the translation "
                "again (copy it first)",
            )
        text = patch_translation(data.decode("utf-8"), path, identifier, strings, lang)
        write_file(path, text.encode("utf-8"))
        return file_version(path)


def patch_translation(
    text: str, path: Path, identifier: str, strings: list[str], lang: str | None = None
) -> str:
    """Replace one entry's msgstr lines and drop its fuzzy flag; check the rest is unchanged."""
    before = parse(text, path, lang)
    message = find(before, identifier)
    if message is None or not message.lineno:
        raise CatalogError("this entry is no longer in the catalog; reload the page", path)
    if problems := refusals(message, strings, before.num_plurals):
        raise TranslationRefused(problems, path)
    lines = text.splitlines(keepends=True)
    msgid_index = message.lineno - 1
    start, stop = _msgstr_span(lines, msgid_index, path)
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    lines[start:stop] = _msgstr_lines(
        message, strings, before.num_plurals, newline, lines[start:stop]
    )
    context = _context_start(lines, msgid_index)
    comments = _comment_start(lines, context)
    lines[comments:context] = _unfuzzy(lines[comments:context])
    patched = "".join(lines)
    expected = _msgstr_value(message, strings, before.num_plurals)
    _verify(before, parse(patched, path, lang), message, expected, path)
    return patched


def refusals(message: Message, strings: list[str], forms: int) -> dict[int, list[str]]:
    """Why ``strings`` cannot be saved as the translation of ``message``, by form number."""
    expected = forms if message.pluralizable else 1
    if len(strings) != expected:
        return {
            0: [f"expected {expected} translation field(s), got {len(strings)}: reload the page"]
        }
    problems: dict[int, list[str]] = {}
    for number, text in enumerate(strings):
        found = translation_problems(message, text)
        if message.pluralizable and not text and any(strings):
            found.append("this plural form is empty: fill every form, or clear them all")
        if found:
            problems[number] = found
    return problems


def _msgstr_span(lines: list[str], msgid_index: int, path: Path) -> tuple[int, int]:
    if not lines[msgid_index].lstrip().startswith("msgid"):
        raise CatalogError("cannot find the entry's msgid line", path, msgid_index + 1)
    start = msgid_index + 1
    while start < len(lines) and not lines[start].lstrip().startswith("msgstr"):
        start += 1
    stop = start + 1
    while stop < len(lines) and lines[stop].lstrip().startswith(('"', "msgstr[")):
        stop += 1
    if start >= len(lines):
        raise CatalogError("the entry has no msgstr line", path, msgid_index + 1)
    return start, stop


def _msgstr_value(message: Message, strings: list[str], forms: int) -> str | tuple[str, ...]:
    if not message.pluralizable:
        return strings[0] if strings else ""
    return tuple([*strings, *[""] * forms][:forms])


def _msgstr_lines(
    message: Message, strings: list[str], forms: int, newline: str, written: list[str]
) -> list[str]:
    """The new msgstr lines; a form whose text is unchanged keeps its lines (and wrapping)."""

    def line(keyword: str, value: str) -> str:
        return f"{keyword} {normalize(value, width=WIDTH)}".replace("\n", newline) + newline

    value = _msgstr_value(message, strings, forms)
    old = _strings(message.string)
    kept = _keyword_groups(written)
    new = [value] if isinstance(value, str) else list(value)
    keywords = ["msgstr"] if isinstance(value, str) else [f"msgstr[{n}]" for n in range(forms)]
    result: list[str] = []
    for number, (keyword, text) in enumerate(zip(keywords, new, strict=True)):
        unchanged = number < len(kept) and number < len(old) and old[number] == text
        result += kept[number] if unchanged else [line(keyword, text)]
    return result


def _keyword_groups(lines: list[str]) -> list[list[str]]:
    """``msgstr`` (or ``msgstr[N]``) lines, each with the continuation lines that follow it."""
    groups: list[list[str]] = []
    for text in lines:
        if text.lstrip().startswith("msgstr") or not groups:
            groups.append([text])
        else:
            groups[-1].append(text)
    return groups


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [text or "" for text in value]
    return [value or ""]


def _context_start(lines: list[str], msgid_index: int) -> int:
    index = msgid_index
    while index > 0 and lines[index - 1].lstrip().startswith(('"', "msgctxt")):
        index -= 1
    return index


def _comment_start(lines: list[str], context_index: int) -> int:
    index = context_index
    while index > 0 and lines[index - 1].startswith("#") and not lines[index - 1].startswith("#~"):
        index -= 1
    return index


def _unfuzzy(comments: list[str]) -> list[str]:
    """Drop the fuzzy flag, and the previous msgid (#|) that came with it."""
    kept = []
    was_fuzzy = any(_flags(line) and "fuzzy" in _flags(line) for line in comments)
    for line in comments:
        flags = _flags(line)
        if flags and "fuzzy" in flags:
            rest = [flag for flag in flags if flag != "fuzzy"]
            newline = line[len(line.rstrip("\r\n")) :]
            if rest:
                kept.append("#, " + ", ".join(rest) + newline)
        elif not (was_fuzzy and line.startswith("#|")):
            kept.append(line)
    return kept


def _flags(line: str) -> list[str]:
    if not line.startswith("#,"):
        return []
    return [flag.strip() for flag in line[2:].split(",") if flag.strip()]


def _verify(
    before: Catalog, after: Catalog, edited: Message, expected: str | tuple[str, ...], path: Path
) -> None:
    """Every other entry must read back exactly as before; the edited one as intended."""
    old = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in before}
    new = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in after}
    same_obsolete = [_fields(m) for m in before.obsolete.values()] == [
        _fields(m) for m in after.obsolete.values()
    ]
    if old.keys() != new.keys() or not same_obsolete:
        raise CatalogError("saving would change other entries; nothing was saved", path)
    for key, message in old.items():
        if message.id == edited.id and message.context == edited.context:
            if new[key].fuzzy or new[key].string != expected:
                raise CatalogError(
                    "the entry did not read back as entered; nothing was saved", path
                )
            continue
        if _fields(message) != _fields(new[key]):
            raise CatalogError(f"saving would change the entry {key[0]!r}; nothing was saved", path)


def _fields(message: Message) -> tuple[object, ...]:
    return (
        message.id,
        message.string,
        message.context,
        sorted(message.flags),
        message.user_comments,
        message.auto_comments,
        message.locations,
        message.previous_id,
    )
