"""Turn content into output paths and the links between them (one URL scheme, here only)."""

from __future__ import annotations

import functools
import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from bilingual.site.model import Entry


def home(lang: str, page: int = 1) -> str:
    return f"{lang}/index.html" if page == 1 else f"{lang}/page/{page}/index.html"


def entry(item: Entry, lang: str) -> str:
    if item.kind == "post":
        return f"{lang}/posts/{item.slug}/index.html"
    return f"{lang}/{item.slug}/index.html"


def pdf(item: Entry, lang: str) -> str:
    return posixpath.join(posixpath.dirname(entry(item, lang)), f"{item.slug}.{lang}.pdf")


def tag(key: str, lang: str) -> str:
    return f"{lang}/tags/{key}/index.html"


def tags_index(lang: str) -> str:
    return f"{lang}/tags/index.html"


def feed(lang: str) -> str:
    return f"{lang}/feed.xml"


def tag_feed(key: str, lang: str) -> str:
    return f"{lang}/tags/{key}/feed.xml"


def search(lang: str) -> str:
    return f"{lang}/search/index.html"


def search_bundle(lang: str, name: str) -> str:
    """The folder of one of a language's search bundles (a path ending in '/')."""
    return f"{lang}/pagefind/{name}/"


SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def static(name: str) -> str:
    return f"static/{name}"


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path``, as a pretty, encoded URL."""
    start = from_path.split("/")[:-1]
    parts = to_path.split("/")
    common = 0
    while common < min(len(start), len(parts) - 1) and start[common] == parts[common]:
        common += 1
    target = "/".join([".."] * (len(start) - common) + parts[common:])
    if posixpath.basename(target) == "index.html":
        target = posixpath.dirname(target)
        target = "./" if target in ("", ".") else target + "/"
    return _quoted(target)


@functools.lru_cache(maxsize=1 << 14)
def _quoted(target: str) -> str:
    # Pages link to the same few places ("../../", the stylesheet): encode each once.
    return quote(target, safe="/#.-_~")


def absolute(base_url: str, path: str) -> str:
    if posixpath.basename(path) == "index.html":
        path = posixpath.dirname(path) + "/"
    return base_url.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/#.-_~")
