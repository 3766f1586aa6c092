"""A staging folder reused from the last build ends up holding exactly the new site, and no more."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilingual.publish import writer
from bilingual.publish.cache.scan import scan_output
from bilingual.publish.writer import STAGING_PREFIX, FileStat, link_file, staged, write_file

POST_A = "en/posts/heidari/index.html"
POST_B = "en/posts/green-embassy/index.html"
PERSIAN = "fa/posts/heidari/index.html"
OLD_TAG = "fa/tags/old-tag/index.html"
OLD_SITE = {
    POST_A: b"<h1>Heidari</h1>",
    POST_B: b"<h1>Green Embassy</h1>",
    PERSIAN: "<h1>حیدری</h1>".encode(),
    OLD_TAG: b"<ul></ul>",
}


def contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def folders(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_dir()
    )


def publish(out: Path, spare: Path, files: dict[str, bytes]) -> None:
    """Publish ``files`` the way a build does: stage into the spare, prune, write."""
    with staged(out, spare, scan_output) as staging:
        staging.prune(set(files))
        for relative, data in files.items():
            staging.write(relative, data)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_deleted_post_and_its_emptied_folders_are_gone_from_the_next_output(
    tmp_path: Path,
) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "spare"
    publish(out, spare, OLD_SITE)
    publish(out, spare, OLD_SITE)  # the second output is staged in the first one's folder
    kept = {POST_A: OLD_SITE[POST_A], PERSIAN: OLD_SITE[PERSIAN]}
    publish(out, spare, kept)
    assert contents(out) == kept
    assert folders(out) == [
        "en",
        "en/posts",
        "en/posts/heidari",
        "fa",
        "fa/posts",
        "fa/posts/heidari",
    ]


def test_a_file_gone_from_the_spare_before_pruning_is_no_error(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "spare"
    publish(out, spare, OLD_SITE)
    publish(out, spare, OLD_SITE)
    with staged(out, spare, scan_output) as staging:
        (staging.root / POST_B).unlink()  # listed in the spare, then removed by someone else
        staging.prune({POST_A})
        staging.write(POST_A, b"<h1>Heidari</h1>")
    assert contents(out) == {POST_A: b"<h1>Heidari</h1>"}


def test_keep_brings_in_a_changed_file_and_leaves_an_unchanged_one(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "spare"
    publish(out, spare, OLD_SITE)
    publish(out, spare, OLD_SITE)
    sources = tmp_path / "rendered"
    changed = sources / "b.html"
    changed.parent.mkdir()
    changed.write_bytes(b"<h1>Green Embassy, edited</h1>")
    with staged(out, spare, scan_output) as staging:
        unchanged = staging.root / POST_A
        same = FileStat.of(unchanged.stat())
        assert staging.keep(POST_A, unchanged, same) == same
        kept = staging.keep(POST_B, changed, FileStat.of(changed.stat()))
        assert kept.inode == changed.stat().st_ino
    assert contents(out)[POST_B] == b"<h1>Green Embassy, edited</h1>"
    assert contents(out)[POST_A] == OLD_SITE[POST_A]


def test_every_spare_holds_the_site_it_replaced(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "builds" / "spare"
    versions = [{POST_A: f"<h1>version {number}</h1>".encode()} for number in range(4)]
    for number, version in enumerate(versions):
        publish(out, spare, version)
        assert contents(out) == version
        if number:
            assert contents(spare) == versions[number - 1]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "out"]


@pytest.mark.parametrize("cache_exists", [False, True], ids=["no-cache-yet", "cache"])
def test_leftovers_of_killed_builds_are_reused_or_removed(
    tmp_path: Path, cache_exists: bool
) -> None:
    out, spare = tmp_path / "out", tmp_path / "cache" / "builds" / "spare"
    if cache_exists:
        spare.parent.mkdir(parents=True)
    for name in ("1234-a", "5678-b"):
        leftover = tmp_path / f"{STAGING_PREFIX}out-{name}"
        (leftover / "en").mkdir(parents=True)
        (leftover / "en/half-written.html").write_bytes(b"<h1>Hei")
    publish(out, spare, {POST_A: OLD_SITE[POST_A]})
    assert contents(out) == {POST_A: OLD_SITE[POST_A]}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "out"]


def test_without_an_atomic_exchange_the_output_is_still_replaced_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where renameat2 is missing, the old folder is renamed away, then the new one in.
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    out, spare = tmp_path / "out", tmp_path / "cache" / "spare"
    publish(out, spare, OLD_SITE)
    publish(out, spare, {POST_A: b"<h1>new</h1>"})
    assert contents(out) == {POST_A: b"<h1>new</h1>"}
    assert contents(spare) == OLD_SITE
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "out"]


def test_the_staging_folder_is_a_hidden_sibling_and_the_output_is_world_readable(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    with staged(out) as staging:
        assert staging.root.parent == tmp_path
        assert staging.root.name.startswith(f"{STAGING_PREFIX}out-")
        staging.write("index.html", b"<p>hello</p>")
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_written_files_are_new_files_readable_by_all(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "site/en/index.html"
    first = write_file(target, b"<p>one</p>")
    linked = tmp_path / "elsewhere.html"
    os.link(target, linked)
    second = write_file(target, "<p>دو</p>".encode())
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert linked.read_bytes() == b"<p>one</p>", "a hard link was written through"
    assert second != first and second == FileStat.of(target.stat())
    stats = target.stat()
    assert second == (stats.st_size, stats.st_mtime_ns, stats.st_ino)


def test_link_file_shares_the_source_and_replaces_what_was_there(tmp_path: Path) -> None:
    source = tmp_path / "source.html"
    source.write_bytes(b"<p>source</p>")
    target = tmp_path / "site/en/deep/index.html"
    assert link_file(source, target).inode == source.stat().st_ino
    other = tmp_path / "other.html"
    other.write_bytes(b"<p>other</p>")
    assert link_file(other, target).inode == other.stat().st_ino
    assert target.read_bytes() == b"<p>other</p>"


def test_link_file_copies_where_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source.html"
    source.write_bytes(b"<p>source</p>")
    os.utime(source, ns=(1_262_304_000_000_000_000, 1_262_304_000_000_000_000))

    def refuse(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "site/en/index.html"
    copied = link_file(source, target)
    assert target.read_bytes() == b"<p>source</p>"
    assert copied.inode != source.stat().st_ino
    assert copied.mtime_ns == source.stat().st_mtime_ns, "the copy keeps the source's time"
