"""Turn one line of a social card into pixels, with Pillow's raqm layout or without it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal, Protocol

from PIL import Image, ImageDraw, ImageFont, features

from bilingual.publish.card_fonts import font_path
from bilingual.text.bidi import isolate_unicode, visual
from bilingual.text.languages import Direction, Language

Engine = Literal["raqm", "basic"]
Coverage = tuple[Image.Image, tuple[int, int]]
"""How much ink covers each pixel of a line (0-255), and its top left corner from the anchor."""


@dataclass(frozen=True)
class Line:
    """One line of the card: logical-order text, drawn from the card's start edge."""

    text: str
    lang: Language
    size: int
    bold: bool
    top: int
    color: str


class Shaper(Protocol):
    engine: Engine

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float: ...

    def draw(
        self,
        canvas: ImageDraw.ImageDraw,
        xy: tuple[int, int],
        line: Line,
        anchor: str,
        fill: int | str,
    ) -> None: ...

    def mask(self, line: Line, anchor: str) -> Coverage: ...


def default_engine() -> Engine:
    """Pillow's raqm layout (HarfBuzz and FriBiDi) when present, else reshaping and ICU's order."""
    return "raqm" if features.check("raqm") else "basic"


@cache
def load_font(size: int, bold: bool, engine: Engine) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if engine == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(font_path(bold), size, layout_engine=layout)


class RaqmShaper:
    """HarfBuzz shapes and FriBiDi orders the text inside Pillow, runs isolated as everywhere."""

    engine: Engine = "raqm"

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float:
        return load_font(size, bold, "raqm").getlength(
            isolate_unicode(text, line_lang.direction),
            direction=line_lang.direction,
            language=line_lang.code,
        )

    def draw(
        self,
        canvas: ImageDraw.ImageDraw,
        xy: tuple[int, int],
        line: Line,
        anchor: str,
        fill: int | str,
    ) -> None:
        canvas.text(
            xy,
            isolate_unicode(line.text, line.lang.direction),
            font=load_font(line.size, line.bold, "raqm"),
            fill=fill,
            anchor=anchor,
            direction=line.lang.direction,
            language=line.lang.code,
        )

    def mask(self, line: Line, anchor: str) -> Coverage:
        core, offset = load_font(line.size, line.bold, "raqm").getmask2(
            isolate_unicode(line.text, line.lang.direction),
            "L",
            anchor=anchor,
            direction=line.lang.direction,
            language=line.lang.code,
        )
        return Image.Image()._new(core), offset


class BasicShaper:
    """Without raqm: arabic-reshaper joins the letters, ICU puts them in visual order."""

    engine: Engine = "basic"

    def length(self, text: str, line_lang: Language, size: int, bold: bool) -> float:
        return load_font(size, bold, "basic").getlength(visual_order(text, line_lang.direction))

    def draw(
        self,
        canvas: ImageDraw.ImageDraw,
        xy: tuple[int, int],
        line: Line,
        anchor: str,
        fill: int | str,
    ) -> None:
        canvas.text(
            xy,
            visual_order(line.text, line.lang.direction),
            font=load_font(line.size, line.bold, "basic"),
            fill=fill,
            anchor=anchor,
        )

    def mask(self, line: Line, anchor: str) -> Coverage:
        core, offset = load_font(line.size, line.bold, "basic").getmask2(
            visual_order(line.text, line.lang.direction), "L", anchor=anchor
        )
        return Image.Image()._new(core), offset


def visual_order(text: str, direction: Direction) -> str:
    """One line's glyphs left to right, Arabic-script letters in their joined forms."""
    return visual(text, direction)


def shaper_for(engine: Engine | None = None) -> Shaper:
    return _SHAPERS[engine or default_engine()]


_SHAPERS: dict[Engine, Shaper] = {"raqm": RaqmShaper(), "basic": BasicShaper()}


@lru_cache(maxsize=4096)
def measure(engine: Engine, text: str, lang: Language, size: int, bold: bool) -> float:
    """The width of ``text`` in pixels, remembered: the site title and the host name are
    measured for every card, and wrapping a title measures its lines more than once."""
    return _SHAPERS[engine].length(text, lang, size, bold)
