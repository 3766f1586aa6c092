"""Choose the export's items to import: posts and pages, their language, status and translations."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from bilingual.importers.report import ImportReport
from bilingual.importers.tags import language_of_text, site_language
from bilingual.importers.wxr import Item, _plain, zoned
from bilingual.site.config import Config
from bilingual.site.model import EntryKind

DRAFTED = {
    "draft": "a draft",
    "pending": "pending review",
    "private": "private",
    "future": "scheduled",
}
NOT_CONTENT = {
    "attachment": "a media file, not a post or page (posts show it; --media copies it)",
    "wp_block": "a reusable block, not a post or page (the posts that use it show it)",
}
NOT_IMPORTED = {
    "trash": "in the trash",
    "auto-draft": "an automatic draft, never edited",
    "inherit": "a revision",
}


@dataclass
class Member:
    """An item accepted for import, in its site language."""

    item: Item
    lang: str
    draft: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class Planned:
    """One post or page to write: its items by language, and where it goes."""

    kind: EntryKind
    members: dict[str, Member]
    primary: Member
    slug: str = ""
    parent: Planned | None = None

    @property
    def warnings(self) -> list[str]:
        return [w for member in self.members.values() for w in member.warnings]


@dataclass
class Selection:
    """Which items of an export become entries; every other item is listed in the report."""

    config: Config
    report: ImportReport
    offset: dt.timezone | None

    def entries(self, items: list[Item]) -> list[Planned]:
        """The posts and pages to write, translations together, in the export's order."""
        return self._group(self._accept(items))

    def _accept(self, items: list[Item]) -> list[Member]:
        members: list[Member] = []
        by_id: dict[str, list[Item]] = {}
        for item in items:
            member = self._member(item, by_id.get(item.id, []))
            by_id.setdefault(item.id, []).append(item)
            if member is not None:
                members.append(member)
        return members

    def _member(self, item: Item, same_id: list[Item]) -> Member | None:
        """The item as a member of an entry, or None after listing why it is skipped."""
        skip = self.report.skip
        if item.type not in ("post", "page"):
            skip(
                item.origin,
                NOT_CONTENT.get(item.type, f"not a post or page ({item.type or 'no type'})"),
            )
            return None
        warnings = []
        copy = next((other for other in same_id if _same_content(other, item)), None)
        if copy is not None:
            skip(
                item.origin,
                f"a copy of the item at line {copy.line} (same wp:post_id, title, date and text)",
            )
            return None
        if same_id:
            warnings.append(
                f"shares wp:post_id {item.id} with the item at line "
                f"{same_id[0].line}; imported as a post of its own"
            )
        if item.status not in DRAFTED and item.status != "publish":
            skip(item.origin, NOT_IMPORTED.get(item.status, f"status {item.status!r}"))
            return None
        if item.type == "post" and item.local_date is None and item.utc_date is None:
            skip(item.origin, "no valid date")
            return None
        lang = (
            site_language(item.language, self.config)
            if item.language
            else language_of_text(item.title + " " + _plain(item.html), self.config)
        )
        if lang is None:
            skip(
                item.origin,
                f"language {item.language or 'detected'!r} is not one of the site's "
                f"languages {list(self.config.site.codes)}",
            )
            return None
        draft = self._draft_reason(item)
        if draft:
            warnings.append(f"imported as a draft: {draft} in WordPress")
        if not item.title:
            item.title = " ".join(_plain(item.html).split()[:8]) or f"{item.type} {item.id}"
            warnings.append(f"no title: named {item.title!r} after its first words")
        return Member(item, lang, draft is not None, warnings)

    def _draft_reason(self, item: Item) -> str | None:
        reason = DRAFTED.get(item.status)
        if item.status == "future":
            moment = zoned(item.local_date, item.utc_date, self.offset)
            reason = f"scheduled for {moment:%Y-%m-%d %H:%M}" if moment else reason
        if item.password:
            reason = f"{reason}, password-protected" if reason else "password-protected"
        return reason

    def _group(self, members: list[Member]) -> list[Planned]:
        """Translations linked by Polylang or WPML become one entry, if their status agrees."""
        groups: dict[str, dict[str, Member]] = {}
        for index, member in enumerate(members):
            group = groups.setdefault(
                f"group {member.item.group}" if member.item.group else f"item {index}", {}
            )
            if member.lang in group:
                member.warnings.append(
                    f"its translation group already has a {member.lang} "
                    f"version (line {group[member.lang].item.line}); imported "
                    "as a post of its own"
                )
                group = groups.setdefault(f"item {index}", {})
            group[member.lang] = member
        planned = []
        order = [self.config.site.default_language.code, *self.config.site.codes]
        for group in groups.values():
            primary = group[next(code for code in dict.fromkeys(order) if code in group)]
            for lang, member in list(group.items()):
                if member.draft != primary.draft:
                    member.warnings.append(
                        f"{'a draft' if member.draft else 'published'} while its {primary.lang} "
                        f"version is {'a draft' if primary.draft else 'published'}: imported as "
                        "a post of its own, so each keeps its status"
                    )
                    planned.append(Planned(_kind(member), {lang: member}, member))
                    del group[lang]
            planned.append(Planned(_kind(primary), group, primary))
        return sorted(planned, key=lambda p: p.primary.item.line)


def usual_offset(items: list[Item]) -> dt.timezone | None:
    """The blog's time zone, as most of its dated items show it (drafts often lack a UTC date)."""
    offsets = Counter(
        moment.utcoffset()
        for item in items
        if (moment := zoned(item.local_date, item.utc_date)) and moment.tzinfo
    )
    if not offsets:
        return None
    offset = offsets.most_common(1)[0][0]
    return dt.timezone(offset) if offset is not None else None


def _same_content(first: Item, second: Item) -> bool:
    return (first.type, first.title, first.html, first.local_date) == (
        second.type,
        second.title,
        second.html,
        second.local_date,
    )


def _kind(member: Member) -> EntryKind:
    return "page" if member.item.type == "page" else "post"
