"""Turn a post in one language into its PDF edition, set in that language's direction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set

from bilingual.publish import urls
from bilingual.publish.pdf.document import (
    print_stylesheets,
    site_strings,
    source_date,
    w3c_date,
    write_pdf,
)
from bilingual.publish.pdf.fetcher import pdf_fetcher
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.templating import TemplateSet, render_template
from bilingual.publish.views import entry_view
from bilingual.site.model import Entry, Site
from bilingual.text.languages import Language

POST_TEMPLATE = "print/post.html"
UNDATED = dt.date(1970, 1, 1)


class PdfRenderer(Renderer):
    name = "pdf"

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(output.lang or site.config.site.default_language.code)
        return post_pdf(site, self.context.templates, output.subject, lang, self.context.paths,
                        output.template or POST_TEMPLATE)


def post_pdf(site: Site, templates: TemplateSet, post: Entry, lang: Language,
             existing: Set[str] = frozenset(), template: str = POST_TEMPLATE) -> bytes:
    """The PDF edition of ``post`` in ``lang``, dated by the post (never by the clock)."""
    source = post.sources.get(lang.code)
    base_url = source.resolve().parent.as_uri() + "/" if source else None
    fetcher = pdf_fetcher(site, base_url, [source]) if base_url and source else None
    return write_pdf(post_html(site, templates, post, lang, existing, template),
                     print_stylesheets(templates, lang, site.config.pdf), lang,
                     base_url=base_url, source=source, fetcher=fetcher)


def post_html(site: Site, templates: TemplateSet, post: Entry, lang: Language,
              existing: Set[str] = frozenset(), template: str = POST_TEMPLATE) -> str:
    """The print HTML of ``post``: Unicode isolates instead of <bdi>, metadata in <head>."""
    entry = entry_view(site, post, lang, existing, mode="print")
    return render_template(templates.environment(lang, mode="print"), template, {
        **site_strings(site, lang),
        "entry": entry,
        "online_url": urls.absolute(site.config.site.base_url, entry.path),
        "created": w3c_date(post.date or source_date(UNDATED)),
    })
