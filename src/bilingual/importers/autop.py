"""Turn WordPress's blank-line paragraphs and newline breaks into HTML, as ``wpautop`` does."""

from __future__ import annotations

import re
from html import escape

from bs4 import BeautifulSoup
from bs4.element import Comment, Tag

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "li",
        "blockquote",
        "pre",
        "table",
        "figure",
        "hr",
        "section",
        "iframe",
        "address",
        "aside",
        "details",
        "header",
        "footer",
        "nav",
        "article",
        "audio",
        "video",
        "figcaption",
        "form",
        "fieldset",
        "menu",
    }
)


def autop(source: str) -> str:
    """WordPress keeps paragraphs as blank lines and line breaks as newlines: make them HTML."""
    blocks: list[str] = []
    inline: list[str] = []

    def close_paragraphs() -> None:
        for paragraph in re.split(r"\n\s*\n", "".join(inline)):
            if paragraph.strip():
                blocks.append("<p>" + paragraph.strip().replace("\n", "<br>\n") + "</p>")
        inline.clear()

    for node in BeautifulSoup(source, "html.parser").contents:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Tag) and node.name in BLOCK_TAGS:
            close_paragraphs()
            blocks.append(str(node))
        else:
            inline.append(str(node) if isinstance(node, Tag) else escape(str(node), quote=False))
    close_paragraphs()
    return "\n".join(blocks)
