"""Turn a site folder into its published form: plan the outputs, render what changed, swap.

``build`` runs these steps, each a function below:

1. ``_survey``: look at every input file (stat only) and at the output folder. If nothing
   changed since the last build into that folder, stop: nothing is read, rendered or written.
2. ``make_plan`` (build_plan.py): load the site (unchanged content files are not parsed
   again) and plan every output; each renderer declares what its outputs are made from
   (their fingerprints).
3. ``_sort``: an output whose fingerprint is unchanged, and whose file is still the one
   written last time, is reused; the others are to render.
4. ``_publish``: render them (executors.py: in this process, in worker processes or on Dask)
   into a staging folder that also gets hard links to the reused files, then swap it in at
   once. A rendered output whose bytes did not change is linked too, so its file keeps its
   inode and time stamp.
5. ``_remember``: record what was read and written, for the next build.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.publish.build_plan import Plan, make_plan
from bilingual.publish.cache import (
    BuildCache,
    BuildState,
    FolderStat,
    OutputRecord,
    digest,
    digest_bytes,
    environment_key,
    now_ns,
    scan_inputs,
    scan_output,
)
from bilingual.publish.lock import BuildLock, Waiting
from bilingual.publish.ownership import MANIFEST, check_overlap, check_ownership
from bilingual.publish.plan import Output
from bilingual.publish.result import BuildResult
from bilingual.publish.writer import FileStat, Mirror, StagedOutput, staged, write_errors_reported
from bilingual.site.layout import SiteLayout
from bilingual.site.resources import PACKAGE_DIR, locales_dir, theme_dir

if TYPE_CHECKING:
    from bilingual.publish.executors import Rendered, Runner, Work

# A build with nothing to do imports only the above (and the standard library): the rest is
# imported when there is something to read or render.

GC_THRESHOLDS = (50_000, 20, 100)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(phase, done, total)``: phase is "pages", "cards", "PDFs" or "files"."""

__all__ = ["BuildResult", "Progress", "build", "input_roots"]


@dataclass(frozen=True)
class _Options:
    """What the caller asked for."""

    root: Path
    destination: Path
    pdf: bool
    jobs: int | None
    executor: str | None
    clean: bool
    progress: Progress | None
    started: float


def input_roots(site_root: Path) -> list[Path]:
    """Everything a build may read: the site's files, the theme, the catalogs, the toolkit."""
    return [*SiteLayout(site_root).sources, theme_dir(), locales_dir(), PACKAGE_DIR]


def build(
    site_root: Path | str,
    out_dir: Path | str | None = None,
    pdf: bool = True,
    *,
    jobs: int | None = None,
    executor: str | None = None,
    clean: bool = False,
    progress: Progress | None = None,
    wait: float | None = None,
    waiting: Waiting | None = None,
) -> BuildResult:
    """Build the site at ``site_root`` into ``out_dir`` (default ``site_root/_site``).

    Only what changed since the last build is rendered (``clean`` renders everything).
    ``jobs`` worker processes render (default: one per CPU, none for a few pages; 1: in this
    process); ``executor`` "dask://HOST:PORT" renders on a Dask cluster instead.

    One build of a site runs at a time: another one waits for it (at most ``wait`` seconds,
    0 to refuse at once) after calling ``waiting``. The output folder must be empty, new, or
    made by an earlier build: any other folder is refused with an ``OutputError``.
    """
    root = Path(site_root)
    layout = SiteLayout(root)
    if not layout.config.is_file():
        from bilingual.site.config import load_config

        load_config(root)  # says what is wrong before the build creates its cache folder
    destination = Path(out_dir) if out_dir is not None else layout.output
    options = _Options(root, destination, pdf, jobs, executor, clean, progress, time.perf_counter())
    cache = BuildCache(root, destination)
    check_overlap(destination, root, [*input_roots(root), cache.folder])
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)  # a build makes millions of objects that live to its end
    try:
        with BuildLock(cache.folder, timeout=wait, waiting=waiting):
            cache.remove_temporary_files()
            return _build(options, cache)
    finally:
        gc.set_threshold(*thresholds)


def _build(options: _Options, cache: BuildCache) -> BuildResult:
    recorded = cache.load_state()
    if (
        not options.clean
        and recorded.key == _key(options)
        and recorded.unchanged(cache.destination)
    ):  # by a stat of each file and folder it recorded: no listing
        return _last_result(options, recorded)
    survey = _survey(options, cache, recorded)
    if survey.nothing_changed():
        return _nothing_to_do(options, cache, survey)
    with make_plan(
        options.root,
        cache,
        survey.state,
        survey.key,
        survey.inputs,
        survey.looked_at,
        pdf=options.pdf,
        clean=options.clean,
        jobs=options.jobs,
    ) as plan:
        sorted_outputs = _sort(options, survey, plan)
        old = survey.old_manifest
        if old is not None and sorted_outputs.nothing_to_write(old, survey, plan):
            _remember(cache, survey, plan, {**sorted_outputs.reused, MANIFEST: old})
            return _result(options, plan)
        rendered, records = _publish(options, cache, survey, plan, sorted_outputs)
        _remember(cache, survey, plan, records, rendered)
        return _result(options, plan, rendered)


# ----- 1. what changed


@dataclass
class _Survey:
    """The inputs and the output folder as they are, and the last build into that folder."""

    looked_at: int
    inputs: dict[str, FileStat]
    folders: dict[str, FolderStat | None]  # of the inputs
    key: str  # what every output depends on besides its inputs: the environment, the options
    state: BuildState  # the last build's, or an empty one for a clean build
    found: dict[str, FileStat]  # the files of the output folder

    def nothing_changed(self) -> bool:
        return (
            self.state.key == self.key
            and self.state.inputs_unchanged(self.inputs)
            and self.state.output_unchanged(self.found)
        )

    @property
    def old_manifest(self) -> OutputRecord | None:
        return self.state.output_intact(MANIFEST, self.found)


def _key(options: _Options) -> str:
    return digest(environment_key(), options.pdf, os.environ.get("SOURCE_DATE_EPOCH"))


def _survey(options: _Options, cache: BuildCache, recorded: BuildState) -> _Survey:
    looked_at = now_ns()
    folders: dict[str, FolderStat | None] = {}
    inputs = scan_inputs(
        input_roots(options.root), skip=[options.destination, cache.folder], folders=folders
    )
    # An edit changes inputs, seldom the output's folders: a stat of each recorded file then.
    found = recorded.output_files(options.destination) or scan_output(options.destination)
    check_ownership(options.destination, found, recorded.intact_outputs(found))
    state = BuildState() if options.clean else recorded
    return _Survey(looked_at, inputs, folders, _key(options), state, found)


def _nothing_to_do(options: _Options, cache: BuildCache, survey: _Survey) -> BuildResult:
    state = survey.state
    if state.racy or not state.folders:  # remember the new look, for a quicker one next time
        state.record_inputs(survey.inputs, survey.looked_at, survey.folders)
        cache.save_state(state)
    return _last_result(options, state)


def _last_result(options: _Options, state: BuildState) -> BuildResult:
    outputs = tuple(
        Output(r.kind, r.path, r.renderer, r.lang, r.slug)
        for r in state.outputs.values()
        if r.path != MANIFEST
    )
    return BuildResult(
        options.destination, outputs, time.perf_counter() - options.started, root=options.root
    )


# ----- 2. what to write: build_plan.py


# ----- 3. what to reuse


@dataclass
class _Sorted:
    """The outputs of the plan split into those reused as they are and those to render."""

    reusable: bool  # a previous build left outputs to compare with
    reused: dict[str, OutputRecord] = field(default_factory=dict)
    todo: list[int] = field(default_factory=list)  # indices in the plan
    previous: dict[str, str] = field(default_factory=dict)  # path -> digest of the old bytes

    def nothing_to_write(self, old_manifest: OutputRecord, survey: _Survey, plan: Plan) -> bool:
        """Whether every output is reused and the folder holds nothing else."""
        return (
            not self.todo
            and old_manifest.digest == digest_bytes(plan.manifest)
            and set(survey.found) == plan.paths
        )


def _sort(options: _Options, survey: _Survey, plan: Plan) -> _Sorted:
    # Without a previous build everything is rendered: fingerprint while the workers render.
    found = _Sorted(reusable=not options.clean and bool(survey.state.outputs))
    for index, output in enumerate(plan.outputs):
        record = survey.state.output_intact(output.path, survey.found) if found.reusable else None
        if record is not None and record.fingerprint == plan.fingerprints()[index]:
            found.reused[output.path] = record
            continue
        found.todo.append(index)
        if record is not None:
            found.previous[output.path] = record.digest
    return found


# ----- 4. render and swap


def _publish(
    options: _Options, cache: BuildCache, survey: _Survey, plan: Plan, sorted_outputs: _Sorted
) -> tuple[dict[int, Rendered], dict[str, OutputRecord]]:
    """Render what is to render into a staging folder, link the rest, swap it in."""
    from bilingual.publish.executors import ProcessRunner, Work, cost, warm
    from bilingual.publish.runners import runner_for

    todo = sorted_outputs.todo
    destination = options.destination
    with (
        write_errors_reported(destination),
        staged(destination, cache.spare(destination), scan_output) as staging,
    ):
        work = Work(
            plan.context, staging.root, Path(os.path.abspath(destination)), sorted_outputs.previous
        )
        total = sum(cost(plan.outputs[index], plan.site) for index in todo)
        with runner_for(options.executor, options.jobs, total) as runner:
            staging.prune(plan.paths)
            if forked := isinstance(runner, ProcessRunner):
                warm(work, todo)
            # While the workers render, the build links their files for the next build.
            mirror = Mirror.of_first_build(staging, destination, forked, cache.spare(destination))
            results = runner.run(work, work.tasks(todo, runner.jobs))
            records = _link_reused(staging, work, plan, sorted_outputs.reused)
            rendered = _collect(runner, results, plan, todo, options.progress, mirror)
        plan.start_saving(aside=forked)
        # If not done yet (a first build): once the workers are gone, since the pages this
        # reads, touched while workers share them, would be copied into every process.
        plan.fingerprints()
        records[MANIFEST] = _place_manifest(staging, work, plan, survey.old_manifest)
        mirror.add([MANIFEST])
    return rendered, records


def _link_reused(
    staging: StagedOutput, work: Work, plan: Plan, reused: dict[str, OutputRecord]
) -> dict[str, OutputRecord]:
    """Link the reused files into the staging folder (while the workers render)."""
    records = {}
    for output in plan.outputs:
        record = reused.get(output.path)
        if record is None:
            continue
        kept = staging.keep(output.path, work.destination / output.path, record.stat)
        # Copied where the file system has no hard links: a new file, a new stat.
        records[output.path] = record if kept == record.stat else record._replace(stat=kept)
    return records


def _collect(
    runner: Runner,
    results: Iterator[list[tuple[int, Rendered]]],
    plan: Plan,
    todo: list[int],
    progress: Progress | None,
    mirror: Mirror,
) -> dict[int, Rendered]:
    """Wait for every rendered output, reporting progress per phase."""
    from bilingual.publish.executors import ProgressTracker

    tracker = ProgressTracker(progress, [plan.outputs[index] for index in todo])
    rendered: dict[int, Rendered] = {}
    for batch in results:
        rendered.update(batch)
        done = [plan.outputs[index] for index, _ in batch]
        tracker.done(done)
        mirror.add(output.path for output in done)
    return rendered


def _place_manifest(
    staging: StagedOutput, work: Work, plan: Plan, old: OutputRecord | None
) -> OutputRecord:
    manifest_digest = digest_bytes(plan.manifest)
    if old is not None and old.digest == manifest_digest:
        stat = staging.keep(MANIFEST, work.destination / MANIFEST, old.stat)
    else:
        stat = staging.write(MANIFEST, plan.manifest)
    return OutputRecord(
        MANIFEST, "manifest", "manifest", None, None, manifest_digest, manifest_digest, stat
    )


# ----- 5. what the next build needs to know


def _remember(
    cache: BuildCache,
    survey: _Survey,
    plan: Plan,
    records: dict[str, OutputRecord],
    rendered: dict[int, Rendered] | None = None,
) -> None:
    """Save the caches and the record of this build's outputs, reused or ``rendered``."""
    state = BuildState(key=survey.key, plan=plan.parts.plan)
    state.record_inputs(survey.inputs, survey.looked_at, survey.folders)
    rendered = rendered or {}
    fingerprints = plan.fingerprints()
    for index, output in enumerate(plan.outputs):
        done = rendered.get(index)
        state.outputs[output.path] = (
            _with_reads(records[output.path], plan.reads[index])
            if done is None
            else OutputRecord(
                output.path,
                output.kind,
                output.renderer,
                output.lang,
                output.slug,
                fingerprints[index],
                done.digest,
                done.stat,
                plan.reads[index],
            )
        )
    state.outputs[MANIFEST] = records[MANIFEST]
    plan.save_caches()
    cache.save_state(state)


def _with_reads(record: OutputRecord, reads: tuple[str, ...]) -> OutputRecord:
    return record if record.reads == reads else record._replace(reads=reads)


def _result(
    options: _Options, plan: Plan, rendered: dict[int, Rendered] | None = None
) -> BuildResult:
    rendered = rendered or {}
    paths = {index: plan.outputs[index].path for index in rendered}
    return BuildResult(
        options.destination,
        plan.outputs,
        time.perf_counter() - options.started,
        rendered=frozenset(paths.values()),
        written=frozenset(paths[index] for index, done in rendered.items() if not done.reused),
        root=options.root,
        loaded_site=plan.site,
    )
