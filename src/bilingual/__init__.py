"""Publish Persian/English sites, PDF editions and booklets from one set of posts."""

from __future__ import annotations

from .build import BuildResult, build
from .config import Config, load_config
from .errors import BilingualError, CatalogError, ConfigError, ContentError, RenderError, TemplateError
from .localized import Localized
from .model import Entry, Site, Tag
from .reader import load_site

__version__ = "0.1.0"

__all__ = [
    "BilingualError", "BuildResult", "CatalogError", "Config", "ConfigError", "ContentError",
    "Entry", "Localized", "RenderError", "Site", "Tag", "TemplateError", "__version__", "build",
    "load_config", "load_site",
]
