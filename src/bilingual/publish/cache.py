"""Remember what a build read and wrote, so that the next one redoes only what changed.

Everything lives in ``SITE/.bilingual-cache/`` as JSON (never pickle: a site folder may come
from someone else, and loading the cache must not run code):

- ``entries-NN.json``: the posts and pages as the reader made them, by folder, with the stat
  of the folder's files: a folder whose files did not change is not read again.
- ``documents.json``: the front matter of the content files read, by path, with the file's
  size, modification time, inode and content hash: a file whose stat changed but whose bytes
  did not is not parsed again.
- ``build-<hash of the output folder>.json``: per output folder, the stat of every input file
  (content, config, templates, catalogs, the toolkit's sources) and, per output, its
  fingerprint, the hash of its bytes and the stat of the file written. When every input has
  the same stat and the output folder holds exactly those files with those stats, the build
  has nothing to do.

A file modified within RACY_NS of the moment it was looked at may change again without its
stat changing (time stamps are coarse): such files are compared by content next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import sysconfig
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.publish.writer import FileStat

if TYPE_CHECKING:
    from bilingual.site.frontmatter import Document

CACHE_DIR = ".bilingual-cache"
DOCUMENTS = "documents.json"
FORMAT = 1
RACY_NS = 2_000_000_000
TEMPORARY_SUFFIX = ".tmp"
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".hg", ".svn", CACHE_DIR})


# ----- hashes


def digest(*parts: Any) -> str:
    """A short, stable hash of ``repr`` of the parts (str, int, tuples, None...)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def environment_key() -> str:
    """Python and every installed distribution, by name and version: cheap enough for each build."""
    names: list[str] = []
    for folder in dict.fromkeys((sysconfig.get_path("purelib"), sysconfig.get_path("platlib"))):
        try:
            names += sorted(name for name in os.listdir(folder) if name.endswith(".dist-info"))
        except OSError:
            pass
    version = getattr(sys.modules.get("bilingual"), "__version__", None)
    return digest(FORMAT, version, sys.version, sys.platform, names)


# ----- stat of files


def scan_inputs(roots: Iterable[Path], skip: Iterable[Path] = ()) -> dict[str, FileStat]:
    """Every file under ``roots`` (files or folders, following links), by absolute path."""
    skipped = {os.path.abspath(path) for path in skip}
    found: dict[str, FileStat] = {}
    seen: set[tuple[int, int]] = set()
    waiting = [os.path.abspath(root) for root in roots]
    while waiting:
        folder = waiting.pop()
        try:
            entries = os.scandir(folder)
        except NotADirectoryError:
            try:
                found[folder] = FileStat.of(os.stat(folder))
            except OSError:
                pass
            continue
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if entry.name in SKIPPED_DIRS or entry.path in skipped:
                            continue
                        status = entry.stat()
                        if (status.st_dev, status.st_ino) not in seen:
                            seen.add((status.st_dev, status.st_ino))
                            waiting.append(entry.path)
                    else:
                        found[entry.path] = FileStat.of(entry.stat())
                except OSError:
                    continue
    return found


def scan_output(folder: Path) -> dict[str, FileStat]:
    """Every file in the output folder, by path relative to it ('/'-separated)."""
    found: dict[str, FileStat] = {}
    top = os.path.abspath(folder)
    waiting = [(top, "")]
    while waiting:
        current, prefix = waiting.pop()
        try:
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    waiting.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    try:
                        found[prefix + entry.name] = FileStat.of(entry.stat(follow_symlinks=False))
                    except OSError:
                        continue
    return found


def racy(stat: FileStat, looked_at_ns: int) -> bool:
    return stat.mtime_ns > looked_at_ns - RACY_NS


def file_digest(path: str | Path) -> str | None:
    """The hash of a regular file's bytes; None for anything else (a FIFO would block)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return digest_bytes(handle.read())
    except OSError:
        return None
    finally:
        os.close(descriptor)


# ----- what the last build left


@dataclass(frozen=True)
class OutputRecord:
    """One file of the last build: how it was made and what was written."""

    path: str
    kind: str
    renderer: str
    lang: str | None
    slug: str | None
    fingerprint: str
    digest: str
    stat: FileStat

    def row(self) -> list[Any]:
        return [self.path, self.kind, self.renderer, self.lang, self.slug, self.fingerprint,
                self.digest, *self.stat]

    @classmethod
    def from_row(cls, row: list[Any]) -> OutputRecord:
        path, kind, renderer, lang, slug, fingerprint, data_digest, size, mtime, inode = row
        return cls(path, kind, renderer, lang, slug, fingerprint, data_digest,
                   FileStat(size, mtime, inode))


@dataclass
class BuildState:
    """The last build into one output folder."""

    key: str = ""
    looked_at_ns: int = 0
    inputs: dict[str, FileStat] = field(default_factory=dict)
    racy: dict[str, str | None] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "key": self.key, "looked_at_ns": self.looked_at_ns,
                "inputs": {path: list(stat) for path, stat in self.inputs.items()},
                "racy": self.racy,
                "outputs": [record.row() for record in self.outputs.values()]}

    @classmethod
    def from_json(cls, data: Any) -> BuildState:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        try:
            outputs = (OutputRecord.from_row(row) for row in data["outputs"])
            return cls(key=str(data["key"]), looked_at_ns=int(data["looked_at_ns"]),
                       inputs={str(path): FileStat(*stat) for path, stat in data["inputs"].items()},
                       racy={str(path): value for path, value in data["racy"].items()},
                       outputs={record.path: record for record in outputs})
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def inputs_unchanged(self, inputs: dict[str, FileStat]) -> bool:
        if inputs != self.inputs:
            return False
        return all(file_digest(path) == known for path, known in self.racy.items())

    def output_intact(self, path: str, found: dict[str, FileStat]) -> OutputRecord | None:
        """The record of ``path`` if the file is still the one the last build wrote."""
        record = self.outputs.get(path)
        if record is not None and found.get(path) == record.stat:
            return record
        return None

    def intact_outputs(self, found: dict[str, FileStat]) -> set[str]:
        """The files of ``found`` that are still the ones the last build wrote."""
        return {path for path, record in self.outputs.items() if found.get(path) == record.stat}

    def output_unchanged(self, found: dict[str, FileStat]) -> bool:
        return len(found) == len(self.outputs) and all(
            found.get(path) == record.stat for path, record in self.outputs.items())


def record_inputs(state: BuildState, inputs: dict[str, FileStat], looked_at_ns: int) -> None:
    state.inputs = inputs
    state.looked_at_ns = looked_at_ns
    state.racy = {path: file_digest(path) for path, stat in inputs.items()
                  if racy(stat, looked_at_ns)}


class BuildCache:
    """The cache folder of one site, for builds into one output folder."""

    def __init__(self, site_root: Path, destination: Path) -> None:
        self.folder = Path(site_root) / CACHE_DIR
        self.destination = Path(os.path.abspath(destination))
        self.state_file = self.folder / f"build-{digest(str(self.destination))[:16]}.json"

    def spare(self, destination: Path) -> Path | None:
        """Where the folder retired by a build waits to be the next staging folder: in the
        cache folder when it is on the output's file system (else the builds remove it)."""
        parent = Path(os.path.abspath(destination)).parent
        try:
            here = os.stat(self.folder if self.folder.is_dir() else self.folder.parent).st_dev
            there = os.stat(parent).st_dev
        except OSError:
            return None
        return self.folder / f"spare-{self.state_file.stem[6:]}" if here == there else None

    def remove_temporary_files(self) -> None:
        """Remove what a killed build left half-written (call with the build lock held)."""
        for leftover in self.folder.glob(f".*{TEMPORARY_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    def load_state(self) -> BuildState:
        return BuildState.from_json(_read_json(self.state_file))

    def save_state(self, state: BuildState) -> None:
        _write_json(self.folder, self.state_file, state.to_json())

    def documents(self, inputs: dict[str, FileStat], looked_at_ns: int, use: bool = True
                  ) -> DocumentCache:
        return DocumentCache(self.folder, inputs, looked_at_ns, use)


# ----- parsed content files


class DocumentCache:
    """Parse content files, reusing the front matter of files that did not change."""

    def __init__(self, folder: Path, inputs: dict[str, FileStat], looked_at_ns: int,
                 use: bool = True) -> None:
        self.folder = folder
        self.path = folder / DOCUMENTS
        self.inputs = inputs
        self.looked_at_ns = looked_at_ns
        data = _read_json(self.path) if use else None
        known = data.get("documents") if isinstance(data, dict) and data.get(
            "format") == FORMAT else None
        self.known: dict[str, list[Any]] = known if isinstance(known, dict) else {}
        # A file modified just before the last build looked at it may have changed since
        # without its stat changing: compare those by content.
        recorded = data.get("looked_at_ns") if isinstance(data, dict) else None
        self.recorded_at = recorded if isinstance(recorded, int) else 0
        self.seen: dict[str, list[Any]] = {}
        self.changed = not use

    def parse(self, path: Path) -> Document:
        from bilingual.site.frontmatter import Document, decode, parse_document  # noqa: PLC0415

        name = os.path.abspath(path)
        stat = self.inputs.get(name)
        row = self.known.get(name)
        data: bytes | None = None
        if row is not None and stat is not None and len(row) == 6:
            size, mtime, inode, known_digest, body_start, meta = row
            same_stat = FileStat(size, mtime, inode) == stat and not racy(stat, self.recorded_at)
            if not same_stat:
                data = path.read_bytes()
                same_stat = digest_bytes(data) == known_digest
                self.changed = True
            if same_stat and isinstance(meta, dict) and isinstance(body_start, int):
                if data is None:
                    data = path.read_bytes()
                text = decode(data, path)
                self.seen[name] = [*stat, known_digest, body_start, meta]
                return Document(path=path, meta=meta, body=text[body_start:].strip("\n"),
                                text=text)
        document = parse_document(path)
        self.changed = True
        self._remember(name, path, document, data)
        return document

    def _remember(self, name: str, path: Path, document: Document, data: bytes | None) -> None:
        from bilingual.site.frontmatter import FENCE  # noqa: PLC0415

        stat = self.inputs.get(name)
        match = FENCE.match(document.text)
        if stat is None or match is None or not _is_plain(document.meta):
            return
        if data is None:
            data = path.read_bytes()
        self.seen[name] = [*stat, digest_bytes(data), match.end(), document.meta]

    def save(self) -> None:
        if self.changed or set(self.seen) != set(self.known):
            _write_json(self.folder, self.path, {"format": FORMAT, "looked_at_ns": self.looked_at_ns,
                                                 "documents": self.seen})


def _is_plain(meta: dict[str, Any]) -> bool:
    """Front matter that JSON gives back exactly (strings, numbers, booleans, lists, maps)."""
    try:
        return json.loads(json.dumps(meta, ensure_ascii=False)) == meta and _same_types(
            meta, json.loads(json.dumps(meta, ensure_ascii=False)))
    except (TypeError, ValueError, RecursionError):
        return False


def _same_types(first: Any, second: Any) -> bool:
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        return all(_same_types(first[key], second[key]) for key in first)
    if isinstance(first, list):
        return all(_same_types(a, b) for a, b in zip(first, second))
    return True


# ----- files


def _read_json(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None


def _write_json(folder: Path, path: Path, data: Any) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is skipped."""
    try:
        folder.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError:
        pass


def now_ns() -> int:
    return time.time_ns()


# ----- checked entries


ENTRY_SHARDS = 16


class EntryCache:
    """Posts and pages as the reader made them, by folder, reused while the folder's files
    (and the config and tags.yaml, through ``key``) are unchanged: a build after one edit reads
    and checks one folder, not the whole site. Entries that had errors are never kept. They are
    kept in ENTRY_SHARDS files, so that one edit rewrites one small file."""

    def __init__(self, folder: Path, inputs: dict[str, FileStat], looked_at_ns: int, key: str,
                 use: bool = True) -> None:
        self.folder = folder
        self.key = key
        self.looked_at_ns = looked_at_ns
        self.known: dict[str, Any] = {}
        self.recorded_at: dict[int, int] = {}
        for shard in range(ENTRY_SHARDS):
            data = _read_json(self._path(shard)) if use else None
            if (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key
                    and isinstance(data.get("entries"), dict)
                    and isinstance(data.get("looked_at_ns"), int)):
                self.known.update(data["entries"])
                self.recorded_at[shard] = data["looked_at_ns"]
        self.seen: dict[str, Any] = {}
        self.dirty: set[int] = set()
        self.files: dict[str, list[list[Any]]] = {}
        for path, stat in inputs.items():
            if path.endswith((".md", f"{os.sep}comments.yaml")):
                folder_name, name = os.path.split(path)
                self.files.setdefault(folder_name, []).append([name, *stat])
        for listing in self.files.values():
            listing.sort()

    def _path(self, shard: int) -> Path:
        return self.folder / f"entries-{shard:02d}.json"

    @staticmethod
    def shard(name: str) -> int:
        return int(digest(name)[:4], 16) % ENTRY_SHARDS

    def get(self, directory: Path, tags: dict[str, Any]) -> Any:
        """The entry of ``directory`` if its files did not change since it was kept."""
        name = os.path.abspath(directory)
        shard = self.shard(name)
        row = self.known.get(name)
        files = self.files.get(name, [])
        recorded = self.recorded_at.get(shard, 0)
        if not isinstance(row, dict) or row.get("files") != files or any(
                racy(FileStat(*stat[1:]), recorded) for stat in files):
            return None
        entry = _entry_from_row(row.get("entry"), directory, tags)
        if entry is not None:
            self.seen[name] = row
        return entry

    def put(self, directory: Path, entry: Any) -> None:
        name = os.path.abspath(directory)
        self.seen[name] = (directory, entry)  # made into JSON when saved, after the rendering
        self.dirty.add(self.shard(name))

    def save(self) -> None:
        for name in set(self.known) - set(self.seen):
            self.dirty.add(self.shard(name))
        for shard in sorted(self.dirty | (set(range(ENTRY_SHARDS)) - set(self.recorded_at))):
            rows = {}
            for name, row in self.seen.items():
                if self.shard(name) != shard:
                    continue
                if isinstance(row, tuple):
                    entry_row = _entry_row(row[1], row[0])
                    if entry_row is None:
                        continue
                    row = {"files": self.files.get(name, []), "entry": entry_row}
                rows[name] = row
            _write_json(self.folder, self._path(shard), {
                "format": FORMAT, "key": self.key, "looked_at_ns": self.looked_at_ns,
                "entries": rows})


def _entry_row(entry: Any, directory: Path) -> dict[str, Any] | None:
    """An Entry as JSON, or None if a field is of a kind this does not know how to keep."""
    import dataclasses  # noqa: PLC0415
    import datetime as dt  # noqa: PLC0415

    from bilingual.site.localized import Localized  # noqa: PLC0415
    from bilingual.site.model import Tag  # noqa: PLC0415

    row: dict[str, Any] = {}
    for item in dataclasses.fields(entry):
        value = getattr(entry, item.name)
        if isinstance(value, Localized):
            values = dict(value.values)
            if all(isinstance(v, str) for v in values.values()):
                row[item.name] = {"L": values}
            elif all(isinstance(v, Path) and v.parent == directory for v in values.values()):
                row[item.name] = {"P": {lang: v.name for lang, v in values.items()}}
            else:
                return None
        elif isinstance(value, dt.datetime) and value.tzinfo is not None:
            row[item.name] = {"DT": value.isoformat()}
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            row[item.name] = {"D": value.isoformat()}
        elif isinstance(value, tuple) and all(isinstance(tag, Tag) for tag in value):
            row[item.name] = {"T": [tag.key for tag in value]}
        elif value is None or isinstance(value, (str, bool)):
            row[item.name] = value
        else:
            return None
    return row


def _entry_from_row(row: Any, directory: Path, tags: dict[str, Any]) -> Any:
    import datetime as dt  # noqa: PLC0415

    from bilingual.site.localized import Localized  # noqa: PLC0415
    from bilingual.site.model import Entry  # noqa: PLC0415

    if not isinstance(row, dict):
        return None
    fields: dict[str, Any] = {}
    try:
        for name, value in row.items():
            if isinstance(value, dict):
                (kind, data), = value.items()
                if kind == "L":
                    fields[name] = Localized(data)
                elif kind == "P":
                    fields[name] = Localized({lang: directory / file for lang, file in data.items()})
                elif kind == "D":
                    fields[name] = dt.date.fromisoformat(data)
                elif kind == "DT":
                    fields[name] = dt.datetime.fromisoformat(data)
                elif kind == "T":
                    fields[name] = tuple(tags[key] for key in data)
                else:
                    return None
            else:
                fields[name] = value
        return Entry(**fields)
    except (TypeError, ValueError, KeyError):
        return None


def load_site_cached(root: Path, documents: DocumentCache, entries: EntryCache) -> Any:
    """``reader.load_site``, reusing the entries of unchanged folders."""
    from bilingual.site.config import load_config  # noqa: PLC0415
    from bilingual.site.reader import SiteReader  # noqa: PLC0415

    class CachedReader(SiteReader):
        def _read_entry(self, kind: Any, slug: str, directory: Path, tags: Any) -> Any:
            entry = entries.get(directory, tags)
            if entry is not None and entry.kind == kind and entry.slug == slug:
                return entry
            errors = len(self.errors.errors)
            entry = super()._read_entry(kind, slug, directory, tags)
            if entry is not None and len(self.errors.errors) == errors:
                entries.put(directory, entry)
            return entry

    return CachedReader(load_config(Path(root)), documents.parse).read()
