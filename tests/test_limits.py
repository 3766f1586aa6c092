"""A 5 MB post builds without error (a site of 5,000 posts: benchmarks/large_site.py)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from lxml import html

from bilingual import build
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import ACRONYMS, PERSIAN, body, write_site

pytestmark = pytest.mark.slow


def test_a_five_megabyte_post_builds(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", posts=1, words=50)
    rng = random.Random(5)
    text = body(rng, PERSIAN, ACRONYMS, 200)
    chunks = []
    while sum(len(c.encode("utf-8")) for c in chunks) < 5 * 1024 * 1024:
        chunks.append(text)
    post = site / "content/posts/post-00000/fa.md"
    header = post.read_text(encoding="utf-8").split("---\n\n", 1)[0]
    post.write_text(header + "---\n\n" + "\n\n".join(chunks) + "\n", encoding="utf-8")
    assert post.stat().st_size > 5 * 1024 * 1024
    result = build(site, pdf=False)
    page = html.fromstring((result.out_dir / "fa/posts/post-00000/index.html").read_bytes())
    assert len(page.xpath("//div[@class='entry-body']/p")) == len(chunks) * text.count(
        "\n\n"
    ) + len(chunks)
