"""Turn a WordPress export (WXR) into posts, pages and tags of a bilingual site."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..config import Config, load_config
from ..frontmatter import clean_text
from ..languages import language
from ..model import EntryKind
from . import (ExportError, ImportedEntry, ImportReport, Translation, html_to_markdown, merge_tags,
               safe_key, script_direction, usable_slug, write_entries)

WP_PREFIX = "{http://wordpress.org/export/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
PUBLISHED, DRAFTS = {"publish", "future"}, {"draft", "pending", "private"}
TAG_TAXONOMIES = {"category", "post_tag"}
WPML_LANGUAGE, WPML_GROUP = "_wpml_import_language_code", "_wpml_import_translation_group"
_PHP_PAIRS = re.compile(r's:\d+:"([^"]*)";i:(\d+);')


@dataclass(frozen=True)
class Term:
    taxonomy: str
    slug: str
    name: str


@dataclass
class Item:
    """One <item> of the export, its fields read and unescaped."""

    id: str
    type: str
    status: str
    title: str
    name: str
    date: dt.date | None
    author: str
    html: str
    excerpt: str
    terms: list[Term]
    language: str | None
    group: str | None

    @property
    def origin(self) -> str:
        return f"{self.type} {self.id} {self.title[:60]!r}"


def import_wordpress(export: Path | str, site_root: Path | str, force: bool = False) -> ImportReport:
    """Import ``export`` into the site at ``site_root``; existing files stay unless ``force``."""
    export = Path(export)
    config = load_config(Path(site_root))
    channel, wp = read_channel(export)
    report = ImportReport()
    authors = {_text(a, wp + "author_login"): _text(a, wp + "author_display_name")
               for a in channel.iter(wp + "author")}
    tags = TagKeys(channel, wp, config)
    items = [read_item(element, wp, authors) for element in channel.iter("item")]
    entries = Grouper(config, tags, report).entries(items)
    comments = sum(1 for _ in channel.iter(wp + "comment"))
    if comments:
        report.notes.append(f"{comments} comment{'s' * (comments != 1)} not imported: "
                            "the site has no comments")
    write_entries(config.content_dir, entries, config.site.default_language.code, force, report)
    used = {key for entry in entries for key in entry.tags}
    merge_tags(config.content_dir / "tags.yaml",
               {key: labels for key, labels in tags.labels.items() if key in used}, report)
    return report


def read_channel(export: Path) -> tuple[Element, str]:
    """The export's <channel> and its wp: namespace, or an error naming the file and line."""
    try:
        data = export.read_bytes()
    except OSError as error:
        raise ExportError(f"cannot read the export: {error.strerror}", export) from None
    try:
        root = fromstring(data)
    except ParseError as error:
        message = re.sub(r":? line \d+, column \d+", "", str(error))
        raise ExportError(f"not well-formed XML: {message}", export, error.position[0],
                          hint="export again from WordPress: Tools > Export > All content") from None
    except DefusedXmlException:
        line = data.count(b"\n", 0, max(data.find(b"<!ENTITY"), 0)) + 1
        raise ExportError("the export declares XML entities, which are refused for safety",
                          export, line, hint="a WordPress export never needs them") from None
    channel = root.find("channel") if root.tag == "rss" else None
    namespaces = {child.tag.split("}")[0] + "}" for child in (channel if channel is not None else [])
                  if child.tag.startswith(WP_PREFIX) and "/excerpt/" not in child.tag}
    if channel is None or not namespaces:
        raise ExportError("not a WordPress export (WXR): expected <rss><channel> with wp: elements",
                          export, 1, hint="export from WordPress: Tools > Export > All content")
    return channel, namespaces.pop()


def read_item(element: Element, wp: str, authors: dict[str, str]) -> Item:
    meta = {_text(m, wp + "meta_key"): _text(m, wp + "meta_value")
            for m in element.findall(wp + "postmeta")}
    categories = [(c.get("domain", ""), c.get("nicename", ""), _plain(c.text or ""))
                  for c in element.findall("category")]
    by_domain = {domain: slug for domain, slug, _ in categories}
    creator = _text(element, CREATOR)
    return Item(
        id=_text(element, wp + "post_id"),
        type=_text(element, wp + "post_type"),
        status=_text(element, wp + "status"),
        title=_plain(_text(element, "title")),
        name=unicodedata.normalize("NFC", unquote(_text(element, wp + "post_name"))),
        date=_date(_text(element, wp + "post_date")) or _date(_text(element, wp + "post_date_gmt")),
        author=authors.get(creator) or creator,
        html=clean_text(_text(element, CONTENT)),
        excerpt=_plain(_excerpt(element)),
        terms=[Term(domain, slug, name) for domain, slug, name in categories
               if domain in TAG_TAXONOMIES],
        language=by_domain.get("language") or meta.get(WPML_LANGUAGE) or None,
        group=by_domain.get("post_translations") or meta.get(WPML_GROUP) or None,
    )


class TagKeys:
    """Keys and per-language labels of the export's categories and tags."""

    def __init__(self, channel: Element, wp: str, config: Config) -> None:
        self.config = config
        self.keys: dict[tuple[str, str], str] = {}
        self.labels: dict[str, dict[str, str]] = {}
        terms = dict(self._declared_terms(channel, wp))
        for linked in self._translations(channel, wp):
            self._add_linked({lang: terms[i] for lang, i in linked.items() if i in terms})
        for term in terms.values():
            if (term.taxonomy, term.slug) not in self.keys:
                self._add(term, language_of_text(term.name, config))

    def key(self, term: Term, lang: str) -> str | None:
        """The tag key of a term used on a post; terms the export did not declare are added."""
        if (term.taxonomy, term.slug) not in self.keys:
            self._add(term, lang)
        return self.keys.get((term.taxonomy, term.slug))

    def _declared_terms(self, channel: Element, wp: str) -> Iterator[tuple[str, Term]]:
        for element in channel.iter(wp + "category"):
            yield _text(element, wp + "term_id"), Term(
                "category", _text(element, wp + "category_nicename"),
                _plain(_text(element, wp + "cat_name")))
        for element in channel.iter(wp + "tag"):
            yield _text(element, wp + "term_id"), Term(
                "post_tag", _text(element, wp + "tag_slug"), _plain(_text(element, wp + "tag_name")))

    def _translations(self, channel: Element, wp: str) -> Iterator[dict[str, str]]:
        """Polylang's links between a term and its translations: {language slug: term id}."""
        for element in channel.iter(wp + "term"):
            if _text(element, wp + "term_taxonomy") == "term_translations":
                yield dict(_PHP_PAIRS.findall(_text(element, wp + "term_description")))

    def _add_linked(self, terms: dict[str, Term]) -> None:
        by_lang = {code: term for slug, term in terms.items()
                   if (code := site_language(slug, self.config)) and term.slug}
        if not by_lang:
            return
        order = [self.config.site.default_language.code, *self.config.site.codes]
        ranked = [by_lang[code] for code in dict.fromkeys(order) if code in by_lang]
        keys = [term_key(term) for term in ranked]
        key = next((k for k in keys if k and k.isascii()), None) or next((k for k in keys if k), None)
        if key is None:
            return
        for code, term in by_lang.items():
            self.keys[(term.taxonomy, term.slug)] = key
            self.labels.setdefault(key, {}).setdefault(code, term.name or key)

    def _add(self, term: Term, lang: str | None) -> None:
        key = term_key(term)
        if key is None or term.slug.casefold() == "uncategorized":
            return
        self.keys[(term.taxonomy, term.slug)] = key
        if lang is not None:
            self.labels.setdefault(key, {}).setdefault(lang, term.name or key)


class Grouper:
    """Items -> entries: translations linked by Polylang or WPML become one post."""

    def __init__(self, config: Config, tags: TagKeys, report: ImportReport) -> None:
        self.config, self.tags, self.report = config, tags, report
        self.slugs: set[str] = set()

    def entries(self, items: list[Item]) -> list[ImportedEntry]:
        groups: dict[str, dict[str, Item]] = {}
        for item in items:
            lang = self._accept(item)
            if lang is None:
                continue
            group = groups.setdefault(item.group or f"item-{item.id}", {})
            if lang in group:
                group = groups.setdefault(f"item-{item.id}", {})
            group[lang] = item
        return [entry for group in groups.values() if (entry := self._entry(group))]

    def _accept(self, item: Item) -> str | None:
        """The item's site language, or None after reporting why it is skipped."""
        if item.type not in ("post", "page"):
            self.report.skip(item.origin, "not a post or page")
        elif item.status not in PUBLISHED | DRAFTS:
            self.report.skip(item.origin, f"status {item.status!r}")
        elif not item.title:
            self.report.skip(item.origin, "no title")
        elif item.type == "post" and item.date is None:
            self.report.skip(item.origin, "no valid date")
        else:
            lang = (site_language(item.language, self.config) if item.language
                    else language_of_text(item.title + " " + _plain(item.html), self.config))
            if lang is not None:
                return lang
            self.report.skip(item.origin, f"language {item.language or 'detected'!r} is not one "
                             f"of the site's languages {list(self.config.site.codes)}")
        return None

    def _entry(self, group: dict[str, Item]) -> ImportedEntry | None:
        order = [self.config.site.default_language.code, *self.config.site.codes]
        primary = group[next(code for code in dict.fromkeys(order) if code in group)]
        for lang, item in list(group.items()):
            if item is not primary and item.status in DRAFTS and primary.status in PUBLISHED:
                self.report.skip(f"{item.origin} ({lang})", "a draft translation of a published "
                                 "post: drafts are per post here, not per language")
                del group[lang]
        entry = ImportedEntry(primary.type, self._slug(primary),  # type: ignore[arg-type]
                              date=primary.date, author=primary.author or None,
                              draft=primary.status in DRAFTS)
        for lang, item in group.items():
            entry.translations[lang] = Translation(item.title, item.excerpt,
                                                   html_to_markdown(item.html), item.origin)
            keys = (self.tags.key(term, lang) for term in item.terms)
            entry.tags.extend(key for key in keys if key and key not in entry.tags)
        return entry

    def _slug(self, item: Item) -> str:
        """The post's name from WordPress, else one made of its date and id; unique."""
        candidates = [item.name, f"{item.date or 'undated'}-{item.id}", f"{item.type}-{item.id}"]
        for slug in candidates:
            kind: EntryKind = "page" if item.type == "page" else "post"
            if slug and usable_slug(slug, kind) and slug.casefold() not in self.slugs:
                self.slugs.add(slug.casefold())
                return slug
        raise ExportError(f"{item.origin} has no usable slug")


def term_key(term: Term) -> str | None:
    """The WordPress slug when it is ASCII, else the (Persian) text it encodes; never transliterated."""
    slug = unicodedata.normalize("NFC", unquote(term.slug))
    return safe_key(slug) or safe_key(term.name)


def site_language(code: str, config: Config) -> str | None:
    """The site language a Polylang or WPML code (fa, fa-ir, fa_IR) stands for."""
    codes = {c.casefold(): c for c in config.site.codes}
    wanted = code.casefold().replace("_", "-")
    return codes.get(wanted) or codes.get(wanted.split("-")[0])


def language_of_text(text: str, config: Config) -> str | None:
    """The first site language written in the text's dominant direction (Persian vs English)."""
    direction = script_direction(text)
    return next((code for code in config.site.codes if language(code).direction == direction), None)


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _excerpt(element: Element) -> str:
    """excerpt:encoded in whichever WXR version's namespace."""
    return next((child.text or "" for child in element
                 if child.tag.endswith("/excerpt/}encoded")), "")


def _plain(text: str) -> str:
    """Text with tags dropped, entities decoded and white space collapsed."""
    return clean_text(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split()))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
