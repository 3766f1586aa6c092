"""Publish Persian/English sites, PDF editions and booklets from one set of posts.

The public API: read a site, build it, gather posts into a pamphlet, preview it, import a
WordPress export, and work with its gettext catalogs::

    import bilingual

    result = bilingual.build("blog")                  # -> blog/_site, only what changed
    bilingual.make_pamphlet("blog", out="news.pdf", tag="iran-news", booklet=True)
    for problem in bilingual.check_catalogs(bilingual.site_scope("blog")):
        print(problem)                                # path:line: error: ...

Every function raises a ``BilingualError`` (an ``ErrorList`` when there are several) naming
the file and line at fault. Everything else in the package may change between versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bilingual.errors import (
    BilingualError,
    CatalogError,
    ConfigError,
    ContentError,
    ErrorList,
    MailError,
    OutputError,
    RenderError,
    TemplateError,
)

__version__ = "0.1.0"

# Name -> (module, name there). Imported on first use, so that `import bilingual` stays cheap
# and a command loads only what it needs (a pamphlet loads WeasyPrint, the preview watchfiles).
_LAZY = {
    "build": ("publish.build", "build"),
    "BuildResult": ("publish.build", "BuildResult"),
    "load_config": ("site.config", "load_config"),
    "Config": ("site.config", "Config"),
    "load_site": ("site.reader", "load_site"),
    "Site": ("site.model", "Site"),
    "Entry": ("site.model", "Entry"),
    "Tag": ("site.model", "Tag"),
    "Localized": ("site.localized", "Localized"),
    "SiteLayout": ("site.layout", "SiteLayout"),
    "create_site": ("site.scaffold", "create_site"),
    "make_pamphlet": ("publish.pdf.pamphlet", "make_pamphlet"),
    "PamphletResult": ("publish.pdf.pamphlet", "PamphletResult"),
    "PreviewServer": ("preview.server", "PreviewServer"),
    "import_wordpress": ("importers.wordpress", "import_wordpress"),
    "ImportReport": ("importers.report", "ImportReport"),
    "CatalogScope": ("i18n.catalogs", "CatalogScope"),
    "site_scope": ("i18n.catalogs", "site_scope"),
    "theme_scope": ("i18n.catalogs", "theme_scope"),
    "extract_strings": ("i18n.catalogs", "extract"),
    "init_catalog": ("i18n.catalogs", "init_catalog"),
    "update_catalogs": ("i18n.catalogs", "update"),
    "compile_catalogs": ("i18n.catalogs", "compile_catalogs"),
    "check_catalogs": ("i18n.check", "check"),
    "CatalogProblem": ("i18n.check", "Problem"),
}

if TYPE_CHECKING:
    from bilingual.i18n.catalogs import (
        CatalogScope,
        compile_catalogs,
        init_catalog,
        site_scope,
        theme_scope,
    )
    from bilingual.i18n.catalogs import extract as extract_strings
    from bilingual.i18n.catalogs import update as update_catalogs
    from bilingual.i18n.check import Problem as CatalogProblem
    from bilingual.i18n.check import check as check_catalogs
    from bilingual.importers.report import ImportReport
    from bilingual.importers.wordpress import import_wordpress
    from bilingual.preview.server import PreviewServer
    from bilingual.publish.build import BuildResult, build
    from bilingual.publish.pdf.pamphlet import PamphletResult, make_pamphlet
    from bilingual.site.config import Config, load_config
    from bilingual.site.layout import SiteLayout
    from bilingual.site.localized import Localized
    from bilingual.site.model import Entry, Site, Tag
    from bilingual.site.reader import load_site
    from bilingual.site.scaffold import create_site


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BilingualError",
    "BuildResult",
    "CatalogError",
    "CatalogProblem",
    "CatalogScope",
    "Config",
    "ConfigError",
    "ContentError",
    "Entry",
    "ErrorList",
    "ImportReport",
    "Localized",
    "MailError",
    "OutputError",
    "PamphletResult",
    "PreviewServer",
    "RenderError",
    "Site",
    "SiteLayout",
    "Tag",
    "TemplateError",
    "__version__",
    "build",
    "check_catalogs",
    "compile_catalogs",
    "create_site",
    "extract_strings",
    "import_wordpress",
    "init_catalog",
    "load_config",
    "load_site",
    "make_pamphlet",
    "site_scope",
    "theme_scope",
    "update_catalogs",
]
