"""The environment key: a build made with other Python or other packages renders everything."""

from __future__ import annotations

import os
import signal
import sys
import sysconfig
from pathlib import Path

import pytest

import bilingual
from bilingual.publish.cache import hashing


@pytest.fixture
def libraries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two site-packages folders (pure and platform), each with a distribution installed."""
    pure, platform = tmp_path / "purelib", tmp_path / "platlib"
    for folder, name in ((pure, "jinja2-3.1.4.dist-info"), (platform, "lxml-5.3.0.dist-info")):
        (folder / name).mkdir(parents=True)
    monkeypatch.setattr(
        sysconfig,
        "get_path",
        lambda kind: str({"purelib": pure, "platlib": platform}[kind]),
    )
    return pure, platform


def test_the_key_changes_with_every_installed_distribution(libraries: tuple[Path, Path]) -> None:
    pure, platform = libraries
    keys = {hashing.environment_key()}
    assert hashing.environment_key() in keys  # the same environment, the same key
    (pure / "jinja2-3.1.4.dist-info").rename(pure / "jinja2-3.1.5.dist-info")
    keys.add(hashing.environment_key())
    (platform / "lxml-5.3.0.dist-info").rename(platform / "lxml-5.4.0.dist-info")
    keys.add(hashing.environment_key())
    (pure / "README.txt").write_text("not a distribution", "utf-8")
    assert hashing.environment_key() in keys
    assert len(keys) == 3


def test_the_key_changes_with_the_toolkit_and_python(
    libraries: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = hashing.environment_key()
    monkeypatch.setattr(bilingual, "__version__", "0.0.0.dev0")
    assert hashing.environment_key() != key
    monkeypatch.undo()
    monkeypatch.setattr(
        sysconfig,
        "get_path",
        lambda kind: str(libraries[0] if kind == "purelib" else libraries[1]),
    )
    monkeypatch.setattr(sys, "version", sys.version + " (patched)")
    assert hashing.environment_key() != key


def test_a_missing_site_packages_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sysconfig, "get_path", lambda kind: str(tmp_path / "missing"))
    assert len(hashing.environment_key()) == 32


class Blocked(Exception):
    """Opening a file took longer than a regular file can."""


def test_a_fifo_has_no_digest_and_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "tags.yaml"
    os.mkfifo(fifo)

    def blocked(signum: int, frame: object) -> None:
        raise Blocked  # not an OSError, which file_digest would take for "no digest"

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        assert hashing.file_digest(fifo) is None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert hashing.file_digest(tmp_path / "missing.yaml") is None
    regular = tmp_path / "bilingual.toml"
    regular.write_bytes(b"[site]\n")
    assert hashing.file_digest(regular) == hashing.digest_bytes(b"[site]\n")
