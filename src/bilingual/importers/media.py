"""Find the files a post's images and media link to in a copy of wp-content/uploads."""

from __future__ import annotations

import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from bilingual.importers.common import safe_key

_SIZE_VARIANT = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_SIZE_IN_NAME = re.compile(r"-(\d+)x(\d+)\.[A-Za-z0-9]+$")


@dataclass(frozen=True)
class MediaLibrary:
    """The uploads folder (``--media``) and the URLs the export calls it by."""

    folder: Path | None
    base_urls: tuple[str, ...] = ()

    def upload_path(self, url: str) -> str | None:
        """The path of ``url`` inside wp-content/uploads, if it is an uploaded file."""
        parts = urlsplit(url.strip())
        path = unquote(parts.path)
        if "/wp-content/uploads/" in path:
            relative = path.split("/wp-content/uploads/", 1)[1]
        elif (parts.hostname or "").endswith(".files.wordpress.com"):
            relative = path.lstrip("/")  # WordPress.com serves uploads from their own host
        else:
            return None
        relative = posixpath.normpath(relative)
        if relative.startswith(("../", "/")) or relative in (".", ".."):
            return None
        return relative

    def source(self, relative: str) -> Path | None:
        """The regular file for ``relative`` inside the folder (the full size if a size is
        missing)."""
        if self.folder is None:
            return None
        for candidate in dict.fromkeys((relative, _SIZE_VARIANT.sub("", relative))):
            path = self.folder / candidate
            try:
                resolved = path.resolve(strict=True)
                if resolved.is_relative_to(self.folder.resolve()) and stat.S_ISREG(
                    resolved.stat().st_mode
                ):
                    return resolved
            except (OSError, RuntimeError):
                continue
        return None


@dataclass
class EntryMedia:
    """The media of one post: files to copy into its folder, and links left as they were."""

    uploads: MediaLibrary
    copies: dict[str, Path] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    _names: dict[str, str] = field(default_factory=dict)
    _by_source: dict[Path, str] = field(default_factory=dict)

    def image(self, url: str) -> str:
        """Where the post should point for the image at ``url``."""
        return self._resolve(url, report_external=True)

    def link(self, url: str) -> str:
        """Where the post should point for a link: a local copy if it leads to an uploaded file."""
        return self._resolve(url, report_external=False)

    def natural_size(self, url: str) -> tuple[int, int] | None:
        """The width and height of the image at ``url``: its local file's, else the ones
        WordPress writes in the names of the copies it resizes (photo-300x200.jpg)."""
        relative = self.uploads.upload_path(url)
        source = self.uploads.source(relative) if relative is not None else None
        if source is not None:
            try:
                with Image.open(source) as image:
                    width, height = image.size
                    return width, height
            except (OSError, ValueError, Image.DecompressionBombError):
                pass
        named = _SIZE_IN_NAME.search(urlsplit(url.strip()).path)
        return (int(named[1]), int(named[2])) if named else None

    def _resolve(self, url: str, report_external: bool) -> str:
        if not url or url.startswith(("data:", "#", "mailto:")):
            return url
        relative = self.uploads.upload_path(url)
        if relative is None:
            if report_external and url.startswith(("http://", "https://", "//")):
                _add_once(self.external, url)
            return url
        if relative in self._names:
            return self._names[relative]
        source = self.uploads.source(relative)
        if source is None:
            if "." in posixpath.basename(relative):  # a page under uploads is not a file
                _add_once(self.missing, url)
            return url
        name = self._by_source.get(source) or self._free_name(safe_key(source.name) or "media")
        self._names[relative] = self._by_source[source] = name
        self.copies[name] = source
        return name

    def _free_name(self, name: str) -> str:
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, number = name, 1
        taken = {key.casefold() for key in self.copies} | {"comments.yaml"}
        while candidate.casefold() in taken or candidate.endswith(".md"):
            number += 1
            candidate = f"{stem}-{number}{dot}{suffix}" if suffix != "md" else f"{name}-{number}"
        return candidate


def _add_once(found: list[str], url: str) -> None:
    if url not in found:
        found.append(url)
