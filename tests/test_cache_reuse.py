"""The build cache reads again only what changed: front matter by file, entries by folder."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import bilingual.publish.build as build_module
from bilingual import BuildResult, build, load_site
from bilingual.errors import BilingualError, ContentError
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.cache.documents import DocumentCache
from bilingual.publish.cache.entries import EntryCache, entry_from_row, entry_row
from bilingual.publish.writer import FileStat
from bilingual.site import frontmatter, reader
from bilingual.site.model import Site
from conftest import EXAMPLE, copy_site

ZONED_POST = """---
title: Heidari on why diplomats oppose the state
summary: The former consul in Oslo, a year on.
date: 2011-01-20T14:30:00+03:30
updated: 2011-01-21T09:00:00Z
author: Green Embassy desk
tags: [iran-news]
---

Mohammad Reza Heidari left the embassy in Oslo a year ago. He still lives there.
"""
PERSIAN_POST = """---
title: "حیدری: چرا دیپلمات‌ها با حکومت مخالف‌اند"
summary: کنسول پیشین در اسلو، یک سال بعد.
---

محمدرضا حیدری یک سال پیش از سفارت در اسلو کناره گرفت. او هنوز در آنجا زندگی می‌کند.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example blog with a post dated to the minute in a zone, built once (HTML only).

    Its files are dated a minute back, so that the build that records them does not take
    them for files still being written (a racy stat), and the next build may trust them.
    """
    root = copy_site(EXAMPLE, tmp_path / "site")
    post = root / "content/posts/2011-01-20-heidari-a-year-on"
    post.mkdir()
    (post / "en.md").write_text(ZONED_POST, "utf-8")
    (post / "fa.md").write_text(PERSIAN_POST, "utf-8")
    with (root / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nenabled = false\n")
    backdate(root)
    build(root, pdf=False, jobs=1)
    return root


def backdate(root: Path, seconds: int = 60) -> None:
    moment = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file() and CACHE_DIR not in path.parts:
            os.utime(path, (moment, moment))


class Reads:
    """How often the site was read, each entry's folder read and each file parsed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sites = 0
        self.files: Counter[str] = Counter()
        self.folders: Counter[str] = Counter()
        parse, read_entry = frontmatter.document_of, reader.SiteReader._read_entry
        read_site = reader.SiteReader.read

        def counted_site(this: reader.SiteReader) -> Site:
            self.sites += 1
            return read_site(this)

        def counted_parse(path: Path, data: bytes) -> frontmatter.Document:
            self.files[f"{path.parent.name}/{path.name}"] += 1
            return parse(path, data)

        def counted_read(
            this: reader.SiteReader, kind: str, slug: str, directory: Path, tags: object
        ) -> object:
            self.folders[slug] += 1
            return read_entry(this, kind, slug, directory, tags)  # type: ignore[arg-type]

        monkeypatch.setattr(frontmatter, "document_of", counted_parse)
        monkeypatch.setattr(reader.SiteReader, "_read_entry", counted_read)
        monkeypatch.setattr(reader.SiteReader, "read", counted_site)


def test_nothing_changed_reads_no_folder_and_parses_no_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = outputs(build(site, pdf=False, jobs=1, clean=True))
    backdate(site)
    build(site, pdf=False, jobs=1)
    reads = Reads(monkeypatch)
    for _ in range(2):  # and what a build reused, it keeps for the next
        result = build(site, pdf=False, jobs=1)
        assert (reads.sites, reads.folders, reads.files) == (0, Counter(), Counter())
        assert not result.rendered
        assert outputs(result) == made  # the result still tells what each file is


def outputs(result: BuildResult) -> set[tuple[str, str, str, str | None, str | None]]:
    return {(o.kind, o.path, o.renderer, o.lang, o.slug) for o in result.outputs}


def test_a_file_rewritten_within_the_same_tick_is_parsed_again(site: Path) -> None:
    """Same size, same time stamp, same inode: only the time the last build looked at the
    file, too close to its time stamp, tells that its bytes must be compared."""
    post = site / "content/posts/2011-01-20-heidari-a-year-on/en.md"
    post.write_text(ZONED_POST, "utf-8")
    stamp = post.stat().st_mtime_ns
    build(site, pdf=False, jobs=1)
    post.write_text(ZONED_POST.replace("a year on.", "a year on!"), "utf-8")
    os.utime(post, ns=(stamp, stamp))
    build(site, pdf=False, jobs=1)
    page = (site / "_site/en/posts/2011-01-20-heidari-a-year-on/index.html").read_text("utf-8")
    assert "a year on!" in page


def test_files_written_just_before_a_build_are_checked_by_content_the_next_time(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = site / "content/posts/2011-01-20-heidari-a-year-on/en.md"
    post.write_text(ZONED_POST.replace("a year ago", "in December 2009"), "utf-8")
    reads = Reads(monkeypatch)
    build(site, pdf=False, jobs=1)  # its time stamp may yet change within the same tick
    result = build(site, pdf=False, jobs=1)
    assert reads.sites == 1  # the second build compared the file's bytes: nothing to do
    assert not result.rendered


def test_a_hand_edited_output_is_written_again_when_nothing_else_changed(site: Path) -> None:
    page = site / "_site/fa/index.html"
    made = page.read_bytes()
    page.write_text("defaced", "utf-8")
    assert build(site, pdf=False, jobs=1).rendered == {"fa/index.html"}
    assert page.read_bytes() == made


def test_an_edited_post_is_the_only_folder_read_and_file_parsed(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = site / "content/posts/2011-01-20-heidari-a-year-on"
    (post / "fa.md").write_text(PERSIAN_POST.replace("یک سال پیش", "دو سال پیش"), "utf-8")
    backdate(post)
    reads = Reads(monkeypatch)
    build(site, pdf=False, jobs=1)
    assert reads.folders == Counter({"2011-01-20-heidari-a-year-on": 1})
    assert reads.files == Counter({"2011-01-20-heidari-a-year-on/fa.md": 1})
    page = site / "content/pages/brave-women-of-iran/en.md"
    page.write_text(page.read_text("utf-8") + "\nThey are still in prison.\n", "utf-8")
    backdate(page.parent)
    build(site, pdf=False, jobs=1)  # the folders reused last time were kept for this one
    assert reads.folders == Counter({"2011-01-20-heidari-a-year-on": 1, "brave-women-of-iran": 1})


def test_a_file_touched_but_not_changed_is_not_parsed_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = site / "content/pages/brave-women-of-iran"
    backdate(post, seconds=30)  # a new time stamp, the same bytes
    reads = Reads(monkeypatch)
    result = build(site, pdf=False, jobs=1)
    assert reads.folders == Counter({"brave-women-of-iran": 1})
    assert reads.files == Counter()
    assert not result.rendered


def test_a_new_config_reads_every_folder_but_parses_only_edited_files(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_site(site)
    reads = Reads(monkeypatch)
    edited = "2011-01-20-heidari-a-year-on/fa.md"
    for links, post in (
        ('"telegram", "email"', PERSIAN_POST.replace("اسلو", "اسلوی سرد")),
        ('"email"', None),
    ):
        (site / "bilingual.toml").write_text(
            (EXAMPLE / "bilingual.toml").read_text("utf-8") + f"\n[share]\nlinks = [{links}]\n",
            "utf-8",
        )
        if post is not None:
            (site / "content/posts" / edited).write_text(post, "utf-8")
        backdate(site)
        build(site, pdf=False, jobs=1)
    assert set(reads.folders) == {entry.slug for entry in (*loaded.posts, *loaded.pages)}
    assert set(reads.folders.values()) == {2}  # once per build
    assert reads.files == Counter({edited: 1})  # parsed once, then kept


def test_every_entry_comes_back_from_its_json_row_as_it_was(site: Path) -> None:
    loaded = load_site(site)
    entries = (*loaded.posts, *loaded.pages)
    assert any(entry.published_at and entry.updated and entry.tags for entry in entries)
    for entry in entries:
        folder = next(iter(entry.sources.values.values())).parent
        row = json.loads(json.dumps(entry_row(entry, folder), ensure_ascii=False))
        assert entry_from_row(row, folder, loaded.tags) == entry


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row[:5],  # a row of another version, one field short
        lambda row: [*row[:4], "body", row[5]],  # where the body starts, not a number
        lambda row: [*row[:5], ["not", "a", "mapping"]],  # front matter that is not a mapping
    ],
)
def test_a_damaged_row_of_the_document_cache_is_read_again_from_the_file(
    site: Path, damage: Callable[[list[Any]], list[Any]]
) -> None:
    cache = site / CACHE_DIR / "documents.json"
    data = json.loads(cache.read_text("utf-8"))
    data["documents"] = {path: damage(row) for path, row in data["documents"].items()}
    cache.write_text(json.dumps(data), "utf-8")
    backdate(site, seconds=30)  # every folder is read again, through the damaged rows
    build(site, pdf=False, jobs=1)
    page = site / "_site/fa/posts/2011-01-20-heidari-a-year-on/index.html"
    assert "کنسول پیشین در اسلو" in page.read_text("utf-8")


def test_a_tag_removed_from_tags_yaml_is_an_error_at_its_line_in_a_reused_file(
    site: Path,
) -> None:
    tags = site / "content/tags.yaml"
    text = tags.read_text("utf-8")
    tags.write_text(re.sub(r"(?ms)^iranian-university-protests:.*?(?=^\S)", "", text), "utf-8")
    with pytest.raises(ContentError) as raised:  # the post's files did not change
        build(site, pdf=False, jobs=1)
    post = site / "content/posts/2010-02-03-heidari-on-why-diplomats-oppose-the-state/en.md"
    assert (raised.value.path, raised.value.line) == (post, 5)
    assert "unknown tag 'iranian-university-protests'" in str(raised.value)


def test_a_body_kept_by_the_cache_keeps_its_leading_indentation(site: Path) -> None:
    """A body that opens with an indented code block, read back from the cache after a new
    config, is the same Markdown as when it was parsed."""
    post = site / "content/posts/2011-01-20-heidari-a-year-on/en.md"
    post.write_text(
        ZONED_POST.replace("Mohammad Reza", "    $ whois embassy.example\n\nMohammad Reza"), "utf-8"
    )
    backdate(site)
    build(site, pdf=False, jobs=1)
    with (site / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write('\n[share]\nlinks = ["email"]\n')
    backdate(site, seconds=30)
    build(site, pdf=False, jobs=1)
    page = (site / "_site/en/posts/2011-01-20-heidari-a-year-on/index.html").read_text("utf-8")
    assert "$ whois embassy.example\n</code></pre>" in page


def test_a_new_pdf_page_size_makes_every_pdf_again_at_that_size(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    build(site, jobs=1)
    with (site / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write('\n[pdf]\npage_size = "A4"\n')
    result = build(site, jobs=1)
    pdfs = {output.path for output in result.outputs if output.kind == "pdf"}
    assert pdfs and pdfs <= result.rendered
    for path in pdfs:
        width, height = PdfReader(site / "_site" / path).pages[0].mediabox.upper_right
        assert (round(float(width)), round(float(height))) == (595, 842)  # A4, in points


def entry_shards(site: Path) -> dict[Path, dict[str, Any]]:
    return {
        path: json.loads(path.read_text("utf-8"))["entries"]
        for path in sorted((site / CACHE_DIR).glob("entries-*.json"))
    }


def test_every_folder_keeps_its_row_in_its_own_shard_after_an_edit(site: Path) -> None:
    post = site / "content/posts/2011-01-20-heidari-a-year-on"
    (post / "fa.md").write_text(PERSIAN_POST.replace("یک سال پیش", "دو سال پیش"), "utf-8")
    backdate(post)
    build(site, pdf=False, jobs=1)
    loaded = load_site(site)
    folders = {
        str(next(iter(entry.sources.values.values())).parent)
        for entry in (*loaded.posts, *loaded.pages)
    }
    rows = {}
    for path, entries in entry_shards(site).items():
        for name in entries:
            assert path.name == f"entries-{EntryCache.shard(name):02d}.json", name
        rows.update(entries)
    assert set(rows) == folders


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: {key: value for key, value in row.items() if key != "body"},
        lambda row: {**row, "body": {"L": "not a mapping"}},
        lambda row: {**row, "body": {"X": {}}},
        lambda row: {**row, "body": "not a mapping"},
    ],
)
def test_a_damaged_row_of_the_entry_cache_is_read_from_the_files_after_an_edit(
    site: Path, damage: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    for path, entries in entry_shards(site).items():
        for row in entries.values():
            row["entry"] = damage(row["entry"])
        data = json.loads(path.read_text("utf-8"))
        path.write_text(json.dumps({**data, "entries": entries}, ensure_ascii=False), "utf-8")
    post = site / "content/posts/2011-01-20-heidari-a-year-on"
    (post / "fa.md").write_text(PERSIAN_POST.replace("یک سال پیش", "دو سال پیش"), "utf-8")
    backdate(post)
    build(site, pdf=False, jobs=1)
    page = site / "_site/fa/posts/2011-01-20-heidari-a-year-on/index.html"
    assert "دو سال پیش" in page.read_text("utf-8")
    assert "کنسول پیشین در اسلو" in page.read_text("utf-8")


def test_a_linked_post_file_still_lets_a_build_with_nothing_to_do_stop_at_the_stats(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = site / "content/posts/2011-01-20-heidari-a-year-on"
    kept = site / "drafts-kept/heidari-fa.md"
    kept.parent.mkdir()
    (post / "fa.md").rename(kept)
    (post / "fa.md").symlink_to(os.path.relpath(kept, post))
    time.sleep(2.1)  # folders changed within 2 s of a build are listed again by the next
    backdate(site)
    build(site, pdf=False, jobs=1)

    def surveyed(*arguments: object) -> None:
        raise AssertionError("the build listed the site's folders")

    monkeypatch.setattr(build_module, "_survey", surveyed)
    assert not build(site, pdf=False, jobs=1).rendered


def test_each_shard_of_the_entry_cache_keeps_the_time_it_looked_at_its_files(
    site: Path,
) -> None:
    """A file rewritten within its time stamp's tick after the build that kept its folder is
    read again, even when other shards were saved later (their time would call it settled)."""
    post = site / "content/posts/2011-01-20-heidari-a-year-on/en.md"
    stamp = post.stat().st_mtime_ns
    folder = str(post.parent)
    for path, entries in entry_shards(site).items():
        data = json.loads(path.read_text("utf-8"))
        data["looked_at_ns"] = stamp + (1 if folder in entries else 10) * 1_000_000_000
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    post.write_text(ZONED_POST.replace("still lives", "still works"), "utf-8")  # same size
    os.utime(post, ns=(stamp, stamp))
    page = site / "content/pages/brave-women-of-iran/en.md"
    page.write_text(page.read_text("utf-8") + "\nThey are still in prison.\n", "utf-8")
    build(site, pdf=False, jobs=1)
    html = (site / "_site/en/posts/2011-01-20-heidari-a-year-on/index.html").read_text("utf-8")
    assert "He still works there." in html


def test_a_language_taken_out_of_the_config_makes_its_kept_files_errors(site: Path) -> None:
    config = site / "bilingual.toml"
    text = config.read_text("utf-8")
    assert 'languages = ["en", "fa"]' in text
    config.write_text(
        text.replace('languages = ["en", "fa"]', 'languages = ["en"]').replace(
            'fa = "', '# fa = "'
        ),
        "utf-8",
    )
    tags = site / "content/tags.yaml"
    kept = [line for line in tags.read_text("utf-8").splitlines() if not line.startswith("  fa:")]
    tags.write_text("\n".join(kept) + "\n", "utf-8")
    backdate(site)
    with pytest.raises(BilingualError) as caught:
        build(site, pdf=False, jobs=1)
    assert "fa.md" in str(caught.value)


@pytest.mark.parametrize(
    ("front_matter", "kept"),
    [
        ("title: گزارش\ntags: [iran, 'news']\nweight: 2.5\ndraft: false\nsummary: ~", True),
        ("title: x\nlinks: {en: {url: 'https://example.org', n: 3}}", True),
        ("title: x\nlimit: .inf", True),  # JSON writes Infinity and reads it back
        ("title: x\nscore: .nan", False),  # read back, NaN equals nothing
        ("title: x\nscores: [1, .nan]", False),
        ("title: x\ndate: !!timestamp 2020-01-01", False),
        ("title: x\nseen: !!set {a, b}", False),
        ("title: x\nlogo: !!binary aGVsbG8=", False),
        ("1: one\ntitle: x", False),  # JSON's keys are text: 1 would come back as "1"
        ("title: x\nnested: {2: two}", False),
        ("true: yes\ntitle: x", False),
    ],
)
def test_the_document_cache_keeps_front_matter_that_json_gives_back_exactly(
    front_matter: str, kept: bool, tmp_path: Path
) -> None:
    post = tmp_path / "content" / "en.md"
    post.parent.mkdir()
    post.write_text(f"---\n{front_matter}\n---\nBody.\n", "utf-8")
    name = str(post.resolve())
    cache = DocumentCache(
        tmp_path / "cache", {name: FileStat.of(post.stat())}, time.time_ns() + 10**10
    )
    document = cache.parse(post)
    assert (name in cache.seen) is kept
    if kept:
        cache.save()
        again = DocumentCache(tmp_path / "cache", {name: FileStat.of(post.stat())}, 0)
        assert again.known[name][-1] == document.meta
