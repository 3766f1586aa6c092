"""Turn rendered bytes into files in a staging folder that replaces the output folder at once.

A build with nothing to do needs only ``FileStat`` from here: what staging uses besides
(shutil, tempfile, ctypes) is imported when a folder is staged.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bilingual.errors import OutputError

if TYPE_CHECKING:
    import ctypes

WRITE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}
)
AT_FDCWD = -100
RENAME_EXCHANGE = 2
STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"


class FileStat(NamedTuple):
    """What tells a file apart from an edited or replaced one, cheaply."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, result: os.stat_result) -> FileStat:
        return cls(result.st_size, result.st_mtime_ns, result.st_ino)


class StagedOutput:
    """Files written here appear in the real output folder only when the build succeeds.

    A staging folder may start with the files of an older build (``existing``, by relative
    path): ``keep`` and ``write`` replace them, ``prune`` removes those not wanted.
    """

    def __init__(self, root: Path, existing: dict[str, FileStat] | None = None) -> None:
        self.root = root
        self.existing = existing or {}

    def write(self, relative: str, data: bytes) -> FileStat:
        return write_file(self.root / relative, data)

    def link(self, relative: str, source: Path) -> FileStat:
        """Reuse ``source`` (an unchanged file of the current output) without copying it."""
        return link_file(source, self.root / relative)

    def keep(self, relative: str, source: Path, stat: FileStat) -> FileStat:
        """Like ``link``, with nothing to do if the staged file already is ``source``."""
        if self.existing.get(relative) == stat:
            return stat
        return self.link(relative, source)

    def prune(self, wanted: set[str]) -> None:
        """Remove the files of the older build that this one does not have."""
        folders = set()
        for relative in self.existing:
            if relative not in wanted:
                (self.root / relative).unlink(missing_ok=True)
                folders.add(os.path.dirname(relative))
        for folder in sorted(folders, key=len, reverse=True):
            self._remove_empty(folder)

    def _remove_empty(self, folder: str) -> None:
        """Remove ``folder`` and then each of its parents, up to the first that is not empty."""
        while folder:
            try:
                os.rmdir(self.root / folder)
            except OSError:
                return
            folder = os.path.dirname(folder)


class Mirror:
    """Hard links to the files of a first build's staging folder, in the folder where a retired
    output waits for the next build (see ``staged``), made while workers render: the build
    after a first one then replaces only what changed instead of linking every file again.
    Only ever a help: a file missing or left over there is linked or removed by that build."""

    def __init__(self, staging: Path, spare: Path | None) -> None:
        self.staging = staging
        self.spare = spare

    @classmethod
    def of_first_build(
        cls, staging: StagedOutput, destination: Path, forked: bool, spare: Path | None
    ) -> Mirror:
        """A mirror into ``spare`` if workers render a first build (else one that links
        nothing): nothing staged from an older build, no output the swap would retire there."""
        first = forked and not (staging.existing or os.path.lexists(destination))
        if spare is not None and first and not spare.exists():
            return cls(staging.root, spare)
        return cls(staging.root, None)

    def add(self, relatives: Iterable[str]) -> None:
        for relative in relatives:
            if self.spare is None:
                return
            target = self.spare / relative
            try:
                try:
                    os.link(self.staging / relative, target)
                except FileNotFoundError:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(self.staging / relative, target)
            except OSError:  # no hard links here, or a full disk: the next build links them
                self.spare = None


def write_file(target: Path, data: bytes) -> FileStat:
    """Write a new file: a path that is a hard link is unlinked first, never written through."""
    descriptor = _create(target)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        return FileStat.of(os.fstat(descriptor))
    finally:
        os.close(descriptor)


def _create(target: Path) -> int:
    """A descriptor of a new file at ``target``; whatever was there is unlinked first. Tried
    at once: most files of a build are new, in a folder that already exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        return os.open(target, flags, 0o666)
    except FileExistsError:
        target.unlink()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    return os.open(target, flags, 0o666)


def link_file(source: Path, target: Path) -> FileStat:
    """Hard-link ``source`` at ``target`` (a copy where the file system has no hard links)."""
    try:
        _link(source, target)
    except FileNotFoundError:  # tried at once: most folders exist already
        target.parent.mkdir(parents=True, exist_ok=True)
        _link(source, target)
    return FileStat.of(os.stat(target))


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        target.unlink()
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        import shutil

        shutil.copy2(source, target)


@contextmanager
def write_errors_reported(destination: Path) -> Iterator[None]:
    """Turn a failure to write the output (disk full, read-only folder) into a clear error."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRORS:
            raise
        raise OutputError(
            f"cannot write the output: {error.strerror}",
            destination,
            hint="the previous output was left as it was",
        ) from error


@contextmanager
def staged(
    destination: Path,
    spare: Path | None = None,
    existing: Callable[[Path], dict[str, FileStat]] | None = None,
) -> Iterator[StagedOutput]:
    """Stage into a sibling folder; swap it in on success, remove it on any failure.

    With ``spare`` (a folder on the same file system), the folder retired by the swap is kept
    there instead of being removed, and the next build stages into it: only the files that
    differ are replaced, and no folder is created or removed (``existing`` lists what it holds).
    """
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging_folder(destination, spare)
    try:
        found = existing(staging) if existing is not None and spare is not None else {}
        yield StagedOutput(staging, found)
        retired = _swap(staging, destination)
    except BaseException:
        _retire(staging, spare, create=False)
        raise
    if retired is not None:
        _retire(retired, spare)


def _staging_folder(destination: Path, spare: Path | None) -> Path:
    import shutil
    import tempfile

    leftovers = _leftovers(destination)
    if spare is not None and not spare.is_dir() and leftovers:
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.replace(leftovers.pop(), spare)  # a build killed midway: its folder is as good
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{destination.name}-", dir=destination.parent)
    )
    if spare is not None and spare.is_dir():
        try:
            os.replace(spare, staging)  # replaces the empty folder just made
        except OSError:
            shutil.rmtree(spare, ignore_errors=True)
    return staging


def _retire(folder: Path, spare: Path | None, create: bool = True) -> None:
    """Keep ``folder`` as the next build's staging folder, or remove it (a failed build creates
    no folder for it: it leaves nothing behind that was not there)."""
    import shutil

    if spare is not None and (create or spare.parent.is_dir()):
        try:
            spare.parent.mkdir(parents=True, exist_ok=True)
            os.replace(folder, spare)
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _swap(staging: Path, destination: Path) -> Path | None:
    """Put ``staging`` in place of ``destination``; return the folder it replaced, if any."""
    staging.chmod(0o755)
    if not destination.exists():
        os.replace(staging, destination)
        return None
    if _exchange(staging, destination):
        return staging
    retired = destination.parent / (
        f"{RETIRED_PREFIX}{destination.name}-{os.getpid()}-{time.time_ns()}"
    )
    os.replace(destination, retired)
    os.replace(staging, destination)
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2), so readers never see neither."""
    renameat2 = getattr(_libc(), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    result: int = renameat2(
        AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE
    )
    return result == 0


@functools.cache
def _libc() -> ctypes.CDLL | None:
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _leftovers(destination: Path) -> list[Path]:
    """Folders left by a build that was killed before it could clean up."""
    found: list[Path] = []
    for prefix in (STAGING_PREFIX, RETIRED_PREFIX):
        found += sorted(destination.parent.glob(f"{prefix}{destination.name}-*"))
    return found
