"""Hostile content cannot run script, fetch from elsewhere or reorder text outside its element."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree, html

from bilingual import BilingualError, BuildResult, build, load_site
from bilingual.cli import cli
from bilingual.errors import ContentError, ErrorList
from bilingual.text.bidi import balance_controls
from bilingual.text.markdown import render_markdown
from conftest import SITES, copy_site, serve

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(copy_site(SITES / "hostile", tmp_path_factory.mktemp("h") / "site"), pdf=False)


def test_raw_html_is_escaped_unless_allowed() -> None:
    source = "Hi <script>alert(1)</script> <em>there</em>"
    assert "&lt;script&gt;" in render_markdown(source, "ltr")
    assert "<em>" not in render_markdown(source, "ltr")


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<div onclick="alert(1)">x</div>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_allowed_html_goes_through_the_sanitizer(dangerous: str) -> None:
    rendered = render_markdown(f"Text {dangerous} <em>kept</em>", "ltr", allow_html=True)
    assert "<em>kept</em>" in rendered
    lowered = rendered.lower()
    for marker in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "<style",
        "<iframe",
        "<svg",
    ):
        assert marker not in lowered, rendered


def test_every_field_is_escaped_in_html_feed_and_manifest(hostile: BuildResult) -> None:
    out = hostile.out_dir
    for path in out.rglob("*.html"):
        root = html.fromstring(path.read_bytes())
        found = root.xpath("//script | //iframe | //style | //svg | //object | //form")
        assert not [element for element in found if not from_theme(element)], path
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), path
        assert not [h for h in root.xpath("//@href") if h.lower().startswith("javascript:")], path
    feed = etree.parse(str(out / "en/feed.xml")).getroot()
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title.text.startswith("</title><script>")
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))


THEME_FORMS = frozenset({"site-search", "search-form", "subscribe-form"})
THEME_SCRIPTS = frozenset({"search.js", "share.js"})


def from_theme(element: html.HtmlElement) -> bool:
    """The theme's own search and subscribe forms and its scripts, which content cannot add."""
    if element.tag == "form":
        return element.get("class") in THEME_FORMS and "evil" not in element.get("action", "")
    source = element.get("src") or ""
    return (
        element.tag == "script"
        and not (element.text or "").strip()
        and "/static/" in source
        and source.rsplit("/", 1)[-1] in THEME_SCRIPTS
    )


def bidi_depth_is_balanced(text: str) -> bool:
    return balance_controls(text) == text


def test_unbalanced_override_is_closed_inside_its_element(hostile: BuildResult) -> None:
    root = html.fromstring((hostile.out_dir / "en/posts/attack/index.html").read_bytes())
    title = root.xpath("string(//h1)")
    assert "\u202e" in title and bidi_depth_is_balanced(title)
    assert title.index("\u202c") > title.index("\u202e")
    for element in root.iter("p", "h1", "title", "li", "span"):
        assert bidi_depth_is_balanced(element.text_content()), element.text_content()
    fa = html.fromstring((hostile.out_dir / "fa/posts/attack/index.html").read_bytes())
    assert bidi_depth_is_balanced(fa.xpath("string(//h1)"))


@pytest.mark.browser
def test_no_script_runs_and_nothing_leaves_localhost(hostile: BuildResult, page: Any) -> None:
    server, base = serve(hostile.out_dir)
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        page.route("**/*", guard)
        for path in sorted(hostile.out_dir.rglob("*.html")):
            page.goto(base + path.relative_to(hostile.out_dir).as_posix())
            page.wait_for_load_state("networkidle")
            for selector in ("a", "div", "img", "b"):
                for element in page.query_selector_all(selector)[:20]:
                    element.dispatch_event("mouseover")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    finally:
        server.shutdown()
    assert outside == []


def test_pdf_metadata_and_text_carry_fields_as_plain_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = build(copy_site(SITES / "hostile", tmp_path / "site"), pdf=True)
    reader = PdfReader(result.out_dir / "en/posts/attack/attack.en.pdf")
    assert (
        reader.metadata.title
        == "</title><script>window.__pwned = 'title'</script> \u202eReversed\u202c"
    )
    assert reader.metadata.author == "<img src=x onerror=\"window.__pwned='author'\">"
    text = reader.pages[0].extract_text()
    assert "<script>window.__pwned = 'config title'</script>Evil & Co" in text


# ----- what a PDF may read


PHOTO = Path(__file__).resolve().parent.parent / "docs" / "card-en.png"
REFERENCE_LINE = 9


def post_with_image(root: Path, reference: str) -> Path:
    """The minimal site whose English-only post shows ``reference`` as an image on line 9."""
    if not root.exists():
        copy_site(SITES / "minimal", root)
    post = root / "content/posts/older/en.md"
    post.write_text(
        "---\ntitle: An older post\ndate: 2023-12-31\ntags: [news]\n---\n\n"
        f"Only in English, with a photograph of the square.\n\n![the square]({reference})\n",
        encoding="utf-8",
    )
    assert (
        post.read_text(encoding="utf-8").splitlines()[REFERENCE_LINE - 1].endswith(f"({reference})")
    )
    return post


def english_pdf(root: Path) -> bytes:
    from bilingual.publish.renderers.pdf import post_pdf
    from bilingual.publish.templating import template_set

    site = load_site(root)
    post = next(post for post in site.posts if post.slug == "older")
    return post_pdf(site, template_set(root), post, site.config.site.language("en"))


def image_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.png"
    secret.parent.mkdir()
    shutil.copyfile(PHOTO, secret)
    return secret


def _link_in_post(tmp_path: Path, folder: Path) -> str:
    (folder / "linked.png").symlink_to(outside_file(tmp_path))
    return "linked.png"


def _fifo_in_post(tmp_path: Path, folder: Path) -> str:
    os.mkfifo(folder / "pipe.png")
    return "pipe.png"


def _sparse_in_post(tmp_path: Path, folder: Path) -> str:
    with open(folder / "huge.png", "wb") as handle:  # 40 MB that take no room on disk
        handle.truncate(40 * 1024 * 1024)
    return "huge.png"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp, folder: "/dev/zero", "it is outside the site"),
        (lambda tmp, folder: str(outside_file(tmp)), "it is outside the site"),
        (lambda tmp, folder: os.path.relpath(outside_file(tmp), folder), "it is outside the site"),
        (_link_in_post, "it is a link to"),
        (_fifo_in_post, "it is a named pipe (FIFO), not a regular file"),
        (_sparse_in_post, "it is too large (40.0 MB; the limit is 32.0 MB)"),
        (
            lambda tmp, folder: "https://images.example/square.png",
            "does not fetch files from the network",
        ),
        (lambda tmp, folder: "ftp://images.example/square.png", "'ftp' addresses are not allowed"),
    ],
    ids=["dev-zero", "absolute", "dot-dot", "link-out", "fifo", "too-large", "remote", "ftp"],
)
def test_pdf_reads_no_file_outside_the_post_and_names_the_line(
    make: Callable[[Path, Path], str], reason: str, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    post = post_with_image(root, "photo.png")
    reference = make(tmp_path, post.parent)
    post = post_with_image(root, reference) if reference != "photo.png" else post
    with pytest.raises(ContentError) as caught:
        english_pdf(root)
    error = caught.value
    assert (error.path, error.line) == (post, REFERENCE_LINE), str(error)
    assert f"the PDF cannot include {reference!r}: " in error.message
    assert reason in error.message


def test_pdf_embeds_an_image_of_the_post_folder_and_goes_on_without_a_missing_one(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    post = post_with_image(root, "photo.png")
    assert image_count(english_pdf(root)) == 0
    shutil.copyfile(PHOTO, post.parent / "photo.png")
    assert image_count(english_pdf(root)) == 1


def test_pdf_fetches_from_the_network_only_when_the_site_allows_it(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copyfile(PHOTO, served / "square.png")
    server, base = serve(served)
    try:
        root = tmp_path / "site"
        post_with_image(root, base + "square.png")
        with pytest.raises(ContentError, match="allow_remote"):
            english_pdf(root)
        config = root / "bilingual.toml"
        config.write_text(
            config.read_text(encoding="utf-8") + "\n[pdf]\nallow_remote = true\n", encoding="utf-8"
        )
        assert image_count(english_pdf(root)) == 1
    finally:
        server.shutdown()


def test_pamphlet_uses_the_same_fetcher(tmp_path: Path) -> None:
    from bilingual.publish.pdf.pamphlet import make_pamphlet

    root = tmp_path / "site"
    post = post_with_image(root, "/dev/zero")
    out = tmp_path / "pamphlet.pdf"
    with pytest.raises(ContentError) as caught:
        make_pamphlet(root, out=out, lang="en", slugs=["older"])
    assert (caught.value.path, caught.value.line) == (post, REFERENCE_LINE)
    assert not out.exists()


def test_cli_refuses_the_pdf_and_keeps_the_previous_site(tmp_path: Path) -> None:
    root = tmp_path / "site"
    post_with_image(root, "photo.png")
    shutil.copyfile(PHOTO, root / "content/posts/older/photo.png")
    before = build(root, pdf=True)
    published = {p: p.read_bytes() for p in before.out_dir.rglob("*") if p.is_file()}
    post = post_with_image(root, "../../../../../../../../dev/zero")
    result = CliRunner().invoke(cli, ["build", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{post}:{REFERENCE_LINE}: the PDF cannot include" in result.output
    assert {p: p.read_bytes() for p in before.out_dir.rglob("*") if p.is_file()} == published


# ----- links out of the site


def _link_post_file(root: Path, outside: Path) -> Path:
    post = root / "content/posts/older/en.md"
    shutil.copyfile(post, outside / "en.md")
    post.unlink()
    post.symlink_to(outside / "en.md")
    return post


def _link_post_folder(root: Path, outside: Path) -> Path:
    folder = root / "content/posts/older"
    shutil.copytree(folder, outside / "older")
    shutil.rmtree(folder)
    folder.symlink_to(outside / "older")
    return folder


def _link_tags(root: Path, outside: Path) -> Path:
    tags = root / "content/tags.yaml"
    shutil.copyfile(tags, outside / "tags.yaml")
    tags.unlink()
    tags.symlink_to(outside / "tags.yaml")
    return tags


def _link_static_file(root: Path, outside: Path) -> Path:
    (outside / "passwords.txt").write_text("hunter2\n", encoding="utf-8")
    static = root / "templates/static/notes.txt"
    static.parent.mkdir(parents=True)
    static.symlink_to(outside / "passwords.txt")
    return static


def _link_static_folder(root: Path, outside: Path) -> Path:
    (outside / "private").mkdir()
    (outside / "private/passwords.txt").write_text("hunter2\n", encoding="utf-8")
    folder = root / "templates/static/docs"
    folder.parent.mkdir(parents=True)
    folder.symlink_to(outside / "private")
    return folder


def _link_post_image(root: Path, outside: Path) -> Path:
    shutil.copyfile(PHOTO, outside / "scan.png")
    image = root / "content/posts/older/scan.png"
    image.symlink_to(outside / "scan.png")
    return image


def _link_catalog(root: Path, outside: Path) -> Path:
    (outside / "messages.po").write_text('msgid "Read more"\nmsgstr "hunter2"\n', encoding="utf-8")
    catalog = root / "locales/fa/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.symlink_to(outside / "messages.po")
    return catalog


@pytest.mark.parametrize(
    "link",
    [
        _link_post_file,
        _link_post_folder,
        _link_tags,
        _link_static_file,
        _link_static_folder,
        _link_post_image,
        _link_catalog,
    ],
    ids=[
        "post-file",
        "post-folder",
        "tags",
        "static-file",
        "static-folder",
        "post-image",
        "catalog",
    ],
)
def test_a_link_out_of_the_site_is_refused_not_published(
    link: Callable[[Path, Path], Path], tmp_path: Path
) -> None:
    root = copy_site(SITES / "minimal", tmp_path / "site")
    outside = tmp_path / "outside"
    outside.mkdir()
    first = build(root, pdf=False)
    published = {p: p.read_bytes() for p in first.out_dir.rglob("*") if p.is_file()}
    linked = link(root, outside)
    with pytest.raises(BilingualError) as caught:
        build(root, pdf=False)
    errors = caught.value.errors if isinstance(caught.value, ErrorList) else [caught.value]
    assert [(e.path, e.message) for e in errors] == [
        (linked, f"is a link to {os.path.realpath(linked)}, outside the site")
    ]
    assert {p: p.read_bytes() for p in first.out_dir.rglob("*") if p.is_file()} == published


def test_a_link_inside_the_site_is_followed(tmp_path: Path) -> None:
    root = copy_site(SITES / "minimal", tmp_path / "site")
    (root / "templates/static").mkdir(parents=True)
    (root / "templates/static/tags.txt").symlink_to("../../content/tags.yaml")
    result = build(root, pdf=False)
    assert (result.out_dir / "static/tags.txt").read_bytes() == (
        root / "content/tags.yaml"
    ).read_bytes()
