"""Build a synthetic site of 5,000 posts once: how long it takes and whether every page is there.

    .venv/bin/python benchmarks/large_site.py [--posts 5000] [--words 60]

Posts are short (60 words each by default), so the figure is about the number of pages, not
the Markdown. The build writes HTML only. After it, the script checks that every post has its
page in both languages and that the last home page lists its ten posts, and exits with status
1 if not. The time depends on the machine and its load: nothing here is a test.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from lxml import html

from bilingual import BuildResult, build

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Table, load, machine
from synthetic import write_site

PER_PAGE = 10  # posts_per_page in the synthetic site's bilingual.toml


def missing_pages(result: BuildResult, posts: int) -> list[str]:
    """What the finished build lacks: post pages, or summaries on the last home page."""
    problems = []
    pages = sum(
        1 for lang in ("en", "fa") for _ in (result.out_dir / lang / "posts").glob("*/index.html")
    )
    if pages != 2 * posts:
        problems.append(f"{pages} post pages instead of {2 * posts}")
    last_page = -(-posts // PER_PAGE)
    home = result.out_dir / "fa" / "page" / str(last_page) / "index.html"
    expected = posts - (last_page - 1) * PER_PAGE
    if not home.is_file():
        problems.append(f"{home} was not written")
    else:
        found = len(html.fromstring(home.read_bytes()).xpath("//article[@class='post-summary']"))
        if found != expected:
            problems.append(f"{home} lists {found} posts instead of {expected}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--words", type=int, default=60)
    options = parser.parse_args()
    print(f"{machine()}; load average {load()}")
    table = Table("figure")
    with tempfile.TemporaryDirectory(prefix="bilingual-large-") as folder:
        site = write_site(Path(folder) / "site", posts=options.posts, words=options.words)
        start = time.perf_counter()
        result = build(site, pdf=False)
        seconds = time.perf_counter() - start
        table.add(
            f"Full HTML build, {options.posts:,} posts of {options.words} words (s)",
            f"{seconds:.2f}",
        )
        table.add("Outputs (pages, feeds, cards, search files...)", f"{len(result.outputs):,}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        table.add("Build process peak RSS (MB)", f"{peak:.0f}")
        problems = missing_pages(result, options.posts)
    print()
    print(table.markdown())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
