"""Turn one planned output into bytes: the renderer contract and its registry."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import ClassVar

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


class Renderer(ABC):
    """Write one kind of document. Subclasses set ``name`` and implement ``render``."""

    name: ClassVar[str]

    def __init__(self, context: BuildContext) -> None:
        self.context = context

    @abstractmethod
    def render(self, output: Output) -> bytes:
        """The bytes of ``output``'s file."""


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


def renderer_classes() -> dict[str, type[Renderer]]:
    return {name: renderer_class(name) for name in RENDERERS}
