"""The catalog editor: saves patch one entry and keep every other byte, refuse stale pages, and
work in Chromium (right-to-left fields, plural forms, escaped markup, conflicts)."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bilingual.i18n.catalogs import CatalogScope, theme_scope
from bilingual.i18n.editor import EditorServer
from bilingual.i18n.editor.po_edit import (
    ConflictError,
    TranslationRefused,
    entry_id,
    file_version,
    parse,
    patch_translation,
    save_translation,
)

SAMPLE = """\
# Persian translations for the editor's tests.
msgid ""
msgstr ""
"Project-Id-Version: sample 1.0\\n"
"Language: fa\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

#: templates/base.html:20
msgid "Skip to content"
msgstr "پرش به محتوا"

# Translators: the link under each post summary
#: templates/_macros.html:31
msgid "Read more"
msgstr ""

#. The link to the Atom feed
#: templates/base.html:48
#, fuzzy, python-format
#| msgid "Atom feed of %(site)s"
msgid "Feed of %(site)s"
msgstr "خوراک اتم %(site)s"

#: templates/tag.html:7
#, python-format
msgid "%(num)d post"
msgid_plural "%(num)d posts"
msgstr[0] ""
msgstr[1] ""

#: templates/post.html:3
msgid "Press <b>Save</b> & <script>alert(1)</script>"
msgstr ""

msgid ""
"A long source string that was wrapped "
"over two lines"
msgstr ""
"رشته‌ای بلند "
"در دو خط"

msgctxt "navigation"
msgid "Home"
msgstr "خانه"

#~ msgid "Old string"
#~ msgstr "رشتهٔ کهنه"
"""


def po_path(root: Path) -> Path:
    return root / "locales/fa/LC_MESSAGES/messages.po"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    path = po_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(SAMPLE.encode("utf-8"))
    return tmp_path


@pytest.fixture
def editor(catalog_dir: Path) -> Iterator[EditorServer]:
    scope = CatalogScope(
        "sample", catalog_dir / "locales", (), theme_scope().mapping, "sample", "1"
    )
    server = EditorServer(scope)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def babel(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="fa")


def identifier(msgid: str | tuple[str, str], context: str | None = None) -> str:
    catalog = parse(SAMPLE, Path("sample.po"), "fa")
    return entry_id(catalog.get(msgid, context))


def fields(catalog: Catalog, skip: str) -> dict[object, tuple[object, ...]]:
    return {
        (m.id, m.context): (
            m.string,
            sorted(m.flags),
            m.user_comments,
            m.auto_comments,
            m.locations,
        )
        for m in catalog
        if m.id and m.id != skip
    }


def patched(msgid: str, strings: list[str], context: str | None = None) -> str:
    return patch_translation(SAMPLE, Path("sample.po"), identifier(msgid, context), strings, "fa")


def test_saving_rewrites_only_the_edited_msgstr() -> None:
    result = patched("Read more", ["ادامهٔ مطلب"])
    assert result == SAMPLE.replace(
        'msgid "Read more"\nmsgstr ""', 'msgid "Read more"\nmsgstr "ادامهٔ مطلب"'
    )


def test_saving_a_fuzzy_entry_drops_the_flag_and_the_previous_source() -> None:
    result = patched("Feed of %(site)s", ["خوراک %(site)s"])
    assert result == SAMPLE.replace(
        '#, fuzzy, python-format\n#| msgid "Atom feed of %(site)s"\nmsgid "Feed of %(site)s"\n'
        'msgstr "خوراک اتم %(site)s"',
        '#, python-format\nmsgid "Feed of %(site)s"\nmsgstr "خوراک %(site)s"',
    )


def test_plural_forms_wrapped_strings_and_newlines_are_written_as_babel_reads_them() -> None:
    plural = patched("%(num)d post", ["%(num)d نوشته", "%(num)d نوشته‌ها"])
    assert 'msgstr[0] "%(num)d نوشته"\nmsgstr[1] "%(num)d نوشته‌ها"\n' in plural
    wrapped_id = "A long source string that was wrapped over two lines"
    wrapped = parse(patched(wrapped_id, ['خط یکم\nخط "دوم"']), Path("x.po"), "fa")
    assert wrapped[wrapped_id].string == 'خط یکم\nخط "دوم"'
    context = parse(patched("Home", ["صفحهٔ نخست"], "navigation"), Path("x.po"), "fa")
    assert context.get("Home", "navigation").string == "صفحهٔ نخست"


def test_a_save_against_an_old_version_is_refused_and_changes_nothing(catalog_dir: Path) -> None:
    path = po_path(catalog_dir)
    version = file_version(path)
    version = save_translation(path, version, identifier("Read more"), ["ادامه"], "fa")
    changed = path.read_bytes()
    with pytest.raises(ConflictError, match="changed on disk"):
        save_translation(path, "0-stale", identifier("Read more"), ["بیشتر"], "fa")
    assert path.read_bytes() == changed
    assert babel(path)["Read more"].string == "ادامه"
    assert version == file_version(path)


def fetch(url: str, data: bytes | None = None, accept: str = "text/html") -> tuple[int, str, dict]:
    """A request as the editor's own page makes it (a save carries the page's Origin)."""
    origin = url.split("/", 3)[:3]
    headers = {"Accept": accept, **({"Origin": "/".join(origin)} if data is not None else {})}
    request = urllib.request.Request(url, data=data, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def test_every_request_needs_the_token(editor: EditorServer) -> None:
    base = f"http://127.0.0.1:{editor.port}"
    assert editor.server_address[0] == "127.0.0.1"
    assert fetch(base + "/")[0] == 403
    assert fetch(base + "/catalog/fa?token=wrong")[0] == 403
    assert fetch(base + "/static/editor.css")[0] == 403
    assert fetch(base + editor.link("/static/editor.css"))[0] == 200
    assert fetch(base + editor.link("/catalog/de"))[0] == 404
    assert fetch(base + editor.link("/static/../server.py"))[0] == 404
    status, _, headers = fetch(editor.url)
    assert status == 303 and headers["Location"] == editor.link("/catalog/fa")


def test_a_form_post_saves_and_a_stale_one_is_a_conflict(
    editor: EditorServer, catalog_dir: Path
) -> None:
    path = po_path(catalog_dir)
    save_url = f"http://127.0.0.1:{editor.port}" + editor.link("/catalog/fa/save")
    form = f"entry={identifier('Read more')}&version={file_version(path)}&form_0=%D8%A8%DB%8C%D8%B4%D8%AA%D8%B1"
    status, _, headers = fetch(save_url, form.encode())
    assert status == 303 and headers["Location"].startswith(editor.link("/catalog/fa"))
    assert babel(path)["Read more"].string == "بیشتر"
    before = path.read_bytes()
    status, body, _ = fetch(
        save_url, form.replace("form_0=", "form_0=x").encode(), accept="application/json"
    )
    assert status == 409
    assert json.loads(body)["saved"] is False and "changed on disk" in json.loads(body)["error"]
    assert path.read_bytes() == before


def test_the_translate_command_prints_a_local_url_with_a_token(
    catalog_dir: Path, example_site: Path
) -> None:
    (example_site / "locales").mkdir()
    (example_site / "locales" / "fa").symlink_to(catalog_dir / "locales" / "fa")
    process = subprocess.Popen(
        [sys.executable, "-m", "bilingual", "translate", str(example_site), "--no-browser"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(2)]
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:") and "?token=" in url
        status, _, headers = fetch(url)
        assert status == 303
        status, page, _ = fetch(url.split("/?")[0] + headers["Location"])
        assert status == 200 and "Read more" in page
    finally:
        process.terminate()
        process.wait(timeout=10)


# In Chromium.


def open_catalog(page: object, editor: EditorServer, filter_name: str) -> None:
    page.goto(f"http://127.0.0.1:{editor.port}" + editor.link("/catalog/fa", filter=filter_name))


def entry(page: object, msgid: str) -> object:
    return page.locator(f"#entry-{identifier(msgid)}")


def text_field(item: object, number: int = 0) -> object:
    """The field a translator types in: a token field where the source has placeholders."""
    return item.locator(".translation [role=textbox], .translation textarea:not([hidden])").nth(
        number
    )


@pytest.mark.browser
def test_translate_and_save_an_entry_in_chromium(
    page: object, editor: EditorServer, catalog_dir: Path
) -> None:
    path = po_path(catalog_dir)
    before = babel(path)
    page.goto(editor.url)
    assert page.locator("nav.filters [aria-current]").inner_text().startswith("Untranslated")
    item = entry(page, "Read more")
    field = item.locator("textarea")
    assert field.get_attribute("dir") == "rtl" and field.get_attribute("lang") == "fa"
    assert "the link under each post summary" in item.inner_text()
    assert "templates/_macros.html:31" in item.inner_text()
    field.fill("ادامهٔ مطلب")
    item.locator("button[type=submit]").click()
    item.locator("[data-status]", has_text="Saved").wait_for()
    assert item.get_attribute("data-state") == "translated"
    assert page.locator('[data-count="translated"]').first.inner_text() == "4"

    after = babel(path)
    assert after["Read more"].string == "ادامهٔ مطلب"
    assert fields(after, "Read more") == fields(before, "Read more")
    assert path.read_text(encoding="utf-8") == SAMPLE.replace(
        'msgid "Read more"\nmsgstr ""', 'msgid "Read more"\nmsgstr "ادامهٔ مطلب"'
    )

    second = entry(page, "Press <b>Save</b> & <script>alert(1)</script>")
    text_field(second).fill("<b>ذخیره</b> را بزنید و <script>alert(1)</script>")
    second.locator("button[type=submit]").click()
    second.locator("[data-status]", has_text="Saved").wait_for()
    assert (
        babel(path)["Press <b>Save</b> & <script>alert(1)</script>"].string
        == "<b>ذخیره</b> را بزنید و <script>alert(1)</script>"
    )


@pytest.mark.browser
def test_markup_in_a_source_string_is_shown_as_text(page: object, editor: EditorServer) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_catalog(page, editor, "all")
    source = entry(page, "Press <b>Save</b> & <script>alert(1)</script>").locator(".msgid")
    assert source.inner_text() == "Press <b>Save</b> & <script>alert(1)</script>"
    assert source.locator("b, script").count() == 0
    assert dialogs == []


@pytest.mark.browser
def test_a_fuzzy_entry_shows_what_changed_and_saving_clears_the_flag(
    page: object, editor: EditorServer, catalog_dir: Path
) -> None:
    open_catalog(page, editor, "fuzzy")
    item = entry(page, "Feed of %(site)s")
    text = item.inner_text()
    assert "Atom feed of %(site)s" in text and "The link to the Atom feed" in text
    assert item.locator("textarea").input_value() == "خوراک اتم %(site)s"
    text_field(item).fill("خوراک %(site)s")
    text_field(item).press("Control+Enter")
    item.locator("[data-status]", has_text="Saved").wait_for()
    message = babel(po_path(catalog_dir))["Feed of %(site)s"]
    assert message.string == "خوراک %(site)s" and not message.fuzzy
    assert "python-format" in message.flags


@pytest.mark.browser
def test_plural_forms_are_separate_fields(
    page: object, editor: EditorServer, catalog_dir: Path
) -> None:
    open_catalog(page, editor, "untranslated")
    item = entry(page, "%(num)d post")
    labels = item.locator(".translation label").all_inner_texts()
    assert labels == ["Plural form 1 (n = 0, 1)", "Plural form 2 (n = 2, 3, 4, …)"]
    text_field(item, 0).fill("%(num)d نوشته")
    text_field(item, 1).fill("%(num)d نوشته")
    item.locator("button[type=submit]").click()
    item.locator("[data-status]", has_text="Saved").wait_for()
    assert babel(po_path(catalog_dir))["%(num)d post"].string == ("%(num)d نوشته", "%(num)d نوشته")


@pytest.mark.browser
def test_saving_after_the_file_changed_on_disk_is_refused(
    page: object, editor: EditorServer, catalog_dir: Path
) -> None:
    path = po_path(catalog_dir)
    open_catalog(page, editor, "untranslated")
    elsewhere = SAMPLE.replace('msgid "Read more"\nmsgstr ""', 'msgid "Read more"\nmsgstr "بیشتر"')
    path.write_text(elsewhere, encoding="utf-8")
    item = entry(page, "Read more")
    item.locator("textarea").fill("ادامهٔ مطلب")
    item.locator("button[type=submit]").click()
    status = item.locator("[data-status]")
    status.filter(has_text="changed on disk").wait_for()
    assert status.get_attribute("role") == "alert"
    assert item.locator("textarea").input_value() == "ادامهٔ مطلب"
    assert path.read_text(encoding="utf-8") == elsewhere


# Translators' safety: refused saves, protected tokens, the file's own wrapping.

READING = """\
msgid ""
msgstr ""
"Language: fa\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#: templates/post.html:12
#, python-format
msgid "%(minutes)s min read"
msgstr "%(minutes)s دقیقه مطالعه"

#: templates/post.html:30
msgid "{n} comment"
msgid_plural "{n} comments"
msgstr[0] ""
msgstr[1] ""

#: templates/base.html:9
#, python-format
msgid "Hello %s, read the <a href=\\"/about\\">about page</a>"
msgstr ""
"سلام %s، "
"<a href=\\"/about\\">صفحهٔ درباره</a> را بخوانید"
"""
MINUTES = "%(minutes)s min read"
COMMENTS = ("{n} comment", "{n} comments")
HELLO = 'Hello %s, read the <a href="/about">about page</a>'


def reading_id(msgid: str | tuple[str, str]) -> str:
    return entry_id(parse(READING, Path("reading.po"), "fa").get(msgid))


def refusal(text: str, msgid: str | tuple[str, str], strings: list[str]) -> TranslationRefused:
    with pytest.raises(TranslationRefused) as caught:
        patch_translation(
            text, Path("x.po"), entry_id(parse(text, Path("x.po"), "fa").get(msgid)), strings, "fa"
        )
    return caught.value


def test_a_save_that_drops_a_placeholder_tag_or_plural_form_is_refused_by_field() -> None:
    assert refusal(SAMPLE, "Feed of %(site)s", ["خوراک"]).problems == {
        0: ["placeholder %(site)s is missing from the translation"]
    }
    assert refusal(READING, MINUTES, ["%(minute)s دقیقه"]).problems == {
        0: [
            "placeholder %(minutes)s is missing from the translation",
            "placeholder %(minute)s is in the translation but not in the source",
        ]
    }
    assert refusal(READING, HELLO, ["سلام، صفحهٔ درباره را بخوانید"]).problems == {
        0: [
            "placeholder %s is missing from the translation",
            "HTML tag <a> is missing from the translation",
            "HTML tag </a> is missing from the translation",
        ]
    }
    assert refusal(READING, COMMENTS, ["{n} دیدگاه", ""]).problems == {
        1: ["this plural form is empty: fill every form, or clear them all"]
    }
    assert refusal(READING, COMMENTS, ["دیدگاه", "{n} دیدگاه"]).problems == {
        0: ["placeholder {n} is missing from the translation"]
    }
    assert refusal(READING, COMMENTS, ["{n} دیدگاه"]).problems == {
        0: ["expected 2 translation field(s), got 1: reload the page"]
    }
    message = refusal(SAMPLE, "Press <b>Save</b> & <script>alert(1)</script>", ["ذخیره"])
    assert message.message == "not saved: 4 problems, shown by the fields"


def test_clearing_a_translation_or_keeping_its_tokens_is_accepted() -> None:
    cleared = patch_translation(READING, Path("x.po"), reading_id(MINUTES), [""], "fa")
    assert 'msgid "%(minutes)s min read"\nmsgstr ""\n' in cleared
    both = patch_translation(
        READING, Path("x.po"), reading_id(COMMENTS), ["{n} دیدگاه", "{n} دیدگاه"], "fa"
    )
    assert 'msgstr[0] "{n} دیدگاه"\nmsgstr[1] "{n} دیدگاه"\n' in both


def test_a_no_op_save_keeps_a_wrapped_msgstr_as_the_file_has_it() -> None:
    wrapped = "A long source string that was wrapped over two lines"
    assert patched(wrapped, ["رشته‌ای بلند در دو خط"]) == SAMPLE
    same = patch_translation(
        READING,
        Path("x.po"),
        reading_id(HELLO),
        ['سلام %s، <a href="/about">صفحهٔ درباره</a> را بخوانید'],
        "fa",
    )
    assert same == READING
    changed = patched(wrapped, ["رشته‌ای بلند در دو خط تازه"])
    assert 'msgstr "رشته‌ای بلند در دو خط تازه"\n' in changed
    fuzzy = patched("Feed of %(site)s", ["خوراک اتم %(site)s"])
    assert fuzzy == SAMPLE.replace(
        '#, fuzzy, python-format\n#| msgid "Atom feed of %(site)s"\n', "#, python-format\n"
    )


@pytest.fixture
def reading_editor(tmp_path: Path) -> Iterator[EditorServer]:
    path = po_path(tmp_path / "reading")
    path.parent.mkdir(parents=True)
    path.write_bytes(READING.encode("utf-8"))
    scope = CatalogScope("reading", path.parents[2], (), theme_scope().mapping, "reading", "1")
    server = EditorServer(scope)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_refused_save_answers_422_with_the_problems_by_field(
    reading_editor: EditorServer,
) -> None:
    path = reading_editor.scope.po_path("fa")
    save_url = f"http://127.0.0.1:{reading_editor.port}" + reading_editor.link("/catalog/fa/save")
    form = (
        f"entry={reading_id(COMMENTS)}&version={file_version(path)}"
        "&form_0=%7Bn%7D+%D8%AF%DB%8C%D8%AF%DA%AF%D8%A7%D9%87&form_1="
    )
    status, body, _ = fetch(save_url, form.encode(), accept="application/json")
    assert status == 422
    answer = json.loads(body)
    assert answer["saved"] is False and answer["fields"] == {
        "1": ["this plural form is empty: fill every form, or clear them all"]
    }
    status, page, _ = fetch(save_url, form.encode())
    assert status == 422 and "this plural form is empty" in page and "{n} دیدگاه" in page
    assert path.read_text(encoding="utf-8") == READING


def test_a_catalog_whose_header_denies_its_plural_forms_lists_every_entry(
    reading_editor: EditorServer,
) -> None:
    path = reading_editor.scope.po_path("fa")
    path.write_text(
        READING.replace("nplurals=2; plural=(n > 1);", "nplurals=1; plural=0;").replace(
            'msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "{n} دیدگاه"\nmsgstr[1] "{n} دیدگاه"'
        ),
        encoding="utf-8",
    )
    status, page, _ = fetch(
        f"http://127.0.0.1:{reading_editor.port}" + reading_editor.link("/catalog/fa")
    )
    assert status == 400
    text = html.unescape(page)
    line = READING.splitlines().index('msgid "{n} comment"') + 1
    assert (
        f"{path}:{line}: wrong number of plural forms: 2, but the catalog's Plural-Forms says "
        "nplurals=1"
    ) in text
    assert 'write "Plural-Forms: nplurals=2; plural=(n > 1);\\n" there' in text


def open_reading(page: object, editor: EditorServer) -> None:
    page.goto(f"http://127.0.0.1:{editor.port}" + editor.link("/catalog/fa", filter="all"))


def reading_entry(page: object, msgid: str | tuple[str, str]) -> object:
    return page.locator(f"#entry-{reading_id(msgid)}")


@pytest.mark.browser
def test_a_refused_save_shows_the_reason_next_to_its_field(
    page: object, reading_editor: EditorServer, tmp_path: Path
) -> None:
    path = reading_editor.scope.po_path("fa")
    open_reading(page, reading_editor)
    item = reading_entry(page, COMMENTS)
    text_field(item, 0).fill("{n} دیدگاه")
    item.locator("button[type=submit]").click()
    errors = item.locator(".field-error")
    errors.nth(1).filter(has_text="This plural form is empty").wait_for()
    assert errors.nth(0).is_hidden()
    assert text_field(item, 1).get_attribute("aria-invalid") == "true"
    assert text_field(item, 0).get_attribute("aria-invalid") == "false"
    second, message = text_field(item, 1).bounding_box(), errors.nth(1).bounding_box()
    assert 0 <= message["y"] - (second["y"] + second["height"]) < 30  # right under the field
    assert item.locator("[data-status]").get_attribute("role") == "alert"

    minutes = reading_entry(page, MINUTES)
    text_field(minutes).fill("دقیقه مطالعه")
    minutes.locator("button[type=submit]").click()
    minutes.locator(".field-error").filter(
        has_text="Placeholder %(minutes)s is missing from the translation."
    ).wait_for()
    assert text_field(minutes).inner_text() == "دقیقه مطالعه"  # what was typed stays
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    assert path.read_text(encoding="utf-8") == READING

    text_field(item, 1).fill("{n} دیدگاه")
    item.locator("button[type=submit]").click()
    item.locator("[data-status]", has_text="Saved").wait_for()
    assert errors.nth(1).is_hidden()
    assert babel(path)[COMMENTS[0]].string == ("{n} دیدگاه", "{n} دیدگاه")


TOKEN_LAYOUT = """(field) => {
  const token = field.querySelector("[data-token]");
  const text = [...field.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
  const box = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return range.getBoundingClientRect();
  };
  const chars = token.firstChild;
  const style = getComputedStyle(token);
  return {token: token.dataset.token, editable: token.isContentEditable,
          direction: style.direction, bidi: style.unicodeBidi,
          tokenRight: token.getBoundingClientRect().right,
          textRight: box(text, 0, text.length).right,
          percentLeft: box(chars, 0, 1).left, lastLeft: box(chars, chars.length - 1, chars.length).left};
}"""


@pytest.mark.browser
def test_placeholders_next_to_persian_show_as_isolated_tokens(
    page: object, reading_editor: EditorServer, tmp_path: Path
) -> None:
    path = reading_editor.scope.po_path("fa")
    open_reading(page, reading_editor)
    item = reading_entry(page, MINUTES)
    field = text_field(item)
    assert field.get_attribute("dir") == "rtl" and field.get_attribute("lang") == "fa"
    layout = field.evaluate(TOKEN_LAYOUT)
    assert layout["token"] == "%(minutes)s" and not layout["editable"]
    assert layout["direction"] == "ltr" and layout["bidi"] == "isolate"
    assert layout["tokenRight"] > layout["textRight"]  # first in reading order: on the right
    assert layout["percentLeft"] < layout["lastLeft"]  # "%(minutes)s", not "s(minutes)%"
    item.screenshot(path=str(tmp_path / "tokens.png"))

    item.locator("button[type=submit]").click()  # a save that changes nothing
    item.locator("[data-status]", has_text="Saved").wait_for()
    hello = reading_entry(page, HELLO)
    assert hello.locator(".token").all_inner_texts()[:3] == ["%s", '<a href="/about">', "</a>"]
    hello.locator("button[type=submit]").click()
    hello.locator("[data-status]", has_text="Saved").wait_for()
    assert path.read_text(encoding="utf-8") == READING

    field.click()
    field.press("Home")
    field.press("Delete")  # the whole token goes at once: it cannot be half edited
    assert field.locator("[data-token]").count() == 0
    assert item.locator("textarea").input_value() == " دقیقه مطالعه"
    item.locator(".token-palette [data-insert]").click()
    field.press("End")
    field.type(" تا  پایان")
    item.locator("button[type=submit]").click()
    item.locator("[data-status]", has_text="Saved").wait_for()
    assert babel(path)[MINUTES].string == "%(minutes)s دقیقه مطالعه تا  پایان"
    assert field.locator("[data-token]").all_inner_texts() == ["%(minutes)s"]
