"""The e-mail edition of a post, parsed with `email` and lxml: parts, headers, blocks, isolation."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import icu
import lxml.html
import pytest
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.mail.edition import EditionMaker
from bilingual.mail.html import BLOCKS
from bilingual.mail.plaintext import mark_lines

FIRST = "2010-01-20-the-only-way-forward"
SECOND = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"
MIXED = "2010-03-01-the-guards-and-diplomacy"
RLM, LRM = "\u200f", "\u200e"
CLASS = "contains(concat(' ', @class, ' '), ' %s ')"
PERSIAN_MIXED = """---
title: سپاه و دیپلماسی
summary: چرا سپاه پاسداران در سیاست خارجی دست بالا را یافته است.
date: 2010-03-01
---

IRGC یا سپاه پاسداران انقلاب اسلامی، در سال‌های اخیر نقشی بزرگ‌تر در سیاست خارجی ایران یافته است و سفیران را خود برمی‌گزیند.

![نقشهٔ سفارت‌ها](embassies.png)

گزارش کامل را در [وبگاه سفارت سبز](../../tags/iran/) بخوانید.
"""
ENGLISH_MIXED = """---
title: The Guards and Diplomacy
date: 2010-03-01
---

The Guards, known in Persian as سپاه پاسداران, now choose ambassadors themselves.
"""


CONTACT = "2010-03-02-contact-the-embassy"
PERSIAN_CONTACT = """---
title: "IRGC و دیپلماسی: «I am here.»"
date: 2010-03-02
---

شماره تماس سفارت: +1 212 555 0100 و ساعت کار 10:30 AM.

برای گرفتن نسخهٔ کامل این دستورها را اجرا کنید:

```sh
git clone https://github.com/example/bilingual.git
# پیام خوش‌آمد
echo "سلام دنیا"
```

گزارش کامل را در [Human Rights Watch](https://www.hrw.org/news/2010/01/) بخوانید.

1. Telegram کانال رسمی سفارت
2. گزارش سازمان ملل (UN)
"""


@pytest.fixture
def site(example_site: Path) -> Path:
    for slug, fa, en in ((MIXED, PERSIAN_MIXED, ENGLISH_MIXED), (CONTACT, PERSIAN_CONTACT, None)):
        folder = example_site / "content" / "posts" / slug
        folder.mkdir()
        (folder / "fa.md").write_text(fa, encoding="utf-8")
        if en:
            (folder / "en.md").write_text(en, encoding="utf-8")
    return example_site


def write_eml(site: Path, tmp_path: Path, *options: str) -> EmailMessage:
    out = tmp_path / "post.eml"
    result = CliRunner().invoke(cli, ["email", str(site), *options, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return message_from_bytes(out.read_bytes(), policy=policy.default)


def html_of(message: EmailMessage) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(message.get_body(("html",)).get_content())  # type: ignore[union-attr]


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr, no-any-return]


def test_the_command_writes_a_persian_e_mail(site: Path, tmp_path: Path) -> None:
    message = write_eml(
        site, tmp_path, "--post", FIRST, "--lang", "fa", "--to", "maryam@example.org"
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())
    assert message["Subject"] == "تنها راه پیش رو"
    assert message["Content-Language"] == "fa"
    assert message["To"] == "maryam@example.org"
    assert message["From"] == "Democratic Republic of Iran <newsletter@example.org>"
    # Without an unsubscribe URL: a mailto: link, and no one-click header (it needs HTTPS).
    assert message["List-Unsubscribe"].strip() == (
        "<mailto:newsletter@example.org?subject=unsubscribe%20maryam%40example.org>"
    )
    assert message["List-Unsubscribe-Post"] is None
    assert message["Message-ID"].endswith("@example.org>")


def test_every_block_carries_its_direction_and_language(site: Path, tmp_path: Path) -> None:
    page = html_of(write_eml(site, tmp_path, "--post", FIRST, "--lang", "fa"))
    assert (page.get("dir"), page.get("lang")) == ("rtl", "fa")
    blocks = [
        element for element in page.iter() if isinstance(element.tag, str) and element.tag in BLOCKS
    ]
    assert len(blocks) >= 25
    assert all(block.get("dir") in ("rtl", "ltr") and block.get("lang") for block in blocks)
    paragraphs = page.xpath(f"//div[{CLASS % 'body'}]//p")
    assert {(p.get("dir"), p.get("lang")) for p in paragraphs} == {("rtl", "fa")}


def test_opposite_runs_are_isolated_with_spans_not_bdi(site: Path, tmp_path: Path) -> None:
    page = html_of(write_eml(site, tmp_path, "--post", FIRST, "--lang", "fa"))
    assert page.xpath("//bdi") == []
    isolated = {
        span.text_content(): span.get("dir")
        for span in page.xpath(f"//div[{CLASS % 'body'}]//span[@dir]")
    }
    assert isolated["IRGC"] == "ltr" and isolated["UN"] == "ltr"
    assert all(
        "unicode-bidi: isolate" in span.get("style", "") for span in page.xpath("//span[@dir]")
    )


def test_styles_are_inline_and_nothing_external_is_loaded(site: Path, tmp_path: Path) -> None:
    page = html_of(write_eml(site, tmp_path, "--post", MIXED, "--lang", "fa"))
    assert page.xpath("//link | //script | //iframe | //form") == []
    assert [style.text.strip()[:6] for style in page.xpath("//style")] == ["@media"]
    assert "font-family: Vazirmatn," in page.xpath(f"//td[{CLASS % 'section'}]")[0].get("style")
    assert page.xpath("//table[@role='presentation']")
    image = page.xpath(f"//div[{CLASS % 'body'}]//img")[0]
    assert image.get("src") == f"https://example.org/fa/posts/{MIXED}/embassies.png"
    links = [a.get("href") for a in page.xpath("//a")]
    assert all(link.startswith(("https://", "mailto:")) for link in links), links
    assert "https://example.org/fa/tags/iran/" in links


def test_persian_lists_count_in_persian_digits(site: Path, tmp_path: Path) -> None:
    page = html_of(write_eml(site, tmp_path, "--post", CONTACT, "--lang", "fa"))
    assert "list-style-type: persian" in page.xpath("//ol")[0].get("style")
    text = text_of(write_eml(site, tmp_path, "--post", CONTACT, "--lang", "fa"))
    assert RLM + "۱. Telegram کانال رسمی سفارت" in text.splitlines()


def test_persian_edition_has_jalali_date_and_read_on_the_web(site: Path, tmp_path: Path) -> None:
    message = write_eml(site, tmp_path, "--post", FIRST, "--lang", "fa")
    page = html_of(message)
    assert page.xpath(f"//p[{CLASS % 'meta'}]/time")[0].text_content() == "۳۰ دی ۱۳۸۸"
    web = page.xpath(f"//p[{CLASS % 'web-link'}]/a")[0]
    assert web.get("href") == f"https://example.org/fa/posts/{FIRST}/"
    assert web.text_content() == "خواندن در وب"
    # The marks keep the URL's final "/" on its side of the URL in a right-to-left line.
    assert f"خواندن در وب: {LRM}https://example.org/fa/posts/{FIRST}/{LRM}" in text_of(message)


def test_plain_text_keeps_persian_logical_with_marks_only_where_needed(
    site: Path, tmp_path: Path
) -> None:
    text = text_of(write_eml(site, tmp_path, "--post", MIXED, "--lang", "fa"))
    lines = text.splitlines()
    # The paragraph starting with a Latin acronym would read left to right: it gets a mark.
    first = next(line for line in lines if "IRGC" in line)
    assert first.startswith(RLM + "IRGC یا سپاه پاسداران")
    marked = [line for line in lines if line.startswith((RLM, LRM)) and "://" not in line]
    assert marked == [first]
    assert all(len(line) <= 73 for line in lines if "://" not in line)
    assert "\u2066" not in text and "\u2067" not in text  # no isolates terminals may show
    # Links and images become numbered references, in Persian digits.
    assert "وبگاه سفارت سبز [۲] بخوانید." in text
    assert f"[۱] https://example.org/fa/posts/{MIXED}/embassies.png" in text


def in_terminal(line: str) -> tuple[str, str]:
    """How a bidi-aware terminal shows a line: its direction (from its first strong character,
    marks included) and its characters from left to right."""
    bidi = icu.Bidi()
    bidi.setPara(icu.UnicodeString(line), 0xFE)  # UBIDI_DEFAULT_LTR: the first strong decides
    shown = str(bidi.writeReordered(icu.Bidi.DO_MIRRORING | icu.Bidi.REMOVE_BIDI_CONTROLS))
    return ("rtl" if bidi.getParaLevel() % 2 else "ltr"), shown


def test_plain_text_reads_right_in_a_bidi_terminal(site: Path, tmp_path: Path) -> None:
    message = write_eml(site, tmp_path, "--post", CONTACT, "--lang", "fa")
    lines = [line for line in text_of(message).splitlines() if line.strip()]
    code = [line for line in lines if line.startswith((LRM + "    ", "    "))]
    assert [line.strip(LRM + " ") for line in code] == [
        "git clone https://github.com/example/bilingual.git",
        "# پیام خوش‌آمد",
        'echo "سلام دنیا"',
    ]
    # Code reads left to right, even a line that starts with a Persian comment...
    assert {in_terminal(line)[0] for line in code} == {"ltr"}
    # ...and every other line right to left, each phrase written the other way in one piece.
    assert {in_terminal(line)[0] for line in lines if line not in code} == {"rtl"}
    shown = "\n".join(in_terminal(line)[1] for line in lines)
    for phrase in (
        "«I am here.»",
        "+1 212 555 0100",
        "10:30 AM",
        "https://www.hrw.org/news/2010/01/",
        f"https://example.org/fa/posts/{CONTACT}/",
    ):
        assert phrase in shown, phrase
    # A line that reads right as it is has no mark.
    for line in lines:
        bare = line.replace(LRM, "").replace(RLM, "")
        if in_terminal(bare) == in_terminal(line):
            assert line == bare, line
    assert message["Subject"] == RLM + "IRGC و دیپلماسی: «" + LRM + "I am here." + LRM + "»"


def test_english_lines_starting_with_persian_get_a_left_to_right_mark() -> None:
    text = "The Guards, known in Persian as\nسپاه پاسداران, now choose ambassadors."
    assert mark_lines(text, "ltr").split("\n") == [
        "The Guards, known in Persian as",
        LRM + "سپاه پاسداران, now choose ambassadors.",
    ]
    assert mark_lines("سپاه (IRGC)\nIRGC است", "rtl") == "سپاه (IRGC)\n" + RLM + "IRGC است"


def test_bilingual_edition_has_each_language_in_its_own_direction(
    site: Path, tmp_path: Path
) -> None:
    message = write_eml(site, tmp_path, "--post", FIRST, "--lang", "bilingual")
    assert message["Content-Language"] == "en, fa"
    page = html_of(message)
    sections = page.xpath(f"//td[{CLASS % 'section'}]")
    assert [(s.get("lang"), s.get("dir")) for s in sections] == [("en", "ltr"), ("fa", "rtl")]
    assert [s.xpath(f".//p[{CLASS % 'web-link'}]/a")[0].text_content() for s in sections] == [
        "Read on the web",
        "خواندن در وب",
    ]
    text = text_of(message)
    assert text.index("The Only Way Forward") < text.index("تنها راه پیش رو")


def test_unknown_post_or_missing_translation_is_a_clear_error(site: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = str(tmp_path / "x.eml")
    result = runner.invoke(
        cli, ["email", str(site), "--post", "2010-01-20-the-only-way", "--out", out]
    )
    assert result.exit_code == 1
    assert "no published post '2010-01-20-the-only-way'" in result.output
    assert f"did you mean '{FIRST}'?" in result.output
    result = runner.invoke(
        cli, ["email", str(site), "--post", SECOND, "--lang", "fa", "--out", out]
    )
    assert result.exit_code == 1
    assert f"post '{SECOND}' has no version in 'fa'" in result.output
    assert "Traceback" not in result.output and not Path(out).exists()


def test_an_unsubscribe_url_with_a_placeholder_we_do_not_fill_is_a_config_error(
    site: Path, tmp_path: Path
) -> None:
    config = site / "bilingual.toml"
    lines = config.read_text(encoding="utf-8").count("\n")
    with config.open("a", encoding="utf-8") as file:
        file.write(
            "\n[newsletter]\nunsubscribe_url = "
            '"https://lists.example.org/u?a={address}&t={token}"\n'
        )
    out = tmp_path / "x.eml"
    result = CliRunner().invoke(
        cli, ["email", str(site), "--post", FIRST, "--to", "maryam@example.org", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert f"{config}:{lines + 3}:" in result.output
    assert "newsletter.unsubscribe_url holds {token}" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_braces_and_addresses_go_into_the_unsubscribe_url_as_they_should(
    site: Path, tmp_path: Path
) -> None:
    with (site / "bilingual.toml").open("a", encoding="utf-8") as file:
        file.write(
            "\n[newsletter]\nunsubscribe_url = "
            '"https://lists.example.org/{lang}/u?a={address}&b={address}"\n'
        )
    message = write_eml(site, tmp_path, "--post", FIRST, "--to", "a+b&c@example.org")
    assert message["List-Unsubscribe"].split(",")[0].strip() == (
        "<https://lists.example.org/en/u?a=a%2Bb%26c@example.org&b=a%2Bb%26c@example.org>"
    )
    # Without a reader's address, the mailto: link's subject is only "unsubscribe".
    anyone = write_eml(site, tmp_path, "--post", FIRST)
    assert anyone["List-Unsubscribe"].split(",")[1].strip() == (
        "<mailto:newsletter@example.org?subject=unsubscribe>"
    )


def test_same_post_reader_and_date_give_the_same_message(site: Path) -> None:
    maker = EditionMaker.for_site(site)
    edition = maker.edition(FIRST, ["fa"])
    assert maker.html(edition, "a@example.org") == maker.html(edition, "a@example.org")
    assert maker.message_id(edition, "a@example.org") != maker.message_id(edition, "b@example.org")
