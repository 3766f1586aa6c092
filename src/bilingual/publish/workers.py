"""Start worker processes the same way wherever a build forks them."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.context import BaseContext
from typing import NoReturn

PR_SET_PDEATHSIG = 1
WORKER_GC_THRESHOLDS = (700, 10, 10)
"""Python's own: the build raises them for the site it keeps to the end, a worker's garbage
is short-lived (with the build's, 5,000 posts peaked about 27 MB higher)."""


def default_jobs() -> int:
    """One worker per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can start as copies of the build (Linux), with what it loaded."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def worker_context() -> BaseContext:
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


@contextmanager
def shared_heap() -> Iterator[None]:
    """Around forking workers: the collector, walking the build's objects in a worker, would
    touch, and so copy, every page it shares with the build. Not collected first: a full
    collection of a site takes longer than forking (47 ms for 1,000 posts, 60 objects freed)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def start_worker() -> None:
    """Leave interrupting to the build, and die with it."""
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops its workers itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_aside(work: Callable[[], object], fork: bool) -> Callable[[], None]:
    """Start ``work`` in a forked copy of this process (if ``fork`` and this system can),
    else do it now; return the function that waits for it. Work that failed in the copy is
    done again here, so that its error, if any, is this process's."""
    if not (fork and can_fork()):
        work()
        return _done
    try:
        child = os.fork()
    except OSError:
        work()
        return _done
    if child == 0:
        _run_in_copy(work)

    def wait() -> None:
        _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            work()

    return wait


def _run_in_copy(work: Callable[[], object]) -> NoReturn:
    code = 1
    try:
        gc.disable()  # collecting would touch, and so copy, every page shared with the build
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        work()
        code = 0
    finally:
        os._exit(code)  # no exit handlers, no buffers flushed: they are the build's


def _done() -> None:
    return None
