"""Turn print HTML into reproducible PDF bytes with shared fonts and stylesheets parsed once."""

from __future__ import annotations

import datetime as dt
import os
from functools import cache, partial
from pathlib import Path
from typing import cast

import pydyf
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from bilingual.errors import RenderError
from bilingual.publish.pdf.fetcher import ResourceRefused, stylesheet_fetcher
from bilingual.publish.pdf.fonts import missing_glyphs, require_bundled_fonts
from bilingual.publish.pdf.streams import compress_streams
from bilingual.publish.pdf.text_layer import text_layer
from bilingual.publish.templating import TemplateSet, render_template
from bilingual.publish.views import Text, site_text
from bilingual.site.config import PdfConfig
from bilingual.site.model import Site
from bilingual.text.languages import Language
from bilingual.text.persian import uses_jalali

BASE_STYLESHEET = "print/print.css"
PAGE_STYLESHEET = "print/page.css"
LOCAL_SCHEMES = frozenset({"file", "data"})
PDF_VARIANT = "pdf/ua-1"


@cache
def font_configuration() -> FontConfiguration:
    """The process's one font configuration: every @font-face is loaded into it once."""
    return FontConfiguration()


@cache
def url_fetcher() -> URLFetcher:
    """Fetch only local files: a build never waits on, or changes with, the network."""
    return URLFetcher(allowed_protocols=LOCAL_SCHEMES)


@cache
def parsed_stylesheet(text: str, base_url: str) -> CSS:
    """Parse a stylesheet once per process, its fonts registered in the shared configuration."""
    return CSS(
        string=text,
        base_url=base_url,
        font_config=font_configuration(),
        url_fetcher=stylesheet_fetcher(base_url),
    )


def template_file(templates: TemplateSet, name: str) -> Path:
    """The file that provides template ``name``: the site's own, else the theme's."""
    for folder in templates.template_dirs:
        if (folder / name).is_file():
            return folder / name
    raise RenderError(
        f"print template not found: {name}", hint="the theme's templates/print folder is incomplete"
    )


def print_stylesheets(templates: TemplateSet, lang: Language, pdf: PdfConfig) -> list[CSS]:
    """The typography (one file) and the page geometry for ``lang`` and the [pdf] settings."""
    base = template_file(templates, BASE_STYLESHEET)
    page = template_file(templates, PAGE_STYLESHEET)
    env = templates.environment(lang, mode="print")
    page_text = render_template(
        env,
        PAGE_STYLESHEET,
        {
            "pdf": pdf,
            "digits": page_digits(lang),
        },
    )
    return [
        parsed_stylesheet(_read_css(base), base.parent.as_uri() + "/"),
        parsed_stylesheet(page_text, page.parent.as_uri() + "/"),
    ]


def page_digits(lang: Language) -> str:
    """The CSS counter style of page numbers: Persian digits for Persian editions."""
    return "persian" if uses_jalali(lang.code) else "decimal"


def _read_css(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write_pdf(
    html: str,
    stylesheets: list[CSS],
    lang: Language,
    base_url: str | None,
    source: Path | str | None = None,
    fetcher: URLFetcher | None = None,
) -> bytes:
    """Render ``html`` to a tagged PDF/UA-1 file; the same input always gives the same bytes.

    Dates come from the document's ``dcterms.created``/``modified`` meta tags,
    the /ID from a hash of the content, /Lang from ``<html lang>``. Every word
    of right-to-left text carries its source text (text_layer.py), every glyph
    comes from a bundled font (fonts.py), and viewers open the file as two-page
    spreads, right to left for right-to-left documents.
    """
    try:
        # Presentational hints: an image's width attribute sizes it in print as on the web.
        document = HTML(
            string=html, base_url=base_url, url_fetcher=fetcher or url_fetcher()
        ).render(
            stylesheets=stylesheets,
            font_config=font_configuration(),
            pdf_variant=PDF_VARIANT,
            presentational_hints=True,
        )
        with text_layer(lang.code, lang.is_rtl), missing_glyphs() as missing:
            pdf = document.write_pdf(
                pdf_identifier=True, pdf_variant=PDF_VARIANT, finisher=partial(_finish, lang)
            )
    except ResourceRefused as refused:
        raise refused.error from None
    except (OSError, ValueError) as error:
        raise RenderError(f"cannot render the PDF: {error}", source) from error
    assert pdf is not None
    require_bundled_fonts(document, font_configuration(), source, missing.characters)
    return cast(bytes, pdf)


def _finish(lang: Language, document: Document, pdf: pydyf.PDF) -> None:
    """Set how viewers open the file, then deflate its streams once (streams.py)."""
    _viewer_preferences(lang, pdf)
    compress_streams(pdf)


def _viewer_preferences(lang: Language, pdf: pydyf.PDF) -> None:
    """Open as facing pages, the first on its own, in the document's reading direction."""
    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["DisplayDocTitle"] = "true"
    if lang.is_rtl:
        preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences
    pdf.catalog["PageLayout"] = "/TwoPageRight"


def w3c_date(date: dt.date | dt.datetime) -> str:
    """The ``dcterms`` form of a date, in UTC, e.g. 2010-01-20T00:00:00Z."""
    if isinstance(date, dt.datetime):
        moment = date.astimezone(dt.UTC) if date.tzinfo else date
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{date.isoformat()}T00:00:00Z"


def source_date(fallback: dt.date) -> dt.date:
    """The reproducible-builds date (SOURCE_DATE_EPOCH) if set, else ``fallback``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return fallback
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise RenderError(
            f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}",
            hint="e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
        ) from None


def site_strings(site: Site, lang: Language) -> dict[str, Text | None]:
    """The site's title, tagline and motto in ``lang`` (or a fallback), for print templates."""
    return {f"site_{name}": site_text(site, name, lang) for name in ("title", "tagline", "motto")}
