"""Turn WordPress shortcodes ([caption], [gallery], [audio], [code]...) into their HTML."""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The way WordPress finds a shortcode's opening tag (get_shortcode_regex), and its attributes
# (shortcode_parse_atts).
_OPENING = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])"
    r"((?:[^\]\[\"'/]|\"[^\"]*\"|'[^']*'|/(?!\]))*)(/?)\](\]?)"
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
_CAPTIONED = re.compile(
    r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE
)
CODE_NAMES = frozenset({"code", "sourcecode", "source"})
BRUSHES = frozenset(
    {
        "bash",
        "c",
        "cpp",
        "csharp",
        "css",
        "diff",
        "go",
        "html",
        "java",
        "javascript",
        "jscript",
        "js",
        "json",
        "perl",
        "php",
        "plain",
        "powershell",
        "py",
        "python",
        "ruby",
        "rust",
        "shell",
        "sql",
        "text",
        "xml",
        "yaml",
    }
)
LINKED_SERVICES = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "vimeo": "https://vimeo.com/{}",
    "soundcloud": "{}",
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "ted": "{}",
    "tweet": "{}",
    "twitter": "{}",
    "instagram": "{}",
}
# Shortcodes of common plugins and WordPress.com that take no attributes, so they are still
# recognised (and reported) when they stand alone.
OTHER_KNOWN = frozenset(
    {
        "archives",
        "contact-form",
        "googlemaps",
        "polldaddy",
        "sitemap",
        "toc",
        "wpvideo",
        "recipe",
        "portfolio",
        "testimonials",
        "blog-subscription-form",
    }
)
# A reusable block ("pattern") used in a post: <!-- wp:block {"ref":123} /-->.
_REUSABLE_BLOCK = re.compile(r"<!--\s*wp:block\s+(\{[^>]*?\})\s*/-->")
# WordPress.com's [youtube=URL&w=640&h=385] sizes the player in the address.
_PLAYER_SIZE = re.compile(r"&(?:amp;)?[wh]=\d+")
AUDIO_KEYS = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac", "0")
VIDEO_KEYS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "0")


@dataclass(frozen=True)
class Attachment:
    """A media file of the export (an item of type attachment)."""

    id: str
    url: str
    title: str
    caption: str
    alt: str
    parent: str
    order: int


@dataclass
class ShortcodeContext:
    """What expanding one post's shortcodes needs, and what it could not expand."""

    attachments: dict[str, Attachment]
    post_id: str
    reusable_blocks: dict[str, str] = field(default_factory=dict)
    left: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def children(self) -> list[Attachment]:
        found = [a for a in self.attachments.values() if a.parent == self.post_id]
        return sorted(found, key=lambda a: (a.order, int(a.id) if a.id.isdigit() else 0))


Handler = Callable[[dict[str, str], str, ShortcodeContext], str]


def expand_shortcodes(text: str, context: ShortcodeContext) -> str:
    """``text`` with every shortcode this knows replaced by HTML; others are listed and kept."""
    text = expand_reusable_blocks(text, context)
    parts: list[str] = []
    position = 0
    while (match := _OPENING.search(text, position)) is not None:
        parts.append(text[position : match.start()])
        name = match[2].lower()
        closing = re.compile(rf"\[/{re.escape(match[2])}\]", re.IGNORECASE)
        end = closing.search(text, match.end()) if not match[4] else None
        handler = _handler(name)
        if match[1] == "[" and match[5] == "]":  # [[name]] is WordPress's way to show a shortcode
            parts.append(match[0][1:-1])
            position = match.end()
        elif handler is not None:
            content = text[match.end() : end.start()] if end else ""
            expanded = handler(parse_attributes(match[3]), content, context)
            parts.append(match[1] + expanded + match[5])
            position = end.end() if end else match.end()
        else:
            looks_like_one = bool(end or match[4] or "=" in match[3] or name in OTHER_KNOWN)
            if looks_like_one and f"[{name}]" not in context.left:
                context.left.append(f"[{name}]")
            parts.append(match[0])
            position = match.end()
    parts.append(text[position:])
    return "".join(parts)


def expand_reusable_blocks(text: str, context: ShortcodeContext, depth: int = 0) -> str:
    """``text`` with the reusable blocks it uses written out, as WordPress shows them."""

    def written_out(match: re.Match[str]) -> str:
        try:
            reference = json.loads(match[1]).get("ref")
        except (ValueError, AttributeError):
            return match[0]
        block = context.reusable_blocks.get(str(reference))
        if block is None or depth >= 5:
            context.warnings.append(
                f"reusable block {reference} "
                f"{'is not in the export' if block is None else 'uses itself'}"
                ": left out"
            )
            return ""
        return expand_reusable_blocks(block, context, depth + 1)

    return _REUSABLE_BLOCK.sub(written_out, text)


def parse_attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes by lower-case name; values without a name by position."""
    attributes: dict[str, str] = {}
    positional = 0
    for match in _ATTRIBUTE.finditer(re.sub("[\u00a0\u200b]+", " ", text).strip()):
        for name_group in (1, 3, 5):
            if match[name_group]:
                attributes[match[name_group].lower()] = html.unescape(match[name_group + 1])
                break
        else:
            value = next(v for v in (match[7], match[8], match[9]) if v is not None)
            attributes[str(positional)] = html.unescape(value)
            positional += 1
    return attributes


def _handler(name: str) -> Handler | None:
    if name in CODE_NAMES or name in BRUSHES:
        return lambda attributes, content, context: _code(name, attributes, content)
    if name in LINKED_SERVICES:
        return lambda attributes, content, context: _service_link(name, attributes, content)
    return _HANDLERS.get(name)


def _caption(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    caption = attributes.get("caption", "")
    if not caption and (match := _CAPTIONED.match(content.strip())):
        content, caption = match[1], match[2].strip()
    align = attributes.get("align", "")
    aligned = align in ("alignleft", "alignright", "aligncenter")
    css = f' class="{html.escape(align)}"' if aligned else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure{css}>{content.strip()}{figcaption}</figure>"


def _gallery(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    ids = [
        i.strip()
        for i in (attributes.get("ids") or attributes.get("include") or "").split(",")
        if i.strip()
    ]
    excluded = {i.strip() for i in attributes.get("exclude", "").split(",")}
    chosen = (
        [(i, context.attachments.get(i)) for i in ids]
        if ids
        else [(a.id, a) for a in context.children()]
    )
    figures = []
    for number, attachment in chosen:
        if attachment is None:
            context.missing.append(f"attachment {number} (in a gallery; not in the export)")
        elif attachment.id not in excluded and _is_image(attachment.url):
            figures.append(_figure(attachment))
    return f'<div class="gallery">{"".join(figures)}</div>' if figures else ""


def _figure(attachment: Attachment) -> str:
    alt = html.escape(attachment.alt or attachment.title)
    caption = f"<figcaption>{attachment.caption}</figcaption>" if attachment.caption else ""
    return f'<figure><img src="{html.escape(attachment.url)}" alt="{alt}">{caption}</figure>'


def _playlist(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    ids = [i.strip() for i in attributes.get("ids", "").split(",") if i.strip()]
    found = [context.attachments.get(i) for i in ids] if ids else context.children()
    return "".join(_media_element("audio", a.url) for a in found if a and not _is_image(a.url))


def _audio(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    url = next((attributes[key] for key in AUDIO_KEYS if attributes.get(key)), "")
    return _media_element("audio", url.split("|")[0]) if url else ""


def _video(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    url = next((attributes[key] for key in VIDEO_KEYS if attributes.get(key)), "")
    poster = attributes.get("poster", "")
    return _media_element("video", url, poster) if url else ""


def _media_element(kind: str, url: str, poster: str = "") -> str:
    """An <audio> or <video> player, with a link for readers (and feeds) that cannot play it."""
    source = html.escape(url)
    label = html.escape(posixpath.basename(urlsplit(url).path) or url)
    extra = f' poster="{html.escape(poster)}"' if poster else ""
    return f'<{kind} controls src="{source}"{extra}><a href="{source}">{label}</a></{kind}>'


def _embed(attributes: dict[str, str], content: str, context: ShortcodeContext) -> str:
    url = (
        content.strip() or attributes.get("url") or attributes.get("src") or attributes.get("0", "")
    )
    return _link(url)


def _service_link(name: str, attributes: dict[str, str], content: str) -> str:
    value = attributes.get("url") or attributes.get("id") or attributes.get("0") or content
    value = _PLAYER_SIZE.sub("", value.strip().lstrip("="))
    if not value:
        return ""
    web = value.startswith(("http://", "https://"))
    url = value if web else LINKED_SERVICES[name].format(value)
    return _link(url)


def _link(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        return html.escape(url)
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def _code(name: str, attributes: dict[str, str], content: str) -> str:
    language = (
        attributes.get("language") or attributes.get("lang") or (name if name in BRUSHES else "")
    )
    if "<" not in content:  # the visual editor stores code with its < & > as entities
        content = html.unescape(content)
    code = content.strip("\n").replace("\r\n", "\n")
    css = f' class="language-{html.escape(language.lower())}"' if language else ""
    return f"<pre><code{css}>{html.escape(code, quote=False)}</code></pre>"


def _is_image(url: str) -> bool:
    return posixpath.splitext(urlsplit(url).path)[1].lower() in (
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".svg",
        ".avif",
        ".bmp",
    )


_HANDLERS: dict[str, Handler] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "slideshow": _gallery,
    "audio": _audio,
    "video": _video,
    "playlist": _playlist,
    "embed": _embed,
}
