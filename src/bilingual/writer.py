"""Turn rendered bytes into files in a staging folder that replaces the output folder at once."""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"


class StagedOutput:
    """Files written here appear in the real output folder only when the build succeeds."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, data: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@contextmanager
def staged(destination: Path) -> Iterator[StagedOutput]:
    """Stage into a sibling folder; swap it in on success, remove it on any failure."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(destination)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{destination.name}-",
                                    dir=destination.parent))
    try:
        yield StagedOutput(staging)
        _swap(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, destination: Path) -> None:
    staging.chmod(0o755)
    if not destination.exists():
        os.replace(staging, destination)
        return
    if _exchange(staging, destination):
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{destination.name}-",
                                    dir=destination.parent))
    os.replace(destination, retired / destination.name)
    os.replace(staging, destination)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2), so readers never see neither."""
    renameat2 = getattr(_libc(), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second),
                       RENAME_EXCHANGE)
    return result == 0


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _remove_leftovers(destination: Path) -> None:
    """Folders left by a build that was killed before it could clean up."""
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        for leftover in destination.parent.glob(f"{prefix}{destination.name}-*"):
            shutil.rmtree(leftover, ignore_errors=True)
