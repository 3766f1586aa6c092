"""The subscriber list (CSV and SQLite) and the subscribe form on the site."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from bilingual import build
from bilingual.cli import cli

POST = "fa/posts/2010-01-20-the-only-way-forward/index.html"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.output


@pytest.mark.parametrize("name", ["subscribers.csv", "subscribers.sqlite"])
def test_add_list_and_remove(example_site: Path, name: str) -> None:
    store = str(example_site / name)
    site = str(example_site)
    assert (
        run(
            "subscribers",
            "add",
            "Maryam@Example.ORG",
            site,
            "--list",
            store,
            "--lang",
            "fa",
            "--date",
            "2010-01-01",
        )[0]
        == 0
    )
    assert (
        run(
            "subscribers",
            "add",
            "john@example.org",
            site,
            "--list",
            store,
            "--lang",
            "bilingual",
            "--unconfirmed",
        )[0]
        == 0
    )
    code, output = run("subscribers", "list", site, "--list", store, "--json")
    assert code == 0
    assert json.loads(output) == [
        {
            "address": "Maryam@example.org",
            "language": "fa",
            "subscribed": "2010-01-01",
            "confirmed": True,
        },
        {
            "address": "john@example.org",
            "language": "bilingual",
            "subscribed": dt.date.today().isoformat(),
            "confirmed": False,
        },
    ]
    code, output = run("subscribers", "add", "maryam@example.org", site, "--list", store)
    assert code == 1 and "maryam@example.org is already on the list" in output.lower()
    assert run("subscribers", "remove", "MARYAM@example.org", site, "--list", store)[0] == 0
    code, output = run("subscribers", "list", site, "--list", store)
    assert "1 subscriber, 0 confirmed" in output and "Maryam" not in output
    code, output = run("subscribers", "remove", "nobody@example.org", site, "--list", store)
    assert code == 1 and "nobody@example.org is not on the list" in output
    assert stat.S_IMODE(Path(store).stat().st_mode) == 0o600  # it holds people's addresses


def test_the_sqlite_list_is_a_plain_table(example_site: Path) -> None:
    store = example_site / "readers.db"
    run(
        "subscribers",
        "add",
        "maryam@example.org",
        str(example_site),
        "--list",
        str(store),
        "--lang",
        "both",
    )
    rows = sqlite3.connect(store).execute("SELECT * FROM subscribers").fetchall()
    assert rows == [("maryam@example.org", "both", dt.date.today().isoformat(), 1)]


def test_bad_addresses_and_languages_are_refused(example_site: Path) -> None:
    site = str(example_site)
    code, output = run("subscribers", "add", "maryam@example", site)
    assert code == 1 and "'maryam@example' is not an e-mail address" in output
    code, output = run("subscribers", "add", "maryam@example.org", site, "--lang", "farsi")
    assert code == 1 and "unknown language 'farsi': use en, fa, both, bilingual" in output
    assert not (example_site / "subscribers.csv").exists()


def test_import_another_services_export(example_site: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Email Address,First Name,Language,OPTIN_TIME\n"
        "maryam@example.org,Maryam,fa,2010-01-05 10:22:01\n"
        "john@example.org,John,en,2010-01-06 08:00:00\n"
        "MARYAM@example.org,Maryam,fa,2010-01-07 08:00:00\n",
        encoding="utf-8-sig",
    )
    site = str(example_site)
    run("subscribers", "add", "john@example.org", site)
    code, output = run("subscribers", "import", str(export), site, "--confirmed")
    assert code == 0, output
    assert "Imported 1 subscriber (1 already on the list)" in output
    assert "MARYAM@example.org is also on line 2" in output
    listed = json.loads(run("subscribers", "list", site, "--json")[1])
    assert listed[1] == {
        "address": "maryam@example.org",
        "language": "fa",
        "subscribed": "2010-01-05",
        "confirmed": True,
    }


def test_a_bad_row_stops_the_import_with_nothing_added(example_site: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "email,language\nmaryam@example.org,fa\nnot an address,en\njohn@example.org,de\n",
        encoding="utf-8",
    )
    code, output = run("subscribers", "import", str(export), str(example_site))
    assert code == 1
    assert f"{export}:3: 'not an address' is not an e-mail address" in output
    assert f"{export}:4: unknown language 'de'" in output
    assert not (example_site / "subscribers.csv").exists()


def test_import_one_address_a_line(example_site: Path, tmp_path: Path) -> None:
    export = tmp_path / "readers.txt"
    export.write_text("maryam@example.org\njohn@example.org\n", encoding="utf-8")
    code, output = run("subscribers", "import", str(export), str(example_site), "--lang", "fa")
    assert code == 0 and "Imported 2 subscribers" in output
    listed = json.loads(run("subscribers", "list", str(example_site), "--json")[1])
    assert [(r["address"], r["language"], r["confirmed"]) for r in listed] == [
        ("maryam@example.org", "fa", False),
        ("john@example.org", "fa", False),
    ]


# ----- the form on the site


def configure(site: Path, text: str) -> Path:
    with (site / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write("\n[newsletter]\n" + text)
    return build(site, pdf=False).out_dir


def page(out: Path, path: str = POST) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring((out / path).read_bytes())


def test_the_form_posts_to_the_configured_endpoint(example_site: Path) -> None:
    out = configure(example_site, 'subscribe_endpoint = "https://lists.example.org/subscribe"\n')
    persian = page(out)
    form = persian.xpath("//footer[@class='site-footer']//form")[0]
    assert (form.get("action"), form.get("method")) == (
        "https://lists.example.org/subscribe",
        "post",
    )
    email = form.xpath(".//input[@name='email']")[0]
    assert (email.get("type"), email.get("dir")) == ("email", "ltr")
    assert email.get("required") is not None
    options = form.xpath(".//select[@name='language']/option")
    assert [(o.get("value"), o.get("selected") is not None) for o in options] == [
        ("en", False),
        ("fa", True),
        ("both", False),
        ("bilingual", False),
    ]
    assert persian.xpath("//footer[@class='site-footer']//h2")[0].text_content() == "اشتراک ایمیلی"
    english = page(out, "en/posts/2010-01-20-the-only-way-forward/index.html")
    assert (
        english.xpath("//footer[@class='site-footer']//h2")[0].text_content()
        == "Subscribe by e-mail"
    )


def test_without_an_endpoint_the_form_is_a_mailto_link(example_site: Path) -> None:
    out = configure(example_site, 'sender = "Green Embassy <news@example.org>"\n')
    footer = page(out).xpath("//footer[@class='site-footer']")[0]
    assert footer.xpath(".//form") == []
    link = footer.xpath(".//a[starts-with(@href, 'mailto:')]")[0]
    assert link.get("href") == "mailto:news@example.org?subject=subscribe%20fa"
    assert link.text_content() == "news@example.org" and link.get("dir") == "ltr"


def test_a_site_without_a_newsletter_shows_no_form(built_example: object) -> None:
    footer = page(built_example.out_dir).xpath("//footer[@class='site-footer']")[0]  # type: ignore[attr-defined]
    assert footer.xpath(".//form | .//*[contains(@class, 'subscribe')]") == []
