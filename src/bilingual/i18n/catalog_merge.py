"""Carry translations over when strings move, vanish and come back, or are rewritten in place."""

from __future__ import annotations

from typing import Any

from babel.messages.catalog import Catalog, Message

from bilingual.i18n.catalog_files import entries, state

REPLACED_WITHIN_LINES = 3  # a new string this close to where a vanished one was replaces it


def message_key(message: Message) -> tuple[str, str | None]:
    """The id (its singular) and context that find a message again after an update."""
    return (message.id if isinstance(message.id, str) else message.id[0]), message.context


def revive_obsolete(catalog: Catalog) -> None:
    """A string that comes back gets its old translation back (as msgmerge does)."""
    for key, old in list(catalog.obsolete.items()):
        current = catalog.get(old.id, old.context)
        if current is None:
            continue
        if state(current) == "missing":
            current.string = old.string
            current.user_comments = current.user_comments or old.user_comments
        del catalog.obsolete[key]


def match_replaced(catalog: Catalog, before: set[Any]) -> None:
    """Keep, as fuzzy, the translation of a string rewritten in place ("Read more" ->
    "Continue reading"): Babel only matches texts that look alike, this matches by place.

    A new string takes the translation of the nearest vanished one of the same kind that was
    within a few lines of it in the same file, by the catalog's references.
    """
    added = {
        index: message
        for index, message in enumerate(entries(catalog))
        if message.id not in before and state(message) == "missing"
    }
    gone = {
        key: old
        for key, old in catalog.obsolete.items()
        if old.id in before and state(old) != "missing"
    }
    nearby = sorted(
        (
            (distance, index, key)
            for index, message in added.items()
            for key, old in gone.items()
            if (distance := _distance(message, old)) is not None
        ),
        key=lambda pair: pair[:2],
    )
    for _distance_apart, index, key in nearby:
        if index in added and key in gone:
            del gone[key]
            _inherit(added.pop(index), catalog.obsolete.pop(key))


def _distance(new: Message, old: Message) -> int | None:
    """How many lines apart two strings of the same kind were in one file, if close."""
    if not _same_kind(new, old):
        return None
    distances = [
        abs((line or 0) - (old_line or 0))
        for file, line in new.locations
        for old_file, old_line in old.locations
        if file == old_file
    ]
    nearest = min(distances, default=None)
    return nearest if nearest is not None and nearest <= REPLACED_WITHIN_LINES else None


def _same_kind(new: Message, old: Message) -> bool:
    return new.context == old.context and new.pluralizable == old.pluralizable


def _inherit(message: Message, old: Message) -> None:
    message.string = old.string
    message.flags.add("fuzzy")
    message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
    message.user_comments = message.user_comments or old.user_comments
