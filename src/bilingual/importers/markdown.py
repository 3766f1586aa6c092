"""Turn a WordPress post's HTML into Markdown, with allowed HTML where Markdown has no syntax."""

from __future__ import annotations

import re
from html import escape
from typing import Any, cast

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, PageElement, Tag
from markdownify import MarkdownConverter

from bilingual.importers.autop import autop
from bilingual.importers.elements import (
    HTML_TAGS,
    KEPT_INLINE,
    SIZES,
    alignment,
    classes,
    code_language,
    destination,
    embed_url,
    fits_markdown,
    shown_size,
    start_tag,
)
from bilingual.importers.media import EntryMedia

# Elements of older posts (TinyMCE had an acronym button) read as the ones that replaced them.
OBSOLETE_INLINE = {"acronym": "abbr", "tt": "code"}
_VERSE_GAP = re.compile(r"(?:\t| {2,})+")
_AUTO_EMBED = re.compile(r"https?://[^\s<>\"]+")


class PostConverter(MarkdownConverter):
    """markdownify, taught WordPress's figures, galleries, verse, media and inline semantics."""

    def __init__(self, media: EntryMedia | None = None, keep_html: bool = True) -> None:
        # escape_misc: text such as "1984. A year", "- a dash", "> 2" or "&lt;b&gt;" stays text,
        # not a list, a quote or HTML.
        super().__init__(
            heading_style="ATX", bullets="-", newline_style="backslash", escape_misc=True
        )
        self.media = media
        self.keep_html = keep_html
        self.used_html = False

    # ----- images, links and media

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        source = self._image_url(el.get("src"))
        if not source:
            return ""
        el.attrs.update(shown_size(el))
        if self.keep_html and (alignment(el) or self._resized(el)):
            return self._raw(self.html_of(el))
        alt = " ".join(str(el.get("alt") or "").split()).replace("[", "\\[").replace("]", "\\]")
        title = str(el.get("title") or "").replace('"', '\\"')
        title_part = f' "{title}"' if title else ""
        return f"![{alt}]({destination(source)}{title_part})"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.media is not None and el.get("href"):
            el["href"] = self.media.link(str(el["href"]))
        href = str(el.get("href") or "")
        if el.get_text() == href and _AUTO_EMBED.fullmatch(href) and not el.get("title"):
            return f"<{href}>"  # as markdownify does, had escaping not changed the text
        markdownify: Any = super()  # its converters are not in its type stubs
        return str(markdownify.convert_a(el, text, parent_tags))

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        embedded = embed_url(el)
        if embedded:
            caption = el.find("figcaption")
            below = caption.get_text(" ", strip=True) if isinstance(caption, Tag) else ""
            escape = cast(Any, self).escape  # not in markdownify's type stubs
            return f"\n\n<{embedded}>\n\n{escape(below, set())}\n\n"
        if self.keep_html and "wp-block-gallery" in classes(el):
            return self._block(self._gallery(el))
        shows_media = el.find(["img", "audio", "video"])
        if self.keep_html and (el.find("figcaption") or alignment(el)) and shows_media:
            return self._block(self.html_of(el))
        return f"\n\n{text.strip()}\n\n"

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """A paragraph that is only an address is how WordPress embeds a video or post: a link."""
        words = el.get_text().split()
        if len(words) == 1 and _AUTO_EMBED.fullmatch(words[0]) and not el.find(["a", "img"]):
            return f"\n\n<{words[0]}>\n\n"
        markdownify: Any = super()  # its converters are not in its type stubs
        return str(markdownify.convert_p(el, text, parent_tags))

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.keep_html and "gallery" in classes(el):
            return self._block(self.html_of(el))
        return f"\n\n{text.strip()}\n\n"

    def convert_audio(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._player(el, text)

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._player(el, text)

    def _player(self, el: Tag, text: str) -> str:
        if self.keep_html:
            return self._block(self.html_of(el))
        return text

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        source = str(el.get("src") or "")
        return f"\n\n<{source}>\n\n" if source.startswith(("http://", "https://")) else ""

    # ----- blocks Markdown has no syntax for

    def convert_dl(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._block(self.html_of(el)) if self.keep_html else f"\n\n{text.strip()}\n\n"

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.keep_html and not fits_markdown(el):
            return self._block(self.html_of(el))
        return f"\n\n{text.strip()}\n\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "wp-block-verse" in classes(el) or "verse" in classes(el):
            return self._verse(el)
        code = el.get_text().strip("\n")
        if not code:
            return ""
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", code)), default=0) + 1)
        return f"\n\n{fence}{code_language(el)}\n{code}\n{fence}\n\n"

    def _gallery(self, el: Tag) -> str:
        """A block-editor gallery as the grid of figures a [gallery] becomes, with its caption."""
        figures = []
        for image in el.find_all("img"):
            item = image.find_parent("figure")
            caption = item.find("figcaption") if isinstance(item, Tag) and item is not el else None
            shown = image.parent if image.parent is not None and image.parent.name == "a" else image
            below = f"<figcaption>{self._inner_html(caption)}</figcaption>" if caption else ""
            figures.append(f"<figure>{self.html_of(shown)}{below}</figure>")
        grid = f'<div class="gallery">{"".join(figures)}</div>'
        caption = el.find("figcaption", recursive=False)
        if isinstance(caption, Tag):
            return f"<figure>{grid}<figcaption>{self._inner_html(caption)}</figcaption></figure>"
        return grid

    def _inner_html(self, el: Tag) -> str:
        return "".join(self.html_of(child) for child in el.children)

    def _verse(self, el: Tag) -> str:
        """A poem: its lines, with their breaks, and stanzas as paragraphs."""
        stanzas = re.split(r"\n\s*\n", el.get_text().strip("\n"))
        rendered = []
        for stanza in stanzas:
            lines = [_VERSE_GAP.sub("\u2003\u2003", line.rstrip()) for line in stanza.split("\n")]
            lines = [re.sub(r"^ +", lambda m: "\u00a0" * len(m[0]), line) for line in lines]
            escape = cast(Any, self).escape
            rendered.append("\\\n".join(escape(line, set()) for line in lines))
        return "\n\n" + "\n\n".join(rendered) + "\n\n"

    # ----- inline semantics

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"~~{text}~~" if text.strip() else text

    convert_s = convert_strike = convert_del

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.keep_html and (el.get("lang") or el.get("dir")):
            return self._raw(f"{start_tag(el)}{text}</span>")
        return text

    def _kept_inline(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not self.keep_html:
            return f"“{text}”" if el.name == "q" else text
        return self._raw(f"{start_tag(el)}{text}</{el.name}>")

    def convert_q(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._kept_inline(el, text, parent_tags)

    # ----- helpers

    def _resized(self, el: Tag) -> bool:
        """Whether the image is shown at a size other than its file's, which Markdown cannot say."""
        shown = [str(el.get(name) or "") for name in SIZES]
        if not any(value.isdigit() for value in shown):
            return False
        url = str(el.get("src") or "").strip()
        natural = self.media.natural_size(url) if self.media is not None else None
        return natural is None or any(
            value.isdigit() and int(value) != size
            for value, size in zip(shown, natural, strict=True)
        )

    def _image_url(self, source: Any) -> str:
        url = str(source or "").strip()
        return self.media.image(url) if self.media is not None and url else url

    def _raw(self, markup: str) -> str:
        self.used_html = True
        return markup

    def _block(self, markup: str) -> str:
        return f"\n\n{self._raw(markup)}\n\n"

    def html_of(self, el: PageElement) -> str:
        """``el`` as allow-listed HTML on one line, media pointing at their local copies."""
        if isinstance(el, Comment) or not isinstance(el, (Tag, NavigableString)):
            return ""
        if isinstance(el, NavigableString):
            return escape(" ".join(str(el).split("\n")), quote=False)
        inner = "".join(self.html_of(child) for child in el.children)
        if el.name not in HTML_TAGS:
            return inner
        if el.name in ("img", "source", "audio", "video") and el.get("src"):
            el["src"] = (
                self._image_url(el["src"])
                if el.name == "img"
                else (self.media.link(str(el["src"])) if self.media else str(el["src"]))
            )
        if el.name == "video" and el.get("poster"):
            el["poster"] = self._image_url(el["poster"])
        if el.name == "a" and el.get("href") and self.media is not None:
            el["href"] = self.media.link(str(el["href"]))
        if el.name in ("img", "br", "source"):
            return start_tag(el)
        return f"{start_tag(el)}{inner}</{el.name}>"


for _name in KEPT_INLINE - {"q"}:
    setattr(PostConverter, f"convert_{_name}", PostConverter._kept_inline)


def to_markdown(
    source: str, media: EntryMedia | None = None, keep_html: bool = True
) -> tuple[str, bool]:
    """A post's HTML (with WordPress's implicit paragraphs) as Markdown, and if it kept HTML."""
    converter = PostConverter(media, keep_html)
    soup = BeautifulSoup(autop(source), "html.parser")
    for obsolete, current in OBSOLETE_INLINE.items():
        for element in soup.find_all(obsolete):
            element.name = current
    markdown = converter.convert_soup(soup)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip(), converter.used_html
