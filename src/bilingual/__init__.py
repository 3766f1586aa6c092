"""Publish Persian/English sites, PDF editions and booklets from one set of posts.

The public API: read a site, build it, gather posts into a pamphlet, preview it, import a
WordPress export, and work with its gettext catalogs. Everything else may change between
versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bilingual.errors import (
    BilingualError,
    CatalogError,
    ConfigError,
    ContentError,
    OutputError,
    RenderError,
    TemplateError,
)
from bilingual.publish.build import BuildResult, build

__version__ = "0.1.0"

# Imported on first use, so that a command loads only what it needs.
_LAZY = {
    "Config": "site.config", "load_config": "site.config",
    "Localized": "site.localized", "Entry": "site.model", "Site": "site.model",
    "Tag": "site.model", "load_site": "site.reader",
    "make_pamphlet": "publish.pdf.pamphlet", "PamphletResult": "publish.pdf.pamphlet",
    "PreviewServer": "preview.server",
    "import_wordpress": "importers.wordpress",
    "CatalogScope": "i18n.catalogs", "site_scope": "i18n.catalogs",
    "theme_scope": "i18n.catalogs", "extract": "i18n.catalogs", "update": "i18n.catalogs",
    "compile_catalogs": "i18n.catalogs", "check_catalogs": "i18n.check",
}

if TYPE_CHECKING:
    from bilingual.i18n.catalogs import (
        CatalogScope,
        compile_catalogs,
        extract,
        site_scope,
        theme_scope,
        update,
    )
    from bilingual.i18n.check import check as check_catalogs
    from bilingual.importers.wordpress import import_wordpress
    from bilingual.preview.server import PreviewServer
    from bilingual.publish.pdf.pamphlet import PamphletResult, make_pamphlet
    from bilingual.site.config import Config, load_config
    from bilingual.site.localized import Localized
    from bilingual.site.model import Entry, Site, Tag
    from bilingual.site.reader import load_site

_RENAMED = {"check_catalogs": "check"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        value = getattr(module, _RENAMED.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BilingualError", "BuildResult", "CatalogError", "CatalogScope", "Config", "ConfigError",
    "ContentError", "Entry", "Localized", "OutputError", "PamphletResult", "PreviewServer", "RenderError",
    "Site", "Tag", "TemplateError", "__version__", "build", "check_catalogs", "compile_catalogs",
    "extract", "import_wordpress", "load_config", "load_site", "make_pamphlet",
    "site_scope", "theme_scope", "update",
]
