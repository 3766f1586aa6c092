"""A post's social card is drawn from the site's title, the post's title and the site's host."""

from __future__ import annotations

import pytest

from bilingual import BuildResult, build
from bilingual.publish.cards import render_card
from bilingual.publish.views import Text
from bilingual.text.languages import language
from conftest import SITES, copy_site


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_site(SITES / "minimal", tmp_path_factory.mktemp("cards") / "site"), pdf=False)


@pytest.mark.parametrize(
    ("lang", "site_title", "title"),
    [
        ("fa", "کمینه", "سلام"),
        ("en", "Minimal", "Hello"),
    ],
)
def test_the_card_shows_the_site_the_title_and_the_host(
    minimal: BuildResult, lang: str, site_title: str, title: str
) -> None:
    [card] = [
        output
        for output in minimal.outputs
        if output.renderer == "card" and output.lang == lang and "hello" in output.path
    ]
    drawn = (minimal.out_dir / card.path).read_bytes()
    expected = render_card(
        Text(site_title, language(lang)),
        Text(title, language(lang)),
        "minimal.example",
        language(lang),
    )
    assert drawn == expected
