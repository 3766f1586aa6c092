"""Render the README's e-mail images: the HTML part of the example's .eml files in Chromium."""

from __future__ import annotations

import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from playwright.sync_api import sync_playwright

from bilingual.mail.edition import EditionMaker

ROOT = Path(__file__).resolve().parent.parent
POST = "2010-01-20-the-only-way-forward"
IMAGES = {"email-en.png": "en", "email-fa.png": "fa"}


def html_part(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def main(out_dir: Path = ROOT / "docs") -> None:
    maker = EditionMaker.for_site(ROOT / "examples" / "seed-blog")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 600, "height": 900}, device_scale_factor=1)
        page.route("**/*", lambda route: route.abort())  # as a mail client that loads nothing
        for name, lang in IMAGES.items():
            message = maker.message(maker.edition(POST, [lang]), "reader@example.org")
            page.set_content(html_part(message.as_bytes()))
            page.screenshot(path=str(out_dir / name))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
