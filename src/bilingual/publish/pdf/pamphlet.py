"""Turn a selection of posts into a pamphlet PDF: cover, contents, posts and back cover.

A pamphlet is in one language, or (``parallel``) in two side by side; ``booklet``
imposes its A5 pages onto A4 sheets for saddle stitching.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup
from pypdf import PdfReader

from bilingual.atomic import write_atomically
from bilingual.errors import BilingualError, RenderError
from bilingual.publish.pdf.document import (
    print_stylesheets,
    site_strings,
    source_date,
    w3c_date,
    write_pdf,
)
from bilingual.publish.pdf.fetcher import pdf_fetcher
from bilingual.publish.pdf.imposition import impose_booklet
from bilingual.publish.templating import TemplateSet, render_template, template_set
from bilingual.publish.views import EntryView, entry_view
from bilingual.site.model import Entry, Site
from bilingual.site.reader import load_site
from bilingual.text.languages import Language
from bilingual.text.markdown import render_markdown

PAMPHLET_TEMPLATE = "print/pamphlet.html"
PARALLEL_TEMPLATE = "print/parallel.html"
MASTHEAD_TEMPLATE = "print/masthead.html"
# Each post of a pamphlet is an <article> (print/_print.html, print/parallel.html); markdown-it
# and the HTML sanitiser write attributes in double quotes.
ARTICLE = re.compile(r'<article class="post" id="post-([^"]+)"')
IMAGE_SOURCE = re.compile(r'(<(?:img|source)\b[^>]*?\ssrc=")([^"]*)(")', re.IGNORECASE)


@dataclass(frozen=True)
class Selection:
    """Which posts to gather: those with ``tag``, those named in ``slugs``, or all of them."""

    tag: str | None = None
    slugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PamphletResult:
    """What was written: ``pages`` counts the A5 pages, before any imposition."""

    path: Path
    languages: tuple[Language, ...]
    posts: tuple[Entry, ...]
    pages: int
    booklet: bool
    skipped: tuple[Entry, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"skipped {post.slug}: not translated into "
            f"{', '.join(lang.code for lang in self.languages if not post.has(lang.code))}"
            for post in self.skipped
        )


@dataclass(frozen=True)
class Column:
    """A post in one language of a parallel edition, its head set in that language."""

    view: EntryView
    masthead: Markup


@dataclass(frozen=True)
class ParallelPost:
    """One post in two languages; ``rows`` pairs their blocks (in column order) if they match."""

    primary: Column
    partner: Column
    rows: tuple[tuple[Markup, Markup], ...] | None

    @property
    def columns(self) -> tuple[Column, Column]:
        """Left to right on the page: the left-to-right language first."""
        if self.primary.view.lang.is_rtl and not self.partner.view.lang.is_rtl:
            return self.partner, self.primary
        return self.primary, self.partner


def make_pamphlet(
    site_root: Path | str,
    *,
    out: Path | str,
    lang: str | None = None,
    tag: str | None = None,
    slugs: Sequence[str] = (),
    title: str | None = None,
    booklet: bool = False,
    parallel: bool = False,
) -> PamphletResult:
    """Write the pamphlet of the chosen posts to ``out`` (atomically) and describe it.

    With ``parallel``, ``lang`` (default: the site's default language) sets the
    covers and the reading direction, and posts missing in the other language
    are skipped (listed in the result's ``skipped``).
    """
    root = Path(site_root)
    site = load_site(root)
    language = _language(site, lang)
    selection = Selection(tag, tuple(slugs))
    languages = (language, _partner(site, language)) if parallel else (language,)
    posts, skipped = select_posts(site, selection, languages)
    pdf = render_pamphlet(site, template_set(root), posts, languages, selection, title)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if booklet:
        pdf = impose_booklet(pdf, "right" if language.is_rtl else "left")
    destination = Path(out)
    _write(destination, pdf)
    return PamphletResult(destination, languages, posts, pages, booklet, skipped)


def _language(site: Site, code: str | None) -> Language:
    config = site.config.site
    if code is None:
        return config.default_language
    if code not in config.codes:
        raise BilingualError(
            f"unknown language {code!r}", hint=f"the site's languages are {', '.join(config.codes)}"
        )
    return config.language(code)


def _partner(site: Site, primary: Language) -> Language:
    others = [lang for lang in site.config.site.languages if lang != primary]
    if not others:
        raise BilingualError(
            "a parallel edition needs a site with at least two languages",
            hint="add a second language to [site] languages in bilingual.toml",
        )
    return others[0]


def select_posts(
    site: Site,
    selection: Selection,
    languages: Sequence[Language],
) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """The chosen posts written in every one of ``languages``, and those skipped for lacking one.

    Named posts keep the order given; the others come oldest first, as they were written.
    """
    if selection.tag and selection.slugs:
        raise BilingualError("choose posts by --tag or by --posts, not both")
    if selection.slugs:
        chosen = [_post(site, slug) for slug in selection.slugs]
        if len(languages) == 1:
            for post in chosen:
                _require_language(post, languages[0])
    else:
        chosen = sorted(
            _candidates(site, selection.tag, languages),
            key=lambda post: (post.date or dt.date.min, post.slug),
        )
    complete = tuple(post for post in chosen if all(post.has(lang.code) for lang in languages))
    skipped = tuple(post for post in chosen if post not in complete)
    if not complete:
        raise BilingualError(
            "no post matches: the pamphlet would be empty", hint=_empty_hint(selection, languages)
        )
    return complete, skipped


def _candidates(site: Site, tag: str | None, languages: Sequence[Language]) -> list[Entry]:
    posts = list(site.posts)
    if tag is not None:
        if tag not in site.tags:
            raise BilingualError(
                f"unknown tag {tag!r}",
                hint="tags are the keys of "
                f"content/tags.yaml: {', '.join(site.tags) or 'none yet'}",
            )
        posts = [post for post in posts if site.tags[tag] in post.tags]
    if len(languages) == 1:
        return [post for post in posts if post.has(languages[0].code)]
    return [post for post in posts if any(post.has(lang.code) for lang in languages)]


def _post(site: Site, slug: str) -> Entry:
    for post in site.posts:
        if post.slug == slug:
            return post
    raise BilingualError(
        f"unknown post {slug!r}",
        hint="give the slugs of posts: the folder names under content/posts",
    )


def _require_language(post: Entry, lang: Language) -> None:
    if not post.has(lang.code):
        raise BilingualError(
            f"post {post.slug!r} has no {lang.code} version",
            post.sources.get(post.languages[0]) if post.languages else None,
            hint=f"translate it or leave it out of a {lang.code} pamphlet",
        )


def _empty_hint(selection: Selection, languages: Sequence[Language]) -> str:
    wanted = " and ".join(lang.code for lang in languages)
    if selection.tag:
        return f"no post tagged {selection.tag!r} is written in {wanted}"
    return f"no chosen post is written in {wanted}"


def render_pamphlet(
    site: Site,
    templates: TemplateSet,
    posts: Sequence[Entry],
    languages: Sequence[Language],
    selection: Selection = Selection(),
    title: str | None = None,
) -> bytes:
    """The pamphlet's PDF: in ``languages[0]``, with ``languages[1]`` beside it if given."""
    lang = languages[0]
    env = templates.environment(lang, mode="print")
    date = source_date(max(post.date or dt.date.min for post in posts))
    entries = [entry_view(site, post, lang, frozenset(), mode="print") for post in posts]
    context: dict[str, object] = {
        **site_strings(site, lang),
        "pamphlet_title": title or _given_title(site, selection, entries, lang),
        "date": date,
        "created": w3c_date(date),
        "entries": entries,
        "authors": list(dict.fromkeys(post.author for post in posts if post.author)),
        "site_url": site.config.site.base_url,
    }
    template = PAMPHLET_TEMPLATE
    if len(languages) > 1:
        template = PARALLEL_TEMPLATE
        context["parallel"] = [_parallel_post(site, templates, post, languages) for post in posts]
    html = rebase_images(
        render_template(env, template, context), {post.slug: post_folder(post) for post in posts}
    )
    base_url = site.config.layout.content.resolve().as_uri() + "/"
    sources = [
        path
        for post in posts
        for language in languages
        if (path := post.sources.get(language.code)) is not None
    ]
    return write_pdf(
        html,
        print_stylesheets(templates, lang, site.config.pdf),
        lang,
        base_url=base_url,
        fetcher=pdf_fetcher(site, base_url, sources),
    )


def post_folder(post: Entry) -> Path:
    """The folder a post's files live in, from which its relative addresses resolve."""
    return post.sources[post.sources.languages[0]].resolve().parent


def rebase_images(html: str, folders: Mapping[str, Path]) -> str:
    """``html`` with the relative image addresses of each post resolved from the post's folder.

    A post's PDF edition reads ``![map](map.png)`` from the post's folder; in a pamphlet the
    posts share one document, so each ``<article id="post-SLUG">`` gets absolute addresses.
    """
    head, *articles = ARTICLE.split(html)
    rebased = [head]
    for slug, article in zip(articles[::2], articles[1::2], strict=True):
        folder = folders.get(slug)
        rebased += [
            f'<article class="post" id="post-{slug}"',
            _rebase_article(article, folder) if folder else article,
        ]
    return "".join(rebased)


def _rebase_article(article: str, folder: Path) -> str:
    base = folder.as_uri() + "/"
    return IMAGE_SOURCE.sub(lambda found: found[1] + _resolved(base, found[2]) + found[3], article)


def _resolved(base: str, address: str) -> str:
    """``address`` joined to ``base`` if it is relative to the page, else as written."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or address.startswith(("/", "#")) or not address:
        return address
    return urljoin(base, address)


def _given_title(
    site: Site, selection: Selection, entries: list[EntryView], lang: Language
) -> str | None:
    """The tag's label or the only post's title; None lets the template say "Selected posts"."""
    if selection.tag:
        found = site.tags[selection.tag].label.resolve(
            lang.code, site.config.site.fallbacks(lang.code)
        )
        return found[1] if found else selection.tag
    return entries[0].title if len(entries) == 1 else None


def _parallel_post(
    site: Site, templates: TemplateSet, post: Entry, languages: Sequence[Language]
) -> ParallelPost:
    primary, partner = (
        _column(site, templates, post, lang, lang == languages[0]) for lang in languages[:2]
    )
    pair = ParallelPost(primary, partner, None)
    allow_html = site.config.content.allow_html
    left, right = (
        body_blocks(post.body.get(column.view.lang.code) or "", column.view.lang, allow_html)
        for column in pair.columns
    )
    if len(left) != len(right):
        return pair
    return ParallelPost(primary, partner, tuple(zip(left, right, strict=True)))


def _column(
    site: Site, templates: TemplateSet, post: Entry, lang: Language, primary: bool
) -> Column:
    view = entry_view(site, post, lang, frozenset(), mode="print")
    env = templates.environment(lang, mode="print")
    masthead = render_template(env, MASTHEAD_TEMPLATE, {"entry": view, "primary": primary})
    return Column(view, Markup(masthead))


def body_blocks(source: str, lang: Language, allow_html: bool = False) -> list[Markup]:
    """Render each top-level block of ``source`` on its own, for pairing with a translation."""
    lines = source.splitlines(keepends=True)
    starts = [
        token.map[0]
        for token in _block_parser(allow_html).parse(source)
        if token.level == 0 and token.nesting in (0, 1) and token.map
    ]
    ends = [*starts[1:], len(lines)]
    return [
        Markup(render_markdown("".join(lines[start:end]), lang.direction, "print", allow_html))
        for start, end in zip(starts, ends, strict=True)
    ]


@cache
def _block_parser(allow_html: bool) -> MarkdownIt:
    """A parser that splits blocks as markup.render_markdown sees them."""
    return MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])


def _write(path: Path, pdf: bytes) -> None:
    """Write the PDF in one step, so readers never see half of it."""
    try:
        write_atomically(path, pdf)
    except OSError as error:
        raise RenderError(f"cannot write the pamphlet: {error.strerror}", path) from None
