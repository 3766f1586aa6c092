"""A section folder that is a link is followed inside the site and refused out of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bilingual import build
from bilingual.errors import BilingualError, ErrorList
from conftest import SITES, copy_site


def move_posts(root: Path, to: Path) -> Path:
    """Put the site's posts at ``to`` and link ``content/posts`` to them."""
    section = root / "content/posts"
    shutil.copytree(section, to)
    shutil.rmtree(section)
    section.symlink_to(to)
    return section


def test_posts_in_a_section_linked_out_of_the_site_are_refused_each(tmp_path: Path) -> None:
    root = copy_site(SITES / "minimal", tmp_path / "site")
    folders = sorted(path.name for path in (root / "content/posts").iterdir())
    section = move_posts(root, tmp_path / "outside" / "posts")
    with pytest.raises(BilingualError) as caught:
        build(root, pdf=False)
    errors = caught.value.errors if isinstance(caught.value, ErrorList) else [caught.value]
    assert [(error.path, error.message) for error in errors] == [
        (section / name, f"is a link to {os.path.realpath(section / name)}, outside the site")
        for name in folders
    ]
    assert not (root / "_site").exists()


def test_posts_in_a_section_linked_inside_the_site_are_read(tmp_path: Path) -> None:
    root = copy_site(SITES / "minimal", tmp_path / "site")
    expected = build(root, pdf=False, out_dir=tmp_path / "plain")
    move_posts(root, root / "content" / "archive")
    linked = build(root, pdf=False)
    assert sorted(output.path for output in linked.outputs) == sorted(
        output.path for output in expected.outputs
    )
    assert any("/posts/" in output.path for output in linked.outputs)


def test_a_post_file_linked_to_a_file_inside_the_site_is_read(tmp_path: Path) -> None:
    expected = build(copy_site(SITES / "minimal", tmp_path / "plain"), pdf=False)
    root = copy_site(SITES / "minimal", tmp_path / "site")
    post = next(path for path in sorted((root / "content/posts").iterdir()) if path.is_dir())
    kept = root / "drafts" / "en.md"
    kept.parent.mkdir()
    (post / "en.md").rename(kept)
    (post / "en.md").symlink_to(kept)
    linked = build(root, pdf=False)
    assert [output.path for output in linked.outputs] == [
        output.path for output in expected.outputs
    ]
    page = next(output.path for output in linked.outputs if f"/{post.name}/" in output.path)
    assert (root / "_site" / page).read_bytes() == (tmp_path / "plain/_site" / page).read_bytes()
