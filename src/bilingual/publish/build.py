"""Turn a site folder into its published form: plan the outputs, render what changed, swap.

1. Look at every input file (stat only). If none changed since the last build into the same
   folder and that folder still holds exactly the files written then, stop: nothing is read,
   rendered or written.
2. Otherwise load the site (unchanged content files are not parsed again), plan every output
   and fingerprint it (fingerprints.py). An output whose fingerprint is unchanged, and whose
   file is still the one written last time, is reused.
3. Render the others (executors.py: in this process, in worker processes or on Dask) into a
   staging folder that also gets hard links to the reused files, then swap it in at once.
   A rendered output whose bytes did not change is linked too, so its file keeps its inode and
   time stamp.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.errors import OutputError
from bilingual.publish.cache import (
    BuildCache,
    BuildState,
    EntryCache,
    OutputRecord,
    digest,
    digest_bytes,
    environment_key,
    file_digest,
    load_site_cached,
    now_ns,
    record_inputs,
    scan_inputs,
    scan_output,
)
from bilingual.publish.lock import BuildLock, Waiting
from bilingual.publish.ownership import (
    MANIFEST,
    check_overlap,
    check_ownership,
    manifest_document,
)
from bilingual.publish.plan import Output, phase, plan_site
from bilingual.publish.writer import FileStat, staged
from bilingual.site.layout import STATIC_DIR, SiteLayout
from bilingual.site.resources import PACKAGE_DIR, locales_dir, theme_dir

if TYPE_CHECKING:
    from bilingual.publish.fingerprints import Fingerprints
    from bilingual.publish.templating import TemplateSet
    from bilingual.site.model import Site

# A build with nothing to do imports only the above (and the standard library): the rest is
# imported when there is something to read or render.

GC_THRESHOLDS = (50_000, 20, 100)
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                          errno.EFBIG})

Progress = Callable[[str, int, int], None]
"""Called as ``progress(phase, done, total)``: phase is "pages", "cards", "PDFs" or "files"."""


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    outputs: tuple[Output, ...]
    seconds: float
    rendered: frozenset[str] = frozenset()
    written: frozenset[str] = frozenset()
    root: Path | None = None
    loaded_site: Site | None = field(default=None, repr=False, compare=False)

    @property
    def site(self) -> Site:
        """The site built (read again if the build had nothing to do and did not read it)."""
        from bilingual.site.reader import load_site  # noqa: PLC0415

        if self.loaded_site is None:
            assert self.root is not None
            object.__setattr__(self, "loaded_site", load_site(self.root))
        assert self.loaded_site is not None
        return self.loaded_site

    def count(self, kind: str) -> int:
        return sum(1 for output in self.outputs if output.kind == kind)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per progress phase ("pages", "cards", "PDFs"): (outputs, of which reused)."""
        totals: Counter[str] = Counter()
        rendered: Counter[str] = Counter()
        for output in self.outputs:
            if output.renderer in ("html", "card", "pdf"):
                totals[phase(output)] += 1
                rendered[phase(output)] += output.path in self.rendered
        return {name: (totals[name], totals[name] - rendered[name]) for name in totals}


def asset_dirs(site_root: Path) -> list[Path]:
    return [theme_dir() / STATIC_DIR, SiteLayout(site_root).static]


def input_roots(site_root: Path) -> list[Path]:
    """Everything a build may read: the site's files, the theme, the catalogs, the toolkit."""
    return [*SiteLayout(site_root).sources, theme_dir(), locales_dir(), PACKAGE_DIR]


def build(site_root: Path | str, out_dir: Path | str | None = None, pdf: bool = True, *,
          jobs: int | None = None, executor: str | None = None, clean: bool = False,
          progress: Progress | None = None, wait: float | None = None,
          waiting: Waiting | None = None) -> BuildResult:
    """Build the site at ``site_root`` into ``out_dir`` (default ``site_root/_site``).

    Only what changed since the last build is rendered (``clean`` renders everything).
    ``jobs`` worker processes render (default: one per CPU, none for a few pages; 1: in this
    process); ``executor`` "dask://HOST:PORT" renders on a Dask cluster instead.

    One build of a site runs at a time: another one waits for it (at most ``wait`` seconds,
    0 to refuse at once) after calling ``waiting``. The output folder must be empty, new, or
    made by an earlier build: any other folder is refused with an ``OutputError``.
    """
    started = time.perf_counter()
    root = Path(site_root)
    destination = Path(out_dir) if out_dir is not None else SiteLayout(root).output
    cache = BuildCache(root, destination)
    check_overlap(destination, root, [*input_roots(root), cache.folder])
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)  # a build makes millions of objects that live to its end
    try:
        with BuildLock(cache.folder, timeout=wait, waiting=waiting):
            cache.remove_temporary_files()
            return _build(started, root, destination, cache, pdf, jobs, executor, clean,
                          progress)
    finally:
        gc.set_threshold(*thresholds)


def _build(started: float, root: Path, destination: Path, cache: BuildCache, pdf: bool,
           jobs: int | None, executor: str | None, clean: bool, progress: Progress | None
           ) -> BuildResult:
    looked_at = now_ns()
    inputs = scan_inputs(input_roots(root), skip=[destination, cache.folder])
    key = digest(environment_key(), pdf, os.environ.get("SOURCE_DATE_EPOCH"))
    recorded = cache.load_state()
    state = BuildState() if clean else recorded
    found = scan_output(destination)
    check_ownership(destination, found, recorded.intact_outputs(found))
    if state.key == key and state.inputs_unchanged(inputs) and state.output_unchanged(found):
        if state.racy:
            record_inputs(state, inputs, looked_at)
            cache.save_state(state)
        outputs = tuple(Output(r.kind, r.path, r.renderer, r.lang, r.slug)
                        for r in state.outputs.values() if r.path != MANIFEST)
        return BuildResult(destination, outputs, time.perf_counter() - started, root=root)

    from bilingual.publish.executors import (
        ProcessRunner,
        Work,
        chunks,
        cost,
        runner_for,
        warm,
    )  # noqa: PLC0415
    from bilingual.publish.fingerprints import Fingerprints, toolkit_digest  # noqa: PLC0415
    from bilingual.publish.renderers import BuildContext  # noqa: PLC0415
    from bilingual.publish.search import search_bundles  # noqa: PLC0415
    from bilingual.publish.templating import template_set  # noqa: PLC0415

    documents = cache.documents(inputs, looked_at, use=not clean)
    entries = EntryCache(cache.folder, inputs, looked_at, digest(
        file_digest(SiteLayout(root).config), file_digest(SiteLayout(root).tags)),
        use=not clean)
    site = load_site_cached(root, documents, entries)
    toolkit = toolkit_digest()
    search = search_bundles(site, cache.folder, toolkit, fresh=clean)
    outputs = tuple(plan_site(site, asset_dirs(root), pdf=pdf and site.config.pdf.enabled,
                              search=search))
    templates = template_set(root)
    fingerprints = Fingerprints(site, templates, outputs, toolkit)
    _forget_stale_environments(templates, fingerprints)
    # Without a previous build everything is rendered: fingerprint while the workers render.
    reusable = not clean and bool(state.outputs)
    prints = [fingerprints.of(output) for output in outputs] if reusable else []
    manifest_data = manifest(outputs)
    manifest_digest = digest_bytes(manifest_data)

    records: dict[str, OutputRecord] = {}
    todo: list[int] = []
    previous: dict[str, str] = {}
    for index, output in enumerate(outputs):
        record = state.output_intact(output.path, found) if reusable else None
        if record is not None and record.fingerprint == prints[index]:
            records[output.path] = record
        else:
            todo.append(index)
            if record is not None and not clean:
                previous[output.path] = record.digest
    old_manifest = state.output_intact(MANIFEST, found)
    planned = {output.path for output in outputs} | {MANIFEST}
    new_state = BuildState(key=key)
    record_inputs(new_state, inputs, looked_at)

    if not todo and old_manifest is not None and old_manifest.digest == manifest_digest \
            and set(found) == planned:
        new_state.outputs = {output.path: records[output.path] for output in outputs}
        new_state.outputs[MANIFEST] = old_manifest
        documents.save()
        entries.save()
        cache.save_state(new_state)
        return BuildResult(destination, outputs, time.perf_counter() - started, root=root,
                           loaded_site=site)

    context = BuildContext(site, templates, outputs)
    rendered: dict[int, tuple[str, FileStat, bool]] = {}
    with _writing(destination), \
            staged(destination, cache.spare(destination), scan_output) as staging:
        work = Work(context, staging.root, Path(os.path.abspath(destination)), previous)
        total = sum(cost(outputs[index], site) for index in todo)
        with runner_for(executor, jobs, total) as runner:
            staging.prune(planned)
            if isinstance(runner, ProcessRunner):
                warm(work, todo)
            results = runner.run(work, chunks(outputs, todo, runner.jobs, site))
            if not reusable:
                prints = [fingerprints.of(output) for output in outputs]
            for output in outputs:  # while the workers render
                record = records.get(output.path)
                if record is not None:
                    kept = staging.keep(output.path, work.destination / output.path, record.stat)
                    if kept != record.stat:  # copied: no hard links on this file system
                        records[output.path] = dataclasses.replace(record, stat=kept)
            tracker = _Tracker(progress, [outputs[index] for index in todo])
            for batch in results:
                for index, result in batch:
                    rendered[index] = (result.digest, result.stat, result.reused)
                tracker.done([outputs[index] for index, _ in batch])
        if old_manifest is not None and old_manifest.digest == manifest_digest:
            manifest_stat = staging.keep(MANIFEST, work.destination / MANIFEST, old_manifest.stat)
        else:
            manifest_stat = staging.write(MANIFEST, manifest_data)

    for index, output in enumerate(outputs):
        if index in rendered:
            data_digest, stat, _ = rendered[index]
            new_state.outputs[output.path] = OutputRecord(
                output.path, output.kind, output.renderer, output.lang, output.slug,
                prints[index], data_digest, stat)
        else:
            new_state.outputs[output.path] = records[output.path]
    new_state.outputs[MANIFEST] = OutputRecord(MANIFEST, "manifest", "manifest", None, None,
                                               manifest_digest, manifest_digest, manifest_stat)
    documents.save()
    entries.save()
    cache.save_state(new_state)
    written = frozenset(outputs[index].path for index, (_, _, reused) in rendered.items()
                        if not reused)
    return BuildResult(destination, outputs, time.perf_counter() - started,
                       rendered=frozenset(outputs[index].path for index in rendered),
                       written=written, root=root, loaded_site=site)


def manifest(outputs: tuple[Output, ...]) -> bytes:
    """The manifest as json.dumps(..., indent=1) writes it, without its slow encoder."""
    entries = ",\n".join(
        "  {\n" + ",\n".join(f"   {_json(key)}: {_json(value)}"
                              for key, value in output.manifest_entry().items()) + "\n  }"
        for output in outputs)
    return manifest_document(f"\n{entries}\n " if outputs else "")


@contextmanager
def _writing(destination: Path) -> Iterator[None]:
    """Turn a failure to write the output (disk full, read-only folder) into a clear error."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRORS:
            raise
        raise OutputError(f"cannot write the output: {error.strerror}", destination,
                          hint="the previous output was left as it was") from error


def _json(value: object) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


_CATALOGS: dict[TemplateSet, tuple[str, ...]] = {}


def _forget_stale_environments(templates: TemplateSet, fingerprints: Fingerprints) -> None:
    """Jinja reloads changed templates by itself, but an environment keeps its catalogs."""
    from bilingual.publish.templating import forget_environments  # noqa: PLC0415

    catalogs = tuple(fingerprints.catalog(code) for code in fingerprints.codes)
    if _CATALOGS.get(templates, catalogs) != catalogs:
        forget_environments(templates)
    _CATALOGS[templates] = catalogs


class _Tracker:
    """Count rendered outputs per phase for the progress callback."""

    def __init__(self, progress: Progress | None, todo: list[Output]) -> None:
        self.progress = progress
        self.totals = Counter(phase(output) for output in todo)
        self.counts: Counter[str] = Counter()
        if progress is not None:
            for name, total in self.totals.items():
                progress(name, 0, total)

    def done(self, outputs: list[Output]) -> None:
        if self.progress is None:
            return
        batch = Counter(phase(output) for output in outputs)
        for name, count in batch.items():
            self.counts[name] += count
            self.progress(name, self.counts[name], self.totals[name])
