"""Measure the search index of a synthetic site: its size, the time to make it, to keep it up
to date after one edit, and to answer a Persian query in headless Chromium.

    .venv/bin/python benchmarks/search.py [--posts 1000] [--markdown FILE]

Each build runs in this process after a first build has warmed the imports; the query is timed
from the navigation to the first results shown, with the browser's cache empty. Nothing here is
a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bilingual import build
from bilingual.publish.cache import CACHE_DIR
from bilingual.publish.fingerprints import toolkit_digest
from bilingual.publish.search import search_bundles
from bilingual.site.reader import load_site
from run import Table, machine
from synthetic import write_site

QUERY = "میخواهند آزادی"  # written without the ZWNJ of می‌خواهند


def folder_size(folder: Path) -> tuple[int, int, int]:
    """Files, bytes, and bytes once gzipped (as most servers send them)."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    raw = sum(path.stat().st_size for path in files)
    packed = sum(
        len(gzip.compress(path.read_bytes(), 6))
        if path.suffix in (".js", ".json")
        else path.stat().st_size
        for path in files
    )  # Pagefind's data is gzipped already
    return len(files), raw, packed


def index_seconds(site: Path) -> float:
    """The search step alone, from scratch (both languages)."""
    loaded = load_site(site)
    toolkit = toolkit_digest()
    started = time.perf_counter()
    search_bundles(loaded, site / CACHE_DIR, toolkit, fresh=True)
    return time.perf_counter() - started


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def query_seconds(out: Path) -> tuple[float, int]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/fa/search/?q={quote(QUERY)}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".search-result", timeout=60_000)
        seconds = time.perf_counter() - started
        found = page.evaluate("document.querySelectorAll('.search-result').length")
        browser.close()
    server.shutdown()
    return seconds, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    print(machine())
    table = Table()
    with tempfile.TemporaryDirectory(prefix="bilingual-search-") as temporary:
        site = write_site(Path(temporary) / "site", args.posts)
        n = f"{args.posts:,} posts"
        build(site, pdf=False)  # warm: imports, fonts; the timed builds below start fresh
        shutil.rmtree(site / "_site")
        shutil.rmtree(site / CACHE_DIR)
        started = time.perf_counter()
        result = build(site, pdf=False)
        table.add(
            f"Full build with search, {n} x 2 languages, cards too (s)",
            f"{time.perf_counter() - started:.2f}",
            "-",
            "-",
        )
        table.add(
            "  of which the search index, both languages (s)",
            f"{index_seconds(site):.2f}",
            "-",
            "-",
        )
        for lang in ("fa", "en"):
            files, raw, packed = folder_size(result.out_dir / lang / "pagefind")
            bundles = len(list((result.out_dir / lang / "pagefind").iterdir()))
            table.add(
                f"  index size, {lang}: {bundles} bundles, {files:,} files (MB)",
                f"{raw / 1e6:.2f}",
                "-",
                "-",
            )
            table.add(
                f"  index size, {lang}, as sent gzipped (MB)", f"{packed / 1e6:.2f}", "-", "-"
            )

        post = site / f"content/posts/post-{args.posts // 2:05d}/fa.md"
        post.write_text(
            post.read_text(encoding="utf-8").replace(
                "\n\n", "\n\nجملهٔ تازه‌ای دربارهٔ زنبق‌ها.\n\n", 1
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        edited = build(site, pdf=False)
        seconds = time.perf_counter() - started
        search_files = [path for path in edited.written if "/pagefind/" in path]
        bundles = {path.split("/")[2] for path in search_files}
        table.add(
            "Rebuild after one Persian body edit, search included (s)", f"{seconds:.2f}", "-", "-"
        )
        table.add(
            "  outputs rendered again / files rewritten",
            f"{len(edited.rendered)} / {len(edited.written)}",
            "-",
            "-",
        )
        table.add(
            "  search files rewritten / bundles made again",
            f"{len(search_files)} / {len(bundles)}",
            "-",
            "-",
        )
        seconds, found = query_seconds(edited.out_dir)
        table.add(
            f"Persian query '{QUERY}' in Chromium: first results (s)", f"{seconds:.2f}", "-", "-"
        )
        table.add("  results shown (the first page)", f"{found}", "-", "-")
    if args.markdown:
        args.markdown.write_text(table.markdown() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
