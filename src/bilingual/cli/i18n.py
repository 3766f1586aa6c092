"""Turn `bilingual i18n ...` and `bilingual translate` into calls of the catalog tools."""

from __future__ import annotations

import json
import sys
import webbrowser
from pathlib import Path

import click
from rich.markup import escape

from bilingual.cli.output import say, stderr, stdout
from bilingual.cli.status_table import status_tables
from bilingual.errors import BilingualError, CatalogError
from bilingual.i18n.catalogs import (
    compile_catalogs,
    init_catalog,
    scope_for,
    site_scope,
    theme_scope,
)
from bilingual.i18n.catalogs import extract as extract_strings
from bilingual.i18n.catalogs import update as update_catalogs
from bilingual.i18n.check import check as check_catalogs
from bilingual.i18n.editor import EditorServer
from bilingual.i18n.status import content_status, mark_translated, ui_status
from bilingual.site.reader import load_site

SCOPE_HELP = """
Without SITE, or with --theme, a command works on the default theme's catalogs (bilingual's
locales/, strings taken from the theme's templates and the package's Python sources). With SITE it
works on the site's own catalogs, SITE/locales/, for the strings of the site's own templates/;
at build time the site's catalogs override the theme's.
"""

site_argument = click.argument(
    "site", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
theme_option = click.option(
    "--theme", is_flag=True, help="Work on the default theme's catalogs even when SITE is given."
)


@click.group(
    help="Translate the interface (gettext catalogs) and check content translations.\n" + SCOPE_HELP
)
def i18n() -> None:
    pass


@i18n.command()
@site_argument
@theme_option
def extract(site: Path | None, theme: bool) -> None:
    """Collect the interface strings into locales/messages.pot."""
    path, count = extract_strings(scope_for(site, theme))
    say(f"Extracted {count} string{'s' if count != 1 else ''} -> {path}")


@i18n.command()
@click.argument("lang")
@site_argument
@theme_option
def init(lang: str, site: Path | None, theme: bool) -> None:
    """Create the catalog for language LANG (e.g. fa) from messages.pot."""
    path = init_catalog(scope_for(site, theme), lang)
    say(
        f"Created {path}; translate it with: bilingual translate"
        + (f" {site}" if site and not theme else "")
    )


@i18n.command()
@site_argument
@theme_option
def update(site: Path | None, theme: bool) -> None:
    """Merge messages.pot into every catalog, keeping every translation.

    A string whose text changed (a similar text, or a new one where the old one stood in the
    same template) keeps its old translation, marked fuzzy; a string that is gone stays at the
    end of the file as obsolete (#~); translators' comments are kept.
    """
    scope = scope_for(site, theme)
    results = update_catalogs(scope)
    for result in results:
        say(
            f"{result.lang}: {result.path} ({result.added} new, {result.fuzzy} fuzzy, "
            f"{result.obsolete} obsolete)"
        )
    if not results:
        say(f"No catalogs in {scope.locales}; create one with: bilingual i18n init LANG")


@i18n.command(name="compile")
@site_argument
@theme_option
def compile_(site: Path | None, theme: bool) -> None:
    """Compile every catalog (.po) into a .mo file (the build also compiles them itself)."""
    for result in compile_catalogs(scope_for(site, theme)):
        skipped = f", {result.fuzzy} fuzzy left out" if result.fuzzy else ""
        say(
            f"{result.lang}: {result.translated} translated{skipped} -> "
            f"{result.path.with_suffix('.mo')}"
        )


@i18n.command()
@site_argument
@theme_option
def check(site: Path | None, theme: bool) -> None:
    """Check translations: placeholders, HTML tags, plural forms (exit 1 on errors).

    Fuzzy entries are reported as warnings.
    """
    scope = scope_for(site, theme)
    problems = check_catalogs(scope)
    for problem in problems:
        style = "bold red" if problem.severity == "error" else "yellow"
        location = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
        stderr.print(
            f"[{style}]{problem.severity}:[/] {escape(f'{location}: {problem.message}')}",
            soft_wrap=True,
        )
        if problem.hint:
            stderr.print(f"  hint: {escape(problem.hint)}", soft_wrap=True)
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    say(
        f"Checked {len(scope.languages())} catalog(s) in {scope.locales}: "
        f"{errors} error(s), {warnings} warning(s)."
    )
    if errors:
        sys.exit(1)


@i18n.command()
@site_argument
@click.option("--json", "as_json", is_flag=True, help="Print the same data as JSON (for CI).")
@click.option(
    "--source",
    metavar="LANG",
    help="Compare translations with this language (default: the site's default).",
)
def status(site: Path | None, as_json: bool, source: str | None) -> None:
    """Show how far each language is: interface strings, and with SITE its posts and pages.

    A translation is stale when its source text changed after `bilingual i18n mark-translated`
    recorded it, and unknown when it was never marked.
    """
    scopes = [theme_scope()]
    languages, content = None, None
    if site is not None:
        loaded = load_site(site)
        if source is not None and source not in loaded.config.site.codes:
            raise click.BadParameter(
                f"{source!r} is not one of the site's languages", param_hint="--source"
            )
        own = site_scope(site)
        scopes += [own] if own.sources or own.languages() else []
        languages, content = loaded.config.site.codes, content_status(loaded, source)
    rows = ui_status(scopes, languages)
    if as_json:
        data = {
            "ui": [row.to_json() for row in rows],
            "content": content.to_json() if content is not None else None,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        stdout.print(status_tables(stdout, rows, content))


@i18n.command(name="mark-translated")
@click.argument("slug")
@click.argument("lang")
@click.argument("site", default=".", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--source",
    metavar="LANG",
    help="The language it was translated from (default: the site's default).",
)
def mark_translated_command(slug: str, lang: str, site: Path, source: str | None) -> None:
    """Record that LANG's version of SLUG matches the current source text.

    Writes `translation_of: <source language>:<hash of its title, summary and body>` into the
    front matter of LANG's file; when the source changes later, `status` reports it as stale.
    """
    marked = mark_translated(site, slug, lang, source)
    was = f" (was {marked.previous})" if marked.previous and marked.previous != marked.value else ""
    say(f"{marked.path}: translation_of: {marked.value}{was}")


@click.command(
    help="Edit the catalogs in a local web page and open it in the browser.\n\n"
    "It is served on 127.0.0.1 only, on a free port, with a secret token in its URL.\n" + SCOPE_HELP
)
@site_argument
@theme_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Only print the URL.")
def translate(site: Path | None, theme: bool, port: int, no_browser: bool) -> None:
    scope = scope_for(site, theme)
    if not scope.languages():
        raise CatalogError(
            "no catalogs to translate here",
            scope.locales,
            hint="create one with `bilingual i18n init LANG`",
        )
    try:
        server = EditorServer(scope, port=port)
    except OSError as error:
        raise BilingualError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
            hint="choose another --port, or leave it out for a free one",
        ) from None
    say(f"Catalog editor for {scope.locales}:\n  {server.url}\nPress Ctrl+C to stop.")
    if not no_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.server_close()
