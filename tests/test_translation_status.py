"""Translation status: UI catalogs counted against their template, posts missing, stale or
unknown per language, and `mark-translated` recording what a translation was made from."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

from bilingual.cli import cli
from bilingual.cli.status_table import status_tables
from bilingual.i18n.catalogs import theme_scope
from bilingual.i18n.status import (
    content_status,
    set_front_matter,
    source_hash,
    ui_status,
)
from bilingual.site.reader import load_site
from bilingual.site.resources import locales_dir
from bilingual.text.bidi import visual

FORWARD = "2010-01-20-the-only-way-forward"
HEIDARI = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"
PERSIAN_TITLE = "تنها راه پیش رو"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def status_json(site: Path) -> dict:
    code, output = run("i18n", "status", str(site), "--json")
    assert code == 0, output
    return json.loads(output)


def state_of(site: Path, slug: str, lang: str = "fa") -> dict:
    entries = status_json(site)["content"]["entries"]
    return next(entry for entry in entries if entry["slug"] == slug)["languages"][lang]


def post_file(site: Path, slug: str, lang: str) -> Path:
    return site / "content/posts" / slug / f"{lang}.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_status_reports_the_english_only_post_as_missing_in_persian(example_site: Path) -> None:
    data = status_json(example_site)
    assert state_of(example_site, HEIDARI) == {"state": "missing", "title": None, "recorded": None}
    assert state_of(example_site, HEIDARI, "en")["state"] == "source"
    assert data["content"]["languages"]["fa"] == {
        "source": 0,
        "current": 0,
        "stale": 0,
        "unknown": 2,
        "missing": 1,
    }
    assert [row["scope"] for row in data["ui"]] == ["theme"]
    assert data["ui"][0]["language"] == "fa" and data["ui"][0]["exists"]


def test_mark_translated_adds_one_line_and_status_shows_it_current(example_site: Path) -> None:
    path = post_file(example_site, FORWARD, "fa")
    original = path.read_text(encoding="utf-8")
    assert state_of(example_site, FORWARD)["state"] == "unknown"
    code, output = run("i18n", "mark-translated", FORWARD, "fa", str(example_site))
    assert code == 0, output
    value = source_hash(load_site(example_site).entry(FORWARD), "en")
    assert f"translation_of: {value}" in output
    head, closing, body = original.partition("\n---\n")
    assert path.read_text(encoding="utf-8") == f"{head}\ntranslation_of: {value}{closing}{body}"
    assert state_of(example_site, FORWARD) == {
        "state": "current",
        "title": PERSIAN_TITLE,
        "recorded": value,
    }


def test_a_changed_source_makes_the_translation_stale_until_marked_again(
    example_site: Path,
) -> None:
    run("i18n", "mark-translated", FORWARD, "fa", str(example_site))
    recorded = state_of(example_site, FORWARD)["recorded"]
    english = post_file(example_site, FORWARD, "en")
    edit(english, "tags: [iran-election,", "tags: [iran-news, iran-election,")
    assert state_of(example_site, FORWARD)["state"] == "current"  # shared fields do not count
    edit(english, "He now lives in Oslo", "He lives in Oslo today")
    assert state_of(example_site, FORWARD) == {
        "state": "stale",
        "title": PERSIAN_TITLE,
        "recorded": recorded,
    }
    code, table = run("i18n", "status", str(example_site))
    assert code == 0
    row = next(line for line in table.splitlines() if PERSIAN_TITLE in line)
    assert "stale" in row and recorded in row

    code, output = run("i18n", "mark-translated", FORWARD, "fa", str(example_site))
    assert f"(was {recorded})" in output
    persian = post_file(example_site, FORWARD, "fa").read_text(encoding="utf-8")
    assert persian.count("translation_of:") == 1
    assert state_of(example_site, FORWARD)["state"] == "current"


def test_a_persian_only_post_is_missing_in_english(example_site: Path) -> None:
    folder = example_site / "content/posts/only-in-persian"
    folder.mkdir()
    (folder / "fa.md").write_text(
        "---\ntitle: فقط فارسی\ndate: 2010-03-01\n---\n\nمتن.\n", encoding="utf-8"
    )
    assert state_of(example_site, "only-in-persian", "en")["state"] == "missing"
    assert state_of(example_site, "only-in-persian", "fa")["state"] == "source"
    code, output = run("i18n", "mark-translated", "only-in-persian", "en", str(example_site))
    assert code == 1 and "has no 'en' version yet" in output


def test_mark_translated_explains_a_wrong_slug_or_language(example_site: Path) -> None:
    code, output = run("i18n", "mark-translated", "no-such-post", "fa", str(example_site))
    assert code == 1 and "no post or page named 'no-such-post'" in output
    assert FORWARD in output
    code, output = run("i18n", "mark-translated", FORWARD, "en", str(example_site))
    assert code == 1 and "'en' is the source language" in output
    code, output = run("i18n", "mark-translated", HEIDARI, "fa", str(example_site))
    assert code == 1 and "has no 'fa' version yet" in output


def test_front_matter_edit_keeps_crlf_line_endings_and_replaces_multiline_values(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fa.md"
    path.write_bytes(
        b"---\r\ntitle: t\r\ntranslation_of:\r\n  en:old\r\nsummary: s\r\n---\r\n\r\nbody\r\n"
    )
    set_front_matter(path, "translation_of", "en:0123456789ab")
    assert path.read_bytes() == (
        b"---\r\ntitle: t\r\ntranslation_of: en:0123456789ab\r\nsummary: s\r\n---\r\n\r\nbody\r\n"
    )


def test_ui_status_counts_a_site_catalog_against_its_template(example_site: Path) -> None:
    locales = example_site / "locales"
    shutil.copytree(locales_dir() / "fa", locales / "fa")
    (example_site / "templates").mkdir()
    (example_site / "templates/extra.html").write_text(
        '{{ _("Share this post") }} {{ _("Read more") }}', encoding="utf-8"
    )
    assert run("i18n", "extract", str(example_site))[0] == 0
    po = locales / "fa/LC_MESSAGES/messages.po"
    edit(po, 'msgid "Home"', '#, fuzzy\nmsgid "Home"')
    rows = {row["scope"]: row for row in status_json(example_site)["ui"]}
    site_row = rows["seed-blog"]
    assert site_row["fuzzy"] == 1
    assert site_row["missing"] == 1  # "Share this post": in the template, not yet in the catalog
    assert site_row["translated"] == rows["theme"]["translated"] - 1
    assert site_row["total"] == site_row["translated"] + 2


def test_a_language_without_a_catalog_is_reported(tmp_path: Path) -> None:
    scope = theme_scope()
    rows = ui_status([scope], ["en", "fa", "de"])
    assert [(row.lang, row.exists) for row in rows] == [("fa", True), ("de", False)]
    german = rows[1].progress
    assert german.translated == 0 and german.missing == german.total > 0


def test_persian_titles_are_reordered_only_for_a_terminal(example_site: Path) -> None:
    site = load_site(example_site)
    rows = ui_status([theme_scope()], site.config.site.codes)
    content = content_status(site)
    outputs = {}
    for terminal in (True, False):
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=terminal, width=120, color_system=None)
        console.print(status_tables(console, rows, content))
        outputs[terminal] = buffer.getvalue()
    assert visual(PERSIAN_TITLE) in outputs[True] and PERSIAN_TITLE not in outputs[True]
    assert PERSIAN_TITLE in outputs[False]
    assert visual("فارسی") in outputs[True] and "فارسی" in outputs[False]
