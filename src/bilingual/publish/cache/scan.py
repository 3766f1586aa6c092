"""Turn folders into the stat of every file they hold, cheaply, without reading a byte.

A file modified within RACY_NS of the moment it was looked at may change again without its
stat changing (time stamps are coarse): such files are compared by content next time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from bilingual.publish.cache.store import CACHE_DIR
from bilingual.publish.writer import FileStat

RACY_NS = 2_000_000_000
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".hg", ".svn", CACHE_DIR})


def now_ns() -> int:
    """The moment a scan starts, to tell racy files apart later."""
    return time.time_ns()


def racy(stat: FileStat, looked_at_ns: int) -> bool:
    """Whether the file may have changed again within its time stamp's tick."""
    return stat.mtime_ns > looked_at_ns - RACY_NS


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
            _add_file(found, folder)
            continue
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if not entry.is_dir():
                        found[entry.path] = FileStat.of(entry.stat())
                    elif entry.name not in SKIPPED_DIRS and entry.path not in skipped:
                        status = entry.stat()
                        if (status.st_dev, status.st_ino) not in seen:
                            seen.add((status.st_dev, status.st_ino))
                            waiting.append(entry.path)
                except OSError:
                    continue
    return found


def _add_file(found: dict[str, FileStat], path: str) -> None:
    with contextlib.suppress(OSError):
        found[path] = FileStat.of(os.stat(path))


def scan_output(folder: Path) -> dict[str, FileStat]:
    """Every file in the output folder, by path relative to it ('/'-separated)."""
    found: dict[str, FileStat] = {}
    waiting = [(os.path.abspath(folder), "")]
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
                    continue
                try:
                    found[prefix + entry.name] = FileStat.of(entry.stat(follow_symlinks=False))
                except OSError:
                    continue
    return found
