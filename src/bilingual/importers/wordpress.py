"""Turn a WordPress export (WXR) into a site's posts, pages, comments, media and tags."""

from __future__ import annotations

from pathlib import Path

from bilingual.errors import BilingualError, ErrorList
from bilingual.importers.comments import CommentTally, comments_yaml, kept_comments
from bilingual.importers.common import ImportedEntry, Translation, document_text
from bilingual.importers.markdown import to_markdown
from bilingual.importers.media import EntryMedia, MediaLibrary
from bilingual.importers.naming import name_entries
from bilingual.importers.report import EntryReport, ImportReport
from bilingual.importers.selection import Planned, Selection, usual_offset
from bilingual.importers.settings import allow_html_text
from bilingual.importers.shortcodes import (
    Attachment,
    ShortcodeContext,
    expand_shortcodes,
)
from bilingual.importers.tags import TagKeys, read_site_tags, tags_file_text
from bilingual.importers.writing import PlannedFile, check_writable, write_all
from bilingual.importers.wxr import Export, Item, read_export, zoned
from bilingual.site.config import Config, load_config


def import_wordpress(
    export: Path | str,
    site_root: Path | str,
    force: bool = False,
    media: Path | str | None = None,
    dry_run: bool = False,
) -> ImportReport:
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
        self.attachments = {
            item.id: _attachment(item)
            for item in export.items
            if item.type == "attachment" and item.attachment_url
        }
        self.reusable_blocks = {
            item.id: item.html for item in export.items if item.type == "wp_block"
        }
        self.comment_tally = CommentTally()
        self.used_html = 0

    def plan(self) -> list[PlannedFile]:
        planned = Selection(self.config, self.report, self.offset).entries(self.export.items)
        self.errors += name_entries(
            planned, self.offset, self.config.layout.content, self.export.path
        )
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

    # ----- what each entry writes

    def _plan_entry(self, planned: Planned) -> list[str]:
        primary = planned.primary
        item = primary.item
        moment = zoned(item.local_date, item.utc_date, self.offset)
        entry = ImportedEntry(
            planned.kind,
            planned.slug,
            draft=primary.draft,
            date=moment if moment and moment.tzinfo else None,
            author=self.export.authors.get(item.author) or item.author or None,
        )
        record = EntryReport(
            item.origin,
            planned.kind,
            planned.slug,
            list(planned.members),
            primary.draft,
            warnings=planned.warnings,
        )
        media = EntryMedia(self.uploads)
        comments = {}
        for lang, member in planned.members.items():
            context = ShortcodeContext(self.attachments, member.item.id, self.reusable_blocks)
            body, used_html = to_markdown(expand_shortcodes(member.item.html, context), media)
            self.used_html += used_html
            entry.translations[lang] = Translation(
                member.item.title, member.item.excerpt, body, member.item.origin
            )
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
            self._add(
                record,
                folder / f"{lang}.md",
                text=document_text(entry, lang, with_shared=lang == primary_lang),
            )
        record.comments = sum(len(found) for found in comments.values())
        if record.comments:
            self._add(
                record,
                folder / "comments.yaml",
                text=comments_yaml(
                    {lang: found for lang, found in comments.items() if found}, self.offset
                ),
            )
        for name, source in media.copies.items():
            if self._add(record, folder / name, source=source):
                record.media_copied.append(name)
        record.media_missing += media.missing
        record.media_external += media.external
        self.report.entries.append(record)
        return entry.tags

    def _add(
        self, record: EntryReport, path: Path, text: str | None = None, source: Path | None = None
    ) -> bool:
        if path.is_file() and not self.force:
            record.kept.append(path)
            self.report.skip(
                f"{record.origin} ({path.name})", f"{path} already exists; --force overwrites it"
            )
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
                "lists...); it shows as text until bilingual.toml says [content] allow_html = true"
            )
            return
        self.files.append(PlannedFile(path, text))
        self.report.notes.append(
            f"bilingual.toml: [content] allow_html = true, for the HTML kept "
            f"in {count} (figures, <sup>, definition lists...); the build "
            "sanitises it"
        )

    def _note_remote_media(self) -> None:
        remote = sum(
            1
            for entry in self.report.entries
            if entry.files and (entry.media_missing or entry.media_external)
        )
        if remote and self.config.pdf.enabled and not self.config.pdf.allow_remote:
            self.report.notes.append(
                f"the PDF editions of {remote} post{'s' * (remote != 1)} with media from the web "
                "need [pdf] allow_remote = true in bilingual.toml (or import again with --media)"
            )


def _attachment(item: Item) -> Attachment:
    return Attachment(
        id=item.id,
        url=item.attachment_url,
        title=item.title,
        caption=item.excerpt,
        alt=item.meta.get("_wp_attachment_image_alt", ""),
        parent=item.parent,
        order=item.menu_order,
    )
