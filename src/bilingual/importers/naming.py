"""Name each imported entry's folder: WordPress's slug where it can, unique, under its parent."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from bilingual.importers.common import ExportError, usable_slug
from bilingual.importers.selection import Planned
from bilingual.importers.wxr import Item, zoned


def name_entries(
    planned: list[Planned], offset: dt.timezone | None, content: Path, export: Path
) -> list[ExportError]:
    """Give every entry its parent page and slug; the slugs too long for ``content``'s disk."""
    pages = {p.primary.item.id: p for p in planned if p.kind == "page"}
    taken: set[tuple[str, str]] = set()
    errors: list[ExportError] = []
    limit = _name_max(content)
    for entry in planned:
        parent = pages.get(entry.primary.item.parent) if entry.kind == "page" else None
        entry.parent = parent if parent is not entry else None
    for entry in sorted(planned, key=_depth):
        entry.slug = _slug(entry, taken, offset)
        error = _too_long(entry.primary.item, limit, export)
        if error is not None:
            errors.append(error)
    return errors


def _slug(entry: Planned, taken: set[tuple[str, str]], offset: dt.timezone | None) -> str:
    """WordPress's name, else one made of the date and id; unique; under its parent page."""
    item = entry.primary.item
    moment = zoned(item.local_date, item.utc_date, offset)
    prefix = f"{entry.parent.slug}/" if entry.parent and entry.parent.slug else ""
    for name in (
        item.name,
        f"{moment:%Y-%m-%d}-{item.id}" if moment else "",
        f"{item.type}-{item.id}",
        f"{item.type}-line-{item.line}",
    ):
        slug = prefix + name
        if (
            name
            and usable_slug(name, "post" if prefix else entry.kind)
            and (entry.kind, slug.casefold()) not in taken
        ):
            taken.add((entry.kind, slug.casefold()))
            if item.name and name != item.name:  # its address changes: say so
                entry.primary.warnings.append(
                    f"its WordPress name {item.name!r} is taken or cannot name a folder: "
                    f"imported as {slug!r}"
                )
            return slug
    raise AssertionError("the last candidate slug is always free")


def _too_long(item: Item, limit: int, export: Path) -> ExportError | None:
    size = len(os.fsencode(item.name))
    if size <= limit:
        return None
    return ExportError(
        f"{item.origin}: its slug is {size} bytes long; this file system allows {limit}",
        export,
        item.name_line,
        hint="shorten the slug (wp:post_name) in WordPress, or in the export",
    )


def _depth(entry: Planned) -> int:
    depth, parent, seen = 0, entry.parent, {id(entry)}
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        depth, parent = depth + 1, parent.parent
    return depth


def _name_max(folder: Path) -> int:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255
