"""Turn the [newsletter] section of bilingual.toml and the environment into checked settings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit

from email_validator import EmailNotValidError, validate_email

from bilingual.errors import ConfigError
from bilingual.site.config import Config

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
USER_VARIABLE = "BILINGUAL_SMTP_USER"
PASSWORD_VARIABLE = "BILINGUAL_SMTP_PASSWORD"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ListSettings:
    """Who the e-mails come from and where readers subscribe and unsubscribe."""

    sender: Address
    subscribe_endpoint: str
    unsubscribe_url: str

    @property
    def host(self) -> str:
        return self.sender.domain

    def unsubscribe_link(self, address: str, lang: str) -> str:
        """The reader's unsubscribe URL, or a mailto: link to the sender when none is set."""
        if self.unsubscribe_url:
            return self.unsubscribe_url.replace("{address}", quote(address, safe="@")).replace(
                "{lang}", lang
            )
        return self._mailto(address)

    def unsubscribe_header(self, address: str, lang: str) -> str:
        """RFC 2369 List-Unsubscribe: the web link (if any) first, then a mailto: one."""
        mailto = f"<{self._mailto(address)}>"
        if not self.unsubscribe_url:
            return mailto
        return f"<{self.unsubscribe_link(address, lang)}>, {mailto}"

    def _mailto(self, address: str) -> str:
        subject = f"unsubscribe {address}" if address else "unsubscribe"
        return f"mailto:{self.sender.addr_spec}?subject={quote(subject)}"

    @property
    def one_click(self) -> bool:
        """RFC 8058 one-click unsubscribing needs an HTTPS link."""
        return self.unsubscribe_url.startswith("https://")


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server; the user name and password are read from the environment only."""

    host: str
    port: int
    security: Security
    user: str | None = None
    password: str | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def list_settings(config: Config) -> ListSettings:
    """The list's settings; without a sender, e-mails come from newsletter@ the site's host."""
    section = config.newsletter
    path = config.layout.config
    if section.sender:
        sender = parse_sender(section.sender, path)
    else:
        host = urlsplit(config.site.base_url).hostname or "localhost"
        title = config.site.title.get(config.site.default_language.code) or ""
        sender = Address(title, "newsletter", host)
    for key in ("subscribe_endpoint", "unsubscribe_url"):
        value = getattr(section, key)
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ConfigError(
                f"newsletter.{key} must be an absolute http(s) URL", path, _line_of(path, key)
            )
    if section.unsubscribe_url:
        _check_placeholders(section.unsubscribe_url, path)
    return ListSettings(sender, section.subscribe_endpoint, section.unsubscribe_url)


def smtp_settings(
    config: Config, host: str | None = None, port: int | None = None, security: str | None = None
) -> SmtpSettings:
    """The server from the options, else from [newsletter]; credentials from the environment."""
    section = config.newsletter
    path = config.layout.config
    chosen_security = security or section.smtp_security
    if chosen_security not in SECURITIES:
        raise ConfigError(
            f"newsletter.smtp_security must be one of {', '.join(SECURITIES)}, "
            f"not {chosen_security!r}",
            path,
            _line_of(path, "smtp_security"),
        )
    chosen_host = host or section.smtp_host
    if not chosen_host:
        raise ConfigError(
            "no SMTP server: set newsletter.smtp_host or give --smtp-host",
            path,
            hint='e.g. smtp_host = "smtp.example.org" in the newsletter section',
        )
    if chosen_security == "none" and chosen_host not in LOCAL_HOSTS:
        raise ConfigError(
            f"refusing to send without TLS to {chosen_host}: smtp_security "
            '"none" is for a server on this machine only',
            path,
            _line_of(path, "smtp_security"),
            hint='use "starttls" (port 587) or "ssl" (port 465)',
        )
    typed: Security = chosen_security
    return SmtpSettings(
        chosen_host,
        port or section.smtp_port or DEFAULT_PORTS[typed],
        typed,
        os.environ.get(USER_VARIABLE) or None,
        os.environ.get(PASSWORD_VARIABLE) or None,
    )


def _check_placeholders(url: str, path: Path) -> None:
    """The unsubscribe URL holds {address}, and no placeholder but it and {lang}."""
    unknown = sorted(set(PLACEHOLDER.findall(url)) - {"address", "lang"})
    if unknown:
        raise ConfigError(
            f"newsletter.unsubscribe_url holds {{{unknown[0]}}}: only {{address}} "
            "and {lang} are filled in",
            path,
            _line_of(path, "unsubscribe_url"),
            hint="write what the list service needs there as it is",
        )
    if "{address}" not in url:
        raise ConfigError(
            "newsletter.unsubscribe_url must hold {address}, where the reader's address goes",
            path,
            _line_of(path, "unsubscribe_url"),
            hint='e.g. "https://lists.example.org/unsubscribe?address={address}"',
        )


def parse_sender(value: str, path: Path) -> Address:
    name, addr = parseaddr(value)
    try:
        checked = validate_email(addr, check_deliverability=False)
    except EmailNotValidError as error:
        raise ConfigError(
            f"newsletter.sender {value!r} is not an e-mail address: {error}",
            path,
            _line_of(path, "sender"),
            hint='e.g. sender = "Site title <newsletter@example.org>"',
        ) from None
    local, _, domain = checked.normalized.rpartition("@")
    return Address(name, local, domain)


def _line_of(path: Path, key: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None
