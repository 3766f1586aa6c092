"""Find the default theme (templates) and catalogs, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent.parent / name


def theme_dir() -> Path:
    return _bundled("templates")


def locales_dir() -> Path:
    return _bundled("locales")


def source_roots() -> list[Path]:
    """Folders holding the Python sources whose strings go into the catalog."""
    return [PACKAGE_DIR]
