"""Turn catalogs and content files into translation status: UI strings and posts per language."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from babel.messages.catalog import Catalog, Message

from bilingual.errors import ContentError
from bilingual.i18n.catalog_files import Progress, entries, read_catalog, state, write_file
from bilingual.i18n.catalogs import SOURCE_LANGUAGE, CatalogScope
from bilingual.site.model import Entry, Site
from bilingual.site.reader import load_site

HASH_LENGTH = 12
FIELD = "translation_of"
ContentState = Literal["source", "current", "stale", "unknown", "missing"]
CONTENT_STATES: tuple[ContentState, ...] = ("source", "current", "stale", "unknown", "missing")


@dataclass(frozen=True)
class CatalogStatus:
    """How far one catalog is: counted against its template when there is one."""

    scope: str
    lang: str
    path: Path
    exists: bool
    progress: Progress

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "language": self.lang,
            "path": str(self.path),
            "exists": self.exists,
            **self.progress.to_json(),
        }


def ui_status(
    scopes: Sequence[CatalogScope], languages: Sequence[str] | None = None
) -> list[CatalogStatus]:
    """One row per scope and language; ``languages`` (a site's) adds rows for missing catalogs."""
    rows = []
    for scope in scopes:
        template = read_catalog(scope.template_path) if scope.template_path.is_file() else None
        wanted = [code for code in languages or () if code != SOURCE_LANGUAGE]
        codes = wanted if template is not None and languages else scope.languages()
        rows += [catalog_status(scope, code, template) for code in codes]
    return rows


def catalog_status(scope: CatalogScope, lang: str, template: Catalog | None) -> CatalogStatus:
    path = scope.po_path(lang)
    catalog = read_catalog(path, locale=lang) if path.is_file() else None
    states = {
        _key(message): state(message)
        for message in (entries(catalog) if catalog is not None else ())
    }
    for message in entries(template) if template is not None else ():
        states.setdefault(_key(message), "missing")
    return CatalogStatus(
        scope.name, lang, path, catalog is not None, Progress.count(states.values())
    )


def _key(message: Message) -> tuple[str, str | None]:
    singular = message.id if isinstance(message.id, str) else message.id[0]
    return singular, message.context


@dataclass(frozen=True)
class Translation:
    lang: str
    state: ContentState
    title: str | None
    recorded: str | None


@dataclass(frozen=True)
class EntryStatus:
    kind: str
    slug: str
    source: str
    source_hash: str
    translations: tuple[Translation, ...]

    def get(self, lang: str) -> Translation:
        return next(item for item in self.translations if item.lang == lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "slug": self.slug,
            "source": self.source,
            "source_hash": self.source_hash,
            "languages": {
                item.lang: {"state": item.state, "title": item.title, "recorded": item.recorded}
                for item in self.translations
            },
        }


@dataclass(frozen=True)
class ContentStatus:
    languages: tuple[str, ...]
    entries: tuple[EntryStatus, ...]

    def counts(self, lang: str) -> dict[ContentState, int]:
        found = [entry.get(lang).state for entry in self.entries]
        return {name: found.count(name) for name in CONTENT_STATES}

    def to_json(self) -> dict[str, Any]:
        return {
            "languages": {lang: self.counts(lang) for lang in self.languages},
            "entries": [entry.to_json() for entry in self.entries],
        }


def content_status(site: Site, source: str | None = None) -> ContentStatus:
    """The state of every post and page in every language of the site."""
    codes = site.config.site.codes
    preferred = source or site.config.site.default_language.code
    statuses = tuple(_entry_status(entry, codes, preferred) for entry in (*site.posts, *site.pages))
    return ContentStatus(codes, statuses)


def _entry_status(entry: Entry, codes: Sequence[str], preferred: str) -> EntryStatus:
    source = source_language(entry, preferred)
    translations = tuple(
        Translation(
            lang, _state(entry, lang, source), entry.title.get(lang), entry.translation_of.get(lang)
        )
        for lang in codes
    )
    return EntryStatus(entry.kind, entry.slug, source, source_hash(entry, source), translations)


def source_language(entry: Entry, preferred: str) -> str:
    """The preferred language if the entry is written in it, else its first language."""
    return preferred if entry.has(preferred) else entry.languages[0]


def _state(entry: Entry, lang: str, source: str) -> ContentState:
    if not entry.has(lang):
        return "missing"
    if lang == source:
        return "source"
    recorded = entry.translation_of.get(lang)
    if not recorded:
        return "unknown"
    named, _, digest = recorded.rpartition(":")
    made_from = named or source
    if not entry.has(made_from):
        return "stale"
    return "current" if digest == source_hash(entry, made_from).partition(":")[2] else "stale"


def source_hash(entry: Entry, lang: str) -> str:
    """``lang:hash`` of the title, summary and body a translation is made from."""
    fields = [
        entry.title.get(lang) or "",
        entry.summary.get(lang) or "",
        entry.body.get(lang) or "",
    ]
    normalized = [unicodedata.normalize("NFC", text).strip() for text in fields]
    digest = hashlib.sha256(json.dumps(normalized, ensure_ascii=False).encode("utf-8"))
    return f"{lang}:{digest.hexdigest()[:HASH_LENGTH]}"


@dataclass(frozen=True)
class Marked:
    path: Path
    value: str
    previous: str | None


def mark_translated(site_root: Path, slug: str, lang: str, source: str | None = None) -> Marked:
    """Record in LANG's front matter the hash of the source text its translation was made from."""
    site = load_site(site_root)
    entry = _find_entry(site, slug)
    if lang not in site.config.site.codes:
        raise ContentError(
            f"{lang!r} is not one of the site's languages {list(site.config.site.codes)}",
            site.config.layout.config,
        )
    made_from = source_language(entry, source or site.config.site.default_language.code)
    if source and not entry.has(source):
        raise ContentError(
            f"{slug!r} has no {source!r} version to be translated from",
            entry.sources[entry.languages[0]].parent,
        )
    if made_from == lang:
        raise ContentError(
            f"{lang!r} is the source language of {slug!r}, not a translation",
            entry.sources[lang],
            hint="name the translated language instead",
        )
    if not entry.has(lang):
        folder = entry.sources[made_from].parent
        raise ContentError(
            f"{slug!r} has no {lang!r} version yet",
            folder,
            hint=f"write {folder / (lang + '.md')} first",
        )
    value = source_hash(entry, made_from)
    set_front_matter(entry.sources[lang], FIELD, value)
    return Marked(entry.sources[lang], value, entry.translation_of.get(lang))


def _find_entry(site: Site, slug: str) -> Entry:
    try:
        return site.entry(slug)
    except KeyError:
        known = ", ".join(entry.slug for entry in (*site.posts, *site.pages))
        raise ContentError(
            f"no post or page named {slug!r}",
            site.config.layout.content,
            hint=f"known slugs: {known}",
        ) from None


def set_front_matter(path: Path, key: str, value: str) -> None:
    """Set one front matter key by editing the text: every other byte of the file stays."""
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    closing = _closing_fence(lines, path)
    pattern = re.compile(rf"{re.escape(key)}\s*:")
    line = f"{key}: {value}{newline}"
    for index in range(1, closing):
        if pattern.match(lines[index]):
            end = index + 1
            while end < closing and lines[end][:1] in (" ", "\t"):
                end += 1
            lines[index:end] = [line]
            break
    else:
        lines.insert(closing, line)
    write_file(path, "".join(lines).encode("utf-8"), ContentError)


def _closing_fence(lines: list[str], path: Path) -> int:
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        raise ContentError("no front matter to write into", path, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return index
    raise ContentError("front matter is not closed by a '---' line", path, 1)
