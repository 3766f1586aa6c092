"""Turn `bilingual build`, `new` and `pamphlet` into a built site, a new site and a PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bilingual.publish.build import BuildResult
from bilingual.publish.build import build as build_site
from bilingual.site.layout import OUTPUT_DIR

PHASES = ("pages", "cards", "PDFs")  # summed up; "files" (feeds, static files) only has a bar

SITE_ARGUMENT = click.argument("site", type=click.Path(path_type=Path), default=".")


@click.command()
@SITE_ARGUMENT
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help=f"Output folder (default: SITE/{OUTPUT_DIR}).",
)
@click.option("--pdf/--no-pdf", default=True, help="Write a PDF edition of every post.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes (default: one per CPU; 1: render in this process).",
)
@click.option(
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask://HOST:PORT",
    help="Where to render: worker processes here, or an existing Dask cluster.",
)
@click.option("--clean", is_flag=True, help="Ignore the build cache: render every output.")
def build(
    site: Path, out_dir: Path | None, pdf: bool, jobs: int | None, executor: str, clean: bool
) -> None:
    """Build SITE into a static bilingual website (only what changed since the last build)."""
    options: dict[str, Any] = {
        "pdf": pdf,
        "jobs": jobs,
        "executor": executor,
        "clean": clean,
        "waiting": _report_waiting,
    }
    if sys.stdout.isatty():
        result = _build_with_progress(site, out_dir, options)
    else:  # Rich is not even loaded: with nothing to do, start-up is most of a build
        result = build_site(site, out_dir, **options)
    click.echo(f"{summary(result)} -> {result.out_dir}")


def _build_with_progress(site: Path, out_dir: Path | None, options: dict[str, Any]) -> BuildResult:
    from bilingual.cli.output import ProgressBar, stdout

    if not stdout.is_terminal:
        return build_site(site, out_dir, **options)
    with ProgressBar(stdout) as bar:
        return build_site(site, out_dir, progress=bar, **options)


def summary(result: BuildResult) -> str:
    """E.g. "Built 2,000 pages (1,996 cached), 2,000 PDFs (1,998 cached) in 3.2 s"."""
    counts = result.counts()
    parts = []
    for name in PHASES:
        if name in counts:
            total, cached = counts[name]
            parts.append(f"{total:,} {name}{_cached(cached, total)}")
    return f"Built {', '.join(parts) or 'nothing'} in {result.seconds:.1f} s"


def _cached(cached: int, total: int) -> str:
    if not cached:
        return ""
    return " (all cached)" if cached == total else f" ({cached:,} cached)"


def _report_waiting(holder: int | None) -> None:
    process = f" (process {holder})" if holder else ""
    click.echo(f"Waiting for another build of this site{process} to finish...", err=True)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
def new(path: Path) -> None:
    """Create a working bilingual site at PATH."""
    from bilingual.site.scaffold import create_site

    create_site(path)
    click.echo(f"Created {path}. Build it with: bilingual build {path}")


@click.command()
@SITE_ARGUMENT
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PDF to write.",
)
@click.option("--lang", help="Language of the pamphlet (default: the site's default).")
@click.option("--tag", help="Gather the posts with this tag (a key of content/tags.yaml).")
@click.option("--posts", "slugs", help="Gather these posts, in this order: slug1,slug2,...")
@click.option("--title", help="Title on the cover (default: the tag's label).")
@click.option("--booklet", is_flag=True, help="Impose A5 pages on A4 sheets for saddle stitching.")
@click.option("--parallel", is_flag=True, help="Set two languages side by side.")
def pamphlet(
    site: Path,
    out: Path,
    lang: str | None,
    tag: str | None,
    slugs: str | None,
    title: str | None,
    booklet: bool,
    parallel: bool,
) -> None:
    """Gather posts of SITE into one PDF pamphlet (all posts unless --tag or --posts)."""
    from rich.markup import escape

    from bilingual.cli.output import stderr, stdout
    from bilingual.publish.pdf.pamphlet import make_pamphlet  # loads WeasyPrint: only here

    names = [slug.strip() for slug in (slugs or "").split(",") if slug.strip()]
    result = make_pamphlet(
        site,
        out=out,
        lang=lang,
        tag=tag,
        slugs=names,
        title=title,
        booklet=booklet,
        parallel=parallel,
    )
    for warning in result.warnings:
        stderr.print(f"[bold yellow]warning:[/] {escape(warning)}", markup=True, soft_wrap=True)
    form = "booklet" if result.booklet else "pamphlet"
    posts = f"{len(result.posts)} post{'s' if len(result.posts) != 1 else ''}"
    stdout.print(f"Wrote a {result.pages}-page {form} of {posts} -> {result.path}")
