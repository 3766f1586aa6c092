"""The one atomic writer: modes kept, new files by the umask, nothing left behind on failure."""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from bilingual.atomic import stage, write_atomically

TAGS = "iran-news:\n  en: Iran news\n  fa: اخبار ایران\n"


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_file_keeps_its_mode_whatever_the_umask(tmp_path: Path) -> None:
    public = tmp_path / "tags.yaml"
    public.write_text("old: {}\n", "utf-8")
    public.chmod(0o644)
    private = tmp_path / "subscribers.csv"
    private.write_text("address\n", "utf-8")
    private.chmod(0o600)
    previous = os.umask(0o077)  # a umask that would make any new file private
    try:
        write_atomically(public, TAGS.encode())
        write_atomically(private, b"address,language\nreza@example.org,fa\n")
    finally:
        os.umask(previous)
    assert mode(public) == 0o644
    assert public.read_text("utf-8") == TAGS
    assert mode(private) == 0o600
    assert private.read_bytes().endswith(b"reza@example.org,fa\n")


def test_a_new_file_is_0644_under_the_usual_umask(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "locales" / "fa" / "LC_MESSAGES" / "messages.po"
    write_atomically(path, 'msgid "Home"\nmsgstr "خانه"\n'.encode())
    assert mode(path) == 0o644
    assert path.read_text("utf-8").endswith('msgstr "خانه"\n')


def test_a_new_file_follows_a_stricter_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "pamphlet.pdf", b"%PDF-1.7\n")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "pamphlet.pdf") == 0o640


def test_a_caller_may_ask_for_a_private_new_file(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "subscribers.csv"
    write_atomically(path, b"address\n", new_mode=0o600)
    assert mode(path) == 0o600
    path.chmod(0o640)  # the owner chose to share it: the next write keeps that
    write_atomically(path, b"address\nmina@example.org\n", new_mode=0o600)
    assert mode(path) == 0o640


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "fa.md"
    path.write_text("---\ntitle: سلام\n---\n", "utf-8")

    def half_then_fail(stream: BinaryIO) -> None:
        stream.write(b"---\ntitle: ")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_atomically(path, half_then_fail)
    assert path.read_text("utf-8") == "---\ntitle: سلام\n---\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fa.md"]


def test_a_failing_rename_leaves_no_temporary(tmp_path: Path) -> None:
    in_the_way = tmp_path / "tags.yaml"
    (in_the_way / "inside").mkdir(parents=True)  # a non-empty folder cannot be replaced
    with pytest.raises(OSError):
        write_atomically(in_the_way, TAGS.encode())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tags.yaml"]
    assert in_the_way.is_dir()


def test_staged_content_is_complete_before_the_rename(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "en.md"
    path.write_text("old\n", "utf-8")
    path.chmod(0o640)
    temporary = stage(path, b"new\n")
    assert temporary.parent == tmp_path and temporary.name.startswith(".en.md.")
    assert temporary.read_bytes() == b"new\n" and mode(temporary) == 0o640
    assert path.read_text("utf-8") == "old\n"  # untouched until the caller renames
    os.replace(temporary, path)
    assert path.read_text("utf-8") == "new\n" and mode(path) == 0o640


def test_a_name_at_the_file_system_limit_can_be_written(tmp_path: Path) -> None:
    name = "ا" * 124 + ".pdf"  # 252 bytes: the temporary's name cannot repeat it
    write_atomically(tmp_path / name, b"%PDF-1.7\n")
    assert (tmp_path / name).read_bytes() == b"%PDF-1.7\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


# Modules that rename on their own: whole folders (the output swap, search bundles), and the
# importer's files staged by ``stage`` and renamed all together.
RENAMES_FOLDERS_OR_STAGED = {
    "atomic.py",
    "publish/writer.py",
    "publish/search.py",
    "importers/writing.py",
}


def test_no_other_module_writes_through_its_own_temporary_file() -> None:
    package = Path(__file__).resolve().parent.parent / "src" / "bilingual"
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"replace", "rename", "mkstemp", "NamedTemporaryFile"}
                and isinstance(node.value, ast.Name)
                and node.value.id in {"os", "tempfile"}
            ):
                found.add(path.relative_to(package).as_posix())
    assert found <= RENAMES_FOLDERS_OR_STAGED, found - RENAMES_FOLDERS_OR_STAGED


def test_front_matter_edits_keep_the_file_mode(tmp_path: Path) -> None:
    from bilingual.i18n.status import set_front_matter

    path = tmp_path / "fa.md"
    path.write_text("---\ntitle: تنها راه پیش رو\n---\n\nمتن.\n", "utf-8")
    path.chmod(0o644)
    previous = os.umask(0o077)
    try:
        set_front_matter(path, "translation_of", "en:0123456789ab")
    finally:
        os.umask(previous)
    assert mode(path) == 0o644
    assert path.read_text("utf-8") == (
        "---\ntitle: تنها راه پیش رو\ntranslation_of: en:0123456789ab\n---\n\nمتن.\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["fa.md"]
