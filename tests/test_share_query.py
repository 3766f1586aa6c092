"""Share links carry the title and the address intact, spaces encoded as %20."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bilingual.publish.share import share_links, shared_text
from bilingual.text.languages import language

NAMES = ("telegram", "whatsapp", "x", "facebook", "email", "copy")
TITLE = "گزارش سپاه (IRGC) & سازمان ملل = ۱۲٫۵٪؟ #آزادی"
URL = "https://example.org/fa/posts/گزارش-سپاه/?a=1&b=2"


def test_each_link_decodes_to_the_title_and_the_address() -> None:
    fa = language("fa")
    text = shared_text(TITLE, fa)
    links = {link.name: link.href for link in share_links(NAMES, URL, TITLE, fa)}
    expected = {
        "telegram": {"url": [URL], "text": [text]},
        "whatsapp": {"text": [f"{text} {URL}"]},
        "x": {"text": [text], "url": [URL]},
        "facebook": {"u": [URL]},
        "email": {"subject": [text], "body": [URL]},
    }
    for name, fields in expected.items():
        query = urlsplit(links[name]).query
        assert parse_qs(query, strict_parsing=True) == fields, name
        assert " " not in query and "+" not in query, name  # mail programs read %20, not +
    assert links["copy"] == URL
    assert list(links) == list(NAMES)
