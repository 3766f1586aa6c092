"""Turn a post in one language into its social card: the site title and the post title on a PNG."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from urllib.parse import urlsplit

from bilingual.publish.card_fonts import font_path
from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.views import Text, site_text
from bilingual.site.model import Entry
from bilingual.text.languages import language


class CardRenderer(Renderer):
    name = "card"

    def render(self, output: Output) -> bytes:
        from bilingual.publish.cards import render_card  # Pillow: only to draw, not to compare

        site = self.context.site
        lang = site.config.site.language(self.context.lang_code(output))
        post: Entry = output.subject
        found = site_text(site, "title", lang)
        site_title = Text(found.value, found.lang) if found else Text("", lang)
        title = Text(post.title[lang.code], language(lang.code))
        host = urlsplit(site.config.site.base_url).hostname or ""
        return render_card(site_title, title, host, lang)

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        post: Entry = output.subject
        fonts = parts.once(
            "card fonts", lambda: parts.files(Path(font_path(bold)) for bold in (False, True))
        )
        return (parts.toolkit, parts.config, post.title.get(self.context.lang_code(output)), fonts)
