"""Replace a file in one step: readers see the old content or the new, never half of it.

The new content goes into a temporary file in the same folder (so that the final rename stays
on one file system), is flushed to the disk, gets the mode the file should have, and is renamed
over the file. An existing file keeps its mode; a new one gets ``0o666`` less the umask (0644
with the usual 022), or a narrower mode its caller asks for. If anything fails, the temporary
file is removed and the old file is left as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMPORARY_SUFFIX = ".tmp"
"""Every temporary file is named ``.<name>.<random>.tmp``, so leftovers are easy to find."""

_LONGEST_KEPT_NAME = 200  # bytes of the file's own name kept in the temporary's (NAME_MAX is 255)

Content = bytes | Callable[[BinaryIO], object]
"""The bytes to write, or a function writing them into the open file."""


def write_atomically(
    path: Path, content: Content, *, new_mode: int = 0o666, sync: bool = True
) -> None:
    """Replace ``path`` with ``content`` in one step, making its folder if needed.

    ``new_mode`` is the mode of a file that does not exist yet, before the umask: 0o600 keeps
    a new list of addresses private. ``sync=False`` skips the flush to disk, for files that may
    be lost in a power cut without harm (a cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = stage(path, content, new_mode=new_mode, sync=sync)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def stage(path: Path, content: Content, *, new_mode: int = 0o666, sync: bool = True) -> Path:
    """Write ``content`` into a new temporary file beside ``path``, with the mode ``path``
    should have, and return it: renaming it over ``path`` (``os.replace``) is the caller's
    last step. Used directly to write several files all together or not at all."""
    existing = _mode_of(path)
    temporary, handle = _create_beside(path, new_mode if existing is None else 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(content, bytes):
                stream.write(content)
            else:
                content(stream)
            stream.flush()
            if existing is not None:
                os.fchmod(stream.fileno(), existing)
            if sync:
                os.fsync(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _mode_of(path: Path) -> int | None:
    """The permission bits of the file at ``path``, or None if there is none."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


def _create_beside(path: Path, mode: int) -> tuple[Path, int]:
    """Create a new, empty temporary file next to ``path``; the kernel applies the umask."""
    name = path.name if len(os.fsencode(path.name)) <= _LONGEST_KEPT_NAME else "file"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    while True:
        temporary = path.with_name(f".{name}.{os.urandom(4).hex()}{TEMPORARY_SUFFIX}")
        try:
            return temporary, os.open(temporary, flags, mode)
        except FileExistsError:
            continue
