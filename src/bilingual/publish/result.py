"""Turn what a build did into its result: every output, and which ones were rendered and written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.publish.plan import Output, phase

if TYPE_CHECKING:
    from bilingual.site.model import Site


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the output folder, every output planned, and which were rendered
    (``rendered``) and which of those had new bytes (``written``; the others were linked)."""

    out_dir: Path
    outputs: tuple[Output, ...]
    seconds: float
    rendered: frozenset[str] = frozenset()
    written: frozenset[str] = frozenset()
    root: Path | None = None
    loaded_site: Site | None = field(default=None, repr=False, compare=False)

    @property
    def site(self) -> Site:
        """The site built (read again if the build had nothing to do and did not read it)."""
        from bilingual.site.reader import load_site

        if self.loaded_site is None:
            assert self.root is not None
            object.__setattr__(self, "loaded_site", load_site(self.root))
        assert self.loaded_site is not None
        return self.loaded_site

    def count(self, kind: str) -> int:
        return sum(1 for output in self.outputs if output.kind == kind)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per progress phase ("pages", "cards", "PDFs"): (outputs, of which reused)."""
        totals: Counter[str] = Counter()
        rendered: Counter[str] = Counter()
        for output in self.outputs:
            if output.renderer in ("html", "card", "pdf"):
                totals[phase(output)] += 1
                rendered[phase(output)] += output.path in self.rendered
        return {name: (totals[name], totals[name] - rendered[name]) for name in totals}
