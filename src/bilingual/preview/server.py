"""Turn a site folder into a live preview: build, serve the output, rebuild and reload on change."""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import watchfiles
from markupsafe import escape

from bilingual.errors import BilingualError, ErrorList
from bilingual.loopback import HOST, LoopbackHandler, LoopbackServer
from bilingual.publish.build import build
from bilingual.site.config import load_config
from bilingual.site.layout import SOURCE_NAMES, SiteLayout

PREFIX = "/__bilingual__/"
EVENTS_PATH = PREFIX + "events"
CLIENT_PATH = PREFIX + "reload.js"
EMAIL_PREVIEW = PREFIX + "email/"
CLIENT_SCRIPT = Path(__file__).resolve().parent / "static" / "reload.js"
KEEPALIVE_SECONDS = 15.0
BUSY_WAIT_SECONDS = 300.0
TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".xml": "application/xml",
    ".json": "application/json",
    ".txt": "text/plain",
}
OTHER_TYPES = {".woff2": "font/woff2", ".pdf": "application/pdf", ".png": "image/png"}

BuildListener = Callable[[str | None, float], None]
WaitListener = Callable[[int | None], None]
"""Called with the process id of another build of the site that a rebuild waits for."""


class BuildState:
    """The latest build's outcome; handlers wait on it for the next one."""

    def __init__(self) -> None:
        self.version = 0
        self.generation = 0
        self.error: str | None = None
        self.closed = False
        self.changed = threading.Condition()

    def publish(self, error: str | None) -> None:
        with self.changed:
            self.version += error is None
            self.error = error
            self.generation += 1
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait(self, generation: int, timeout: float) -> int:
        """Block until a build newer than ``generation`` finished, or the timeout; the newest."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation or self.closed, timeout)
            return self.generation

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            return {"version": self.version, "error": self.error}


def describe(error: BaseException, root: Path) -> str:
    """Errors as 'file:line: message', paths relative to the site, for the page overlay."""
    if not isinstance(error, BilingualError):
        return f"{type(error).__name__}: {error}"
    items = error.errors if isinstance(error, ErrorList) else [error]
    return "\n".join(_describe_one(item, root) for item in items)


def _describe_one(error: BilingualError, root: Path) -> str:
    location = ""
    if error.path is not None and (path := error.path.resolve()) != root:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        location = f"{shown}:{error.line}: " if error.line else f"{shown}: "
    hint = f"\n  hint: {error.hint}" if error.hint else ""
    return f"{location}{error.message}{hint}"


class SourceFilter(watchfiles.DefaultFilter):
    """Changes to content/, templates/, locales/ and bilingual.toml; never the output."""

    def __init__(self, root: Path, out_dir: Path) -> None:
        super().__init__(ignore_paths=[str(out_dir)])
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        candidate = Path(path)
        if not candidate.is_relative_to(self.root):
            return False
        parts = candidate.relative_to(self.root).parts
        return bool(parts) and parts[0] in SOURCE_NAMES and super().__call__(change, path)


class PreviewServer(LoopbackServer):
    """Serve one site's output on 127.0.0.1, rebuilding it whenever its sources change."""

    def __init__(
        self,
        site_root: Path | str,
        out_dir: Path | str | None = None,
        port: int = 8000,
        pdf: bool = False,
        on_build: BuildListener | None = None,
        on_wait: WaitListener | None = None,
    ) -> None:
        self.root = Path(site_root).resolve()
        layout = SiteLayout(self.root)
        if not layout.config.is_file():
            load_config(self.root)  # raises the usual "no bilingual.toml here" error
        super().__init__((HOST, port), PreviewHandler)
        self.out_dir = Path(out_dir).resolve() if out_dir is not None else layout.output
        self.pdf = pdf
        self.on_build = on_build
        self.on_wait = on_wait
        # A manual `bilingual build` of the same site holds its lock: wait that long for it.
        self.busy_wait = BUSY_WAIT_SECONDS
        self.state = BuildState()
        self.stopping = threading.Event()
        self.client_script = CLIENT_SCRIPT.read_bytes()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def rebuild(self) -> None:
        """Build once; a failure is shown in the pages instead of stopping the server."""
        started = time.perf_counter()
        try:
            build(self.root, self.out_dir, pdf=self.pdf, wait=self.busy_wait, waiting=self.on_wait)
            error = None
        except Exception as failure:  # any failure goes to the overlay
            error = describe(failure, self.root)
        self.state.publish(error)
        if self.on_build is not None:
            self.on_build(error, time.perf_counter() - started)

    def watch(self) -> None:
        """Rebuild after each batch of source changes until ``close``."""
        sources = SourceFilter(self.root, self.out_dir)
        for _changes in watchfiles.watch(
            self.root,
            watch_filter=sources,
            debounce=150,
            step=50,
            stop_event=self.stopping,
            raise_interrupt=False,
        ):
            self.rebuild()

    def start(self) -> None:
        """Build, then watch and serve in background threads."""
        self.rebuild()
        threading.Thread(target=self.watch, name="bilingual-watch", daemon=True).start()
        threading.Thread(target=self.serve_forever, name="bilingual-serve", daemon=True).start()

    def close(self) -> None:
        self.stopping.set()
        self.state.close()
        self.shutdown()
        self.server_close()

    def resolve(self, url_path: str) -> Path | None:
        """The output file for ``url_path``, or None for anything outside the output folder."""
        return resolve_inside(self.out_dir, url_path)


def resolve_inside(root: Path, url_path: str) -> Path | None:
    """Map a URL path onto ``root``, refusing '..', dot files and links that lead out of it."""
    parts = [part for part in unquote(url_path).split("/") if part]
    if any(part.startswith(".") or "\\" in part or "\x00" in part for part in parts):
        return None
    try:
        real_root = root.resolve()
        candidate = real_root.joinpath(*parts).resolve()
        if not candidate.is_relative_to(real_root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None
    except OSError:  # a name too long for the file system, a loop of links...
        return None


def inject_client(page: bytes, version: int) -> bytes:
    """Add the live-reload script to a served page (the file on disk stays as it is)."""
    tag = f'<script src="{CLIENT_PATH}" data-version="{version}"></script>\n'.encode()
    position = page.rfind(b"</body>")
    return page[:position] + tag + page[position:] if position >= 0 else page + tag


class PreviewHandler(LoopbackHandler):
    server: PreviewServer
    server_version = "bilingual-serve"

    def do_HEAD(self) -> None:
        self._get(send_body=False)

    def do_GET(self) -> None:
        self._get(send_body=True)

    def _get(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and send_body:
            self._events()
        elif path == EVENTS_PATH:
            self._send(HTTPStatus.OK, ".txt", b"", send_body=False)
        elif path == CLIENT_PATH:
            self._send(HTTPStatus.OK, ".js", self.server.client_script, send_body)
        elif path.startswith(EMAIL_PREVIEW):
            self._email_preview(path, send_body)
        elif (target := self.server.resolve(path)) is None:
            self._not_found(path, send_body)
        elif target.name == "index.html" and not path.endswith(("/", ".html")):
            self._redirect(path + "/")
        elif (body := _read(target)) is None:
            self._not_found(path, send_body)
        else:
            if target.suffix == ".html":
                body = inject_client(body, self.server.state.snapshot()["version"])
            self._send(HTTPStatus.OK, target.suffix, body, send_body)

    def _email_preview(self, path: str, send_body: bool) -> None:
        """A post's e-mail edition beside its web page, rendered from the sources as they are."""
        from bilingual.mail.preview import preview  # the e-mail renderer, on demand

        status, page = preview(self.server.root, path)
        self._send(
            status, ".html", inject_client(page, self.server.state.snapshot()["version"]), send_body
        )

    def _not_found(self, path: str, send_body: bool) -> None:
        """An HTML 404 that reloads itself, so a page missing after a failed build comes back."""
        page = (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
            f"<body><p>Not found: {escape(path)}</p></body></html>"
        ).encode()
        self._send(
            HTTPStatus.NOT_FOUND,
            ".html",
            inject_client(page, self.server.state.snapshot()["version"]),
            send_body,
        )

    def _events(self) -> None:
        """Server-Sent Events: the build state now, then after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        generation = -1
        try:
            while not state.closed:
                newest = state.wait(generation, KEEPALIVE_SECONDS)
                if newest == generation:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    generation = newest
                    data = json.dumps(state.snapshot(), ensure_ascii=False)
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            pass

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, suffix: str, body: bytes, send_body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(suffix))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None if a rebuild swapped it away since it was found."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def content_type(suffix: str) -> str:
    if suffix in TEXT_TYPES:
        return f"{TEXT_TYPES[suffix]}; charset=utf-8"
    guessed = mimetypes.guess_type(f"file{suffix}")[0]
    return OTHER_TYPES.get(suffix) or guessed or "application/octet-stream"
