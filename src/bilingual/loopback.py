"""Turn raw requests to a server on 127.0.0.1 into checked ones: local host, origin and size."""

from __future__ import annotations

import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

HOST = "127.0.0.1"
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_TARGET = 4096
MAX_BODY = 1 << 20
SAFE_METHODS = frozenset({"GET", "HEAD"})
CONNECTION_ERRORS = (ConnectionError, TimeoutError)


class RequestError(Exception):
    """A request this server will not serve, answered with ``status`` and a short reason."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class LoopbackServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 that answers only to its own local names."""

    daemon_threads = True
    # Browsers open many connections at once while a preview reloads every page.
    request_queue_size = 128

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def allowed_hosts(self) -> frozenset[str]:
        """``Host`` values a browser sends for this server; anything else may be DNS rebinding."""
        hosts = {f"{name}:{self.port}" for name in LOCAL_NAMES}
        if self.port == 80:
            hosts.update(LOCAL_NAMES)
        return frozenset(hosts)

    def allowed_origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.allowed_hosts())

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away is normal; anything else gets one line, not a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, CONNECTION_ERRORS):
            print(f"error: request from {client_address[0]} failed: {error!r}", file=sys.stderr)


class LoopbackHandler(BaseHTTPRequestHandler):
    """Refuse, with a 4xx, requests for another host, from another origin, or too large."""

    server: LoopbackServer
    # A client that stops sending mid-request frees its thread after this many seconds.
    timeout = 15.0
    allowed_methods: frozenset[str] = SAFE_METHODS

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal shows what the server does, not a request log."""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        try:
            self._check_request()
        except RequestError as error:
            self.refuse(error)
            return False
        return True

    def _check_request(self) -> None:
        if len(self.path) > MAX_TARGET:
            raise RequestError(
                HTTPStatus.REQUEST_URI_TOO_LONG,
                f"the address is longer than {MAX_TARGET} characters",
            )
        if self.command not in self.allowed_methods:
            raise RequestError(
                HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not supported here"
            )
        hosts = self.headers.get_all("Host") or []
        target = urlsplit(self.path).netloc  # an absolute address names the host again
        if (
            len(hosts) != 1
            or hosts[0].strip().lower() not in self.server.allowed_hosts()
            or (target and target.lower() not in self.server.allowed_hosts())
        ):
            raise RequestError(
                HTTPStatus.MISDIRECTED_REQUEST,
                "this server answers only to 127.0.0.1, localhost or [::1] "
                f"on port {self.server.port}",
            )
        if self.command not in SAFE_METHODS:
            self._check_origin()
        try:
            # http.server decodes the request line as Latin-1: these are the bytes sent.
            unquote_to_bytes(urlsplit(self.path).path.encode("latin-1")).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the address is not valid UTF-8") from None

    def _check_origin(self) -> None:
        origin = self.headers.get("Origin")
        if origin is None:
            referer = self.headers.get("Referer") or ""
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
        if origin is None or origin.lower() not in self.server.allowed_origins():
            raise RequestError(
                HTTPStatus.FORBIDDEN, "a change must come from a page of this server"
            )

    def read_body(self, limit: int = MAX_BODY) -> bytes:
        """The request body, refusing a missing, malformed or oversized Content-Length."""
        if "Transfer-Encoding" in self.headers:
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        declared = (self.headers.get("Content-Length") or "").strip()
        if not declared.isascii() or not declared.isdigit():
            raise RequestError(
                HTTPStatus.BAD_REQUEST if declared else HTTPStatus.LENGTH_REQUIRED,
                f"Content-Length {declared!r} is not a number of bytes",
            )
        length = int(declared)
        if length > limit:
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request is larger than {limit} bytes"
            )
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            raise RequestError(HTTPStatus.REQUEST_TIMEOUT, "the body did not arrive") from None
        if len(body) != length:
            raise RequestError(
                HTTPStatus.BAD_REQUEST, "the body is shorter than its Content-Length"
            )
        return body

    def read_form(self, limit: int = MAX_BODY) -> dict[str, list[str]]:
        """An urlencoded form whose every byte and escape is valid UTF-8."""
        try:
            text = self.read_body(limit).decode("utf-8")
            return parse_qs(
                text,
                keep_blank_values=True,
                encoding="utf-8",
                errors="strict",
                max_num_fields=10_000,
            )
        except (UnicodeDecodeError, ValueError):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the form is not valid UTF-8") from None

    def refuse(self, error: RequestError) -> None:
        """Answer with the error's status and reason as plain text, then close the connection."""
        body = f"{error.status.phrase}: {error.reason}.\n".encode()
        self.close_connection = True
        self.send_response(error.status)
        if error.status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", ", ".join(sorted(self.allowed_methods)))
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
