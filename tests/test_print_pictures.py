"""Imported pictures in the PDF editions: resized images keep their size, galleries are grids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from bilingual import build
from bilingual.importers.wordpress import import_wordpress

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPORT = FIXTURES / "wordpress-pictures.xml"  # WordPress.com: ?w= sizes, width=, a gallery
CONFIG = """[site]
base_url = "https://example.org/"
languages = ["en", "fa"]
default_language = "en"

[site.title]
en = "Democratic Republic of Iran"
fa = "جمهوری دموکراتیک ایران"
"""
# Each uploaded file has its own colour, so that its picture can be told apart in the PDF;
# bern.jpg is a thumbnail narrower than a gallery column.
UPLOADS = {
    "oslo": ((800, 600), (200, 40, 40)),
    "brussels": ((1200, 900), (40, 160, 60)),
    "bern": ((120, 90), (40, 60, 200)),
    "helsinki": ((480, 640), (220, 180, 30)),
    "tokyo": ((900, 600), (150, 40, 160)),
    "tehran": ((2400, 1600), (30, 150, 160)),
}
CSS_PX = 0.75  # points per CSS pixel
GALLERY = ["oslo", "brussels", "bern", "helsinki", "tokyo"]


@dataclass(frozen=True)
class Picture:
    """Where an image is painted: its page and its box in PDF points (y grows upwards)."""

    name: str
    page: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left


def pictures(pdf: Path) -> list[Picture]:
    """Every image the PDF paints, named by its colour, in painting order."""
    by_colour = {colour: name for name, (_, colour) in UPLOADS.items()}
    found = []
    document = pdfium.PdfDocument(pdf)
    for number, page in enumerate(document):
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
            bitmap = image.get_bitmap().to_pil().convert("RGB")
            pixel = bitmap.getpixel((bitmap.width // 2, bitmap.height // 2))
            assert isinstance(pixel, tuple)
            name = next(
                name
                for colour, name in by_colour.items()
                if all(abs(a - b) <= 6 for a, b in zip(colour, pixel, strict=True))
            )
            found.append(Picture(name, number, *image.get_bounds()))
    document.close()
    return found


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Picture]]:
    """The export imported with a copy of its uploads, built, and the pictures of each PDF."""
    root = tmp_path_factory.mktemp("pictures")
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "bilingual.toml").write_text(CONFIG, "utf-8")
    uploads = root / "uploads" / "2010" / "02"
    uploads.mkdir(parents=True)
    for name, (size, colour) in UPLOADS.items():
        Image.new("RGB", size, colour).save(uploads / f"{name}.jpg", quality=95)
    import_wordpress(EXPORT, site, media=root / "uploads")
    out = build(site).out_dir
    return {lang: pictures(next((out / lang / "posts").rglob("*.pdf"))) for lang in ("en", "fa")}


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_resized_image_prints_at_its_width_from_the_start_of_the_column(
    editions: dict[str, list[Picture]], lang: str
) -> None:
    found = editions[lang]
    column = next(p for p in found if p.name == "tehran")  # a large picture fills the column
    asked, given = found[0], found[1]  # the first two pictures, before the gallery
    assert (asked.name, given.name) == ("oslo", "brussels")
    # ?w=240 in the address of a file 800 pixels wide; width="160" on a file 1,200 wide
    assert asked.width == pytest.approx(240 * CSS_PX, abs=0.5)
    assert given.width == pytest.approx(160 * CSS_PX, abs=0.5)
    for picture in (asked, given):
        if lang == "en":
            assert picture.left == pytest.approx(column.left, abs=0.5)
        else:
            assert picture.right == pytest.approx(column.right, abs=0.5)
        height = picture.top - picture.bottom
        (width, tall), _ = UPLOADS[picture.name]
        assert height == pytest.approx(picture.width * tall / width, abs=0.5)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_picture_wider_than_the_column_is_capped_to_it(
    editions: dict[str, list[Picture]], lang: str
) -> None:
    column = next(p for p in editions[lang] if p.name == "tehran")
    # A5 with 16 mm side margins: a column of 116 mm; width="1024" on a file 2,400 wide
    assert column.width == pytest.approx(116 / 25.4 * 72, abs=0.5)
    assert column.top - column.bottom == pytest.approx(column.width * 1600 / 2400, abs=0.5)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_gallery_prints_three_to_a_row_in_the_posts_direction(
    editions: dict[str, list[Picture]], lang: str
) -> None:
    found = editions[lang]
    column = next(p for p in found if p.name == "tehran")
    gallery = found[-5:]
    assert [p.name for p in gallery] == GALLERY
    first_row, second_row = gallery[:3], gallery[3:]
    for row in (first_row, second_row):
        assert len({(p.page, round(p.top, 1)) for p in row}) == 1  # side by side, tops aligned
    assert (first_row[0].page, first_row[0].top) != (second_row[0].page, second_row[0].top)
    widths = [p.width for p in gallery]
    assert max(widths) - min(widths) < 0.5  # equal columns, whatever the file's size
    assert column.width / 3.3 < widths[0] < column.width / 3
    reading = sorted(first_row, key=lambda p: p.left, reverse=lang == "fa")
    assert reading == first_row  # the first picture where a line of the post starts
    if lang == "en":
        assert first_row[0].left == pytest.approx(column.left, abs=0.5)
        assert first_row[2].right == pytest.approx(column.right, abs=0.5)
        assert second_row[0].left == pytest.approx(column.left, abs=0.5)
    else:
        assert first_row[0].right == pytest.approx(column.right, abs=0.5)
        assert first_row[2].left == pytest.approx(column.left, abs=0.5)
        assert second_row[0].right == pytest.approx(column.right, abs=0.5)
    assert [p.left for p in second_row] == [p.left for p in first_row[:2]]
