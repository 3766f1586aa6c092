"""`bilingual serve` shows a post's e-mail edition beside its web page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import lxml.html
import pytest

from bilingual.preview.server import PreviewServer

SLUG = "2010-01-20-the-only-way-forward"


@pytest.fixture
def preview(example_site: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(example_site, port=0)
    server.start()
    yield server
    server.close()


def fetch(server: PreviewServer, path: str) -> tuple[int, lxml.html.HtmlElement]:
    try:
        with urlopen(server.url + path.lstrip("/"), timeout=20) as response:
            return response.status, lxml.html.document_fromstring(response.read())
    except HTTPError as error:
        return error.code, lxml.html.document_fromstring(error.read())


def test_lists_every_post_in_every_language(preview: PreviewServer) -> None:
    status, page = fetch(preview, "/__bilingual__/email/")
    assert status == 200
    links = page.xpath("//li/a/@href")
    assert f"/__bilingual__/email/fa/{SLUG}/" in links
    assert f"/__bilingual__/email/en/{SLUG}/" in links


def test_shows_the_e_mail_beside_the_web_page(preview: PreviewServer) -> None:
    status, page = fetch(preview, f"/__bilingual__/email/fa/{SLUG}/")
    assert status == 200
    assert page.xpath("//iframe/@src") == [
        f"/fa/posts/{SLUG}/",
        f"/__bilingual__/email/fa/{SLUG}/message.html",
    ]
    status, web = fetch(preview, f"/fa/posts/{SLUG}/")
    assert status == 200
    status, mail = fetch(preview, f"/__bilingual__/email/fa/{SLUG}/message.html")
    assert status == 200
    assert (mail.get("dir"), mail.get("lang")) == ("rtl", "fa")
    assert mail.xpath("//h1")[0].text_content() == web.xpath("//h1")[0].text_content()


def test_follows_edits_without_waiting_for_a_build(
    preview: PreviewServer, example_site: Path
) -> None:
    source = example_site / "content" / "posts" / SLUG / "fa.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "title: تنها راه پیش رو", "title: تنها راه پیش روی ما"
        ),
        encoding="utf-8",
    )
    _, mail = fetch(preview, f"/__bilingual__/email/fa/{SLUG}/message.html")
    assert mail.xpath("//h1")[0].text_content() == "تنها راه پیش روی ما"


def test_an_unknown_post_is_a_404_naming_it(preview: PreviewServer) -> None:
    status, page = fetch(preview, "/__bilingual__/email/fa/no-such-post/")
    assert status == 404
    assert "no published post 'no-such-post'" in page.text_content()
