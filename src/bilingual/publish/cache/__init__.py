"""Remember what a build read and wrote, so that the next one redoes only what changed.

Everything lives in ``SITE/.bilingual-cache/`` as JSON, one module per job:

- ``store``: the folder and its JSON files (never pickle: loading a cache runs no code);
- ``hashing``: short hashes of values, bytes, files and the installed environment;
- ``scan``: the stat of every input and output file, and which ones are too fresh to trust;
- ``state``: per output folder, what the last build read and wrote (``build-*.json``);
- ``documents``: the parsed front matter of unchanged content files (``documents.json``);
- ``entries``: the posts and pages of unchanged folders (``entries-NN.json``).

The last two are imported when first asked for: a build with nothing to do reads neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bilingual.publish.cache.hashing import digest, digest_bytes, environment_key, file_digest
from bilingual.publish.cache.scan import FolderStat, now_ns, racy, scan_inputs, scan_output
from bilingual.publish.cache.state import BuildCache, BuildState, OutputRecord
from bilingual.publish.cache.store import CACHE_DIR

if TYPE_CHECKING:
    from bilingual.publish.cache.documents import DocumentCache
    from bilingual.publish.cache.entries import EntryCache

_LAZY = {"DocumentCache": "documents", "EntryCache": "entries"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)


__all__ = [
    "CACHE_DIR",
    "BuildCache",
    "BuildState",
    "DocumentCache",
    "EntryCache",
    "FolderStat",
    "OutputRecord",
    "digest",
    "digest_bytes",
    "environment_key",
    "file_digest",
    "now_ns",
    "racy",
    "scan_inputs",
    "scan_output",
]
