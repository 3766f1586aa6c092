"""Shared fixtures: sample sites copied to a temporary folder, built sites, a browser."""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests replay the same examples every run: a rare counterexample found
# locally is fixed and kept as an explicit example, not left to make a run fail by chance.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Builds keep compiled templates in the user's cache folder: the suite uses one of its own.
_USER_CACHE = tempfile.mkdtemp(prefix="bilingual-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, ignore_errors=True)

from bilingual import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "seed-blog"
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def copy_site(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("_site", ".bilingual-cache"))
    return destination


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A private copy of the example blog, safe to edit."""
    return copy_site(EXAMPLE, tmp_path / "seed-blog")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example blog built once (HTML only) for read-only tests."""
    site = copy_site(EXAMPLE, tmp_path_factory.mktemp("built") / "seed-blog")
    return build(site, pdf=False)


@pytest.fixture(scope="session")
def built_example_with_pdf(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example blog built once with its PDF editions."""
    site = copy_site(EXAMPLE, tmp_path_factory.mktemp("built-pdf") / "seed-blog")
    return build(site, pdf=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def example_server(built_example: BuildResult) -> Iterator[str]:
    """Base URL of the built example served on localhost."""
    server, url = serve(built_example.out_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    from playwright import sync_api as playwright_api

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh --test")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
