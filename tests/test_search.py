"""Search: Pagefind bundles per language, Persian folded alike on both sides, kept up to date."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bilingual import BuildResult, build
from bilingual.publish import search
from bilingual.publish.search import fold_for_index
from conftest import SITES, copy_site, serve

PERSIAN_POST = "fa/posts/2010-01-20-the-only-way-forward/"
ENGLISH_POSTS = {
    "en/posts/2010-01-20-the-only-way-forward/",
    "en/posts/2010-02-03-heidari-on-why-diplomats-oppose-the-state/",
}


def fragments(bundle: Path) -> list[dict[str, Any]]:
    """The records of a Pagefind bundle, as its fragment files hold them."""
    found = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[data.index(b"{") :]))
    return found


def test_index_folding_keeps_what_readers_see() -> None:
    assert fold_for_index("كتاب يك") == "کتاب یک"
    assert fold_for_index("ســلام") == "سلام"
    # A number keeps its digits and gains its Latin ones.
    assert fold_for_index("۱۲ ٣٤ 56") == "۱۲\u200d-12 ٣٤\u200d-34 56"
    assert fold_for_index("خانۀ ٱلله") == "خانهٔ الله"
    assert fold_for_index("آزادی مُحَمَّد") == "آزادی مُحَمَّد"  # Pagefind folds these itself


@pytest.mark.parametrize(
    ("written", "indexed"),
    [
        ("می\u200cخواهم", "می\u200c-خواهم"),  # a ZWNJ
        ("می خواهم", "می\u2060-خواهم"),  # a space
        ("میخواهم", "می\u200d-خواهم"),  # nothing
        ("نمی دانم نمیدانم", "نمی\u2060-دانم نمی\u200d-دانم"),
        ("کتاب ها کتابهای کتاب‌هایشان", "کتاب\u2060-ها کتاب\u200d-های کتاب\u200c-هایشان"),
        ("بزرگ تر بزرگترین", "بزرگ\u2060-تر بزرگ\u200d-ترین"),
        # Words that only look so gain a pair of terms; short ones and other words are left alone.
        ("میز تنها رهایی بهتر ماهی سپاهیان", "میز تن\u200d-ها رهایی بهتر ماهی سپاهیان"),
        ("می میرد", "می\u2060-میرد"),
    ],
)
def test_a_words_parts_are_indexed_however_they_are_written(written: str, indexed: str) -> None:
    assert fold_for_index(written) == indexed


def test_each_language_gets_its_own_bundles(built_example: BuildResult) -> None:
    out = built_example.out_dir
    for lang in ("en", "fa"):
        entry = json.loads((out / lang / "pagefind/posts-1/pagefind-entry.json").read_bytes())
        assert list(entry["languages"]) == [lang]
        records = fragments(out / lang / "pagefind/posts-1")
        assert {record["meta"]["path"].split("/")[0] for record in records} == {lang}
    persian = fragments(out / "fa/pagefind/posts-1")[0]
    assert persian["meta"]["title"] == "تنها راه پیش رو"
    assert persian["meta"]["date"] == "۳۰ دی ۱۳۸۸"
    assert "می\u200c-دهد" in persian["content"] and "۲۲\u200d-22 خرداد" in persian["content"]
    pages = fragments(out / "fa/pagefind/pages")
    assert [record["meta"]["path"] for record in pages] == ["fa/brave-women-of-iran/index.html"]


def test_only_the_changed_languages_bundle_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_SIZE", 1)  # one bundle per post: the English has two
    site = copy_site(SITES / "minimal", tmp_path / "site")
    first = build(site, pdf=False)
    assert (first.out_dir / "en/pagefind/posts-2/pagefind-entry.json").is_file()
    again = build(site, pdf=False)
    assert not again.rendered  # nothing changed: nothing indexed or written

    fa = site / "content/posts/hello/fa.md"
    fa.write_text(fa.read_text() + "\n\nواژهٔ تازه‌ای به نام زنبق.\n")
    edited = build(site, pdf=False)
    search_files = {path for path in edited.rendered if "/pagefind/" in path}
    assert search_files and all(path.startswith("fa/pagefind/posts-1/") for path in search_files)
    assert "زنبق" in fragments(edited.out_dir / "fa/pagefind/posts-1")[0]["content"]

    older = site / "content/posts/older/en.md"  # the oldest English post: bundle posts-1
    older.write_text(older.read_text() + "\nA new word: iris.\n")
    edited = build(site, pdf=False)
    search_files = {path for path in edited.rendered if "/pagefind/" in path}
    assert search_files and all(path.startswith("en/pagefind/posts-1/") for path in search_files)
    assert not (edited.out_dir / "en/pagefind/posts-2").joinpath("x").exists()
    assert "iris" in fragments(edited.out_dir / "en/pagefind/posts-1")[0]["content"]
    kept = list((site / ".bilingual-cache/search/en").iterdir())
    assert len(kept) == 3  # posts-1, posts-2 and pages: the replaced bundle is gone


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    site = copy_site(SITES / "minimal", tmp_path / "site")
    (site / "bilingual.toml").write_text(
        (site / "bilingual.toml").read_text() + "\n[search]\nenabled = false\n"
    )
    result = build(site, pdf=False)
    assert not (result.out_dir / "fa/search").exists()
    assert not (result.out_dir / "fa/pagefind").exists()
    assert b"site-search" not in (result.out_dir / "fa/index.html").read_bytes()


# ----- in the browser


@pytest.fixture(scope="module")
def search_site(built_example: BuildResult) -> Any:
    server, url = serve(built_example.out_dir)
    yield url
    server.shutdown()


def results(page: Any, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    page.wait_for_function("""() => {
        const status = document.querySelector('.search-status');
        const list = document.querySelector('[data-search]');
        return status.textContent && status.textContent !== list.dataset.searching;
    }""")
    return page.evaluate("""() => [...document.querySelectorAll('.search-result')].map((item) => ({
        href: item.querySelector('a').getAttribute('href'),
        title: item.querySelector('a').textContent,
        date: item.querySelector('time') ? item.querySelector('time').textContent : null,
        marks: [...item.querySelectorAll('mark')].map((mark) => mark.textContent),
        excerpt: item.querySelector('.excerpt').textContent,
    }))""")


def found(site: str, lang: str, query: str, page: Any) -> list[dict[str, Any]]:
    return results(page, f"{site}{lang}/search/?q={quote(query)}")


def paths(items: list[dict[str, Any]], site: str) -> set[str]:
    return {item["href"].removeprefix(site) for item in items}


@pytest.mark.browser
@pytest.mark.parametrize(
    "query",
    [
        "کناره",  # as written
        "كناره",  # Arabic kaf
        "ميگيرد",  # Arabic yeh, no ZWNJ
        "میگیرد",  # no ZWNJ
        "می گیرد",  # a space for the ZWNJ
        "می\u200cگیرد",  # the ZWNJ
        "22 خرداد",  # Latin digits for ۲۲
        "٢٢ خرداد",  # Arabic-Indic digits
        "حکـومـت",  # tatweel
        "حُکومَت",  # diacritics
        "أحمدی نژاد",  # hamza on the alef
    ],
)
def test_persian_search_finds_the_post_however_it_is_typed(
    page: Any, search_site: str, query: str
) -> None:
    items = found(search_site, "fa", query, page)
    assert PERSIAN_POST in paths(items, search_site), query
    post = next(item for item in items if item["href"].endswith(PERSIAN_POST))
    assert post["title"] == "تنها راه پیش رو"
    assert post["date"] == "۳۰ دی ۱۳۸۸"
    assert post["marks"], "the match is highlighted"


@pytest.mark.browser
def test_persian_excerpt_shows_the_text_as_written(page: Any, search_site: str) -> None:
    post = found(search_site, "fa", "میگیرد", page)[0]
    assert "می\u200cگیرد" in post["marks"]  # the ZWNJ is back, without the index's marker
    digits = found(search_site, "fa", "22", page)[0]
    assert "۲۲" in digits["marks"] and "22" not in digits["excerpt"]
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.search-results')).direction")
        == "rtl"
    )


@pytest.mark.browser
def test_search_for_nothing_there_says_so(page: Any, search_site: str) -> None:
    assert found(search_site, "fa", "زرافه", page) == []
    assert "زرافه" in page.text_content(".search-status")
    assert found(search_site, "fa", "x$&y", page) == []  # "$&" is not a replacement pattern
    assert "\u2068x$&y\u2069" in page.text_content(".search-status")


# The same verb and plural in three posts, each written one way Persian writers write them.
SPELLINGS = {
    "zwnj": "می\u200cخوانیم و کتاب\u200cها",
    "space": "می خوانیم و کتاب ها",
    "joined": "میخوانیم و کتابها",
}


@pytest.fixture(scope="module")
def spellings_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = copy_site(SITES / "minimal", tmp_path_factory.mktemp("spellings") / "site")
    for day, (name, words) in enumerate(SPELLINGS.items(), start=1):
        folder = site / "content/posts" / name
        folder.mkdir()
        (folder / "fa.md").write_text(
            f"---\ntitle: یادداشت {name}\ndate: 2024-05-0{day}\n---\n\n"
            f"ما شب‌ها در نسخهٔ 2 از برنامه {words} را دوست داریم.\n",
            "utf-8",
        )
    server, url = serve(build(site, pdf=False).out_dir)
    yield url
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize(
    "query", ["می\u200cخوانیم", "می خوانیم", "میخوانیم", "کتاب\u200cها", "کتاب ها", "کتابها"]
)
def test_a_words_parts_match_however_either_side_writes_them(
    page: Any, spellings_site: str, query: str
) -> None:
    items = found(spellings_site, "fa", query, page)
    by_post = {item["href"].rstrip("/").rsplit("/", 1)[1]: item for item in items}
    assert set(by_post) == set(SPELLINGS), query
    for name, words in SPELLINGS.items():  # each excerpt as its post wrote it
        verb, plural = words.split(" و ")
        assert verb in by_post[name]["excerpt"] and plural in by_post[name]["excerpt"]
        assert any(mark in (verb, plural) for mark in by_post[name]["marks"]), by_post[name]


@pytest.mark.browser
def test_excerpt_keeps_latin_digits_of_a_persian_post(page: Any, spellings_site: str) -> None:
    for query in ("2", "۲"):
        item = found(spellings_site, "fa", f"نسخهٔ {query}", page)[0]
        assert "نسخهٔ 2 از" in item["excerpt"] and "2" in item["marks"], query


@pytest.mark.browser
def test_english_search_is_plural_and_case_insensitive(page: Any, search_site: str) -> None:
    for query in ("diplomat", "Diplomats", "DEFECTING"):
        items = found(search_site, "en", query, page)
        assert paths(items, search_site) <= ENGLISH_POSTS and items, query
    assert found(search_site, "en", "دیپلمات", page) == []  # the Persian post is not in it
    item = found(search_site, "en", "defect", page)[0]
    assert item["date"] == "January 20, 2010" and item["marks"]


@pytest.mark.browser
def test_query_folding_matches_the_index(page: Any, search_site: str) -> None:
    page.goto(search_site + "fa/search/")
    folded = page.evaluate(
        """async (words) => {
        const module = await import('../../static/search.js');
        return words.map((word) => module.fold(word));
    }""",
        ["كتاب", "می\u200cخواهم", "۱۲۳", "٤٥", "ســلام", "حُکومَت", "خانۀ", "آزادی", "إسلام"],
    )
    assert folded == ["کتاب", "میخواهم", "123", "45", "سلام", "حکومت", "خانه", "ازادی", "اسلام"]


@pytest.mark.browser
def test_every_page_has_a_search_box_that_opens_results(page: Any, search_site: str) -> None:
    page.goto(search_site + PERSIAN_POST)
    page.fill("#site-search-query", "سفارت")
    page.press("#site-search-query", "Enter")
    page.wait_for_url("**/fa/search/?q=*")
    page.wait_for_selector(".search-result")
    assert page.input_value("#search-query") == "سفارت"
