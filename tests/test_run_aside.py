"""Work done in a forked copy of the build: done once, waited for, and done again if it failed."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import bilingual.publish.build as build_module
from bilingual import build
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.workers import can_fork, run_aside
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site as write_synthetic

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers are forked only on Linux")


def writing_pid(path: Path, delay: float = 0.0) -> Callable[[], None]:
    def work() -> None:
        time.sleep(delay)
        with path.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")

    return work


@needs_fork
def test_work_runs_once_in_a_copy_and_is_waited_for(tmp_path: Path) -> None:
    done = tmp_path / "done"
    wait = run_aside(writing_pid(done, delay=0.3), fork=True)
    assert not done.exists()  # this process went on at once
    wait()
    [pid] = done.read_text(encoding="utf-8").split()
    assert pid != str(os.getpid())


def test_without_forking_work_is_done_here_before_returning(tmp_path: Path) -> None:
    done = tmp_path / "done"
    wait = run_aside(writing_pid(done), fork=False)
    assert done.read_text(encoding="utf-8").split() == [str(os.getpid())]
    wait()
    assert done.read_text(encoding="utf-8").split() == [str(os.getpid())]


@needs_fork
def test_work_that_failed_in_the_copy_fails_here_with_its_own_error(tmp_path: Path) -> None:
    tries = tmp_path / "tries"

    def work() -> None:
        with tries.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        raise ValueError("no room left")

    wait = run_aside(work, fork=True)
    with pytest.raises(ValueError, match="no room left"):
        wait()
    pids = tries.read_text(encoding="utf-8").split()
    assert len(pids) == 2
    assert pids[1] == str(os.getpid()) != pids[0]


@needs_fork
def test_a_copy_leaves_this_process_buffered_output_alone(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    print("said once", end="")  # still in this process's buffer when it forks
    run_aside(writing_pid(tmp_path / "done"), fork=True)()
    assert capfd.readouterr().out == "said once"


@needs_fork
def test_a_build_failing_after_its_caches_went_aside_waits_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_synthetic(tmp_path / "site", posts=40, words=20)

    def failing(*args: object) -> object:
        raise RuntimeError("disk gone")

    forked: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        child = fork()
        if child:
            forked.append(child)
        return child

    monkeypatch.setattr(build_module, "_place_manifest", failing)
    monkeypatch.setattr(os, "fork", recorded_fork)
    with pytest.raises(RuntimeError, match="disk gone"):
        build(site, pdf=False, jobs=2)
    assert len(forked) >= 3  # two workers, one copy saving the caches
    for child in forked:
        with pytest.raises(ChildProcessError):  # waited for already: none still running
            os.waitpid(child, os.WNOHANG)
    assert sorted(path.name for path in (site / CACHE_DIR).glob("entries-*.json"))
