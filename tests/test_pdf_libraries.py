"""WeasyPrint is imported without a process per library name, and still when a search is needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bilingual.publish.pdf.libraries import import_module

COUNT_PROCESSES = """
import subprocess
started = []
original = subprocess.Popen.__init__
def counting(self, args, *rest, **options):
    started.append(args)
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = counting
import bilingual.publish.pdf.document
import weasyprint.text.ffi
print(len(started), weasyprint.text.ffi.pango is not None)
"""

# A module that, like WeasyPrint, prints a hint and fails when a library cannot be found.
NEEDS_SEARCH = """
import ctypes.util
found = ctypes.util.find_library("c")
if found is None:
    print("could not import some external libraries")
    raise OSError("cannot load library 'c'")
"""


def test_weasyprint_loads_its_libraries_without_starting_a_process() -> None:
    counted = subprocess.run(
        [sys.executable, "-c", COUNT_PROCESSES], check=True, capture_output=True, text=True
    ).stdout.split()
    assert counted == ["0", "True"]


@pytest.mark.skipif(sys.platform != "linux", reason="the usual search is kept elsewhere")
def test_a_library_only_the_search_finds_is_found_the_usual_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "needs_search.py").write_text(NEEDS_SEARCH, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "needs_search", raising=False)
    import_module("needs_search")
    assert sys.modules["needs_search"].found
    assert capsys.readouterr().out == ""
