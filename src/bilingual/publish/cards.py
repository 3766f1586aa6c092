"""Turn a site title and a post title into a 1200x630 social card (PNG), in the right direction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from PIL import Image, ImageColor, ImageDraw

from bilingual.publish.card_png import BandedPNG
from bilingual.publish.card_shapers import Engine, Line, Shaper, measure, shaper_for
from bilingual.publish.views import Text
from bilingual.text.languages import Direction, Language

WIDTH, HEIGHT = 1200, 630
MARGIN = 84
BAR = 18
TITLE_TOP, TITLE_BOTTOM = 190, 520
TITLE_SIZES = tuple(range(72, 43, -4))
MAX_TITLE_LINES = 4
SITE_TITLE_SIZE = 36
FOOTER_SIZE = 28
ELLIPSIS = "\u2026"
MAX_TEXT_CHARS = 1000
"""More than four lines hold at the smallest size even in the narrowest glyphs (an apostrophe
is 5 px at 44 px): the rest of a longer text could never show, so it is not even measured."""

PAPER = "#fbfcfb"
INK = "#1d2327"
MUTED = "#5b6770"
ACCENT = "#1f7a4d"
RULE = "#dfe5e2"

_SPACES = re.compile(r"[ \t\r\n]+")

# A palette card: paper, the rule, then 16 shades from paper to each text colour. Encoding
# one byte a pixel keeps a card to a few milliseconds, which matters with thousands of posts.
PAPER_INDEX, RULE_INDEX, SHADES = 0, 1, 16
TEXT_COLORS = (INK, ACCENT, MUTED)


def _blend(color: str, share: float) -> tuple[int, ...]:
    paper, ink = ImageColor.getrgb(PAPER), ImageColor.getrgb(color)
    return tuple(round(p + (i - p) * share) for p, i in zip(paper, ink, strict=True))


_PALETTE = [
    value
    for rgb in (
        ImageColor.getrgb(PAPER),
        ImageColor.getrgb(RULE),
        *(_blend(color, step / (SHADES - 1)) for color in TEXT_COLORS for step in range(SHADES)),
    )
    for value in rgb
]
_TINTS = {
    color: [
        PAPER_INDEX
        if round(v * (SHADES - 1) / 255) == 0
        else 2 + index * SHADES + round(v * (SHADES - 1) / 255)
        for v in range(256)
    ]
    for index, color in enumerate(TEXT_COLORS)
}
_TINT_TABLES = {color: bytes(tints) for color, tints in _TINTS.items()}
_INK_TABLES = {
    color: bytes(0 if tint == PAPER_INDEX else 255 for tint in tints)
    for color, tints in _TINTS.items()
}
_PALETTE_BYTES = bytes(_PALETTE)

BAND_TOP, BAND_BOTTOM = 156, 540
"""The rows a title may take, between the rule and the host name (more if its ink needs them):
every other row is the same on every card of a site in one language."""


@dataclass(frozen=True)
class CardLayout:
    direction: Direction
    lines: tuple[Line, ...]

    @property
    def start_x(self) -> int:
        """Where every line starts: past the accent bar, on the right in a right-to-left card."""
        return WIDTH - BAR - MARGIN if self.direction == "rtl" else BAR + MARGIN

    @property
    def end_x(self) -> int:
        return MARGIN if self.direction == "rtl" else WIDTH - MARGIN

    @property
    def anchor(self) -> str:
        return "ra" if self.direction == "rtl" else "la"


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Break ``text`` at spaces into lines that fit, in reading order (logical, not visual)."""
    words = _SPACES.split(text.strip())
    whole = " ".join(words)
    if whole and fits(whole):  # most titles: one measurement instead of one per word
        return [whole]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """``text`` cut at the end (after a word, else a letter) with an ellipsis, so that it fits."""
    text = capped(text)
    if fits(text):
        return text
    words = text.split(" ")
    count = _most(len(words) - 1, lambda n: fits(" ".join(words[:n]) + ELLIPSIS))
    if count:
        return " ".join(words[:count]).rstrip() + ELLIPSIS
    first = words[0]
    return first[: _most(len(first), lambda n: fits(first[:n] + ELLIPSIS))].rstrip() + ELLIPSIS


def capped(text: str) -> str:
    """``text`` cut to MAX_TEXT_CHARS (after a word if it can) and marked with an ellipsis."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text[:MAX_TEXT_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip() + ELLIPSIS


def _most(limit: int, fits: Callable[[int], bool]) -> int:
    """The largest n <= limit for which fits(n), 0 if none: a binary search, as a longer
    prefix is never narrower."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def line_height(size: int, lang: Language) -> int:
    """Arabic script needs room for its dots and descending tails."""
    return round(size * (1.5 if lang.is_rtl else 1.25))


def layout_card(
    site_title: Text, title: Text, footer: str, card_lang: Language, shaper: Shaper
) -> CardLayout:
    """Place the site title at the top, the post title (wrapped, fitted) below, the footer last."""
    width = WIDTH - 2 * MARGIN - BAR
    latin = Language("en", "English", "ltr")

    def fits(lang: Language, size: int, bold: bool) -> Callable[[str], bool]:
        return lambda text: measure(shaper.engine, text, lang, size, bold) <= width

    site_line = Line(
        shorten(site_title.value, fits(site_title.lang, SITE_TITLE_SIZE, True)),
        site_title.lang,
        SITE_TITLE_SIZE,
        True,
        70,
        ACCENT,
    )
    size, texts = _fit_title(
        Text(capped(title.value), title.lang), lambda size: fits(title.lang, size, True)
    )
    height = line_height(size, title.lang)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - height * len(texts)) // 2
    title_lines = [
        Line(text, title.lang, size, True, top + index * height, INK)
        for index, text in enumerate(texts)
    ]
    footer_line = Line(
        shorten(footer, fits(latin, FOOTER_SIZE, False)),
        latin,
        FOOTER_SIZE,
        False,
        HEIGHT - 86,
        MUTED,
    )
    return CardLayout(card_lang.direction, (site_line, *title_lines, footer_line))


def _fit_title(
    title: Text, fits_at: Callable[[int], Callable[[str], bool]]
) -> tuple[int, list[str]]:
    """The largest size at which the title fits its lines; at the smallest, cut it short."""
    for size in TITLE_SIZES:
        fits = fits_at(size)
        lines = wrap(title.value, fits)
        room = min(MAX_TITLE_LINES, (TITLE_BOTTOM - TITLE_TOP) // line_height(size, title.lang))
        if len(lines) <= room and all(fits(line) for line in lines):
            return size, lines
    size = TITLE_SIZES[-1]
    fits = fits_at(size)
    room = min(MAX_TITLE_LINES, (TITLE_BOTTOM - TITLE_TOP) // line_height(size, title.lang))
    lines = [shorten(line, fits) for line in wrap(title.value, fits)]
    if len(lines) > room:
        lines = [*lines[: room - 1], shorten(" ".join(lines[room - 1 :]), fits)]
    return size, lines


def draw_card(layout: CardLayout, shaper: Shaper) -> Image.Image:
    """The whole card as a palette image."""
    card = _frame(layout.direction, layout.lines[0], layout.lines[-1], shaper.engine).copy()
    for stamp, xy in _title_stamps(layout, shaper.engine):
        card.paste(stamp.tinted, xy, stamp.mask)
    card.putpalette(_PALETTE)
    return card


def render_card(
    site_title: Text, title: Text, footer: str, card_lang: Language, engine: Engine | None = None
) -> bytes:
    """The card as PNG bytes, without time or software chunks: the same card, the same bytes."""
    shaper = shaper_for(engine)
    layout = layout_card(site_title, title, footer, card_lang, shaper)
    stamps = _title_stamps(layout, shaper.engine)
    top = max(0, min([BAND_TOP, *(y for _, (_, y) in stamps)]))
    bottom = min(HEIGHT, max([BAND_BOTTOM, *(y + stamp.tinted.height for stamp, (_, y) in stamps)]))
    encoder = _encoder(
        layout.direction, layout.lines[0], layout.lines[-1], shaper.engine, top, bottom
    )
    return encoder.encode((stamp.tinted, xy, stamp.mask) for stamp, xy in stamps)


@dataclass(frozen=True)
class Stamp:
    """One line drawn once: palette indexes, where its ink is, and its offset from the anchor."""

    tinted: Image.Image
    mask: Image.Image
    left: int
    top: int


def _title_stamps(layout: CardLayout, engine: Engine) -> list[tuple[Stamp, tuple[int, int]]]:
    """The title's lines and where they go (every line but the site title and the footer)."""
    placed = ((_stamp(engine, line, layout.anchor), line) for line in layout.lines[1:-1])
    return [
        (stamp, (layout.start_x + stamp.left, line.top + stamp.top))
        for stamp, line in placed
        if stamp is not None
    ]


@cache
def _background(direction: Direction) -> Image.Image:
    """Paper, the accent bar on the start side and the rule under the site title."""
    card = Image.new("L", (WIDTH, HEIGHT), PAPER_INDEX)
    shapes = ImageDraw.Draw(card)
    bar_x = WIDTH - BAR if direction == "rtl" else 0
    shapes.rectangle((bar_x, 0, bar_x + BAR - 1, HEIGHT - 1), fill=_TINTS[ACCENT][255])
    start_x = WIDTH - BAR - MARGIN if direction == "rtl" else BAR + MARGIN
    end_x = MARGIN if direction == "rtl" else WIDTH - MARGIN
    shapes.line((start_x, 150, end_x, 150), fill=RULE_INDEX, width=3)
    return card


@lru_cache(maxsize=8)
def _frame(direction: Direction, site_line: Line, footer_line: Line, engine: Engine) -> Image.Image:
    """What every card of a site in one language shares: the background, site title, footer."""
    frame = _background(direction).copy()
    anchor = "ra" if direction == "rtl" else "la"
    start_x = WIDTH - BAR - MARGIN if direction == "rtl" else BAR + MARGIN
    for line in (site_line, footer_line):
        stamp = _stamp(engine, line, anchor)
        if stamp is not None:
            frame.paste(stamp.tinted, (start_x + stamp.left, line.top + stamp.top), stamp.mask)
    return frame


@lru_cache(maxsize=8)
def _encoder(
    direction: Direction, site_line: Line, footer_line: Line, engine: Engine, top: int, bottom: int
) -> BandedPNG:
    return BandedPNG.of(
        _frame(direction, site_line, footer_line, engine), _PALETTE_BYTES, top, bottom
    )


@lru_cache(maxsize=256)
def _stamp(engine: Engine, line: Line, anchor: str) -> Stamp | None:
    """``line`` shaped and rasterised once: the site title and the footer repeat on every card.

    The glyphs are rendered straight into their mask (as ``ImageDraw.text`` would draw them on
    black, pixel for pixel), not measured first and then drawn: that shaped every line twice.
    """
    coverage, (left, top) = shaper_for(engine).mask(line, anchor)
    if coverage.width == 0 or coverage.height == 0:
        return None
    pixels = coverage.tobytes()  # bytes.translate maps them faster than Image.point
    return Stamp(
        Image.frombytes("L", coverage.size, pixels.translate(_TINT_TABLES[line.color])),
        Image.frombytes("L", coverage.size, pixels.translate(_INK_TABLES[line.color])),
        left,
        top,
    )
