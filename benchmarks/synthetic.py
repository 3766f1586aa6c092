"""Turn a seed and a count into a deterministic bilingual site of synthetic posts."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

ENGLISH = [
    "the",
    "diplomats",
    "said",
    "that",
    "more",
    "officials",
    "would",
    "resign",
    "in",
    "protest",
    "against",
    "the",
    "government",
    "and",
    "its",
    "violence",
    "while",
    "the",
    "Green",
    "Movement",
    "grew",
    "in",
    "Tehran",
    "and",
    "abroad",
    "after",
    "the",
    "June",
    "election",
    "of",
    "2009",
    "many",
    "experts",
    "in",
    "the",
    "foreign",
    "ministry",
    "objected",
    "to",
    "the",
    "policy",
    "of",
    "the",
    "president",
]
PERSIAN = [
    "دیپلمات\u200cها",
    "گفتند",
    "که",
    "مقام\u200cهای",
    "بیشتری",
    "در",
    "اعتراض",
    "به",
    "خشونت",
    "حکومت",
    "استعفا",
    "خواهند",
    "داد",
    "و",
    "جنبش",
    "سبز",
    "در",
    "تهران",
    "و",
    "خارج",
    "از",
    "کشور",
    "پس",
    "از",
    "انتخابات",
    "خرداد",
    "گسترش",
    "یافت",
    "بسیاری",
    "از",
    "کارشناسان",
    "وزارت",
    "امور",
    "خارجه",
    "با",
    "سیاست\u200cهای",
    "رئیس\u200cجمهور",
    "مخالفت",
    "کردند",
    "و",
    "می\u200cخواهند",
    "آزادی",
    "را",
    "ببینند",
]
ACRONYMS = ["(IRGC)", "(UN)", "EU", "(BBC)", "https://example.org/report"]
TAGS = {f"topic-{n}": (f"Topic {n}", f"موضوع {n}") for n in range(12)}

CONFIG = """\
[site]
base_url = "https://synthetic.example/"
languages = ["en", "fa"]
default_language = "en"
posts_per_page = 10

[site.title]
en = "Synthetic news"
fa = "خبرهای ساختگی"

[site.tagline]
en = "A generated bilingual blog"
fa = "وبلاگی دوزبانه و ساختگی"

[site.motto]
en = "Measure, then improve."
fa = "بسنج، سپس بهتر کن."
"""


def paragraph(rng: random.Random, words: list[str], extra: list[str], size: int) -> str:
    chosen = [rng.choice(words) for _ in range(size)]
    for _ in range(max(1, size // 40)):
        chosen.insert(rng.randrange(len(chosen)), rng.choice(extra))
    return " ".join(chosen).capitalize() + "."


def body(rng: random.Random, words: list[str], extra: list[str], total_words: int) -> str:
    paragraphs, written = [], 0
    while written < total_words:
        size = rng.randint(40, 90)
        paragraphs.append(paragraph(rng, words, extra, size))
        written += size
    return "\n\n".join(paragraphs)


def write_site(
    root: Path, posts: int, words: int = 600, seed: int = 1, search: bool = True
) -> Path:
    """Write ``posts`` posts, each in English and Persian, of about ``words`` words; with a
    search index (Pagefind) unless ``search`` is false."""
    rng = random.Random(seed)
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    config = CONFIG if search else CONFIG + "\n[search]\nenabled = false\n"
    (root / "bilingual.toml").write_text(config, encoding="utf-8")
    tags = "".join(f"{key}:\n  en: {en}\n  fa: {fa}\n" for key, (en, fa) in TAGS.items())
    (root / "content" / "tags.yaml").write_text(tags, encoding="utf-8")
    start = dt.date(2009, 6, 12)
    for number in range(posts):
        folder = root / "content" / "posts" / f"post-{number:05d}"
        folder.mkdir(exist_ok=True)
        date = start + dt.timedelta(days=number // 3)
        tags_line = ", ".join(rng.sample(sorted(TAGS), 2))
        digits = rng.randint(10, 9999)
        (folder / "en.md").write_text(
            f"---\ntitle: Report {number} on the events of {digits}\ndate: {date.isoformat()}\n"
            f"tags: [{tags_line}]\nauthor: Desk {number % 7}\n"
            f"summary: {paragraph(rng, ENGLISH, ACRONYMS, 20)}\n---\n\n"
            f"{body(rng, ENGLISH, [*ACRONYMS, 'تهران'], words)}\n",
            encoding="utf-8",
        )
        (folder / "fa.md").write_text(
            f"---\ntitle: گزارش {number} دربارهٔ رویدادهای {digits}\n"
            f"summary: {paragraph(rng, PERSIAN, ACRONYMS, 20)}\n---\n\n"
            f"{body(rng, PERSIAN, ACRONYMS, words)}\n",
            encoding="utf-8",
        )
    return root
