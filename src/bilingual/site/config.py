"""Turn `bilingual.toml` into a typed, frozen configuration, reporting every error at once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bilingual.errors import ConfigError, ErrorCollector
from bilingual.site.frontmatter import decode, one_line
from bilingual.site.inputs import read_input
from bilingual.site.layout import CONFIG_FILE, SiteLayout
from bilingual.site.localized import Localized
from bilingual.site.pagecss import font_size_problem, margin_problem, page_size_problem
from bilingual.text.bidi import balance_controls
from bilingual.text.languages import Language, language

SITE_KEYS = {
    "base_url",
    "languages",
    "default_language",
    "title",
    "tagline",
    "motto",
    "posts_per_page",
    "author",
}
PDF_KEYS = {"enabled", "page_size", "margin", "font_size", "allow_remote"}
CONTENT_KEYS = {"allow_html"}
NEWSLETTER_KEYS = {
    "sender",
    "subscribe_endpoint",
    "unsubscribe_url",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "rate",
}
SHARE_KEYS = {"links"}
SEARCH_KEYS = {"enabled"}
TOP_KEYS = {
    "site": SITE_KEYS,
    "pdf": PDF_KEYS,
    "content": CONTENT_KEYS,
    "newsletter": NEWSLETTER_KEYS,
    "share": SHARE_KEYS,
    "search": SEARCH_KEYS,
}
SHARE_LINKS = ("telegram", "whatsapp", "x", "facebook", "email", "copy")
VALUE_CHECKS: dict[tuple[str, str], Callable[[str], str | None]] = {
    ("pdf", "page_size"): page_size_problem,
    ("pdf", "margin"): margin_problem,
    ("pdf", "font_size"): font_size_problem,
}

# Characters a URL never holds as they are (RFC 3986): spaces, quotes, angle brackets...
_NOT_IN_URLS = re.compile(r'[\s"<>{}|\\^`]')


@dataclass(frozen=True)
class SiteConfig:
    base_url: str
    languages: tuple[Language, ...]
    default_language: Language
    title: Localized[str]
    tagline: Localized[str]
    motto: Localized[str]
    posts_per_page: int = 10
    author: Localized[str] = field(default_factory=Localized)  # the feeds'; else the title

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def fallbacks(self, code: str) -> tuple[str, ...]:
        """Languages to try, in order, when ``code`` has no value: default first."""
        return _fallbacks(self.default_language.code, self.codes, code)


@cache
def _fallbacks(default: str, codes: tuple[str, ...], code: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in (default, *codes) if c != code))


@dataclass(frozen=True)
class PdfConfig:
    enabled: bool = True
    page_size: str = "A5"
    margin: str = "18mm 16mm 20mm"
    font_size: str = "10.5pt"
    allow_remote: bool = False


@dataclass(frozen=True)
class ContentConfig:
    allow_html: bool = False


@dataclass(frozen=True)
class ShareConfig:
    """Which share links posts and pages get, in this order."""

    links: tuple[str, ...] = SHARE_LINKS


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True


@dataclass(frozen=True)
class NewsletterConfig:
    """The e-mail edition and its sending; SMTP credentials come from the environment only."""

    sender: str = ""
    subscribe_endpoint: str = ""
    unsubscribe_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "starttls"
    rate: int = 60


@dataclass(frozen=True)
class Config:
    root: Path
    site: SiteConfig
    pdf: PdfConfig = PdfConfig()
    content: ContentConfig = ContentConfig()
    newsletter: NewsletterConfig = NewsletterConfig()
    share: ShareConfig = ShareConfig()
    search: SearchConfig = SearchConfig()

    @property
    def layout(self) -> SiteLayout:
        return SiteLayout(self.root)


def load_config(root: Path) -> Config:
    """Read ``root/bilingual.toml``; raise every problem found in one ErrorList."""
    path = SiteLayout(root).config
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _line_from_message(str(error))
        raise ConfigError(f"invalid TOML: {error}", path, line) from None
    return _ConfigParser(root, path, text, data).parse()


def _read_text(path: Path) -> str:
    if not path.exists() and not path.is_symlink():
        raise ConfigError(
            f"no {CONFIG_FILE} here",
            path,
            hint="run the command on a site folder, or create one with `bilingual new`",
        )
    return decode(read_input(path, None, error_class=ConfigError), path, ConfigError)


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _ConfigParser:
    """Validate raw TOML data field by field, collecting errors instead of stopping."""

    def __init__(self, root: Path, path: Path, text: str, data: dict[str, Any]) -> None:
        self.root, self.path, self.text, self.data = root, path, text, data
        self.errors = ErrorCollector()

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> None:
        self.errors.add(ConfigError(message, self.path, self._line_of(key), hint))

    def _line_of(self, key: str | None) -> int | None:
        if key is None:
            return None
        name = key.rsplit(".", 1)[-1]
        pattern = re.compile(rf"^\s*(\[\s*)?[\"']?{re.escape(name)}[\"']?\s*(=|\])", re.MULTILINE)
        match = pattern.search(self.text) or re.search(rf"\b{re.escape(name)}\b", self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def parse(self) -> Config:
        self._check_unknown_keys()
        site = self._site(self.data.get("site", {}))
        pdf = self._section("pdf", PdfConfig)
        content = self._section("content", ContentConfig)
        newsletter = self._section("newsletter", NewsletterConfig)
        share = self._share(self.data.get("share", {}))
        search = self._section("search", SearchConfig)
        self.errors.raise_if_any()
        assert site is not None
        return Config(
            root=self.root,
            site=site,
            pdf=pdf,
            content=content,
            newsletter=newsletter,
            share=share,
            search=search,
        )

    def _share(self, raw: Any) -> ShareConfig:
        links = raw.get("links", SHARE_LINKS) if isinstance(raw, dict) else SHARE_LINKS
        if not isinstance(links, list | tuple) or not all(isinstance(link, str) for link in links):
            self.error(
                'share.links must be a list of names, e.g. ["telegram", "email"]', "share.links"
            )
            return ShareConfig()
        unknown = [link for link in links if link not in SHARE_LINKS]
        if unknown:
            self.error(
                f"share.links has unknown {', '.join(map(repr, unknown))}",
                "share.links",
                hint=f"known links: {', '.join(SHARE_LINKS)}",
            )
            return ShareConfig()
        return ShareConfig(tuple(dict.fromkeys(links)))

    def _check_unknown_keys(self) -> None:
        for key in self.data:
            if key not in TOP_KEYS:
                self.error(
                    f"unknown section or key {key!r}",
                    key,
                    hint=f"known sections: {', '.join(sorted(TOP_KEYS))}",
                )
        if "site" not in self.data:
            self.error("missing [site] section")
        for section, known in TOP_KEYS.items():
            table = self.data.get(section, {})
            if not isinstance(table, dict):
                self.error(f"{section} must be a table", section)
                continue
            for key in table:
                if key not in known:
                    self.error(
                        f"unknown key {section}.{key}",
                        f"{section}.{key}",
                        hint=f"known keys: {', '.join(sorted(known))}",
                    )

    def _site(self, raw: Any) -> SiteConfig | None:
        if not isinstance(raw, dict):
            return None
        languages = self._languages(raw.get("languages"))
        codes = [lang.code for lang in languages]
        default = raw.get("default_language", codes[0] if codes else None)
        if codes and default not in codes:
            self.error(
                f"default_language {default!r} is not one of languages {codes}", "default_language"
            )
        base_url = raw.get("base_url", "")
        if not isinstance(base_url, str) or not re.match(r"^https?://", base_url):
            self.error("base_url must be an absolute http(s) URL", "base_url")
            base_url = "http://localhost/"
        elif found := _NOT_IN_URLS.search(base_url):
            self.error(
                f"base_url cannot hold {found.group()!r}: percent-encode it (a space is %20)",
                "base_url",
            )
            base_url = "http://localhost/"
        per_page = raw.get("posts_per_page", 10)
        if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
            self.error("posts_per_page must be a whole number of 1 or more", "posts_per_page")
            per_page = 10
        texts = {name: self._localized(raw, name, codes) for name in ("title", "tagline", "motto")}
        if isinstance(raw.get("author"), str):  # one name for every language
            raw = {**raw, "author": dict.fromkeys(codes, raw["author"])}
        texts["author"] = self._localized(raw, "author", codes)
        if not languages or default not in codes:
            return None
        return SiteConfig(
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            languages=tuple(languages),
            default_language=languages[codes.index(default)],
            posts_per_page=per_page,
            **texts,
        )

    def _languages(self, raw: Any) -> list[Language]:
        if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
            self.error(
                'languages must be a non-empty list of language codes, e.g. ["en", "fa"]',
                "languages",
            )
            return []
        if len(set(raw)) != len(raw):
            self.error("languages lists a code twice", "languages")
        found = []
        for code in dict.fromkeys(raw):
            try:
                found.append(language(code))
            except ValueError as error:
                self.error(str(error), "languages")
        return found

    def _localized(self, raw: dict[str, Any], name: str, codes: list[str]) -> Localized[str]:
        value = raw.get(name, {})
        if name == "title" and name not in raw:
            self.error("missing [site.title] (one value per language)", "site")
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.error(f"site.{name} must be a table of strings, one per language", name)
            return Localized()
        for code in value:
            if codes and code not in codes:
                self.error(f"site.{name} has a value for {code!r}, which is not in languages", code)
        if name == "title":
            for code in codes:
                if code not in value:
                    self.error(f"site.title has no value for {code!r}", name)
        return Localized(
            {
                code: balance_controls(one_line(text))
                for code, text in value.items()
                if code in codes
            }
        )

    def _section(self, name: str, cls: type[Any]) -> Any:
        raw = self.data.get(name, {})
        if not isinstance(raw, dict):
            return cls()
        defaults = cls()
        values = {}
        for key in TOP_KEYS[name]:
            if key not in raw:
                continue
            expected = type(getattr(defaults, key))
            if not isinstance(raw[key], expected):
                self.error(f"{name}.{key} must be a {expected.__name__}", f"{name}.{key}")
                continue
            check = VALUE_CHECKS.get((name, key))
            problem = check(raw[key]) if check is not None else None
            if problem is not None:
                self.error(f"{name}.{key} = {raw[key]!r} is not valid: {problem}", f"{name}.{key}")
                continue
            values[key] = raw[key]
        return cls(**values)
