"""Turn a post's Markdown into plain text for terminal mail clients, Persian in logical order.

Each line of the text is its own paragraph to a bidi-aware terminal, whose direction comes
from the line's first strong character; a line whose first strong character is written
against the text (a Persian line that starts with "IRGC", a wrapped English line that starts
with a Persian word) gets a direction mark in front, and no other line does.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import cache
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from bilingual.text.bidi import balance_controls, text_direction
from bilingual.text.persian import localize_digits

WIDTH = 72
MARKS = {"ltr": "\u200e", "rtl": "\u200f"}  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
BULLET = "• "


def mark_lines(text: str, direction: str) -> str:
    """Put a direction mark before each line that would otherwise read the other way."""
    return "\n".join(
        MARKS[direction] + line if line and text_direction(line, direction) != direction else line
        for line in text.split("\n"))


def markdown_text(source: str, lang: str, page_url: str, width: int = WIDTH) -> str:
    """The body as wrapped plain text; links become [1] references listed at the end."""
    writer = _TextWriter(lang, page_url)
    tree = SyntaxTreeNode(_parser().parse(balance_controls(source)))
    lines = writer.blocks(tree.children, width)
    if writer.links:
        lines += ["", *(f"[{writer.number(index)}] {url}"
                        for index, url in enumerate(writer.links, start=1))]
    return "\n".join(lines)


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
        if kind in ("fence", "code_block"):
            return ["    " + line for line in node.content.rstrip("\n").split("\n")]
        if kind == "hr":
            return ["* * *"]
        if kind == "table":
            return [" | ".join(self.inline(cell.children) for cell in row.children)
                    for row in _rows(node)]
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
        if kind == "softbreak":
            return " "
        if kind == "hardbreak":
            return "\n"
        if kind == "html_inline":
            return ""
        if kind == "link":
            text = self.inline(node.children)
            url = urljoin(self.page_url, str(node.attrs.get("href", "")))
            return text if text == url else f"{text} {self.reference(url)}"
        if kind == "image":
            alt = self.inline(node.children)
            url = urljoin(self.page_url, str(node.attrs.get("src", "")))
            return f"[{alt}] {self.reference(url)}" if alt else self.reference(url)
        return self.inline(node.children)

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
        lines += textwrap.wrap(part, max(width, 20), break_long_words=False,
                               break_on_hyphens=False) or [""]
    return lines
