"""Write an import's files all together or not at all: checked first, staged, then renamed."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bilingual.atomic import stage
from bilingual.errors import BilingualError, ErrorList
from bilingual.importers.common import ExportError


@dataclass(frozen=True)
class PlannedFile:
    """A file to write: its text, or the file to copy into it."""

    path: Path
    text: str | None = None
    source: Path | None = None


def check_writable(files: list[PlannedFile]) -> list[BilingualError]:
    """Why each file could not be written, found before anything is: names too long, folders in
    the way, folders that cannot be written."""
    problems: list[BilingualError] = []
    for planned in files:
        problem = _problem(planned.path)
        if problem:
            problems.append(ExportError(problem, planned.path))
    return problems


def write_all(files: list[PlannedFile]) -> None:
    """Write every file, keeping an existing file's mode; if one fails, none is written."""
    problems = check_writable(files)
    if problems:
        raise ErrorList(problems) if len(problems) > 1 else problems[0]
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for planned in files:
            created += _make_folders(planned.path.parent)
            staged.append((_stage(planned), planned.path))
        while staged:
            temporary, path = staged[0]
            os.replace(temporary, path)
            staged.pop(0)
    except OSError as error:
        _undo(staged, created)
        where = Path(error.filename) if error.filename else None
        raise ExportError(f"cannot write: {error.strerror}; nothing was imported", where) from None
    except BaseException:
        _undo(staged, created)
        raise


def _stage(planned: PlannedFile) -> Path:
    source = planned.source
    if source is None:
        return stage(planned.path, (planned.text or "").encode("utf-8"))

    def copy(stream: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, stream)

    return stage(planned.path, copy)


def _make_folders(folder: Path) -> list[Path]:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _undo(staged: list[tuple[Path, Path]], created: list[Path]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)
    for folder in reversed(created):
        with contextlib.suppress(OSError):  # a folder something else put a file into stays
            folder.rmdir()


def _problem(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == path:
        return "a folder is in the way of this file" if path.is_dir() else _unwritable(path.parent)
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    name_max = _limit(existing, "PC_NAME_MAX", 255)
    for part in path.relative_to(existing).parts:
        if len(os.fsencode(part)) > name_max:
            return (
                f"the name {part[:40]!r}… is {len(os.fsencode(part))} bytes long; this file "
                f"system allows {name_max}"
            )
    if len(os.fsencode(path.absolute())) >= _limit(existing, "PC_PATH_MAX", 4096):
        return "the path is too long for this file system"
    return _unwritable(existing)


def _unwritable(folder: Path) -> str | None:
    return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot write in {folder}"


def _limit(path: Path, name: str, default: int) -> int:
    try:
        return os.pathconf(path, name)
    except (OSError, ValueError):
        return default
