"""Talk to the SMTP server: connect over TLS, log in, and hand over one message at a time."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from bilingual.errors import MailError
from bilingual.mail.settings import PASSWORD_VARIABLE, USER_VARIABLE, SmtpSettings

ACCEPTED, REFUSED, DEFERRED = "accepted", "refused", "deferred"
TIMEOUT = 60.0


@dataclass(frozen=True)
class Reply:
    """The server's last word on a message: ``accepted``, ``refused`` (5xx), ``deferred`` (4xx)."""

    outcome: str
    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


class ConnectionLost(Exception):
    """The connection broke; ``in_doubt`` if the message's text had started to go out."""

    def __init__(self, reason: str, in_doubt: bool) -> None:
        super().__init__(reason)
        self.in_doubt = in_doubt


class MailServer:
    def __init__(self, settings: SmtpSettings, timeout: float = TIMEOUT) -> None:
        self.settings = settings
        self.timeout = timeout
        self.smtp: smtplib.SMTP | None = None

    def connect(self) -> None:
        settings = self.settings
        context = ssl.create_default_context()
        try:
            if settings.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
            smtp.ehlo()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise MailError(
                        f"{settings.address} does not offer STARTTLS",
                        hint='use smtp_security = "ssl" with port 465, if it has it',
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"{settings.address} refused the login: {_text(error.smtp_error)}",
                hint=f"check {USER_VARIABLE} and {PASSWORD_VARIABLE}",
            ) from None
        except ssl.SSLError as error:
            raise MailError(f"no TLS with {settings.address}: {error.reason or error}") from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                f"cannot talk to the SMTP server {settings.address}: "
                f"{getattr(error, 'strerror', None) or error}"
            ) from None
        self.smtp = smtp

    def deliver(
        self, sender: str, recipient: str, message: bytes, before_data: Callable[[], None]
    ) -> Reply:
        """Hand over ``message``; ``before_data`` runs once the recipient is accepted."""
        smtp = self._connected()
        options = ["SMTPUTF8"] if not (sender + recipient).isascii() else []
        if options and not smtp.has_extn("smtputf8"):
            return Reply(REFUSED, 0, "the server takes no internationalised (SMTPUTF8) addresses")
        try:
            code, text = smtp.mail(sender, options)
            if code == 250:
                code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                return _reply(code, text)
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(str(error), in_doubt=False) from None
        before_data()
        try:
            code, text = smtp.data(message)
        except smtplib.SMTPDataError as error:  # the server would not take any text
            return _reply(error.smtp_code, error.smtp_error)
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionLost(str(error), in_doubt=True) from None
        return _reply(code, text)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def _connected(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.connect()
        assert self.smtp is not None
        return self.smtp


def _reply(code: int, text: bytes | str) -> Reply:
    outcome = ACCEPTED if code == 250 else DEFERRED if 400 <= code < 500 else REFUSED
    return Reply(outcome, code, _text(text))


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
