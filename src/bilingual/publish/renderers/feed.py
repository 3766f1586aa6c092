"""Turn a language's posts, or those of one tag, into an Atom feed (RFC 4287)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from bilingual.publish import urls
from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.templating import render_template
from bilingual.publish.views import entry_view, site_text, tag_view
from bilingual.site.model import Entry, Tag
from bilingual.text.languages import Language

FEED_SIZE = 20
"""A feed lists the newest posts, this many."""


class FeedRenderer(Renderer):
    name = "feed"

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(output.lang or "")
        tag = _tag(output)
        posts = self.listed(output)
        env = self.context.templates.environment(lang)
        base = site.config.site.base_url
        page = urls.tag(tag.key, lang.code) if tag else urls.home(lang.code)
        text = render_template(
            env,
            output.template or "feed.xml",
            {
                "page_path": output.path,
                "feed_url": urls.absolute(base, output.path),
                "home_url": urls.absolute(base, page),
                "site_title": site_text(site, "title", lang),
                "site_tagline": site_text(site, "tagline", lang),
                "tag": tag_view(site, tag, lang, self.context.paths) if tag else None,
                "author": self._author(lang),
                "translations": [
                    (code, urls.absolute(base, path))
                    for code, path in self.context.versions(output)
                    if code != lang.code
                ],
                "updated": max(
                    (post.last_modified for post in posts if post.last_modified), default=None
                ),
                "posts": [self._entry(post, lang) for post in posts],
            },
        )
        return text.encode("utf-8")

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        lang = output.lang or ""
        tag = _tag(output)
        return (
            parts.chrome(lang),
            parts.template(output.template or "feed.xml"),
            parts.alternates(output.key),
            parts.tag(tag, lang) if tag else None,
            parts.entries(self.listed(output), lang),
        )

    def listed(self, output: Output) -> list[Entry]:
        """The posts ``output`` lists: the newest of its language, or of its tag."""
        site = self.context.site
        lang = output.lang or ""
        tag = _tag(output)
        return (site.tagged(tag, lang) if tag else site.posts_in(lang))[:FEED_SIZE]

    def bodies_from(self, output: Output) -> list[str]:
        lang = output.lang or ""
        pages = (self.context.path_for(("post", post.slug), lang) for post in self.listed(output))
        return [page for page in pages if page is not None]

    def _author(self, lang: Language) -> str:
        """The feed's author: ``[site] author``, else the site's title (RFC 4287 4.1.1)."""
        site = self.context.site
        found = site_text(site, "author", lang) or site_text(site, "title", lang)
        return found.value if found else site.config.site.base_url

    def _entry(self, post: Entry, lang: Language) -> dict[str, Any]:
        base = self.context.site.config.site.base_url
        return {
            "view": entry_view(self.context.site, post, lang, self.context.paths),
            "url": urls.absolute(base, urls.entry(post, lang.code)),
            "translations": [
                (code, urls.absolute(base, urls.entry(post, code)))
                for code in post.languages
                if code != lang.code
            ],
        }


def _tag(output: Output) -> Tag | None:
    return output.subject if isinstance(output.subject, Tag) else None
