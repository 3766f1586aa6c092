"""Turn a set of gettext catalogs into a local web editor for translators."""

from __future__ import annotations

from bilingual.i18n.editor.server import EditorServer

__all__ = ["EditorServer"]
