"""The build replaces only an output folder it made, one build at a time, and says why it won't."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilingual import build
from bilingual.errors import OutputError
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.lock import BuildBusy, BuildLock
from bilingual.publish.writer import STAGING_PREFIX
from conftest import ROOT, SITES, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bilingual", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "x"
    assert cli("new", site).returncode == 0
    return site


@pytest.mark.parametrize(
    "out", ["content", "content/posts", ".", "..", "templates", ".bilingual-cache/out"]
)
def test_an_output_folder_holding_or_inside_the_inputs_is_refused(new_site: Path, out: str) -> None:
    (new_site / "templates").mkdir(exist_ok=True)
    (new_site / "templates" / "mine.html").write_text("{{ 1 }}", encoding="utf-8")
    before = tree(new_site.parent)
    for _ in range(2):  # the second time too: nothing was moved into a cache to lose later
        result = cli("build", new_site, "--out", new_site / out, "--no-pdf")
        assert result.returncode == 1, result.stdout
        assert "output folder" in result.stderr
        assert "Traceback" not in result.stderr
    after = tree(new_site.parent)
    assert {path: digest for path, digest in after.items() if CACHE_DIR not in path} == before


def test_a_folder_with_a_users_file_is_refused_and_the_file_kept(
    new_site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "notes.txt").write_text("my only copy", encoding="utf-8")
    result = cli("build", new_site, "--out", out, "--no-pdf")
    assert result.returncode == 1
    assert (
        f"{out}: the output folder is not empty and was not made by bilingual (notes.txt)"
        in result.stderr
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my only copy"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_users_file_on_another_file_system_is_kept(new_site: Path) -> None:
    shm = Path("/dev/shm")
    assert os.stat(shm).st_dev != os.stat(new_site).st_dev
    out = Path(shm / f"bilingual-out-{os.getpid()}")
    out.mkdir()
    try:
        (out / "keep.txt").write_text("mine", encoding="utf-8")
        assert cli("build", new_site, "--out", out, "--no-pdf").returncode == 1
        assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    finally:
        shutil.rmtree(out)


def test_a_site_built_onto_another_file_system_keeps_no_spare_in_its_cache(
    tmp_path: Path,
) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    near = tmp_path / "near"
    far = Path("/dev/shm") / f"bilingual-far-{os.getpid()}"
    assert os.stat(far.parent).st_dev != os.stat(site).st_dev
    try:
        for _ in range(2):  # the second build retires the first one's folder
            for out in (near, far):
                build(site, out, pdf=False, clean=True)
        spares = sorted(path.name for path in (site / CACHE_DIR).glob("spare-*"))
        assert len(spares) == 1  # the near output's; the far one's was removed
        assert (far / "index.html").is_file() and (near / "index.html").is_file()
    finally:
        shutil.rmtree(far, ignore_errors=True)


def test_an_empty_or_new_folder_is_used_and_then_rebuilt(new_site: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "deeper"):
        first = build(new_site, out, pdf=False)
        second = build(new_site, out, pdf=False, clean=True)
        assert (out / "index.html").is_file()
        assert [o.path for o in first.outputs] == [o.path for o in second.outputs]


def test_an_output_built_before_is_ours_even_without_the_cache(new_site: Path) -> None:
    build(new_site, pdf=False)
    shutil.rmtree(new_site / CACHE_DIR)
    build(new_site, pdf=False)
    (new_site / "_site" / "CNAME").write_text("example.org", encoding="utf-8")
    shutil.rmtree(new_site / CACHE_DIR)
    with pytest.raises(OutputError, match=r"did not write \(CNAME\)"):
        build(new_site, pdf=False)
    assert (new_site / "_site" / "CNAME").read_text(encoding="utf-8") == "example.org"


def test_a_manifest_of_another_tool_does_not_make_a_folder_ours(
    new_site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "app"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "My app", "icons": []}', encoding="utf-8")
    with pytest.raises(OutputError, match="not made by bilingual"):
        build(new_site, out, pdf=False)
    assert (out / "manifest.json").read_text(encoding="utf-8").startswith('{"name"')


def test_a_symbolic_link_as_output_is_refused(new_site: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        build(new_site, tmp_path / "link", pdf=False)


def test_a_second_build_waits_or_refuses_while_one_runs(new_site: Path) -> None:
    with BuildLock(new_site / CACHE_DIR):
        with pytest.raises(
            BuildBusy, match=f"another build of this site is running \\(process {os.getpid()}\\)"
        ):
            build(new_site, pdf=False, wait=0)
        told: list[int | None] = []
        with pytest.raises(BuildBusy):
            build(new_site, pdf=False, wait=0.3, waiting=told.append)
        assert told == [os.getpid()]
    assert not (new_site / "_site").exists()
    build(new_site, pdf=False, wait=0)
    assert (new_site / "_site" / "index.html").is_file()


def test_a_lock_left_by_a_killed_build_is_free(new_site: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from bilingual.publish.lock import BuildLock\n"
                "lock = BuildLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True)\n"
                "time.sleep(600)"
            ),
            str(new_site / CACHE_DIR),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait()
    assert (new_site / CACHE_DIR / "build.lock").read_text() == f"{holder.pid}\n"
    started = time.monotonic()
    result = cli("build", new_site, "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "Waiting" not in result.stderr
    assert time.monotonic() - started < 60


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("big") / "site", posts=300, words=200)


def test_two_builds_at_once_publish_a_whole_site(big_site: Path, tmp_path: Path) -> None:
    first = subprocess.Popen(
        [sys.executable, "-m", "bilingual", "build", str(big_site), "--no-pdf", "--jobs", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(STAGING_PREFIX) for p in big_site.iterdir()):
        assert first.poll() is None and time.monotonic() < deadline, "no staging folder seen"
        time.sleep(0.01)
    second = cli("build", big_site, "--no-pdf", "--jobs", "1")
    assert first.wait(timeout=300) == 0
    assert second.returncode == 0, second.stderr
    assert "Waiting for another build of this site (process" in second.stderr
    reference = build(copy_site(big_site, tmp_path / "copy"), pdf=False, jobs=1)
    assert sorted(tree(big_site / "_site")) == sorted(tree(reference.out_dir))
    assert (big_site / "_site" / "index.html").is_file()


def test_a_half_written_cache_file_is_removed(new_site: Path) -> None:
    build(new_site, pdf=False)
    leftover = new_site / CACHE_DIR / ".build-0123456789abcdef.json.4242.tmp"
    leftover.write_bytes(b"")
    build(new_site, pdf=False, clean=True)
    assert not leftover.exists()


def in_namespace(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root of a new user and mount namespace (mounts stay private)."""
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


def test_a_full_disk_is_a_clear_error_and_the_old_site_stays(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    out = tmp_path / "disk" / "out"
    out.parent.mkdir()
    script = (
        'mount -t tmpfs -o size=4m tmpfs "$1" && "$2" -m bilingual build "$3" --out "$4" '
        '--no-pdf >/dev/null || exit; head -c 10000000 /dev/urandom > "$1/filler" 2>/dev/null; '
        'out="$4"; tree() { (cd "$out" && find . -type f | sort | xargs sha256sum); }; '
        'tree > "$5"; '
        '"$2" -m bilingual build "$3" --out "$4" --no-pdf --clean >/dev/null; '
        'echo "exit=$?"; tree | cmp - "$5" && echo "same site"; ls -A "$1"'
    )
    result = in_namespace(script, out.parent, sys.executable, site, out, tmp_path / "before")
    assert result.stdout.split() == ["exit=1", "same", "site", "filler", "out"], result.stderr
    assert f"{out}: cannot write the output: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_read_only_output_parent_is_a_clear_error(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    parent = tmp_path / "ro"
    parent.mkdir()
    script = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && '
        '"$2" -m bilingual build "$3" --out "$1/out" --no-pdf; echo "exit=$?"'
    )
    result = in_namespace(script, parent, sys.executable, site)
    assert "exit=1" in result.stdout, result.stdout + result.stderr
    assert "cannot write the output: Read-only file system" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_pipe_among_the_inputs_does_not_hang_the_build(new_site: Path) -> None:
    os.mkfifo(new_site / "content" / "notes.fifo")
    result = cli("build", new_site, "--no-pdf")  # the pipe is fresh: its content is compared
    assert result.returncode == 0, result.stderr
    assert cli("build", new_site, "--no-pdf").returncode == 0
