"""Let one build at a time write a site's output folder and build cache."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from bilingual.errors import OutputError

LOCK_FILE = "build.lock"
POLL_SECONDS = 0.1

Waiting = Callable[[int | None], None]
"""Called once, with the other build's process id where known, before waiting for it."""


class BuildBusy(OutputError):
    """Another build of the same site is running and the caller chose not to wait."""


class BuildLock:
    """An exclusive ``flock`` on ``CACHE/build.lock``, held for the whole build.

    The kernel releases the lock when its process ends, however it ends: a lock left by a
    killed build is simply free, and the next build takes it without any guessing.
    """

    def __init__(
        self, cache_folder: Path, *, timeout: float | None = None, waiting: Waiting | None = None
    ) -> None:
        self.path = cache_folder / LOCK_FILE
        self.timeout = timeout
        self.waiting = waiting
        self._descriptor: int | None = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def acquire(self) -> None:
        descriptor = self._open()
        try:
            if not _try_lock(descriptor):
                self._wait(descriptor)
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            # The file stays: removing it would let a waiting build lock a file nobody else sees.
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OutputError(
                f"cannot write the build cache: {error.strerror}",
                self.path.parent,
                hint="the site folder must be writable to build it",
            ) from error

    def _wait(self, descriptor: int) -> None:
        holder = _holder(descriptor)
        if self.timeout is not None and self.timeout <= 0:
            raise BuildBusy(_busy_message(holder), self.path.parent.parent)
        if self.waiting is not None:
            self.waiting(holder)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while not _try_lock(descriptor):
            if deadline is not None and time.monotonic() > deadline:
                raise BuildBusy(_busy_message(holder), self.path.parent.parent)
            time.sleep(POLL_SECONDS)


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _holder(descriptor: int) -> int | None:
    try:
        return int(os.pread(descriptor, 32, 0).decode("ascii").strip())
    except (OSError, ValueError):
        return None


def _busy_message(holder: int | None) -> str:
    process = f" (process {holder})" if holder else ""
    return f"another build of this site is running{process}"
