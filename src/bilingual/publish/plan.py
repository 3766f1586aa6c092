"""Turn a Site into the list of outputs to write: pages, indexes, tags, feeds, search and assets."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.publish import urls
from bilingual.site.inputs import real_roots, refuse_unpublishable
from bilingual.site.layout import STATIC_DIR, SiteLayout
from bilingual.site.resources import theme_dir

if TYPE_CHECKING:
    from bilingual.publish.search import Bundle
    from bilingual.site.model import Entry, Site

# ``key`` names the same content across languages (for the switcher and hreflang).


@dataclass(frozen=True)
class Output:
    kind: str
    path: str
    renderer: str
    lang: str | None = None
    slug: str | None = None
    key: Hashable = None
    template: str | None = None
    subject: Any = field(default=None, compare=False)

    def manifest_entry(self) -> dict[str, str | None]:
        return {"kind": self.kind, "lang": self.lang, "slug": self.slug, "path": self.path}


def phase(output: Output) -> str:
    """The progress bar an output counts in: "pages" (HTML), "cards", "PDFs" or "files"."""
    return {"html": "pages", "card": "cards", "pdf": "PDFs"}.get(output.renderer, "files")


@dataclass(frozen=True)
class Page:
    """One page of a paginated post list."""

    number: int
    count: int
    posts: tuple[Any, ...]


def asset_dirs(site_root: Path) -> list[Path]:
    """Where static files come from: the theme's, then the site's (which win)."""
    return [theme_dir() / STATIC_DIR, SiteLayout(site_root).static]


def plan_site(
    site: Site, asset_dirs: list[Path], pdf: bool = False, search: Sequence[Bundle] = ()
) -> list[Output]:
    """Every output of a build, in a stable order; ``search``: the bundles made for it."""
    outputs = [Output("redirect", "index.html", "html", template="redirect.html", key=("home", 1))]
    media = _Media(real_roots([site.config.root]))
    for lang in site.config.site.codes:
        outputs += _language_outputs(site, lang, pdf, media)
        outputs += _search_outputs(lang, [bundle for bundle in search if bundle.lang == lang])
    outputs += _assets(asset_dirs, real_roots([site.config.root, *asset_dirs]))
    outputs.append(Output("sitemap", urls.SITEMAP, "sitemap"))
    outputs.append(Output("robots", urls.ROBOTS, "sitemap"))
    return outputs


def _language_outputs(site: Site, lang: str, pdf: bool, media: _Media) -> list[Output]:
    outputs = _home_pages(site, lang)
    for post in site.posts_in(lang):
        outputs.append(
            Output(
                "post",
                urls.entry(post, lang),
                "html",
                lang,
                post.slug,
                ("post", post.slug),
                "post.html",
                post,
            )
        )
        outputs.append(
            Output(
                "card",
                _beside(urls.entry(post, lang), "card.png"),
                "card",
                lang,
                post.slug,
                ("card", post.slug),
                subject=post,
            )
        )
        if pdf:
            outputs.append(
                Output(
                    "pdf",
                    urls.pdf(post, lang),
                    "pdf",
                    lang,
                    post.slug,
                    ("pdf", post.slug),
                    "print/post.html",
                    post,
                )
            )
        outputs += media.outputs(post, lang)
    for page in site.pages:
        if page.has(lang):
            outputs.append(
                Output(
                    "page",
                    urls.entry(page, lang),
                    "html",
                    lang,
                    page.slug,
                    ("page", page.slug),
                    "page.html",
                    page,
                )
            )
            outputs += media.outputs(page, lang)
    tags = [tag for tag in site.used_tags() if site.tagged(tag, lang)]
    for tag in tags:
        outputs.append(
            Output(
                "tag",
                urls.tag(tag.key, lang),
                "html",
                lang,
                tag.key,
                ("tag", tag.key),
                "tag.html",
                tag,
            )
        )
        outputs.append(
            Output(
                "tag-feed",
                urls.tag_feed(tag.key, lang),
                "feed",
                lang,
                tag.key,
                ("tag-feed", tag.key),
                "feed.xml",
                tag,
            )
        )
    if tags:
        outputs.append(
            Output(
                "tags",
                urls.tags_index(lang),
                "html",
                lang,
                None,
                ("tags",),
                "tags.html",
                tuple(tags),
            )
        )
    outputs.append(Output("feed", urls.feed(lang), "feed", lang, None, ("feed",), "feed.xml"))
    return outputs


def _search_outputs(lang: str, bundles: Sequence[Bundle]) -> list[Output]:
    """The search page and the files of its bundles, copied from the build cache."""
    if not bundles:
        return []
    outputs = [
        Output(
            "search",
            urls.search(lang),
            "html",
            lang,
            None,
            ("search",),
            "search.html",
            tuple(bundle.path for bundle in bundles),
        )
    ]
    for bundle in bundles:
        outputs += [
            Output("search-index", bundle.path + name, "search", lang, subject=bundle.folder / name)
            for name in bundle.files
        ]
    return outputs


class _Media:
    """Files kept beside a post's text (its images, audio...), published beside its page in
    each language. A link leading out of ``roots`` (the site) is an error: it would publish
    that file. Each folder is listed once, for all its languages."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = roots
        self.found: dict[Path, list[Path]] = {}

    def outputs(self, entry: Entry, lang: str) -> list[Output]:
        source = entry.sources.get(lang)
        if source is None:
            return []
        files = self.found.get(source.parent)
        if files is None:
            files = self.found[source.parent] = self._files(source.parent)
        return [
            Output(
                "media",
                _beside(urls.entry(entry, lang), path.name),
                "asset",
                lang,
                entry.slug,
                subject=path,
            )
            for path in files
        ]

    def _files(self, folder: Path) -> list[Path]:
        with os.scandir(folder) as entries:
            names = sorted(
                item.name
                for item in entries
                if not item.name.endswith(".md")
                and item.name != "comments.yaml"
                and not item.name.startswith(".")
                and item.is_file()
            )
        files = [folder / name for name in names]
        refuse_unpublishable(files, self.roots)
        return files


def _beside(page: str, name: str) -> str:
    return posixpath.join(posixpath.dirname(page), name)


def _home_pages(site: Site, lang: str) -> list[Output]:
    posts = site.posts_in(lang)
    size = site.config.site.posts_per_page
    chunks = [tuple(posts[i : i + size]) for i in range(0, len(posts), size)] or [()]
    return [
        Output(
            "index",
            urls.home(lang, number),
            "html",
            lang,
            None,
            ("home", number),
            "index.html",
            Page(number, len(chunks), chunk),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _assets(asset_dirs: list[Path], roots: Sequence[str]) -> list[Output]:
    """Static files; a file in a later folder (the site's) replaces the theme's. A link out
    of ``roots`` (the site and the static folders) is an error: it would publish that file."""
    found: dict[str, Path] = {}
    linked_folders: list[Path] = []  # not walked into, but one leading out is refused too
    for folder in asset_dirs:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(folder).as_posix()] = path
                elif path.is_symlink() and path.is_dir():
                    linked_folders.append(path)
    refuse_unpublishable([*found.values(), *linked_folders], roots)
    return [
        Output("asset", urls.static(name), "asset", subject=source)
        for name, source in sorted(found.items())
    ]
