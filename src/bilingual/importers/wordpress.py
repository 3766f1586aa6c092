"""Turn a WordPress export (WXR) into a site's posts, pages, comments, media and tags."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bilingual.errors import BilingualError, ErrorList
from bilingual.importers.comments import CommentTally, comments_yaml, kept_comments
from bilingual.importers.common import (
    ExportError,
    ImportedEntry,
    Translation,
    document_text,
    usable_slug,
)
from bilingual.importers.markdown import to_markdown
from bilingual.importers.media import EntryMedia, MediaLibrary
from bilingual.importers.report import EntryReport, ImportReport
from bilingual.importers.settings import allow_html_text
from bilingual.importers.shortcodes import (
    Attachment,
    ShortcodeContext,
    expand_shortcodes,
)
from bilingual.importers.tags import (
    TagKeys,
    language_of_text,
    read_site_tags,
    site_language,
    tags_file_text,
)
from bilingual.importers.writing import PlannedFile, check_writable, write_all
from bilingual.importers.wxr import Export, Item, _plain, read_export, zoned
from bilingual.site.config import Config, load_config
from bilingual.site.model import EntryKind

DRAFTED = {"draft": "a draft", "pending": "pending review", "private": "private",
           "future": "scheduled"}
NOT_CONTENT = {
    "attachment": "a media file, not a post or page (posts show it; --media copies it)",
    "wp_block": "a reusable block, not a post or page (the posts that use it show it)"}
NOT_IMPORTED = {"trash": "in the trash", "auto-draft": "an automatic draft, never edited",
                "inherit": "a revision"}


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


def import_wordpress(export: Path | str, site_root: Path | str, force: bool = False,
                     media: Path | str | None = None, dry_run: bool = False) -> ImportReport:
    """Import ``export`` into the site at ``site_root``: everything, or (on any error) nothing.

    Existing files stay unless ``force``; ``media`` is a copy of wp-content/uploads whose files
    are copied beside the posts that show them; ``dry_run`` reports without writing.
    """
    config = load_config(Path(site_root))
    wxr = read_export(Path(export))
    uploads = MediaLibrary(Path(media) if media is not None else None, wxr.base_urls)
    planner = Planner(config, wxr, uploads, force)
    files = planner.plan()
    problems = planner.errors or check_writable(files)
    if problems:
        raise ErrorList(problems) if len(problems) > 1 else problems[0]
    report = planner.report
    report.dry_run = dry_run
    report.written = [planned.path for planned in files]
    if not dry_run:
        write_all(files)
    return report


class Planner:
    """Decide every file of an import before any is written."""

    def __init__(self, config: Config, export: Export, uploads: MediaLibrary, force: bool) -> None:
        self.config, self.export, self.uploads, self.force = config, export, uploads, force
        self.report = ImportReport(notes=list(export.repairs))
        self.errors: list[BilingualError] = []
        self.files: list[PlannedFile] = []
        self.tags_path = config.layout.tags
        self.site_tags = read_site_tags(self.tags_path)
        self.tags = TagKeys(export, config, self.site_tags)
        self.offset = usual_offset(export.items)
        self.attachments = {item.id: _attachment(item) for item in export.items
                            if item.type == "attachment" and item.attachment_url}
        self.reusable_blocks = {item.id: item.html for item in export.items
                                if item.type == "wp_block"}
        self.comment_tally = CommentTally()
        self.used_html = 0

    def plan(self) -> list[PlannedFile]:
        planned = self._group(self._accept(self.export.items))
        self._name(planned)
        used_tags: set[str] = set()
        for entry in planned:
            used_tags.update(self._plan_entry(entry))
        self._plan_tags(used_tags)
        self._plan_settings()
        self._note_remote_media()
        note = self.comment_tally.note()
        if note:
            self.report.notes.append(note)
        return self.files

    # ----- which items, in which language, published or not

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
            skip(item.origin, NOT_CONTENT.get(item.type,
                                              f"not a post or page ({item.type or 'no type'})"))
            return None
        warnings = []
        copy = next((other for other in same_id if _same_content(other, item)), None)
        if copy is not None:
            skip(item.origin, f"a copy of the item at line {copy.line} (same wp:post_id, title, "
                              "date and text)")
            return None
        if same_id:
            warnings.append(f"shares wp:post_id {item.id} with the item at line "
                            f"{same_id[0].line}; imported as a post of its own")
        if item.status not in DRAFTED and item.status != "publish":
            skip(item.origin, NOT_IMPORTED.get(item.status, f"status {item.status!r}"))
            return None
        if item.type == "post" and item.local_date is None and item.utc_date is None:
            skip(item.origin, "no valid date")
            return None
        lang = (site_language(item.language, self.config) if item.language
                else language_of_text(item.title + " " + _plain(item.html), self.config))
        if lang is None:
            skip(item.origin, f"language {item.language or 'detected'!r} is not one of the site's "
                              f"languages {list(self.config.site.codes)}")
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
            group = groups.setdefault(f"group {member.item.group}" if member.item.group
                                      else f"item {index}", {})
            if member.lang in group:
                member.warnings.append(f"its translation group already has a {member.lang} "
                                       f"version (line {group[member.lang].item.line}); imported "
                                       "as a post of its own")
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
                        "a post of its own, so each keeps its status")
                    planned.append(Planned(_kind(member), {lang: member}, member))
                    del group[lang]
            planned.append(Planned(_kind(primary), group, primary))
        return sorted(planned, key=lambda p: p.primary.item.line)

    # ----- where each entry goes

    def _name(self, planned: list[Planned]) -> None:
        pages = {p.primary.item.id: p for p in planned if p.kind == "page"}
        taken: set[tuple[str, str]] = set()
        for entry in planned:
            parent = pages.get(entry.primary.item.parent) if entry.kind == "page" else None
            entry.parent = parent if parent is not entry else None
        for entry in sorted(planned, key=_depth):
            entry.slug = self._slug(entry, taken)

    def _slug(self, entry: Planned, taken: set[tuple[str, str]]) -> str:
        """WordPress's name, else one made of the date and id; unique; under its parent page."""
        item = entry.primary.item
        moment = zoned(item.local_date, item.utc_date, self.offset)
        prefix = f"{entry.parent.slug}/" if entry.parent and entry.parent.slug else ""
        self._check_length(item)
        for name in (item.name, f"{moment:%Y-%m-%d}-{item.id}" if moment else "",
                     f"{item.type}-{item.id}", f"{item.type}-line-{item.line}"):
            slug = prefix + name
            if name and usable_slug(name, "post" if prefix else entry.kind) and (
                    entry.kind, slug.casefold()) not in taken:
                taken.add((entry.kind, slug.casefold()))
                if item.name and name != item.name:  # its address changes: say so
                    entry.primary.warnings.append(
                        f"its WordPress name {item.name!r} is taken or cannot name a folder: "
                        f"imported as {slug!r}")
                return slug
        raise AssertionError("the last candidate slug is always free")

    def _check_length(self, item: Item) -> None:
        limit = _name_max(self.config.layout.content)
        size = len(os.fsencode(item.name))
        if size > limit:
            self.errors.append(ExportError(
                f"{item.origin}: its slug is {size} bytes long; this file system allows {limit}",
                self.export.path, item.name_line,
                hint="shorten the slug (wp:post_name) in WordPress, or in the export"))

    # ----- what each entry writes

    def _plan_entry(self, planned: Planned) -> list[str]:
        primary = planned.primary
        item = primary.item
        moment = zoned(item.local_date, item.utc_date, self.offset)
        entry = ImportedEntry(planned.kind, planned.slug, draft=primary.draft,
                              date=moment if moment and moment.tzinfo else None,
                              author=self.export.authors.get(item.author) or item.author or None)
        record = EntryReport(item.origin, planned.kind, planned.slug, list(planned.members),
                             primary.draft, warnings=planned.warnings)
        media = EntryMedia(self.uploads)
        comments = {}
        for lang, member in planned.members.items():
            context = ShortcodeContext(self.attachments, member.item.id, self.reusable_blocks)
            body, used_html = to_markdown(expand_shortcodes(member.item.html, context), media)
            self.used_html += used_html
            entry.translations[lang] = Translation(member.item.title, member.item.excerpt, body,
                                                   member.item.origin)
            keys = (self.tags.key(term, lang) for term in member.item.terms)
            entry.tags.extend(key for key in keys if key and key not in entry.tags)
            record.shortcodes_left += [s for s in context.left if s not in record.shortcodes_left]
            record.media_missing += context.missing
            record.warnings += context.warnings
            comments[lang] = kept_comments(member.item.comments, self.comment_tally)
        if entry.date is None and moment is not None:
            entry.date = moment.date()  # no zone known: the day only, never a wrong time
        folder = self.config.layout.section(planned.kind) / planned.slug
        primary_lang = next(iter(planned.members))
        for lang in planned.members:
            self._add(record, folder / f"{lang}.md",
                      text=document_text(entry, lang, with_shared=lang == primary_lang))
        record.comments = sum(len(found) for found in comments.values())
        if record.comments:
            self._add(record, folder / "comments.yaml", text=comments_yaml(
                {lang: found for lang, found in comments.items() if found}, self.offset))
        for name, source in media.copies.items():
            if self._add(record, folder / name, source=source):
                record.media_copied.append(name)
        record.media_missing += media.missing
        record.media_external += media.external
        self.report.entries.append(record)
        return entry.tags

    def _add(self, record: EntryReport, path: Path, text: str | None = None,
             source: Path | None = None) -> bool:
        if path.is_file() and not self.force:
            record.kept.append(path)
            self.report.skip(f"{record.origin} ({path.name})",
                             f"{path} already exists; --force overwrites it")
            return False
        record.files.append(path)
        self.files.append(PlannedFile(path, text, source))
        return True

    def _plan_tags(self, used: set[str]) -> None:
        tags = {key: labels for key, labels in self.tags.labels.items() if key in used}
        text, new = tags_file_text(self.tags_path, self.site_tags, tags, self.report.notes)
        if text is not None:
            self.files.append(PlannedFile(self.tags_path, text))
            self.report.new_tags = new

    def _plan_settings(self) -> None:
        if not self.used_html or self.config.content.allow_html:
            return
        path = self.config.layout.config
        text = allow_html_text(path.read_text(encoding="utf-8"))
        count = f"{self.used_html} post{'s' * (self.used_html != 1)}"
        if text is None:
            self.report.notes.append(
                f"{count} keep HTML that Markdown has no syntax for (figures, <sup>, definition "
                "lists...); it shows as text until bilingual.toml says [content] allow_html = true")
            return
        self.files.append(PlannedFile(path, text))
        self.report.notes.append(f"bilingual.toml: [content] allow_html = true, for the HTML kept "
                                 f"in {count} (figures, <sup>, definition lists...); the build "
                                 "sanitises it")


    def _note_remote_media(self) -> None:
        remote = sum(1 for entry in self.report.entries
                     if entry.files and (entry.media_missing or entry.media_external))
        if remote and self.config.pdf.enabled and not self.config.pdf.allow_remote:
            self.report.notes.append(
                f"the PDF editions of {remote} post{'s' * (remote != 1)} with media from the web "
                "need [pdf] allow_remote = true in bilingual.toml (or import again with --media)")


def usual_offset(items: list[Item]) -> dt.timezone | None:
    """The blog's time zone, as most of its dated items show it (drafts often lack a UTC date)."""
    offsets = Counter(moment.utcoffset() for item in items
                      if (moment := zoned(item.local_date, item.utc_date)) and moment.tzinfo)
    if not offsets:
        return None
    offset = offsets.most_common(1)[0][0]
    return dt.timezone(offset) if offset is not None else None


def _attachment(item: Item) -> Attachment:
    return Attachment(id=item.id, url=item.attachment_url, title=item.title,
                      caption=item.excerpt, alt=item.meta.get("_wp_attachment_image_alt", ""),
                      parent=item.parent, order=item.menu_order)


def _same_content(first: Item, second: Item) -> bool:
    return (first.type, first.title, first.html, first.local_date) == (
        second.type, second.title, second.html, second.local_date)


def _kind(member: Member) -> EntryKind:
    return "page" if member.item.type == "page" else "post"


def _depth(entry: Planned) -> int:
    depth, parent, seen = 0, entry.parent, {id(entry)}
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        depth, parent = depth + 1, parent.parent
    return depth


def _name_max(folder: Path) -> int:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255
