"""Arbitrary Unicode in every field never crashes the build; the output always parses."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from pypdf import PdfReader

from bilingual import BilingualError, build
from bilingual.site.frontmatter import one_line
from bilingual.text.bidi import balance_controls

settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SCRIPTS = st.sampled_from([
    "سلام دنیا", "می‌خواهد", "مرحبا بالعالم", "שלום עולם", "Hello world", "IRGC", "(UN)", "۱۲۳",
    "2010-01-20", "🙂👍🏽", "e\u0301", "\u200c", "\u200d", "\u202e", "\u2066", "\u2069", "\u202c",
    "\u200f", "<b>", "&amp;", "\"'", "\t", "\x01", "\u0085", "\ufeff",
])
TEXT = st.one_of(st.text(min_size=1, max_size=40),
                 st.lists(SCRIPTS, min_size=1, max_size=8).map(" ".join))
BODY_SAFE = st.lists(st.sampled_from(["سلام", "دنیا", "می‌خواهد", "world", "IRGC", "۱۲۳", "שלום",
                                      "🙂", "\u202e", "\u2067"]), min_size=1, max_size=30)


def write_site(root: Path, title: str, summary: str, label: str, body: str) -> None:
    (root / "content/posts/p").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://p.example/"\nlanguages = ["en", "fa"]\n'
        '[site.title]\nen = "P"\nfa = "پ"\n', encoding="utf-8")
    (root / "content/tags.yaml").write_text(
        yaml.safe_dump({"t": {"en": label, "fa": label}}, allow_unicode=True), encoding="utf-8")
    for lang in ("en", "fa"):
        meta = {"title": title, "summary": summary, "tags": ["t"], "date": "2020-01-01"}
        front = yaml.safe_dump(meta, allow_unicode=True)
        (root / f"content/posts/p/{lang}.md").write_text(f"---\n{front}---\n\n{body}\n",
                                                         encoding="utf-8")


def expected(text: str) -> str:
    return balance_controls(one_line(text))


@given(title=TEXT, summary=TEXT, label=TEXT, words=BODY_SAFE)
def test_any_text_builds_or_fails_cleanly(title: str, summary: str, label: str,
                                          words: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, title, summary, label, " ".join(words))
        try:
            result = build(root, pdf=False)
        except BilingualError:
            assert not expected(title) or not expected(label)
            return
        for lang in ("en", "fa"):
            page = html.fromstring((result.out_dir / f"{lang}/posts/p/index.html").read_bytes())
            assert page.xpath("string(//h1)") == expected(title)
            body = " ".join(page.xpath("string(//div[@class='entry-body'])").split())
            assert body == " ".join(expected(" ".join(words)).split())
            assert expected(label) in page.xpath("string(//ul[@class='tag-list'])")


@settings(max_examples=int(os.environ.get("HYPOTHESIS_PDF_EXAMPLES", "4")), deadline=None)
@given(title=TEXT, words=BODY_SAFE)
def test_any_text_gives_a_readable_pdf(title: str, words: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root, title, "s", "label", " ".join(words))
        try:
            result = build(root, pdf=True)
        except BilingualError:
            assert not expected(title)
            return
        for lang in ("en", "fa"):
            reader = PdfReader(result.out_dir / f"{lang}/posts/p/p.{lang}.pdf")
            assert len(reader.pages) >= 1
            assert reader.pages[0].extract_text() is not None
