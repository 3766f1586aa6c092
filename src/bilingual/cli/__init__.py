"""Turn command-line arguments into calls of the library; turn its errors into clear messages."""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from bilingual import __version__
from bilingual.errors import BilingualError, ErrorList
from bilingual.publish.build import build as build_site
from bilingual.site.scaffold import create_site

F = TypeVar("F", bound=Callable[..., Any])
stderr = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)


def report_errors(function: F) -> F:
    """Print BilingualErrors as 'file:line: message' and exit 1 (traceback with --debug)."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except BilingualError as error:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            errors = error.errors if isinstance(error, ErrorList) else [error]
            for item in errors:
                stderr.print(f"[bold red]error:[/] {escape(str(item))}", markup=True,
                             soft_wrap=True)
            count = f"{len(errors)} errors" if len(errors) > 1 else "1 error"
            stderr.print(f"{count}; nothing was written.")
            sys.exit(1)
        except KeyboardInterrupt:
            stderr.print("interrupted; nothing was written.")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


# Commands defined in commands/, by name -> module: a module is imported (and registers its
# commands on `cli`) when one of its commands is run or listed, so that `bilingual build` does
# not load the catalog editor, the live preview or the importers.
COMMAND_MODULES = {"i18n": "i18n", "translate": "i18n", "serve": "serve", "import": "importer",
                   "email": "mail", "subscribers": "mail", "newsletter": "mail"}


class _Commands(click.Group):
    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f".{COMMAND_MODULES[cmd_name]}", __package__)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(COMMAND_MODULES.values())):
            importlib.import_module(f".{module}", __package__)
        return super().list_commands(ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Publish a bilingual (e.g. English/Persian) site, its PDF editions and booklets."""


@cli.command()
@click.argument("site", type=click.Path(path_type=Path), default=".")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: SITE/_site).")
@click.option("--pdf/--no-pdf", default=True, help="Write a PDF edition of every post.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes (default: one per CPU; 1: render in this process).")
@click.option("--executor", default="local", show_default=True, metavar="local|dask://HOST:PORT",
              help="Where to render: worker processes here, or an existing Dask cluster.")
@click.option("--clean", is_flag=True, help="Ignore the build cache: render every output.")
@report_errors
def build(site: Path, out_dir: Path | None, pdf: bool, jobs: int | None, executor: str,
          clean: bool) -> None:
    """Build SITE into a static bilingual website (only what changed since the last build)."""
    from bilingual.cli.output import ProgressBar, summary

    options: dict[str, Any] = {"pdf": pdf, "jobs": jobs, "executor": executor, "clean": clean,
                               "waiting": _report_waiting}
    if stdout.is_terminal:
        with ProgressBar(stdout) as bar:
            result = build_site(site, out_dir, progress=bar, **options)
    else:
        result = build_site(site, out_dir, **options)
    stdout.print(f"{summary(result)} -> {result.out_dir}", markup=False, soft_wrap=True)


def _report_waiting(holder: int | None) -> None:
    process = f" (process {holder})" if holder else ""
    stderr.print(f"Waiting for another build of this site{process} to finish...", markup=False)


@cli.command()
@click.argument("site", type=click.Path(path_type=Path), default=".")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The PDF to write.")
@click.option("--lang", help="Language of the pamphlet (default: the site's default).")
@click.option("--tag", help="Gather the posts with this tag (a key of content/tags.yaml).")
@click.option("--posts", "slugs", help="Gather these posts, in this order: slug1,slug2,...")
@click.option("--title", help="Title on the cover (default: the tag's label).")
@click.option("--booklet", is_flag=True, help="Impose A5 pages on A4 sheets for saddle stitching.")
@click.option("--parallel", is_flag=True, help="Set two languages side by side.")
@report_errors
def pamphlet(site: Path, out: Path, lang: str | None, tag: str | None, slugs: str | None,
             title: str | None, booklet: bool, parallel: bool) -> None:
    """Gather posts of SITE into one PDF pamphlet (all posts unless --tag or --posts)."""
    from bilingual.publish.pdf.pamphlet import (
        make_pamphlet,
    )  # loads WeasyPrint: only for this command

    names = [slug.strip() for slug in (slugs or "").split(",") if slug.strip()]
    result = make_pamphlet(site, out=out, lang=lang, tag=tag, slugs=names, title=title,
                           booklet=booklet, parallel=parallel)
    for warning in result.warnings:
        stderr.print(f"[bold yellow]warning:[/] {escape(warning)}", markup=True, soft_wrap=True)
    form = "booklet" if result.booklet else "pamphlet"
    posts = f"{len(result.posts)} post{'s' if len(result.posts) != 1 else ''}"
    stdout.print(f"Wrote a {result.pages}-page {form} of {posts} -> {result.path}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@report_errors
def new(path: Path) -> None:
    """Create a working bilingual site at PATH."""
    create_site(path)
    stdout.print(f"Created {path}. Build it with: bilingual build {path}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # A terminated build cleans up like an interrupted one: the previous output stays.
    signal.signal(signal.SIGTERM, _interrupt)
    cli(prog_name="bilingual")
