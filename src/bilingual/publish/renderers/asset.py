"""Turn a theme or site static file into an output, unchanged."""

from __future__ import annotations

from pathlib import Path

from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer


class AssetRenderer(Renderer):
    name = "asset"

    def render(self, output: Output) -> bytes:
        source: Path = output.subject
        return source.read_bytes()
