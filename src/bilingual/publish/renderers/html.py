"""Turn a planned page (post, static page, index, tag list, redirect) into an HTML document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bilingual.i18n.localization import load_translations
from bilingual.publish import urls
from bilingual.publish.plan import Output, Page
from bilingual.publish.renderers import BuildContext, Renderer
from bilingual.publish.share import share_links
from bilingual.publish.templating import render_template
from bilingual.publish.views import (
    EntryView,
    entry_view,
    site_text,
    tag_view,
    x_default,
)
from bilingual.text.languages import Language


@dataclass(frozen=True)
class Alternate:
    """The same content in another language, or that language's home when it has none."""

    lang: Language
    path: str
    available: bool
    url: str  # absolute


class HtmlRenderer(Renderer):
    name = "html"

    def __init__(self, context: BuildContext) -> None:
        super().__init__(context)
        self._code_labels: dict[str, str] = {}

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(output.lang or site.config.site.default_language.code)
        env = self.context.templates.environment(lang)
        context = {**self._common(output, lang), **self._specific(output, lang)}
        return render_template(env, output.template or "page.html", context).encode("utf-8")

    def _common(self, output: Output, lang: Language) -> dict[str, Any]:
        site = self.context.site
        paths = self.context.paths
        base = site.config.site.base_url
        default = x_default(self.context.versions(output), site.config.site.default_language.code)
        return {
            "page_path": output.path,
            "output": output,
            "site": site,
            "site_title": site_text(site, "title", lang),
            "site_tagline": site_text(site, "tagline", lang),
            "site_motto": site_text(site, "motto", lang),
            "base_url": site.config.site.base_url,
            "canonical_url": urls.absolute(site.config.site.base_url, output.path),
            "alternates": self._alternates(output),
            "x_default_url": urls.absolute(base, default) if default else None,
            "search_path": urls.search(lang.code) if urls.search(lang.code) in paths else None,
            "home_path": urls.home(lang.code),
            "feed_path": urls.feed(lang.code),
            "tags_path": urls.tags_index(lang.code) if urls.tags_index(lang.code) in paths else None,
            "menu": [entry_view(site, page, lang, paths) for page in site.pages if page.has(lang.code)],
            "stylesheet": urls.static("style.css"),
        }

    def _alternates(self, output: Output) -> list[Alternate]:
        found = []
        base = self.context.site.config.site.base_url
        for lang in self.context.site.config.site.languages:
            path = self.context.path_for(output.key, lang.code) or urls.home(lang.code)
            found.append(Alternate(lang, path, self.context.path_for(output.key, lang.code)
                                   is not None, urls.absolute(base, path)))
        return found

    def _entry(self, output: Output, lang: Language) -> dict[str, Any]:
        site = self.context.site
        entry = entry_view(site, output.subject, lang, self.context.paths,
                           code_label=self._code_label(lang))
        return {"entry": entry, "share": self._share(entry, lang)}

    def _share(self, entry: EntryView, lang: Language) -> list[Any]:
        config = self.context.site.config
        url = urls.absolute(config.site.base_url, entry.path)
        return share_links(config.share.links, url, entry.title, lang)

    def _code_label(self, lang: Language) -> str:
        if lang.code not in self._code_labels:
            translations = load_translations(lang.code, self.context.templates.locale_dirs)
            self._code_labels[lang.code] = translations.gettext("Code")
        return self._code_labels[lang.code]

    def _specific(self, output: Output, lang: Language) -> dict[str, Any]:
        site, paths = self.context.site, self.context.paths
        subject = output.subject
        if output.kind in ("post", "page"):
            return self._entry(output, lang)
        if output.kind == "search":
            return {"bundles": [urls.relative(output.path, path) for path in subject]}
        if output.kind == "index":
            return {"pagination": self._pagination(subject, lang),
                    "posts": [entry_view(site, post, lang, paths) for post in subject.posts]}
        if output.kind == "tag":
            feed = urls.tag_feed(subject.key, lang.code)
            return {"tag": tag_view(site, subject, lang, paths),
                    "tag_feed_path": feed if feed in paths else None,
                    "posts": [entry_view(site, post, lang, paths)
                              for post in site.tagged(subject, lang.code)]}
        if output.kind == "tags":
            return {"tags": [tag_view(site, tag, lang, paths) for tag in subject]}
        return {}

    def _pagination(self, page: Page, lang: Language) -> dict[str, Any]:
        def path(number: int) -> str | None:
            return urls.home(lang.code, number) if 1 <= number <= page.count else None
        return {"number": page.number, "count": page.count,
                "previous": path(page.number - 1), "next": path(page.number + 1)}
