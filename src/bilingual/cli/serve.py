"""Turn `bilingual serve` into a live preview of a site on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from bilingual.cli.output import stderr, stdout
from bilingual.errors import BilingualError
from bilingual.preview.server import PreviewServer
from bilingual.site.layout import OUTPUT_DIR


def _report_wait(holder: int | None) -> None:
    process = f" (process {holder})" if holder else ""
    stdout.print(
        f"Another build of this site is running{process}: rebuilding when it ends.", highlight=False
    )


def _report(error: str | None, seconds: float) -> None:
    if error is None:
        stdout.print(f"Built in {seconds:.1f} s", highlight=False)
    else:
        stderr.print(f"[bold red]error:[/] {escape(error)}", soft_wrap=True)
        stderr.print("The pages show this error until the file is fixed.")


@click.command()
@click.argument("site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=".")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help=f"Output folder (default: SITE/{OUTPUT_DIR}).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: a free one).",
)
@click.option("--pdf/--no-pdf", default=False, help="Also write the PDF editions (slower).")
def serve(site: Path, out_dir: Path | None, port: int, pdf: bool) -> None:
    """Build SITE, serve it on 127.0.0.1 and rebuild it whenever a source file changes.

    Open pages reload after each build; a failed build shows its errors in the pages.
    """
    try:
        server = PreviewServer(
            site, out_dir, port=port, pdf=pdf, on_build=_report, on_wait=_report_wait
        )
    except OSError as error:
        raise BilingualError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
            hint="choose another --port, or --port 0 for a free one",
        ) from None
    server.start()
    stdout.print(
        f"Serving {server.out_dir} at {server.url}\nPress Ctrl+C to stop.",
        highlight=False,
        soft_wrap=True,
    )
    try:
        server.stopping.wait()
    except KeyboardInterrupt:
        stdout.print("Stopped.")
    finally:
        server.close()
