"""Turn each planned output into a fingerprint of what it is made from.

Two builds give an output the same fingerprint only if everything its renderer reads is the
same: for a post page, the post's fields in that language, its tags (label, count, page),
which languages it exists in, whether its PDF is built, the language's "chrome" (site strings,
menu, catalogs, the config) and the templates it uses, following extends/import/include. A list
(home pages, tag pages, the tags index, feeds) is made from the fingerprints of what it lists, a
PDF from the post, the print templates, stylesheets and fonts and the [pdf] settings, a static
file from its bytes. The toolkit (its version, its sources, the libraries installed beside it)
goes into everything. An output of a kind this module does not know is made from all of it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Hashable

from bilingual.i18n.localization import catalog_path
from bilingual.publish import urls
from bilingual.publish.cache import digest, digest_bytes, environment_key
from bilingual.publish.plan import Output, Page
from bilingual.publish.templating import TemplateSet
from bilingual.site.model import Entry, Site, Tag
from bilingual.site.resources import PACKAGE_DIR, theme_dir

FEED_SIZE = 20  # the feed renderer's: the newest posts
PRINT_FOLDER = "print"
PRINT_ROOTS = ("print/post.html", "print/print.css", "print/page.css")
CARD_FONTS = "print/fonts"


@cache
def _source_digest(stamp: tuple[tuple[str, int, int], ...]) -> str:
    return digest(tuple((name, digest_bytes(Path(name).read_bytes())) for name, _, _ in stamp))


def toolkit_digest() -> str:
    """The toolkit as it runs: installed libraries and the content of bilingual's own sources."""
    stamp = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        status = path.stat()
        stamp.append((str(path), status.st_size, status.st_mtime_ns))
    return digest(environment_key(), _source_digest(tuple(stamp)))


class Fingerprints:
    """The fingerprint of every output of one plan; each part is computed once."""

    def __init__(self, site: Site, templates: TemplateSet, outputs: Iterable[Output],
                 toolkit: str | None = None) -> None:
        self.site = site
        self.templates = templates
        self.outputs = tuple(outputs)
        self.paths = frozenset(output.path for output in self.outputs)
        self.by_key: dict[tuple[Hashable, str | None], str] = {
            (output.key, output.lang): output.path for output in self.outputs}
        self.toolkit = toolkit if toolkit is not None else toolkit_digest()
        self.codes = site.config.site.codes
        self._entries: dict[tuple[str, str, str], str] = {}
        self._templates: dict[str, str] = {}
        self._chrome: dict[str, str] = {}
        self._catalogs: dict[str, str] = {}

    def of(self, output: Output) -> str:
        method = getattr(self, f"_{output.renderer}", None)
        specific = method(output) if method is not None else self._everything()
        return digest(output.kind, output.path, output.renderer, output.lang, output.template,
                      specific)

    # ----- renderers

    def _html(self, output: Output) -> str:
        lang = output.lang or self.site.config.site.default_language.code
        return digest(self.chrome(lang), self.template(output.template or "page.html"),
                      self._alternates(output.key), self._subject(output, lang))

    def _feed(self, output: Output) -> str:
        lang = output.lang or ""
        tag = output.subject if isinstance(output.subject, Tag) else None
        listed = self.site.tagged(tag, lang) if tag is not None else self.site.posts_in(lang)
        return digest(self.chrome(lang), self.template(output.template or "feed.xml"),
                      self._alternates(output.key), self._tag(tag, lang) if tag else None,
                      tuple(self.entry(post, lang) for post in listed[:FEED_SIZE]))

    def _search(self, output: Output) -> str:
        # Pagefind names its data files after their content, and its runtime comes with the
        # toolkit's libraries: only the entry file, named the same always, is read.
        source: Path = output.subject
        if source.name == "pagefind-entry.json":
            return digest(digest_bytes(source.read_bytes()))
        return digest(self.toolkit, output.path)

    def _sitemap(self, output: Output) -> str:
        listed = []
        for other in self.outputs:
            if other.renderer == "html" and other.kind not in ("redirect", "search"):
                entry = other.subject if isinstance(other.subject, Entry) else None
                modified = entry.last_modified if entry is not None else None
                listed.append((other.kind, other.path, self._alternates(other.key),
                               modified.isoformat() if modified else None))
        return digest(self._config, tuple(listed))

    def _asset(self, output: Output) -> str:
        source: Path = output.subject
        return digest(digest_bytes(source.read_bytes()))

    def _pdf(self, output: Output) -> str:
        lang = output.lang or self.site.config.site.default_language.code
        post: Entry = output.subject
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "") if post.date is None else ""
        return digest(self.toolkit, self._config, repr(self.site.config.pdf), self.catalog(lang),
                      self._print, self.entry(post, lang, "print"), epoch,
                      self._neighbours(post, lang))

    def _card(self, output: Output) -> str:
        lang = output.lang or self.site.config.site.default_language.code
        post: Entry = output.subject
        return digest(self.toolkit, self._config, post.title.get(lang), self._card_fonts)

    # ----- parts

    @cached_property
    def _config(self) -> str:
        config = self.site.config
        return digest(repr(config.site), repr(config.content), repr(config.newsletter),
                      repr(config.share), repr(config.search))

    def chrome(self, lang: str) -> str:
        """What every HTML page of ``lang`` shows around its content."""
        if lang not in self._chrome:
            site = self.site
            menu = tuple((page.slug, page.title.get(lang), page.summary.get(lang),
                          urls.entry(page, lang)) for page in site.pages if page.has(lang))
            self._chrome[lang] = digest(self.toolkit, self._config, self.catalog(lang), menu,
                                        urls.tags_index(lang) in self.paths,
                                        urls.search(lang) in self.paths, lang)
        return self._chrome[lang]

    def catalog(self, lang: str) -> str:
        """The catalogs of ``lang`` (theme's, then site's), by content."""
        if lang not in self._catalogs:
            parts = []
            for folder in self.templates.locale_dirs:
                path = catalog_path(folder, lang)
                if path.is_file():
                    parts.append(digest_bytes(path.read_bytes()))
            self._catalogs[lang] = digest(tuple(parts))
        return self._catalogs[lang]

    def entry(self, entry: Entry, lang: str, mode: str = "html") -> str:
        """A post or page in ``lang`` as its views show it."""
        key = (entry.slug, lang, mode)
        if key not in self._entries:
            site, paths = self.site, self.paths
            tags = tuple(self._tag(tag, lang) for tag in entry.tags)
            body = entry.body.get(lang)
            self._entries[key] = digest(
                entry.kind, entry.slug, entry.title.get(lang), entry.summary.get(lang),
                digest_bytes(body.encode("utf-8", "surrogatepass")) if body is not None else None,
                entry.date.isoformat() if entry.date else None,
                entry.published_at.isoformat() if entry.published_at else None,
                entry.updated.isoformat() if entry.updated else None, entry.author, tags,
                entry.languages, urls.pdf(entry, lang) in paths, site.config.content.allow_html,
                mode, tuple(c for c in entry.comments if c.lang in (None, lang)))
        return self._entries[key]

    def _tag(self, tag: Tag, lang: str) -> tuple[Any, ...]:
        site = self.site
        label = tag.label.resolve(lang, site.config.site.fallbacks(lang))
        return (tag.key, label, urls.tag(tag.key, lang) in self.paths,
                len(site.tagged(tag, lang)))

    def _alternates(self, key: Hashable) -> tuple[str | None, ...]:
        return tuple(self.by_key.get((key, code)) for code in self.codes)

    def _subject(self, output: Output, lang: str) -> Any:
        subject = output.subject
        if output.kind in ("post", "page"):
            return self.entry(subject, lang)
        if output.kind == "index" and isinstance(subject, Page):
            return (subject.number, subject.count,
                    tuple(self.entry(post, lang) for post in subject.posts))
        if output.kind == "tag":
            return (self._tag(subject, lang),
                    tuple(self.entry(post, lang) for post in self.site.tagged(subject, lang)))
        if output.kind == "tags":
            return tuple(self._tag(tag, lang) for tag in subject)
        if output.kind == "redirect":
            return self.site.config.site.default_language.code
        if output.kind == "search":
            return subject
        return self._everything()

    def template(self, name: str) -> str:
        """``name`` and every template it extends, imports or includes, by content."""
        if name not in self._templates:
            self._templates[name] = digest(self._template_sources(name))
        return self._templates[name]

    def _template_sources(self, name: str) -> tuple[tuple[str, str | None], ...]:
        found: dict[str, str | None] = {}
        waiting = [name]
        while waiting:
            current = waiting.pop()
            if current in found:
                continue
            path = self._template_file(current)
            if path is None:
                found[current] = None
                continue
            source = path.read_bytes()
            found[current] = digest_bytes(source)
            references = _references(source.decode("utf-8", "replace"))
            if references is None:  # a name computed at render time: it may be any template
                return (("*", self._all_templates),)
            waiting += references
        return tuple(sorted(found.items()))

    def _template_file(self, name: str) -> Path | None:
        for folder in self.templates.template_dirs:
            if (folder / name).is_file():
                return folder / name
        return None

    @cached_property
    def _all_templates(self) -> str:
        parts = []
        for folder in self.templates.template_dirs:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "static" not in path.relative_to(folder).parts[:1]:
                    parts.append((str(path.relative_to(folder)), digest_bytes(path.read_bytes())))
        return digest(tuple(parts))

    @cached_property
    def _print(self) -> str:
        """The print templates a post's PDF uses, the stylesheets and the fonts beside them."""
        parts: list[Any] = [self.template(name) for name in PRINT_ROOTS]
        for folder in self.templates.template_dirs:
            for path in sorted((folder / PRINT_FOLDER).rglob("*")):
                if path.is_file() and path.suffix not in (".html", ".css"):
                    parts.append((str(path.relative_to(folder)), digest_bytes(path.read_bytes())))
        return digest(tuple(parts))

    @cached_property
    def _card_fonts(self) -> str:
        folder = theme_dir() / CARD_FONTS
        return digest(tuple((path.name, digest_bytes(path.read_bytes()))
                            for path in sorted(folder.glob("*")) if path.is_file()))

    def _neighbours(self, entry: Entry, lang: str) -> tuple[tuple[str, str], ...]:
        """Files beside a post's text (images), which its PDF may embed."""
        source = entry.sources.get(lang)
        if source is None:
            return ()
        return tuple((path.name, digest_bytes(path.read_bytes()))
                     for path in sorted(source.parent.iterdir())
                     if path.is_file() and path.suffix != ".md")

    @cached_property
    def _everything_digest(self) -> str:
        site = self.site
        entries = tuple(self.entry(entry, lang) for entry in (*site.posts, *site.pages)
                        for lang in entry.languages)
        return digest(self.toolkit, self._config, repr(site.config.pdf), self._all_templates,
                      tuple(self.catalog(code) for code in self.codes), entries,
                      tuple(sorted(self.paths)))

    def _everything(self) -> str:
        return self._everything_digest


_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+(.*?)-?%}", re.S)
_LITERAL = re.compile(r"""\A(?:"([^"\\{}]*)"|'([^'\\{}]*)')(?:\s+(?:as|import|with|without|ignore)\b.*)?\Z""",
                      re.S)


def _references(source: str) -> list[str] | None:
    """The templates ``source`` extends, includes or imports; None if one is not a literal."""
    names = []
    for match in _REFERENCE.finditer(source):
        literal = _LITERAL.match(match[1].strip())
        if literal is None:
            return None
        names.append(literal[1] if literal[1] is not None else literal[2])
    return names
