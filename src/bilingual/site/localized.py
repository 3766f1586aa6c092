"""Hold one value per language, with explicit fallback rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Localized(Generic[T]):
    """A value per language code, e.g. a post title in English and Persian.

    Lookup never guesses: ``value[lang]`` is strict, ``get(lang)`` may return
    None, and ``resolve(lang, fallbacks)`` says which language actually served.
    """

    values: Mapping[str, T] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", dict(self.values))

    def __getitem__(self, lang: str) -> T:
        return self.values[lang]

    def __contains__(self, lang: object) -> bool:
        return lang in self.values

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values.items(), key=lambda item: item[0])))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.values)

    def get(self, lang: str, default: T | None = None) -> T | None:
        return self.values.get(lang, default)

    def resolve(self, lang: str, fallbacks: Sequence[str] = ()) -> tuple[str, T] | None:
        """Return ``(language, value)`` for ``lang`` or the first fallback that has one."""
        for candidate in (lang, *fallbacks):
            if candidate in self.values:
                return candidate, self.values[candidate]
        return None

    def map(self, function: Callable[[T], U]) -> Localized[U]:
        return Localized({lang: function(value) for lang, value in self.values.items()})

    def with_value(self, lang: str, value: T) -> Localized[T]:
        return Localized({**self.values, lang: value})
