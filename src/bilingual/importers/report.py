"""Record what an import did, post by post, for the terminal and as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class EntryReport:
    """One imported post or page: where it went and what needs a look."""

    origin: str
    kind: str
    slug: str
    languages: list[str]
    draft: bool
    files: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    media_copied: list[str] = field(default_factory=list)
    media_missing: list[str] = field(default_factory=list)
    media_external: list[str] = field(default_factory=list)
    shortcodes_left: list[str] = field(default_factory=list)
    comments: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.origin,
            "kind": self.kind,
            "slug": self.slug,
            "languages": self.languages,
            "status": "draft" if self.draft else "published",
            "files": [str(path) for path in self.files],
            "kept": [str(path) for path in self.kept],
            "warnings": self.warnings,
            "media": {
                "copied": self.media_copied,
                "missing": self.media_missing,
                "external": self.media_external,
            },
            "shortcodes_left": self.shortcodes_left,
            "comments": self.comments,
        }


@dataclass
class ImportReport:
    """What an import wrote (or would write, with --dry-run), what it left alone and why."""

    dry_run: bool = False
    entries: list[EntryReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append((what, reason))

    def count(self, kind: str) -> int:
        """Posts (or pages) with at least one file written."""
        return sum(1 for entry in self.entries if entry.kind == kind and entry.files)

    @property
    def drafts(self) -> list[EntryReport]:
        return [entry for entry in self.entries if entry.draft and entry.files]

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "imported": {
                "posts": self.count("post"),
                "pages": self.count("page"),
                "drafts": len(self.drafts),
                "files": len(self.written),
            },
            "entries": [entry.to_json() for entry in self.entries],
            "skipped": [{"item": what, "reason": reason} for what, reason in self.skipped],
            "new_tags": self.new_tags,
            "notes": self.notes,
            "files": [str(path) for path in self.written],
        }
