"""Turn `bilingual import wordpress EXPORT SITE` into an import and a report of what it did."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import cli, report_errors, stderr, stdout
from ..importers import ImportReport
from ..importers.wordpress import import_wordpress


@cli.group(name="import")
def import_group() -> None:
    """Import posts and pages from another publishing system."""


@import_group.command()
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=".")
@click.option("--force", is_flag=True, help="Overwrite content files that already exist.")
@report_errors
def wordpress(export: Path, site: Path, force: bool) -> None:
    """Import a WordPress export (WXR, from Tools > Export) into SITE.

    Posts and pages keep their title, date, author, slug, status (drafts stay drafts), categories
    and tags; translations linked by Polylang or WPML become one post, otherwise each post's
    language is told from its script. Existing files are never overwritten without --force.
    """
    print_report(import_wordpress(export, site, force=force))


def print_report(report: ImportReport) -> None:
    say = lambda text: stdout.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    posts, pages = report.entries["post"], report.entries["page"]
    say(f"Imported {posts} post{'s' * (posts != 1)} and {pages} page{'s' * (pages != 1)} "
        f"({len(report.written)} files), {len(report.new_tags)} new tag"
        f"{'s' * (len(report.new_tags) != 1)}.")
    for path in report.written:
        say(f"  wrote {path}")
    if report.new_tags:
        say(f"  tags.yaml: added {', '.join(report.new_tags)}")
    if report.skipped:
        say(f"Skipped {len(report.skipped)}:")
        for what, reason in report.skipped:
            say(f"  {what}: {reason}")
    for note in report.notes:
        stderr.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
