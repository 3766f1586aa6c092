"""Turn templates and Python sources into gettext catalogs: extract, init, update and compile."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import denormalize, write_po

from bilingual import __version__
from bilingual.atomic import write_atomically
from bilingual.errors import BilingualError, CatalogError
from bilingual.i18n.localization import DOMAIN, catalog_path
from bilingual.i18n.po_reader import read_po_strictly
from bilingual.site.config import load_config
from bilingual.site.inputs import read_input
from bilingual.site.resources import locales_dir, source_roots, theme_dir

TEMPLATE_NAME = f"{DOMAIN}.pot"
MAPPING_NAME = "babel.cfg"
SOURCE_LANGUAGE = "en"  # the language of the msgids: no catalog needed
WIDTH = 0  # no wrapping: one line per string, as translators edit them
COMMENT_TAGS = ("Translators:",)
REPLACED_WITHIN_LINES = 3  # a new string this close to where a vanished one was replaces it
State = Literal["translated", "fuzzy", "missing"]


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
    folders += [SourceFolder(root, _prefix(root, base), python_only=True)
                for root in source_roots()]
    return CatalogScope("theme", locales, tuple(sorted(folders, key=lambda f: f.prefix)),
                        locales / MAPPING_NAME, "bilingual", __version__)


def site_scope(site_root: Path) -> CatalogScope:
    """A site's own catalogs (SITE/locales), for the strings of its own templates."""
    config = load_config(site_root)
    root = config.root
    own_mapping = config.layout.locales / MAPPING_NAME
    templates = config.layout.templates
    sources = (SourceFolder(templates, templates.name),) if templates.is_dir() else ()
    return CatalogScope(root.resolve().name, config.layout.locales, sources,
                        own_mapping if own_mapping.is_file() else theme_scope().mapping,
                        root.resolve().name, dt.date.today().isoformat())


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
            hint="its strings are the default theme's: use `bilingual i18n extract --theme`")
    method_map, options_map = _mapping(scope.mapping)
    catalog = Catalog(project=scope.project, version=scope.version,
                      copyright_holder=scope.project, charset="utf-8")
    for folder in scope.sources:
        methods = [(p, m) for p, m in method_map if m == "python" or not folder.python_only]
        for filename, lineno, message, comments, context in _extract_folder(
                folder.path, methods, options_map):
            location = f"{folder.prefix}/{Path(filename).as_posix()}"
            catalog.add(message, None, [(location, lineno)], auto_comments=comments,
                        context=context)
    write_catalog(scope.template_path, catalog)
    return scope.template_path, len(catalog)


def _extract_folder(folder: Path, methods: list[tuple[str, str]],
                    options_map: dict[str, dict[str, str]]) -> Iterator[tuple[Any, ...]]:
    """Babel's extraction, except that a broken template is an error, not silently skipped."""
    loud = {pattern: {**options, "silent": "false"} for pattern, options in options_map.items()}
    current: list[str] = []
    try:
        yield from extract_from_dir(folder, methods, loud, keywords=DEFAULT_KEYWORDS,
                                    comment_tags=COMMENT_TAGS, strip_comment_tags=True,
                                    callback=lambda name, method, options: current.append(name))
    except jinja2.TemplateSyntaxError as error:
        raise CatalogError(f"template syntax error: {error.message}",
                           folder / (current[-1] if current else ""), error.lineno) from None


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
        raise CatalogError(f"a catalog for {lang!r} exists already", path,
                           hint="merge new strings into it with `bilingual i18n update`")
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
        raise CatalogError("no template (messages.pot) yet", scope.template_path,
                           hint="create it with `bilingual i18n extract`")
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
        previous = {_key(message): message.previous_id for message in entries(catalog)}
        catalog.update(template)
        _revive_obsolete(catalog)
        _match_replaced(catalog, before)
        for message in entries(catalog):
            if message.fuzzy and not message.previous_id:
                message.previous_id = previous.get(_key(message)) or []
        write_catalog(path, catalog, include_previous=True)
        messages = [message for message in catalog if message.id]
        results.append(UpdateResult(
            lang, path, added=sum(1 for m in messages if m.id not in before),
            fuzzy=sum(1 for m in messages if m.fuzzy), obsolete=len(catalog.obsolete)))
    return results


def _key(message: Message) -> tuple[str, str | None]:
    return (message.id if isinstance(message.id, str) else message.id[0]), message.context


def _revive_obsolete(catalog: Catalog) -> None:
    """A string that comes back gets its old translation back (as msgmerge does)."""
    for key, old in list(catalog.obsolete.items()):
        current = catalog.get(old.id, old.context)
        if current is None:
            continue
        if state(current) == "missing":
            current.string = old.string
            current.user_comments = current.user_comments or old.user_comments
        del catalog.obsolete[key]


def _match_replaced(catalog: Catalog, before: set[Any]) -> None:
    """Keep, as fuzzy, the translation of a string rewritten in place ("Read more" ->
    "Continue reading"): Babel only matches texts that look alike, this matches by place.

    A new string takes the translation of the nearest vanished one of the same kind that was
    within a few lines of it in the same file, by the catalog's references.
    """
    added = {index: message for index, message in enumerate(entries(catalog))
             if message.id not in before and state(message) == "missing"}
    gone = {key: old for key, old in catalog.obsolete.items()
            if old.id in before and state(old) != "missing"}
    nearby = sorted(((distance, index, key) for index, message in added.items()
                     for key, old in gone.items()
                     if (distance := _distance(message, old)) is not None),
                    key=lambda pair: pair[:2])
    for _distance_apart, index, key in nearby:
        if index in added and key in gone:
            del gone[key]
            _inherit(added.pop(index), catalog.obsolete.pop(key))


def _distance(new: Message, old: Message) -> int | None:
    """How many lines apart two strings of the same kind were in one file, if close."""
    if not _same_kind(new, old):
        return None
    distances = [abs((line or 0) - (old_line or 0))
                 for file, line in new.locations for old_file, old_line in old.locations
                 if file == old_file]
    nearest = min(distances, default=None)
    return nearest if nearest is not None and nearest <= REPLACED_WITHIN_LINES else None


def _same_kind(new: Message, old: Message) -> bool:
    return new.context == old.context and new.pluralizable == old.pluralizable


def _inherit(message: Message, old: Message) -> None:
    message.string = old.string
    message.flags.add("fuzzy")
    message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
    message.user_comments = message.user_comments or old.user_comments


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


def state(message: Message) -> State:
    """Whether a message is translated (every plural form), fuzzy, or missing."""
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    if message.fuzzy and any(strings):
        return "fuzzy"
    return "translated" if strings and all(strings) else "missing"


@dataclass(frozen=True)
class Progress:
    """How many entries of a catalog are translated, fuzzy or missing."""

    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @classmethod
    def count(cls, states: Iterable[State]) -> Progress:
        counts = Counter(states)
        return cls(counts["translated"], counts["fuzzy"], counts["missing"])

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    def to_json(self) -> dict[str, int]:
        return {"translated": self.translated, "fuzzy": self.fuzzy, "missing": self.missing,
                "total": self.total}


def entries(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages without the header."""
    return (message for message in catalog if message.id)


def read_catalog(path: Path, locale: str | Locale | None = None) -> Catalog:
    """Read a .po/.pot file with Babel; a syntax error becomes a CatalogError with its line."""
    if not os.path.lexists(path):
        raise CatalogError("catalog not found", path)
    return parse_catalog(read_input(path, None, error_class=CatalogError), path, locale)


def parse_catalog(data: bytes, path: Path, locale: str | Locale | None = None) -> Catalog:
    """The catalog in ``data``; every entry with more plural forms than the header allows is
    reported at once (one error each)."""
    catalog = read_po_strictly(data, path, locale)
    restore_previous_ids(catalog)
    return catalog


def restore_previous_ids(catalog: Catalog) -> None:
    """Babel writes the previous msgid of a fuzzy entry (#|) but reads it as a comment."""
    for message in (*catalog, *catalog.obsolete.values()):
        _restore_previous(message)


def _restore_previous(message: Message) -> None:
    previous = [comment[1:].strip() for comment in message.user_comments if comment.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: list[list[str]] = []
    for line in previous:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            parts.append([rest])
        elif parts and line.startswith('"'):
            parts[-1].append(line)
    message.previous_id = [denormalize("\n".join(lines)) for lines in parts]


def write_catalog(path: Path, catalog: Catalog, include_previous: bool = False) -> None:
    buffer = BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=include_previous)
    write_file(path, buffer.getvalue())


def write_file(path: Path, data: bytes,
               error_class: type[BilingualError] = CatalogError) -> None:
    """Replace ``path`` with ``data`` in one step, or say why the folder refuses it."""
    try:
        write_atomically(path, data)
    except OSError as error:
        raise error_class(f"cannot write this file: {error.strerror or error}", path,
                          hint="nothing was changed; make the folder writable and run "
                               "the command again") from None
