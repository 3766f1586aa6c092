"""Turn a language's posts into an Atom feed with RFC 3339 dates."""

from __future__ import annotations

from .. import urls
from ..generators import Output
from ..templating import render_template
from ..views import entry_view, site_text
from . import Renderer

FEED_SIZE = 20


class FeedRenderer(Renderer):
    name = "feed"

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(output.lang or "")
        posts = site.posts_in(lang.code)[:FEED_SIZE]
        env = self.context.templates.environment(lang)
        base = site.config.site.base_url
        text = render_template(env, output.template or "feed.xml", {
            "page_path": output.path,
            "feed_url": urls.absolute(base, output.path),
            "home_url": urls.absolute(base, urls.home(lang.code)),
            "site_title": site_text(site, "title", lang),
            "site_tagline": site_text(site, "tagline", lang),
            "updated": max((post.date for post in posts if post.date), default=None),
            "posts": [entry_view(site, post, lang, self.context.paths) for post in posts],
            "absolute": lambda path: urls.absolute(base, path),
        })
        return text.encode("utf-8")
