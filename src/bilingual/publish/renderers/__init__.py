"""Turn one planned output into bytes: the renderer contract and its registry.

A renderer does two things for its kind of output, side by side: ``render`` makes the bytes,
and ``inputs`` says what those bytes are made from, out of the parts ``Fingerprints`` hashes.
An output is rendered again exactly when its fingerprint changes, so the two must read the
same things: keep them next to each other, and let them share the code that picks what to read.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from bilingual.publish.cache import digest
from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.templating import TemplateSet
from bilingual.site.model import Site


@dataclass(frozen=True)
class BuildContext:
    """What every renderer may consult: the site, its templates and the full output plan."""

    site: Site
    templates: TemplateSet
    outputs: tuple[Output, ...]
    paths: frozenset[str] = field(init=False)
    by_key: dict[tuple[Hashable, str | None], str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", frozenset(o.path for o in self.outputs))
        object.__setattr__(self, "by_key", {(o.key, o.lang): o.path for o in self.outputs})

    def path_for(self, key: Hashable, lang: str) -> str | None:
        return self.by_key.get((key, lang))

    def versions(self, output: Output) -> list[tuple[str, str]]:
        """(language, path) of each language version of ``output``'s content, in site order."""
        found = ((code, self.path_for(output.key, code)) for code in self.site.config.site.codes)
        return [(code, path) for code, path in found if path is not None]

    def lang_code(self, output: Output) -> str:
        """The language of ``output``, or the site's default for outputs of no language."""
        return output.lang or self.site.config.site.default_language.code


class Renderer(ABC):
    """Write one kind of document. Subclasses set ``name``, implement ``render`` and declare
    ``inputs``."""

    name: ClassVar[str]

    def __init__(self, context: BuildContext) -> None:
        self.context = context

    @abstractmethod
    def render(self, output: Output) -> bytes:
        """The bytes of ``output``'s file."""

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        """What ``render(output)`` reads, as hashable parts: equal parts, equal bytes.

        By default everything the build reads, so that a renderer that declares nothing
        narrower is never left stale.
        """
        return parts.everything

    def bodies_from(self, output: Output) -> list[str]:
        """The paths of the outputs whose rendered bodies ``output`` shows again: a worker
        that renders them first renders each body once."""
        return []


# name -> (module, class); modules are imported when first needed (the PDF one loads WeasyPrint).
RENDERERS: dict[str, tuple[str, str]] = {
    "html": ("html", "HtmlRenderer"),
    "feed": ("feed", "FeedRenderer"),
    "asset": ("asset", "AssetRenderer"),
    "pdf": ("pdf", "PdfRenderer"),
    "card": ("card", "CardRenderer"),
    "search": ("search", "SearchFileRenderer"),
    "sitemap": ("sitemap", "SitemapRenderer"),
}


def renderer_class(name: str) -> type[Renderer]:
    module, cls = RENDERERS[name]
    found: type[Renderer] = getattr(importlib.import_module(f"{__name__}.{module}"), cls)
    return found


class Renderers:
    """One renderer of each kind a build uses, made when first needed."""

    def __init__(self, context: BuildContext) -> None:
        self.context = context
        self._made: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        self.prepare([name])
        return self._made[name]

    def prepare(self, names: Iterable[str]) -> None:
        """Make the renderers of ``names`` now (before worker processes are forked)."""
        for name in names:
            if name not in self._made:
                self._made[name] = renderer_class(name)(self.context)

    def render(self, output: Output) -> bytes:
        return self[output.renderer].render(output)

    def fingerprint(self, output: Output, parts: Fingerprints) -> str:
        """One hash of everything ``output``'s bytes depend on, as its renderer declares it."""
        return digest(
            output.kind,
            output.path,
            output.renderer,
            output.lang,
            output.template,
            self[output.renderer].inputs(output, parts),
        )
