"""Turn `bilingual import wordpress EXPORT SITE` into an import and a report of what it did."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bilingual.atomic import write_atomically
from bilingual.cli.output import say, stderr
from bilingual.errors import BilingualError
from bilingual.importers import EntryReport, ImportReport
from bilingual.importers.wordpress import import_wordpress


@click.group(name="import")
def import_group() -> None:
    """Import posts and pages from another publishing system."""


@import_group.command()
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=".")
@click.option(
    "--media",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A copy of wp-content/uploads: the files posts use are copied beside them.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report as JSON to this file.",
)
@click.option("--dry-run", is_flag=True, help="Print the report without writing anything.")
@click.option("--force", is_flag=True, help="Overwrite content files that already exist.")
def wordpress(
    export: Path,
    site: Path,
    media: Path | None,
    report_path: Path | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Import a WordPress export (WXR, from Tools > Export) into SITE.

    Posts and pages keep their title, date and time, author, slug, categories and tags, images,
    comments and page hierarchy; only published items are published, the rest become drafts.
    Translations linked by Polylang or WPML become one post, otherwise each post's language is
    told from its script. Existing files are never overwritten without --force, and nothing at
    all is written if any item cannot be imported.
    """
    report = import_wordpress(export, site, force=force, media=media, dry_run=dry_run)
    print_report(report)
    if report_path is not None:
        try:
            text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
            write_atomically(report_path, text.encode("utf-8"))
        except OSError as error:
            raise BilingualError(
                f"cannot write the report: {error.strerror}", report_path
            ) from None


def print_report(report: ImportReport) -> None:
    posts, pages, drafts = report.count("post"), report.count("page"), len(report.drafts)
    verb = "Would import" if report.dry_run else "Imported"
    say(
        f"{verb} {_count(posts, 'post')} and {_count(pages, 'page')} "
        f"({_count(len(report.written), 'file')}), {_count(len(report.new_tags), 'new tag')}"
        + (f"; {_count(drafts, 'draft')} stay unpublished." if drafts else ".")
    )
    for entry in report.entries:
        if entry.files or entry.warnings:
            say(f"  {_entry_line(entry)}")
        for problem in _problems(entry):
            say(f"      {problem}")
    if report.new_tags:
        say(f"  tags.yaml: added {', '.join(report.new_tags)}")
    if report.skipped:
        say(f"Skipped {len(report.skipped)}:")
        for what, reason in report.skipped:
            say(f"  {what}: {reason}")
    for note in report.notes:
        stderr.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
    if report.dry_run:
        say("Dry run: nothing was written.")


def _entry_line(entry: EntryReport) -> str:
    parts = [", ".join(entry.languages)]
    if entry.comments:
        parts.append(_count(entry.comments, "comment"))
    if entry.media_copied:
        parts.append(_count(len(entry.media_copied), "media file"))
    status = " (draft)" if entry.draft else ""
    return f"{entry.kind} {entry.slug}{status}: {'; '.join(parts)}"


def _problems(entry: EntryReport) -> list[str]:
    found = list(entry.warnings)
    found += [f"media left at its original URL: {url}" for url in entry.media_missing]
    found += [f"image from another site: {url}" for url in entry.media_external]
    if entry.shortcodes_left:
        found.append(f"shortcodes left as text: {' '.join(entry.shortcodes_left)}")
    return found


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"
