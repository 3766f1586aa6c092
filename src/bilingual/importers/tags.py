"""Turn WordPress categories and tags into tag keys, unique whatever the case, per language."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from bilingual.importers.common import ExportError, safe_key, script_direction
from bilingual.importers.wxr import Export, Term
from bilingual.site.config import Config
from bilingual.site.frontmatter import load_yaml_file
from bilingual.text.languages import language


class TagKeys:
    """Keys and per-language labels of the export's categories and tags.

    Keys differ from each other (and from the site's tags) in more than case, so that two tag
    folders never collide on a case-insensitive disk; a term whose key matches a site tag in all
    but case uses the site's spelling.
    """

    def __init__(self, export: Export, config: Config, existing: dict[str, Any]) -> None:
        self.config = config
        self.keys: dict[tuple[str, str], str] = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.existing = {key.casefold(): key for key in existing}
        # casefolded key -> casefolded name of the term that took it
        self.names: dict[str, str] = {}
        for linked in export.term_translations:
            self._add_linked(
                {lang: export.terms[i] for lang, i in linked.items() if i in export.terms}
            )
        for term in export.terms.values():
            if (term.taxonomy, term.slug) not in self.keys:
                self._add(term, language_of_text(term.name, config))

    def key(self, term: Term, lang: str) -> str | None:
        """The tag key of a term used on a post; terms the export did not declare are added."""
        if (term.taxonomy, term.slug) not in self.keys:
            self._add(term, lang)
        return self.keys.get((term.taxonomy, term.slug))

    def _add_linked(self, terms: dict[str, Term]) -> None:
        by_lang = {
            code: term
            for slug, term in terms.items()
            if (code := site_language(slug, self.config)) and term.slug
        }
        if not by_lang:
            return
        order = [self.config.site.default_language.code, *self.config.site.codes]
        ranked = [by_lang[code] for code in dict.fromkeys(order) if code in by_lang]
        keys = [term_key(term) for term in ranked]
        key = next((k for k in keys if k and k.isascii()), None) or next(
            (k for k in keys if k), None
        )
        if key is None:
            return
        key = self._unique(key, ranked[0].name)
        for code, term in by_lang.items():
            self.keys[(term.taxonomy, term.slug)] = key
            self.labels.setdefault(key, {}).setdefault(code, term.name or key)

    def _add(self, term: Term, lang: str | None) -> None:
        key = term_key(term)
        if key is None or term.slug.casefold() == "uncategorized":
            return
        key = self._unique(key, term.name)
        self.keys[(term.taxonomy, term.slug)] = key
        if lang is not None:
            self.labels.setdefault(key, {}).setdefault(lang, term.name or key)

    def _unique(self, key: str, name: str) -> str:
        """``key``, the site's spelling of it, or ``key-2``...: no two keys equal but for case."""
        folded = key.casefold()
        if folded in self.existing:
            return self.existing[folded]
        candidate, number = key, 1
        while (taken := self.names.get(candidate.casefold())) is not None:
            if taken == name.casefold():
                return next(k for k in self.labels if k.casefold() == candidate.casefold())
            number += 1
            candidate = f"{key}-{number}"
        self.names[candidate.casefold()] = name.casefold()
        self.labels.setdefault(candidate, {})
        return candidate


def read_site_tags(path: Path) -> dict[str, Any]:
    """The site's tags.yaml as it is (an error if it cannot be read), before anything is written."""
    existing = (load_yaml_file(path) if path.exists() else None) or {}
    if not isinstance(existing, dict):
        raise ExportError("tags.yaml must map tag keys to labels", path, 1)
    return {str(key): labels for key, labels in existing.items()}


def tags_file_text(
    path: Path, existing: dict[str, Any], tags: dict[str, dict[str, str]], notes: list[str]
) -> tuple[str | None, list[str]]:
    """tags.yaml with the new tags appended (existing entries and comments as they were), and
    the new keys; None when nothing is new."""
    new = {key: labels for key, labels in tags.items() if key not in existing and labels}
    for key, labels in tags.items():
        known = existing.get(key)
        missing = {
            lang: label
            for lang, label in labels.items()
            if isinstance(known, dict) and lang not in known
        }
        if missing:
            notes.append(
                f"tag {key!r} in tags.yaml has no {', '.join(missing)} label; "
                f"the export calls it {', '.join(map(repr, missing.values()))}"
            )
    if not new:
        return None, []
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=float("inf"))
    return text, list(new)


def term_key(term: Term) -> str | None:
    """The WordPress slug when ASCII, else the (Persian) text it encodes; never transliterated."""
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
