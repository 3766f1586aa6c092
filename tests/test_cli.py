"""The command line: every command is found, loads only its own module, reports errors alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bilingual.cli import COMMANDS, cli
from bilingual.site.scaffold import create_site

NO_SITE = "no bilingual.toml here"


def test_every_command_is_listed_and_has_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {
        line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()
    }
    assert (
        listed
        == set(COMMANDS)
        == {
            "build",
            "new",
            "pamphlet",
            "serve",
            "i18n",
            "translate",
            "import",
            "email",
            "subscribers",
            "newsletter",
        }
    )
    for name in COMMANDS:
        shown = CliRunner().invoke(cli, [name, "--help"])
        assert shown.exit_code == 0, (name, shown.output)
        assert f"Usage: cli {name}" in shown.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["build", "{folder}"],
        ["pamphlet", "{folder}", "--out", "{folder}/p.pdf"],
        ["serve", "{folder}", "--port", "0"],
        ["i18n", "status", "{folder}"],
        ["email", "{folder}", "--post", "hello-world", "--out", "{folder}/m.eml"],
        ["subscribers", "list", "{folder}"],
        ["newsletter", "send", "{folder}", "--dry-run"],
    ],
)
def test_every_command_group_reports_an_error_the_same_way(
    tmp_path: Path, arguments: list[str]
) -> None:
    """A folder that is not a site: one line naming the file, a count, exit 1, no traceback."""
    filled = [argument.format(folder=tmp_path) for argument in arguments]
    result = CliRunner().invoke(cli, filled)
    assert result.exit_code == 1, result.output
    assert f"error: {tmp_path / 'bilingual.toml'}: {NO_SITE}" in result.output
    assert "1 error; nothing was written." in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []  # nothing was written, not even a cache folder


def test_debug_shows_the_error_itself(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--debug", "subscribers", "list", str(tmp_path)])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ConfigError"
    assert NO_SITE in str(result.exception)


def test_a_command_loads_its_own_module_only(tmp_path: Path) -> None:
    """`bilingual new` and `build` do not load the editor, the preview, importers or mail."""
    site = tmp_path / "blog"
    script = (
        "import json, sys\n"
        "from bilingual.cli import cli\n"
        f"cli(['new', {str(site)!r}], standalone_mode=False)\n"
        f"cli(['build', {str(site)!r}, '--no-pdf', '--jobs', '1'], standalone_mode=False)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bilingual.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert {"bilingual.cli.build", "bilingual.publish.build"} <= loaded
    unwanted = {
        "bilingual.cli.i18n",
        "bilingual.cli.serve",
        "bilingual.cli.mail",
        "bilingual.cli.importer",
        "bilingual.i18n.editor",
        "bilingual.preview",
        "bilingual.importers",
        "bilingual.mail",
    }
    assert not loaded & unwanted
    assert (site / "_site" / "fa" / "index.html").is_file()


def test_new_then_build_on_the_command_line(tmp_path: Path) -> None:
    site = tmp_path / "سایت"
    runner = CliRunner()
    created = runner.invoke(cli, ["new", str(site)])
    assert created.exit_code == 0 and f"Created {site}" in created.output
    built = runner.invoke(cli, ["build", str(site), "--no-pdf", "--jobs", "1"])
    assert built.exit_code == 0, built.output
    assert f"-> {site / '_site'}" in built.output
    again = runner.invoke(cli, ["new", str(site)])
    assert again.exit_code == 1
    assert "folder exists and is not empty" in again.output


def test_a_new_site_has_the_layout_the_reader_expects(tmp_path: Path) -> None:
    from bilingual import load_site

    create_site(tmp_path / "blog")
    site = load_site(tmp_path / "blog")
    assert [post.slug for post in site.posts] == ["hello-world"]
    assert [page.slug for page in site.pages] == ["about"]
    assert site.tags["welcome"].label.get("fa") == "خوش‌آمد"
