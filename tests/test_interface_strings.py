"""Interface strings in templates: each language's own, a catalog's markup escaped, every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.i18n.localization import catalog_path
from bilingual.publish.templating import TemplateSet
from bilingual.text.languages import language

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Read more"
msgstr "<b>ادامهٔ مطلب</b>"

msgid "%(num)d posts"
msgstr "%(num)d نوشته <i>تازه</i>"
"""
CALLS = "{{ _('Read more') }}|{{ _('Read more') }}|{{ _('%(num)d posts', num=12) }}|{{ _('Home') }}"


@pytest.fixture
def templates(tmp_path: Path) -> TemplateSet:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("page.html", "page.txt"):
        (folder / name).write_text(CALLS, encoding="utf-8")
    catalog = catalog_path(tmp_path / "locales", "fa")
    catalog.parent.mkdir(parents=True)
    catalog.write_text(CATALOG, encoding="utf-8")
    return TemplateSet(template_dirs=(folder,), locale_dirs=(tmp_path / "locales",))


def test_a_catalogs_markup_is_escaped_in_pages_each_time_and_kept_in_plain_text(
    templates: TemplateSet,
) -> None:
    env = templates.environment(language("fa"))
    for _ in range(2):  # the second time, the translations remembered from the first
        assert env.get_template("page.html").render().split("|") == [
            "&lt;b&gt;ادامهٔ مطلب&lt;/b&gt;",
            "&lt;b&gt;ادامهٔ مطلب&lt;/b&gt;",
            "۱۲ نوشته &lt;i&gt;تازه&lt;/i&gt;",
            "Home",
        ]
        assert env.get_template("page.txt").render().split("|") == [
            "<b>ادامهٔ مطلب</b>",
            "<b>ادامهٔ مطلب</b>",
            "۱۲ نوشته <i>تازه</i>",
            "Home",
        ]
        english = templates.environment(language("en")).get_template("page.html").render()
        assert english.split("|") == ["Read more", "Read more", "12 posts", "Home"]
