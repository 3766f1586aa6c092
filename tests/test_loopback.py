"""Both local servers (`serve`, `translate`) over raw sockets: only local hosts and origins, and
a 4xx for every malformed request, never a traceback or a hung handler."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bilingual.i18n.catalogs import CatalogScope, theme_scope
from bilingual.i18n.editor import EditorServer
from bilingual.i18n.editor.po_edit import entry_id, file_version, parse
from bilingual.loopback import LoopbackHandler, LoopbackServer
from bilingual.preview.server import PreviewServer

CATALOG = """\
msgid ""
msgstr ""
"Language: fa\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#: templates/_macros.html:31
msgid "Read more"
msgstr ""
"""


@dataclass
class Target:
    """A running server and a request it answers with a success, for the checks to vary."""

    server: LoopbackServer
    path: str

    @property
    def port(self) -> int:
        return self.server.port


def exchange(port: int, request: bytes, wait: float = 10.0) -> bytes:
    """Send raw bytes, read the whole answer (the servers close the connection after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as client:
        client.sendall(request)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def get(
    target: Target, path: str | None = None, host: str | None = "127.0.0.1", extra: str = ""
) -> bytes:
    host_line = f"Host: {host}:{target.port}\r\n" if host is not None else ""
    request = f"GET {path or target.path} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n"
    return exchange(target.port, request.encode("latin-1"))


def running(server: EditorServer) -> Iterator[EditorServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def catalog_root(tmp_path: Path) -> Path:
    path = tmp_path / "locales/fa/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(CATALOG, encoding="utf-8")
    return tmp_path


def make_editor(root: Path) -> EditorServer:
    scope = CatalogScope("sample", root / "locales", (), theme_scope().mapping, "sample", "1")
    return EditorServer(scope)


@pytest.fixture
def editor(catalog_root: Path) -> Iterator[EditorServer]:
    yield from running(make_editor(catalog_root))


@pytest.fixture(params=["serve", "translate"])
def target(
    request: pytest.FixtureRequest, example_site: Path, catalog_root: Path
) -> Iterator[Target]:
    if request.param == "serve":
        preview = PreviewServer(example_site, port=0)
        preview.start()
        yield Target(preview, "/fa/")
        preview.close()
    else:
        server = make_editor(catalog_root)
        for started in running(server):
            yield Target(started, server.link("/catalog/fa"))


@pytest.fixture(autouse=True)
def no_traceback(capfd: pytest.CaptureFixture[str]) -> Iterator[None]:
    yield
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_local_names_on_the_right_port_are_served(target: Target, host: str) -> None:
    assert status(get(target, host=host)) == 200


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "127.0.0.1.attacker.example",
        "localhost.",
        "0.0.0.0",
        "[::ffff:127.0.0.1]",
    ],
)
def test_another_host_name_is_refused_so_dns_rebinding_reaches_nothing(
    target: Target, host: str
) -> None:
    answer = get(target, host=host)
    assert status(answer) == 421
    assert b"127.0.0.1, localhost or [::1]" in answer
    assert "تنها راه پیش رو".encode() not in answer and b"Read more" not in answer


def test_a_missing_wrong_port_or_doubled_host_is_refused(target: Target) -> None:
    assert status(get(target, host=None)) == 421
    request = f"GET {target.path} HTTP/1.1\r\nHost: 127.0.0.1:{target.port + 1}\r\n\r\n"
    assert status(exchange(target.port, request.encode())) == 421
    doubled = get(target, extra="Host: attacker.example\r\n")
    assert status(doubled) == 421


def test_an_absolute_address_naming_another_host_is_refused(target: Target) -> None:
    local = exchange(
        target.port,
        (
            f"GET http://localhost:{target.port}{target.path} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{target.port}\r\n\r\n"
        ).encode(),
    )
    assert status(local) == 200
    foreign = exchange(
        target.port,
        (
            f"GET http://attacker.example{target.path} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{target.port}\r\n\r\n"
        ).encode(),
    )
    assert status(foreign) == 421


def test_an_address_over_4_kb_gets_414(target: Target) -> None:
    long_path = target.path + ("&" if "?" in target.path else "?") + "x=" + "a" * 4100
    assert status(get(target, long_path)) == 414
    assert 400 <= status(get(target, "/" + "a" * 300 + "/index.html")) < 500


@pytest.mark.parametrize("path", ["/%FF%FE/index.html", "/fa/%C3%28/", "/%ED%A0%80"])
def test_an_address_that_is_not_utf8_gets_400(target: Target, path: str) -> None:
    assert status(get(target, path)) == 400


def test_raw_bytes_that_are_not_utf8_get_400(target: Target) -> None:
    request = f"GET /\xff\xfe/index.html HTTP/1.1\r\nHost: 127.0.0.1:{target.port}\r\n\r\n"
    assert status(exchange(target.port, request.encode("latin-1"))) == 400


def test_an_unsupported_method_gets_405(target: Target) -> None:
    request = f"DELETE {target.path} HTTP/1.1\r\nHost: 127.0.0.1:{target.port}\r\n\r\n"
    answer = exchange(target.port, request.encode())
    assert status(answer) == 405 and b"\r\nAllow: " in answer


def test_a_post_to_the_preview_gets_405(example_site: Path) -> None:
    preview = PreviewServer(example_site, port=0)
    preview.start()
    try:
        request = (
            f"POST /fa/ HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n"
            f"Origin: http://127.0.0.1:{preview.port}\r\nContent-Length: 2\r\n\r\nab"
        )
        assert status(exchange(preview.port, request.encode())) == 405
    finally:
        preview.close()


def test_the_listen_backlog_takes_a_burst_of_connections(catalog_root: Path) -> None:
    server = make_editor(catalog_root)  # listening, but accepting nothing yet
    clients = []
    try:
        for _ in range(64):
            client = socket.socket()
            client.settimeout(0.2)
            client.connect(("127.0.0.1", server.port))
            clients.append(client)
    finally:
        for client in clients:
            client.close()
        server.server_close()
    assert len(clients) == 64


# Saves in the catalog editor.


def save_request(
    editor: EditorServer, body: bytes, headers: str | None = None, origin: str | None = None
) -> bytes:
    origin = origin if origin is not None else f"http://127.0.0.1:{editor.port}"
    origin_line = f"Origin: {origin}\r\n" if origin else ""
    lines = headers if headers is not None else f"Content-Length: {len(body)}\r\n"
    head = (
        f"POST {editor.link('/catalog/fa/save')} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{editor.port}\r\n{origin_line}"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Accept: application/json\r\n{lines}\r\n"
    )
    return head.encode() + body


def form(editor: EditorServer, translation: str) -> bytes:
    path = editor.scope.po_path("fa")
    identifier = entry_id(parse(CATALOG, path, "fa")["Read more"])
    return (f"entry={identifier}&version={file_version(path)}&form_0={translation}").encode()


PERSIAN = "%D8%A8%DB%8C%D8%B4%D8%AA%D8%B1"  # بیشتر


def test_a_save_from_the_editors_own_page_is_written(editor: EditorServer) -> None:
    for origin in (f"http://127.0.0.1:{editor.port}", f"http://localhost:{editor.port}"):
        body = form(editor, PERSIAN)
        answer = exchange(editor.port, save_request(editor, body, origin=origin))
        assert status(answer) == 200 and b'"saved": true' in answer
    assert 'msgstr "بیشتر"' in editor.scope.po_path("fa").read_text("utf-8")


@pytest.mark.parametrize(
    "origin", ["http://attacker.example", "null", "http://127.0.0.1:1", "https://127.0.0.1", ""]
)
def test_a_save_from_another_origin_is_refused_and_writes_nothing(
    editor: EditorServer, origin: str
) -> None:
    before = editor.scope.po_path("fa").read_bytes()
    answer = exchange(editor.port, save_request(editor, form(editor, PERSIAN), origin=origin))
    assert status(answer) == 403 and b"must come from a page of this server" in answer
    assert editor.scope.po_path("fa").read_bytes() == before


def test_a_save_with_a_local_referer_and_no_origin_is_accepted(editor: EditorServer) -> None:
    referer = f"Referer: http://127.0.0.1:{editor.port}{editor.link('/catalog/fa')}\r\n"
    body = form(editor, PERSIAN)
    request = save_request(
        editor, body, headers=f"Content-Length: {len(body)}\r\n{referer}", origin=""
    )
    assert status(exchange(editor.port, request)) == 200


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        ("abc", 400),
        ("-5", 400),
        ("1e3", 400),
        ("0x10", 400),
        ("١٢", 400),
        ("", 411),
        ("99999999999999999999", 413),
        (str(2 << 20), 413),
    ],
)
def test_a_malformed_or_huge_content_length_gets_a_4xx(
    editor: EditorServer, length: str, expected: int
) -> None:
    before = editor.scope.po_path("fa").read_bytes()
    headers = f"Content-Length: {length}\r\n" if length else ""
    request = save_request(editor, form(editor, PERSIAN), headers=headers)
    assert status(exchange(editor.port, request)) == expected
    assert editor.scope.po_path("fa").read_bytes() == before


def test_a_chunked_body_gets_411(editor: EditorServer) -> None:
    request = save_request(
        editor, b"5\r\nentry\r\n0\r\n\r\n", headers="Transfer-Encoding: chunked\r\n"
    )
    assert status(exchange(editor.port, request)) == 411


@pytest.mark.parametrize("translation", ["%FF%FE", "%D8", "%ED%A0%80", "\xff"])
def test_a_form_that_is_not_utf8_gets_400_and_writes_nothing(
    editor: EditorServer, translation: str
) -> None:
    before = editor.scope.po_path("fa").read_bytes()
    body = form(editor, "X").replace(b"form_0=X", b"form_0=" + translation.encode("latin-1"))
    answer = exchange(editor.port, save_request(editor, body))
    assert status(answer) == 400 and b"not valid UTF-8" in answer
    assert editor.scope.po_path("fa").read_bytes() == before


def test_a_body_that_never_arrives_frees_the_handler(
    editor: EditorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LoopbackHandler, "timeout", 1.0)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", editor.port), timeout=10) as stalled:
        stalled.sendall(save_request(editor, b"entry=", headers="Content-Length: 500\r\n"))
        assert status(exchange(editor.port, get_request(editor))) == 200  # others are served
        answer = stalled.recv(65536)
    assert status(answer) == 408
    assert time.monotonic() - started < 5


def get_request(editor: EditorServer) -> bytes:
    return (
        f"GET {editor.link('/catalog/fa')} HTTP/1.1\r\nHost: 127.0.0.1:{editor.port}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
