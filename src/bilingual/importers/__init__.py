"""Turn other publishing systems' exports into this site's content files, tags and media."""

from __future__ import annotations

from bilingual.importers.common import ExportError
from bilingual.importers.report import EntryReport, ImportReport

__all__ = ["EntryReport", "ExportError", "ImportReport"]
