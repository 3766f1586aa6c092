"""Interface strings translated when a template compiles read as those translated on each call."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.errors import TemplateError
from bilingual.i18n.localization import catalog_path
from bilingual.publish.templating import TemplateSet, forget_environments, render_template
from bilingual.text.languages import language

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Read more"
msgstr "ادامهٔ مطلب <b>&</b> «بیشتر»"

msgid "Fully checked"
msgstr "۱۰۰%% بررسی‌شده"

msgid "Posts by %(author)s"
msgstr "نوشته‌های %(author)s"
"""
# The same messages as constants, through gettext, and through a call the compiler cannot see.
PAGE = (
    "{% set call = _ %}"
    "{{ _('Read more') }}|{{ gettext('Read more') }}|{{ call('Read more') }}|"
    "{{ _('Fully checked') }}|{{ call('Fully checked') }}|"
    "{{ _('Read more') ~ '!' }}|{{ _('Read more')|length }}|{{ _('Not in the catalog') }}"
)


def site_templates(root: Path, page: str, catalog: str = CATALOG) -> TemplateSet:
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    for name in ("page.html", "page.txt"):
        (folder / name).write_text(page, encoding="utf-8")
    path = catalog_path(root / "locales", "fa")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalog, encoding="utf-8")
    return TemplateSet(template_dirs=(folder,), locale_dirs=(root / "locales",))


def test_a_constant_message_reads_as_the_same_message_translated_when_called(
    tmp_path: Path,
) -> None:
    templates = site_templates(tmp_path, PAGE)
    env = templates.environment(language("fa"))
    escaped = "ادامهٔ مطلب &lt;b&gt;&amp;&lt;/b&gt; «بیشتر»"
    plain = "ادامهٔ مطلب <b>&</b> «بیشتر»"
    # A filter applied to a message sees what the call gives: escaped markup in a page.
    assert render_template(env, "page.html", {}).split("|") == [
        escaped,
        escaped,
        escaped,
        "۱۰۰% بررسی‌شده",
        "۱۰۰% بررسی‌شده",
        escaped + "!",
        str(len(escaped)),
        "Not in the catalog",
    ]
    assert render_template(env, "page.txt", {}).split("|") == [
        plain,
        plain,
        plain,
        "۱۰۰% بررسی‌شده",
        "۱۰۰% بررسی‌شده",
        plain + "!",
        str(len(plain)),
        "Not in the catalog",
    ]
    english = render_template(templates.environment(language("en")), "page.html", {})
    assert english.split("|")[:5] == ["Read more"] * 3 + ["Fully checked"] * 2


def test_a_message_missing_its_variables_still_fails_where_it_is_written(tmp_path: Path) -> None:
    templates = site_templates(tmp_path, "<p>\n{{ _('Posts by %(author)s') }}\n</p>\n")
    with pytest.raises(TemplateError) as raised:
        render_template(templates.environment(language("fa")), "page.html", {})
    assert raised.value.path is not None and Path(raised.value.path).name == "page.html"
    assert raised.value.line == 2


def test_an_edited_catalog_reaches_messages_translated_when_compiled(tmp_path: Path) -> None:
    templates = site_templates(tmp_path, "{{ _('Read more') }}")
    assert render_template(templates.environment(language("fa")), "page.txt", {}).startswith(
        "ادامهٔ مطلب"
    )
    site_templates(tmp_path, "{{ _('Read more') }}", CATALOG.replace("ادامهٔ مطلب", "بیشتر بخوانید"))
    forget_environments(templates)
    assert render_template(templates.environment(language("fa")), "page.txt", {}).startswith(
        "بیشتر بخوانید"
    )
