"""Give WeasyPrint only what a PDF may hold: regular files inside the site, of bounded size,
and the network only where the site allows it."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from bilingual.errors import BilingualError, ContentError
from bilingual.site.inputs import MAX_INPUT_BYTES, input_hint, read_input, real_roots
from bilingual.site.layout import PRINT_DIR, STATIC_DIR, SiteLayout
from bilingual.site.model import Site
from bilingual.site.resources import theme_dir

REMOTE_SCHEMES = frozenset({"http", "https"})
REMOTE_HINT = "allow it with allow_remote = true under [pdf] in bilingual.toml"
# Where a Markdown or HTML file names another file: ](x), ](<x>), [id]: x, src="x", url(x).
REFERENCE = re.compile(
    r"\]\(\s*<([^>]*)>|\]\(\s*([^\s)]+)|^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)"
    r"|\b(?:src|href|srcset|data|poster)\s*=\s*[\"']?([^\"'\s>]+)|url\(\s*[\"']?([^\"')\s]+)",
    re.IGNORECASE,
)


class ResourceRefused(FatalURLFetchingError):  # type: ignore[misc]
    """Stops WeasyPrint at once (it lets this through, where it logs other errors)."""

    def __init__(self, error: BilingualError) -> None:
        super().__init__(str(error))
        self.error = error


class SiteFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that reads files only inside ``roots``, regular and up to ``limit`` bytes.

    Refusals name the Markdown file and line of ``sources`` that refer to the file, as
    resolved against ``base_url``. ``fatal``: stop the rendering (for content); otherwise
    WeasyPrint logs the refusal and goes on without the file (for the theme's stylesheets).
    """

    def __init__(
        self,
        roots: Sequence[Path],
        *,
        sources: Sequence[Path] = (),
        base_url: str | None = None,
        allow_remote: bool = False,
        limit: int = MAX_INPUT_BYTES,
        fatal: bool = True,
    ) -> None:
        super().__init__()
        self.roots = real_roots(roots)
        self.sources = tuple(sources)
        self.base_url = base_url
        self.allow_remote = allow_remote
        self.limit = limit
        self.fatal = fatal

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._file(url)
        if scheme in REMOTE_SCHEMES and self.allow_remote:
            return self._remote(url, headers)
        if scheme in REMOTE_SCHEMES:
            raise self._refused(url, "the site does not fetch files from the network", REMOTE_HINT)
        raise self._refused(url, f"{scheme!r} addresses are not allowed")

    def _file(self, url: str) -> URLFetcherResponse:
        path = Path(url2pathname(urlsplit(url).path))
        try:
            data = read_input(path, self.roots, self.limit)
        except BilingualError as error:
            if error.message == "does not exist":  # like a broken image on the page: left out
                raise FileNotFoundError(path) from None
            hint = input_hint(error.message, path)
            if error.message == "is outside the site":
                hint = "put the file in the post's folder and give its name: ![…](photo.jpg)"
            raise self._refused(url, f"it {error.message}", hint) from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": kind})

    def _remote(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        try:
            if urlsplit(response.url).scheme.lower() not in REMOTE_SCHEMES:
                raise self._refused(url, f"it redirects to {response.url}")
            data = response.read(self.limit + 1)
        finally:
            response.close()
        if len(data) > self.limit:
            raise self._refused(url, f"it is larger than {self.limit // 1024 // 1024} MB")
        return URLFetcherResponse(response.url, data, response.headers, response.status)

    def _refused(self, url: str, reason: str, hint: str | None = None) -> BaseException:
        source, line, written = self._locate(url)
        error = ContentError(f"the PDF cannot include {written!r}: {reason}", source, line, hint)
        return ResourceRefused(error) if self.fatal else error

    def _locate(self, url: str) -> tuple[Path | None, int | None, str]:
        """The Markdown file and line that name ``url``, and the address as written there."""
        wanted = _comparable(url)
        for source in self.sources:
            # A pamphlet resolves each post's addresses from the post's own folder.
            bases = {self.base_url or "", source.resolve().parent.as_uri() + "/"}
            for number, line in enumerate(_lines(source), 1):
                for match in REFERENCE.finditer(line):
                    written = next(group for group in match.groups() if group is not None)
                    if any(_comparable(urljoin(base, written)) == wanted for base in bases):
                        return source, number, written
        return (self.sources[0] if self.sources else None), None, unquote(url)


def _comparable(url: str) -> str:
    return unquote(urldefrag(url).url)


def _lines(source: Path) -> list[str]:
    try:
        return read_input(source, None).decode("utf-8", "replace").splitlines()
    except BilingualError:
        return []


def static_roots(site_root: Path) -> list[Path]:
    """The folders every PDF may use: the static and print files of the theme and the site."""
    return [
        folder / name
        for folder in (theme_dir(), SiteLayout(site_root).templates)
        for name in (STATIC_DIR, PRINT_DIR)
    ]


def pdf_fetcher(site: Site, base_url: str, sources: Sequence[Path]) -> SiteFetcher:
    """The fetcher of one PDF made of ``sources``, whose relative addresses start at
    ``base_url`` (the post's folder; the content folder for a pamphlet)."""
    base = Path(url2pathname(urlsplit(base_url).path))
    return SiteFetcher(
        [base, *static_roots(site.config.root)],
        sources=sources,
        base_url=base_url,
        allow_remote=site.config.pdf.allow_remote,
    )


@cache
def stylesheet_fetcher(base_url: str) -> SiteFetcher:
    """The fetcher of a print stylesheet in ``base_url``: its own template folder (fonts)."""
    folder = Path(url2pathname(urlsplit(base_url).path))
    return SiteFetcher([folder.parent], base_url=base_url, fatal=False)
