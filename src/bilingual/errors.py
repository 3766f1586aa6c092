"""Turn every problem a user can fix into an error that names its file and line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class BilingualError(Exception):
    """A problem the user can fix, located in a file (and line) where known."""

    kind = "error"

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(BilingualError):
    """`bilingual.toml` is missing, malformed or holds a wrong value."""


class ContentError(BilingualError):
    """A content file (post, page, tags) cannot be read or is inconsistent."""


class CatalogError(BilingualError):
    """A gettext catalog cannot be read, written or compiled."""


class TemplateError(BilingualError):
    """A template has a syntax error or fails while rendering."""


class RenderError(BilingualError):
    """An output (HTML, feed, PDF) could not be produced."""


class MailError(BilingualError):
    """A subscriber list or newsletter ledger cannot be used, or the mail server refuses us."""


class OutputError(BilingualError):
    """The output folder or the build cache cannot be used or written."""


class ErrorList(BilingualError):
    """Several errors found in one run, reported together."""

    def __init__(self, errors: Iterable[BilingualError]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        super().__init__(f"{count} error{'s' if count != 1 else ''} found")

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class ErrorCollector:
    """Gather errors while reading, then raise them all at once."""

    def __init__(self) -> None:
        self.errors: list[BilingualError] = []

    def add(self, error: BilingualError) -> None:
        if isinstance(error, ErrorList):
            self.errors.extend(error.errors)
        else:
            self.errors.append(error)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorList(self.errors)
