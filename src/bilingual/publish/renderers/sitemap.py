"""Turn the planned pages into sitemap.xml, with every language version, and robots.txt."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from xml.sax.saxutils import quoteattr

from bilingual.publish import urls
from bilingual.publish.fingerprints import Fingerprints
from bilingual.publish.plan import Output
from bilingual.publish.renderers import Renderer
from bilingual.publish.views import x_default
from bilingual.site.model import Entry
from bilingual.site.timestamps import rfc3339

# The pages search engines should list; the redirect and the search pages are left out.
LISTED_KINDS = frozenset({"index", "post", "page", "tag", "tags"})
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


class SitemapRenderer(Renderer):
    name = "sitemap"

    def render(self, output: Output) -> bytes:
        text = self._robots() if output.kind == "robots" else self._sitemap()
        return text.encode("utf-8")

    def inputs(self, output: Output, parts: Fingerprints) -> Hashable:
        if output.kind == "robots":
            return parts.config
        listed = []
        for page in self.listed():
            entry = _entry(page)
            modified = entry.last_modified if entry is not None else None
            listed.append(
                (
                    page.kind,
                    page.path,
                    parts.alternates(page.key),
                    modified.isoformat() if modified else None,
                )
            )
        return (parts.config, tuple(listed))

    def listed(self) -> Iterator[Output]:
        """The pages the sitemap lists, in the plan's order."""
        for output in self.context.outputs:
            if output.kind in LISTED_KINDS and output.renderer == "html":
                yield output

    def _robots(self) -> str:
        base = self.context.site.config.site.base_url
        return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base, urls.SITEMAP)}\n"

    def _sitemap(self) -> str:
        parts = [HEAD]
        parts.extend(self._url(output) for output in self.listed())
        parts.append("</urlset>\n")
        return "".join(parts)

    def _url(self, output: Output) -> str:
        site = self.context.site.config.site
        base = site.base_url
        lines = [f"  <url>\n    <loc>{_text(urls.absolute(base, output.path))}</loc>\n"]
        entry = _entry(output)
        if entry is not None and entry.last_modified is not None:
            lines.append(f"    <lastmod>{rfc3339(entry.last_modified)}</lastmod>\n")
        versions = self.context.versions(output)
        default = x_default(versions, site.default_language.code)
        for code, path in [*versions, *([("x-default", default)] if default else [])]:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang="{code}" '
                f"href={quoteattr(urls.absolute(base, path))}/>\n"
            )
        lines.append("  </url>\n")
        return "".join(lines)


def _entry(output: Output) -> Entry | None:
    return output.subject if isinstance(output.subject, Entry) else None


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
