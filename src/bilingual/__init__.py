"""Publish Persian/English sites, PDF editions and booklets from one set of posts."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .build import BuildResult, build
from .errors import BilingualError, CatalogError, ConfigError, ContentError, RenderError, TemplateError

__version__ = "0.1.0"

# Imported on first use, so that a command loads only what it needs.
_LAZY = {"Config": "config", "load_config": "config",
         "Localized": "localized", "Entry": "model", "Site": "model", "Tag": "model",
         "load_site": "reader"}

if TYPE_CHECKING:
    from .config import Config, load_config
    from .localized import Localized
    from .model import Entry, Site, Tag
    from .reader import load_site


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BilingualError", "BuildResult", "CatalogError", "Config", "ConfigError", "ContentError",
    "Entry", "Localized", "RenderError", "Site", "Tag", "TemplateError", "__version__", "build",
    "load_config", "load_site",
]
