"""Turn a page's address and title into share links: plain URLs, no script from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bilingual.publish.templating import isolate_text
from bilingual.text.languages import Language

# Isolates keep a title in its own direction wherever the shared text lands (U+2066-2069).
ISOLATES = {"ltr": ("\u2066", "\u2069"), "rtl": ("\u2067", "\u2069")}


@dataclass(frozen=True)
class ShareLink:
    name: str  # "telegram", "whatsapp", "x", "facebook", "email" or "copy"
    href: str


def shared_text(title: str, lang: Language) -> str:
    """The title, isolated in its language's direction, as are its runs in the other one."""
    start, end = ISOLATES.get(lang.direction, ("\u2068", "\u2069"))
    return f"{start}{isolate_text(title, lang.direction)}{end}"  # as the page's title


def share_links(names: tuple[str, ...], url: str, title: str, lang: Language) -> list[ShareLink]:
    """The links named in ``[share] links``, in that order, for the page at ``url``."""
    # Each link repeats the title or the address: encode each once.
    text, address = _encoded(shared_text(title, lang)), _encoded(url)
    hrefs = {
        "telegram": f"https://t.me/share/url?url={address}&text={text}",
        "whatsapp": f"https://wa.me/?text={text}%20{address}",
        "x": f"https://x.com/intent/post?text={text}&url={address}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={address}",
        "email": f"mailto:?subject={text}&body={address}",
        "copy": url,  # the page itself: a script turns it into "copy"; without one it is a link
    }
    return [ShareLink(name, hrefs[name]) for name in names]


def _encoded(value: str) -> str:
    """Percent-encoded for a query (spaces as %20, which mail programs read too)."""
    return quote(value, safe="")
