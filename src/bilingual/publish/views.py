"""Turn model records into what a template shows for one language: text, links, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from bilingual.publish import urls
from bilingual.site.model import Comment, Entry, Site, Tag
from bilingual.text.languages import Language, language
from bilingual.text.markdown import Mode, render_markdown


@dataclass(frozen=True)
class Text:
    """A string with the language it is really in (which may be a fallback)."""

    value: str
    lang: Language

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TagView:
    key: str
    label: Text
    path: str | None
    count: int = 0


@dataclass(frozen=True)
class CommentView:
    """An archived comment as shown under its post, with the replies it received."""

    id: str
    author: str
    date: dt.date | None
    html: Markup
    replies: tuple[CommentView, ...] = ()


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    lang: Language
    path: str
    mode: Mode = "html"
    allow_html: bool = False
    tags: tuple[TagView, ...] = ()
    pdf_path: str | None = None
    code_label: str = "Code"  # names code blocks for assistive technology

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def title(self) -> str:
        return self.entry.title[self.lang.code]

    @property
    def summary(self) -> str | None:
        return self.entry.summary.get(self.lang.code)

    @property
    def date(self) -> dt.date | None:
        return self.entry.date

    @property
    def author(self) -> str | None:
        return self.entry.author

    @property
    def published(self) -> dt.datetime | None:
        return self.entry.published

    @property
    def updated(self) -> dt.datetime | None:
        return self.entry.last_modified

    @cached_property
    def body(self) -> Markup:
        source = self.entry.body.get(self.lang.code) or ""
        return Markup(
            render_markdown(
                source, self.lang.direction, self.mode, self.allow_html, self.code_label
            )
        )

    @cached_property
    def comments(self) -> tuple[CommentView, ...]:
        """The archived comments left on this language's version, as threads (never raw HTML)."""
        return comment_thread(self.entry.comments, self.lang, self.mode)


def x_default(versions: Sequence[tuple[str, str]], default: str) -> str | None:
    """The version for readers of no listed language: the default language's, else the first."""
    paths = dict(versions)
    return paths.get(default) or next(iter(paths.values()), None)


def site_text(site: Site, name: str, lang: Language) -> Text | None:
    """A site string (title, tagline, motto) in ``lang``, or in the first fallback that has it."""
    settings = site.config.site
    found = getattr(settings, name).resolve(lang.code, settings.fallbacks(lang.code))
    return Text(found[1], language(found[0])) if found else None


def tag_view(site: Site, tag: Tag, lang: Language, existing: AbstractSet[str]) -> TagView:
    code, label = tag.label.resolve(lang.code, site.config.site.fallbacks(lang.code)) or (
        lang.code,
        tag.key,
    )
    path = urls.tag(tag.key, lang.code)
    return TagView(
        key=tag.key,
        label=Text(label, language(code)),
        path=path if path in existing else None,
        count=len(site.tagged(tag, lang.code)),
    )


def entry_view(
    site: Site,
    entry: Entry,
    lang: Language,
    existing: AbstractSet[str],
    mode: Mode = "html",
    code_label: str = "Code",
) -> EntryView:
    pdf_path = urls.pdf(entry, lang.code)
    return EntryView(
        entry=entry,
        lang=lang,
        path=urls.entry(entry, lang.code),
        mode=mode,
        allow_html=site.config.content.allow_html,
        tags=tuple(tag_view(site, tag, lang, existing) for tag in entry.tags),
        pdf_path=pdf_path if pdf_path in existing else None,
        code_label=code_label,
    )


def comment_thread(
    comments: tuple[Comment, ...], lang: Language, mode: Mode = "html"
) -> tuple[CommentView, ...]:
    """The comments in ``lang`` as threads: each with the replies to it, oldest first."""
    shown = [c for c in comments if c.lang in (None, lang.code)]
    ids = {comment.id for comment in shown}
    replies: dict[str | None, list[Comment]] = {}
    for comment in shown:
        replies.setdefault(comment.parent if comment.parent in ids else None, []).append(comment)

    def thread(parent: str | None, seen: frozenset[str]) -> tuple[CommentView, ...]:
        return tuple(
            CommentView(
                comment.id,
                comment.author,
                comment.date,
                Markup(render_markdown(comment.text, lang.direction, mode)),
                thread(comment.id, seen | {comment.id}),
            )
            for comment in replies.get(parent, [])
            if comment.id not in seen
        )

    return thread(None, frozenset())
