"""Turn on `[content] allow_html` in a site's bilingual.toml, changing nothing else in the file."""

from __future__ import annotations

import re
import tomllib

_TABLE = re.compile(r"^\s*\[\s*content\s*\]\s*(?:#.*)?$", re.MULTILINE)


def allow_html_text(text: str) -> str | None:
    """The config with allow_html = true, or None when the user chose false (or the file is odd)."""
    try:
        content = tomllib.loads(text).get("content", {})
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(content, dict) or "allow_html" in content:
        return None
    table = _TABLE.search(text)
    if table is not None:
        changed = text[: table.end()] + "\nallow_html = true" + text[table.end() :]
    else:
        changed = (
            text
            + ("" if text.endswith("\n") or not text else "\n")
            + ("\n[content]\nallow_html = true                 # set by the WordPress import\n")
        )
    try:
        parsed = tomllib.loads(changed).get("content", {})
    except tomllib.TOMLDecodeError:
        return None
    return changed if parsed.get("allow_html") is True else None
