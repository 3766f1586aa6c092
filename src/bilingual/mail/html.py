"""Turn a rendered e-mail page into HTML that mail clients show as written.

Mail clients drop stylesheets, ignore ``<bdi>`` and resolve no relative links, so every block
gets its own ``dir`` and ``lang``, each isolated run becomes a ``<span dir>``, links and images
point at the site, and the stylesheet is inlined into ``style`` attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urljoin

import css_inline
from bs4 import BeautifulSoup, Tag

BLOCKS = frozenset(
    {
        "html",
        "body",
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "hr",
    }
)
LINKS = {"a": "href", "img": "src"}
UNSAFE = ("script", "link", "iframe", "object", "embed", "form", "base")

_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def mail_html(html: str, page_url: str, languages: Mapping[str, str]) -> str:
    """Make ``html`` (a whole document) ready to send.

    ``page_url`` is the web page of the post, against which relative links resolve;
    ``languages`` maps a direction to the site's language written in it, for blocks written
    against their surroundings.
    """
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(UNSAFE):
        element.decompose()
    for bdi in soup.find_all("bdi"):
        bdi.name = "span"
    _direct_blocks(soup, languages)
    _absolute_links(soup, page_url)
    return _INLINER.inline(str(soup))


def _direct_blocks(soup: BeautifulSoup, languages: Mapping[str, str]) -> None:
    """Write the direction and language each block inherits onto the block itself."""
    for element in soup.find_all(BLOCKS):
        parent = _nearest(element.parent, "dir")
        direction = str(element.get("dir") or parent or "ltr")
        lang = element.get("lang")
        if lang is None and direction != parent and direction in languages:
            lang = languages[direction]
        element["dir"] = direction
        element["lang"] = lang or _nearest(element.parent, "lang") or ""


def _nearest(element: Tag | None, attribute: str) -> str | None:
    while isinstance(element, Tag):
        value = element.get(attribute)
        if isinstance(value, str) and value:
            return value
        element = element.parent
    return None


def _absolute_links(soup: BeautifulSoup, page_url: str) -> None:
    for name, attribute in LINKS.items():
        for element in soup.find_all(name):
            value = element.get(attribute)
            if isinstance(value, str) and value:
                element[attribute] = urljoin(page_url, value)
