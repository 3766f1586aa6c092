"""Turn each language's posts and pages into Pagefind search bundles, with Persian folded.

Readers and writers type Persian in many ways: Arabic ي and ك for ی and ک, a word's parts
joined by a zero-width non-joiner, a space or nothing (می‌خواهم, می خواهم, میخواهم), with
diacritics and tatweel, with Persian, Arabic-Indic or Latin digits. The index side folds here
what Pagefind does not fold itself, keeping the text readers see in excerpts as written;
``static/search.js`` folds the query the same way and shows the excerpts as written again.

A language's posts go into bundles of ``SHARD_SIZE``, oldest first, and its pages into one
more: the search page merges them (Pagefind's ``mergeIndex``). A bundle is made again only when
one of its entries changed, so editing a post re-indexes a few hundred posts, not the site.
Bundles wait in the build cache, named by a hash of what they index.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bilingual.errors import RenderError
from bilingual.publish import urls
from bilingual.publish.cache import digest, digest_bytes
from bilingual.publish.plan import Output
from bilingual.site.model import Entry, Site
from bilingual.text.bidi import balance_controls, isolate_unicode
from bilingual.text.languages import language
from bilingual.text.persian import ascii_digits, format_date

SHARD_SIZE = 200
CACHE_FOLDER = "search"
ZWNJ = "\u200c"
# Pagefind indexes "a-b" as "ab", "a" and "b", and keeps a zero-width joiner, non-joiner or word
# joiner inside a word. So wherever Persian may write a word's parts apart or together, the
# index gets such a pair however the post wrote it, and the query finds it written any way;
# the mark before the hyphen tells search.js how the post wrote it.
COMPOUND = ZWNJ + "-"  # parts joined by a ZWNJ: می‌خواهم
SPACED = "\u2060-"  # parts apart (a word joiner): می خواهم
JOINED = "\u200d-"  # parts written as one word, or a number's Latin digits (a ZWJ): میخواهم
_INDEX_FOLDING = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",  # Arabic letters for Persian ones
        "ۀ": "هٔ",  # heh with hamza, written so that Pagefind folds it to heh as it does هٔ
        "ٱ": "ا",  # alef wasla
        "ـ": None,  # tatweel
    }
)
_LETTER = "[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]"  # of the Arabic script
# The verb prefix and the plural and comparative suffixes Persian writes with a ZWNJ, a space or
# nothing. A word that only looks like one (میز, تنها) gains index terms, never loses one.
_PREFIX = "ن?می"
_PLURAL = "هایشان|هایتان|هایمان|هایی|هایم|هایت|هایش|های|ها"
_COMPARATIVE = "ترین|تری|تر"
_PARTS = (
    (re.compile(f"(?<!{_LETTER})({_PREFIX}) (?={_LETTER})"), rf"\1{SPACED}"),
    (re.compile(f"(?<={_LETTER}) ({_PLURAL}|{_COMPARATIVE})(?!{_LETTER})"), rf"{SPACED}\1"),
    (re.compile(f"(?<![-\u2060\u200d]|{_LETTER})({_PREFIX})(?={_LETTER}{{2}})"), rf"\1{JOINED}"),
    (re.compile(f"(?<={_LETTER}{{2}})({_PLURAL})(?!{_LETTER})"), rf"{JOINED}\1"),
    (re.compile(f"(?<={_LETTER}{{3}})({_COMPARATIVE})(?!{_LETTER})"), rf"{JOINED}\1"),
)
_NATIVE_DIGITS = re.compile("[\u06f0-\u06f9\u0660-\u0669]+")
# The parts of a bundle that search.js uses (not Pagefind's own user interfaces).
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
DATA_FOLDERS = ("index", "fragment", "filter")


def fold_for_index(text: str) -> str:
    """``text`` as the index holds it (see the module's docstring)."""
    text = text.translate(_INDEX_FOLDING)
    for pattern, replacement in _PARTS:
        text = pattern.sub(replacement, text)
    text = text.replace(ZWNJ, COMPOUND)
    # A number keeps its digits for the excerpts, and is found by its Latin ones too.
    return _NATIVE_DIGITS.sub(lambda number: number[0] + JOINED + ascii_digits(number[0]), text)


@dataclass(frozen=True)
class Bundle:
    """One Pagefind bundle of one language, as made in the build cache."""

    lang: str
    name: str
    folder: Path
    files: tuple[str, ...]

    @property
    def path(self) -> str:
        """Where it is published, e.g. ``fa/pagefind/posts-1/``."""
        return urls.search_bundle(self.lang, self.name)


def search_bundles(
    site: Site, cache_folder: Path, toolkit: str, fresh: bool = False
) -> list[Bundle]:
    """Every language's bundles, made again where what they index changed (or all: ``fresh``)."""
    if not site.config.search.enabled:
        return []
    root = cache_folder / CACHE_FOLDER
    bundles = []
    for lang in site.config.site.codes:
        made = [
            _bundle(site, lang, name, entries, root / lang, toolkit, fresh)
            for name, entries in shards(site, lang)
        ]
        _forget_others(root / lang, {bundle.folder.name for bundle in made})
        bundles += made
    return bundles


def bundles_in(outputs: Iterable[Output]) -> tuple[Bundle, ...]:
    """The bundles whose files a plan copies (for a worker that plans again)."""
    files: dict[tuple[str, str, Path], list[str]] = {}
    for output in outputs:
        if output.kind == "search-index" and output.lang is not None:
            name = output.path.split("/")[2]
            relative = output.path[len(urls.search_bundle(output.lang, name)) :]
            source: Path = output.subject
            folder = Path(*source.parts[: len(source.parts) - len(relative.split("/"))])
            files.setdefault((output.lang, name, folder), []).append(relative)
    return tuple(
        Bundle(lang, name, folder, tuple(names)) for (lang, name, folder), names in files.items()
    )


def shards(site: Site, lang: str) -> Iterator[tuple[str, tuple[Entry, ...]]]:
    """The entries of each bundle: posts oldest first in fixed-size groups, then the pages."""
    posts = site.posts_in(lang)[::-1]
    for start in range(0, len(posts), SHARD_SIZE):
        yield f"posts-{start // SHARD_SIZE + 1}", tuple(posts[start : start + SHARD_SIZE])
    pages = tuple(page for page in site.pages if page.has(lang))
    if pages:
        yield "pages", pages


def _bundle(
    site: Site,
    lang: str,
    name: str,
    entries: Sequence[Entry],
    folder: Path,
    toolkit: str,
    fresh: bool,
) -> Bundle:
    key = digest(
        toolkit,
        _pagefind_version(),
        lang,
        name,
        tuple(_entry_key(entry, lang) for entry in entries),
    )
    target = folder / f"{name}-{key[:20]}"
    if fresh or not (target / "pagefind-entry.json").is_file():
        _index(site, lang, entries, target)
    return Bundle(lang, name, target, _published_files(target))


def _entry_key(entry: Entry, lang: str) -> str:
    body = entry.body.get(lang) or ""
    return digest(
        entry.kind,
        entry.slug,
        entry.title.get(lang),
        entry.summary.get(lang),
        digest_bytes(body.encode("utf-8", "surrogatepass")),
        entry.date.isoformat() if entry.date else None,
    )


def _index(site: Site, lang: str, entries: Sequence[Entry], target: Path) -> None:
    """Run Pagefind on one page per entry, written for it, into ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".index-", dir=target.parent) as work:
        documents = Path(work) / "documents"
        documents.mkdir()
        for number, entry in enumerate(entries):
            (documents / f"{number}.html").write_text(document(site, entry, lang), "utf-8")
        output = Path(work) / "bundle"
        _run_pagefind(documents, output, lang)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(output, target)


def _run_pagefind(documents: Path, output: Path, lang: str) -> None:
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise RenderError(
            "search needs Pagefind, which is not installed",
            hint='install it: pip install "pagefind[bin]", or set [search] enabled = false',
        ) from None
    command = [
        str(get_executable()),
        "--site",
        str(documents),
        "--output-path",
        str(output),
        "--force-language",
        lang.split("-", maxsplit=1)[0],
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RenderError(
            f"Pagefind could not index the {lang!r} pages: "
            f"{(result.stderr or result.stdout).strip()[-500:]}"
        )


def document(site: Site, entry: Entry, lang: str) -> str:
    """The page Pagefind indexes for ``entry``: its text folded, title and date as metadata.

    The title is stored as the page shows it: in its language's direction (``dir``), with the
    runs of the other direction in Unicode isolates.
    """
    direction = language(lang).direction
    meta = {
        "title": isolate_unicode(balance_controls(entry.title[lang]), direction),
        "dir": direction,
        "path": urls.entry(entry, lang),
    }
    if entry.date is not None:
        meta["date"] = format_date(entry.date, lang)
        meta["datetime"] = entry.date.isoformat()
    head = "".join(
        f'<meta data-pagefind-meta="{name}[content]" content="{html.escape(value)}">'
        for name, value in meta.items()
    )
    blocks = [f"<h1>{html.escape(fold_for_index(entry.title[lang]))}</h1>"]
    if entry.summary.get(lang):
        blocks.append(f"<p>{html.escape(fold_for_index(entry.summary[lang]))}</p>")
    blocks += (
        f"<p>{html.escape(fold_for_index(text))}</p>"
        for text in plain_text(entry.body.get(lang) or "")
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body><main data-pagefind-body>{''.join(blocks)}</main></body></html>"
    )


def plain_text(markdown: str) -> list[str]:
    """The text of each block of ``markdown``: no markup, link targets or raw HTML."""
    blocks = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            text = "".join(_inline_text(child) for child in token.children or ())
        elif token.type in ("fence", "code_block"):
            text = token.content
        else:
            continue
        if text.strip():
            blocks.append(" ".join(text.split()))
    return blocks


def _inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "image":
        return "".join(_inline_text(child) for child in token.children or ())
    return ""


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@cache
def _pagefind_version() -> str:
    from importlib import metadata  # 20 ms to import: only when an index is made

    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return ""


def _published_files(folder: Path) -> tuple[str, ...]:
    names = [name for name in RUNTIME_FILES if (folder / name).is_file()]
    names += sorted(path.name for path in folder.glob("*.pf_meta"))
    names += sorted(path.name for path in folder.glob("wasm.*.pagefind"))
    for sub in DATA_FOLDERS:
        names += sorted(f"{sub}/{path.name}" for path in (folder / sub).glob("*") if path.is_file())
    return tuple(names)


def _forget_others(folder: Path, keep: set[str]) -> None:
    """Remove the bundles of earlier builds that this one does not use."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
