"""Turn a post in one language into its PDF edition, set in that language's direction.

WeasyPrint is imported when the first PDF is rendered, not when a build only fingerprints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Hashable, Set
from pathlib import Path

from bilingual.publish import urls
from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.templating import TemplateSet, render_template
from bilingual.publish.views import entry_view
from bilingual.site.layout import PRINT_DIR
from bilingual.site.model import Entry, Site
from bilingual.text.languages import Language

POST_TEMPLATE = "print/post.html"
UNDATED = dt.date(1970, 1, 1)


class PdfRenderer(Renderer):
    name = "pdf"

    def render(self, output: Output) -> bytes:
        site = self.context.site
        lang = site.config.site.language(self.context.lang_code(output))
        return post_pdf(
            site,
            self.context.templates,
            output.subject,
            lang,
            self.context.paths,
            output.template or POST_TEMPLATE,
        )

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        lang = self.context.lang_code(output)
        post: Entry = output.subject
        return (
            parts.toolkit,
            parts.config,
            repr(self.context.site.config.pdf),
            parts.catalog(lang),
            parts.template(output.template or POST_TEMPLATE),
            parts.once(PRINT_DIR, lambda: _print_files(parts)),
            parts.entry(post, lang, "print"),
            _undated_epoch(post),
            parts.files(beside(post, lang)),
        )


def _print_files(parts: Fingerprints) -> Hashable:
    """The print stylesheets (templates too) and the fonts and images beside them."""
    stylesheets = sorted(
        {
            path.relative_to(folder).as_posix()
            for folder in parts.templates.template_dirs
            for path in (folder / PRINT_DIR).glob("*.css")
        }
    )
    return (
        tuple(parts.template(name) for name in stylesheets),
        parts.template_files(PRINT_DIR, skip_suffixes=(".html", ".css")),
    )


def _undated_epoch(post: Entry) -> str:
    """What dates a post without a date: SOURCE_DATE_EPOCH (see ``source_date``)."""
    return os.environ.get("SOURCE_DATE_EPOCH", "") if post.date is None else ""


def beside(post: Entry, lang: str) -> list[Path]:
    """The files beside a post's text (its images), which its PDF may embed."""
    source = post.sources.get(lang)
    if source is None:
        return []
    return [path for path in sorted(source.parent.iterdir()) if path.suffix != ".md"]


def post_pdf(
    site: Site,
    templates: TemplateSet,
    post: Entry,
    lang: Language,
    existing: Set[str] = frozenset(),
    template: str = POST_TEMPLATE,
) -> bytes:
    """The PDF edition of ``post`` in ``lang``, dated by the post (never by the clock)."""
    from bilingual.publish.pdf.document import print_stylesheets, write_pdf
    from bilingual.publish.pdf.fetcher import pdf_fetcher

    source = post.sources.get(lang.code)
    base_url = source.resolve().parent.as_uri() + "/" if source else None
    fetcher = pdf_fetcher(site, base_url, [source]) if base_url and source else None
    return write_pdf(
        post_html(site, templates, post, lang, existing, template),
        print_stylesheets(templates, lang, site.config.pdf),
        lang,
        base_url=base_url,
        source=source,
        fetcher=fetcher,
    )


def post_html(
    site: Site,
    templates: TemplateSet,
    post: Entry,
    lang: Language,
    existing: Set[str] = frozenset(),
    template: str = POST_TEMPLATE,
) -> str:
    """The print HTML of ``post``: Unicode isolates instead of <bdi>, metadata in <head>."""
    from bilingual.publish.pdf.document import site_strings, source_date, w3c_date

    entry = entry_view(site, post, lang, existing, mode="print")
    return render_template(
        templates.environment(lang, mode="print"),
        template,
        {
            **site_strings(site, lang),
            "entry": entry,
            "online_url": urls.absolute(site.config.site.base_url, entry.path),
            "created": w3c_date(post.date or source_date(UNDATED)),
        },
    )
