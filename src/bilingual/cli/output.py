"""Turn what the commands report into text on the terminal: messages, progress, summaries."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from bilingual.publish.build import BuildResult

PHASES = ("pages", "cards", "PDFs")  # summed up; "files" (feeds, static files) only has a bar

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def say(text: str) -> None:
    """Print plain text (no Rich markup) on standard output, wrapped by the terminal only."""
    stdout.print(text, markup=False, highlight=False, soft_wrap=True)


class ProgressBar:
    """A bar per phase ("pages", "cards", "PDFs", "files"), shown while there is work in it.

    Use as a context manager; the instance is the ``progress`` callback of ``build()``.
    """

    def __init__(self, console: Console) -> None:
        from rich.progress import (  # only for a terminal
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(TextColumn("{task.description:>7}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                                 transient=True)
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.progress.stop()

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(phase, total=total)
        self.progress.update(self.tasks[phase], completed=done, total=total)


def summary(result: BuildResult) -> str:
    """E.g. "Built 2,000 pages (1,996 cached), 2,000 PDFs (1,998 cached) in 3.2 s"."""
    counts = result.counts()
    parts = []
    for name in PHASES:
        if name in counts:
            total, cached = counts[name]
            parts.append(f"{total:,} {name}{_cached(cached, total)}")
    return f"Built {', '.join(parts) or 'nothing'} in {result.seconds:.1f} s"


def _cached(cached: int, total: int) -> str:
    if not cached:
        return ""
    return " (all cached)" if cached == total else f" ({cached:,} cached)"
