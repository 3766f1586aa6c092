"""Turn a synthetic bilingual site into the same site for Hugo, and time Hugo building it.

The Hugo site has the same posts in two content folders (English and Persian, translations
linked by path), the same tags, ten posts per list page, and minimal layouts for what a
bilingual build writes too: post pages, paginated home and tag pages, a tags index, and the
RSS feeds Hugo makes for the home and tag pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

CONFIG = """\
baseURL = "https://synthetic.example/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
paginate = 10
disableKinds = ["section"]

[taxonomies]
tag = "tags"

[languages.en]
contentDir = "content/en"
languageName = "English"
title = "Synthetic news"
weight = 1

[languages.fa]
contentDir = "content/fa"
languageName = "فارسی"
languageDirection = "rtl"
title = "خبرهای ساختگی"
weight = 2
"""

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}" dir="{{ or .Site.Language.LanguageDirection "ltr" }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a>{{ end }}
</header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Type" "posts" }}{{ end }}
{{ range (.Paginate $pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary }}</p></article>{{ end }}
{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">prev</a>{{ end }}
{{ if .HasNext }}<a href="{{ .Next.URL }}">next</a>{{ end }}{{ end }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def write_hugo_site(bilingual_site: Path, root: Path) -> Path:
    """Write the Hugo form of ``bilingual_site`` (made by synthetic.write_site) at ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "layouts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    for folder in sorted((bilingual_site / "content" / "posts").iterdir()):
        english = folder / "en.md"
        shared = _shared_fields(english.read_text(encoding="utf-8"))
        for lang in ("en", "fa"):
            text = (folder / f"{lang}.md").read_text(encoding="utf-8")
            target = root / "content" / lang / "posts" / f"{folder.name}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_with_fields(text, shared), encoding="utf-8")
    return root


def hugo_command(root: Path, out: Path) -> list[str]:
    """The command for one full Hugo build of ``root`` into ``out``."""
    return ["hugo", "--quiet", "--source", str(root), "--destination", str(out)]


def time_hugo(root: Path, out: Path) -> float:
    """Seconds for one full Hugo build of ``root`` into a new ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(hugo_command(root, out), check=True, capture_output=True)
    return time.perf_counter() - started


def _shared_fields(english: str) -> dict[str, str]:
    """The date and tags, which a bilingual post writes once, in its English file."""
    match = FRONT_MATTER.match(english)
    assert match is not None
    fields = dict(line.split(": ", 1) for line in match.group(1).splitlines())
    return {key: fields[key] for key in ("date", "tags") if key in fields}


def _with_fields(text: str, shared: dict[str, str]) -> str:
    match = FRONT_MATTER.match(text)
    assert match is not None
    lines = [line for line in match.group(1).splitlines() if line.split(": ", 1)[0] not in shared]
    lines += [f"{key}: {value}" for key, value in shared.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + text[match.end() :]
