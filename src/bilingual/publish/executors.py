"""Render many outputs at once: in this process, in worker processes, or on a Dask cluster.

Work goes out in chunks (a few dozen HTML pages, one PDF) through a concurrent.futures
Executor. Local workers are forked from the build (on Linux), so they start with the loaded
site and warm Jinja environments, stylesheets and fonts, and write their files into the
staging folder themselves. Dask workers get the site once (scattered), load the templates from
the same site folder (which they must see at the same path), keep it between tasks and send
the bytes back. The files and the manifest never depend on which worker finished first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual.publish.cache import digest_bytes
from bilingual.publish.plan import Output, phase
from bilingual.publish.renderers import BuildContext, Renderers
from bilingual.publish.workers import can_fork, shared_heap, start_worker, worker_context
from bilingual.publish.writer import FileStat, link_file, write_file
from bilingual.site.model import Site

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(phase, done, total)``: phase is "pages", "cards", "PDFs" or "files"."""

# Rough cost of one output, in HTML pages (~2 ms each, written): enough to balance chunks.
COSTS = {"pdf": 150.0, "card": 1.5, "feed": 8.0, "asset": 0.05, "search": 0.05}
CHUNK_COST = 40.0
SMALL_WORK = 60.0  # below this (about 0.1 s), a pool costs more than it saves: every worker
# compiles the templates again (a Persian edit renders about 4 pages, two of them tag pages)


@dataclass(frozen=True)
class Rendered:
    """An output as it ended up in the staging folder."""

    digest: str
    stat: FileStat
    reused: bool  # same bytes as the file already published: linked, not written


def cost(output: Output, site: Site | None = None) -> float:
    """About how long ``output`` takes to render, in HTML pages."""
    if output.renderer in COSTS:
        return COSTS[output.renderer]
    if output.kind == "tag" and site is not None:
        return 1.0 + 0.1 * len(site.tagged(output.subject, output.lang or ""))
    if output.kind == "sitemap" and site is not None:
        # One URL per page, with its other languages: about 30 ms for 1,000 bilingual posts,
        # so that it goes out among the first tasks, not last while the other workers wait.
        return 1.0 + 0.015 * len(site.posts) * len(site.config.site.languages)
    return 1.0


def chunks(
    outputs: Sequence[Output],
    indices: Sequence[int],
    jobs: int,
    site: Site | None = None,
    bodies_from: Callable[[Output], list[str]] | None = None,
) -> list[list[int]]:
    """Group ``indices`` into tasks of similar cost, the costliest first; a task holds
    outputs of one phase (a plan alternates a post's page and card: kept in turn, every task
    would hold one output, and sending tasks would cost more than rendering them), but for
    the outputs that show the bodies of others (``bodies_from``), which go with those."""
    costs = {index: cost(outputs[index], site) for index in indices}
    total = sum(costs.values())
    target = min(CHUNK_COST, max(4.0, total / max(1, jobs * 8)))
    groups = _with_their_bodies(outputs, indices, bodies_from) if bodies_from else []
    taken = {index for group in groups for index in group}
    by_phase: dict[str, list[int]] = {}
    for index in indices:
        if index not in taken:
            by_phase.setdefault(phase(outputs[index]), []).append(index)
    current: list[int] = []
    weight = 0.0
    for index in (index for group in by_phase.values() for index in group):
        one = costs[index]
        new_phase = bool(current) and phase(outputs[current[0]]) != phase(outputs[index])
        if current and (weight + one > target or new_phase):
            groups.append(current)
            current, weight = [], 0.0
        current.append(index)
        weight += one
    if current:
        groups.append(current)
    groups.sort(key=lambda group: -sum(costs[index] for index in group))
    return groups


def _with_their_bodies(
    outputs: Sequence[Output], indices: Sequence[int], bodies_from: Callable[[Output], list[str]]
) -> list[list[int]]:
    """Per language, one task of the outputs showing bodies (feeds) after the outputs that
    render those bodies first (post pages): a language's feeds list overlapping posts."""
    by_path = {outputs[index].path: index for index in indices}
    groups: dict[str | None, list[int]] = {}
    for index in indices:
        sources = bodies_from(outputs[index])
        if not sources:
            continue
        group = groups.setdefault(outputs[index].lang, [])
        group.extend(found for path in sources if (found := by_path.pop(path, None)) is not None)
        group.append(index)
    return list(groups.values())


class ProgressTracker:
    """Count rendered outputs per phase for the progress callback."""

    def __init__(self, progress: ProgressCallback | None, todo: list[Output]) -> None:
        self.progress = progress
        self.totals = Counter(phase(output) for output in todo)
        self.counts: Counter[str] = Counter()
        if progress is not None:
            for name, total in self.totals.items():
                progress(name, 0, total)

    def done(self, outputs: list[Output]) -> None:
        if self.progress is None:
            return
        for name, count in Counter(phase(output) for output in outputs).items():
            self.counts[name] += count
            self.progress(name, self.counts[name], self.totals[name])


# ----- the work of one process


@dataclass
class Work:
    """What a worker needs: the plan, where to write, and the bytes already published."""

    context: BuildContext
    staging: Path | None
    destination: Path
    previous: dict[str, str]  # path -> digest of the published file, if still intact
    renderers: Renderers = field(init=False)

    def __post_init__(self) -> None:
        self.renderers = Renderers(self.context)

    def tasks(self, indices: Sequence[int], jobs: int) -> list[list[int]]:
        """``indices`` grouped into tasks for ``jobs`` workers."""
        context = self.context
        return chunks(context.outputs, indices, jobs, context.site, self._bodies_from)

    def _bodies_from(self, output: Output) -> list[str]:
        return self.renderers[output.renderer].bodies_from(output)

    def render(self, index: int) -> tuple[str, bytes]:
        data = self.renderers.render(self.context.outputs[index])
        return digest_bytes(data), data

    def render_into_staging(self, index: int) -> Rendered:
        assert self.staging is not None
        output = self.context.outputs[index]
        data_digest, data = self.render(index)
        return place(
            self.staging,
            self.destination,
            output.path,
            data_digest,
            data,
            self.previous.get(output.path),
        )


def place(
    staging: Path,
    destination: Path,
    path: str,
    data_digest: str,
    data: bytes | None,
    previous: str | None,
) -> Rendered:
    """Link the published file if it has the same bytes, else write the new ones."""
    if previous == data_digest:
        try:
            return Rendered(data_digest, link_file(destination / path, staging / path), True)
        except OSError:
            pass
    if data is None:
        raise RuntimeError(f"no bytes for {path}")
    return Rendered(data_digest, write_file(staging / path, data), False)


def warm(work: Work, indices: Sequence[int]) -> None:
    """Load what rendering needs before forking, so that every worker starts warm: the
    renderers' modules, the templates of pages and, for PDFs, WeasyPrint's fonts and
    stylesheets."""
    from bilingual.publish.templating import compile_pages

    outputs = work.context.outputs
    needed: dict[str, Output] = {}
    for index in indices:
        needed.setdefault(outputs[index].renderer, outputs[index])
    work.renderers.prepare(needed)
    if "card" in needed:
        import bilingual.publish.cards  # noqa: F401  (Pillow: imported once, before forking)
    templates = work.context.templates
    site = work.context.site
    languages = site.config.site.languages
    pages = {
        outputs[index].lang for index in indices if outputs[index].renderer in ("html", "feed")
    }
    for lang in languages:
        if lang.code in pages:
            with suppress(Exception):  # the render reports these errors in context
                compile_pages(templates, lang)
    if "pdf" in needed:
        from bilingual.publish.pdf.document import print_stylesheets

        codes = {outputs[index].lang for index in indices if outputs[index].renderer == "pdf"}
        for lang in languages:
            if lang.code in codes:
                try:
                    print_stylesheets(templates, lang, site.config.pdf)
                    templates.environment(lang, mode="print").get_template("print/post.html")
                except Exception:  # the render reports these errors in context
                    pass


# ----- executors


class Runner:
    """Renders indices of a plan: ``run`` sends the work out at once and returns an iterator
    of (index, Rendered) lists, one per chunk, as chunks complete."""

    jobs: int

    def run(self, work: Work, groups: list[list[int]]) -> Iterator[list[tuple[int, Rendered]]]:
        raise NotImplementedError

    def close(self, cancel: bool = False) -> None:
        pass


class InlineRunner(Runner):
    """Everything in this process, in order, as the results are asked for."""

    jobs = 1

    def run(self, work: Work, groups: list[list[int]]) -> Iterator[list[tuple[int, Rendered]]]:
        return ([(index, work.render_into_staging(index)) for index in group] for group in groups)


_WORK: Work | None = None


def _start_worker(work: Work | None) -> None:
    global _WORK
    if work is not None:
        _WORK = work
    start_worker()


def _render_chunk(indices: list[int]) -> list[tuple[int, Rendered]]:
    assert _WORK is not None
    return [(index, _WORK.render_into_staging(index)) for index in indices]


def drain_futures(
    futures: list[Future[Any]], handle: Callable[[Any], list[tuple[int, Rendered]]]
) -> Iterator[list[tuple[int, Rendered]]]:
    # as_completed waits on every future once; wait(FIRST_COMPLETED) in a loop would install
    # a waiter on every pending future for each one done: quadratic, seconds for 1,000 tasks.
    for future in as_completed(futures):
        yield handle(future.result())


class ProcessRunner(Runner):
    """Worker processes, forked where the platform allows it (else spawned with the plan)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.executor: ProcessPoolExecutor | None = None

    def run(self, work: Work, groups: list[list[int]]) -> Iterator[list[tuple[int, Rendered]]]:
        global _WORK
        fork = can_fork()
        if fork:
            _WORK = work
        with shared_heap():
            self.executor = ProcessPoolExecutor(
                max_workers=min(self.jobs, len(groups)),
                mp_context=worker_context(),
                initializer=_start_worker,
                initargs=(None if fork else work,),
            )
            futures = [self.executor.submit(_render_chunk, group) for group in groups]
        return drain_futures(futures, lambda result: result)

    def close(self, cancel: bool = False) -> None:
        global _WORK
        _WORK = None
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if cancel:
            # Stop at once: a worker may be in the middle of a long PDF.
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            executor.shutdown(wait=True)
