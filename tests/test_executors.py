"""Where the rendering happens does not change a byte: in this process, in worker processes, on Dask."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from bilingual import build
from conftest import EXAMPLE, ROOT, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example blog (with its PDFs and cards) and 12 synthetic posts beside its own."""
    root = copy_site(EXAMPLE, tmp_path_factory.mktemp("executors") / "site")
    extra = write_site(tmp_path_factory.mktemp("synthetic") / "site", posts=12, words=120)
    tags = (extra / "content/tags.yaml").read_text(encoding="utf-8")
    with (root / "content/tags.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + tags)
    for post in (extra / "content/posts").iterdir():
        post.rename(root / "content/posts" / post.name)
    return root


@pytest.fixture(scope="module")
def inline(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("inline") / "out"
    result = build(site, out, pdf=True, jobs=1, clean=True)
    assert result.count("pdf") >= 24
    return digest_tree(out)


def test_worker_processes_give_the_same_bytes(
    site: Path, inline: dict[str, str], tmp_path: Path
) -> None:
    result = build(site, tmp_path / "out", pdf=True, jobs=2, clean=True)
    assert result.rendered == {output.path for output in result.outputs}
    assert digest_tree(tmp_path / "out") == inline


def test_a_dask_cluster_gives_the_same_bytes(
    site: Path, inline: dict[str, str], tmp_path: Path
) -> None:
    import distributed  # the test extra installs it

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        result = build(site, tmp_path / "out", pdf=True, executor=address, clean=True)
        assert result.rendered == {output.path for output in result.outputs}
        assert digest_tree(tmp_path / "out") == inline
        # Incremental on Dask too: one post changed, its outputs come back, the rest is linked.
        post = site / "content/posts/post-00004/fa.md"
        original = post.read_text(encoding="utf-8")
        post.write_text(original.replace("\n\n", "\n\nیک جملهٔ تازه.\n\n", 1), encoding="utf-8")
        try:
            again = build(site, tmp_path / "out", pdf=True, executor=address)
            assert "fa/posts/post-00004/post-00004.fa.pdf" in again.rendered
            search = {path for path in again.rendered if "/pagefind/" in path}
            assert search and all(path.startswith("fa/pagefind/") for path in search)
            assert len(again.rendered - search) < 12  # the post, its PDF, the lists and feeds
            fresh = build(site, tmp_path / "fresh", pdf=True, jobs=1)
            assert digest_tree(tmp_path / "out") == digest_tree(fresh.out_dir)
        finally:
            post.write_text(original, encoding="utf-8")


def test_progress_is_reported_per_phase(site: Path, tmp_path: Path) -> None:
    seen: dict[str, list[tuple[int, int]]] = {}
    build(
        site,
        tmp_path / "out",
        pdf=False,
        jobs=2,
        clean=True,
        progress=lambda phase, done, total: seen.setdefault(phase, []).append((done, total)),
    )
    assert set(seen) == {"pages", "cards", "files"}
    for calls in seen.values():
        assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_an_unknown_executor_is_an_error(site: Path, tmp_path: Path) -> None:
    from bilingual.errors import BilingualError

    with pytest.raises(BilingualError, match="unknown executor"):
        build(site, tmp_path / "out", pdf=False, executor="ssh://somewhere", clean=True)
