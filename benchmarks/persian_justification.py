"""Measure how far justification stretches the spaces of Persian lines in the PDF editions.

Lays out the print HTML of the test corpus (a 1,742-word Persian essay) and of the bidi
corpus (Persian sentences holding English phrases, six to a paragraph) as `bilingual` sets
them (A5, start-aligned), and again justified, and prints for each:

- the stretch of the spaces of every justified line: the space WeasyPrint adds, as a share
  of a space of the font (0 %: a natural space; 100 %: twice as wide), its median, 90th
  percentile and maximum, and the share of lines above 50 % and 100 % (where rivers show);
- how full the start-aligned lines are (the rag);
- the lines that hold nothing but an opposite-direction fragment (an English phrase alone on
  a Persian line).

    .venv/bin/python benchmarks/persian_justification.py
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from bilingual.publish.pdf.document import font_configuration, print_stylesheets, url_fetcher
from bilingual.publish.renderers.pdf import post_html
from bilingual.publish.templating import template_set
from bilingual.site.reader import load_site
from bilingual.text.languages import language

ROOT = Path(__file__).resolve().parent.parent
PROSE = ROOT / "tests" / "fixtures" / "persian-prose.md"
CORPUS = ROOT / "tests" / "fixtures" / "bidi-corpus.yaml"
FONT = ROOT / "templates" / "print" / "fonts" / "Vazirmatn-Regular.ttf"
JUSTIFIED = CSS(string="[dir] .entry-body p { text-align: justify }")


@dataclass(frozen=True)
class Line:
    text: str
    stretch: float  # added space per space, as a share of the font's space
    fill: float  # width of the line's content over the width of its block
    last: bool  # the last line of its paragraph (never justified)


def space_share() -> float:
    """The width of Vazirmatn's space, in em."""
    font = TTFont(FONT)
    return float(font["hmtx"]["space"][0]) / float(font["head"].unitsPerEm)


def posts(folder: Path) -> dict[str, str]:
    """The print HTML of the essay and of the corpus's Persian sentences, as one post each."""
    root = folder / "site"
    shutil.copytree(
        ROOT / "examples" / "seed-blog",
        root,
        ignore=shutil.ignore_patterns("_site", ".bilingual-cache"),
    )
    sentences = [
        entry["text"]
        for entry in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
        if entry["dir"] == "rtl"
    ]
    sources = {
        "essay": PROSE.read_text(encoding="utf-8"),
        "corpus": "---\ntitle: پیکره\ndate: 2015-07-14\n---\n\n"
        + "\n\n".join(
            " ".join(sentences[start : start + 6]) for start in range(0, len(sentences), 6)
        ),
    }
    for slug, text in sources.items():
        (root / "content" / "posts" / f"2024-01-01-{slug}").mkdir()
        (root / "content" / "posts" / f"2024-01-01-{slug}" / "fa.md").write_text(
            text, encoding="utf-8"
        )
    site, templates = load_site(root), template_set(root)
    return {
        slug: post_html(site, templates, site.entry(f"2024-01-01-{slug}"), language("fa"))
        for slug in sources
    }


def body_lines(html: str, stylesheets: list[CSS], space: float) -> Iterator[Line]:
    """The lines of the post's body paragraphs, laid out as the PDF edition lays them out."""
    document = HTML(string=html, url_fetcher=url_fetcher()).render(
        stylesheets=stylesheets, font_config=font_configuration()
    )
    for page in document.pages:
        for paragraph in page._page_box.descendants():
            # The body's paragraphs have no class (the head's and the colophon's have one
            # or hold the post's address).
            if paragraph.element_tag != "p" or paragraph.element.get("class") is not None:
                continue
            lines = [box for box in paragraph.children if isinstance(box, boxes.LineBox)]
            for index, line in enumerate(lines):
                texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
                if not texts or any("://" in box.text for box in texts):
                    continue
                extra_space = max(box.justification_spacing for box in texts)
                size = texts[0].style["font_size"]
                content = sum(box.width for box in texts)
                yield Line(
                    "".join(box.text for box in texts),
                    extra_space / (space * size),
                    content / paragraph.width,
                    index == len(lines) - 1,
                )


def lone_fragment(line: Line) -> bool:
    """Whether a Persian line holds only left-to-right letters (and signs, digits, spaces)."""
    kinds = {unicodedata.bidirectional(char) for char in line.text if char.isalpha()}
    return bool(kinds) and kinds <= {"L"}


def report(name: str, justified: list[Line], start: list[Line]) -> None:
    stretched = [line.stretch for line in justified if not line.last]
    quantiles = statistics.quantiles(stretched, n=10)
    print(f"{name}: {len(stretched)} justified lines")
    print(
        f"  space stretch: median {statistics.median(stretched):.0%}, "
        f"90th percentile {quantiles[-1]:.0%}, max {max(stretched):.0%}; "
        f"over 50 %: {sum(s > 0.5 for s in stretched) / len(stretched):.0%}, "
        f"over 100 %: {sum(s > 1 for s in stretched) / len(stretched):.0%}"
    )
    fills = [line.fill for line in start if not line.last]
    print(
        f"  start-aligned: median fill {statistics.median(fills):.0%}, "
        f"shortest {min(fills):.0%} of the measure"
    )
    for kind, lines in (("justified", justified), ("start-aligned", start)):
        alone = [line.text.strip() for line in lines if lone_fragment(line)]
        print(f"  {kind}: {len(alone)} line(s) holding only an English fragment {alone[:4]}")


def main() -> None:
    space = space_share()
    with tempfile.TemporaryDirectory() as folder:
        html = posts(Path(folder))
        root = Path(folder) / "site"
        stylesheets = print_stylesheets(
            template_set(root), language("fa"), load_site(root).config.pdf
        )
        for name, text in html.items():
            report(
                name,
                list(body_lines(text, [*stylesheets, JUSTIFIED], space)),
                list(body_lines(text, stylesheets, space)),
            )


if __name__ == "__main__":
    main()
