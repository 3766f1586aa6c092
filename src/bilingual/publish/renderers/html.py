"""Turn a planned page (post, static page, index, tag list, redirect) into an HTML document."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup

from bilingual.i18n.localization import load_translations
from bilingual.publish import urls
from bilingual.publish.fingerprints import Fingerprints
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
from bilingual.site.model import Entry
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
        # What every page of a language shows alike.
        self._chrome: dict[str, dict[str, Any]] = {}

    def render(self, output: Output) -> bytes:
        lang = self.context.site.config.site.language(self.context.lang_code(output))
        env = self.context.templates.environment(lang)
        context = {**self._common(output, lang), **self._specific(output, lang)}
        return render_template(env, output.template or "page.html", context).encode("utf-8")

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        # _common reads the language's chrome and the other languages' versions; _specific
        # reads what _specific_inputs lists, kind by kind.
        lang = self.context.lang_code(output)
        return (
            parts.chrome(lang),
            parts.template(output.template or "page.html"),
            parts.alternates(output.key),
            self._specific_inputs(output, lang, parts),
        )

    def _common(self, output: Output, lang: Language) -> dict[str, Any]:
        base = self.context.site.config.site.base_url
        default = x_default(
            self.context.versions(output), self.context.site.config.site.default_language.code
        )
        return {
            **self._language_chrome(lang),
            "page_path": output.path,
            "output": output,
            "canonical_url": urls.absolute(base, output.path),
            "alternates": self._alternates(output),
            "x_default_url": urls.absolute(base, default) if default else None,
        }

    def _language_chrome(self, lang: Language) -> dict[str, Any]:
        if lang.code not in self._chrome:
            site = self.context.site
            paths = self.context.paths
            tags = urls.tags_index(lang.code)
            self._chrome[lang.code] = {
                "site": site,
                "site_title": site_text(site, "title", lang),
                "site_tagline": site_text(site, "tagline", lang),
                "site_motto": site_text(site, "motto", lang),
                "base_url": site.config.site.base_url,
                "search_path": urls.search(lang.code) if urls.search(lang.code) in paths else None,
                "home_path": urls.home(lang.code),
                "feed_path": urls.feed(lang.code),
                "tags_path": tags if tags in paths else None,
                "menu": [self._view(page, lang) for page in site.pages if page.has(lang.code)],
                "stylesheet": urls.static("style.css"),
            }
        return self._chrome[lang.code]

    def _alternates(self, output: Output) -> list[Alternate]:
        found = []
        base = self.context.site.config.site.base_url
        for lang in self.context.site.config.site.languages:
            path = self.context.path_for(output.key, lang.code) or urls.home(lang.code)
            found.append(
                Alternate(
                    lang,
                    path,
                    self.context.path_for(output.key, lang.code) is not None,
                    urls.absolute(base, path),
                )
            )
        return found

    def _entry(self, output: Output, lang: Language) -> dict[str, Any]:
        site = self.context.site
        entry = entry_view(
            site, output.subject, lang, self.context.paths, code_label=self._code_label(lang)
        )
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

    # Per kind of page: what its template gets, and beside it what that is made from.

    def _search(self, output: Output, lang: Language) -> dict[str, Any]:
        return {"bundles": [urls.relative(output.path, path) for path in output.subject]}

    def _search_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        return tuple(output.subject)

    def _index(self, output: Output, lang: Language) -> dict[str, Any]:
        page: Page = output.subject
        return {
            "pagination": self._pagination(page, lang),
            "summary": _summary,
            "posts": [self._view(post, lang) for post in page.posts],
        }

    def _index_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        page: Page = output.subject
        return (page.number, page.count, parts.entries(page.posts, lang))

    def _tag(self, output: Output, lang: Language) -> dict[str, Any]:
        site, tag = self.context.site, output.subject
        feed = urls.tag_feed(tag.key, lang.code)
        return {
            "tag": tag_view(site, tag, lang, self.context.paths),
            "tag_feed_path": feed if feed in self.context.paths else None,
            "summary": _summary,
            "posts": [self._view(post, lang) for post in site.tagged(tag, lang.code)],
        }

    def _tag_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        tag = output.subject
        return (parts.tag(tag, lang), parts.entries(self.context.site.tagged(tag, lang), lang))

    def _tags(self, output: Output, lang: Language) -> dict[str, Any]:
        return {
            "tags": [
                tag_view(self.context.site, tag, lang, self.context.paths) for tag in output.subject
            ]
        }

    def _tags_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        return tuple(parts.tag(tag, lang) for tag in output.subject)

    def _redirect(self, output: Output, lang: Language) -> dict[str, Any]:
        return {}

    def _redirect_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        return self.context.site.config.site.default_language.code

    def _entry_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        return parts.entry(output.subject, lang)

    KINDS: ClassVar[dict[str, tuple[Callable[..., dict[str, Any]], Callable[..., Hashable]]]] = {
        "post": (_entry, _entry_inputs),
        "page": (_entry, _entry_inputs),
        "search": (_search, _search_inputs),
        "index": (_index, _index_inputs),
        "tag": (_tag, _tag_inputs),
        "tags": (_tags, _tags_inputs),
        "redirect": (_redirect, _redirect_inputs),
    }

    def _specific(self, output: Output, lang: Language) -> dict[str, Any]:
        make, _ = self.KINDS.get(output.kind, (None, None))
        return make(self, output, lang) if make is not None else {}

    def _specific_inputs(self, output: Output, lang: str, parts: Fingerprints) -> Hashable:
        _, inputs = self.KINDS.get(output.kind, (None, None))
        return inputs(self, output, lang, parts) if inputs is not None else parts.everything

    def _view(self, post: Entry, lang: Language) -> EntryView:
        # Made for each page, not kept: kept views and summaries of every post cost each
        # worker more memory (about 20 MB for 5,000 posts) than making them again costs time.
        return entry_view(self.context.site, post, lang, self.context.paths)

    def _pagination(self, page: Page, lang: Language) -> dict[str, Any]:
        def path(number: int) -> str | None:
            return urls.home(lang.code, number) if 1 <= number <= page.count else None

        return {
            "number": page.number,
            "count": page.count,
            "previous": path(page.number - 1),
            "next": path(page.number + 1),
        }


def _summary(macro: Any, post: EntryView) -> Markup:
    """``summary(m.post_summary, post)`` in list templates: what the macro writes for ``post``."""
    return Markup(macro(post))
