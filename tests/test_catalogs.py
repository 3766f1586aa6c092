"""Catalogs round-trip through extract, update and compile without losing a translation; check
finds broken placeholders, markup and plural forms."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from click.testing import CliRunner

from bilingual import build
from bilingual.cli import cli
from bilingual.i18n.catalog_files import read_catalog
from bilingual.i18n.catalogs import extract, site_scope, theme_scope
from bilingual.i18n.check import check_file
from bilingual.site.resources import locales_dir, theme_dir

PO_HEADER = """\
msgid ""
msgstr ""
"Language: fa\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def read(path: Path, locale: str | None = "fa") -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def translations(catalog: Catalog) -> dict[str, object]:
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message.string
        for message in catalog
        if message.id and message.string and any(message.string)
    }


@pytest.fixture
def themed_site(example_site: Path) -> Path:
    """The example blog carrying its own copy of the theme's templates and catalogs."""
    shutil.copytree(theme_dir(), example_site / "templates")
    (example_site / "locales" / "fa").mkdir(parents=True)
    shutil.copytree(locales_dir() / "fa", example_site / "locales" / "fa", dirs_exist_ok=True)
    return example_site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_theme_extraction_finds_template_strings_with_their_locations(tmp_path: Path) -> None:
    scope = theme_scope()
    shutil.copytree(scope.locales, tmp_path / "locales")
    path, count = extract(replace(scope, locales=tmp_path / "locales"))
    template = read(path, None)
    assert count == len([m for m in template if m.id])
    assert ("templates/_macros.html", 31) in template["Read more"].locations
    assert template["%(num)d post"].id == ("%(num)d post", "%(num)d posts")
    assert set(translations(read(locales_dir() / "fa/LC_MESSAGES/messages.po"))) <= {
        m.id if isinstance(m.id, str) else m.id[0] for m in template
    }


def test_site_catalogs_round_trip_without_losing_a_translation(themed_site: Path) -> None:
    po = themed_site / "locales/fa/LC_MESSAGES/messages.po"
    edit(
        po,
        'msgid "Skip to content"',
        '# Translators: the link screen readers hear first\nmsgid "Skip to content"',
    )
    before = read(po)
    old = translations(before)
    templates = themed_site / "templates"
    edit(
        templates / "post.html",
        "{% block content %}",
        '{% block content %}<p class="share">{{ _("Share this post") }}</p>',
    )
    edit(templates / "index.html", '_("Latest posts")', '_("Latest posts and notes")')
    edit(templates / "base.html", '<li><a href="{{ url(feed_path) }}">{{ _("Feed") }}</a></li>', "")

    assert run("i18n", "extract", str(themed_site))[0] == 0
    code, output = run("i18n", "update", str(themed_site))
    assert code == 0, output
    after = read(po)

    assert after["Share this post"].string == ""
    changed = after["Latest posts and notes"]
    assert changed.fuzzy and changed.string == old["Latest posts"]
    assert read_catalog(po, "fa")["Latest posts and notes"].previous_id == ["Latest posts"]
    assert after.obsolete["Feed"].string == old["Feed"]
    assert after["Skip to content"].user_comments == [
        "Translators: the link screen readers hear first"
    ]
    for msgid, string in old.items():
        if msgid in {"Latest posts", "Feed"}:
            continue
        if msgid in after:
            assert after[msgid].string == string and not after[msgid].fuzzy, msgid
        else:  # gone from the theme's templates since its catalog was updated: kept, obsolete
            assert after.obsolete[msgid].string == string, msgid

    assert run("i18n", "update", str(themed_site))[0] == 0
    again = read(po)
    assert again.obsolete["Feed"].string == old["Feed"]
    assert translations(again) == translations(after)
    assert po.read_text(encoding="utf-8").count('#| msgid "Latest posts"') == 1
    assert "# |" not in po.read_text(encoding="utf-8")

    assert run("i18n", "compile", str(themed_site))[0] == 0
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = Translations(handle)
    assert compiled.gettext("Read more") == old["Read more"]
    assert compiled.gettext("Latest posts and notes") == "Latest posts and notes"  # fuzzy: left out


def test_the_site_catalog_overrides_the_theme_in_the_build(themed_site: Path) -> None:
    edit(
        themed_site / "templates/post.html",
        "{% block content %}",
        '{% block content %}<p class="share">{{ _("Share this post") }}</p>',
    )
    run("i18n", "extract", str(themed_site))
    run("i18n", "update", str(themed_site))
    po = themed_site / "locales/fa/LC_MESSAGES/messages.po"
    edit(
        po,
        'msgid "Share this post"\nmsgstr ""',
        'msgid "Share this post"\nmsgstr "همرسانی این نوشته"',
    )
    edit(po, 'msgid "Read more"\nmsgstr "ادامهٔ مطلب"', 'msgid "Read more"\nmsgstr "بیشتر بخوانید"')
    result = build(themed_site, pdf=False)
    post = (result.out_dir / "fa/posts/2010-01-20-the-only-way-forward/index.html").read_text()
    home = (result.out_dir / "fa/index.html").read_text()
    assert '<p class="share">همرسانی این نوشته</p>' in post
    assert "بیشتر بخوانید" in home and "ادامهٔ مطلب" not in home


def test_a_string_rewritten_in_place_keeps_its_translation_as_fuzzy(themed_site: Path) -> None:
    po = themed_site / "locales/fa/LC_MESSAGES/messages.po"
    edit(po, 'msgid "Read more"', '# Translators: the link under each summary\nmsgid "Read more"')
    edit(themed_site / "templates/_macros.html", '_("Read more")', '_("Continue reading")')
    assert run("i18n", "extract", str(themed_site))[0] == 0
    code, output = run("i18n", "update", str(themed_site))
    assert code == 0, output

    catalog = read_catalog(po, "fa")
    rewritten = catalog["Continue reading"]
    assert rewritten.fuzzy and rewritten.string == "ادامهٔ مطلب"
    assert rewritten.previous_id == ["Read more"]
    assert rewritten.user_comments == ["Translators: the link under each summary"]
    assert "Read more" not in catalog.obsolete
    text = po.read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "Read more"\nmsgid "Continue reading"\nmsgstr "ادامهٔ مطلب"' in text


def test_a_string_far_from_the_one_that_vanished_is_not_given_its_translation(
    themed_site: Path,
) -> None:
    macros = themed_site / "templates/_macros.html"
    edit(macros, '{{ _("Read more") }}', "")
    macros.write_text(
        macros.read_text("utf-8") + '{% macro share() %}{{ _("Share this post") }}{% endmacro %}\n',
        "utf-8",
    )  # the same file, 27 lines further down
    run("i18n", "extract", str(themed_site))
    run("i18n", "update", str(themed_site))
    catalog = read_catalog(themed_site / "locales/fa/LC_MESSAGES/messages.po", "fa")
    assert catalog["Share this post"].string == "" and not catalog["Share this post"].fuzzy
    assert catalog.obsolete["Read more"].string == "ادامهٔ مطلب"


def test_a_string_that_comes_back_gets_its_old_translation(themed_site: Path) -> None:
    base = themed_site / "templates/base.html"
    original = base.read_text(encoding="utf-8")
    edit(base, '{{ _("Feed") }}', "")
    run("i18n", "extract", str(themed_site))
    run("i18n", "update", str(themed_site))
    base.write_text(original, encoding="utf-8")
    run("i18n", "extract", str(themed_site))
    run("i18n", "update", str(themed_site))
    catalog = read(themed_site / "locales/fa/LC_MESSAGES/messages.po")
    assert catalog["Feed"].string == "خوراک" and "Feed" not in catalog.obsolete


def test_init_creates_a_catalog_from_the_template_and_refuses_to_overwrite(
    themed_site: Path,
) -> None:
    assert run("i18n", "extract", str(themed_site))[0] == 0
    code, output = run("i18n", "init", "ar", str(themed_site))
    assert code == 0, output
    catalog = read(themed_site / "locales/ar/LC_MESSAGES/messages.po", "ar")
    assert catalog.num_plurals == 6 and str(catalog.locale) == "ar"
    assert catalog["Read more"].string == ""
    code, output = run("i18n", "init", "fa", str(themed_site))
    assert code == 1 and "exists already" in output


def test_a_site_without_templates_has_no_strings_to_extract(example_site: Path) -> None:
    code, output = run("i18n", "extract", str(example_site))
    assert code == 1
    assert "no templates/ folder" in output and "--theme" in output
    assert site_scope(example_site).languages() == []


def write_po(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "locales/fa/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(PO_HEADER + body, encoding="utf-8")
    return path


def test_check_reports_placeholders_markup_plural_forms_and_fuzzy(tmp_path: Path) -> None:
    path = write_po(
        tmp_path,
        """
#, python-format
msgid "by %(author)s"
msgstr "نوشتهٔ %(autor)s"

msgid "Hello {name}"
msgstr "سلام {name} {extra}"

msgid "Read <a href=\\"/more\\">more</a>"
msgstr "<b>بیشتر</b> بخوانید"

#, python-format
msgid "%(num)d post"
msgid_plural "%(num)d posts"
msgstr[0] "%(num)d نوشته"

#, fuzzy
msgid "Home"
msgstr "خانه"

msgid "100% free"
msgstr "۱۰۰٪ رایگان"

#, python-format
msgid "Page %(num)d of %(count)d"
msgstr "صفحهٔ %(num)d از %(count)d"
""",
    )
    problems = {(p.line, p.severity, p.message.split(" (msgid")[0]) for p in check_file(path, "fa")}
    author, hello, link, plural, home = (
        line_of(path, f'msgid "{text}')
        for text in ("by %(author)s", "Hello {name}", "Read <a", "%(num)d post", "Home")
    )
    assert problems == {
        (author, "error", "placeholder %(author)s is missing from the translation"),
        (author, "error", "placeholder %(autor)s is in the translation but not in the source"),
        (hello, "error", "placeholder {extra} is in the translation but not in the source"),
        (link, "error", "HTML tag <a> is missing from the translation"),
        (link, "error", "HTML tag </a> is missing from the translation"),
        (link, "error", "HTML tag <b> is in the translation but not in the source"),
        (link, "error", "HTML tag </b> is in the translation but not in the source"),
        (
            plural,
            "error",
            "wrong number of plural forms: 1, but the catalog's Plural-Forms says nplurals=2",
        ),
        (home, "warning", "fuzzy translation: not used until reviewed"),
    }


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if text.startswith(start))


def test_check_command_fails_on_errors_and_passes_on_warnings(
    tmp_path: Path, themed_site: Path
) -> None:
    code, output = run("i18n", "check", str(themed_site))
    assert code == 0, output
    assert "0 error(s)" in output
    po = themed_site / "locales/fa/LC_MESSAGES/messages.po"
    edit(po, 'msgstr "نوشتهٔ %(author)s"', 'msgstr "نوشتهٔ %(name)s"')
    code, output = run("i18n", "check", str(themed_site))
    assert code == 1
    line = line_of(po, 'msgid "by %(author)s"')
    assert f"error: {po}:{line}: placeholder %(author)s is missing" in " ".join(output.split())


def test_check_turns_a_syntax_error_into_a_located_error(tmp_path: Path) -> None:
    path = write_po(tmp_path, '\nmsgid "post"\nmsgstr "نوشته\n\nmsgid "page"\nmsgstr "برگه"\n')
    problems = check_file(path, "fa")
    assert [(p.severity, p.line) for p in problems] == [("error", line_of(path, 'msgstr "نوشته'))]
    assert problems[0].message.startswith("invalid PO file")


DJANGO_PERSIAN = Path(__file__).parent / "fixtures" / "django-fa.po"
PLURAL_FORMS_FIX = 'write "Plural-Forms: nplurals=2; plural=(n > 1);\\n" there'


@pytest.fixture
def django_catalog_site(example_site: Path) -> Path:
    """The example blog with a Persian catalog whose header says one plural form, not two."""
    po = example_site / "locales/fa/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    shutil.copyfile(DJANGO_PERSIAN, po)
    return example_site


def plural_entry_lines() -> list[int]:
    lines = DJANGO_PERSIAN.read_text(encoding="utf-8").splitlines()
    return [
        number
        for number, text in enumerate(lines, 1)
        if text.startswith("msgid")
        and lines[number].startswith(("msgid_plural", '"'))
        and any(later.startswith("msgid_plural") for later in lines[number : number + 3])
    ]


def test_check_reports_every_entry_with_more_plural_forms_than_the_header(
    django_catalog_site: Path,
) -> None:
    po = django_catalog_site / "locales/fa/LC_MESSAGES/messages.po"
    problems = check_file(po, "fa")
    assert len(plural_entry_lines()) == 15
    assert [p.line for p in problems] == plural_entry_lines()
    assert {p.message.split(" (msgid")[0] for p in problems} == {
        "wrong number of plural forms: 2, but the catalog's Plural-Forms says nplurals=1"
    }
    assert [p.hint for p in problems[:-1]] == [None] * 14
    assert problems[-1].hint is not None
    assert problems[-1].hint.startswith(
        "the header (line 19) says nplurals=1 but 15 entries carry 2 forms; Persian has 2"
    )
    assert problems[-1].hint.endswith(PLURAL_FORMS_FIX)


@pytest.mark.parametrize("command", [("i18n", "check"), ("i18n", "status"), ("build", "--no-pdf")])
def test_check_status_and_build_list_all_fifteen_entries_and_the_fix(
    django_catalog_site: Path, command: tuple[str, ...]
) -> None:
    published = django_catalog_site / "_site"
    code, output = run(command[0], *command[1:], str(django_catalog_site))
    assert code == 1
    flat = " ".join(output.split())
    for line in plural_entry_lines():
        assert (
            f"messages.po:{line}: wrong number of plural forms: 2, but the catalog's "
            "Plural-Forms says nplurals=1"
        ) in flat
    assert flat.count("hint: the header (line 19) says nplurals=1") == 1
    assert " ".join(PLURAL_FORMS_FIX.split()) in flat
    assert "Traceback" not in output
    if command[0] == "build":
        assert not published.exists()


def test_the_header_fix_the_hint_gives_makes_the_catalog_valid(django_catalog_site: Path) -> None:
    po = django_catalog_site / "locales/fa/LC_MESSAGES/messages.po"
    edit(po, "nplurals=1; plural=0;", "nplurals=2; plural=(n > 1);")
    assert check_file(po, "fa") == []
    build(django_catalog_site, pdf=False)


def test_compile_leaves_fuzzy_entries_out(tmp_path: Path) -> None:
    path = write_po(
        tmp_path, '\nmsgid "Home"\nmsgstr "خانه"\n\n#, fuzzy\nmsgid "Feed"\nmsgstr "خوراک"\n'
    )
    site = tmp_path
    (site / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://example.org/"\nlanguages = ["en", "fa"]\n'
        'default_language = "en"\n[site.title]\nen = "T"\nfa = "ت"\n',
        encoding="utf-8",
    )
    code, output = run("i18n", "compile", str(site))
    assert code == 0, output
    assert "1 translated, 1 fuzzy left out" in output
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = Translations(handle)
    assert compiled.gettext("Home") == "خانه" and compiled.gettext("Feed") == "Feed"


def test_a_broken_template_stops_extraction_with_its_file_and_line(example_site: Path) -> None:
    (example_site / "templates").mkdir()
    (example_site / "templates/extra.html").write_text(
        '{{ _("Fine") }}\n{% if %}\n', encoding="utf-8"
    )
    code, output = run("i18n", "extract", str(example_site))
    assert code == 1
    assert f"{example_site / 'templates/extra.html'}:2: template syntax error" in output
    assert not (example_site / "locales/messages.pot").exists()


READ_ONLY = """\
mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 9
cd "$1"
for command in "extract ." "update ." "compile ." "init de ." "mark-translated \
2010-01-20-the-only-way-forward fa ."; do
    "$2" -m bilingual i18n $command; echo "exit=$?"
done
"$2" - <<'PYTHON'
from pathlib import Path
from bilingual.errors import CatalogError
from bilingual.i18n.editor.po_edit import entry_id, file_version, parse, save_translation
path = Path("locales/fa/LC_MESSAGES/messages.po")
message = next(m for m in parse(path.read_text("utf-8"), path) if m.id == "Read more")
try:
    save_translation(path, file_version(path), entry_id(message), ["بیشتر بخوانید"], "fa")
except CatalogError as error:
    print(f"editor: {error}")
PYTHON
"""


def test_a_read_only_site_gets_a_clear_error_from_every_catalog_command(themed_site: Path) -> None:
    assert run("i18n", "extract", str(themed_site))[0] == 0
    before = {p: p.read_bytes() for p in themed_site.rglob("*") if p.is_file()}
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", READ_ONLY, "sh", str(themed_site), sys.executable],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")},
    )
    assert result.stdout.count("exit=1") == 5, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for written in (
        "locales/messages.pot",
        "locales/fa/LC_MESSAGES/messages.po",
        "locales/fa/LC_MESSAGES/messages.mo",
        "locales/de/LC_MESSAGES/messages.po",
        "content/posts/2010-01-20-the-only-way-forward/fa.md",
    ):
        assert f"{written}: cannot write this file: Read-only file system" in result.stderr
    assert (
        "editor: locales/fa/LC_MESSAGES/messages.po: cannot write this file: Read-only file system"
    ) in result.stdout
    assert {p: p.read_bytes() for p in themed_site.rglob("*") if p.is_file()} == before
