"""Turn a post's approved WordPress comments into the comments.yaml kept beside it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml

from bilingual.importers.common import _FrontMatterDumper
from bilingual.importers.markdown import to_markdown
from bilingual.importers.wxr import Comment, zoned

HEADER = (
    "# Comments from the WordPress export, shown under the post as a closed archive.\n"
    "# Each has an author, a date, its text (Markdown) and the comment it answers "
    "(parent).\n"
)


@dataclass
class CommentTally:
    """Comments left out of an import, by reason."""

    left_out: Counter[str] = field(default_factory=Counter)

    def note(self) -> str | None:
        total = sum(self.left_out.values())
        if not total:
            return None
        reasons = ", ".join(
            f"{count} {reason}{'s' * (count != 1 and reason.endswith('back'))}"
            for reason, count in sorted(self.left_out.items())
        )
        return f"{total} comment{'s' * (total != 1)} not imported: {reasons}"


def kept_comments(comments: list[Comment], tally: CommentTally) -> list[Comment]:
    """Approved comments (not pingbacks, spam or ones awaiting moderation)."""
    kept = []
    for comment in comments:
        if comment.type not in ("comment", ""):
            tally.left_out[comment.type] += 1
        elif comment.approved != "1":
            tally.left_out["spam" if comment.approved == "spam" else "not approved"] += 1
        elif comment.html.strip():
            kept.append(comment)
    return kept


def comments_yaml(by_language: dict[str, list[Comment]], fallback: dt.timezone | None) -> str:
    """comments.yaml for one post: its comments in every language, oldest first."""
    known = {comment.id for comments in by_language.values() for comment in comments}
    rows: list[tuple[Any, dict[str, Any]]] = []
    for lang, comments in by_language.items():
        for comment in comments:
            row: dict[str, Any] = {"id": _number(comment.id), "author": comment.author or "—"}
            date = comment.date
            if date is not None and date.tzinfo is None:
                date = zoned(date, None, fallback)
            if date is not None:
                row["date"] = date if date.tzinfo else date.date()
            row["lang"] = lang
            if comment.parent in known and comment.parent != comment.id:
                row["parent"] = _number(comment.parent)
            row["text"] = to_markdown(comment.html, keep_html=False)[0]
            rows.append((_sort_key(date, comment.id), row))
    rows.sort(key=lambda pair: pair[0])
    return HEADER + yaml.dump(
        [row for _, row in rows],
        Dumper=_CommentDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


class _CommentDumper(_FrontMatterDumper):
    """Front matter's dumper, with texts of several lines as literal blocks."""

    def represent_text(self, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def represent_block_list(self, data: list[Any]) -> yaml.Node:
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=False)


_CommentDumper.add_representer(str, _CommentDumper.represent_text)
_CommentDumper.add_representer(list, _CommentDumper.represent_block_list)


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _sort_key(date: dt.datetime | None, identifier: str) -> tuple[float, int | str]:
    if date is None:
        stamp = 0.0
    elif date.tzinfo is None:
        stamp = date.replace(tzinfo=dt.UTC).timestamp()
    else:
        stamp = date.timestamp()
    number = _number(identifier)
    return stamp, number if isinstance(number, int) else 0
