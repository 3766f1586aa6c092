"""Turn a post's Markdown into plain text for terminal mail clients, Persian in logical order.

Each line of the text is its own paragraph to a bidi-aware terminal, whose direction comes
from the line's first strong character. A line whose first strong character is written
against the text (a Persian line that starts with "IRGC") gets a direction mark in front; a
phrase written the other way that the algorithm would pull apart (a phone number, a URL that
ends in "/", a quoted English sentence's full stop) gets a mark on each side, as the runs of
``text.bidi`` say; code reads left to right. Nothing else gets a mark.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import cache
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from bilingual.text.bidi import (
    ISOLATES,
    PDI,
    balance_controls,
    opposite_runs,
    reorder,
    text_direction,
)
from bilingual.text.persian import localize_digits

WIDTH = 72
MARKS = {"ltr": "\u200e", "rtl": "\u200f"}  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
BULLET = "• "
CODE = "\x00"  # flags a line of code until the lines are marked (Markdown has no NUL)
INDENT = "    "
INLINE_BREAKS = {"softbreak": " ", "hardbreak": "\n", "html_inline": ""}


def mark_lines(text: str, direction: str) -> str:
    """Mark each line of ``text`` (written in ``direction``) where it would otherwise misread."""
    return "\n".join(mark_line(line, direction) for line in text.split("\n"))


def mark_line(line: str, direction: str) -> str:
    """Fence the runs the algorithm would pull apart, then set the line's direction if need be."""
    marked = _mark_runs(line, direction)
    if marked and text_direction(marked, direction) != direction:
        return MARKS[direction] + marked
    return marked


def mark_code(line: str) -> str:
    """A line of code reads left to right, even when it starts with a Persian comment."""
    return MARKS["ltr"] + line if text_direction(line, "ltr") != "ltr" else line


def _mark_runs(line: str, direction: str) -> str:
    as_written = reorder(line, direction)
    pieces: list[str] = []
    position = 0
    for start, end, run_direction in opposite_runs(line, direction):
        isolated = f"{line[:start]}{ISOLATES[run_direction]}{line[start:end]}{PDI}{line[end:]}"
        if reorder(isolated, direction) == as_written:
            continue  # the run reads the same without help: no mark
        mark = MARKS[run_direction]
        pieces += [line[position:start], mark, line[start:end], mark]
        position = end
    return "".join(pieces) + line[position:]


def markdown_text(source: str, lang: str, page_url: str, direction: str, width: int = WIDTH) -> str:
    """The body as wrapped, marked plain text; links become [1] references listed at the end."""
    writer = _TextWriter(lang, page_url)
    tree = SyntaxTreeNode(_parser().parse(balance_controls(source)))
    lines = writer.blocks(tree.children, width)
    if writer.links:
        lines += [
            "",
            *(f"[{writer.number(index)}] {url}" for index, url in enumerate(writer.links, start=1)),
        ]
    return "\n".join(
        mark_code(line.replace(CODE, "")) if CODE in line else mark_line(line, direction)
        for line in lines
    )


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _TextWriter:
    def __init__(self, lang: str, page_url: str) -> None:
        self.lang = lang
        self.page_url = page_url
        self.links: list[str] = []

    def number(self, index: int) -> str:
        return localize_digits(str(index), self.lang)

    def blocks(self, nodes: Sequence[SyntaxTreeNode], width: int) -> list[str]:
        lines: list[str] = []
        for node in nodes:
            block = self.block(node, width)
            if block:
                lines += ([""] if lines else []) + block
        return lines

    def block(self, node: SyntaxTreeNode, width: int) -> list[str]:
        kind = node.type
        if kind in ("paragraph", "heading"):
            return _wrap(self.inline(node.children), width)
        if kind in ("bullet_list", "ordered_list"):
            return self.items(node, width)
        if kind == "blockquote":
            return [f"> {line}".rstrip() for line in self.blocks(node.children, width - 2)]
        return self.verbatim(node, width)

    def verbatim(self, node: SyntaxTreeNode, width: int) -> list[str]:
        """Code, rules, tables and HTML: blocks whose text is not wrapped as prose."""
        kind = node.type
        if kind in ("fence", "code_block"):
            return [CODE + INDENT + line for line in node.content.rstrip("\n").split("\n")]
        if kind == "hr":
            return ["* * *"]
        if kind == "table":
            return [
                " | ".join(self.inline(cell.children) for cell in row.children)
                for row in _rows(node)
            ]
        if kind == "html_block":
            return _wrap(BeautifulSoup(node.content, "html.parser").get_text(" ").strip(), width)
        return self.blocks(node.children, width)

    def items(self, node: SyntaxTreeNode, width: int) -> list[str]:
        start = int(node.attrs.get("start", 1))
        lines: list[str] = []
        for offset, item in enumerate(node.children):
            marker = BULLET if node.type == "bullet_list" else f"{self.number(start + offset)}. "
            body = self.blocks(item.children, width - len(marker)) or [""]
            lines.append(marker + body[0])
            lines += [" " * len(marker) + line if line else "" for line in body[1:]]
        return lines

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> str:
        return "".join(self.span(node) for node in nodes)

    def span(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind in ("text", "code_inline"):
            return node.content
        if kind in INLINE_BREAKS:
            return INLINE_BREAKS[kind]
        if kind in ("link", "image"):
            return self.link(node)
        return self.inline(node.children)

    def link(self, node: SyntaxTreeNode) -> str:
        """A link's text, or an image's alt text in brackets, then its [1] reference."""
        label = self.inline(node.children)
        target = str(node.attrs.get("src" if node.type == "image" else "href", ""))
        url = urljoin(self.page_url, target)
        if node.type == "image":
            return f"[{label}] {self.reference(url)}" if label else self.reference(url)
        return label if label == url else f"{label} {self.reference(url)}"

    def reference(self, url: str) -> str:
        if url not in self.links:
            self.links.append(url)
        return f"[{self.number(self.links.index(url) + 1)}]"


def _rows(table: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    return [row for section in table.children for row in section.children]


def wrap(text: str, width: int = WIDTH) -> str:
    """Fill ``text`` to ``width`` columns, keeping its line breaks."""
    return "\n".join(_wrap(text, width))


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines += textwrap.wrap(
            part, max(width, 20), break_long_words=False, break_on_hyphens=False
        ) or [""]
    return lines
