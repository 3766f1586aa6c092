"""Load a site for a build and plan it: every output, how to render it, what it is made of."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.publish.cache import BuildCache, BuildState, digest, file_digest
from bilingual.publish.ownership import MANIFEST, manifest
from bilingual.publish.plan import Output, asset_dirs, plan_site
from bilingual.publish.writer import FileStat
from bilingual.site.layout import SiteLayout

if TYPE_CHECKING:
    from bilingual.publish.cache import DocumentCache, EntryCache
    from bilingual.publish.fingerprints import Earlier, Fingerprints
    from bilingual.publish.renderers import BuildContext, Renderers
    from bilingual.publish.templating import TemplateSet
    from bilingual.site.model import Site


@dataclass
class Plan:
    """The site, every output of it, and how to render and fingerprint each one."""

    site: Site
    outputs: tuple[Output, ...]
    context: BuildContext
    renderers: Renderers
    parts: Fingerprints
    documents: DocumentCache
    entries: EntryCache
    earlier: Earlier | None = None  # the last build's fingerprints, where an edit left them
    manifest: bytes = field(init=False)
    _fingerprints: list[str] = field(init=False, default_factory=list)
    reads: list[tuple[str, ...]] = field(init=False, default_factory=list)
    _saving: Callable[[], None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.manifest = manifest(self.outputs)

    def fingerprints(self) -> list[str]:
        """The fingerprint of each output, in the plan's order (computed once)."""
        if not self._fingerprints and self.outputs:
            from bilingual.publish.fingerprints import fingerprint_outputs

            self._fingerprints, self.reads = fingerprint_outputs(
                self.outputs,
                partial(self.renderers.fingerprint, parts=self.parts),
                self.parts,
                self.earlier,
            )
        return self._fingerprints

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exception: object) -> None:
        if self._saving is not None:  # the build failed after starting to save
            self.save_caches()

    def start_saving(self, aside: bool) -> None:
        """Save the caches of documents and entries: with ``aside``, in a copy of this
        process while this one records the outputs (a large build's are megabytes of JSON)."""
        from bilingual.publish.workers import run_aside

        self._saving = run_aside(self._save_caches, aside)

    def save_caches(self) -> None:
        """Save the caches of documents and entries, or wait until saved if started."""
        saving, self._saving = self._saving, None
        if saving is None:
            self._save_caches()
        else:
            saving()

    def _save_caches(self) -> None:
        self.documents.save()
        self.entries.save()

    @cached_property
    def paths(self) -> set[str]:
        """Every file the output folder will hold."""
        return {output.path for output in self.outputs} | {MANIFEST}


def make_plan(
    root: Path,
    cache: BuildCache,
    state: BuildState,
    key: str,
    inputs: dict[str, FileStat],
    looked_at: int,
    *,
    pdf: bool,
    clean: bool,
    jobs: int | None = None,
) -> Plan:
    """Load the site (reusing what the cache kept) and plan every output of a build.

    ``jobs`` worker processes read the site's folders, if many are to read (default: one
    per CPU).
    """
    from bilingual.publish.fingerprints import Fingerprints, earlier_fingerprints, toolkit_digest
    from bilingual.publish.renderers import BuildContext, Renderers
    from bilingual.publish.search import search_bundles
    from bilingual.publish.templating import template_set

    site, documents, entries = _load_site(root, cache, inputs, looked_at, clean, jobs)
    toolkit = toolkit_digest()
    search = search_bundles(site, cache.folder, toolkit, fresh=clean)
    outputs = tuple(
        plan_site(site, asset_dirs(root), pdf=pdf and site.config.pdf.enabled, search=search)
    )
    templates = template_set(root, toolkit)
    parts = Fingerprints(site, templates, outputs, toolkit, inputs)
    _forget_stale_environments(templates, parts, inputs)
    context = BuildContext(site, templates, outputs)
    earlier = None if clean else earlier_fingerprints(state, key, inputs, entries, parts.plan)
    return Plan(site, outputs, context, Renderers(context), parts, documents, entries, earlier)


def _load_site(
    root: Path,
    cache: BuildCache,
    inputs: dict[str, FileStat],
    looked_at: int,
    clean: bool,
    jobs: int | None,
) -> tuple[Site, DocumentCache, EntryCache]:
    """The site, reusing what the cache kept of unchanged files and folders."""
    from bilingual.publish.reading import load_site_cached
    from bilingual.publish.workers import default_jobs

    layout = SiteLayout(root)
    use = not clean
    documents = cache.documents(inputs, looked_at, use=use)
    # An entry depends on the config and the tags besides its own folder.
    key = digest(file_digest(layout.config), file_digest(layout.tags))
    entries = cache.entries(inputs, looked_at, key, use=use)
    jobs = jobs if jobs is not None else default_jobs()
    return load_site_cached(root, documents, entries, jobs), documents, entries


_SOURCES: dict[TemplateSet, tuple[tuple[str, ...], dict[str, FileStat]]] = {}


def _forget_stale_environments(
    templates: TemplateSet, parts: Fingerprints, inputs: dict[str, FileStat]
) -> None:
    """An environment keeps its compiled templates and its catalogs: a process that builds
    again (the preview server) makes it anew once a template or a catalog changed."""
    from bilingual.publish.templating import forget_environments

    folders = tuple(os.path.join(os.path.abspath(folder), "") for folder in templates.template_dirs)
    sources = (
        tuple(parts.catalog(code) for code in parts.codes),
        {path: stat for path, stat in inputs.items() if path.startswith(folders)},
    )
    if _SOURCES.get(templates, sources) != sources:
        forget_environments(templates)
    _SOURCES[templates] = sources
