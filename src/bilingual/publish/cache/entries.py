"""Turn posts and pages into JSON rows and back, so that unchanged folders are not read again.

``entries-NN.json`` keep the entries as the reader made them, by folder, with the stat of the
folder's files, reused while those files (and the config and tags.yaml, through a key) are
unchanged: a build after one edit reads and checks one folder, not the whole site. Entries
that had errors are never kept. They are spread over ENTRY_SHARDS files, so that one edit
rewrites one small file. The site's modules are imported only when a build reads the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeGuard

from bilingual.publish.cache.hashing import digest
from bilingual.publish.cache.scan import racy
from bilingual.publish.cache.store import FORMAT, read_json, write_json
from bilingual.publish.writer import FileStat

if TYPE_CHECKING:
    from bilingual.site.model import Entry, Tag

ENTRY_SHARDS = 16
Row = dict[str, Any]


class EntryCache:
    """Posts and pages as the reader made them, by folder (see the module's docstring)."""

    def __init__(
        self,
        folder: Path,
        inputs: dict[str, FileStat],
        looked_at_ns: int,
        key: str,
        use: bool = True,
    ) -> None:
        self.folder = folder
        self.key = key
        self.looked_at_ns = looked_at_ns
        self.known: dict[str, Any] = {}
        self.recorded_at: dict[int, int] = {}
        for shard in range(ENTRY_SHARDS):
            data = read_json(self._path(shard)) if use else None
            if self._usable(data):
                self.known.update(data["entries"])
                self.recorded_at[shard] = data["looked_at_ns"]
        # Kept rows, or what this build read: the folder and its entry. The row is made when
        # saved: kept from the reading workers, every row would hold the bodies once more
        # (24 MB more at the peak for 5,000 posts).
        self.seen: dict[str, Row | tuple[Path, Entry]] = {}
        self.dirty: set[int] = set()
        self.files = _content_files(inputs)

    def _usable(self, data: Any) -> TypeGuard[dict[str, Any]]:
        return (
            isinstance(data, dict)
            and data.get("format") == FORMAT
            and data.get("key") == self.key
            and isinstance(data.get("entries"), dict)
            and isinstance(data.get("looked_at_ns"), int)
        )

    def _path(self, shard: int) -> Path:
        return self.folder / f"entries-{shard:02d}.json"

    @staticmethod
    @functools.cache  # asked for each folder when loading, and again for each shard saved
    def shard(name: str) -> int:
        return int(digest(name)[:4], 16) % ENTRY_SHARDS

    def has(self, directory: Path) -> bool:
        """Whether ``directory`` was kept and its files did not change since."""
        return self._kept_row(os.path.abspath(directory)) is not None

    def get(self, directory: Path, tags: dict[str, Tag]) -> Entry | None:
        """The entry of ``directory`` if its files did not change since it was kept."""
        name = os.path.abspath(directory)
        row = self._kept_row(name)
        if row is None:
            return None
        entry = entry_from_row(row.get("entry"), directory, tags)
        if entry is not None:
            self.seen[name] = row
        return entry

    def _kept_row(self, name: str) -> Row | None:
        row = self.known.get(name)
        files = self.files.get(name, [])
        recorded = self.recorded_at.get(self.shard(name), 0)
        if (
            not isinstance(row, dict)
            or row.get("files") != files
            or any(racy(FileStat(*stat[1:]), recorded) for stat in files)
        ):
            return None
        return row

    def put(self, directory: Path, entry: Entry) -> None:
        """Keep ``entry``, read from ``directory``."""
        name = os.path.abspath(directory)
        self.seen[name] = (directory, entry)
        self.dirty.add(self.shard(name))

    def read_again(self) -> set[str]:
        """The folders whose files were read again by this build."""
        return {name for name, kept in self.seen.items() if isinstance(kept, tuple)}

    def changed_bodies(self) -> frozenset[str] | None:
        """The posts and pages of the folders read again whose body changed, by ``entry_id``
        in each language changed, if nothing else of any entry did: none is new, gone, or
        changed in another field."""
        if set(self.known) - set(self.seen):
            return None
        changed: set[str] = set()
        for name, kept in self.seen.items():
            if not isinstance(kept, tuple):
                continue
            directory, entry = kept
            old = self.known.get(name)
            new = entry_row(entry, directory)
            if not isinstance(old, dict) or not isinstance(old.get("entry"), dict) or new is None:
                return None
            old_fields = dict(old["entry"])
            languages = _changed_languages(old_fields.pop("body", None), new.pop("body", None))
            if languages is None or old_fields != new:
                return None
            changed.update(entry_id(entry, lang) for lang in languages)
        return frozenset(changed)

    def save(self) -> None:
        for name in set(self.known) - set(self.seen):
            self.dirty.add(self.shard(name))
        for shard in sorted(self.dirty | (set(range(ENTRY_SHARDS)) - set(self.recorded_at))):
            write_json(
                self._path(shard),
                {
                    "format": FORMAT,
                    "key": self.key,
                    "looked_at_ns": self.looked_at_ns,
                    "entries": self._rows(shard),
                },
            )

    def _rows(self, shard: int) -> dict[str, Row]:
        rows = {}
        for name, kept in self.seen.items():
            if self.shard(name) != shard:
                continue
            row = self._row(name, *kept) if isinstance(kept, tuple) else kept
            if row is not None:
                rows[name] = row
        return rows

    def _row(self, name: str, directory: Path, entry: Entry) -> Row | None:
        fields = entry_row(entry, directory)
        return {"files": self.files.get(name, []), "entry": fields} if fields is not None else None


def _content_files(inputs: dict[str, FileStat]) -> dict[str, list[list[Any]]]:
    """Per folder, the name and stat of each Markdown file and comments.yaml, sorted."""
    files: dict[str, list[list[Any]]] = {}
    for path, stat in inputs.items():
        if path.endswith((".md", f"{os.sep}comments.yaml")):
            folder, name = os.path.split(path)
            files.setdefault(folder, []).append([name, *stat])
    for listing in files.values():
        listing.sort()
    return files


def entry_id(entry: Entry, lang: str) -> str:
    """How a post or page in one language is named in what an output's fingerprint read."""
    return f"{entry.kind}:{entry.slug}:{lang}"


def _changed_languages(old: Any, new: Any) -> set[str] | None:
    """The languages in which two rows of a body differ (None if either is not of text)."""
    if not (
        isinstance(old, dict)
        and isinstance(new, dict)
        and isinstance(old.get("L"), dict)
        and isinstance(new.get("L"), dict)
    ):
        return None
    before, after = old["L"], new["L"]
    return {lang for lang in before.keys() | after.keys() if before.get(lang) != after.get(lang)}


# ----- one entry as JSON: each field a plain value, or {"<kind>": value}


def entry_row(entry: Entry, directory: Path) -> Row | None:
    """An Entry as JSON, or None if a field is of a kind this does not know how to keep."""
    row: Row = {}
    for item in dataclasses.fields(entry):
        value = _field_row(getattr(entry, item.name), directory)
        if value is _UNKNOWN:
            return None
        row[item.name] = value
    return row


_UNKNOWN = object()


def _field_row(value: Any, directory: Path) -> Any:
    from bilingual.site.localized import Localized
    from bilingual.site.model import Tag

    if isinstance(value, Localized):
        return _localized_row(dict(value.values), directory)
    if isinstance(value, dt.datetime):
        return {"DT": value.isoformat()} if value.tzinfo is not None else _UNKNOWN
    if isinstance(value, dt.date):
        return {"D": value.isoformat()}
    if isinstance(value, tuple) and all(isinstance(tag, Tag) for tag in value):
        return {"T": [tag.key for tag in value]}
    if value is None or isinstance(value, (str, bool)):
        return value
    return _UNKNOWN


def _localized_row(values: dict[str, Any], directory: Path) -> Any:
    if all(isinstance(v, str) for v in values.values()):
        return {"L": values}
    if all(isinstance(v, Path) and v.parent == directory for v in values.values()):
        return {"P": {lang: v.name for lang, v in values.items()}}
    return _UNKNOWN


def entry_from_row(row: Any, directory: Path, tags: dict[str, Tag]) -> Entry | None:
    """The Entry ``entry_row`` made ``row`` from, or None if the row is not one."""
    from bilingual.site.model import Entry

    if not isinstance(row, dict):
        return None
    try:
        fields = {name: _field_value(value, directory, tags) for name, value in row.items()}
        entry = Entry(**fields)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    checks = _field_checks()
    return entry if all(checks[name](value) for name, value in fields.items()) else None


Check = Callable[[Any], bool]


@functools.cache
def _field_checks() -> dict[str, Check]:
    """Per field of Entry, whether a value read back from a row is of the field's declared type
    (a damaged row's may not be): made once from the type hints."""
    from bilingual.site.model import Entry

    return {name: _check(hint) for name, hint in typing.get_type_hints(Entry).items()}


def _check(hint: Any) -> Check:
    from bilingual.site.localized import Localized

    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is Literal:
        return frozenset(arguments).__contains__
    if origin in (typing.Union, types.UnionType):
        checks = [_check(argument) for argument in arguments]
        return lambda value: any(check(value) for check in checks)
    if origin is Localized:
        kind = arguments[0]
        return lambda value: (
            isinstance(value, Localized)
            and all(
                isinstance(lang, str) and isinstance(text, kind)
                for lang, text in value.values.items()
            )
        )
    if origin is tuple:
        kind = arguments[0]
        return lambda value: isinstance(value, tuple) and all(isinstance(i, kind) for i in value)
    if hint is type(None):
        return lambda value: value is None
    return lambda value: isinstance(value, hint)


def _field_value(value: Any, directory: Path, tags: dict[str, Tag]) -> Any:
    from bilingual.site.localized import Localized

    if not isinstance(value, dict):
        return value
    ((kind, data),) = value.items()
    if kind == "L":
        return Localized(data)
    if kind == "P":
        return Localized({lang: directory / file for lang, file in data.items()})
    if kind == "D":
        return dt.date.fromisoformat(data)
    if kind == "DT":
        return dt.datetime.fromisoformat(data)
    if kind == "T":
        return tuple(tags[key] for key in data)
    raise ValueError(f"unknown field kind {kind!r}")
