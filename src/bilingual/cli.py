"""Turn command-line arguments into calls of the library; turn its errors into clear messages."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from . import __version__
from .build import build as build_site
from .errors import BilingualError, ErrorList
from .scaffold import create_site

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
                stderr.print(f"[bold red]error:[/] {item}", markup=True, soft_wrap=True)
            count = f"{len(errors)} errors" if len(errors) > 1 else "1 error"
            stderr.print(f"{count}; nothing was written.")
            sys.exit(1)
        except KeyboardInterrupt:
            stderr.print("interrupted; nothing was written.")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Publish a bilingual (e.g. English/Persian) site, its PDF editions and booklets."""


@cli.command()
@click.argument("site", type=click.Path(path_type=Path), default=".")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: SITE/_site).")
@click.option("--pdf/--no-pdf", default=True, help="Write a PDF edition of every post.")
@report_errors
def build(site: Path, out_dir: Path | None, pdf: bool) -> None:
    """Build SITE into a static bilingual website."""
    result = build_site(site, out_dir, pdf=pdf)
    pages = sum(1 for o in result.outputs if o.renderer == "html")
    pdfs = result.count("pdf")
    summary = f"Built {pages:,} pages" + (f", {pdfs:,} PDFs" if pdfs else "")
    stdout.print(f"{summary} in {result.seconds:.1f} s -> {result.out_dir}")


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
