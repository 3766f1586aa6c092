"""Turn a file of a search bundle, made in the build cache by search.py, into an output."""

from __future__ import annotations

from pathlib import Path

from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer


class SearchFileRenderer(Renderer):
    name = "search"

    def render(self, output: Output) -> bytes:
        source: Path = output.subject
        return source.read_bytes()
