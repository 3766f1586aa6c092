"""Turn values, bytes and files into short, stable hashes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import sysconfig
from pathlib import Path
from typing import Any

from bilingual.publish.cache.store import FORMAT


def digest(*parts: Any) -> str:
    """A short, stable hash of ``repr`` of the parts (str, int, tuples, None...)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def digest_bytes(data: bytes) -> str:
    """A short hash of ``data``."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str | Path) -> str | None:
    """The hash of a regular file's bytes; None for anything else (a FIFO would block)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return digest_bytes(handle.read())
    except OSError:
        return None
    finally:
        os.close(descriptor)


def environment_key() -> str:
    """Python and every installed distribution, by name and version: cheap enough for each build."""
    names: list[str] = []
    for folder in dict.fromkeys((sysconfig.get_path("purelib"), sysconfig.get_path("platlib"))):
        with contextlib.suppress(OSError):
            names += sorted(name for name in os.listdir(folder) if name.endswith(".dist-info"))
    version = getattr(sys.modules.get("bilingual"), "__version__", None)
    return digest(FORMAT, version, sys.version, sys.platform, names)
