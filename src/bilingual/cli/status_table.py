"""Turn translation status into Rich tables, Persian shown in visual order on terminals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.console import Console, Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from bilingual.i18n.status import CatalogStatus, ContentStatus, EntryStatus, Translation
from bilingual.text.bidi import visual
from bilingual.text.languages import language

BAR_WIDTH = 24
TITLE_LENGTH = 44
SHORTEST_TITLE = 8
# A table with four columns draws five rules and pads each column by one space on either side.
RULES_AND_PADDING = 5 + 4 * 2
STATE_STYLES = {
    "source": "cyan",
    "current": "green",
    "stale": "yellow",
    "unknown": "magenta",
    "missing": "red",
}


class Show(Protocol):
    def __call__(self, text: str, direction: str | None = None) -> str: ...


def status_tables(
    console: Console, ui: Sequence[CatalogStatus], content: ContentStatus | None
) -> RenderableType:
    show: Show = visual if console.is_terminal else _as_written
    parts: list[RenderableType] = [_ui_table(ui, show)]
    if content is not None:
        parts += [_content_table(content, show), _work_table(content, show, console.width)]
    return Group(*parts)


def _as_written(text: str, direction: str | None = None) -> str:
    return text


def _bar(done: int, total: int) -> ProgressBar:
    return ProgressBar(total=max(total, 1), completed=done if total else 1, width=BAR_WIDTH)


def _language(code: str, show: Show) -> str:
    try:
        found = language(code)
    except ValueError:
        return code
    return f"{code} {show(found.name, found.direction)}"


def _direction(code: str) -> str | None:
    try:
        return language(code).direction
    except ValueError:
        return None


def _ui_table(rows: Sequence[CatalogStatus], show: Show) -> Table:
    table = Table(title="Interface strings (gettext catalogs)", title_justify="left")
    for header in ("Catalog", "Language", "Progress", "Translated", "Fuzzy", "Missing"):
        table.add_column(header, justify="right" if header in {"Fuzzy", "Missing"} else "left")
    for row in rows:
        counts = row.progress
        done = f"{counts.translated}/{counts.total}" if row.exists else "no catalog"
        table.add_row(
            row.scope,
            _language(row.lang, show),
            _bar(counts.translated, counts.total),
            done,
            _count(counts.fuzzy, "yellow"),
            _count(counts.missing, "red"),
        )
    if not rows:
        table.add_row("-", "-", "", "no catalogs", "", "")
    return table


def _count(number: int, style: str) -> Text:
    return Text(str(number), style=style if number else "dim")


def _content_table(content: ContentStatus, show: Show) -> Table:
    table = Table(title="Posts and pages", title_justify="left")
    for header in ("Language", "Progress", "Up to date", "Stale", "Unknown", "Missing"):
        table.add_column(header, justify="left" if header in {"Language", "Progress"} else "right")
    total = len(content.entries)
    for lang in content.languages:
        counts = content.counts(lang)
        done = counts["source"] + counts["current"]
        table.add_row(
            _language(lang, show),
            _bar(done, total),
            f"{done}/{total}",
            _count(counts["stale"], "yellow"),
            _count(counts["unknown"], "magenta"),
            _count(counts["missing"], "red"),
        )
    return table


def _work_table(content: ContentStatus, show: Show, width: int) -> RenderableType:
    work = [
        (entry, item)
        for entry in content.entries
        for item in entry.translations
        if item.state in {"stale", "unknown", "missing"}
    ]
    if not work:
        return Text("Every post and page is translated and up to date.", style="green")
    table = Table(
        title="Translations to do",
        title_justify="left",
        caption="stale: the source changed after `bilingual i18n mark-translated` "
        "recorded it; unknown: never recorded",
        caption_justify="left",
    )
    table.add_column("Post or page", ratio=1)
    table.add_column("Language", no_wrap=True)
    table.add_column("State", no_wrap=True)
    table.add_column("Made from", no_wrap=True)
    budget = _title_budget(work, width)
    for entry, item in work:
        title, lang = _title(entry, item, budget)
        cell = Text(show(title, _direction(lang)), overflow="fold")
        cell.append(f"\n{entry.slug}", style="dim")
        table.add_row(
            cell, item.lang, Text(item.state, style=STATE_STYLES[item.state]), item.recorded or "-"
        )
    return table


def _title_budget(work: Sequence[tuple[EntryStatus, Translation]], width: int) -> int:
    """How long a title may be to fit on one line beside the other columns.

    A title is reordered for the terminal before the table lays it out: a title wrapped over
    two lines after that would show the end of a Persian sentence on its first line.
    """
    others = (
        max(len("Language"), *(len(item.lang) for _, item in work)),
        max(len("State"), *(len(item.state) for _, item in work)),
        max(len("Made from"), *(len(item.recorded or "-") for _, item in work)),
    )
    room = width - RULES_AND_PADDING - sum(others)
    return max(SHORTEST_TITLE, min(TITLE_LENGTH, room))


def _title(entry: EntryStatus, item: Translation, length: int) -> tuple[str, str]:
    """The title in the translation's language, else the source's, cut before reordering.

    Returned with its language, whose direction lays it out: a Persian title that starts with
    an English name is still a right-to-left line.
    """
    if item.title:
        title, lang = item.title, item.lang
    else:
        title, lang = entry.get(entry.source).title or entry.slug, entry.source
    return (title if len(title) <= length else title[: length - 1].rstrip() + "…"), lang
