"""How a build shares out and writes its work (tasks of one phase, new files, card lines drawn
as Pillow draws text) and how it tells that nothing changed."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, features

import bilingual.publish.build as build_module
from bidi_oracle import corpus
from bilingual import OutputError, build, load_site
from bilingual.publish import cards, urls
from bilingual.publish.cache import BuildCache, scan, state
from bilingual.publish.card_shapers import Engine, Line, shaper_for
from bilingual.publish.executors import Work, chunks, cost
from bilingual.publish.plan import Output, asset_dirs, phase, plan_site
from bilingual.publish.renderers import BuildContext
from bilingual.publish.renderers.feed import FeedRenderer
from bilingual.publish.templating import template_set
from bilingual.publish.writer import write_file
from bilingual.text.languages import language
from conftest import ROOT, SITES, copy_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_site as write_synthetic

FA, EN = language("fa"), language("en")
ENGINES: list[Engine] = ["raqm", "basic"] if features.check("raqm") else ["basic"]


def post_and_card(number: int, lang: str) -> list[Output]:
    folder = f"{lang}/posts/report-{number}"
    return [
        Output("post", f"{folder}/index.html", "html", lang, f"report-{number}"),
        Output("card", f"{folder}/card.png", "card", lang, f"report-{number}"),
    ]


def posts_and_cards(count: int) -> list[Output]:
    """The pages and cards of ``count`` posts in both languages, as a plan lists them."""
    return [
        output
        for number in range(count)
        for lang in ("en", "fa")
        for output in post_and_card(number, lang)
    ]


def test_pages_and_cards_in_turn_go_out_in_few_tasks_each_of_one_phase() -> None:
    outputs = posts_and_cards(1000)
    tasks = chunks(outputs, range(len(outputs)), jobs=2)

    assert sorted(index for task in tasks for index in task) == list(range(len(outputs)))
    assert all(len({phase(outputs[index]) for index in task}) == 1 for task in tasks)
    assert len(tasks) < 200  # 4,000 outputs: one per task would cost more than rendering them
    pages = [index for task in tasks for index in task if outputs[index].renderer == "html"]
    assert pages == sorted(pages)  # within a phase, the plan's order (newest posts first)


def test_feeds_go_out_with_the_pages_whose_bodies_they_show_once_per_language() -> None:
    outputs = posts_and_cards(300)
    pages = {(output.lang, output.slug): output.path for output in outputs if output.kind == "post"}
    listed = {  # a language's feed and two tag feeds, overlapping
        lang: {"feed": range(0, 20), "tags/a/feed": range(10, 30), "tags/b/feed": range(200, 220)}
        for lang in ("en", "fa")
    }
    for lang, feeds in listed.items():
        outputs += [Output("feed", f"{lang}/{name}.xml", "feed", lang) for name in feeds]

    def bodies_from(output: Output) -> list[str]:
        if output.renderer != "feed":
            return []
        name = output.path.removeprefix(f"{output.lang}/").removesuffix(".xml")
        numbers = listed[output.lang or ""][name]
        return [pages[output.lang, f"report-{number}"] for number in numbers]

    tasks = chunks(outputs, range(len(outputs)), jobs=2, bodies_from=bodies_from)

    assert sorted(index for task in tasks for index in task) == list(range(len(outputs)))
    for lang in ("en", "fa"):
        [task] = [
            task
            for task in tasks
            if any(
                outputs[index].renderer == "feed" and outputs[index].lang == lang for index in task
            )
        ]
        shown = [outputs[index] for index in task]
        assert {output.lang for output in shown} == {lang}
        assert [output.path for output in shown if output.renderer == "feed"] == [
            f"{lang}/{name}.xml" for name in listed[lang]
        ]
        assert sorted(output.slug for output in shown if output.kind == "post") == sorted(
            f"report-{number}" for number in {*range(0, 30), *range(200, 220)}
        )
        for position, output in enumerate(shown):
            if output.renderer == "feed":
                assert set(bodies_from(output)) <= {page.path for page in shown[:position]}


def test_a_sites_feeds_share_a_task_with_the_pages_of_the_posts_they_list(tmp_path: Path) -> None:
    root = write_synthetic(tmp_path / "site", posts=30, words=20)
    site = load_site(root)
    outputs = tuple(plan_site(site, asset_dirs(root)))
    work = Work(BuildContext(site, template_set(root), outputs), None, tmp_path / "out", {})

    tasks = work.tasks(range(len(outputs)), jobs=2)

    feeds = [index for index, output in enumerate(outputs) if output.renderer == "feed"]
    assert len(feeds) > 2
    for feed in feeds:
        [task] = [task for task in tasks if feed in task]
        before = {outputs[index].path for index in task[: task.index(feed)]}
        lang = outputs[feed].lang or ""
        listed = FeedRenderer(work.context).listed(outputs[feed])
        assert listed
        assert {urls.entry(post, lang) for post in listed} <= before


def test_a_new_file_gets_its_folders_and_a_linked_one_is_replaced_not_written_through(
    tmp_path: Path,
) -> None:
    published = tmp_path / "site/en/index.html"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"<p>old</p>")
    staged = tmp_path / "staging/en/index.html"
    staged.parent.mkdir(parents=True)
    staged.hardlink_to(published)

    stat = write_file(staged, "<p>تازه</p>".encode())
    fresh = write_file(tmp_path / "staging/fa/posts/گزارش/card.png", b"\x89PNG")

    assert published.read_bytes() == b"<p>old</p>"
    assert staged.read_bytes() == "<p>تازه</p>".encode()
    assert stat.inode == staged.stat().st_ino != published.stat().st_ino
    assert (tmp_path / "staging/fa/posts/گزارش/card.png").read_bytes() == b"\x89PNG"
    assert fresh.size == 4


def drawn_by_pillow(line: Line, anchor: str, engine: Engine) -> Image.Image:
    """``line`` drawn by ImageDraw.text on black, cropped to its ink box as Pillow measures it."""
    shaper = shaper_for(engine)
    canvas = Image.new("L", (12_000, 400), 0)
    origin = (6000, 200)
    shaper.draw(ImageDraw.Draw(canvas), origin, line, anchor, 255)
    stamp = cards._stamp(engine, line, anchor)
    assert stamp is not None
    left, top = origin[0] + stamp.left, origin[1] + stamp.top
    outside = canvas.copy()
    outside.paste(0, (left, top, left + stamp.mask.width, top + stamp.mask.height))
    assert outside.getbbox() is None, "ink outside the stamp"
    return canvas.crop((left, top, left + stamp.mask.width, top + stamp.mask.height))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_card_line_is_stamped_with_the_pixels_pillow_draws(engine: Engine) -> None:
    sentences = [sentence.text for sentence in corpus()][:40]
    lines = [
        Line(text, lang, size, True, 0, cards.INK)
        for text in sentences
        for lang in (FA, EN)
        for size in (72, 44)
    ]
    lines.append(Line("خبرهای ساختگی", FA, cards.SITE_TITLE_SIZE, True, 0, cards.ACCENT))
    for line in lines:
        anchor = "ra" if line.lang.is_rtl else "la"
        reference = drawn_by_pillow(line, anchor, engine).tobytes()
        stamp = cards._stamp(engine, line, anchor)
        assert stamp is not None
        tints = bytes(cards._TINTS[line.color][value] for value in reference)
        # ink too faint for the palette's lightest shade leaves the paper as it is
        inked = bytes(0 if tint == cards.PAPER_INDEX else 255 for tint in tints)
        assert stamp.mask.tobytes() == inked, line.text
        assert stamp.tinted.tobytes() == tints, line.text


def test_a_line_without_ink_has_no_stamp() -> None:
    assert cards._stamp(ENGINES[0], Line("   ", FA, 72, True, 0, cards.INK), "ra") is None


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal site, built once, its files taken as older than a time stamp's tick."""
    monkeypatch.setattr(scan, "RACY_NS", 0)
    monkeypatch.setattr(state, "RACY_NS", 0)
    site = copy_site(SITES / "minimal", tmp_path / "سایت")
    build(site, pdf=False, jobs=1)
    return site


def listed_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every folder os.scandir lists from now on."""
    listed: list[str] = []
    real = os.scandir

    def listing(path: Any = ".") -> Any:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", listing)
    return listed


def test_nothing_changed_is_told_by_stats_alone_without_listing_a_folder(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = listed_folders(monkeypatch)
    result = build(settled, pdf=False, jobs=1)
    assert not result.rendered and not result.written
    # only its own cache folder, for what a killed build may have left there
    assert [path for path in listed if Path(path).name != ".bilingual-cache"] == []
    assert "fa/index.html" in {output.path for output in result.outputs}


def edit_a_post(site: Path) -> None:
    """An edit of a Persian body: the build then looks at its inputs and output again."""
    post = site / "content/posts/hello/fa.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nبند تازه.\n", encoding="utf-8")


@pytest.mark.parametrize("edited", [False, True])
@pytest.mark.parametrize("where", ["fa/posts/hello", "fa", ""])
def test_a_file_added_by_hand_deep_in_the_output_is_seen(
    settled: Path, where: str, edited: bool
) -> None:
    if edited:
        edit_a_post(settled)
    stray = settled / "_site" / where / "نوشته.html"
    stray.write_text("<p>دستی</p>", encoding="utf-8")
    with pytest.raises(OutputError, match=r"نوشته\.html"):
        build(settled, pdf=False, jobs=1)
    assert stray.read_text(encoding="utf-8") == "<p>دستی</p>"


@pytest.mark.parametrize("edited", [False, True])
def test_a_page_edited_by_hand_in_place_is_put_back(settled: Path, edited: bool) -> None:
    if edited:
        edit_a_post(settled)
    page = settled / "_site/fa/tags/index.html"
    published = page.read_bytes()
    with open(page, "r+b") as handle:  # same inode, same size: only the time stamp moves
        handle.write(b"<!-- -->"[: len(published)])
    build(settled, pdf=False, jobs=1)
    assert page.read_bytes() == published


def test_an_edit_looks_at_the_output_by_a_stat_of_each_file_without_listing_it(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = settled / "_site"
    recorded = BuildCache(settled, output).load_state()
    assert recorded.output_files(output) == scan.scan_output(output)
    scanned: list[Path] = []
    real_scan = build_module.scan_output

    def scan_output(folder: Path) -> dict[str, Any]:
        scanned.append(Path(folder))
        return real_scan(folder)

    monkeypatch.setattr(build_module, "scan_output", scan_output)
    edit_a_post(settled)
    result = build(settled, pdf=False, jobs=1)
    assert "fa/posts/hello/index.html" in result.written
    assert Path(os.path.abspath(output)) not in map(Path, map(os.path.abspath, scanned))
    (output / "fa" / "نوشته.html").write_text("<p>دستی</p>", encoding="utf-8")
    assert BuildCache(settled, output).load_state().output_files(output) is None


def test_a_new_post_folder_and_a_new_language_file_are_built(settled: Path) -> None:
    source = settled / "content/posts/hello"
    copy = source.parent / "hello-again"
    shutil.copytree(source, copy)
    build(settled, pdf=False, jobs=1)
    assert (settled / "_site/fa/posts/hello-again/index.html").is_file()


def test_the_sitemap_weighs_as_the_pages_it_lists_and_goes_out_before_small_tasks(
    tmp_path: Path,
) -> None:
    root = write_synthetic(tmp_path / "site", posts=200, words=20)
    site = load_site(root)
    outputs = tuple(plan_site(site, asset_dirs(root)))
    work = Work(BuildContext(site, template_set(root), outputs), None, tmp_path / "out", {})
    sitemap = next(i for i, output in enumerate(outputs) if output.kind == "sitemap")
    pages = sum(1 for output in outputs if output.renderer == "html")

    assert cost(outputs[sitemap], site) > pages / 100  # a URL per page, not one page's worth

    tasks = work.tasks(range(len(outputs)), jobs=2)
    position = next(number for number, task in enumerate(tasks) if sitemap in task)
    weights = [sum(cost(outputs[index], site) for index in task) for task in tasks]
    assert weights == sorted(weights, reverse=True)  # the costliest first
    assert position < len(tasks) - 1
    assert all(weights[number] < weights[position] for number in range(position + 1, len(tasks)))
