"""Turn a site title and a post title into a 1200x630 social card (PNG), in the right direction."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from bilingual.publish.views import Text
from bilingual.site.resources import theme_dir
from bilingual.text.bidi import isolate_unicode, visual
from bilingual.text.languages import Direction, Language

Engine = Literal["raqm", "basic"]

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
    return tuple(round(p + (i - p) * share) for p, i in zip(paper, ink))


_PALETTE = [value for rgb in (
    ImageColor.getrgb(PAPER), ImageColor.getrgb(RULE),
    *(_blend(color, step / (SHADES - 1)) for color in TEXT_COLORS for step in range(SHADES)))
    for value in rgb]
_TINTS = {color: [PAPER_INDEX if round(v * (SHADES - 1) / 255) == 0 else
                  2 + index * SHADES + round(v * (SHADES - 1) / 255) for v in range(256)]
          for index, color in enumerate(TEXT_COLORS)}


@dataclass(frozen=True)
class Line:
    """One line of the card: logical-order text, drawn from the card's start edge."""

    text: str
    lang: Language
    size: int
    bold: bool
    top: int
    color: str


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


class Shaper(Protocol):
    engine: Engine

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float: ...

    def draw(self, canvas: ImageDraw.ImageDraw, xy: tuple[int, int], line: Line, anchor: str,
             fill: int | str) -> None: ...


def default_engine() -> Engine:
    """Pillow's raqm layout (HarfBuzz and FriBiDi) when present, else reshaping and ICU's order."""
    return "raqm" if features.check("raqm") else "basic"


def font_path(bold: bool) -> str:
    return str(theme_dir() / "print" / "fonts" / f"Vazirmatn-{'Bold' if bold else 'Regular'}.ttf")


@cache
def load_font(size: int, bold: bool, engine: Engine) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if engine == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(font_path(bold), size, layout_engine=layout)


class RaqmShaper:
    """HarfBuzz shapes and FriBiDi orders the text inside Pillow, runs isolated as everywhere."""

    engine: Engine = "raqm"

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float:
        return load_font(size, bold, "raqm").getlength(
            isolate_unicode(text, line_lang.direction), direction=line_lang.direction,
            language=line_lang.code)

    def draw(self, canvas: ImageDraw.ImageDraw, xy: tuple[int, int], line: Line, anchor: str,
             fill: int | str) -> None:
        canvas.text(xy, isolate_unicode(line.text, line.lang.direction),
                    font=load_font(line.size, line.bold, "raqm"), fill=fill,
                    anchor=anchor, direction=line.lang.direction, language=line.lang.code)


class BasicShaper:
    """Without raqm: arabic-reshaper joins the letters, ICU puts them in visual order."""

    engine: Engine = "basic"

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float:
        return load_font(size, bold, "basic").getlength(visual_order(text, line_lang.direction))

    def draw(self, canvas: ImageDraw.ImageDraw, xy: tuple[int, int], line: Line, anchor: str,
             fill: int | str) -> None:
        canvas.text(xy, visual_order(line.text, line.lang.direction),
                    font=load_font(line.size, line.bold, "basic"), fill=fill, anchor=anchor)


def visual_order(text: str, direction: Direction) -> str:
    """One line's glyphs left to right, Arabic-script letters in their joined forms."""
    return visual(text, direction)


def shaper_for(engine: Engine | None = None) -> Shaper:
    return RaqmShaper() if (engine or default_engine()) == "raqm" else BasicShaper()


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Break ``text`` at spaces into lines that fit, in reading order (logical, not visual)."""
    lines: list[str] = []
    current = ""
    for word in _SPACES.split(text.strip()):
        candidate = f"{current} {word}" if current else word
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current] if current else lines


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
    return first[:_most(len(first), lambda n: fits(first[:n] + ELLIPSIS))].rstrip() + ELLIPSIS


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


def layout_card(site_title: Text, title: Text, footer: str, card_lang: Language,
                shaper: Shaper) -> CardLayout:
    """Place the site title at the top, the post title (wrapped, fitted) in the middle, the footer."""
    width = WIDTH - 2 * MARGIN - BAR
    latin = Language("en", "English", "ltr")

    def fits(lang: Language, size: int, bold: bool) -> Callable[[str], bool]:
        return lambda text: shaper.length(text, lang, size, bold) <= width

    site_line = Line(shorten(site_title.value, fits(site_title.lang, SITE_TITLE_SIZE, True)),
                     site_title.lang, SITE_TITLE_SIZE, True, 70, ACCENT)
    size, texts = _fit_title(Text(capped(title.value), title.lang),
                             lambda size: fits(title.lang, size, True))
    height = line_height(size, title.lang)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - height * len(texts)) // 2
    title_lines = [Line(text, title.lang, size, True, top + index * height, INK)
                   for index, text in enumerate(texts)]
    footer_line = Line(shorten(footer, fits(latin, FOOTER_SIZE, False)), latin, FOOTER_SIZE,
                       False, HEIGHT - 86, MUTED)
    return CardLayout(card_lang.direction, (site_line, *title_lines, footer_line))


def _fit_title(title: Text,
               fits_at: Callable[[int], Callable[[str], bool]]) -> tuple[int, list[str]]:
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
        lines = lines[:room - 1] + [shorten(" ".join(lines[room - 1:]), fits)]
    return size, lines


def draw_card(layout: CardLayout, shaper: Shaper) -> Image.Image:
    """The card as a palette image: text drawn as coverage, then tinted band by band."""
    coverage = Image.new("L", (WIDTH, HEIGHT), 0)
    text = ImageDraw.Draw(coverage)
    for line in layout.lines:
        shaper.draw(text, (layout.start_x, line.top), line, layout.anchor, 255)
    card = Image.new("L", (WIDTH, HEIGHT), PAPER_INDEX)
    bands = [0, *(line.top for line in layout.lines[1:]), HEIGHT]
    for line, top, bottom in zip(layout.lines, bands, bands[1:]):
        box = (0, top, WIDTH, bottom)
        card.paste(coverage.crop(box).point(_TINTS[line.color]), box[:2])
    shapes = ImageDraw.Draw(card)
    bar_x = WIDTH - BAR if layout.direction == "rtl" else 0
    shapes.rectangle((bar_x, 0, bar_x + BAR - 1, HEIGHT - 1), fill=_TINTS[ACCENT][255])
    shapes.line((layout.start_x, 150, layout.end_x, 150), fill=RULE_INDEX, width=3)
    card.putpalette(_PALETTE)
    return card


def png_bytes(image: Image.Image) -> bytes:
    """PNG without time or software chunks: the same card gives the same bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def render_card(site_title: Text, title: Text, footer: str, card_lang: Language,
                engine: Engine | None = None) -> bytes:
    """The card as PNG bytes."""
    shaper = shaper_for(engine)
    return png_bytes(draw_card(layout_card(site_title, title, footer, card_lang, shaper), shaper))
