"""The output folder is replaced in one step, survives interrupted builds, and is reproducible."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilingual import build
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.writer import STAGING_PREFIX, staged
from conftest import ROOT, SITES, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".") and p.name != CACHE_DIR]


def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    first = build(
        copy_site(SITES / "minimal", tmp_path / "a" / "site"),
        tmp_path / "one",
        pdf=True,
        clean=True,
    )
    second = build(
        copy_site(SITES / "minimal", tmp_path / "b" / "site"),
        tmp_path / "two",
        pdf=True,
        clean=True,
    )
    assert first.count("pdf") == second.count("pdf") > 0
    assert digest_tree(tmp_path / "one") == digest_tree(tmp_path / "two")


def test_a_failed_render_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged(out) as staging:
        staging.write("a.txt", b"old")
    with pytest.raises(RuntimeError), staged(out) as staging:
        staging.write("a.txt", b"half-written")
        raise RuntimeError("renderer crashed")
    assert digest_tree(out) == {"a.txt": hashlib.sha256(b"old").hexdigest()}
    assert leftovers(tmp_path) == []


def start_build(site: Path) -> subprocess.Popen[bytes]:
    # --clean: everything is rendered again, so the build is still running when interrupted
    return subprocess.Popen(
        [sys.executable, "-m", "bilingual", "build", str(site), "--no-pdf", "--clean"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_staging(site: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in site.iterdir() if p.name.startswith(STAGING_PREFIX)]
        with contextlib.suppress(FileNotFoundError):  # the build prunes the folder meanwhile
            if staging and sum(1 for _ in staging[0].rglob("*.html")) > 20:
                return
        time.sleep(0.02)
    pytest.fail("the build finished before it could be interrupted")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("big") / "site", posts=400, words=300)
    build(site, pdf=False)
    return site


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_build_leaves_the_previous_site_intact(big_site: Path, signum: int) -> None:
    before = digest_tree(big_site / "_site")
    (big_site / "content/posts/post-00000/en.md").write_text(
        "---\ntitle: Changed\ndate: 2009-06-12\n---\n\nNew text.\n", encoding="utf-8"
    )
    process = start_build(big_site)
    try:
        wait_for_staging(big_site, process)
        os.kill(process.pid, signum)
        process.wait(timeout=60)
    finally:  # a build left running would hold the lock for the next test's
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert digest_tree(big_site / "_site") == before
    if signum != signal.SIGKILL:
        assert b"interrupted" in process.stderr.read()  # type: ignore[union-attr]
        assert leftovers(big_site) == []
    else:
        # Nothing can clean up after SIGKILL; the next build removes what was left.
        build(big_site, pdf=False)
        assert leftovers(big_site) == []
        assert "Changed" in (big_site / "_site/en/posts/post-00000/index.html").read_text("utf-8")
