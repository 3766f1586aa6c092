"""Turn templates and Python sources into gettext catalogs: extract, init, update and compile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo

from bilingual import __version__
from bilingual.errors import CatalogError
from bilingual.i18n.catalog_files import entries, read_catalog, state, write_catalog, write_file
from bilingual.i18n.catalog_merge import match_replaced, message_key, revive_obsolete
from bilingual.i18n.localization import DOMAIN, catalog_path
from bilingual.site.config import load_config
from bilingual.site.resources import locales_dir, source_roots, theme_dir

TEMPLATE_NAME = f"{DOMAIN}.pot"
MAPPING_NAME = "babel.cfg"
SOURCE_LANGUAGE = "en"  # the language of the msgids: no catalog needed
COMMENT_TAGS = ("Translators:",)


@dataclass(frozen=True)
class SourceFolder:
    """A folder to extract strings from; locations are written as ``prefix/file:line``."""

    path: Path
    prefix: str
    python_only: bool = False


@dataclass(frozen=True)
class CatalogScope:
    """The catalogs a command works on (theme's or a site's) and where their strings live."""

    name: str
    locales: Path
    sources: tuple[SourceFolder, ...]
    mapping: Path
    project: str
    version: str

    @property
    def template_path(self) -> Path:
        return self.locales / TEMPLATE_NAME

    def po_path(self, lang: str) -> Path:
        return catalog_path(self.locales, lang)

    def languages(self) -> list[str]:
        """Codes of the languages that have a catalog here, sorted."""
        if not self.locales.is_dir():
            return []
        return sorted(d.name for d in self.locales.iterdir() if self.po_path(d.name).is_file())


def theme_scope() -> CatalogScope:
    """The default theme's catalogs: strings from its templates and the package's sources."""
    locales = locales_dir()
    base = locales.parent
    folders = [SourceFolder(theme_dir(), _prefix(theme_dir(), base))]
    folders += [
        SourceFolder(root, _prefix(root, base), python_only=True) for root in source_roots()
    ]
    return CatalogScope(
        "theme",
        locales,
        tuple(sorted(folders, key=lambda f: f.prefix)),
        locales / MAPPING_NAME,
        "bilingual",
        __version__,
    )


def site_scope(site_root: Path) -> CatalogScope:
    """A site's own catalogs (SITE/locales), for the strings of its own templates."""
    config = load_config(site_root)
    root = config.root
    own_mapping = config.layout.locales / MAPPING_NAME
    templates = config.layout.templates
    sources = (SourceFolder(templates, templates.name),) if templates.is_dir() else ()
    return CatalogScope(
        root.resolve().name,
        config.layout.locales,
        sources,
        own_mapping if own_mapping.is_file() else theme_scope().mapping,
        root.resolve().name,
        dt.date.today().isoformat(),
    )


def scope_for(site: Path | None, theme: bool = False) -> CatalogScope:
    return theme_scope() if site is None or theme else site_scope(site)


def _prefix(folder: Path, base: Path) -> str:
    try:
        return folder.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return folder.name


def extract(scope: CatalogScope) -> tuple[Path, int]:
    """Write ``messages.pot`` from the scope's sources; return its path and message count."""
    if not scope.sources:
        raise CatalogError(
            "this site has no templates/ folder, so no interface strings of its own",
            scope.locales.parent,
            hint="its strings are the default theme's: use `bilingual i18n extract --theme`",
        )
    method_map, options_map = _mapping(scope.mapping)
    catalog = Catalog(
        project=scope.project,
        version=scope.version,
        copyright_holder=scope.project,
        charset="utf-8",
    )
    for folder in scope.sources:
        methods = [(p, m) for p, m in method_map if m == "python" or not folder.python_only]
        for filename, lineno, message, comments, context in _extract_folder(
            folder.path, methods, options_map
        ):
            location = f"{folder.prefix}/{Path(filename).as_posix()}"
            catalog.add(
                message, None, [(location, lineno)], auto_comments=comments, context=context
            )
    write_catalog(scope.template_path, catalog)
    return scope.template_path, len(catalog)


def _extract_folder(
    folder: Path, methods: list[tuple[str, str]], options_map: dict[str, dict[str, str]]
) -> Iterator[tuple[Any, ...]]:
    """Babel's extraction, except that a broken template is an error, not silently skipped."""
    loud = {pattern: {**options, "silent": "false"} for pattern, options in options_map.items()}
    current: list[str] = []
    try:
        yield from extract_from_dir(
            folder,
            methods,
            loud,
            keywords=DEFAULT_KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
            callback=lambda name, method, options: current.append(name),
        )
    except jinja2.TemplateSyntaxError as error:
        raise CatalogError(
            f"template syntax error: {error.message}",
            folder / (current[-1] if current else ""),
            error.lineno,
        ) from None


Mapping = tuple[list[tuple[str, str]], dict[str, dict[str, str]]]


def _mapping(path: Path) -> Mapping:
    try:
        with path.open(encoding="utf-8") as handle:
            mapping: Mapping = parse_mapping_cfg(handle, str(path))  # type: ignore[no-untyped-call]
            return mapping
    except (OSError, ValueError) as error:
        raise CatalogError(f"cannot read the extraction mapping: {error}", path) from None


def init_catalog(scope: CatalogScope, lang: str) -> Path:
    """Create the catalog for ``lang`` from the scope's template."""
    path = scope.po_path(lang)
    if path.exists():
        raise CatalogError(
            f"a catalog for {lang!r} exists already",
            path,
            hint="merge new strings into it with `bilingual i18n update`",
        )
    catalog = read_catalog(_template(scope), locale=_locale(lang))
    catalog.locale = _locale(lang)
    catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.fuzzy = False
    write_catalog(path, catalog)
    return path


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise CatalogError(f"unknown language code {lang!r}: {error}") from None


def _template(scope: CatalogScope) -> Path:
    if not scope.template_path.is_file():
        raise CatalogError(
            "no template (messages.pot) yet",
            scope.template_path,
            hint="create it with `bilingual i18n extract`",
        )
    return scope.template_path


@dataclass(frozen=True)
class UpdateResult:
    lang: str
    path: Path
    added: int
    fuzzy: int
    obsolete: int


def update(scope: CatalogScope) -> list[UpdateResult]:
    """Merge the template into every catalog; no translation is ever dropped."""
    template = read_catalog(_template(scope))
    results = []
    for lang in scope.languages():
        path = scope.po_path(lang)
        catalog = read_catalog(path, locale=lang)
        before = {message.id for message in catalog if message.id}
        previous = {message_key(message): message.previous_id for message in entries(catalog)}
        catalog.update(template)
        revive_obsolete(catalog)
        match_replaced(catalog, before)
        for message in entries(catalog):
            if message.fuzzy and not message.previous_id:
                message.previous_id = previous.get(message_key(message)) or []
        write_catalog(path, catalog, include_previous=True)
        messages = [message for message in catalog if message.id]
        results.append(
            UpdateResult(
                lang,
                path,
                added=sum(1 for m in messages if m.id not in before),
                fuzzy=sum(1 for m in messages if m.fuzzy),
                obsolete=len(catalog.obsolete),
            )
        )
    return results


@dataclass(frozen=True)
class CompileResult:
    lang: str
    path: Path
    translated: int
    fuzzy: int


def compile_catalogs(scope: CatalogScope) -> list[CompileResult]:
    """Write ``messages.mo`` next to every catalog (fuzzy entries are left out, as gettext does)."""
    results = []
    for lang in scope.languages():
        path = scope.po_path(lang)
        catalog = read_catalog(path, locale=lang)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        write_file(path.with_suffix(".mo"), buffer.getvalue())
        states = [state(message) for message in catalog if message.id]
        results.append(CompileResult(lang, path, states.count("translated"), states.count("fuzzy")))
    return results
