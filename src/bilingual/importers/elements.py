"""Read what a post's HTML elements say: kept tags and attributes, classes, sizes, embeds, code."""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4.element import Tag

KEPT_INLINE = frozenset(
    {
        "sup",
        "sub",
        "abbr",
        "cite",
        "q",
        "kbd",
        "dfn",
        "mark",
        "small",
        "ins",
        "var",
        "samp",
        "u",
        "time",
        "bdi",
        "bdo",
    }
)
STRUCK = frozenset({"del", "s", "strike"})
# What the kept HTML may say: tags and, per tag, attributes (all may carry lang, dir and title).
HTML_TAGS = (
    KEPT_INLINE
    | STRUCK
    | {
        "a",
        "em",
        "strong",
        "b",
        "i",
        "code",
        "br",
        "span",
        "img",
        "audio",
        "video",
        "source",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "p",
        "ul",
        "ol",
        "li",
        "blockquote",
        "div",
        "pre",
    }
)
HTML_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "poster"},
    "source": {"src", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "time": {"datetime"},
}
ALIGNMENTS = ("alignleft", "alignright", "aligncenter")
CLASSES = {"img": set(ALIGNMENTS), "figure": set(ALIGNMENTS), "div": {"gallery"}}
SIZES = ("width", "height")


def start_tag(el: Tag) -> str:
    """The start tag of ``el`` with only the attributes and classes kept HTML may carry."""
    allowed = HTML_ATTRIBUTES.get(str(el.name), set()) | {"lang", "dir", "title"}
    parts = [str(el.name)]
    for name in sorted(allowed & set(el.attrs)):
        value: Any = el.attrs[name]
        if name in SIZES and not str(value).isdigit():
            continue
        parts.append(name if name == "controls" else f'{name}="{escape(str(value))}"')
    kept = [c for c in classes(el) if c in CLASSES.get(str(el.name), set())]
    if kept:
        parts.append(f'class="{" ".join(kept)}"')
    return "<" + " ".join(parts) + ">"


def classes(el: Tag) -> list[str]:
    value: Any = el.get("class") or []
    return value.split() if isinstance(value, str) else [str(c) for c in value]


def alignment(el: Tag) -> str | None:
    return next((c for c in classes(el) if c in ALIGNMENTS), None)


def shown_size(el: Tag) -> dict[str, str]:
    """The width and height an image is shown at: its attributes, else the size its address
    asks WordPress.com's image server for (``?w=300&h=200``, ``?resize=300,200``)."""
    given = {name: str(el.get(name) or "") for name in SIZES}
    if any(value.isdigit() for value in given.values()):
        return {name: value for name, value in given.items() if value.isdigit()}
    query = parse_qs(urlsplit(str(el.get("src") or "").strip()).query)
    asked = [query.get(key, [""])[0] for key in ("w", "h")]
    if "resize" in query:
        asked = query["resize"][0].split(",")[:2]
    return {name: value for name, value in zip(SIZES, asked, strict=False) if value.isdigit()}


def destination(url: str) -> str:
    """``url`` as a Markdown link destination, in angle brackets where it needs them."""
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def embed_url(el: Tag) -> str | None:
    """The address a block-editor embed (YouTube, Twitter...) shows."""
    if not any(c.startswith("wp-block-embed") for c in classes(el)):
        return None
    text = el.get_text(" ", strip=True).split()
    return next((word for word in text if word.startswith(("http://", "https://"))), None)


def fits_markdown(table: Tag) -> bool:
    """A table Markdown can say: a header row, no merged cells, one line of text per cell."""
    rows = table.find_all("tr")
    if not rows:
        return False
    first = rows[0].find_all(["td", "th"])
    parent = rows[0].parent
    header = bool(first) and (
        all(cell.name == "th" for cell in first) or (parent is not None and parent.name == "thead")
    )
    cells = table.find_all(["td", "th"])
    return header and not any(
        cell.get("colspan")
        or cell.get("rowspan")
        or cell.find(["p", "ul", "ol", "br", "pre", "table", "dl", "blockquote", "div"])
        for cell in cells
    )


def code_language(el: Tag) -> str:
    """The language a code block names: a ``language-`` class, a SyntaxHighlighter brush, lang."""
    for node in (el, el.find("code")):
        if not isinstance(node, Tag):
            continue
        for css in classes(node):
            if css.startswith(("language-", "lang-")):
                return css.split("-", 1)[1]
        brush = re.search(r"brush:\s*([\w+#-]+)", " ".join(classes(node)))
        if brush:
            return brush[1]
        if node.get("lang"):
            return str(node["lang"])
    return ""
