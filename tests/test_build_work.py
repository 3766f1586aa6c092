"""How a build shares out and writes its work (tasks of one phase, new files, card lines drawn
as Pillow draws text) and how it tells that nothing changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, features

from bidi_oracle import corpus
from bilingual import OutputError, build
from bilingual.publish import cards
from bilingual.publish.cache import scan, state
from bilingual.publish.card_shapers import Engine, Line, shaper_for
from bilingual.publish.executors import chunks
from bilingual.publish.plan import Output, phase
from bilingual.publish.writer import write_file
from bilingual.text.languages import language
from conftest import SITES, copy_site

FA, EN = language("fa"), language("en")
ENGINES: list[Engine] = ["raqm", "basic"] if features.check("raqm") else ["basic"]


def post_and_card(number: int, lang: str) -> list[Output]:
    folder = f"{lang}/posts/report-{number}"
    return [
        Output("post", f"{folder}/index.html", "html", lang, f"report-{number}"),
        Output("card", f"{folder}/card.png", "card", lang, f"report-{number}"),
    ]


def test_pages_and_cards_in_turn_go_out_in_few_tasks_each_of_one_phase() -> None:
    outputs = [
        output
        for number in range(1000)
        for lang in ("en", "fa")
        for output in post_and_card(number, lang)
    ]
    tasks = chunks(outputs, range(len(outputs)), jobs=2)

    assert sorted(index for task in tasks for index in task) == list(range(len(outputs)))
    assert all(len({phase(outputs[index]) for index in task}) == 1 for task in tasks)
    assert len(tasks) < 200  # 4,000 outputs: one per task would cost more than rendering them
    pages = [index for task in tasks for index in task if outputs[index].renderer == "html"]
    assert pages == sorted(pages)  # within a phase, the plan's order (newest posts first)


def test_a_new_file_gets_its_folders_and_a_linked_one_is_replaced_not_written_through(
    tmp_path: Path,
) -> None:
    published = tmp_path / "site/en/index.html"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"<p>old</p>")
    staged = tmp_path / "staging/en/index.html"
    staged.parent.mkdir(parents=True)
    staged.hardlink_to(published)

    stat = write_file(staged, "<p>تازه</p>".encode())
    fresh = write_file(tmp_path / "staging/fa/posts/گزارش/card.png", b"\x89PNG")

    assert published.read_bytes() == b"<p>old</p>"
    assert staged.read_bytes() == "<p>تازه</p>".encode()
    assert stat.inode == staged.stat().st_ino != published.stat().st_ino
    assert (tmp_path / "staging/fa/posts/گزارش/card.png").read_bytes() == b"\x89PNG"
    assert fresh.size == 4


def drawn_by_pillow(line: Line, anchor: str, engine: Engine) -> Image.Image:
    """``line`` drawn by ImageDraw.text on black, cropped to its ink box as Pillow measures it."""
    shaper = shaper_for(engine)
    canvas = Image.new("L", (12_000, 400), 0)
    origin = (6000, 200)
    shaper.draw(ImageDraw.Draw(canvas), origin, line, anchor, 255)
    stamp = cards._stamp(engine, line, anchor)
    assert stamp is not None
    left, top = origin[0] + stamp.left, origin[1] + stamp.top
    outside = canvas.copy()
    outside.paste(0, (left, top, left + stamp.mask.width, top + stamp.mask.height))
    assert outside.getbbox() is None, "ink outside the stamp"
    return canvas.crop((left, top, left + stamp.mask.width, top + stamp.mask.height))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_card_line_is_stamped_with_the_pixels_pillow_draws(engine: Engine) -> None:
    sentences = [sentence.text for sentence in corpus()][:40]
    lines = [
        Line(text, lang, size, True, 0, cards.INK)
        for text in sentences
        for lang in (FA, EN)
        for size in (72, 44)
    ]
    lines.append(Line("خبرهای ساختگی", FA, cards.SITE_TITLE_SIZE, True, 0, cards.ACCENT))
    for line in lines:
        anchor = "ra" if line.lang.is_rtl else "la"
        reference = drawn_by_pillow(line, anchor, engine).tobytes()
        stamp = cards._stamp(engine, line, anchor)
        assert stamp is not None
        tints = bytes(cards._TINTS[line.color][value] for value in reference)
        # ink too faint for the palette's lightest shade leaves the paper as it is
        inked = bytes(0 if tint == cards.PAPER_INDEX else 255 for tint in tints)
        assert stamp.mask.tobytes() == inked, line.text
        assert stamp.tinted.tobytes() == tints, line.text


def test_a_line_without_ink_has_no_stamp() -> None:
    assert cards._stamp(ENGINES[0], Line("   ", FA, 72, True, 0, cards.INK), "ra") is None


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal site, built once, its files taken as older than a time stamp's tick."""
    monkeypatch.setattr(scan, "RACY_NS", 0)
    monkeypatch.setattr(state, "RACY_NS", 0)
    site = copy_site(SITES / "minimal", tmp_path / "سایت")
    build(site, pdf=False, jobs=1)
    return site


def listed_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every folder os.scandir lists from now on."""
    listed: list[str] = []
    real = os.scandir

    def listing(path: Any = ".") -> Any:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", listing)
    return listed


def test_nothing_changed_is_told_by_stats_alone_without_listing_a_folder(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = listed_folders(monkeypatch)
    result = build(settled, pdf=False, jobs=1)
    assert not result.rendered and not result.written
    # only its own cache folder, for what a killed build may have left there
    assert [path for path in listed if Path(path).name != ".bilingual-cache"] == []
    assert "fa/index.html" in {output.path for output in result.outputs}


@pytest.mark.parametrize("where", ["fa/posts/hello", "fa", ""])
def test_a_file_added_by_hand_deep_in_the_output_is_seen(settled: Path, where: str) -> None:
    stray = settled / "_site" / where / "نوشته.html"
    stray.write_text("<p>دستی</p>", encoding="utf-8")
    with pytest.raises(OutputError, match=r"نوشته\.html"):
        build(settled, pdf=False, jobs=1)
    assert stray.read_text(encoding="utf-8") == "<p>دستی</p>"


def test_a_page_edited_by_hand_in_place_is_put_back(settled: Path) -> None:
    page = settled / "_site/fa/index.html"
    published = page.read_bytes()
    with open(page, "r+b") as handle:  # same inode, same size: only the time stamp moves
        handle.write(b"<!-- -->"[: len(published)])
    build(settled, pdf=False, jobs=1)
    assert page.read_bytes() == published


def test_a_new_post_folder_and_a_new_language_file_are_built(settled: Path) -> None:
    source = settled / "content/posts/hello"
    copy = source.parent / "hello-again"
    shutil.copytree(source, copy)
    build(settled, pdf=False, jobs=1)
    assert (settled / "_site/fa/posts/hello-again/index.html").is_file()
