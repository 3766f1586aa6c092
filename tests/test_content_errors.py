"""Bad content stops the build with every error named by file and line, leaving _site alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bilingual import BilingualError, build
from bilingual.cli import cli
from bilingual.errors import ErrorList
from conftest import SITES, copy_site

BROKEN = sorted(path for path in (SITES / "broken").iterdir() if path.is_dir())


def broken_site(case: Path, tmp_path: Path) -> Path:
    """The minimal site with the case's files laid over it."""
    site = copy_site(SITES / "minimal", tmp_path / "site")
    for source in case.rglob("*"):
        if source.is_file() and source.name != "expect.yaml":
            target = site / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return site


def raised_errors(site: Path) -> list[BilingualError]:
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    error = caught.value
    return error.errors if isinstance(error, ErrorList) else [error]


@pytest.mark.parametrize("case", BROKEN, ids=[path.name for path in BROKEN])
def test_broken_site_reports_every_error_with_file_and_line(case: Path, tmp_path: Path) -> None:
    site = broken_site(case, tmp_path)
    expected = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))["errors"]
    errors = raised_errors(site)
    assert len(errors) == len(expected), [str(e) for e in errors]
    for want in expected:
        matches = [
            e
            for e in errors
            if e.path is not None and e.path == site / want["file"] and want["message"] in str(e)
        ]
        assert matches, f"no error like {want} in {[str(e) for e in errors]}"
        if "line" in want:
            assert matches[0].line == want["line"], str(matches[0])
        if "hint" in want:
            assert want["hint"] in (matches[0].hint or "")


@pytest.mark.parametrize("case", BROKEN, ids=[path.name for path in BROKEN])
def test_cli_exits_1_and_keeps_the_previous_site(case: Path, tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    build(site, pdf=False)
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    site = broken_site(case, tmp_path / "again")
    shutil.copytree(tmp_path / "site" / "_site", site / "_site")
    result = CliRunner().invoke(cli, ["build", str(site), "--no-pdf"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    first = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))["errors"][0]
    assert first["file"] in result.output.replace("\\", "/")
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert {p.relative_to(site): d for p, d in after.items()} == {
        p.relative_to(tmp_path / "site"): d for p, d in before.items()
    }
    assert not [
        p for p in site.iterdir() if p.name.startswith(".") and p.name != ".bilingual-cache"
    ]


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    site = broken_site(SITES / "broken" / "invalid-date", tmp_path)
    result = CliRunner().invoke(cli, ["--debug", "build", str(site), "--no-pdf"])
    assert result.exit_code != 0
    assert isinstance(result.exception, BilingualError)


def test_missing_config_says_how_to_start(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--no-pdf"])
    assert result.exit_code == 1
    assert "bilingual.toml" in result.output and "bilingual new" in result.output


def _named(folder: Path, raw_name: bytes) -> Path:
    """A path in ``folder`` whose name is bytes of another encoding (Latin-1 here)."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw_name))


def test_a_file_named_in_another_encoding_beside_a_post_is_an_error(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    build(site, pdf=False)
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    _named(site / "content/posts/hello", b"caf\xe9.png").write_bytes(b"\x89PNG")
    result = CliRunner().invoke(cli, ["build", str(site), "--no-pdf"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "caf\\xe9.png" in result.output and "not UTF-8" in result.output
    assert "content/posts/hello" in result.output.replace("\\", "/")
    assert {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()} == before


def test_a_post_folder_named_in_another_encoding_is_an_error(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    shutil.copytree(site / "content/posts/hello", _named(site / "content/posts", b"h\xe9llo"))
    result = CliRunner().invoke(cli, ["build", str(site), "--no-pdf"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "cannot be used as a slug" in result.output


def test_a_stray_file_named_in_another_encoding_is_kept_in_the_cache(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    _named(site / "content", b"notes-\xff.txt").write_text("not part of the site", "utf-8")
    first = build(site, pdf=False)
    assert first.rendered
    again = build(site, pdf=False)  # the cache was written and read back, name and all
    assert not again.rendered
