"""Worker processes reading a site's folders make the same site, errors and caches as one process."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import bilingual.site.frontmatter
from bilingual import build
from bilingual.errors import BilingualError
from bilingual.publish import reading
from bilingual.publish.cache import BuildCache, now_ns, scan_inputs
from bilingual.publish.cache.documents import DocumentCache
from bilingual.publish.cache.entries import EntryCache
from bilingual.site.model import Site
from bilingual.site.reader import SiteReader
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site

POSTS = reading.WORTH_FORKING + 6

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("reading") / "site", POSTS, words=60, search=False)


@pytest.fixture
def site(synthetic: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(synthetic, tmp_path / "site"))


@pytest.fixture
def parsed_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content files parsed by this process (a forked worker counts in its own copy)."""
    found: list[Path] = []
    parse = bilingual.site.frontmatter.document_of

    def counted(path: Path, data: bytes) -> bilingual.site.frontmatter.Document:
        found.append(path)
        return parse(path, data)

    monkeypatch.setattr(bilingual.site.frontmatter, "document_of", counted)
    return found


def load(root: Path, jobs: int) -> tuple[Site, dict[str, object]]:
    """The site as a build loads it with ``jobs``, and the cache files it then saves."""
    cache = BuildCache(root, root / "_site")
    looked_at = now_ns()
    inputs = scan_inputs([root], skip=[cache.folder])
    documents = DocumentCache(cache.folder, inputs, looked_at, use=False)
    entries = EntryCache(cache.folder, inputs, looked_at, "key", use=False)
    site = reading.load_site_cached(root, documents, entries, jobs)
    cache.folder.mkdir(exist_ok=True)
    documents.save()
    entries.save()
    saved = {path.name: json.loads(path.read_text("utf-8")) for path in cache.folder.iterdir()}
    for data in saved.values():
        data.pop("looked_at_ns")
    shutil.rmtree(cache.folder)
    return site, saved


def age(site: Path) -> float:
    """Make the content an hour old, older than a build's look, so that builds trust it."""
    an_hour_ago = time.time() - 3600
    for path in (site / "content").rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    return an_hour_ago


def count_folders_read_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders this process reads from their files from now on (not from the cache)."""
    read: list[Path] = []
    read_entry = SiteReader._read_entry

    def counted(self: SiteReader, kind: str, slug: str, directory: Path, tags: dict) -> object:  # type: ignore[type-arg]
        read.append(directory)
        return read_entry(self, kind, slug, directory, tags)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteReader, "_read_entry", counted)
    return read


def errors_of(action: Callable[[], object]) -> list[str]:
    with pytest.raises(BilingualError) as caught:
        action()
    return str(caught.value).splitlines()


def test_workers_make_the_same_site_and_caches(site: Path, parsed_here: list[Path]) -> None:
    alone, alone_saved = load(site, jobs=1)
    assert len(parsed_here) == 2 * POSTS
    parsed_here.clear()
    shared, shared_saved = load(site, jobs=2)
    assert parsed_here == []  # the workers parsed every file
    assert shared == alone
    assert len(shared.posts) == POSTS
    assert shared_saved == alone_saved


@pytest.mark.parametrize(
    ("folders", "read_here"), [(reading.WORTH_FORKING - 1, True), (reading.WORTH_FORKING, False)]
)
def test_few_folders_are_read_without_workers(
    site: Path, parsed_here: list[Path], folders: int, read_here: bool
) -> None:
    for post in sorted((site / "content/posts").iterdir())[folders:]:
        shutil.rmtree(post)
    load(site, jobs=2)
    assert len(parsed_here) == (2 * folders if read_here else 0)


@pytest.mark.parametrize(("count", "jobs"), [(70, 2), (1000, 2), (5000, 8)])
def test_the_folders_are_shared_out_once_each_in_tasks_that_shrink(count: int, jobs: int) -> None:
    folders = [(f"/site/content/posts/post-{number}", f"post-{number}") for number in range(count)]
    tasks = reading._tasks(folders, jobs)
    assert [folder for task in tasks for folder in task] == folders
    sizes = [len(task) for task in tasks]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= reading.SMALLEST_TASK for size in sizes[:-1])
    # The first tasks keep every worker busy; the last ones are small, so they end together.
    assert sizes[0] == count // (2 * jobs) or count < 4 * jobs * reading.SMALLEST_TASK
    assert sizes[-1] <= reading.SMALLEST_TASK
    assert len(tasks) <= 2 * jobs * 8


def test_a_folder_without_language_files_is_left_out_of_the_cache(site: Path) -> None:
    (site / "content/posts/only-a-picture").mkdir()
    (site / "content/posts/only-a-picture/photo.jpg").write_bytes(b"\xff\xd8\xff")
    shared, saved = load(site, jobs=1)
    assert "only-a-picture" not in {post.slug for post in shared.posts}
    kept = {name for data in saved.values() for name in data.get("entries", {})}
    assert len(kept) == POSTS


def test_folders_with_errors_are_reported_as_without_workers(
    site: Path, parsed_here: list[Path]
) -> None:
    posts = sorted((site / "content/posts").iterdir())
    (posts[3] / "fa.md").write_text("---\ntitle: [unclosed\n---\nمتن\n", encoding="utf-8")
    (posts[40] / "de.md").write_text("---\ntitle: Hallo\n---\nText\n", encoding="utf-8")
    (posts[41] / "en.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (posts[50] / "comments.yaml").write_text("- author: [unclosed\n", encoding="utf-8")
    alone = errors_of(lambda: load(site, jobs=1))
    parsed_here.clear()
    shared = errors_of(lambda: load(site, jobs=2))
    assert shared == alone
    assert len(alone) >= 4
    assert any(str(posts[3] / "fa.md") in line for line in alone)
    assert any(str(posts[50] / "comments.yaml") in line for line in alone)
    # Read again here: the folders with errors, not the others.
    assert {path.parent for path in parsed_here} == {posts[3], posts[40], posts[41], posts[50]}


FAILING: list[str] = []
READ_TASK = reading._read_task


def fails_on_one(folders: list[tuple[str, str]]) -> list[object]:
    """A worker's task that fails for the folder named in FAILING (sent by name: module-level)."""
    if any(name in FAILING for name, _ in folders):
        raise RuntimeError("a worker failed")
    return list(READ_TASK(folders))


def test_a_failing_worker_leaves_its_folders_to_the_build(
    site: Path, parsed_here: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, _ = load(site, jobs=1)
    failing = sorted((site / "content/posts").iterdir())[0]
    FAILING[:] = [str(failing)]
    monkeypatch.setattr(reading, "_read_task", fails_on_one)
    parsed_here.clear()
    try:
        shared, _ = load(site, jobs=2)
    finally:
        FAILING.clear()
    assert shared == alone
    assert 2 <= len(parsed_here) < 2 * POSTS
    assert failing in {path.parent for path in parsed_here}


def test_no_worker_starting_leaves_every_folder_to_the_build(
    site: Path, parsed_here: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, _ = load(site, jobs=1)

    def cannot_fork(*arguments: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", cannot_fork)
    parsed_here.clear()
    shared, _ = load(site, jobs=2)
    assert shared == alone
    assert len(parsed_here) == 2 * POSTS
    assert gc.get_freeze_count() == 0  # the heap is collected again


def test_a_build_after_one_read_by_workers_reads_only_what_changed(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(site)
    build(site, pdf=False, jobs=2)
    read = count_folders_read_here(monkeypatch)
    edited = sorted((site / "content/posts").iterdir())[5]
    with (edited / "en.md").open("a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence.\n")
    result = build(site, pdf=False, jobs=2)
    assert read == [edited]
    assert any(path.endswith(f"{edited.name}/index.html") for path in result.written)


def test_bodies_edited_in_many_folders_are_read_by_workers_and_kept_whole(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    an_hour_ago = age(site)
    build(site, pdf=False, jobs=2)
    posts = sorted((site / "content/posts").iterdir())
    for number, post in enumerate(posts):  # every body, by a search and replace
        text = (post / "en.md").read_text(encoding="utf-8")
        (post / "en.md").write_text(text + f"\nEdited {number}.\n", encoding="utf-8")
        os.utime(post / "en.md", (an_hour_ago + 60, an_hour_ago + 60))
    edited = build(site, pdf=False, jobs=2)
    assert {f"en/posts/{post.name}/index.html" for post in posts} <= edited.written
    read = count_folders_read_here(monkeypatch)
    with (posts[0] / "fa.md").open("a", encoding="utf-8") as handle:
        handle.write("\nیک جملهٔ دیگر.\n")
    build(site, pdf=False, jobs=2)
    assert read == [posts[0]]  # the others come whole from the cache the edit left
    page = (site / f"_site/en/posts/{posts[9].name}/index.html").read_text(encoding="utf-8")
    assert "Edited 9." in page
