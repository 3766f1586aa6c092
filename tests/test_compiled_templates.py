"""Templates compiled by one process are reused by the next, and compiled again when they change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bilingual.i18n.localization import catalog_path
from bilingual.publish.compiled_templates import user_folder
from bilingual.publish.templating import (
    TemplateSet,
    compile_pages,
    forget_environments,
    render_template,
)
from bilingual.text.languages import language

TOOLKIT = "0f3c9a1e5b7d2468ace13579bdf02468"
CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Read more"
msgstr "{read_more}"
"""
PAGE = "<p>{{ _('Read more') }}</p><p>{{ title|isolate }}</p>{{ edition }}"


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


def write_site(root: Path, page: str, read_more: str = "ادامهٔ مطلب") -> TemplateSet:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "page.html").write_text(page, encoding="utf-8")
    catalog = catalog_path(root / "locales", "fa")
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text(CATALOG.replace("{read_more}", read_more), encoding="utf-8")
    return TemplateSet((root / "templates",), (root / "locales",), user_folder(TOOLKIT))


def render(templates: TemplateSet, lang: str) -> str:
    """A page as a new process renders it: no environment left from an earlier one."""
    forget_environments(templates)
    context = {"title": "گزارش (IRGC) امروز", "edition": "۱۴۰۳"}
    return render_template(templates.environment(language(lang)), "page.html", context)


def test_a_second_process_renders_from_the_compiled_code_alike(
    tmp_path: Path, user_cache: Path
) -> None:
    templates = write_site(tmp_path, PAGE)
    first = render(templates, "fa")
    assert templates.compiled is not None
    compiled = sorted(templates.compiled.iterdir())
    assert [path.name.startswith("fa-") for path in compiled] == [True]
    stamps = [path.stat().st_mtime_ns for path in compiled]
    assert (
        render(templates, "fa")
        == first
        == ('<p>ادامهٔ مطلب</p><p>گزارش (<bdi dir="ltr">IRGC</bdi>) امروز</p>۱۴۰۳')
    )
    assert [path.stat().st_mtime_ns for path in compiled] == stamps  # read, not written again


def test_an_edited_template_compiles_again(tmp_path: Path, user_cache: Path) -> None:
    templates = write_site(tmp_path, PAGE)
    render(templates, "fa")
    # Same size, same second: only the source's checksum tells the change.
    page = tmp_path / "templates" / "page.html"
    status = page.stat()
    page.write_text(PAGE.replace("<p>", "<b>", 1), encoding="utf-8")
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert render(templates, "fa").startswith("<b>ادامهٔ مطلب</p>")


def test_each_language_and_catalog_keeps_its_own_translated_constants(
    tmp_path: Path, user_cache: Path
) -> None:
    templates = write_site(tmp_path, PAGE)
    assert render(templates, "fa").startswith("<p>ادامهٔ مطلب</p>")
    assert render(templates, "en").startswith("<p>Read more</p>")
    assert render(templates, "fa").startswith("<p>ادامهٔ مطلب</p>")
    write_site(tmp_path, PAGE, read_more="بیشتر بخوانید")
    assert render(templates, "fa").startswith("<p>بیشتر بخوانید</p>")


def test_a_folder_others_may_write_to_is_not_used(tmp_path: Path, user_cache: Path) -> None:
    shared = user_cache / "bilingual"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    assert user_folder(TOOLKIT) is None
    shared.chmod(0o700)
    folder = user_folder(TOOLKIT)
    assert folder is not None and folder.is_dir()
    (folder / "en-x.cache").write_bytes(b"compiled")
    for index in range(5):
        user_folder(f"{index}" * 32)
    assert not folder.exists()  # the folders of older toolkits go
    assert len(list(folder.parent.iterdir())) == 4


def test_pages_compiled_before_forking_render_without_compiling(
    tmp_path: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = write_site(tmp_path, PAGE)
    (tmp_path / "templates" / "feed.xml").write_text("<feed>{{ _('Read more') }}</feed>")
    (tmp_path / "templates" / "print").mkdir()
    (tmp_path / "templates" / "print" / "post.html").write_text("{% broken %}")
    forget_environments(templates)
    compile_pages(templates, language("fa"))  # the print template is not for pages
    env = templates.environment(language("fa"))
    env.bytecode_cache = None

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled in the worker")

    monkeypatch.setattr(env, "compile", compile_again)
    assert render_template(env, "feed.xml", {}) == "<feed>ادامهٔ مطلب</feed>"
    assert "ادامهٔ مطلب" in render_template(env, "page.html", {"title": "", "edition": ""})


def test_without_a_writable_cache_templates_compile_in_each_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    templates = write_site(tmp_path, PAGE)
    assert templates.compiled is None
    assert render(templates, "fa").startswith("<p>ادامهٔ مطلب</p>")
