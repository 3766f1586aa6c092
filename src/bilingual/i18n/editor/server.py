"""Turn HTTP requests on 127.0.0.1 into catalog pages and saves, each guarded by a secret token."""

from __future__ import annotations

import hmac
import json
import secrets
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2

from bilingual.errors import BilingualError
from bilingual.i18n.catalogs import CatalogScope
from bilingual.i18n.editor.po_edit import (
    ConflictError,
    TranslationRefused,
    save_translation,
)
from bilingual.i18n.editor.views import FILTERS, Filter, catalog_view
from bilingual.loopback import HOST, LoopbackHandler, LoopbackServer, RequestError
from bilingual.site.layout import STATIC_DIR
from bilingual.site.resources import theme_dir

HERE = Path(__file__).resolve().parent
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".woff2": "font/woff2",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    # Same-origin requests keep their Origin header, which saves are checked against.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class EditorServer(LoopbackServer):
    """The catalog editor for one scope, listening on 127.0.0.1 only."""

    def __init__(self, scope: CatalogScope, port: int = 0, token: str | None = None) -> None:
        super().__init__((HOST, port), _Handler)
        self.scope = scope
        self.token = token or secrets.token_urlsafe(24)
        self.pages = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.pages.globals["link"] = self.link

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.link('/')}"

    def link(self, path: str, **params: str) -> str:
        return f"{path}?{urlencode({'token': self.token, **params})}"

    def static_file(self, name: str) -> Path | None:
        folders = {"static": HERE / "static", "fonts": theme_dir() / STATIC_DIR / "fonts"}
        folder, _, filename = name.partition("/")
        if folder not in folders or "/" in filename or Path(filename).suffix not in STATIC_TYPES:
            return None
        path = folders[folder] / filename
        return path if path.is_file() else None


def _refusal_status(error: BilingualError) -> HTTPStatus:
    if isinstance(error, ConflictError):
        return HTTPStatus.CONFLICT
    if isinstance(error, TranslationRefused):
        return HTTPStatus.UNPROCESSABLE_ENTITY
    return HTTPStatus.BAD_REQUEST


class _Handler(LoopbackHandler):
    server: EditorServer
    server_version = "bilingual-editor"
    allowed_methods = frozenset({"GET", "POST"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        token = query.get("token", [""])[0].encode()
        if not hmac.compare_digest(token, self.server.token.encode()):
            self._send(
                HTTPStatus.FORBIDDEN,
                "text/plain; charset=utf-8",
                b"Forbidden: open the URL printed by `bilingual translate`.\n",
            )
            return
        parts = [part for part in url.path.split("/") if part]
        try:
            self._route(method, parts, query)
        except RequestError as error:
            self.refuse(error)
        except BilingualError as error:
            self._page(
                HTTPStatus.BAD_REQUEST, "error.html", error=error, kept=[], problems={}, back=None
            )

    def _route(self, method: str, parts: list[str], query: dict[str, list[str]]) -> None:
        languages = self.server.scope.languages()
        if method == "GET" and not parts:
            self._index(languages)
        elif (
            method == "GET" and len(parts) == 2 and parts[0] == "catalog" and parts[1] in languages
        ):
            self._catalog(parts[1], query.get("filter", [""])[0])
        elif (
            method == "POST"
            and len(parts) == 3
            and parts[0] == "catalog"
            and parts[1] in languages
            and parts[2] == "save"
        ):
            self._save(parts[1])
        elif method == "GET" and parts == ["static", "fonts.css"]:
            css = self.server.pages.get_template("fonts.css").render()
            self._send(HTTPStatus.OK, STATIC_TYPES[".css"], css.encode("utf-8"))
        elif (
            method == "GET"
            and len(parts) == 2
            and (path := self.server.static_file("/".join(parts)))
        ):
            self._send(HTTPStatus.OK, STATIC_TYPES[path.suffix], path.read_bytes())
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.\n")

    def _index(self, languages: list[str]) -> None:
        if len(languages) == 1:
            self._redirect(self.server.link(f"/catalog/{languages[0]}"))
            return
        views = [catalog_view(self.server.scope.po_path(lang), lang) for lang in languages]
        self._page(HTTPStatus.OK, "index.html", scope=self.server.scope, catalogs=views)

    def _catalog(self, lang: str, wanted: str) -> None:
        view = catalog_view(self.server.scope.po_path(lang), lang)
        chosen: Filter = wanted if wanted in FILTERS else view.default_filter()
        self._page(
            HTTPStatus.OK,
            "catalog.html",
            catalog=view,
            filter=chosen,
            filters=FILTERS,
            several=len(self.server.scope.languages()) > 1,
        )

    def _save(self, lang: str) -> None:
        form = self.read_form()
        path = self.server.scope.po_path(lang)
        strings = [
            value.replace("\r\n", "\n")
            for key, value in sorted(
                ((key, values[0]) for key, values in form.items() if key.startswith("form_")),
                key=lambda item: int(item[0][5:]) if item[0][5:].isdigit() else 0,
            )
        ]
        identifier, filter_name = form.get("entry", [""])[0], form.get("filter", ["all"])[0]
        back = self.server.link(f"/catalog/{lang}", filter=filter_name) + f"#entry-{identifier}"
        wants_json = "application/json" in self.headers.get("Accept", "")
        try:
            version = save_translation(
                path, form.get("version", [""])[0], identifier, strings, lang
            )
        except BilingualError as error:
            problems = error.problems if isinstance(error, TranslationRefused) else {}
            if wants_json:
                self._json(
                    _refusal_status(error),
                    {
                        "saved": False,
                        "error": error.message,
                        "hint": error.hint,
                        "fields": {str(number): texts for number, texts in problems.items()},
                    },
                )
            else:
                self._page(
                    _refusal_status(error),
                    "error.html",
                    error=error,
                    kept=strings,
                    problems=problems,
                    back=back,
                )
            return
        if not wants_json:
            self._redirect(back)
            return
        view = catalog_view(path, lang)
        entry = next((item for item in view.entries if item.id == identifier), None)
        self._json(
            HTTPStatus.OK,
            {
                "saved": True,
                "version": version,
                "state": entry.state if entry else None,
                "progress": view.progress.to_json(),
            },
        )

    def _page(self, status: HTTPStatus, name: str, **context: Any) -> None:
        html = self.server.pages.get_template(name).render(**context)
        self._send(status, "text/html; charset=utf-8", html.encode("utf-8"))

    def _json(self, status: HTTPStatus, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body)

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.SEE_OTHER, "text/plain; charset=utf-8", b"", {"Location": location})

    def _send(
        self,
        status: HTTPStatus,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in {
            **SECURITY_HEADERS,
            "Content-Type": content_type,
            "Content-Length": str(len(body)),
            **(headers or {}),
        }.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
