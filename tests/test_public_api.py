"""The public API at the package root, and the README's example of it, run as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import bilingual

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE_SITE = ROOT / "examples" / "seed-blog"


def readme_example() -> str:
    """The first Python block of the README's "Python API" section."""
    section = README.read_text("utf-8").split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the Python API section has no example"
    return found.group(1)


def test_the_readme_example_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(EXAMPLE_SITE, tmp_path / "blog")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), str(README), "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out.splitlines()

    site = bilingual.load_site(tmp_path / "blog")
    pages = sum(len(post.languages) for post in site.posts)  # one per language it is written in
    assert printed[0] == f"{pages} post pages in blog/_site"
    assert (tmp_path / "blog" / "_site" / "fa" / "index.html").is_file()
    assert not list((tmp_path / "blog" / "_site").rglob("*.pdf"))  # pdf=False

    booklet = PdfReader(tmp_path / "iran-news.pdf")
    tagged = [
        post
        for post in site.posts
        if "iran-news" in {tag.key for tag in post.tags} and post.has("fa")
    ]
    shown = re.fullmatch(r"(\d+) pages, (\d+) posts -> iran-news.pdf", printed[1])
    assert shown is not None and int(shown[2]) == len(tagged) > 0
    assert len(booklet.pages) == -(-int(shown[1]) // 4) * 2  # four A5 pages to a sheet
    assert "اخبار ایران" in "".join(page.extract_text() for page in booklet.pages)

    assert printed[2] == "0 errors"  # the bundled catalogs are clean
    assert printed[3].startswith("not-a-site/bilingual.toml: no bilingual.toml here")


def test_every_public_name_is_importable_from_the_root() -> None:
    for name in bilingual.__all__:
        assert getattr(bilingual, name) is not None, name
    assert set(dir(bilingual)) == set(bilingual.__all__)
    with pytest.raises(AttributeError, match="no attribute 'publish_everything'"):
        bilingual.publish_everything  # noqa: B018


def test_the_root_names_the_library_functions_themselves() -> None:
    from bilingual.i18n.catalogs import extract, update
    from bilingual.i18n.check import check
    from bilingual.publish.pdf.pamphlet import make_pamphlet

    assert bilingual.make_pamphlet is make_pamphlet
    assert bilingual.check_catalogs is check
    assert bilingual.extract_strings is extract and bilingual.update_catalogs is update
    assert issubclass(bilingual.ErrorList, bilingual.BilingualError)


def test_importing_the_package_loads_no_feature() -> None:
    """`import bilingual` (and so every submodule's import) stays cheap: features load on use."""
    script = (
        "import sys, bilingual\nprint(sorted(m for m in sys.modules if m.startswith('bilingual.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['bilingual.errors']"
