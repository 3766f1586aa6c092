"""Read input files safely: regular files inside the allowed folders, never more than a limit."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from bilingual.errors import BilingualError, ContentError, ErrorCollector

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""The largest content file, catalog or image read: far above any real post, far below RAM."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def real_roots(roots: Sequence[Path | str]) -> tuple[str, ...]:
    """The allowed folders with every link resolved, as the containment test needs them."""
    return tuple(os.path.realpath(root) for root in roots)


def is_within(path: str, roots: Sequence[str]) -> bool:
    """Whether the resolved ``path`` is one of ``roots`` or inside one."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def outside_problem(path: Path, roots: Sequence[str]) -> str | None:
    """Why ``path`` is out of bounds (a link leading out of ``roots``), or None."""
    real = os.path.realpath(path)
    if is_within(real, roots):
        return None
    if os.path.islink(path) or real != os.path.abspath(path):
        return f"is a link to {real}, outside the site"
    return "is outside the site"


def refuse_unpublishable(paths: Iterable[Path], roots: Sequence[str]) -> None:
    """Raise an error for every one of ``paths`` that is a link leading out of ``roots``, or
    whose name is not UTF-8 (no web address or page of the site could name it)."""
    errors = ErrorCollector()
    for path in paths:
        if not is_utf8_name(path.name):
            shown = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            errors.add(
                ContentError(
                    f"the file name '{shown}' is not UTF-8",
                    path.parent,
                    hint="rename the file; names written in another encoding cannot be published",
                )
            )
            continue
        problem = outside_problem(path, roots)
        if problem is not None:
            errors.add(ContentError(problem, path, hint=input_hint(problem, path)))
    errors.raise_if_any()


def is_utf8_name(name: str) -> bool:
    """Whether a name read from the file system was valid UTF-8 (else it holds surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode cannot be read as input (not a regular file), or None."""
    for test, name in _KINDS:
        if test(mode):
            return f"is {name}, not a regular file"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def size_problem(size: int, limit: int) -> str | None:
    if size <= limit:
        return None
    return f"is too large ({_megabytes(size)}; the limit is {_megabytes(limit)})"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def input_problem(
    path: Path, roots: Sequence[str] | None, limit: int = MAX_INPUT_BYTES
) -> str | None:
    """Why ``path`` may not be read (outside ``roots``, not a regular file, too large), or None.

    Only looks (stat): a FIFO is never opened, a device never touched. ``roots`` None: the
    caller has checked where the file is.
    """
    problem = outside_problem(path, roots) if roots is not None else None
    if problem is not None:
        return problem
    try:
        status = os.stat(path)
    except OSError as error:
        broken = error.errno == errno.ENOENT and os.path.islink(path)
        return "is a broken link" if broken else os_problem(error)
    problem = kind_problem(status.st_mode) or size_problem(status.st_size, limit)
    if problem is None and not _readable(path):
        return os_problem(PermissionError(errno.EACCES, "permission denied"))
    return problem


def read_input(
    path: Path,
    roots: Sequence[str] | None,
    limit: int = MAX_INPUT_BYTES,
    error_class: type[BilingualError] = ContentError,
) -> bytes:
    """The bytes of ``path`` if :func:`input_problem` finds nothing wrong with it.

    The file is opened without following a last link and without blocking, and checked
    again once open, so that it cannot be swapped for a pipe or a link in between.
    """
    problem = input_problem(path, roots, limit)
    if problem is not None:
        raise error_class(problem, path, hint=input_hint(problem, path))
    try:
        descriptor = _open_not_following(path)
    except OSError as error:
        problem = os_problem(error)
        raise error_class(problem, path, hint=input_hint(problem, path)) from None
    try:
        status = os.fstat(descriptor)
        problem = kind_problem(status.st_mode) or size_problem(status.st_size, limit)
        if problem is None:
            data = _read_at_most(descriptor, limit + 1, status.st_size)
            problem = size_problem(len(data), limit)
    finally:
        os.close(descriptor)
    if problem is not None:
        raise error_class(problem, path)
    return data


def _read_at_most(descriptor: int, most: int, expected: int) -> bytes:
    """Up to ``most`` bytes of an open file of ``expected`` bytes, which may have grown since.
    Read in pieces: asking for ``most`` at once would allocate that much for every small file."""
    pieces = []
    size = 0
    while size < most:
        piece = os.read(descriptor, min(most - size, max(expected - size + 1, 1 << 16)))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return b"".join(pieces)


def _open_not_following(path: Path) -> int:
    """Open ``path`` without blocking or following its last part if that is a link; a path
    that is itself a link, checked above, opens the file it leads to."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
    return os.open(os.path.realpath(path), flags)  # resolving every part costs a stat each


def _readable(path: Path) -> bool:
    effective = os.access in os.supports_effective_ids  # as a set-user-ID process reads
    return os.access(path, os.R_OK, effective_ids=effective)


def os_problem(error: OSError) -> str:
    """What an OSError met while reading an input means, as the rest of a sentence."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if error.errno == errno.ENOENT:
        return "does not exist"
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops or changed while being read"
    return f"cannot be read: {error.strerror or error}"


def input_hint(problem: str, path: Path) -> str | None:
    """What to do about ``problem``, where there is something to say."""
    if "permission denied" in problem:
        return f"let the build read it, e.g. chmod a+r '{path}'"
    if problem.startswith("is a link to"):
        return "copy it into the site instead of linking to it"
    return None
