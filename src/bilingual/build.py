"""Turn a site folder into its published form: plan the outputs, render them, swap them in."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .generators import Output, plan_site
from .model import Site
from .reader import load_site
from .renderers import BuildContext, Renderer, renderer_classes
from .resources import locales_dir, theme_dir
from .templating import TemplateSet
from .writer import staged

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuildResult:
    site: Site
    out_dir: Path
    outputs: tuple[Output, ...]
    seconds: float

    def count(self, kind: str) -> int:
        return sum(1 for output in self.outputs if output.kind == kind)


def template_set(site_root: Path) -> TemplateSet:
    return TemplateSet(
        template_dirs=tuple(d for d in (site_root / "templates", theme_dir()) if d.is_dir()),
        locale_dirs=tuple(d for d in (locales_dir(), site_root / "locales") if d.is_dir()),
    )


def asset_dirs(site_root: Path) -> list[Path]:
    return [theme_dir() / "static", site_root / "templates" / "static"]


def build(site_root: Path | str, out_dir: Path | str | None = None, pdf: bool = True) -> BuildResult:
    """Build the site at ``site_root`` into ``out_dir`` (default ``site_root/_site``)."""
    started = time.perf_counter()
    root = Path(site_root)
    site = load_site(root)
    destination = Path(out_dir) if out_dir is not None else root / "_site"
    outputs = tuple(plan_site(site, asset_dirs(root), pdf=pdf and site.config.pdf.enabled))
    context = BuildContext(site, template_set(root), outputs)
    renderers: dict[str, Renderer] = {name: cls(context) for name, cls in renderer_classes().items()}
    with staged(destination) as staging:
        for output in outputs:
            staging.write(output.path, renderers[output.renderer].render(output))
        staging.write(MANIFEST, manifest(outputs))
    return BuildResult(site, destination, outputs, time.perf_counter() - started)


def manifest(outputs: tuple[Output, ...]) -> bytes:
    entries = [output.manifest_entry() for output in outputs]
    return (json.dumps({"outputs": entries}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
