"""Turn a site folder into its model, reusing the entries of unchanged folders.

A build reads only the folders whose files changed since the entry cache kept them. When it
has many to read (a first build, or one after the config or ``tags.yaml`` changed), worker
processes forked from the build read them side by side: parsing front matter and checking
fields is most of the time before rendering starts, and every folder is read on its own. A
worker sends each entry back as the entry cache keeps it (a JSON row) with the rows of the
document cache. A folder with any error is left to the build, which reads it again and
reports its errors in order, as it does without workers; so is every folder of a worker that
failed for any other reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.errors import ErrorCollector
from bilingual.publish.cache.documents import DocumentCache
from bilingual.publish.cache.entries import EntryCache, Row, entry_from_row, entry_row
from bilingual.publish.workers import can_fork, shared_heap, start_worker, worker_context
from bilingual.site.config import Config, load_config
from bilingual.site.model import Entry, EntryKind, Site, Tag
from bilingual.site.reader import SiteReader

WORTH_FORKING = 64
"""Folders to read below which workers cost more than they save (about 0.6 ms each)."""
SMALLEST_TASK = 16

ReadAhead = dict[str, tuple[Entry | None, dict[str, list[Any]]]]
"""By folder: the entry (None if its row is not one) and the document cache's rows."""


def load_site_cached(root: Path, documents: DocumentCache, entries: EntryCache, jobs: int) -> Site:
    """``reader.load_site``, reusing the entries of unchanged folders; with ``jobs`` above
    1, many folders to read are read by that many worker processes."""
    return CachedReader(load_config(Path(root)), documents, entries, jobs).read()


class CachedReader(SiteReader):
    """A SiteReader that takes unchanged folders from the entry cache."""

    def __init__(
        self, config: Config, documents: DocumentCache, entries: EntryCache, jobs: int
    ) -> None:
        super().__init__(config, documents.parse)
        self.documents = documents
        self.entries = entries
        self.jobs = jobs
        self.read_ahead: ReadAhead = {}

    def _before_reading(
        self, kind: EntryKind, folders: list[tuple[Path, str]], tags: dict[str, Tag]
    ) -> None:
        if self.jobs <= 1 or len(folders) < WORTH_FORKING or not can_fork():
            return
        to_read = [(path, slug) for path, slug in folders if not self.entries.has(path)]
        if len(to_read) >= WORTH_FORKING:
            self.read_ahead.update(_read_in_workers(self, kind, to_read, tags))

    def _read_entry(
        self, kind: EntryKind, slug: str, directory: Path, tags: dict[str, Tag]
    ) -> Entry | None:
        entry = self.entries.get(directory, tags) or self._taken_ahead(directory)
        if entry is not None and entry.kind == kind and entry.slug == slug:
            return entry
        errors = len(self.errors.errors)
        entry = super()._read_entry(kind, slug, directory, tags)
        if entry is not None and len(self.errors.errors) == errors:
            self.entries.put(directory, entry)
        return entry

    def _taken_ahead(self, directory: Path) -> Entry | None:
        found = self.read_ahead.pop(os.path.abspath(directory), None)
        if found is None:
            return None
        entry, document_rows = found
        if entry is not None:
            self.documents.remember_rows(document_rows)
            self.entries.put(directory, entry)
        return entry


# ----- in the workers


@dataclass(frozen=True)
class _Reading:
    reader: CachedReader
    kind: EntryKind
    tags: dict[str, Tag]


_READING: _Reading | None = None


def _read_in_workers(
    reader: CachedReader, kind: EntryKind, folders: list[tuple[Path, str]], tags: dict[str, Tag]
) -> ReadAhead:
    global _READING
    tasks = _tasks([(str(path), slug) for path, slug in folders], reader.jobs)
    _READING = _Reading(reader, kind, tags)
    executor = ProcessPoolExecutor(
        max_workers=reader.jobs, mp_context=worker_context(), initializer=start_worker
    )
    try:
        futures = _submit(executor, tasks)
        # Entries are made as results come in, while the workers read on.
        return {
            name: (entry_from_row(row, Path(name), tags), rows)
            for name, row, rows in _results(futures)
        }
    finally:
        _READING = None
        executor.shutdown(wait=True, cancel_futures=True)


def _submit(
    executor: ProcessPoolExecutor, tasks: list[list[tuple[str, str]]]
) -> list[Future[list[Any]]]:
    try:
        with shared_heap():
            return [executor.submit(_read_task, task) for task in tasks]
    except OSError:  # no worker could start: the build reads every folder itself
        return []


def _tasks(folders: list[tuple[str, str]], jobs: int) -> list[list[tuple[str, str]]]:
    """Tasks that shrink as the folders left do: the workers end within a small task of each
    other, and the build makes the last entries from a few rows."""
    tasks, start = [], 0
    while start < len(folders):
        size = max(SMALLEST_TASK, (len(folders) - start) // (jobs * 2))
        tasks.append(folders[start : start + size])
        start += size
    return tasks


def _results(futures: list[Future[list[Any]]]) -> Iterator[Any]:
    for future in as_completed(futures):
        try:
            yield from future.result()
        except Exception:  # the build reads these folders itself, and says what is wrong
            continue


def _read_task(folders: list[tuple[str, str]]) -> list[tuple[str, Row, dict[str, list[Any]]]]:
    assert _READING is not None
    reader, kind, tags = _READING.reader, _READING.kind, _READING.tags
    found = []
    for name, slug in folders:
        reader.errors = ErrorCollector()
        reader.documents.seen = {}
        directory = Path(name)
        entry = SiteReader._read_entry(reader, kind, slug, directory, tags)
        row = entry_row(entry, directory) if entry is not None else None
        if row is not None and not reader.errors.errors:
            found.append((os.path.abspath(directory), row, reader.documents.seen))
    return found
