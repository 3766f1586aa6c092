"""The default theme's Persian catalog covers every interface string, plurals included."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bilingual.site.resources import locales_dir, theme_dir

JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def theme_msgids() -> set[str]:
    method_map = [("**.html", "jinja2"), ("**.xml", "jinja2")]
    found = extract_from_dir(
        str(theme_dir()),
        method_map,
        options_map={"**.html": JINJA_OPTIONS, "**.xml": JINJA_OPTIONS},
    )
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in found
    }


def test_persian_catalog_translates_every_template_string() -> None:
    with (locales_dir() / "fa/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated[key] = strings
    missing = theme_msgids() - set(translated)
    assert not missing, f"untranslated in fa: {sorted(missing)}"
    plural = translated["%(num)d post"]
    assert len(plural) == catalog.num_plurals
