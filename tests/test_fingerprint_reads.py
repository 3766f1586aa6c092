"""After an edit, outputs the edit cannot reach keep their fingerprint without hashing again.

Each test makes the same edit in two copies of a built site: one built as usual, the other
with every fingerprint hashed again (no earlier fingerprint kept). Both must render and
rewrite the same files, and the usual build must be byte-identical to a build from scratch.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bilingual import build
from bilingual.publish import fingerprints
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.cache.store import FORMAT
from bilingual.publish.renderers import Renderers
from conftest import EXAMPLE, ROOT, copy_site
from test_cache import assert_like_a_clean_build, edit, rebuild

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site

Edit = Callable[[Path], None]
POST = "content/posts/post-00004"  # on the second home page of 25 posts, ten to a page
NEW_SENTENCE = "\n\nسخنگوی وزارت خارجه گفت که گفت‌وگوها ادامه خواهد یافت.\n\n"


def persian_body(site: Path) -> None:
    edit(site / POST / "fa.md", "\n\n", NEW_SENTENCE)


def persian_title(site: Path) -> None:
    edit(site / POST / "fa.md", "title: ", "title: تازه، ")


def body_and_image(site: Path) -> None:
    persian_body(site)
    shutil.copy(ROOT / "templates/print/fonts/Vazirmatn-Regular.ttf", site / POST / "font.ttf")


def body_and_template(site: Path) -> None:
    persian_body(site)
    own = site / "templates"
    own.mkdir()
    shutil.copy(ROOT / "templates/_macros.html", own / "_macros.html")
    edit(own / "_macros.html", '<article class="post-summary">', '<article class="post-summary x">')


def two_bodies(site: Path) -> None:
    persian_body(site)
    edit(site / "content/posts/post-00021/en.md", "\n\n", "\n\nTalks will go on, he said.\n\n")


def built(folder: Path) -> Path:
    site: Path = write_site(folder, posts=25, words=80)
    build(site, pdf=False, jobs=1)
    return site


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    return built(tmp_path / "kept"), built(tmp_path / "hashed")


def hashed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "earlier_fingerprints", lambda *arguments: None)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The outputs whose fingerprint is hashed from now on, by path."""
    hashed: list[str] = []
    fingerprint = Renderers.fingerprint

    def counted(
        self: Renderers, output: fingerprints.Output, parts: fingerprints.Fingerprints
    ) -> str:
        hashed.append(output.path)
        found: str = fingerprint(self, output, parts)
        return found

    monkeypatch.setattr(Renderers, "fingerprint", counted)
    return hashed


@pytest.mark.parametrize(
    "change", [persian_body, persian_title, body_and_image, body_and_template, two_bodies]
)
def test_an_edit_renders_what_hashing_every_output_renders(
    change: Edit, sites: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, hashed = sites
    change(kept)
    change(hashed)
    touched_kept, rendered_kept = rebuild(kept)
    with monkeypatch.context() as patched:
        hashed_again(patched)
        touched_hashed, rendered_hashed = rebuild(hashed)
    assert rendered_kept == rendered_hashed
    assert touched_kept == touched_hashed
    assert "fa/posts/post-00004/index.html" in touched_kept
    assert_like_a_clean_build(kept, tmp_path)


def map_of(city: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20">'
        f'<text x="2" y="15">{city}</text></svg>\n'
    )


def test_media_changed_with_the_body_is_published_again(
    sites: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for site in sites:
        (site / POST / "map.svg").write_text(map_of("تهران"), encoding="utf-8")
        rebuild(site)
    kept, hashed = sites
    for site in sites:
        persian_body(site)
        (site / POST / "map.svg").write_text(map_of("شیراز"), encoding="utf-8")
    touched_kept, rendered_kept = rebuild(kept)
    with monkeypatch.context() as patched:
        hashed_again(patched)
        touched_hashed, rendered_hashed = rebuild(hashed)
    assert "fa/posts/post-00004/map.svg" in touched_kept
    assert (rendered_kept, touched_kept) == (rendered_hashed, touched_hashed)
    assert_like_a_clean_build(kept, tmp_path)


def test_a_body_edit_hashes_only_the_outputs_that_read_the_post(
    sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = sites
    persian_body(site)
    hashed = counting(monkeypatch)
    result = build(site, pdf=False, jobs=1)
    # Its Persian page, the Persian home page, tag pages and feeds that list it, and
    # Pagefind's new files and entry files: not the other 300-odd outputs, nor an English
    # page or feed.
    assert len(hashed) < 20 < len(result.outputs)
    assert {
        "fa/posts/post-00004/index.html",
        "fa/page/3/index.html",
        "fa/pagefind/posts-1/pagefind-entry.json",
    } <= set(hashed)
    lists = {path for path in hashed if "/tags/" in path or "/page/" in path}
    assert all(
        path.startswith("fa/") and path.endswith(("/index.html", "/feed.xml")) for path in lists
    )
    assert not {
        "fa/index.html",
        "fa/feed.xml",
        "fa/posts/post-00005/index.html",
        "fa/posts/post-00004/card.png",
        "sitemap.xml",
    } & set(hashed)
    assert [path for path in hashed if path.startswith("en/")] == [
        "en/pagefind/posts-1/pagefind-entry.json"
    ]


def test_a_build_that_cannot_keep_fingerprints_hashes_them_all(
    sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = sites
    persian_title(site)
    hashed = counting(monkeypatch)
    result = build(site, pdf=False, jobs=1)
    assert sorted(hashed) == sorted(output.path for output in result.outputs)


def test_a_persian_body_edit_makes_its_pdf_again_and_keeps_the_english_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(EXAMPLE, tmp_path / "blog")
    build(site, jobs=1)
    post = "2010-01-20-the-only-way-forward"
    text = site / "content/posts" / post / "fa.md"
    edit(text, "\n---\n", "\n---\n\nاین جمله پس از انتشار به متن افزوده شد.\n")
    hashed = counting(monkeypatch)
    touched, rendered = rebuild(site, pdf=True)
    persian, english = (f"{lang}/posts/{post}/{post}.{lang}.pdf" for lang in ("fa", "en"))
    assert persian in rendered and persian in touched
    assert english not in hashed and english not in touched
    assert_like_a_clean_build(site, tmp_path, pdf=True)


def test_caches_of_another_format_are_ignored(sites: tuple[Path, Path], tmp_path: Path) -> None:
    site, _ = sites
    for cached in (site / CACHE_DIR).glob("*.json"):
        data = json.loads(cached.read_text(encoding="utf-8"))
        data["format"] = FORMAT - 1  # as a build of the toolkit before this one left it
        cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    persian_body(site)
    result = build(site, pdf=False, jobs=1)
    assert set(result.rendered) == {output.path for output in result.outputs}
    assert_like_a_clean_build(site, tmp_path)
