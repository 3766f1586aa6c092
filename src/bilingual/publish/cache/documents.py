"""Turn content files into parsed documents, reusing the front matter of unchanged files.

``documents.json`` holds the front matter of the content files read, by path, with the file's
size, modification time, inode and content hash: a file whose stat changed but whose bytes did
not is not parsed again.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.publish.cache.hashing import digest_bytes
from bilingual.publish.cache.scan import racy
from bilingual.publish.cache.store import FORMAT, read_json, write_json
from bilingual.publish.writer import FileStat

if TYPE_CHECKING:
    from bilingual.site.frontmatter import Document

DOCUMENTS = "documents.json"
Row = list[Any]  # size, mtime_ns, inode, content hash, where the body starts, front matter


class DocumentCache:
    """Parse content files, reusing the front matter of files that did not change."""

    def __init__(
        self, folder: Path, inputs: dict[str, FileStat], looked_at_ns: int, use: bool = True
    ) -> None:
        self.path = folder / DOCUMENTS
        self.inputs = inputs
        self.looked_at_ns = looked_at_ns
        data = read_json(self.path) if use else None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            data = {}
        known = data.get("documents")
        self.known: dict[str, Row] = known if isinstance(known, dict) else {}
        # A file modified just before the last build looked at it may have changed since
        # without its stat changing: compare those by content.
        recorded = data.get("looked_at_ns")
        self.recorded_at = recorded if isinstance(recorded, int) else 0
        self.seen: dict[str, Row] = {}
        self.changed = not use

    def parse(self, path: Path) -> Document:
        """The document at ``path``: from the cache if its bytes are the same, else parsed."""
        from bilingual.site.frontmatter import document_of
        from bilingual.site.inputs import read_input

        name = os.path.abspath(path)
        reused = self._reuse(name, path)
        if reused is not None:
            return reused
        data = read_input(path, None)  # read once, safely, both to parse and to hash
        document = document_of(path, data)
        self.changed = True
        self._remember(name, document, data)
        return document

    def _reuse(self, name: str, path: Path) -> Document | None:
        """The cached document, if the file's stat or bytes are the ones it was made from."""
        from bilingual.site.frontmatter import Document, decode

        stat = self.inputs.get(name)
        row = self.known.get(name)
        if row is None or stat is None or len(row) != 6:
            return None
        size, mtime, inode, known_digest, body_start, meta = row
        data: bytes | None = None
        same = FileStat(size, mtime, inode) == stat and not racy(stat, self.recorded_at)
        if not same:
            data = path.read_bytes()
            same = digest_bytes(data) == known_digest
            self.changed = True
        if not (same and isinstance(meta, dict) and isinstance(body_start, int)):
            return None
        text = decode(data if data is not None else path.read_bytes(), path)
        self.seen[name] = [*stat, known_digest, body_start, meta]
        return Document(path=path, meta=meta, body=text[body_start:].strip("\n"), text=text)

    def _remember(self, name: str, document: Document, data: bytes) -> None:
        from bilingual.site.frontmatter import FENCE

        stat = self.inputs.get(name)
        match = FENCE.match(document.text)
        if stat is None or match is None or not _is_plain(document.meta):
            return
        self.seen[name] = [*stat, digest_bytes(data), match.end(), document.meta]

    def remember_rows(self, rows: dict[str, Row]) -> None:
        """Keep rows that another process's ``parse`` made of these files."""
        self.seen.update(rows)
        self.changed = True

    def save(self) -> None:
        if self.changed or set(self.seen) != set(self.known):
            write_json(
                self.path,
                {"format": FORMAT, "looked_at_ns": self.looked_at_ns, "documents": self.seen},
            )


def _is_plain(meta: dict[str, Any]) -> bool:
    """Front matter that JSON gives back exactly: maps with text keys, lists, text, numbers
    but NaN (which equals nothing), booleans and nulls (no dates, sets or bytes)."""
    try:
        return _plain(meta)
    except RecursionError:  # nested deeper than JSON could write
        return False


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    if kind is list:
        return all(_plain(item) for item in value)
    if kind is float:
        return not math.isnan(value)
    return kind in _SCALARS


_SCALARS = frozenset({str, int, bool, type(None)})
