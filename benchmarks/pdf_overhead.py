"""Break the CPU time of a build's PDF editions down by step, against WeasyPrint's own work.

Writes the synthetic site of ``--posts`` posts (English and Persian); in a new process per
round, builds its pages, then builds it again with its PDFs, one job, with each step of a PDF
wrapped in a CPU timer: the print HTML (templates and Markdown), the print stylesheets, the fetcher,
WeasyPrint's layout and PDF writing (tags and the text layer happen inside the latter), the
text layer's own work, the check of the fonts. Prints milliseconds per PDF, the median of
``--rounds`` fresh builds, and the steps WeasyPrint alone would not take as a share of
WeasyPrint's own work. Timing from inside moves less with the machine's load than comparing
whole processes. Nothing asserts a time.

    .venv/bin/python benchmarks/pdf_overhead.py [--posts 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import weasyprint
import weasyprint.document

from bilingual import build
from bilingual.publish.pdf import document, fetcher, text_layer
from bilingual.publish.renderers import pdf
from synthetic import write_site

# (owner, attribute, step): the steps timed, each once per PDF unless said otherwise.
STEPS: list[tuple[Any, str, str]] = [
    (pdf.PdfRenderer, "render", "the PDF renderer, in all"),
    (pdf, "post_html", "print HTML: templates, Markdown"),
    (document, "print_stylesheets", "print stylesheets"),
    (fetcher, "pdf_fetcher", "the PDF's fetcher"),
    (weasyprint.HTML, "render", "WeasyPrint: layout"),
    (weasyprint.document.Document, "write_pdf", "WeasyPrint: writing, tags and layer inside"),
    (text_layer, "drawn_line", "text layer: reading lines (inside writing)"),
    (text_layer, "mark_words", "text layer: words and spans (inside writing)"),
    (document, "require_bundled_fonts", "the check of the fonts"),
]
# What WeasyPrint alone does not do: the layer is counted apart from the writing.
ADDED = [
    "print HTML: templates, Markdown",
    "print stylesheets",
    "the PDF's fetcher",
    "text layer: reading lines (inside writing)",
    "text layer: words and spans (inside writing)",
    "the check of the fonts",
]
WEASYPRINT = ["WeasyPrint: layout", "WeasyPrint: writing, tags and layer inside"]


def timed(spent: dict[str, float], step: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[step] += time.process_time() - started

    return run


def one_build(site: Path) -> tuple[dict[str, float], int]:
    """CPU seconds per step of the PDFs of a build of ``site`` (its pages built first)."""
    shutil.rmtree(site / "_site", ignore_errors=True)
    shutil.rmtree(site / ".bilingual-cache", ignore_errors=True)
    build(site, pdf=False, jobs=1)
    spent: dict[str, float] = defaultdict(float)
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in STEPS]
    for owner, name, step in STEPS:
        setattr(owner, name, timed(spent, step, getattr(owner, name)))
    try:
        result = build(site, pdf=True, jobs=1)
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
    return spent, sum(1 for path in result.rendered if path.endswith(".pdf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a round, in a child
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_build(args.one)))
        return
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site", args.posts, search=False)
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--one", str(site)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.splitlines()[-1]
            )
            for _ in range(args.rounds)
        ]
    count = runs[0][1]
    per_pdf = {
        step: statistics.median(spent.get(step, 0.0) for spent, _ in runs) / count * 1000
        for _, _, step in STEPS
    }
    print(f"{count} PDFs per build, ms of CPU per PDF, median of {args.rounds} builds")
    for step, value in per_pdf.items():
        print(f"  {step:48} {value:6.1f}")
    layer = sum(per_pdf[step] for step in ADDED[3:5])
    own = sum(per_pdf[step] for step in WEASYPRINT) - layer
    added = sum(per_pdf[step] for step in ADDED)
    print(
        f"  WeasyPrint's own work {own:.1f} ms; the steps it would not take {added:.1f} ms: "
        f"{added / own:+.1%} (the text layer alone {layer / own:+.1%})"
    )


if __name__ == "__main__":
    main()
