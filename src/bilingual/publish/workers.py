"""Start worker processes the same way wherever a build forks them."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from contextlib import suppress
from multiprocessing.context import BaseContext

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


def start_worker() -> None:
    """Leave interrupting to the build, and die with it."""
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops its workers itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
