"""Turn a theme or site static file into an output, unchanged."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer


class AssetRenderer(Renderer):
    name = "asset"

    def render(self, output: Output) -> bytes:
        source: Path = output.subject
        return source.read_bytes()

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        return parts.files([output.subject])
