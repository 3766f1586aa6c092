"""What the cache concludes from stats alone: a folder or file that cannot be looked at is
never taken for unchanged, and the output folder is walked without following links."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bilingual.publish.cache.hashing import digest_bytes
from bilingual.publish.cache.scan import (
    RACY_NS,
    UNSURE,
    folder_stat,
    output_folders,
    scan_inputs,
    scan_output,
    unchanged_files,
    unchanged_folders,
)
from bilingual.publish.cache.state import BuildState, OutputRecord
from bilingual.publish.cache.store import read_json, write_json
from bilingual.publish.writer import FileStat


def test_a_folder_that_became_a_file_is_a_change(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    (folder / "images").mkdir(parents=True)
    recorded = {str(folder / "images"): folder_stat(os.stat(folder / "images"))}
    assert unchanged_folders(recorded)
    (folder / "images").rmdir()
    folder.rmdir()
    folder.write_text("now a file", "utf-8")  # stat of post/images: not a directory
    assert not unchanged_folders(recorded)


def test_a_folder_recorded_missing_must_stay_missing(tmp_path: Path) -> None:
    recorded = {str(tmp_path / "later"): None}
    assert unchanged_folders(recorded)
    (tmp_path / "later").mkdir()
    assert not unchanged_folders(recorded)


def test_a_file_gone_or_unreachable_is_a_change(tmp_path: Path) -> None:
    post = tmp_path / "en.md"
    post.write_text("---\ntitle: Hello\n---\n", "utf-8")
    recorded = {"en.md": FileStat.of(os.stat(post))}
    assert unchanged_files(recorded, str(tmp_path))
    post.unlink()
    assert not unchanged_files(recorded, str(tmp_path))
    post.parent.joinpath("en.md").mkdir()
    (post / "inner").write_text("", "utf-8")
    assert not unchanged_files({"en.md/inner/x": recorded["en.md"]}, str(tmp_path))


def _touch_only_size(post: Path) -> None:
    status = os.stat(post)
    with open(post, "ab") as grown:
        grown.write(b"!")
    os.utime(post, ns=(status.st_atime_ns, status.st_mtime_ns))


def _touch_only_time(post: Path) -> None:
    status = os.stat(post)
    os.utime(post, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def _touch_only_inode(post: Path) -> None:
    status = os.stat(post)
    replacement = post.with_name("replacement")
    replacement.write_bytes(post.read_bytes())
    os.utime(replacement, ns=(status.st_atime_ns, status.st_mtime_ns))
    keep = post.with_name("kept")  # holds the old inode so that it cannot be reused
    os.link(post, keep)
    os.replace(replacement, post)


@pytest.mark.parametrize("change", [_touch_only_size, _touch_only_time, _touch_only_inode])
def test_each_part_of_a_file_stat_tells_a_change(tmp_path: Path, change: Any) -> None:
    post = tmp_path / "en.md"
    post.write_text("---\ntitle: Hello\n---\n", "utf-8")
    recorded = {"en.md": FileStat.of(os.stat(post))}
    change(post)
    after = os.stat(post)
    assert (
        sum(
            (after.st_size, after.st_mtime_ns, after.st_ino)[field] != recorded["en.md"][field]
            for field in range(3)
        )
        == 1
    )  # the change touched one part of the stat only
    assert not unchanged_files(recorded, str(tmp_path))
    assert not unchanged_files({str(post): recorded["en.md"]})


def test_the_output_folder_is_walked_without_following_links(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    (out / "fa" / "posts").mkdir(parents=True)
    (out / "loop").symlink_to(out)  # followed, it would walk the folder again and again
    (out / "outside").symlink_to(tmp_path)
    assert set(output_folders(out)) == {"", "fa", "fa/posts"}


def test_a_linked_output_folder_is_recorded_as_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "_site"
    link.symlink_to(real)
    recorded = output_folders(link)
    assert recorded[""] == folder_stat(os.stat(link, follow_symlinks=False))
    assert unchanged_folders(recorded, str(link), follow=False)


def test_an_output_folder_that_cannot_be_listed_is_unsure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    (out / "fa").mkdir(parents=True)
    listing = os.scandir

    def refused(path: str) -> object:
        if path.endswith("fa"):
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    recorded = output_folders(out)
    monkeypatch.undo()
    assert recorded["fa"] == UNSURE
    assert not unchanged_folders(recorded, str(out), follow=False)  # listed again next time


def test_a_cache_file_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    write_json(blocker / "state.json", {"format": 3})  # no error: the build goes on
    assert read_json(blocker / "state.json") is None
    write_json(tmp_path / "state.json", {"title": "سلام"})
    assert json.loads((tmp_path / "state.json").read_text("utf-8")) == {"title": "سلام"}


def _tree(root: Path, names: list[str]) -> set[str]:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, "utf-8")
    return {str(root / name) for name in names}


def test_a_folder_that_cannot_be_listed_leaves_the_others_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _tree(tmp_path, [f"posts/{n:02d}/en.md" for n in range(12)])
    refused_folder = str(tmp_path / "posts" / "05")
    listing = os.scandir

    def refused(path: str) -> object:
        if path == refused_folder:
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    folders: dict[str, object] = {}
    found = scan_inputs([tmp_path], folders=folders)  # type: ignore[arg-type]
    assert set(found) == expected - {f"{refused_folder}/en.md"}
    assert folders[refused_folder] == UNSURE


def test_a_dangling_link_leaves_the_rest_of_its_folder_read(tmp_path: Path) -> None:
    expected = _tree(tmp_path, [f"post/image-{n:02d}.png" for n in range(30)])
    (tmp_path / "post" / "gone.png").symlink_to(tmp_path / "nowhere.png")
    folders: dict[str, object] = {}
    assert set(scan_inputs([tmp_path], folders=folders)) == expected  # type: ignore[arg-type]
    assert folders[str(tmp_path / "post")] == UNSURE  # listed again by the next build


def test_version_control_caches_and_skipped_folders_are_not_walked(tmp_path: Path) -> None:
    expected = _tree(tmp_path, ["content/posts/a/en.md", "bilingual.toml"])
    _tree(tmp_path, [".git/HEAD", "content/__pycache__/x.pyc", "_site/index.html"])
    assert set(scan_inputs([tmp_path], skip=[tmp_path / "_site"])) == expected


def test_a_link_back_to_a_parent_folder_is_walked_once(tmp_path: Path) -> None:
    expected = _tree(tmp_path, ["content/posts/a/en.md", "content/posts/a/fa.md"])
    (tmp_path / "content/posts/a/again").symlink_to(tmp_path / "content")
    assert set(scan_inputs([tmp_path])) == expected


def test_an_output_folder_that_cannot_be_listed_leaves_the_rest_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"{lang}/posts/{n}/index.html" for lang in ("en", "fa") for n in range(8)]
    _tree(tmp_path, names)
    listing = os.scandir
    refused: list[str] = []

    def refusing_the_first_folder(path: str) -> object:
        if path != str(tmp_path) and not refused:  # whichever is listed first
            refused.append(os.path.relpath(path, tmp_path))
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing_the_first_folder)
    found = scan_output(tmp_path)
    assert set(found) == {name for name in names if not name.startswith(refused[0] + "/")}


def test_a_link_in_the_output_folder_is_listed_as_the_link(tmp_path: Path) -> None:
    _tree(tmp_path, [f"en/{n:02d}.html" for n in range(30)])
    (tmp_path / "en" / "gone.html").symlink_to(tmp_path / "nowhere")
    found = scan_output(tmp_path)
    assert set(found) == {f"en/{n:02d}.html" for n in range(30)} | {"en/gone.html"}
    assert found["en/gone.html"] == FileStat.of(os.lstat(tmp_path / "en" / "gone.html"))


def test_an_output_record_comes_back_from_its_json_row_with_what_it_read() -> None:
    for reads in (("post:hello:fa", "post:older:fa"), (), None):
        record = OutputRecord(
            "fa/index.html",
            "index",
            "html",
            "fa",
            None,
            "f" * 32,
            "d" * 32,
            FileStat(9, 1, 2),
            reads,
        )
        assert OutputRecord.from_row(json.loads(json.dumps(record.row()))) == record


def test_the_changed_inputs_are_those_added_removed_restated_or_racy_and_rewritten(
    tmp_path: Path,
) -> None:
    files = {name: tmp_path / name for name in ("kept.md", "restated.md", "gone.md", "racy.md")}
    for path in files.values():
        path.write_text(path.name, "utf-8")
    stats = {str(path): FileStat.of(os.stat(path)) for path in files.values()}
    racy_digest = digest_bytes(b"racy.md")
    state = BuildState(inputs=dict(stats), racy={str(files["racy.md"]): racy_digest})
    now = {
        **stats,
        str(files["restated.md"]): FileStat(1, 2, 3),
        str(tmp_path / "new.md"): FileStat(4, 5, 6),
    }
    del now[str(files["gone.md"])]
    assert state.changed_inputs(now) == {
        str(files["restated.md"]),
        str(files["gone.md"]),
        str(tmp_path / "new.md"),
    }
    files["racy.md"].write_text("rac!.md", "utf-8")  # same size, maybe the same time stamp
    assert str(files["racy.md"]) in state.changed_inputs(now)


def test_a_build_state_comes_back_from_its_json_as_it_was(tmp_path: Path) -> None:
    record = OutputRecord("index.html", "redirect", "html", None, None, "f", "d", FileStat(1, 2, 3))
    state = BuildState(
        key="k",
        plan="p",
        looked_at_ns=7,
        inputs={str(tmp_path / "en.md"): FileStat(4, 5, 6)},
        racy={str(tmp_path / "en.md"): "d" * 32},
        outputs={record.path: record},
        folders={str(tmp_path): (8, 9), str(tmp_path / "gone"): None},
        output_folders={"": (10, 11), "fa": UNSURE},
    )
    assert BuildState.from_json(json.loads(json.dumps(state.to_json()))) == state


def test_folders_changed_within_a_tick_of_the_look_are_not_recorded(tmp_path: Path) -> None:
    now = 100 * RACY_NS
    settled, fresh = (now - RACY_NS - 1, 12), (now - RACY_NS + 1, 13)
    for folders, kept in (
        ({"a": settled, "gone": None}, True),
        ({"a": settled, "b": fresh}, False),
        (None, False),
    ):
        state = BuildState()
        state.record_inputs({}, now, folders)  # type: ignore[arg-type]
        assert state.folders == (folders if kept else {})
