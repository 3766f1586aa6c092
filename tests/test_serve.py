"""The live preview: serving the output only, rebuilding on change, reloading pages, error overlay."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from bilingual.cli import cli
from bilingual.preview.server import PreviewServer, SourceFilter, resolve_inside
from bilingual.publish.cache import BuildCache
from bilingual.publish.lock import BuildLock

SLUG = "2010-01-20-the-only-way-forward"
PERSIAN_PATH = f"fa/posts/{SLUG}/"
WAIT_MS = 15_000


def persian_file(site: Path) -> Path:
    return site / "content" / "posts" / SLUG / "fa.md"


def wait_for_build(server: PreviewServer, seen: int) -> int:
    """The generation after ``seen`` (fails the test if no build finishes in time)."""
    newest = server.state.wait(seen, WAIT_MS / 1000)
    assert newest != seen, "no rebuild happened"
    return newest


def get(url: str, path: str) -> tuple[int, bytes]:
    """A raw GET: the path goes out exactly as written, '..' included."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def preview(example_site: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(example_site, port=0)
    server.start()
    yield server
    server.close()


def test_serves_the_output_with_the_reload_script_injected(preview: PreviewServer) -> None:
    status, body = get(preview.url, "/" + PERSIAN_PATH)
    assert status == 200
    assert b'<script src="/__bilingual__/reload.js"' in body
    assert "تنها راه پیش رو".encode() in body
    on_disk = (preview.out_dir / PERSIAN_PATH / "index.html").read_bytes()
    assert b"__bilingual__" not in on_disk
    assert preview.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/../bilingual.toml",
        "/%2e%2e/bilingual.toml",
        "/fa/%2e%2e/%2e%2e/bilingual.toml",
        "/..%2fbilingual.toml",
        "/%2e%2e%2fbilingual.toml",
        "/static/..%5c..%5cbilingual.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/.staging-x/index.html",
    ],
)
def test_paths_outside_the_output_folder_get_404(preview: PreviewServer, path: str) -> None:
    status, body = get(preview.url, path)
    assert status == 404
    assert b"[site]" not in body and b"root:" not in body


def test_links_leading_out_of_the_output_folder_get_404(preview: PreviewServer) -> None:
    (preview.out_dir / "config.txt").symlink_to(preview.root / "bilingual.toml")
    (preview.out_dir / "content").symlink_to(preview.root / "content", target_is_directory=True)
    assert get(preview.url, "/config.txt")[0] == 404
    assert get(preview.url, f"/content/posts/{SLUG}/fa.md")[0] == 404
    assert resolve_inside(preview.out_dir, "/config.txt") is None


def test_folders_redirect_to_their_slash_form(preview: PreviewServer) -> None:
    with urlopen(preview.url + "fa") as response:
        assert response.url.endswith("/fa/") and response.status == 200


def test_a_source_change_rebuilds_and_an_output_change_does_not(example_site: Path) -> None:
    watched = SourceFilter(example_site.resolve(), (example_site / "_site").resolve())
    root = example_site.resolve()
    assert watched(1, str(root / "content" / "posts" / SLUG / "fa.md"))
    assert watched(2, str(root / "templates" / "post.html"))
    assert watched(2, str(root / "locales" / "fa" / "LC_MESSAGES" / "messages.po"))
    assert watched(2, str(root / "bilingual.toml"))
    assert not watched(2, str(root / "_site" / "fa" / "index.html"))
    assert not watched(2, str(root / "README.md"))
    assert not watched(2, str(root / "content" / "posts" / SLUG / ".fa.md.swp"))


def test_a_content_error_keeps_the_server_running(preview: PreviewServer) -> None:
    seen = preview.state.generation
    persian_file(preview.root).write_text("---\ntitle: x\ndate: 2010-02-30\n---\nBody\n", "utf-8")
    seen = wait_for_build(preview, seen)
    error = preview.state.snapshot()["error"]
    assert f"content/posts/{SLUG}/fa.md:3: " in error and "2010-02-30" in error
    assert get(preview.url, "/" + PERSIAN_PATH)[0] == 200
    persian_file(preview.root).write_text("---\ntitle: درست شد\n---\nBody\n", "utf-8")
    wait_for_build(preview, seen)
    assert preview.state.snapshot()["error"] is None
    assert "درست شد".encode() in get(preview.url, "/" + PERSIAN_PATH)[1]


def test_a_site_broken_from_the_start_is_served_once_fixed(example_site: Path) -> None:
    original = persian_file(example_site).read_text("utf-8")
    persian_file(example_site).write_text("---\ntitle: [broken\n---\n", "utf-8")
    server = PreviewServer(example_site, port=0)
    server.start()
    try:
        assert "fa.md" in server.state.snapshot()["error"]
        status, body = get(server.url, "/" + PERSIAN_PATH)
        assert status == 404 and b"/__bilingual__/reload.js" in body
        seen = server.state.generation
        persian_file(example_site).write_text(original, "utf-8")
        wait_for_build(server, seen)
        assert get(server.url, "/" + PERSIAN_PATH)[0] == 200
    finally:
        server.close()


def build_lock(server: PreviewServer) -> BuildLock:
    """The lock a manual `bilingual build` of the same site would hold."""
    return BuildLock(BuildCache(server.root, server.out_dir).folder)


def test_a_rebuild_waits_for_a_manual_build_then_runs(example_site: Path) -> None:
    waited: list[int | None] = []
    server = PreviewServer(example_site, port=0, on_wait=waited.append)
    server.start()
    try:
        seen = server.state.generation
        with build_lock(server):
            source = persian_file(server.root)
            source.write_text(
                source.read_text("utf-8").replace("تنها راه پیش رو", "راه دیگر"), "utf-8"
            )
            assert server.state.wait(seen, 3) == seen, "built while another build held the lock"
        wait_for_build(server, seen)
        assert waited and server.state.snapshot()["error"] is None
        assert "راه دیگر".encode() in get(server.url, "/" + PERSIAN_PATH)[1]
    finally:
        server.close()


def test_a_rebuild_that_gives_up_waiting_reports_the_other_build(preview: PreviewServer) -> None:
    preview.busy_wait = 0.5
    seen = preview.state.generation
    with build_lock(preview):
        source = persian_file(preview.root)
        source.write_text(source.read_text("utf-8") + "\nیک بند تازه.\n", "utf-8")
        wait_for_build(preview, seen)
    error = preview.state.snapshot()["error"]
    assert error.startswith("another build of this site is running (process ")
    assert get(preview.url, "/" + PERSIAN_PATH)[0] == 200


def test_serve_explains_a_port_in_use(example_site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(example_site), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


@pytest.mark.browser
def test_page_reloads_when_the_persian_title_changes(preview: PreviewServer, page) -> None:
    page.goto(preview.url + PERSIAN_PATH)
    title = page.locator("h1.entry-title")
    expect(title).to_have_text("تنها راه پیش رو")
    page.wait_for_function("document.readyState === 'complete'")
    source = persian_file(preview.root)
    text = source.read_text("utf-8")
    source.write_text(text.replace("تنها راه پیش رو", "راه تازه‌ای پیش رو"), "utf-8")
    expect(title).to_have_text("راه تازه‌ای پیش رو", timeout=WAIT_MS)


@pytest.mark.browser
def test_overlay_shows_a_build_error_until_it_is_fixed(
    preview: PreviewServer, page, tmp_path: Path
) -> None:
    page.goto(preview.url + PERSIAN_PATH)
    source = persian_file(preview.root)
    good = source.read_text("utf-8")
    source.write_text(good.replace("title:", "tags: ['<b>bold</b>']\ntitle:", 1), "utf-8")
    overlay = page.locator("#bilingual-build-error")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text(f"content/posts/{SLUG}/fa.md:2: unknown tag '<b>bold</b>'")
    assert overlay.locator("b").count() == 0
    page.screenshot(path=str(tmp_path / "overlay.png"))
    source.write_text(good.replace("تنها راه پیش رو", "دوباره درست"), "utf-8")
    expect(overlay).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("h1.entry-title")).to_have_text("دوباره درست")


def test_serve_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1
    assert "no bilingual.toml here" in result.output


def test_head_requests_get_headers_only(preview: PreviewServer) -> None:
    host, port = preview.url.removeprefix("http://").rstrip("/").split(":")
    for path in ("/" + PERSIAN_PATH, "/__bilingual__/events"):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("HEAD", path)
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b""
        connection.close()
