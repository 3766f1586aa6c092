"""Social cards: size, Persian shaped and set right to left, wrapping, the PNG file, reproducible
bytes, mixed-direction titles in their order, meta tags."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from urllib.parse import urlsplit

import arabic_reshaper
import pytest
from lxml import html
from PIL import Image, ImageChops, ImageDraw, ImageFilter, features

from bidi_oracle import Phrase, Sentence, corpus, own_order
from bilingual import BuildResult
from bilingual.publish import card_shapers
from bilingual.publish.card_png import BandedPNG
from bilingual.publish.card_shapers import Line, load_font, shaper_for
from bilingual.publish.cards import (
    HEIGHT,
    INK,
    PAPER,
    WIDTH,
    draw_card,
    layout_card,
    line_height,
    render_card,
)
from bilingual.publish.views import Text
from bilingual.text.languages import language

FA, EN = language("fa"), language("en")
SITE_FA = Text("جمهوری دموکراتیک ایران", FA)
SITE_EN = Text("Democratic Republic of Iran", EN)
LONG_FA = (
    "محمدرضا حیدری: چرا دیپلمات‌های بیشتری در مخالفت با احمدی‌نژاد از سپاه پاسداران "
    "(IRGC) جدا خواهند شد"
)
PERSIAN_POST = "fa/posts/2010-01-20-the-only-way-forward/index.html"


def ink_mask(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """Dark pixels (text in ink or accent colour) of ``box`` as a 1-bit mask."""
    return image.crop(box).convert("L").point(lambda value: 255 if value < 150 else 0, mode="1")


def overlap(first: Image.Image, second: Image.Image) -> float:
    """Intersection over union of two ink masks."""
    both = ImageChops.logical_and(first, second).histogram()[255]
    either = ImageChops.logical_or(first, second).histogram()[255]
    return both / either if either else 1.0


def title_layout(title: Text, card_lang=FA, engine=None):
    shaper = shaper_for(engine)
    layout = layout_card(
        SITE_FA if card_lang is FA else SITE_EN, title, "example.org", card_lang, shaper
    )
    return layout, draw_card(layout, shaper)


def line_box(layout, line) -> tuple[int, int, int, int]:
    """The band of ``line`` between the margins (leaving out the accent bar)."""
    left, right = sorted((layout.start_x, layout.end_x))
    return (left - 10, line.top, right + 10, line.top + line_height(line.size, line.lang))


def test_pillow_shapes_text_with_raqm() -> None:
    # Pillow's wheels load libraqm with FriBiDi from the system: scripts/setup.sh installs it.
    assert features.check("raqm"), "Pillow cannot load libraqm and libfribidi"


def test_card_is_a_1200_by_630_png() -> None:
    data = render_card(SITE_FA, Text("تنها راه پیش رو", FA), "example.org", FA)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))


def test_same_card_gives_the_same_bytes_without_timestamps() -> None:
    title = Text("تنها راه پیش رو", FA)
    first = render_card(SITE_FA, title, "example.org", FA)
    assert render_card(SITE_FA, title, "example.org", FA) == first
    assert b"tIME" not in first and b"tEXt" not in first


@pytest.mark.parametrize("engine", ["raqm", "basic"])
def test_persian_title_ink_is_right_aligned_and_ragged_on_the_left(engine: str) -> None:
    layout, image = title_layout(Text(LONG_FA, FA), engine=engine)
    title_lines = [line for line in layout.lines if line.size > 40]
    assert len(title_lines) >= 2
    lefts = []
    for line in title_lines:
        box = line_box(layout, line)
        left, _, right, _ = ink_mask(image, box).getbbox()
        assert layout.start_x - 8 <= box[0] + right <= layout.start_x
        lefts.append(box[0] + left)
    assert max(lefts) - min(lefts) > 20
    assert min(lefts) >= layout.end_x - 4


def test_english_title_ink_is_left_aligned() -> None:
    layout, image = title_layout(Text("Heidari on why diplomats oppose the state", EN), EN)
    for line in layout.lines:
        box = line_box(layout, line)
        left = box[0] + ink_mask(image, box).getbbox()[0]
        assert layout.start_x <= left <= layout.start_x + 8


def test_long_titles_wrap_at_spaces_in_reading_order() -> None:
    layout, _ = title_layout(Text(LONG_FA, FA))
    texts = [line.text for line in layout.lines if line.size > 40]
    assert " ".join(texts) == LONG_FA
    assert texts[0].startswith("محمدرضا")
    shaper = shaper_for()
    width = abs(layout.start_x - layout.end_x)
    assert all(shaper.length(text, FA, layout.lines[1].size, True) <= width for text in texts)


def test_titles_too_long_for_the_card_end_with_an_ellipsis() -> None:
    layout, _ = title_layout(Text(" ".join([LONG_FA] * 4), FA))
    texts = [line.text for line in layout.lines if line.size > 40]
    assert 1 < len(texts) <= 4
    assert texts[-1].endswith("\u2026")


def test_persian_glyphs_match_a_reference_rendering_through_raqm() -> None:
    layout, image = title_layout(Text(LONG_FA, FA), engine="raqm")
    for line in layout.lines:
        reference = Image.new("RGB", image.size, PAPER)
        ImageDraw.Draw(reference).text(
            (layout.start_x, line.top),
            line.text,
            fill=line.color,
            anchor="ra",
            font=load_font(line.size, line.bold, "raqm"),
            direction="rtl" if line.lang.is_rtl else "ltr",
            language=line.lang.code,
        )
        box = line_box(layout, line)
        assert overlap(ink_mask(image, box), ink_mask(reference, box)) > 0.99


def word_mask(text: str, draw_with: str) -> Image.Image:
    """``text`` drawn alone, cropped to its ink and set in a fixed box from the top right."""
    canvas = Image.new("RGB", (900, 160), PAPER)
    line = Line(text, FA, 64, True, 30, "#000000")
    if draw_with == "unshaped":
        ImageDraw.Draw(canvas).text(
            (880, 30), text, fill="#000000", anchor="ra", font=load_font(64, True, "basic")
        )
    else:
        shaper_for(draw_with).draw(ImageDraw.Draw(canvas), (880, 30), line, "ra", "#000000")
    ink = ink_mask(canvas, (0, 0, *canvas.size))
    cropped = ink.crop(ink.getbbox())
    boxed = Image.new("1", (900, 160), 0)
    boxed.paste(cropped, (900 - cropped.width, 0))
    return boxed


def coverage(first: Image.Image, second: Image.Image) -> float:
    """How much of each mask's ink lies within 2 pixels of the other's, the smaller share."""

    def within(a: Image.Image, b: Image.Image) -> float:
        near = (
            b.convert("L")
            .filter(ImageFilter.MaxFilter(5))
            .point(lambda v: 255 if v else 0, mode="1")
        )
        return ImageChops.logical_and(a, near).histogram()[255] / a.histogram()[255]

    return min(within(first, second), within(second, first))


@pytest.mark.parametrize("word", ["سپاه", "پاسداران", "دیپلمات‌های", "احمدی‌نژاد", "(IRGC)"])
def test_reshaped_fallback_draws_what_raqm_draws(word: str) -> None:
    """Two independent engines (raqm; arabic-reshaper and python-bidi) draw the same glyphs."""
    agreement = coverage(word_mask(word, "raqm"), word_mask(word, "basic"))
    assert agreement > 0.9
    if word != "(IRGC)":
        assert coverage(word_mask(word, "raqm"), word_mask(word, "unshaped")) < 0.7


def test_build_writes_a_card_per_post_and_language(built_example: BuildResult) -> None:
    manifest = json.loads((built_example.out_dir / "manifest.json").read_text("utf-8"))
    cards = {
        (entry["lang"], entry["slug"]) for entry in manifest["outputs"] if entry["kind"] == "card"
    }
    expected = {(lang, post.slug) for post in built_example.site.posts for lang in post.languages}
    assert cards == expected
    for entry in manifest["outputs"]:
        if entry["kind"] == "card":
            assert entry["path"].endswith("/card.png")
            assert Image.open(built_example.out_dir / entry["path"]).size == (WIDTH, HEIGHT)


def test_post_pages_point_open_graph_and_twitter_at_their_card(built_example: BuildResult) -> None:
    page = html.fromstring((built_example.out_dir / PERSIAN_POST).read_bytes())
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in page.iter("meta")
    }
    assert meta["og:title"] == "تنها راه پیش رو"
    assert meta["og:type"] == "article"
    assert meta["og:locale"] == "fa_IR"
    assert meta["og:description"].startswith("محمدرضا حیدری")
    assert meta["twitter:card"] == "summary_large_image"
    image = urlsplit(meta["og:image"])
    assert (image.scheme, image.netloc) == ("https", "example.org")
    assert (built_example.out_dir / image.path.lstrip("/")).is_file()


def test_other_pages_get_site_level_open_graph_tags(built_example: BuildResult) -> None:
    page = html.fromstring((built_example.out_dir / "en/index.html").read_bytes())
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in page.iter("meta")
    }
    assert meta["og:title"] == "Democratic Republic of Iran"
    assert meta["og:url"] == "https://example.org/en/"
    assert "og:image" not in meta and meta["twitter:card"] == "summary"


# --- the PNG file ---------------------------------------------------------------------------

CARD_TITLES = [
    Text("تنها راه پیش رو", FA),
    Text(LONG_FA, FA),
    Text(" ".join([LONG_FA] * 4), FA),
    Text("Heidari on why diplomats oppose the state", EN),
]


def drawn(title: Text, card_lang=FA) -> Image.Image:
    return title_layout(title, card_lang)[1].convert("RGB")


@pytest.mark.parametrize("title", CARD_TITLES, ids=["short", "wrapped", "cut", "english"])
def test_card_file_holds_the_drawn_card_and_passes_the_png_checks(title: Text) -> None:
    for card_lang in (FA, EN):
        data = render_card(SITE_FA if card_lang is FA else SITE_EN, title, "example.org", card_lang)
        Image.open(io.BytesIO(data)).verify()  # chunk CRCs, zlib checksum, IEND
        card = Image.open(io.BytesIO(data))
        assert (card.mode, card.size) == ("P", (WIDTH, HEIGHT))
        assert ImageChops.difference(card.convert("RGB"), drawn(title, card_lang)).getbbox() is None


def test_banded_png_leaves_the_background_outside_the_band() -> None:
    background = Image.frombytes(
        "L", (64, 40), bytes((7 * x + 13 * y) % 50 for y in range(40) for x in range(64))
    )
    palette = bytes(range(150))
    stamp = Image.new("L", (30, 30), 7)
    for top, bottom in ((0, 40), (0, 10), (25, 40), (12, 20)):
        encoder = BandedPNG.of(background, palette, top, bottom)
        data = encoder.encode([(stamp, (20, 5), Image.new("L", stamp.size, 255))])
        expected = background.copy()
        expected.paste(stamp, (20, 5))
        kept = background.copy()
        kept.paste(expected.crop((0, top, 64, bottom)), (0, top))
        decoded = Image.open(io.BytesIO(data))
        assert decoded.getpalette()[:150] == list(palette)
        assert decoded.tobytes() == kept.tobytes()  # palette indexes


@pytest.mark.browser
def test_chromium_decodes_the_card_to_the_drawn_pixels(page: object) -> None:
    title = Text(LONG_FA, FA)
    data = render_card(SITE_FA, title, "example.org", FA)
    decoded = page.evaluate(
        """async (url) => {  // type: ignore[attr-defined]
        const image = new Image(); image.src = url; await image.decode();
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
        const rgb = context.getImageData(0, 0, image.width, image.height).data
            .filter((_, index) => index % 4 !== 3);
        let binary = '';
        for (let start = 0; start < rgb.length; start += 8192) {
            binary += String.fromCharCode(...rgb.subarray(start, start + 8192));
        }
        return btoa(binary);
    }""",
        "data:image/png;base64," + base64.b64encode(data).decode(),
    )
    assert base64.b64decode(decoded) == drawn(title).tobytes()


def test_a_new_process_draws_the_same_bytes() -> None:
    for title in CARD_TITLES:  # warm every cache of this process first
        render_card(SITE_FA, title, "example.org", FA)
    script = (
        "import sys; from bilingual.publish.cards import render_card; "
        "from bilingual.publish.views import Text; "
        "from bilingual.text.languages import language; fa = language('fa'); "
        f"sys.stdout.buffer.write(render_card(Text({SITE_FA.value!r}, fa), "
        f"Text({LONG_FA!r}, fa), 'example.org', fa))"
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    assert fresh == render_card(SITE_FA, Text(LONG_FA, FA), "example.org", FA)


# --- mixed-direction titles read right on cards drawn by raqm ------------------------------

ORACLE_SIZE, ORACLE_WIDTH, ORACLE_HEIGHT, BASELINE = 40, 1400, 80, 60


def ink(canvas: Image.Image) -> Image.Image:
    return canvas.point(lambda value: 255 if value > 100 else 0).convert("1")


def card_line(text: str, lang) -> Image.Image:
    """``text`` as the card draws a title line (raqm, runs isolated), on one wide line."""
    canvas = Image.new("L", (ORACLE_WIDTH, ORACLE_HEIGHT), 0)
    x = ORACLE_WIDTH - 20 if lang.is_rtl else 20
    shaper_for("raqm").draw(
        ImageDraw.Draw(canvas),
        (x, BASELINE),
        Line(text, lang, ORACLE_SIZE, True, 0, INK),
        "rs" if lang.is_rtl else "ls",
        255,
    )
    return ink(canvas)


def phrase_alone(phrase: Phrase, sentence_direction: str) -> Image.Image:
    """How ``phrase`` reads on its own, cropped to its ink: drawn by raqm alone in its own
    direction, or (a Persian number in Persian text) in the plain algorithm's order, joined by
    arabic-reshaper and drawn without raqm."""
    canvas = Image.new("L", (ORACLE_WIDTH, ORACLE_HEIGHT), 0)
    if phrase.direction != sentence_direction:
        ImageDraw.Draw(canvas).text(
            (20, BASELINE),
            phrase.text,
            fill=255,
            anchor="ls",
            direction=phrase.direction,
            language="en" if phrase.direction == "ltr" else "fa",
            font=load_font(ORACLE_SIZE, True, "raqm"),
        )
    else:
        joined = str(arabic_reshaper.reshape(own_order(phrase, sentence_direction)[::-1]))[::-1]
        ImageDraw.Draw(canvas).text(
            (20, BASELINE),
            joined,
            fill=255,
            anchor="ls",
            font=load_font(ORACLE_SIZE, True, "basic"),
        )
    mask = ink(canvas)
    left, _, right, _ = mask.getbbox()
    return mask.crop((left, 0, right, ORACLE_HEIGHT))


def near(mask: Image.Image) -> Image.Image:
    return (
        mask.convert("L")
        .filter(ImageFilter.MaxFilter(5))
        .point(lambda v: 255 if v else 0, mode="1")
    )


def column_ink(mask: Image.Image) -> list[int]:
    columns = mask.transpose(Image.Transpose.TRANSPOSE).convert("L").tobytes()
    return [columns[x * mask.height : (x + 1) * mask.height].count(255) for x in range(mask.width)]


def best_match(line: Image.Image, phrase: Image.Image) -> float:
    """How well ``phrase`` matches the line where it fits best: the smaller share of either's
    ink within two pixels of the other's (1.0: the phrase is there, in its own order)."""
    line_columns, phrase_columns = column_ink(line), column_ink(phrase)
    offsets = sorted(
        range(line.width - phrase.width + 1),
        key=lambda x: sum(
            abs(a - b)
            for a, b in zip(line_columns[x : x + phrase.width], phrase_columns, strict=True)
        ),
    )
    around_line, around_phrase = near(line), near(phrase)
    phrase_ink = phrase.histogram()[255]
    scores = []
    for x in offsets[:8]:
        box = (x, 0, x + phrase.width, line.height)
        window = line.crop(box)
        found = ImageChops.logical_and(phrase, around_line.crop(box)).histogram()[255]
        matched = ImageChops.logical_and(window, around_phrase).histogram()[255]
        scores.append(min(found / phrase_ink, matched / max(window.histogram()[255], 1)))
    return max(scores)


def misread_phrases(sentence: Sentence) -> list[str]:
    lang = FA if sentence.direction == "rtl" else EN
    line = card_line(sentence.text, lang)
    return [
        phrase.text
        for phrase in sentence.phrases
        if best_match(line, phrase_alone(phrase, sentence.direction)) < 0.97
    ]


def test_every_phrase_of_the_corpus_reads_intact_on_cards_drawn_by_raqm() -> None:
    misread = {
        sentence.text: found for sentence in corpus() if (found := misread_phrases(sentence))
    }
    assert misread == {}


def test_the_card_check_sees_a_phrase_out_of_order(monkeypatch: pytest.MonkeyPatch) -> None:
    sentence = next(s for s in corpus() if "+1 212 555 0100" in s.text)
    monkeypatch.setattr(card_shapers, "isolate_unicode", lambda text, direction: text)
    assert misread_phrases(sentence) == ["+1 212 555 0100"]
