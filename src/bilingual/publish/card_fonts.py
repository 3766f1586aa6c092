"""Name the font files social cards are drawn with (without loading the drawing code)."""

from __future__ import annotations

from bilingual.site.layout import PRINT_DIR
from bilingual.site.resources import theme_dir


def font_path(bold: bool) -> str:
    return str(theme_dir() / PRINT_DIR / "fonts" / f"Vazirmatn-{'Bold' if bold else 'Regular'}.ttf")
