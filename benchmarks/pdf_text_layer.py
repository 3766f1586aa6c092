"""Time the PDF editions with and without their text layer and tags, on real Persian prose.

Renders the same print HTML of the test corpus (a 1,742-word Persian essay) and of the
example's Persian post, again and again in one warm process, five ways, interleaved:

- plain: WeasyPrint as the toolkit used it before (no tags, no text layer);
- tagged: PDF/UA-1 (structure tree, XMP), no text layer, written by WeasyPrint alone;
- deflated once: the same, its streams deflated once before writing (streams.py);
- layer, twice: PDF/UA-1 and the text layer, written by WeasyPrint alone (its streams
  deflated once for the /ID's hash and again to write), as ``bilingual`` wrote them before;
- shipped: PDF/UA-1 and the text layer, deflated once, as ``bilingual`` writes them now.

Prints the median CPU time per PDF of each, the text layer's cost over the same PDF without
it (deflated once, both) and the shipped PDF's over WeasyPrint's tagged one; then, timed from inside,
the CPU time of the layer's own work (reading each line from Pango, finding its words, cutting
its TJ arrays), which the machine's load moves much less than the whole. Nothing asserts a time.

    .venv/bin/python benchmarks/pdf_text_layer.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from weasyprint import HTML

from bilingual.publish.pdf import text_layer as layer_module
from bilingual.publish.pdf.document import (
    PDF_VARIANT,
    font_configuration,
    print_stylesheets,
    url_fetcher,
)
from bilingual.publish.pdf.streams import compress_streams
from bilingual.publish.pdf.text_layer import text_layer
from bilingual.publish.renderers.pdf import post_html
from bilingual.publish.templating import template_set
from bilingual.site.reader import load_site
from bilingual.text.languages import language

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "persian-prose.md"
SLUGS = ("2024-03-05-printing-in-tabriz", "2010-01-20-the-only-way-forward")


def documents(folder: Path) -> list[tuple[str, list[object], str]]:
    """The print HTML, stylesheets and base URL of each Persian post measured."""
    site_root = folder / "site"
    shutil.copytree(
        ROOT / "examples" / "seed-blog",
        site_root,
        ignore=shutil.ignore_patterns("_site", ".bilingual-cache"),
    )
    (site_root / "content" / "posts" / SLUGS[0]).mkdir()
    shutil.copy(CORPUS, site_root / "content" / "posts" / SLUGS[0] / "fa.md")
    site, templates, fa = load_site(site_root), template_set(site_root), language("fa")
    stylesheets = print_stylesheets(templates, fa, site.config.pdf)
    return [
        (
            post_html(site, templates, site.entry(slug), fa),
            stylesheets,
            site.entry(slug).sources["fa"].parent.as_uri() + "/",
        )
        for slug in SLUGS
    ]


def render(
    html: str,
    stylesheets: list[object],
    base_url: str,
    tagged: bool,
    layer: bool,
    once: bool = False,
) -> bytes:
    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT} if tagged else {}
    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).render(
        stylesheets=stylesheets, font_config=font_configuration(), **options
    )
    if once:
        options["finisher"] = lambda document, pdf: compress_streams(pdf)
    if layer:
        with text_layer("fa", right_to_left=True):
            return document.write_pdf(pdf_identifier=True, **options)
    return document.write_pdf(pdf_identifier=True, **options)


@contextmanager
def layer_work() -> Iterator[list[float]]:
    """Within this block, the CPU seconds spent in the text layer's own functions."""
    spent = [0.0]
    originals = {name: getattr(layer_module, name) for name in ("drawn_line", "mark_words")}

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args)
            finally:
                spent[0] += time.process_time() - started

        return run

    for name, function in originals.items():
        setattr(layer_module, name, timed(function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(layer_module, name, function)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    ways: dict[str, Callable[..., bytes]] = {
        "plain": lambda *a: render(*a, tagged=False, layer=False),
        "tagged": lambda *a: render(*a, tagged=True, layer=False),
        "deflated once": lambda *a: render(*a, tagged=True, layer=False, once=True),
        "layer, twice": lambda *a: render(*a, tagged=True, layer=True),
        "shipped": lambda *a: render(*a, tagged=True, layer=True, once=True),
    }
    with tempfile.TemporaryDirectory() as folder:
        docs = documents(Path(folder))
        for way in ways.values():  # load fonts and parse stylesheets once
            for doc in docs:
                way(*doc)
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(rounds):
            for name, way in ways.items():
                start = time.process_time()
                for doc in docs:
                    way(*doc)
                times[name].append((time.process_time() - start) / len(docs))
        own: list[float] = []
        whole: list[float] = []
        with layer_work() as spent:
            for _ in range(rounds):
                spent[0] = 0.0
                start = time.process_time()
                for doc in docs:
                    ways["shipped"](*doc)
                whole.append((time.process_time() - start) / len(docs))
                own.append(spent[0] / len(docs))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"median seconds per PDF over {rounds} rounds of {len(SLUGS)} Persian PDFs")
    for name, value in median.items():
        print(f"  {name:13} {value:.3f}")
    layer = median["shipped"] / median["deflated once"] - 1
    shipped = median["shipped"] / median["tagged"] - 1
    total = median["shipped"] / median["plain"] - 1
    print(f"  text layer over the same tagged PDF: {layer:+.1%}")
    before = median["layer, twice"] / median["tagged"] - 1
    print(f"  the layer, deflated twice, over WeasyPrint's tagged PDF: {before:+.1%}")
    print(f"  shipped over WeasyPrint's tagged PDF: {shipped:+.1%} (target: at most +10 %)")
    print(f"  tags and text layer over plain WeasyPrint: {total:+.1%}")
    work, pdf = statistics.median(own), statistics.median(whole)
    print(
        f"  the layer's own work: {work * 1000:.1f} ms per PDF, {work / (pdf - work):.1%} "
        f"of the rest of the PDF's time"
    )


if __name__ == "__main__":
    main()
