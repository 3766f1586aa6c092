"""Turn folders into the stat of every file they hold, cheaply, without reading a byte.

A file modified within RACY_NS of the moment it was looked at may change again without its
stat changing (time stamps are coarse): such files are compared by content next time.

A folder's status change time (ctime) moves whenever an entry is added, removed or renamed in
it: with the ctime of every folder walked, the next build can tell that no file appeared or
went away by a stat of each folder, without listing any.
"""

from __future__ import annotations

import os
import stat
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


FolderStat = tuple[int, int]
"""A folder's status change time (ns) and inode."""

UNSURE: FolderStat = (-1, -1)
"""Recorded for a folder that could not be read whole: it never matches, so the next build
lists it again."""


def folder_stat(status: os.stat_result) -> FolderStat:
    return status.st_ctime_ns, status.st_ino


def scan_inputs(
    roots: Iterable[Path],
    skip: Iterable[Path] = (),
    folders: dict[str, FolderStat | None] | None = None,
) -> dict[str, FileStat]:
    """Every file under ``roots`` (files or folders, following links), by absolute path.

    ``folders``, if given, gets the stat of every folder walked, and None for a missing root.
    """
    skipped = {os.path.abspath(path) for path in skip}
    found: dict[str, FileStat] = {}
    walked = folders if folders is not None else {}
    seen: set[tuple[int, int]] = set()
    waiting = [root for root in map(os.path.abspath, roots) if _root(root, found, walked)]
    while waiting:
        folder = waiting.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            walked[folder] = UNSURE
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
                            walked[entry.path] = folder_stat(status)
                            waiting.append(entry.path)
                except OSError:
                    walked[folder] = UNSURE
                    continue
    return found


def _root(path: str, found: dict[str, FileStat], folders: dict[str, FolderStat | None]) -> bool:
    """Note a root: a file, a folder (True: to walk) or nothing at all."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        folders[path] = None
        return False
    except OSError:
        folders[path] = UNSURE
        return False
    if stat.S_ISDIR(status.st_mode):
        folders[path] = folder_stat(status)
        return True
    found[path] = FileStat.of(status)
    return False


def unchanged_folders(
    folders: dict[str, FolderStat | None], root: str = "", follow: bool = True
) -> bool:
    """Whether every folder (its path joined to ``root``) has the stat recorded, and every
    missing one is still missing; ``follow``: through symbolic links."""
    prefix = _prefix(root)
    try:
        for path, recorded in folders.items():
            try:
                # "" is the root itself: with a "/" after it, a link to a folder is followed.
                status = os.stat(prefix + path if path else root, follow_symlinks=follow)
            except FileNotFoundError:
                if recorded is None:
                    continue
                return False
            if recorded is None or (status.st_ctime_ns, status.st_ino) != tuple(recorded):
                return False
    except OSError:
        return False
    return True


def unchanged_files(files: dict[str, FileStat], root: str = "", follow: bool = True) -> bool:
    """Whether every file (its path joined to ``root``) has the stat recorded."""
    # The loop of a build with nothing to do: thousands of stats, compared field by field.
    prefix = _prefix(root)
    try:
        for path, (size, mtime_ns, inode) in files.items():
            status = os.stat(prefix + path, follow_symlinks=follow)
            if status.st_mtime_ns != mtime_ns or status.st_size != size or status.st_ino != inode:
                return False
    except OSError:
        return False
    return True


def stat_files(
    paths: Iterable[str], root: str = "", follow: bool = True
) -> dict[str, FileStat] | None:
    """The stat of every file (its path joined to ``root``), or None if one cannot be looked at."""
    prefix = _prefix(root)
    try:
        return {path: FileStat.of(os.stat(prefix + path, follow_symlinks=follow)) for path in paths}
    except OSError:
        return None


def _prefix(root: str) -> str:
    """What goes before a recorded path: ``root`` and a slash, or nothing for absolute paths."""
    return os.path.join(root, "") if root else ""


def output_folders(folder: Path) -> dict[str, FolderStat | None]:
    """The stat of every folder in the output folder ("" for itself), by relative path."""
    folders: dict[str, FolderStat | None] = {}
    waiting = [(os.path.abspath(folder), "")]
    while waiting:
        current, relative = waiting.pop()
        try:
            folders[relative] = folder_stat(os.stat(current, follow_symlinks=False))
            with os.scandir(current) as entries:
                waiting += [
                    (entry.path, f"{relative}/{entry.name}" if relative else entry.name)
                    for entry in entries
                    if entry.is_dir(follow_symlinks=False)
                ]
        except OSError:
            folders[relative] = UNSURE
    return folders


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
