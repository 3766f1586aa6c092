"""Name every file and folder of a site folder, in one place.

::

    bilingual.toml          the configuration
    content/tags.yaml       tag keys -> a label per language
    content/posts/<slug>/   one Markdown file per language (and the post's images)
    content/pages/<slug>/   the same for static pages (which may nest)
    templates/              the site's own templates, over the default theme's
    templates/static/       files copied into every build (CSS, fonts, a CNAME...)
    templates/print/        the print templates and stylesheets of PDF editions
    locales/                the site's own catalogs, over the default theme's
    _site/                  the published site (the default output folder)
    .bilingual-cache/       what the last build read and wrote; the build lock

The default theme bundled with the toolkit has the same ``static/`` and ``print/`` folders
(see ``bilingual.site.resources``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bilingual.site.model import EntryKind

CONFIG_FILE = "bilingual.toml"
CONTENT_DIR = "content"
TAGS_FILE = "tags.yaml"
SECTION_DIRS: dict[EntryKind, str] = {"post": "posts", "page": "pages"}
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
PRINT_DIR = "print"
LOCALES_DIR = "locales"
OUTPUT_DIR = "_site"
CACHE_DIR = ".bilingual-cache"

SOURCE_NAMES = (CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR, LOCALES_DIR)
"""What a site's author edits, at the top of the site folder: a change there calls for a build."""


@dataclass(frozen=True)
class SiteLayout:
    """The paths of the site folder at ``root``; none of them needs to exist."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def tags(self) -> Path:
        return self.content / TAGS_FILE

    def section(self, kind: EntryKind) -> Path:
        """The folder of the posts or of the pages."""
        return self.content / SECTION_DIRS[kind]

    @property
    def posts(self) -> Path:
        return self.section("post")

    @property
    def pages(self) -> Path:
        return self.section("page")

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def static(self) -> Path:
        return self.templates / STATIC_DIR

    @property
    def print_templates(self) -> Path:
        return self.templates / PRINT_DIR

    @property
    def locales(self) -> Path:
        return self.root / LOCALES_DIR

    @property
    def output(self) -> Path:
        """Where a build writes unless told otherwise."""
        return self.root / OUTPUT_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def sources(self) -> tuple[Path, ...]:
        """What the site's author edits: the configuration, content, templates and catalogs."""
        return tuple(self.root / name for name in SOURCE_NAMES)
