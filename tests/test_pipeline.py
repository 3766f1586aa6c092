"""The publish pipeline's promises that only show over several builds or at one instant.

The output folder is swapped in whole (a reader never finds it missing or half old), a post
deleted from the site leaves the published folder, a PDF follows the images beside its post,
a feed is rendered again exactly when a post it lists changes, and no module of the pipeline
imports another that imports it back.
"""

from __future__ import annotations

import ast
import graphlib
import hashlib
import io
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from bilingual import build, load_site
from bilingual.publish.renderers import feed
from conftest import ROOT, SITES, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site

DESTRUCTIVE_EVENTS = frozenset(
    {"os.rename", "os.remove", "os.rmdir", "shutil.rmtree", "shutil.move"}
)


def files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ----- the swap: one step, never delete then rename


class FolderWatch:
    """Check the output folder at every rename or removal Python makes (an audit hook)."""

    installed = False
    current: FolderWatch | None = None

    def __init__(self, folder: Path, marker: str) -> None:
        self.folder = folder
        self.marker = marker  # a file every complete version of the folder holds
        self.events = 0
        self.missing: list[str] = []
        self.checking = False

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        watch = cls.current
        if watch is None or watch.checking or event not in DESTRUCTIVE_EVENTS:
            return
        watch.checking = True
        try:
            watch.events += 1
            if not (watch.folder / watch.marker).is_file():
                watch.missing.append(f"{event}{args!r}")
        finally:
            watch.checking = False

    def __enter__(self) -> FolderWatch:
        if not FolderWatch.installed:
            sys.addaudithook(FolderWatch.hook)  # audit hooks stay for the process's life
            FolderWatch.installed = True
        FolderWatch.current = self
        return self

    def __exit__(self, *exc: object) -> None:
        FolderWatch.current = None


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return copy_site(SITES / "minimal", tmp_path / "site")


def test_the_published_folder_is_never_missing_while_a_build_replaces_it(
    minimal: Path, tmp_path: Path
) -> None:
    out = minimal / "_site"
    build(minimal, pdf=False, jobs=1)
    edit(minimal / "content/posts/hello/fa.md", "نوشته شد.", "نوشته شد و بازنویسی شد.")
    with FolderWatch(out, "fa/posts/hello/index.html") as watch:
        result = build(minimal, pdf=False, jobs=1)
    assert "fa/posts/hello/index.html" in result.written
    # Renames and removals happened (staging, swap, retiring the old folder), and before
    # each one the published folder was there, whole.
    assert watch.events > 0
    assert watch.missing == []
    assert "بازنویسی" in (out / "fa/posts/hello/index.html").read_text(encoding="utf-8")
    fresh = build(minimal, tmp_path / "fresh", pdf=False, jobs=1, clean=True)
    assert files(out) == files(fresh.out_dir)


# ----- a deleted post leaves the published folder


def test_a_deleted_post_is_unpublished_when_the_build_reuses_an_old_folder(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", posts=6, words=60)
    out = site / "_site"
    build(site, pdf=False, jobs=1)
    # A second build retires the first one's folder to the cache: the third build stages
    # into that folder, which still holds every file of the first build.
    edit(site / "content/posts/post-00001/fa.md", "\n\n", "\n\nیک جملهٔ تازه.\n\n")
    build(site, pdf=False, jobs=1)
    assert any(path.name.startswith("spare-") for path in (site / ".bilingual-cache").iterdir())
    gone = load_site(site).entry("post-00003")
    assert gone is not None and (out / "fa/posts/post-00003/index.html").is_file()
    shutil.rmtree(site / "content/posts/post-00003")

    result = build(site, pdf=False, jobs=1)

    published = set(files(out))
    assert not any("post-00003" in path for path in published), sorted(published)
    assert published == {output.path for output in result.outputs} | {"manifest.json"}
    fresh = build(site, tmp_path / "fresh", pdf=False, jobs=1, clean=True)
    assert files(out) == files(fresh.out_dir)


# ----- a PDF follows the images beside its post


def solid_png(color: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (48, 32), color)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def embedded_colors(pdf: Path) -> list[tuple[int, ...]]:
    """The colour of the middle pixel of each image in the PDF."""
    colors = []
    for page in PdfReader(pdf).pages:
        for found in page.images:
            assert found.image is not None
            image = found.image.convert("RGB")
            pixel = image.getpixel((image.width // 2, image.height // 2))
            assert isinstance(pixel, tuple)
            colors.append(pixel)
    return colors


@pytest.mark.slow
def test_a_pdf_is_made_again_when_an_image_beside_its_post_changes(
    minimal: Path, tmp_path: Path
) -> None:
    post = minimal / "content/posts/hello"
    (post / "map.png").write_bytes(solid_png((200, 30, 30)))
    edit(post / "en.md", "First paragraph", "![Map of the district](map.png)\n\nFirst paragraph")
    build(minimal, pdf=True, jobs=1)
    pdf = minimal / "_site/en/posts/hello/hello.en.pdf"
    assert embedded_colors(pdf) == [(200, 30, 30)]

    (post / "map.png").write_bytes(solid_png((30, 30, 200)))  # the same name, a new image
    result = build(minimal, pdf=True, jobs=1)

    # Both languages' PDFs may embed the post's files; the pages only link the image.
    assert result.rendered == {
        "en/posts/hello/hello.en.pdf",
        "fa/posts/hello/hello.fa.pdf",
        "en/posts/hello/map.png",
        "fa/posts/hello/map.png",
    }
    assert embedded_colors(pdf) == [(30, 30, 200)]


# ----- a feed and the posts it lists


def newest(site: Path, lang: str, position: int) -> Path:
    post = load_site(site).posts_in(lang)[position]
    return Path(site, "content/posts", post.slug, f"{lang}.md")


@pytest.mark.parametrize("size", [feed.FEED_SIZE, 4])
def test_a_feed_is_made_again_exactly_when_a_post_it_lists_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """The feed renderer's own list of posts decides both what the feed shows and when it is
    made again: with any feed size, the last post listed counts and the next one does not."""
    monkeypatch.setattr(feed, "FEED_SIZE", size)
    feed_site = write_site(tmp_path / "site", posts=size + 2, words=40)
    build(feed_site, pdf=False, jobs=1)
    shown = size

    edit(newest(feed_site, "en", shown - 1), "\n\n", "\n\nA new last sentence.\n\n")
    result = build(feed_site, pdf=False, jobs=1)
    assert "en/feed.xml" in result.written
    feed_text = (feed_site / "_site/en/feed.xml").read_text(encoding="utf-8")
    assert feed_text.count("<entry>") == shown
    assert "A new last sentence." in feed_text

    edit(newest(feed_site, "en", shown), "\n\n", "\n\nAn unlisted sentence.\n\n")
    result = build(feed_site, pdf=False, jobs=1)
    assert (
        "en/posts/" + newest(feed_site, "en", shown).parent.name + "/index.html" in result.written
    )
    assert "en/feed.xml" not in result.rendered
    assert "An unlisted sentence." not in (feed_site / "_site/en/feed.xml").read_text(
        encoding="utf-8"
    )

    fresh = build(feed_site, tmp_path / "fresh", pdf=False, jobs=1, clean=True)
    assert files(feed_site / "_site") == files(fresh.out_dir)


# ----- imports


def publish_imports() -> Iterator[tuple[str, str]]:
    """(module, module it imports) within bilingual.publish, lazy imports included and imports
    made for type checking only left out."""
    package = ROOT / "src"
    for path in sorted((package / "bilingual/publish").rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        checked = {
            id(node)
            for top in ast.walk(tree)
            if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
            for node in ast.walk(top)
        }
        for node in ast.walk(tree):
            if id(node) in checked:
                continue
            if isinstance(node, ast.ImportFrom) and node.module:
                yield from ((name, target) for target in _targets(node))
            elif isinstance(node, ast.Import):
                yield from ((name, alias.name) for alias in node.names)


def _targets(node: ast.ImportFrom) -> list[str]:
    module = node.module or ""
    # `from bilingual.publish import urls` imports the module urls.
    return [
        f"{module}.{alias.name}" if module == "bilingual.publish" else module
        for alias in node.names
    ]


def test_the_publish_package_has_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in publish_imports():
        if target.startswith("bilingual.publish") and target != source:
            graph.setdefault(source, set()).add(target)
    assert "bilingual.publish.executors" in graph["bilingual.publish.build"]  # lazy, counted
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")
