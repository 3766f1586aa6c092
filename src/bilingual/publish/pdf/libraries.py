"""Import WeasyPrint without running a compiler for each name it tries for its libraries."""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def _loader_names_only() -> Iterator[None]:
    """Within this block, ``ctypes.util.find_library`` finds nothing, at once."""
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


def import_module(name: str) -> None:
    """Import ``name``; on Linux, first with its native libraries opened by the names the
    dynamic loader knows.

    WeasyPrint tries each library under several names, Windows' and macOS' before
    Linux's (``libpango-1.0.so.0``), and cffi hands each name the loader cannot open
    to ``ctypes.util.find_library``, which on Linux runs ldconfig, gcc and ld: about
    50 processes and a quarter of a second before a build can fork its workers. The
    Linux names open directly. Should a library be found only by that search (in a
    folder gcc knows and the loader does not), the import runs again the usual way,
    and what the failed attempt printed is dropped.
    """
    if name in sys.modules or sys.platform != "linux":
        importlib.import_module(name)
        return
    with (
        contextlib.suppress(OSError),
        _loader_names_only(),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        importlib.import_module(name)
        return
    importlib.import_module(name)
