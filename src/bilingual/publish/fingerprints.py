"""Turn what a build reads into hashed parts that each renderer combines into fingerprints.

Two builds give an output the same fingerprint only if everything its renderer reads is the
same. Each renderer says what that is, next to its ``render`` (``Renderer.inputs``), from the
parts this module hashes once per build: the toolkit (its version, its sources, the libraries
installed beside it), the config, a language's catalogs and "chrome" (what every page shows
around its content), a post or page as its views show it, a tag, a template with everything it
extends, imports or includes, and files by content. ``everything`` is all of it together.

While it fingerprints an output, ``Fingerprints`` notes which posts and pages it read (its
"reads"). After an edit that changed only the bodies of some posts, an output that read none
of them keeps the fingerprint the last build recorded (``Earlier``): a build after one edit
hashes the few outputs the edit can reach, not all of them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

from bilingual.i18n.localization import catalog_path
from bilingual.publish import urls
from bilingual.publish.cache import (
    BuildState,
    EntryCache,
    OutputRecord,
    digest,
    digest_bytes,
    environment_key,
)
from bilingual.publish.cache.entries import entry_id
from bilingual.publish.plan import Output
from bilingual.publish.templating import TemplateSet
from bilingual.publish.writer import FileStat
from bilingual.site.layout import STATIC_DIR
from bilingual.site.model import Entry, Site, Tag
from bilingual.site.resources import PACKAGE_DIR

T = TypeVar("T")

ALL_ENTRIES = "*"
"""A read of every post and page (``Fingerprints.everything``)."""
UNTRACKED = "!"
"""A read of something that may change with no input changing (a file the build made)."""


@cache
def _source_digest(stamp: tuple[tuple[str, int, int], ...]) -> str:
    return digest(tuple((name, digest_bytes(Path(name).read_bytes())) for name, _, _ in stamp))


def toolkit_digest() -> str:
    """The toolkit as it runs: installed libraries and the content of bilingual's own sources."""
    stamp = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        status = path.stat()
        stamp.append((str(path), status.st_size, status.st_mtime_ns))
    return digest(environment_key(), _source_digest(tuple(stamp)))


class Fingerprints:
    """The hashed parts of one build's inputs, each computed once."""

    def __init__(
        self,
        site: Site,
        templates: TemplateSet,
        outputs: Iterable[Output],
        toolkit: str | None = None,
        inputs: Collection[str] | None = None,
    ) -> None:
        self.site = site
        self.templates = templates
        self.outputs = tuple(outputs)
        self.paths = frozenset(output.path for output in self.outputs)
        self.by_key: dict[tuple[Hashable, str | None], str] = {
            (output.key, output.lang): output.path for output in self.outputs
        }
        self.toolkit = toolkit if toolkit is not None else toolkit_digest()
        self.codes = site.config.site.codes
        self._entries: dict[tuple[str, str, str], str] = {}
        self._templates: dict[str, str] = {}
        self._chrome: dict[str, str] = {}
        self._catalogs: dict[str, str] = {}
        self._once: dict[Hashable, tuple[Any, set[str]]] = {}
        self.inputs = inputs  # the build's input files, by absolute path (None: unknown)
        self._reads: set[str] = set()

    def traced(self, compute: Callable[[], str]) -> tuple[str, tuple[str, ...]]:
        """``compute()``, and the reads it made (see the module's docstring)."""
        outer, self._reads = self._reads, set()
        try:
            return compute(), tuple(sorted(self._reads))
        finally:
            self._reads = outer | self._reads

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed the first time ``key`` is asked for in this build only."""
        if key not in self._once:
            outer, self._reads = self._reads, set()
            try:
                self._once[key] = (make(), self._reads)
            finally:
                self._reads = outer
        found, reads = self._once[key]
        self._reads |= reads  # each output that asks read it too
        made: T = found
        return made

    @cached_property
    def plan(self) -> str:
        """The outputs planned, Pagefind's files aside (their names follow the index)."""
        return digest(
            tuple(
                (
                    output.kind,
                    output.path,
                    output.renderer,
                    output.lang,
                    output.slug,
                    output.template,
                )
                for output in self.outputs
                if output.renderer != "search"
            )
        )

    @cached_property
    def config(self) -> str:
        """The site's settings that pages show (``[pdf]`` is the PDF renderer's to add)."""
        config = self.site.config
        return digest(
            repr(config.site),
            repr(config.content),
            repr(config.newsletter),
            repr(config.share),
            repr(config.search),
        )

    def chrome(self, lang: str) -> str:
        """What every HTML page of ``lang`` shows around its content."""
        if lang not in self._chrome:
            menu = tuple(
                (page.slug, page.title.get(lang), page.summary.get(lang), urls.entry(page, lang))
                for page in self.site.pages
                if page.has(lang)
            )
            self._chrome[lang] = digest(
                self.toolkit,
                self.config,
                self.catalog(lang),
                menu,
                urls.tags_index(lang) in self.paths,
                urls.search(lang) in self.paths,
                lang,
            )
        return self._chrome[lang]

    def catalog(self, lang: str) -> str:
        """The catalogs of ``lang`` (theme's, then site's), by content."""
        if lang not in self._catalogs:
            parts = []
            for folder in self.templates.locale_dirs:
                path = catalog_path(folder, lang)
                if path.is_file():
                    parts.append(digest_bytes(path.read_bytes()))
            self._catalogs[lang] = digest(tuple(parts))
        return self._catalogs[lang]

    def entry(self, entry: Entry, lang: str, mode: str = "html") -> str:
        """A post or page in ``lang`` as its views show it."""
        key = (entry.slug, lang, mode)
        self._reads.add(entry_id(entry, lang))
        if key not in self._entries:
            tags = tuple(self.tag(tag, lang) for tag in entry.tags)
            body = entry.body.get(lang)
            self._entries[key] = digest(
                entry.kind,
                entry.slug,
                entry.title.get(lang),
                entry.summary.get(lang),
                digest_bytes(body.encode("utf-8", "surrogatepass")) if body is not None else None,
                entry.date.isoformat() if entry.date else None,
                entry.published_at.isoformat() if entry.published_at else None,
                entry.updated.isoformat() if entry.updated else None,
                entry.author,
                tags,
                entry.languages,
                urls.pdf(entry, lang) in self.paths,
                self.site.config.content.allow_html,
                mode,
                tuple(c for c in entry.comments if c.lang in (None, lang)),
            )
        return self._entries[key]

    def entries(self, entries: Iterable[Entry], lang: str) -> tuple[str, ...]:
        return tuple(self.entry(entry, lang) for entry in entries)

    def tag(self, tag: Tag, lang: str) -> tuple[Any, ...]:
        """A tag as lists show it: its label, whether it has a page, how many posts it has."""
        label = tag.label.resolve(lang, self.site.config.site.fallbacks(lang))
        return (
            tag.key,
            label,
            urls.tag(tag.key, lang) in self.paths,
            len(self.site.tagged(tag, lang)),
        )

    def alternates(self, key: Hashable) -> tuple[str | None, ...]:
        """The path of the same content in each language (None where it has none)."""
        return tuple(self.by_key.get((key, code)) for code in self.codes)

    def template(self, name: str) -> str:
        """``name`` and every template it extends, imports or includes, by content."""
        if name not in self._templates:
            self._templates[name] = digest(self._template_sources(name))
        return self._templates[name]

    def _template_sources(self, name: str) -> tuple[tuple[str, str | None], ...]:
        found: dict[str, str | None] = {}
        waiting = [name]
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            path = self._template_file(current)
            if path is None:
                found[current] = None
                continue
            source = path.read_bytes()
            found[current] = digest_bytes(source)
            references = _references(source.decode("utf-8", "replace"))
            if references is None:  # a name computed at render time: it may be any template
                return (("*", self.all_templates),)
            waiting += references
        return tuple(sorted(found.items()))

    def _template_file(self, name: str) -> Path | None:
        for folder in self.templates.template_dirs:
            if (folder / name).is_file():
                return folder / name
        return None

    @cached_property
    def all_templates(self) -> str:
        """Every template of the site and the theme, by content (static files aside)."""
        parts = []
        for folder in self.templates.template_dirs:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and STATIC_DIR not in path.relative_to(folder).parts[:1]:
                    parts.append((str(path.relative_to(folder)), digest_bytes(path.read_bytes())))
        return digest(tuple(parts))

    def template_files(self, folder: str, skip_suffixes: tuple[str, ...] = ()) -> str:
        """The files of ``folder`` in the site's and the theme's templates, by content."""
        return self.once(
            ("template files", folder, skip_suffixes),
            lambda: self._template_files(folder, skip_suffixes),
        )

    def _template_files(self, folder: str, skip_suffixes: tuple[str, ...]) -> str:
        parts = []
        for root in self.templates.template_dirs:
            for path in sorted((root / folder).rglob("*")):
                if path.is_file() and path.suffix not in skip_suffixes:
                    parts.append((str(path.relative_to(root)), digest_bytes(path.read_bytes())))
        return digest(tuple(parts))

    def files(self, paths: Iterable[Path]) -> tuple[tuple[str, str], ...]:
        """Regular files by name and content."""
        found = tuple((path, digest_bytes(path.read_bytes())) for path in paths if path.is_file())
        if self.inputs is None or any(str(path) not in self.inputs for path, _ in found):
            self._reads.add(UNTRACKED)
        return tuple((path.name, hashed) for path, hashed in found)

    @property
    def everything(self) -> str:
        """All the inputs of the build: what an output that says nothing more is made from."""
        outer, self._reads = self._reads, set()
        try:
            return self._everything
        finally:
            self._reads = outer
            self._reads.add(ALL_ENTRIES)

    @cached_property
    def _everything(self) -> str:
        site = self.site
        entries = tuple(
            self.entry(entry, lang)
            for entry in (*site.posts, *site.pages)
            for lang in entry.languages
        )
        return digest(
            self.toolkit,
            self.config,
            repr(site.config.pdf),
            self.all_templates,
            tuple(self.catalog(code) for code in self.codes),
            entries,
            tuple(sorted(self.paths)),
        )


_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+(.*?)-?%}", re.S)
_LITERAL = re.compile(
    r"""\A(?:"([^"\\{}]*)"|'([^'\\{}]*)')"""
    r"""(?:\s+(?:as|import|with|without|ignore)\b.*)?\Z""",
    re.S,
)


def _references(source: str) -> list[str] | None:
    """The templates ``source`` extends, includes or imports; None if one is not a literal."""
    names = []
    for match in _REFERENCE.finditer(source):
        literal = _LITERAL.match(match[1].strip())
        if literal is None:
            return None
        names.append(literal[1] if literal[1] is not None else literal[2])
    return names


@dataclass(frozen=True)
class Earlier:
    """The fingerprints the last build recorded, and the posts and pages whose body changed
    since then, when nothing else did."""

    records: Mapping[str, OutputRecord]
    changed: frozenset[str]

    def fingerprint(self, path: str) -> tuple[str, tuple[str, ...]] | None:
        """The fingerprint of ``path`` and its reads, if no change since can reach it."""
        record = self.records.get(path)
        if record is None or record.reads is None or UNTRACKED in record.reads:
            return None
        if self.changed and (
            ALL_ENTRIES in record.reads or not self.changed.isdisjoint(record.reads)
        ):
            return None
        return record.fingerprint, record.reads


def fingerprint_outputs(
    outputs: Sequence[Output],
    fingerprint: Callable[[Output], str],
    parts: Fingerprints,
    earlier: Earlier | None = None,
) -> tuple[list[str], list[tuple[str, ...]]]:
    """The fingerprint of each output and what it read, kept from ``earlier`` where it can."""
    fingerprints, reads = [], []
    for output in outputs:
        kept = earlier.fingerprint(output.path) if earlier is not None else None
        found = kept if kept is not None else parts.traced(partial(fingerprint, output))
        fingerprints.append(found[0])
        reads.append(found[1])
    return fingerprints, reads


def earlier_fingerprints(
    state: BuildState, key: str, inputs: dict[str, FileStat], entries: EntryCache, plan: str
) -> Earlier | None:
    """What of the last build's fingerprints ``state`` lets this one keep: None unless the
    environment and the plan are the same and the only files changed are the Markdown of
    posts and pages whose body alone changed."""
    if not state.outputs or state.key != key or state.plan != plan:
        return None
    read_again = entries.read_again()
    if any(
        not path.endswith(".md") or os.path.dirname(path) not in read_again
        for path in state.changed_inputs(inputs)
    ):
        return None
    changed = entries.changed_bodies()
    return Earlier(state.outputs, changed) if changed is not None else None
