"""Merge one post's or page's language files into an Entry, checking each field as it comes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.errors import ContentError, ErrorCollector
from bilingual.site.dates import DateError, parse_date
from bilingual.site.frontmatter import Document, clean_text, one_line
from bilingual.site.layout import CONTENT_DIR, TAGS_FILE
from bilingual.site.localized import Localized
from bilingual.site.model import Entry, EntryKind, Tag
from bilingual.site.timestamps import (
    TimestampError,
    calendar_date,
    has_time,
    moment,
    parse_timestamp,
)
from bilingual.text.bidi import balance_controls
from bilingual.text.persian import uses_jalali

LOCAL_FIELDS = ("title", "summary", "translation_of")
SHARED_FIELDS = ("date", "updated", "tags", "author", "draft")
KNOWN_FIELDS = frozenset(LOCAL_FIELDS + SHARED_FIELDS)


@dataclass
class _SharedValue:
    value: Any
    document: Document


class EntryBuilder:
    """Merge one slug's language files into an Entry, checking fields as they come."""

    def __init__(
        self,
        kind: EntryKind,
        slug: str,
        tags: dict[str, Tag],
        codes: tuple[str, ...],
        errors: ErrorCollector,
    ) -> None:
        self.kind, self.slug, self.tags, self.codes, self.errors = kind, slug, tags, codes, errors
        self.local: dict[str, dict[str, Any]] = {name: {} for name in (*LOCAL_FIELDS, "body")}
        self.sources: dict[str, Path] = {}
        self.shared: dict[str, _SharedValue] = {}
        self.failed = False
        self.tags_read = True  # False: tags.yaml is broken, so no tag is known

    def error(self, message: str, document: Document, key: str | None = None) -> None:
        """Report a problem at ``key``'s line, or at the front matter's first line."""
        self.failed = True
        line = document.line_of(key) if key else None
        self.errors.add(ContentError(message, document.path, line or 1))

    def add(self, lang: str, document: Document) -> None:
        self.sources[lang] = document.path
        self.local["body"][lang] = balance_controls(clean_text(document.body))
        for key, value in document.meta.items():
            if key not in KNOWN_FIELDS:
                self.error(
                    f"unknown front matter key {key!r}; known keys: "
                    f"{', '.join(sorted(KNOWN_FIELDS))}",
                    document,
                    str(key),
                )
            elif key in LOCAL_FIELDS:
                self._add_local(lang, key, value, document)
            else:
                self._add_shared(key, value, document)
        if "title" not in document.meta:
            self.error("missing required field 'title'", document)
        elif document.meta["title"] is None:
            self.error("'title' is empty", document, "title")

    def _add_local(self, lang: str, key: str, value: Any, document: Document) -> None:
        if value is None:
            return
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(f"{key!r} must be text", document, key)
            return
        text = balance_controls(one_line(str(value)))
        if key == "title" and not text:
            self.error("'title' is empty", document, key)
        self.local[key][lang] = text

    def _add_shared(self, key: str, value: Any, document: Document) -> None:
        checked = self._check_shared(key, value, document)
        if checked is None and value is not None:
            return
        earlier = self.shared.get(key)
        if earlier is not None and earlier.value != checked:
            self.error(
                f"{key!r} is {_show(checked)} here but {_show(earlier.value)} in "
                f"{earlier.document.path}; shared fields must agree",
                document,
                key,
            )
            return
        self.shared.setdefault(key, _SharedValue(checked, document))

    def _check_shared(self, key: str, value: Any, document: Document) -> Any:
        if key in ("date", "updated"):
            return self._date(value, document, key)
        if key == "tags":
            return self._tags(value, document)
        if key == "draft":
            if not isinstance(value, bool):
                self.error("'draft' must be true or false", document, key)
                return None
            return value
        text = balance_controls(one_line(value)) if isinstance(value, str) else ""
        if not text:
            self.error(f"{key!r} must be text", document, key)
            return None
        return text

    def _date(self, value: Any, document: Document, key: str = "date") -> dt.date | None:
        """A date, or an aware datetime when the value has a time of day."""
        jalali = any(uses_jalali(code) for code in self.codes)
        try:
            if has_time(value):
                return parse_timestamp(value, jalali=jalali)
            return parse_date(value, jalali=jalali)
        except (DateError, TimestampError) as error:
            self.error(str(error) if key == "date" else f"'{key}': {error}", document, key)
            return None

    def _check_updated(self, shared: dict[str, Any]) -> None:
        if (
            "updated" in shared
            and "date" in shared
            and moment(shared["updated"]) < moment(shared["date"])
        ):
            self.error(
                f"'updated' ({_show(shared['updated'])}) is before 'date' "
                f"({_show(shared['date'])})",
                self.shared["updated"].document,
                "updated",
            )

    def _tags(self, value: Any, document: Document) -> tuple[Tag, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error("'tags' must be a list of tag keys", document, "tags")
            return None
        unknown = [key for key in value if key not in self.tags]
        if unknown and not self.tags_read:
            self.failed = True
            return None
        if unknown:
            self.error(
                f"unknown tag {', '.join(map(repr, unknown))}; add it to {CONTENT_DIR}/{TAGS_FILE}",
                document,
                "tags",
            )
            return None
        return tuple(self.tags[key] for key in dict.fromkeys(value))

    def build(self) -> Entry | None:
        shared = {key: item.value for key, item in self.shared.items()}
        if self.kind == "post" and "date" not in shared and not self.failed:
            first = next(iter(self.sources.values()))
            self.failed = True
            self.errors.add(
                ContentError(
                    "missing required field 'date' (in any of the post's language files)", first, 1
                )
            )
        if not self.failed:
            self._check_updated(shared)
        if self.failed:
            return None
        when = shared.get("date")
        return Entry(
            kind=self.kind,
            slug=self.slug,
            sources=Localized(self.sources),
            date=calendar_date(when) if when is not None else None,
            published_at=when if isinstance(when, dt.datetime) else None,
            updated=moment(shared["updated"]) if "updated" in shared else None,
            tags=shared.get("tags") or (),
            author=shared.get("author"),
            draft=bool(shared.get("draft", False)),
            title=Localized(self.local["title"]),
            summary=Localized(self.local["summary"]),
            body=Localized(self.local["body"]),
            translation_of=Localized(self.local["translation_of"]),
        )


def _show(value: Any) -> str:
    """A shared field's value as the user wrote it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "[" + ", ".join(tag.key if isinstance(tag, Tag) else str(tag) for tag in value) + "]"
    return repr(value)
