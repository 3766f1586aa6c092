"""Hold a site's content as pure data: posts, pages and tags with per-language fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from bilingual.site.config import Config
from bilingual.site.localized import Localized
from bilingual.site.timestamps import moment

EntryKind = Literal["post", "page"]


@dataclass(frozen=True)
class Tag:
    key: str
    label: Localized[str]


@dataclass(frozen=True)
class Comment:
    """A reader's comment kept from the site's earlier home: shown as an archive, closed."""

    id: str
    author: str
    text: str  # Markdown
    date: dt.date | None = None  # a date, or an aware datetime
    parent: str | None = None  # the id of the comment it answers
    lang: str | None = None  # the language version it was left on (None: every version)


@dataclass(frozen=True)
class Entry:
    """A post or a static page: one record per slug, text fields per language."""

    kind: EntryKind
    slug: str
    title: Localized[str]
    summary: Localized[str]
    body: Localized[str]
    sources: Localized[Path]
    date: dt.date | None = None
    tags: tuple[Tag, ...] = ()
    author: str | None = None
    draft: bool = False
    translation_of: Localized[str] = field(default_factory=Localized)
    published_at: dt.datetime | None = None  # when ``date`` was given with a time of day
    updated: dt.datetime | None = None
    comments: tuple[Comment, ...] = ()

    @property
    def published(self) -> dt.datetime | None:
        """When the entry was published, to the second when known (else midnight UTC)."""
        if self.published_at is not None:
            return self.published_at
        return moment(self.date) if self.date is not None else None

    @property
    def last_modified(self) -> dt.datetime | None:
        """``updated`` if given, else ``published``."""
        return self.updated or self.published

    @property
    def languages(self) -> tuple[str, ...]:
        return self.title.languages

    def has(self, lang: str) -> bool:
        return lang in self.title


@dataclass(frozen=True)
class Site:
    config: Config
    posts: tuple[Entry, ...]
    pages: tuple[Entry, ...]
    tags: dict[str, Tag]

    def posts_in(self, lang: str) -> list[Entry]:
        """Published posts that exist in ``lang``, newest first."""
        return self._posts_by_language.get(lang, [])

    def tagged(self, tag: Tag, lang: str) -> list[Entry]:
        return self._posts_by_tag.get((tag.key, lang), [])

    @cached_property
    def _posts_by_language(self) -> dict[str, list[Entry]]:
        index: dict[str, list[Entry]] = {}
        for post in self.posts:
            for lang in post.languages:
                index.setdefault(lang, []).append(post)
        return index

    @cached_property
    def _posts_by_tag(self) -> dict[tuple[str, str], list[Entry]]:
        index: dict[tuple[str, str], list[Entry]] = {}
        for post in self.posts:
            for tag in post.tags:
                for lang in post.languages:
                    index.setdefault((tag.key, lang), []).append(post)
        return index

    def used_tags(self) -> list[Tag]:
        used = {tag.key for post in self.posts for tag in post.tags}
        return [tag for key, tag in self.tags.items() if key in used]

    def entry(self, slug: str) -> Entry:
        for entry in (*self.posts, *self.pages):
            if entry.slug == slug:
                return entry
        raise KeyError(slug)
