"""A post's summary, written once per process for the lists that show it, reads as on each list."""

from __future__ import annotations

import posixpath
from pathlib import Path

from lxml import html

from bilingual import build
from conftest import EXAMPLE, copy_site

# A site's own index page: the theme's summary and one of its own macros, through the same
# helper, beside the macro called directly.
INDEX = """{% extends "base.html" %}
{% macro headline(post) -%}<p class="headline">{{ post.title }}</p>{%- endmacro %}
{% block content %}
{% for post in posts %}
<div class="both">{{ summary(m.post_summary, post) }}{{ summary(headline, post) }}</div>
<div class="direct">{{ m.post_summary(post) }}{{ headline(post) }}</div>
{% endfor %}
{% endblock %}
"""


def pages(site: Path, pattern: str) -> dict[str, html.HtmlElement]:
    return {
        str(path.relative_to(site / "_site")): html.parse(str(path)).getroot()
        for path in sorted((site / "_site").glob(pattern))
    }


def test_each_list_links_its_summaries_from_where_it_is(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    build(site, pdf=False, jobs=1)
    lists = {**pages(site, "*/index.html"), **pages(site, "*/tags/*/index.html")}
    assert {"en/index.html", "fa/index.html"} <= set(lists)
    assert len(lists) > 4  # home pages and tag pages, at two depths
    seen: dict[str, set[str]] = {}
    for name, root in lists.items():
        for link in root.xpath("//article[@class='post-summary']//h2/a/@href"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), link))
            assert (site / "_site" / target / "index.html").is_file(), (name, link)
            seen.setdefault(target, set()).add(link)
    # The same post, linked from pages at different depths, with a link of each depth.
    assert any(len(links) > 1 for links in seen.values())


def test_a_sites_own_macro_gets_its_own_summary_beside_the_themes(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "index.html").write_text(INDEX, encoding="utf-8")
    build(site, pdf=False, jobs=1)
    for name, root in pages(site, "*/index.html").items():
        both = root.xpath("//div[@class='both']")
        direct = root.xpath("//div[@class='direct']")
        assert both, name
        for cached, called in zip(both, direct, strict=True):
            assert html.tostring(cached).replace(b'class="both"', b"") == html.tostring(
                called
            ).replace(b'class="direct"', b""), name
            assert len(cached.xpath("./article[@class='post-summary']")) == 1
            assert len(cached.xpath("./p[@class='headline']")) == 1
