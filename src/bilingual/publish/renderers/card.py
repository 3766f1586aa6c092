"""Turn a post in one language into its social card: the site title and the post title on a PNG."""

from __future__ import annotations

from urllib.parse import urlsplit

from bilingual.publish.cards import render_card
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.views import Text, site_text
from bilingual.site.model import Entry
from bilingual.text.languages import language


class CardRenderer(Renderer):
    name = "card"

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(output.lang or site.config.site.default_language.code)
        post: Entry = output.subject
        found = site_text(site, "title", lang)
        site_title = Text(found.value, found.lang) if found else Text("", lang)
        title = Text(post.title[lang.code], language(lang.code))
        host = urlsplit(site.config.site.base_url).hostname or ""
        return render_card(site_title, title, host, lang)
