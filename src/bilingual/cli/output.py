"""Turn what the commands report into text on the terminal: messages, progress, summaries."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def say(text: str) -> None:
    """Print plain text (no Rich markup) on standard output, wrapped by the terminal only."""
    stdout.print(text, markup=False, highlight=False, soft_wrap=True)


class ProgressBar:
    """A bar per phase ("pages", "cards", "PDFs", "files"), shown while there is work in it.

    Use as a context manager; the instance is the ``progress`` callback of ``build()``. The
    bars appear with the first report: a build with nothing to do shows (and loads) none.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, phase: str, done: int, total: int) -> None:
        progress = self.progress or self._start()
        if phase not in self.tasks:
            self.tasks[phase] = progress.add_task(phase, total=total)
        progress.update(self.tasks[phase], completed=done, total=total)

    def _start(self) -> Progress:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description:>7}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.progress.start()
        return self.progress
