"""Turn cache records into JSON files in the site's cache folder and back.

JSON, never pickle: a site folder may come from someone else, and loading its cache must not
run code. A file that cannot be read is a cache miss; one that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from bilingual.atomic import TEMPORARY_SUFFIX, write_atomically
from bilingual.site.layout import CACHE_DIR

FORMAT = 3
"""The version of every cache file's layout: a file of another format is ignored."""

__all__ = ["CACHE_DIR", "FORMAT", "TEMPORARY_SUFFIX", "read_json", "write_json"]


def read_json(path: Path) -> Any:
    """The JSON value in ``path``, or None if it is missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8", "surrogatepass"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` in one step; a cache that cannot be written is skipped."""
    # A file name that is not UTF-8 comes as lone surrogates: kept, to be read back the same.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    encoded = text.encode("utf-8", "surrogatepass")
    with contextlib.suppress(OSError):
        write_atomically(path, encoded, sync=False)
