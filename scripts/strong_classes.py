"""Write src/bilingual/text/strong_classes.py from this Python's Unicode data.

    .venv/bin/python scripts/strong_classes.py

Run it when the Python that builds sites has a newer Unicode version: until then, the toolkit
finds the classes itself at every start (tests/test_bidi_edges.py checks the kept ones).
"""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src/bilingual/text/strong_classes.py"


def module_text() -> str:
    # Importing directions reads the kept classes: it finds them itself without any.
    TARGET.write_text('UNIDATA_VERSION = ""\nRANGES: dict[str, str] = {}\n', encoding="utf-8")
    from bilingual.text.directions import STRONG_CLASSES, strong_ranges

    lines = [
        '"""The strong characters of each direction in the Basic Multilingual Plane, as (first,',
        "last) code points, marks left out: made by scripts/strong_classes.py from Unicode",
        f'{unicodedata.unidata_version}, for directions.py."""',
        "",
        f'UNIDATA_VERSION = "{unicodedata.unidata_version}"',
        "",
        "# Per direction: FIRST-LAST hexadecimal code points, separated by spaces.",
        "RANGES: dict[str, str] = {",
    ]
    for direction, kinds in STRONG_CLASSES.items():
        pairs = " ".join(f"{first:04X}-{last:04X}" for first, last in strong_ranges(kinds))
        pieces = textwrap.wrap(pairs, width=80, break_on_hyphens=False)
        lines += [f'    "{direction}": (', *(f'        "{piece} "' for piece in pieces), "    ),"]
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = module_text()
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
