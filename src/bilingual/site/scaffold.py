"""Turn an empty folder into a small working bilingual site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bilingual.atomic import write_atomically
from bilingual.errors import BilingualError
from bilingual.site.layout import SiteLayout

CONFIG = """\
[site]
base_url = "https://example.org/"
languages = ["en", "fa"]
default_language = "en"
posts_per_page = 10

[site.title]
en = "My Bilingual Site"
fa = "سایت دوزبانهٔ من"

[site.tagline]
en = "News in English and Persian"
fa = "خبرها به فارسی و انگلیسی"

[site.motto]
en = "Write once, publish in both languages."
fa = "یک بار بنویس، به هر دو زبان منتشر کن."

[pdf]
page_size = "A5"
"""

TAGS = """\
# Tag keys (used in posts' front matter) with their label in each language.
welcome:
  en: Welcome
  fa: خوش‌آمد
"""

POST_EN = """\
---
title: Hello, world
date: {date}
author: The editors
tags: [welcome]
summary: The first post of this site, in English and Persian.
---

This post exists in two languages. Edit `content/posts/hello-world/en.md` and
`content/posts/hello-world/fa.md`, then run `bilingual build`.
"""

POST_FA = """\
---
title: سلام، دنیا
summary: نخستین نوشتهٔ این سایت، به فارسی و انگلیسی.
---

این نوشته به دو زبان است. پرونده‌های `en.md` و `fa.md` را ویرایش کنید و سپس
فرمان `bilingual build` را اجرا کنید. تاریخ‌ها در صفحه‌های فارسی به تقویم خورشیدی نمایش داده می‌شوند.
"""

ABOUT_EN = """\
---
title: About
---

Who we are and what we publish.
"""

ABOUT_FA = """\
---
title: دربارهٔ ما
---

ما که هستیم و چه منتشر می‌کنیم.
"""


def create_site(path: Path, today: dt.date | None = None) -> None:
    """Write a starter site at ``path``, which must not exist or be empty."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BilingualError("folder exists and is not empty; choose a new one", path)
    date = (today or dt.date.today()).isoformat()
    layout = SiteLayout(path)
    files = {
        layout.config: CONFIG,
        layout.tags: TAGS,
        layout.posts / "hello-world" / "en.md": POST_EN.format(date=date),
        layout.posts / "hello-world" / "fa.md": POST_FA,
        layout.pages / "about" / "en.md": ABOUT_EN,
        layout.pages / "about" / "fa.md": ABOUT_FA,
    }
    for target, text in files.items():
        write_atomically(target, text.encode("utf-8"))
