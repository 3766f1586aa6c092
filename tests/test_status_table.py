"""The translation status table shows mixed-direction titles on a terminal as they read."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from bilingual.cli.status_table import status_tables
from bilingual.i18n.status import ContentStatus, EntryStatus, Translation
from bilingual.text.bidi import visual

# A Persian title that starts with an English name and holds an English date.
PERSIAN_TITLE = "macOS 14.2 روز (July 14, 2015) منتشر شد"
ENGLISH_TITLE = "The deal was signed on ۲۳ تیر ۱۳۹۴ in Vienna"


def content() -> ContentStatus:
    """A Persian-first site: one post not yet in English, one English translation unmarked."""
    return ContentStatus(
        ("fa", "en"),
        (
            EntryStatus(
                "post",
                "macos",
                "fa",
                "hash-1",
                (
                    Translation("fa", "source", PERSIAN_TITLE, None),
                    Translation("en", "missing", None, None),
                ),
            ),
            EntryStatus(
                "post",
                "deal",
                "fa",
                "hash-2",
                (
                    Translation("fa", "source", "توافق در وین امضا شد", None),
                    Translation("en", "unknown", ENGLISH_TITLE, None),
                ),
            ),
        ),
    )


def table(width: int) -> list[str]:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, color_system=None)
    console.print(status_tables(console, [], content()))
    return buffer.getvalue().splitlines()


def cell(lines: list[str], slug: str) -> list[str]:
    """The lines of the title cell of ``slug``'s row, which ends with the slug."""
    body = lines[lines.index(next(line for line in lines if line.startswith("Translations"))) :]
    rows = [re.split("│", line)[1].strip() for line in body if line.startswith("│")]
    end = rows.index(slug)
    start = max((index + 1 for index in range(end) if rows[index] in {"macos", "deal"}), default=0)
    return rows[start:end]


def test_a_persian_title_that_starts_in_english_is_laid_out_right_to_left() -> None:
    lines = table(160)
    assert cell(lines, "macos") == [visual(PERSIAN_TITLE, "rtl")]
    assert visual(PERSIAN_TITLE, "rtl") != visual(PERSIAN_TITLE)  # the first letter is English
    assert cell(lines, "deal") == [visual(ENGLISH_TITLE, "ltr")]


@pytest.mark.parametrize("width", [46, 52, 60, 70])
def test_a_title_is_cut_to_one_line_before_it_is_reordered(width: int) -> None:
    """Folded after reordering, a Persian title would show its last words on the first line."""
    lines = table(width)
    assert all(len(line) <= width for line in lines)
    shown = cell(lines, "macos")
    assert len(shown) == 1
    cuts = {
        visual(PERSIAN_TITLE[:length].rstrip() + "…", "rtl")
        for length in range(len("macOS"), len(PERSIAN_TITLE))
    }
    assert shown[0] in cuts | {visual(PERSIAN_TITLE, "rtl")}  # its start, in reading order
