"""Keep compiled templates between processes, in a folder only the user running the build writes.

Jinja's compiled form of a template is Python bytecode: loading it runs code. A site's own
cache folder may come from someone else (its files are JSON for that reason), so compiled
templates live in the user's cache (``$XDG_CACHE_HOME/bilingual``), in a folder per version of
the toolkit; the theme's templates are then compiled once for every site. Jinja checks each
template's source against the checksum stored with its code, so an edited template compiles
again. Interface strings written out as they are get translated when a template compiles:
the file names carry the language and a hash of its catalogs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path

import jinja2

from bilingual.i18n.localization import catalog_path
from bilingual.publish.cache import digest, file_digest

_TOOLKITS_KEPT = 4


def user_folder(toolkit: str) -> Path | None:
    """The folder for ``toolkit``'s compiled templates, made if needed; None if unsafe or
    unwritable (the build then compiles templates in every process, as without it)."""
    try:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bilingual"
        folder = root / "templates" / toolkit[:24]
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home folder, or a read-only one
        return None
    if not all(_private(path) for path in (root, folder.parent, folder)):
        return None
    _forget_old_toolkits(folder)
    return folder


def bytecode_cache(folder: Path, lang: str, locale_dirs: tuple[Path, ...]) -> jinja2.BytecodeCache:
    """Jinja's bytecode cache in ``folder`` for templates translated into ``lang``."""
    catalogs = digest(tuple(file_digest(catalog_path(d, lang)) for d in locale_dirs))
    return _QuietCache(str(folder), f"{lang}-{catalogs[:16]}-%s.cache")


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A cache that never fails a build: code it cannot write is compiled again next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _private(folder: Path) -> bool:
    """Whether ``folder`` is a real folder of this user that no one else may write to."""
    try:
        status = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _forget_old_toolkits(folder: Path) -> None:
    """Keep the folders of the few toolkits used last (checkouts side by side), drop older."""
    try:
        folder.touch()
        others = sorted(folder.parent.iterdir(), key=lambda path: path.stat().st_mtime_ns)
    except OSError:
        return
    for old in others[:-_TOOLKITS_KEPT]:
        shutil.rmtree(old, ignore_errors=True)
