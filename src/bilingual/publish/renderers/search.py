"""Turn a file of a search bundle, made in the build cache by search.py, into an output."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer

ENTRY_FILE = "pagefind-entry.json"


class SearchFileRenderer(Renderer):
    name = "search"

    def render(self, output: Output) -> bytes:
        source: Path = output.subject
        return source.read_bytes()

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        # Pagefind names its data files after their content, and its runtime comes with the
        # toolkit's libraries: only the entry file, named the same always, is read.
        source: Path = output.subject
        if source.name == ENTRY_FILE:
            return parts.files([source])
        return parts.toolkit
