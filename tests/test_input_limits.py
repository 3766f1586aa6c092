"""Inputs that would hang, exhaust memory or stall the build are refused quickly and clearly."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from lxml import html

from bilingual import BilingualError, build
from bilingual.cli import cli
from bilingual.errors import ContentError, ErrorList
from bilingual.publish.card_shapers import shaper_for
from bilingual.publish.cards import layout_card
from bilingual.publish.views import Text
from bilingual.site.frontmatter import MAX_YAML_VALUES, load_yaml, parse_document
from bilingual.site.inputs import _read_at_most, read_input
from bilingual.text.languages import language
from conftest import SITES, copy_site

NOBODY = 65534
PERSIAN_TITLE = "گزارش نشست شورای شهر تهران دربارهٔ بودجهٔ سال آینده و سپاه پاسداران (IRGC) "


def errors_of(error: BilingualError) -> list[BilingualError]:
    return error.errors if isinstance(error, ErrorList) else [error]


def test_a_fifo_named_like_a_post_does_not_hang_the_build(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    build(site, pdf=False)  # the build cache now knows hello/fa.md as a file
    (site / "content/posts/hello/fa.md").unlink()
    os.mkfifo(site / "content/posts/hello/fa.md")
    os.mkfifo(site / "content/posts/older/de.md")  # not a language: never opened either
    time.sleep(0.1)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bilingual", "build", str(site), "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        f"{site}/content/posts/hello/fa.md: is a named pipe (FIFO), not a regular file"
        in result.stderr
    )


def test_a_huge_content_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    post = site / "content/posts/older/en.md"
    with open(post, "r+b") as handle:  # 64 MB that take no room on disk
        handle.truncate(64 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False)
    assert time.monotonic() - started < 10
    assert [(e.path, e.message) for e in errors_of(caught.value)] == [
        (post, "is too large (64.0 MB; the limit is 32.0 MB)")
    ]


@pytest.mark.parametrize("grown", [70_000, 300_000])
def test_a_file_that_grew_after_its_stat_is_read_whole_or_up_to_the_limit(
    tmp_path: Path, grown: int
) -> None:
    data = bytes(range(256)) * (grown // 256)
    (tmp_path / "grown").write_bytes(data)
    descriptor = os.open(tmp_path / "grown", os.O_RDONLY)
    try:
        read = _read_at_most(descriptor, 100_001, expected=10)
    finally:
        os.close(descriptor)
    assert read == data[:100_001]


def test_a_content_file_is_read_exactly(tmp_path: Path) -> None:
    post = tmp_path / "fa.md"
    post.write_text("---\ntitle: گزارش\n---\n" + "متن ۱۲۳ IRGC\n" * 5000, encoding="utf-8")
    assert read_input(post, None) == post.read_bytes()
    with pytest.raises(ContentError, match="is too large"):
        read_input(post, None, limit=post.stat().st_size - 1)


def billion_laughs(levels: int) -> str:
    lines = ["title: Laughs", "lol1: &lol1 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(2, levels + 1):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_aliases_are_counted_before_anything_is_built(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ContentError) as caught:
        load_yaml(billion_laughs(9), tmp_path / "en.md", first_line=2)
    assert time.monotonic() - started < 5
    assert caught.value.line == 8  # lol6, the first key over the bound counting from the top
    assert f"over {MAX_YAML_VALUES:,} values once its aliases" in caught.value.message
    assert load_yaml(billion_laughs(4), tmp_path / "en.md")["lol4"][8][8][8] == ["lol"] * 9


def test_deeply_nested_yaml_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = "title: Deep\nsummary: " + "[" * 200 + "]" * 200 + "\n"
    with pytest.raises(ContentError, match="nested too deeply") as caught:
        load_yaml(text, tmp_path / "en.md", first_line=2)
    assert caught.value.line == 3


def test_a_large_tags_file_is_within_the_limits(tmp_path: Path) -> None:
    tags = {
        f"tag-{number}": {"en": f"Tag {number}", "fa": f"برچسب {number}"}
        for number in range(20_000)
    }
    path = tmp_path / "tags.yaml"
    path.write_text(yaml.safe_dump(tags, allow_unicode=True), encoding="utf-8")
    assert load_yaml(path.read_text(encoding="utf-8"), path) == tags


def test_a_200000_character_title_fits_the_card_quickly_and_stays_whole_on_the_page(
    tmp_path: Path,
) -> None:
    title = (PERSIAN_TITLE * 3000)[:200_000].strip()
    fa = language("fa")
    started = time.monotonic()
    layout = layout_card(Text("کمینه", fa), Text(title, fa), "minimal.example", fa, shaper_for())
    assert time.monotonic() - started < 5
    lines = [line.text for line in layout.lines[1:-1]]
    assert lines[-1].endswith("\u2026") and title.startswith(lines[0])
    unbroken = "ب" * 200_000  # one word: cut letter by letter
    started = time.monotonic()
    layout = layout_card(Text("کمینه", fa), Text(unbroken, fa), "minimal.example", fa, shaper_for())
    assert time.monotonic() - started < 5
    assert layout.lines[1].text.endswith("\u2026")

    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "content/posts/hello/fa.md").write_text(
        f"---\ntitle: {title}\n---\n\nمتن.\n", encoding="utf-8"
    )
    result = build(site, pdf=False)
    page = html.fromstring((result.out_dir / "fa/posts/hello/index.html").read_bytes())
    assert page.xpath("string(//h1)").strip().replace("\u2066", "").replace("\u2069", "").count(
        "(IRGC)"
    ) == title.count("(IRGC)")
    assert (result.out_dir / "fa/posts/hello/card.png").stat().st_size > 0


# ----- files and folders the build may not read


def open_to_everyone(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)


@pytest.fixture
def shared_site() -> Iterator[Path]:
    """A copy of the minimal site that another user can reach (pytest's tmp_path cannot)."""
    folder = Path(tempfile.mkdtemp(prefix="bilingual-unreadable-", dir="/tmp"))
    try:
        yield copy_site(SITES / "minimal", folder / "site")
    finally:
        open_to_everyone(folder)
        shutil.rmtree(folder)


def as_unprivileged(function: Callable[[], Any]) -> Any:
    """``function()``, run by a user whom file permissions bind: root reads every file, so a
    root test process forks a child that acts as nobody (with the modules it needs already
    imported: nobody may not read root's Python)."""
    if os.geteuid() != 0:
        return function()
    import bilingual.cli.output  # noqa: F401  (the command loads it to report errors)

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.close(read_end)
        try:
            os.setegid(NOBODY)
            os.seteuid(NOBODY)
            outcome = ("value", function())
        except BaseException as error:
            outcome = ("raised", error)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(outcome))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        kind, value = pickle.loads(pipe.read())
    os.waitpid(child, 0)
    if kind == "raised":
        raise value
    return value


def cli_build(site: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", str(site), "--no-pdf"])
    return result.exit_code, result.output


def test_unreadable_files_and_folders_are_named_not_skipped(shared_site: Path) -> None:
    code, output = cli_build(shared_site)
    assert code == 0, output
    open_to_everyone(shared_site.parent)
    published = {p: p.read_bytes() for p in (shared_site / "_site").rglob("*") if p.is_file()}
    post = shared_site / "content/posts/older/en.md"
    folder = shared_site / "content/pages/about"
    post.write_text(
        "---\ntitle: An older post, revised\ndate: 2023-12-31\n---\n\nRevised.\n", encoding="utf-8"
    )
    post.chmod(0o000)
    folder.chmod(0o000)
    code, output = as_unprivileged(lambda: cli_build(shared_site))
    assert code == 1
    assert "Traceback" not in output
    assert f"{post}: cannot be read: permission denied" in output
    assert f"chmod a+r '{post}'" in output
    assert output.count(f"{folder}: cannot read this folder: Permission denied") == 1
    assert {
        p: p.read_bytes() for p in (shared_site / "_site").rglob("*") if p.is_file()
    } == published


def test_parse_document_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "en.md")
    with pytest.raises(ContentError, match="named pipe"):
        parse_document(tmp_path / "en.md")
    (tmp_path / "fa.md").mkdir()
    with pytest.raises(ContentError, match="is a folder, not a regular file"):
        parse_document(tmp_path / "fa.md")
