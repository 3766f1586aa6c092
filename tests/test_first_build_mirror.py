"""A first build leaves links to its files where the next build stages, and is right without them."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from bilingual import build
from bilingual.publish import writer
from bilingual.publish.cache import CACHE_DIR
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site


def inodes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file()
    }


def contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def spares(site: Path) -> list[Path]:
    return sorted((site / CACHE_DIR).glob("spare-*"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", posts=6, words=60, search=False)


def edit_a_body(site: Path) -> None:
    post = site / "content/posts/post-00002/fa.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\n\n", "\n\nیک جملهٔ تازه.\n\n", 1), encoding="utf-8")


def test_a_first_build_with_workers_links_every_file_for_the_next_build(site: Path) -> None:
    build(site, pdf=False, jobs=2)
    (spare,) = spares(site)
    published = inodes(site / "_site")
    assert "manifest.json" in published
    assert inodes(spare) == published  # the same files: hard links, nothing copied


def test_the_next_build_replaces_only_what_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site, pdf=False, jobs=2)
    before = inodes(site / "_site")
    edit_a_body(site)
    linked: list[Path] = []
    link = writer._link

    def counted(source: Path, target: Path) -> None:
        linked.append(target)
        link(source, target)

    monkeypatch.setattr(writer, "_link", counted)
    result = build(site, pdf=False, jobs=1)
    after = inodes(site / "_site")
    assert "fa/posts/post-00002/index.html" in result.written
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == set(result.written)
    assert len(linked) <= len(changed)  # not one link per unchanged file
    fresh = build(site, tmp_path / "fresh", pdf=False, jobs=1, clean=True)
    assert contents(site / "_site") == contents(fresh.out_dir)


def test_without_hard_links_a_first_build_leaves_no_spare_and_the_next_one_is_right(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    with monkeypatch.context() as patched:
        patched.setattr(os, "link", refused)
        build(site, pdf=False, jobs=2)
    assert all(not any(path.is_file() for path in spare.rglob("*")) for spare in spares(site))
    edit_a_body(site)
    build(site, pdf=False, jobs=1)
    fresh = build(site, tmp_path / "fresh", pdf=False, jobs=1, clean=True)
    assert contents(site / "_site") == contents(fresh.out_dir)


def test_a_build_into_an_existing_folder_keeps_the_retired_one_as_its_spare(site: Path) -> None:
    build(site, pdf=False, jobs=2)
    shutil.rmtree(site / CACHE_DIR)
    old = inodes(site / "_site")
    build(site, pdf=False, jobs=2, clean=True)
    (spare,) = spares(site)
    assert inodes(spare) == old  # the folder the swap retired, not links to the new one
