"""Turn a post's comments.yaml (kept from the site's earlier home) into Comment records."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from bilingual.errors import BilingualError, ContentError, ErrorCollector
from bilingual.site.dates import DateError, parse_date
from bilingual.site.frontmatter import load_yaml_file, one_line
from bilingual.site.model import Comment
from bilingual.site.timestamps import TimestampError, has_time, parse_timestamp
from bilingual.text.persian import uses_jalali

COMMENTS_FILE = "comments.yaml"
KNOWN_KEYS = frozenset({"id", "author", "date", "lang", "parent", "text"})


def read_comments(
    folder: Path, codes: tuple[str, ...], errors: ErrorCollector
) -> tuple[Comment, ...]:
    """The comments beside a post, oldest first as written; every problem goes to ``errors``."""
    path = folder / COMMENTS_FILE
    if not path.is_file():
        return ()
    try:
        data = load_yaml_file(path)
    except BilingualError as error:
        errors.add(error)
        return ()
    if data is None:
        return ()
    if not isinstance(data, list):
        errors.add(
            ContentError("comments.yaml must be a list of comments (- author: ...)", path, 1)
        )
        return ()
    lines = _item_lines(path)
    comments: list[Comment] = []
    for index, row in enumerate(data):
        line = lines[index] if index < len(lines) else None
        comment = _comment(
            row, codes, lambda message, at=line: errors.add(ContentError(message, path, at))
        )
        if comment is not None:
            comments.append(comment)
    _check_links(comments, path, errors)
    return tuple(comments)


def _comment(row: Any, codes: tuple[str, ...], error: Any) -> Comment | None:
    if not isinstance(row, dict):
        error("each comment is a mapping: id, author, date, text (and lang, parent)")
        return None
    unknown = sorted(str(key) for key in row if key not in KNOWN_KEYS)
    if unknown:
        error(
            f"unknown comment key {', '.join(map(repr, unknown))}; known keys: "
            f"{', '.join(sorted(KNOWN_KEYS))}"
        )
        return None
    problems = [
        f"a comment needs {key!r}"
        for key in ("id", "author", "text")
        if not isinstance(row.get(key), (str, int)) or str(row.get(key)).strip() == ""
    ]
    lang = row.get("lang")
    if lang is not None and lang not in codes:
        problems.append(f"comment language {lang!r} is not in the site's languages {list(codes)}")
    date = _date(row.get("date"), any(uses_jalali(code) for code in codes), problems)
    if problems:
        for problem in problems:
            error(problem)
        return None
    parent = row.get("parent")
    return Comment(
        id=str(row["id"]),
        author=one_line(str(row["author"])),
        text=str(row["text"]),
        date=date,
        parent=str(parent) if parent is not None else None,
        lang=lang,
    )


def _date(value: Any, jalali: bool, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    try:
        if has_time(value):
            return parse_timestamp(value, jalali=jalali)
        return parse_date(value, jalali=jalali)
    except (DateError, TimestampError) as error:
        problems.append(f"comment date: {error}")
        return None


def _check_links(comments: list[Comment], path: Path, errors: ErrorCollector) -> None:
    seen: set[str] = set()
    ids = {comment.id for comment in comments}
    id_lines = _id_lines(path)
    for comment in comments:
        line = next((n for n, found in id_lines if found == comment.id), None)
        if comment.id in seen:
            errors.add(ContentError(f"comment id {comment.id!r} is used twice", path, line))
        seen.add(comment.id)
        if comment.parent is not None and comment.parent not in ids:
            errors.add(
                ContentError(
                    f"comment {comment.id!r} answers comment {comment.parent!r}, "
                    "which is not in the file",
                    path,
                    line,
                )
            )


def _item_lines(path: Path) -> list[int]:
    """The line where each top-level item of the list starts."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("-")]


def _id_lines(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        (number, match[1].strip("'\""))
        for number, line in enumerate(text.splitlines(), 1)
        if (match := re.match(r"^-?\s*id:\s*(\S+)", line))
    ]
