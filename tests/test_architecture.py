"""The shape of the code: imports point one way, no module grows past what a reader takes in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "bilingual"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LONGEST_MODULE = 400  # lines, as ruff format lays them out


def lint_imports(source: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package under ``source`` (which comes first on the path)."""
    environment = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config)],
        cwd=config.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_imports_point_down_the_layers() -> None:
    result = lint_imports(ROOT / "src", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import"),
    [
        ("text/persian.py", "import bilingual.site.model"),  # text knows nothing of sites
        ("site/reader.py", "import bilingual.publish.urls"),  # the model knows no output
        ("publish/views.py", "from bilingual.cli import output"),  # features never call the CLI
        ("errors.py", "import bilingual.text.languages"),  # errors are the bottom
    ],
)
def test_a_wrong_import_breaks_the_contract(tmp_path: Path, module: str, wrong_import: str) -> None:
    copy = tmp_path / "src" / "bilingual"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text("utf-8") + f"\n{wrong_import}  # noqa\n", "utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = lint_imports(tmp_path / "src", tmp_path / "pyproject.toml")
    assert result.returncode == 1, result.stdout
    assert "0 kept, 1 broken" in result.stdout
    importer = "bilingual." + module.removesuffix(".py").replace("/", ".")
    assert importer in result.stdout


def test_no_module_is_too_long_to_read() -> None:
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in lengths.items() if n > LONGEST_MODULE} == {}
