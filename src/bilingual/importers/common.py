"""Hold what every importer shares: its error, safe names, script detection and front matter."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from bilingual.errors import BilingualError
from bilingual.site.model import EntryKind
from bilingual.site.reader import RESERVED_PAGE_SLUGS, is_safe_name

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f]")
_UNSAFE = re.compile(r'[/\\<>:"|?*#%\s]+')


class ExportError(BilingualError):
    """A file to import cannot be read, is not the kind of export it should be, or cannot be
    imported as it is."""


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


def script_direction(text: str) -> str:
    """'rtl' when Arabic-script letters (Persian) outnumber Latin ones, else 'ltr'."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    return "rtl" if arabic > len(_LATIN_SCRIPT.findall(text)) else "ltr"


def safe_key(text: str) -> str | None:
    """``text`` as a slug or tag key usable in URLs and file names, or None if nothing is left."""
    key = _UNSAFE.sub("-", unicodedata.normalize("NFC", text).strip()).strip("-.")
    key = re.sub(r"\.{2,}", ".", key)
    return key if key and is_safe_name(key) else None


def usable_slug(slug: str, kind: EntryKind) -> bool:
    return is_safe_name(slug) and not (kind == "page" and slug.casefold() in RESERVED_PAGE_SLUGS)


class _FrontMatterDumper(yaml.SafeDumper):
    """Block-style front matter with tag lists on one line (tags: [a, b]) and dates as written."""

    def flow_list(self, data: list[Any]) -> yaml.Node:
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    def moment(self, data: dt.datetime) -> yaml.Node:
        return self.represent_scalar("tag:yaml.org,2002:timestamp", rfc3339(data))


_FrontMatterDumper.add_representer(list, _FrontMatterDumper.flow_list)
_FrontMatterDumper.add_representer(dt.datetime, _FrontMatterDumper.moment)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )


def rfc3339(moment: dt.datetime) -> str:
    """2010-01-20T10:30:00+01:00 (Z for UTC); a time without zone stays without."""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def document_text(entry: ImportedEntry, lang: str, with_shared: bool) -> str:
    """A content file: YAML front matter, then the Markdown body."""
    translation = entry.translations[lang]
    meta: dict[str, object] = {"title": translation.title}
    if translation.summary:
        meta["summary"] = translation.summary
    if with_shared:
        meta.update(
            {
                name: value
                for name, value in (
                    ("date", entry.date),
                    ("author", entry.author),
                    ("tags", entry.tags or None),
                    ("draft", entry.draft or None),
                )
                if value is not None
            }
        )
    return f"---\n{dump_yaml(meta)}---\n\n{translation.body.strip()}\n"
