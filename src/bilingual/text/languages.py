"""Describe a language (name, direction, locale) from Babel's locale data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Language:
    """A language of the site: its code, its own name and its writing direction."""

    code: str
    name: str
    direction: Direction

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code.replace("-", "_"))

    @property
    def regional_locale(self) -> str:
        """The language with its most likely region (fa -> fa_IR), as Open Graph expects."""
        likely = get_global("likely_subtags").get(self.code.replace("-", "_"), "")
        parts = [part for part in likely.split("_") if part]
        region = next((part for part in parts[1:] if part.isupper() or part.isdigit()), None)
        return f"{parts[0]}_{region}" if parts and region else self.code.replace("-", "_")

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def start(self) -> str:
        """The side a line of text starts on."""
        return "right" if self.is_rtl else "left"

    @property
    def end(self) -> str:
        return "left" if self.is_rtl else "right"


@cache
def language(code: str) -> Language:
    """Look up ``code`` (e.g. "fa", "en", "pt-BR") in Babel; raise ValueError if unknown."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(f"unknown language code {code!r}") from error
    direction: Direction = "rtl" if locale.text_direction == "rtl" else "ltr"
    name = locale.get_display_name(locale) or code
    return Language(code=code, name=name, direction=direction)
