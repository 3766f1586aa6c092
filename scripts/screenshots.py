"""Render the README's images: the example's English and Persian post pages in Chromium."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from bilingual import build

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "post-en.png": "en/posts/2010-01-20-the-only-way-forward/",
    "post-fa.png": "fa/posts/2010-01-20-the-only-way-forward/",
}


def main(out_dir: Path = ROOT / "docs") -> None:
    result = build(ROOT / "examples" / "seed-blog", pdf=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(result.out_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1000, "height": 760}, device_scale_factor=1)
        for name, path in PAGES.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out_dir / name))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
