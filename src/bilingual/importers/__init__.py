"""Turn posts read from another publishing system into this site's content files and tags."""

from __future__ import annotations

import datetime as dt
from html import escape
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from ..errors import BilingualError
from ..frontmatter import load_yaml_file
from ..model import EntryKind
from ..reader import RESERVED_PAGE_SLUGS, SECTIONS, _is_safe_name

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f]")
_UNSAFE = re.compile(r'[/\\<>:"|?*#%\s]+')
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "li",
                         "blockquote", "pre", "table", "figure", "hr", "section", "iframe"})
_SHORTCODE = re.compile(r"\[/?(?:caption|embed)\b[^\]]*\]")


class ExportError(BilingualError):
    """A file to import cannot be read or is not the kind of export it should be."""


@dataclass(frozen=True)
class Translation:
    """One language's version of an imported post or page."""

    title: str
    summary: str
    body: str
    origin: str


@dataclass
class ImportedEntry:
    """A post or page in one or more languages, with the fields its languages share."""

    kind: EntryKind
    slug: str
    translations: dict[str, Translation] = field(default_factory=dict)
    date: dt.date | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    draft: bool = False


@dataclass
class ImportReport:
    """What an import wrote, what it left alone and why."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: dict[EntryKind, int] = field(default_factory=lambda: {"post": 0, "page": 0})

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append((what, reason))


class _FrontMatterDumper(yaml.SafeDumper):
    """Block-style front matter with tag lists on one line: tags: [a, b]."""

    def represent_list(self, data: list[Any]) -> yaml.Node:
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_FrontMatterDumper.add_representer(list, _FrontMatterDumper.represent_list)


class _Converter(MarkdownConverter):
    """Markdown that keeps links, lists and quotes; images become links to the image."""

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        source = el.get("src") or ""
        label = (el.get("alt") or "").strip() or PurePosixPath(urlsplit(source).path).name
        label = (label or "image").replace("[", "\\[").replace("]", "\\]")
        if "a" in parent_tags or not source:
            return label
        return f"[{label}]({source})"

    def convert_figure(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_iframe(self, el: Any, text: str, parent_tags: set[str]) -> str:
        source = el.get("src") or ""
        return f"\n\n<{source}>\n\n" if source.startswith(("http://", "https://")) else ""


def html_to_markdown(source: str) -> str:
    """A post's HTML (with WordPress's implicit paragraphs) as Markdown."""
    markdown = _Converter(heading_style="ATX", bullets="-").convert(autop(_SHORTCODE.sub("", source)))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def autop(source: str) -> str:
    """WordPress keeps paragraphs as blank lines and line breaks as newlines: make them HTML."""
    blocks: list[str] = []
    inline: list[str] = []

    def close_paragraphs() -> None:
        for paragraph in re.split(r"\n\s*\n", "".join(inline)):
            if paragraph.strip():
                blocks.append("<p>" + paragraph.strip().replace("\n", "<br>\n") + "</p>")
        inline.clear()

    for node in BeautifulSoup(source, "html.parser").contents:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Tag) and node.name in _BLOCK_TAGS:
            close_paragraphs()
            blocks.append(str(node))
        else:
            inline.append(str(node) if isinstance(node, Tag) else escape(str(node), quote=False))
    close_paragraphs()
    return "\n".join(blocks)


def script_direction(text: str) -> str:
    """'rtl' when Arabic-script letters (Persian) outnumber Latin ones, else 'ltr'."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    return "rtl" if arabic > len(_LATIN_SCRIPT.findall(text)) else "ltr"


def safe_key(text: str) -> str | None:
    """``text`` as a slug or tag key usable in URLs and file names, or None if nothing is left."""
    key = _UNSAFE.sub("-", unicodedata.normalize("NFC", text).strip()).strip("-.")
    key = re.sub(r"\.{2,}", ".", key)
    return key if key and _is_safe_name(key) else None


def usable_slug(slug: str, kind: EntryKind) -> bool:
    return _is_safe_name(slug) and not (kind == "page" and slug.casefold() in RESERVED_PAGE_SLUGS)


def document_text(entry: ImportedEntry, lang: str, with_shared: bool) -> str:
    """A content file: YAML front matter, then the Markdown body."""
    translation = entry.translations[lang]
    meta: dict[str, object] = {"title": translation.title}
    if translation.summary:
        meta["summary"] = translation.summary
    if with_shared:
        meta.update({name: value for name, value in (
            ("date", entry.date), ("author", entry.author), ("tags", entry.tags or None),
            ("draft", entry.draft or None)) if value is not None})
    front = yaml.dump(meta, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False,
                      default_flow_style=False, width=float("inf"))
    return f"---\n{front}---\n\n{translation.body.strip()}\n"


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a file is never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_entries(content_dir: Path, entries: list[ImportedEntry], default_language: str,
                  force: bool, report: ImportReport) -> None:
    """One file per language; shared fields go into the default (or first) language's file."""
    for entry in entries:
        folder = content_dir / SECTIONS[entry.kind] / entry.slug
        primary = default_language if default_language in entry.translations else next(
            iter(entry.translations))
        wrote = False
        for lang in entry.translations:
            path = folder / f"{lang}.md"
            if path.exists() and not force:
                report.skip(entry.translations[lang].origin,
                            f"{path} already exists; --force overwrites it")
                continue
            write_atomically(path, document_text(entry, lang, with_shared=lang == primary))
            report.written.append(path)
            wrote = True
        report.entries[entry.kind] += wrote


def merge_tags(path: Path, tags: dict[str, dict[str, str]], report: ImportReport) -> None:
    """Append new tags to tags.yaml; existing entries (and comments) stay exactly as they are."""
    existing = (load_yaml_file(path) if path.exists() else None) or {}
    if not isinstance(existing, dict):
        raise ExportError("tags.yaml must map tag keys to labels", path, 1)
    known = {str(key): labels for key, labels in existing.items()}
    new = {key: labels for key, labels in tags.items() if key not in known}
    for key, labels in tags.items():
        missing = {lang: label for lang, label in labels.items()
                   if key in known and isinstance(known[key], dict) and lang not in known[key]}
        if missing:
            report.notes.append(f"tag {key!r} in tags.yaml has no {', '.join(missing)} label; "
                                f"the export calls it {', '.join(map(repr, missing.values()))}")
    if not new:
        return
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=float("inf"))
    write_atomically(path, text)
    report.new_tags.extend(new)
