"""Read a WordPress export (WXR 1.0 to 1.2) into items, terms and comments, mending its defects."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree  # type: ignore[import-untyped]

from bilingual.importers.common import ExportError
from bilingual.site.frontmatter import clean_text

WXR_NAMESPACE = re.compile(r"^\{(https?://wordpress\.org/export/(1\.[0-2])/)\}")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
TAXONOMIES = {"category": "category", "post_tag": "post_tag", "tag": "post_tag"}
WPML_LANGUAGE, WPML_GROUP = "_wpml_import_language_code", "_wpml_import_translation_group"
# Namespaces that exports use without declaring them; WordPress's importer reads such files.
KNOWN_PREFIXES = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
}
_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PREFIX_USE = re.compile(
    rb"<([A-Za-z_][\w.-]*):[A-Za-z_]"
    rb"|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*="
)
_PREFIX_DECLARATION = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_LATE_DECLARATION = re.compile(
    rb"(\xef\xbb\xbf)?((?:(?!<\?xml\b|<rss\b).){1,65536}?)(<\?xml\b[^>]*\?>)", re.DOTALL
)
_PHP_PAIRS = re.compile(r's:\d+:"([^"]*)";i:(\d+);')
_UNDEFINED_PREFIX = 201  # libxml2's NS_ERR_UNDEFINED_NAMESPACE


@dataclass(frozen=True)
class Term:
    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    id: str
    parent: str
    author: str
    date: dt.datetime | None
    html: str
    approved: str
    type: str


@dataclass
class Item:
    """One <item> of the export, its fields read and unescaped."""

    id: str
    type: str
    status: str
    title: str
    name: str
    local_date: dt.datetime | None
    utc_date: dt.datetime | None
    author: str
    html: str
    excerpt: str
    terms: list[Term]
    language: str | None
    group: str | None
    parent: str
    menu_order: int
    password: bool
    attachment_url: str
    meta: dict[str, str]
    comments: list[Comment]
    line: int
    name_line: int

    @property
    def origin(self) -> str:
        title = self.title if len(self.title) <= 60 else self.title[:59] + "…"
        return f"{self.type or 'item'} {self.id or '?'} {title!r}"


@dataclass
class Export:
    """What an export holds, and the defects that were mended to read it."""

    path: Path
    version: str
    base_urls: tuple[str, ...]
    authors: dict[str, str]
    terms: dict[str, Term]
    term_translations: list[dict[str, str]]
    items: list[Item]
    repairs: list[str] = field(default_factory=list)


def read_export(path: Path) -> Export:
    """The export at ``path``, or an ExportError naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(f"cannot read the export: {error.strerror}", path) from None
    repairs: list[str] = []
    data = _drop_control_characters(data, repairs)
    data = _declaration_first(data, repairs)
    root = _parse(data, path, repairs)
    channel = root.find("channel") if root.tag == "rss" else None
    found = _wxr_namespace(channel)
    if channel is None or found is None:
        raise ExportError(
            "not a WordPress export (WXR): expected <rss><channel> with wp: elements",
            path,
            1,
            hint="export from WordPress: Tools > Export > All content",
        )
    wp, version = found
    reader = _ChannelReader(wp)
    return Export(
        path=path,
        version=version,
        base_urls=reader.base_urls(channel),
        authors=reader.authors(channel),
        terms=dict(reader.terms(channel)),
        term_translations=list(reader.term_translations(channel)),
        items=[reader.item(element) for element in channel.iter("item")],
        repairs=repairs,
    )


def _drop_control_characters(data: bytes, repairs: list[str]) -> bytes:
    """XML forbids C0 controls but tab and newlines; they come from text pasted into WordPress."""
    lines = sorted({data.count(b"\n", 0, match.start()) + 1 for match in _CONTROLS.finditer(data)})
    if not lines:
        return data
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    repairs.append(
        f"dropped control characters the XML cannot hold (line{'s' * (len(lines) > 1)} {shown})"
    )
    return _CONTROLS.sub(b"", data)


def _declaration_first(data: bytes, repairs: list[str]) -> bytes:
    """Put the XML declaration back at the start, where XML wants it and where blank lines or
    PHP notices printed by a plugin pushed it off; the lines keep their numbers."""
    found = _LATE_DECLARATION.match(data)
    if found is None:
        return data
    bom, before, declaration = found.groups()
    line = before.count(b"\n") + 1
    shown = " ".join(before.decode("utf-8", "replace").split())
    repairs.append(
        f"ignored what came before the XML declaration on line {line}"
        + (f": {shown[:60]!r}" if shown else ": blank lines")
    )
    return (bom or b"") + declaration + b"\n" * before.count(b"\n") + data[found.end() :]


def _parse(data: bytes, path: Path, repairs: list[str]) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if error.code != _UNDEFINED_PREFIX:
            raise _syntax_error(error, path) from None
        data = _declare_prefixes(data, repairs)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as again:
            raise _syntax_error(again, path) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        line = data.count(b"\n", 0, max(data.find(b"<!ENTITY"), 0)) + 1
        raise ExportError(
            "the export declares XML entities, which are refused for safety",
            path,
            line,
            hint="a WordPress export never needs them",
        )
    return root


def _syntax_error(error: etree.XMLSyntaxError, path: Path) -> ExportError:
    message = re.sub(r",? line \d+, column \d+.*$", "", str(error.msg or error))
    return ExportError(
        f"not well-formed XML: {message}",
        path,
        error.lineno or 1,
        hint="export again from WordPress: Tools > Export > All content",
    )


def _declare_prefixes(data: bytes, repairs: list[str]) -> bytes:
    """Declare the prefixes the export uses without declaring them, on its root element."""
    used = {(m[1] or m[2]).decode("ascii") for m in _PREFIX_USE.finditer(data)}
    declared = {m.decode("ascii") for m in _PREFIX_DECLARATION.findall(data)}
    missing = sorted(used - declared - {"xml", "xmlns"})
    start = re.search(rb"<rss\b", data)
    if not missing or start is None:
        return data
    declarations = "".join(
        f' xmlns:{prefix}="{KNOWN_PREFIXES.get(prefix, "urn:x-undeclared:" + prefix)}"'
        for prefix in missing
    )
    repairs.append(
        "declared the namespace prefix"
        f"{'es' * (len(missing) > 1)} {', '.join(p + ':' for p in missing)} "
        "the export uses without declaring"
    )
    return data[: start.end()] + declarations.encode("ascii") + data[start.end() :]


def _wxr_namespace(channel: Any) -> tuple[str, str] | None:
    """The wp: namespace (http or https, WXR 1.0-1.2) and its version."""
    if channel is None:
        return None
    versions: Counter[tuple[str, str]] = Counter()
    for element in channel.iter():
        match = WXR_NAMESPACE.match(element.tag) if isinstance(element.tag, str) else None
        if match and not element.tag.startswith(match[0] + "excerpt"):
            versions["{" + match[1] + "}", match[2]] += 1
    return versions.most_common(1)[0][0] if versions else None


class _ChannelReader:
    def __init__(self, wp: str) -> None:
        self.wp = wp

    def base_urls(self, channel: Any) -> tuple[str, ...]:
        urls = (
            _text(channel, self.wp + "base_site_url"),
            _text(channel, self.wp + "base_blog_url"),
            _text(channel, "link"),
        )
        return tuple(dict.fromkeys(url.rstrip("/") for url in urls if url))

    def authors(self, channel: Any) -> dict[str, str]:
        return {
            _text(a, self.wp + "author_login"): _plain(_text(a, self.wp + "author_display_name"))
            for a in channel.iter(self.wp + "author")
        }

    def terms(self, channel: Any) -> Any:
        wp = self.wp
        for element in channel.iter(wp + "category"):
            yield (
                _text(element, wp + "term_id"),
                Term(
                    "category",
                    _text(element, wp + "category_nicename"),
                    _plain(_text(element, wp + "cat_name")),
                ),
            )
        for element in channel.iter(wp + "tag"):
            yield (
                _text(element, wp + "term_id"),
                Term(
                    "post_tag",
                    _text(element, wp + "tag_slug"),
                    _plain(_text(element, wp + "tag_name")),
                ),
            )

    def term_translations(self, channel: Any) -> Any:
        """Polylang's links between a term and its translations: {language slug: term id}."""
        for element in channel.iter(self.wp + "term"):
            if _text(element, self.wp + "term_taxonomy") == "term_translations":
                yield dict(_PHP_PAIRS.findall(_text(element, self.wp + "term_description")))

    def item(self, element: Any) -> Item:
        wp = self.wp
        meta = {
            _text(m, wp + "meta_key"): _text(m, wp + "meta_value")
            for m in element.findall(wp + "postmeta")
        }
        categories = [
            (c.get("domain", ""), c.get("nicename", ""), _plain(c.text or ""))
            for c in element.findall("category")
        ]
        by_domain = {domain: slug for domain, slug, _ in categories}
        name = element.find(wp + "post_name")
        return Item(
            id=_text(element, wp + "post_id"),
            type=_text(element, wp + "post_type"),
            status=_text(element, wp + "status"),
            title=_plain(_text(element, "title")),
            name=unicodedata.normalize("NFC", unquote(_text(element, wp + "post_name"))),
            local_date=_timestamp(_text(element, wp + "post_date")),
            utc_date=_timestamp(_text(element, wp + "post_date_gmt")),
            author=_text(element, CREATOR),
            html=clean_text(_text(element, CONTENT)),
            excerpt=_plain(_excerpt(element)),
            terms=[
                Term(TAXONOMIES[domain], slug, name)
                for domain, slug, name in categories
                if domain in TAXONOMIES
            ],
            language=by_domain.get("language") or meta.get(WPML_LANGUAGE) or None,
            group=by_domain.get("post_translations") or meta.get(WPML_GROUP) or None,
            parent=_text(element, wp + "post_parent"),
            menu_order=_integer(_text(element, wp + "menu_order")),
            password=bool(_text(element, wp + "post_password")),
            attachment_url=_text(element, wp + "attachment_url"),
            meta=meta,
            comments=[self.comment(c) for c in element.findall(wp + "comment")],
            line=element.sourceline or 1,
            name_line=(name.sourceline if name is not None else None) or element.sourceline or 1,
        )

    def comment(self, element: Any) -> Comment:
        wp = self.wp
        return Comment(
            id=_text(element, wp + "comment_id"),
            parent=_text(element, wp + "comment_parent"),
            author=_plain(_text(element, wp + "comment_author")),
            date=zoned(
                _timestamp(_text(element, wp + "comment_date")),
                _timestamp(_text(element, wp + "comment_date_gmt")),
            ),
            html=clean_text(_text(element, wp + "comment_content")),
            approved=_text(element, wp + "comment_approved"),
            type=_text(element, wp + "comment_type") or "comment",
        )


def zoned(
    local: dt.datetime | None, utc: dt.datetime | None, fallback: dt.timezone | None = None
) -> dt.datetime | None:
    """A local time with its zone, told from the gap to its UTC twin (else ``fallback``)."""
    if local is not None and utc is not None:
        offset = round((local - utc).total_seconds() / 900) * 900
        if abs(offset) < 24 * 3600:
            return local.replace(tzinfo=dt.timezone(dt.timedelta(seconds=offset)))
    if local is not None:
        return local.replace(tzinfo=fallback) if fallback is not None else local
    if utc is not None:
        return utc.replace(tzinfo=dt.UTC)
    return None


def _text(element: Any, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _excerpt(element: Any) -> str:
    """excerpt:encoded in whichever WXR version's namespace."""
    return next(
        (
            child.text or ""
            for child in element
            if isinstance(child.tag, str) and child.tag.endswith("/excerpt/}encoded")
        ),
        "",
    )


def _plain(text: str) -> str:
    """Text with tags dropped, entities decoded and white space collapsed."""
    return clean_text(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split()))


def _timestamp(value: str) -> dt.datetime | None:
    """WordPress's 'YYYY-MM-DD HH:MM:SS' (the zero date means none)."""
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.year > 1 else None


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
