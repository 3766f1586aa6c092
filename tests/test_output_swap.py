"""At every step of replacing the output folder, a reader finds a whole site: the old or the new."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual.publish.writer import RETIRED_PREFIX, staged

OLD = {"index.html": b"<p>old</p>", "fa/index.html": "<p>کهنه</p>".encode()}
NEW = {"index.html": b"<p>new</p>", "fa/index.html": "<p>تازه</p>".encode(), "en/a.html": b"a"}


def contents(folder: Path) -> dict[str, bytes] | None:
    if not folder.is_dir():
        return None
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def publish(out: Path, files: dict[str, bytes], spare: Path | None = None) -> None:
    with staged(out, spare) as staging:
        for relative, data in files.items():
            staging.write(relative, data)


@pytest.fixture
def seen_by_readers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[Any]]:
    """What the output folder holds after each rename or removal made while publishing."""
    out = tmp_path / "out"
    seen: list[Any] = []

    def watched(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            seen.append(contents(out))
            return result

        return call

    for module, name in ((os, "replace"), (os, "rename"), (os, "rmdir"), (shutil, "rmtree")):
        monkeypatch.setattr(module, name, watched(getattr(module, name)))
    yield seen


@pytest.mark.parametrize("keep_a_spare", [False, True], ids=["fresh", "with-spare"])
def test_the_output_is_never_missing_or_half_replaced(
    tmp_path: Path, keep_a_spare: bool, seen_by_readers: list[Any]
) -> None:
    out, spare = tmp_path / "out", (tmp_path / "cache" / "spare" if keep_a_spare else None)
    publish(out, OLD, spare)
    seen_by_readers.clear()
    publish(out, NEW, spare)
    assert contents(out) == NEW
    assert all(state in (OLD, NEW) for state in seen_by_readers), seen_by_readers


def test_no_retired_copy_of_the_site_is_left_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, OLD)
    publish(out, NEW)
    assert [path.name for path in tmp_path.iterdir()] == ["out"]
    assert not any(path.name.startswith(RETIRED_PREFIX) for path in tmp_path.iterdir())


def test_the_replaced_site_becomes_the_spare_for_the_next_build(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "spare"
    publish(out, OLD, spare)
    publish(out, NEW, spare)
    assert contents(spare) == OLD
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "out"]
