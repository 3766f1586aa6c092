"""Turn a site folder (config, Markdown files, tags.yaml) into a validated Site model."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bilingual.errors import BilingualError, ContentError, ErrorCollector
from bilingual.site.comments import COMMENTS_FILE, read_comments
from bilingual.site.config import Config, load_config
from bilingual.site.entries import EntryBuilder
from bilingual.site.frontmatter import (
    Document,
    load_yaml_file,
    one_line,
    parse_document,
)
from bilingual.site.inputs import (
    input_hint,
    input_problem,
    os_problem,
    outside_problem,
    real_roots,
)
from bilingual.site.localized import Localized
from bilingual.site.model import Entry, EntryKind, Site, Tag
from bilingual.text.bidi import balance_controls

RESERVED_PAGE_SLUGS = frozenset(
    {"posts", "tags", "page", "static", "feed.xml", "index.html", "search", "pagefind"}
)
EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
NAME_MAX = 255
"""Bytes in a file name on the usual file systems (ext4, APFS, NTFS: 255)."""


def load_site(root: Path | str, parse: Callable[[Path], Document] = parse_document) -> Site:
    """Read the whole site at ``root``; raise every content error found, together.

    ``parse`` reads one content file (the build passes one that remembers unchanged files).
    """
    config = load_config(Path(root))
    return SiteReader(config, parse).read()


class SiteReader:
    def __init__(self, config: Config, parse: Callable[[Path], Document] = parse_document) -> None:
        self.config = config
        self.parse = parse
        self.errors = ErrorCollector()
        self.roots = real_roots([config.root])
        self.tags_read = True
        self.unreadable: set[Path] = set()
        # Folders whose real path is inside the site: a file in one that is not a link is too.
        self.inside: set[Path] = set()

    def read(self) -> Site:
        self.seen_slugs: dict[str, Path] = {}
        tags = self._read_tags()
        posts = self._read_section("post", tags)
        pages = self._read_section("page", tags)
        self.errors.raise_if_any()
        posts.sort(key=lambda post: (post.published or EARLIEST, post.slug), reverse=True)
        pages.sort(key=lambda page: page.slug)
        return Site(config=self.config, posts=tuple(posts), pages=tuple(pages), tags=tags)

    def _read_tags(self) -> dict[str, Tag]:
        path = self.config.layout.tags
        if not os.path.lexists(path):
            return {}
        try:
            self._check_input(path)
            data = load_yaml_file(path)
        except BilingualError as error:
            self.errors.add(error)
            self.tags_read = False
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.errors.add(ContentError("tags.yaml must map tag keys to labels", path, 1))
            return {}
        return {
            str(key): tag
            for key, tag in (
                (key, self._tag(path, str(key), labels)) for key, labels in data.items()
            )
            if tag
        }

    def _tag(self, path: Path, key: str, labels: Any) -> Tag | None:
        codes = self.config.site.codes
        if not is_safe_name(key) or _name_bytes(key) > NAME_MAX:
            self.errors.add(
                ContentError(
                    f"tag key {key!r} cannot be used in a URL",
                    path,
                    _line_of_key(path, key),
                    hint=f"at most {NAME_MAX} bytes, no '/', '..' or '%'",
                )
            )
            return None
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            self.errors.add(
                ContentError(f"tag {key!r} needs a label per language, e.g. en: ...", path)
            )
            return None
        cleaned = {code: balance_controls(one_line(label)) for code, label in labels.items()}
        for code, label in cleaned.items():
            if code not in codes:
                self.errors.add(
                    ContentError(
                        f"tag {key!r} has a label for {code!r}, which is not in languages", path
                    )
                )
            elif not label:
                self.errors.add(
                    ContentError(
                        f"tag {key!r} has an empty {code!r} label", path, _line_of_key(path, key)
                    )
                )
        return Tag(key=key, label=Localized({c: v for c, v in cleaned.items() if c in codes and v}))

    def _read_section(self, kind: EntryKind, tags: dict[str, Tag]) -> list[Entry]:
        folder = self.config.layout.section(kind)
        if not folder.is_dir():
            return []
        entries = []
        folders = self._entry_folders(folder, nested=kind == "page")
        self._before_reading(kind, folders, tags)
        for directory, slug in folders:
            if not self._claim_slug(slug, directory, kind):
                continue
            entry = self._read_entry(kind, slug, directory, tags)
            if entry is not None and not entry.draft:
                entries.append(entry)
        return entries

    def _before_reading(
        self, kind: EntryKind, folders: list[tuple[Path, str]], tags: dict[str, Tag]
    ) -> None:
        """Called with a section's folders before they are read (a subclass may read ahead)."""

    def _entry_folders(
        self, section: Path, nested: bool, prefix: str = ""
    ) -> list[tuple[Path, str]]:
        """Entry folders and their slugs; a page's folder may hold its child pages (about/team)."""
        found = []
        for directory in self._folders(section):
            slug = prefix + unicodedata.normalize("NFC", directory.name)
            found.append((directory, slug))
            if nested:
                found += self._entry_folders(directory, nested, slug + "/")
        return found

    def _check_input(self, path: Path) -> None:
        """Refuse a file that links out of the site, is not a regular file or is too large."""
        inside = path.parent in self.inside and not path.is_symlink()
        problem = input_problem(path, None if inside else self.roots)
        if problem is not None:
            raise ContentError(problem, path, hint=input_hint(problem, path))

    def _listing(self, folder: Path) -> list[Path]:
        try:
            return sorted(Path(entry.path) for entry in os.scandir(folder))
        except OSError as error:
            if folder not in self.unreadable:  # a page's folder is listed twice
                self.unreadable.add(folder)
                self.errors.add(
                    ContentError(
                        f"cannot read this folder: {error.strerror}",
                        folder,
                        hint=f"let the build read it, e.g. chmod a+rx '{folder}'",
                    )
                )
            return []

    def _folders(self, section: Path) -> list[Path]:
        """The entry folders of a section; a link to a folder outside the site is an error."""
        folders = []
        section_inside = section in self.inside or outside_problem(section, self.roots) is None
        for path in self._listing(section):
            if path.name.startswith(".") or not path.is_dir():
                continue
            # Resolving every link of a path is slow: a plain folder inside one that is in
            # the site is in it too.
            plain = section_inside and not path.is_symlink()
            problem = None if plain else outside_problem(path, self.roots)
            if problem is not None:
                self.errors.add(ContentError(problem, path, hint=input_hint(problem, path)))
            else:
                folders.append(path)
                self.inside.add(path)
        return folders

    def _claim_slug(self, slug: str, directory: Path, kind: EntryKind) -> bool:
        """Slugs must be usable in URLs and unique, even on case-insensitive file systems."""
        top = slug.split("/", maxsplit=1)[0]
        reserved = kind == "page" and top.casefold() in RESERVED_PAGE_SLUGS
        if not all(is_safe_name(part) for part in slug.split("/")) or reserved:
            self.errors.add(
                ContentError(
                    f"{slug!r} cannot be used as a slug",
                    directory,
                    hint="use letters, digits and dashes (Persian letters are fine), "
                    "no '..' or '/'; "
                    f"pages cannot be named {', '.join(sorted(RESERVED_PAGE_SLUGS))}",
                )
            )
            return False
        suffix = max((f".{code}.pdf" for code in self.config.site.codes), key=_name_bytes)
        if _name_bytes(slug.rsplit("/", 1)[-1] + suffix) > NAME_MAX:
            self.errors.add(
                ContentError(
                    f"slug is too long for a file name: its PDF, {slug[:20]}…{suffix}, would take "
                    f"{_name_bytes(slug + suffix)} bytes, and file systems allow {NAME_MAX}",
                    directory,
                    hint="shorten the folder's name (Persian letters take 2 bytes each)",
                )
            )
            return False
        key = slug.casefold()
        if key in self.seen_slugs:
            self.errors.add(
                ContentError(
                    f"duplicate slug {slug!r}: {self.seen_slugs[key]} has the same name", directory
                )
            )
            return False
        self.seen_slugs[key] = directory
        return True

    def _read_entry(
        self, kind: EntryKind, slug: str, directory: Path, tags: dict[str, Tag]
    ) -> Entry | None:
        before = len(self.errors.errors)
        documents = self._read_documents(directory)
        if not documents or len(self.errors.errors) > before:
            return None  # what the readable files lack may be in the broken one
        builder = EntryBuilder(kind, slug, tags, self.config.site.codes, self.errors)
        builder.tags_read = self.tags_read
        for lang, document in documents.items():
            builder.add(lang, document)
        return self._with_comments(builder.build(), directory)

    def _with_comments(self, entry: Entry | None, directory: Path) -> Entry | None:
        """The entry with the archived comments of its comments.yaml, if it has one."""
        path = directory / COMMENTS_FILE
        if entry is None or not os.path.lexists(path):
            return entry
        try:
            self._check_input(path)
        except BilingualError as error:
            self.errors.add(error)
            return entry
        comments = read_comments(directory, self.config.site.codes, self.errors)
        return replace(entry, comments=comments)

    def _read_documents(self, directory: Path) -> dict[str, Document]:
        codes = self.config.site.codes
        documents: dict[str, Document] = {}
        for path in self._listing(directory):
            if path.suffix != ".md" or path.name.startswith("."):
                continue
            lang = path.stem
            if lang not in codes:
                self.errors.add(
                    ContentError(
                        f"language {lang!r} is not in the site's languages {list(codes)}",
                        path,
                        hint="name language files after the codes in bilingual.toml, e.g. fa.md",
                    )
                )
                continue
            try:
                self._check_input(path)
                documents[lang] = self.parse(path)
            except BilingualError as error:
                self.errors.add(error)
            except OSError as error:  # it changed between the check and the read
                problem = os_problem(error)
                self.errors.add(ContentError(problem, path, hint=input_hint(problem, path)))
        return {code: documents[code] for code in codes if code in documents}


def is_safe_name(name: str) -> bool:
    """Usable as one URL path segment and one file name on every common file system."""
    return (
        bool(name)
        and name == name.strip()
        and not name.startswith(".")
        and ".." not in name
        and not any(ch in name for ch in '/\\<>:"|?*#%')
        and not any(
            unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch != "\u200c"
            for ch in name
        )
    )


def _name_bytes(name: str) -> int:
    return len(name.encode("utf-8", "surrogatepass"))


def _line_of_key(path: Path, key: str) -> int | None:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next(
        (number for number, line in enumerate(lines, 1) if line.lstrip("'\"").startswith(key)), None
    )
