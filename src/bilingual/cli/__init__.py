"""Turn command-line arguments into calls of the library; turn its errors into clear messages.

Each command group lives in its own module (``build``, ``serve``, ``i18n``, ``importer``,
``mail``), imported only when one of its commands runs, so that ``bilingual build`` does not
load the catalog editor, the live preview or the importers (nor Rich, unless it reports an
error or draws a progress bar: a build with nothing to do is mostly start-up). The commands
only parse options and call the library; the group reports every ``BilingualError`` the same
way.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

import click

from bilingual import __version__
from bilingual.errors import BilingualError, ErrorList

COMMANDS = {
    "build": "build:build",
    "new": "build:new",
    "pamphlet": "build:pamphlet",
    "serve": "serve:serve",
    "i18n": "i18n:i18n",
    "translate": "i18n:translate",
    "import": "importer:import_group",
    "email": "mail:email",
    "subscribers": "mail:subscribers",
    "newsletter": "mail:newsletter",
}
"""Each command's name -> ``module:attribute`` in this package."""


class Commands(click.Group):
    """The top-level group: loads a command's module on first use and reports its errors."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(f".{module}", __name__), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BilingualError as error:
            if ctx.params.get("debug"):
                raise
            report(error)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written.", err=True)
            sys.exit(130)


def report(error: BilingualError) -> None:
    """Print every error as ``error: file:line: message`` (with its hint), then a count."""
    from rich.markup import escape

    from bilingual.cli.output import stderr

    errors = error.errors if isinstance(error, ErrorList) else [error]
    for item in errors:
        stderr.print(f"[bold red]error:[/] {escape(str(item))}", markup=True, soft_wrap=True)
    count = f"{len(errors)} errors" if len(errors) > 1 else "1 error"
    stderr.print(f"{count}; nothing was written.")


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Publish a bilingual (e.g. English/Persian) site, its PDF editions and booklets."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # A terminated build cleans up like an interrupted one: the previous output stays.
    signal.signal(signal.SIGTERM, _interrupt)
    cli(prog_name="bilingual")
