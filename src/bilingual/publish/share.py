"""Turn a page's address and title into share links: plain URLs, no script from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bilingual.text.bidi import balance_controls, isolate_unicode
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
    return f"{start}{isolate_unicode(balance_controls(title), lang.direction)}{end}"


def share_links(names: tuple[str, ...], url: str, title: str, lang: Language) -> list[ShareLink]:
    """The links named in ``[share] links``, in that order, for the page at ``url``."""
    text = shared_text(title, lang)
    hrefs = {
        "telegram": "https://t.me/share/url?" + _query(url=url, text=text),
        "whatsapp": "https://wa.me/?" + _query(text=f"{text} {url}"),
        "x": "https://x.com/intent/post?" + _query(text=text, url=url),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + _query(u=url),
        "email": "mailto:?" + _query(subject=text, body=url),
        "copy": url,  # the page itself: a script turns it into "copy"; without one it is a link
    }
    return [ShareLink(name, hrefs[name]) for name in names]


def _query(**values: str) -> str:
    """Percent-encoded (spaces as %20, which mail programs read too)."""
    return urlencode(values, quote_via=quote, safe="")
