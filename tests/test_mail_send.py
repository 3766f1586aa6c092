"""Sending the newsletter to a real SMTP server on 127.0.0.1: parts, refusals, kills, TLS."""

from __future__ import annotations

import collections
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.errors import MailError
from bilingual.mail.newsletter import send_newsletter
from bilingual.mail.settings import SmtpSettings
from mail_server import Authenticator, Mailbox, smtp_server, tls_contexts

FIRST = "2010-01-20-the-only-way-forward"  # in English and Persian
SECOND = "2010-02-03-heidari-on-why-diplomats-oppose-the-state"  # in English only
NEWSLETTER = """
[newsletter]
sender = "Green Embassy <news@example.org>"
unsubscribe_url = "https://lists.example.org/unsubscribe?address={address}&lang={lang}"
"""
READERS = """address,language,subscribed,confirmed
maryam@example.org,fa,2010-01-01,yes
john@example.org,en,2010-01-01,yes
both@example.org,both,2010-01-01,yes
bi@example.org,bilingual,2010-01-01,yes
late@example.org,fa,2010-02-01,yes
pending@example.org,fa,2010-01-01,no
"""
# (post, edition, address) of every message due to READERS.
EXPECTED = {
    (FIRST, "fa", "maryam@example.org"),
    (FIRST, "en", "john@example.org"),
    (FIRST, "en", "both@example.org"),
    (FIRST, "fa", "both@example.org"),
    (FIRST, "en+fa", "bi@example.org"),
    (SECOND, "en", "john@example.org"),
    (SECOND, "en", "both@example.org"),
    (SECOND, "en", "bi@example.org"),
}


@pytest.fixture
def site(example_site: Path) -> Path:
    with (example_site / "bilingual.toml").open("a", encoding="utf-8") as config:
        config.write(NEWSLETTER)
    (example_site / "subscribers.csv").write_text(READERS, encoding="utf-8")
    return example_site


def local(port: int) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "none")


def send(site: Path, port: int, **options: object) -> object:
    return send_newsletter(
        site, site / "subscribers.csv", site / "ledger.sqlite", local(port), rate=0, **options
    )  # type: ignore[arg-type]


def identify(message: EmailMessage) -> tuple[str, str, str]:
    """(post, edition, address) of a received message, from its own headers and links."""
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    post = FIRST if FIRST in text else SECOND
    return post, str(message["Content-Language"]).replace(", ", "+"), str(message["To"])


def test_every_reader_gets_each_post_once_in_their_editions(site: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        report = send(site, port)
        again = send(site, port)
    received = [identify(message) for message in mailbox.messages()]
    assert sorted(received) == sorted(EXPECTED)
    assert len(report.sent) == len(EXPECTED) and report.unconfirmed == 1  # type: ignore[attr-defined]
    assert again.planned == []  # type: ignore[attr-defined]
    envelopes = {(sender, tuple(recipients)) for sender, recipients, _ in mailbox.received}
    assert envelopes == {("news@example.org", (address,)) for _, _, address in EXPECTED}


def test_messages_arrive_with_their_parts_headers_and_language(site: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        send(site, port)
    by_key = {identify(message): message for message in mailbox.messages()}
    persian = by_key[(FIRST, "fa", "maryam@example.org")]
    assert persian.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in persian.iter_parts()] == ["text/plain", "text/html"]
    assert persian["Subject"] == "تنها راه پیش رو"
    assert persian["Content-Language"] == "fa"
    assert persian["From"].addresses[0].addr_spec == "news@example.org"
    assert persian["List-Unsubscribe"].strip() == (
        "<https://lists.example.org/unsubscribe?address=maryam@example.org&lang=fa>, "
        "<mailto:news@example.org?subject=unsubscribe%20maryam%40example.org>"
    )
    assert persian["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = persian.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "۳۰ دی ۱۳۸۸" in text  # the Jalali date, in Persian digits
    html = persian.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert '<html dir="rtl" lang="fa"' in html
    english = by_key[(FIRST, "en", "john@example.org")]
    assert english["Subject"] == "The Only Way Forward" and english["Content-Language"] == "en"
    assert "January 20, 2010" in english.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    bilingual = by_key[(FIRST, "en+fa", "bi@example.org")]
    assert bilingual["Content-Language"] == "en, fa"
    assert (
        "The Only Way Forward" in bilingual["Subject"] and "تنها راه پیش رو" in bilingual["Subject"]
    )
    ids = [message["Message-ID"] for message in mailbox.messages()]
    assert len(set(ids)) == len(ids)


def test_a_refused_address_does_not_stop_the_others(site: Path) -> None:
    mailbox = Mailbox(refuse={"john@example.org"}, defer={"maryam@example.org"})
    with smtp_server(mailbox) as port:
        report = send(site, port)
        received = {identify(message) for message in mailbox.messages()}
        assert received == {key for key in EXPECTED if key[2] not in mailbox.refuse | mailbox.defer}
        refused = {(d.subscriber.address, str(reply)[:3]) for d, reply in report.refused}  # type: ignore[attr-defined]
        assert refused == {("john@example.org", "550")}
        assert [d.subscriber.address for d, _ in report.deferred] == ["maryam@example.org"]  # type: ignore[attr-defined]
        # A deferred message is tried again by the next run; a refused one is not.
        mailbox.defer.clear()
        mailbox.received.clear()
        send(site, port)
    assert {identify(message) for message in mailbox.messages()} == {
        (FIRST, "fa", "maryam@example.org")
    }


def test_a_reader_who_changes_their_choice_gets_no_language_twice(site: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        send(site, port)
        mailbox.received.clear()
        # The bilingual reader now wants Persian only, the Persian reader both languages.
        readers = site / "subscribers.csv"
        readers.write_text(
            readers.read_text(encoding="utf-8")
            .replace("bi@example.org,bilingual", "bi@example.org,fa")
            .replace("maryam@example.org,fa", "maryam@example.org,bilingual"),
            encoding="utf-8",
        )
        send(site, port)
    # Persian came inside the bilingual e-mail; Maryam had the Persian edition, so no bilingual
    # one, but now gets the post she had no language for.
    assert [identify(message) for message in mailbox.messages()] == [
        (SECOND, "en", "maryam@example.org")
    ]


def test_the_command_reports_refusals_and_exits_zero(site: Path) -> None:
    mailbox = Mailbox(refuse={"john@example.org"})
    with smtp_server(mailbox) as port:
        result = CliRunner().invoke(
            cli,
            [
                "newsletter",
                "send",
                str(site),
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                str(port),
                "--security",
                "none",
                "--rate",
                "0",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "Sent 6 messages; 2 refused, 0 deferred." in result.output
    assert (
        "refused: john@example.org (en, 2010-01-20-the-only-way-forward): 550 5.1.1"
        in result.output
    )
    assert "1 unconfirmed subscriber not sent anything" in result.output


def test_dry_run_sends_nothing_and_writes_no_ledger(site: Path) -> None:
    result = CliRunner().invoke(cli, ["newsletter", "send", str(site), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^would send +fa +{FIRST} +maryam@example.org$", result.output, re.MULTILINE)
    assert "Would send 8 messages (dry run: nothing sent)." in result.output
    assert not (site / "subscribers.ledger.sqlite").exists()


def test_rate_limit_spaces_the_messages(site: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        started = time.monotonic()
        send_newsletter(
            site, site / "subscribers.csv", site / "ledger.sqlite", local(port), rate=300
        )  # one message every 0.2 s
        elapsed = time.monotonic() - started
    assert len(mailbox.received) == len(EXPECTED)
    assert elapsed >= 0.2 * (len(EXPECTED) - 1) - 0.05


# ----- killed senders


def run_sender(site: Path, port: int, rate: str = "0") -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "bilingual",
        "newsletter",
        "send",
        str(site),
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(port),
        "--security",
        "none",
        "--rate",
        rate,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=20)
    assert process.returncode == -signal.SIGKILL


def rerun(site: Path, port: int) -> str:
    process = run_sender(site, port)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    return output


def assert_exactly_once(mailbox: Mailbox) -> None:
    counts = collections.Counter(identify(message) for message in mailbox.messages())
    assert set(counts) == EXPECTED
    assert set(counts.values()) == {1}, counts


def test_killed_while_the_server_answers_then_rerun_sends_each_message_once(site: Path) -> None:
    mailbox = Mailbox(hold_data_at=3)
    with smtp_server(mailbox) as port:
        sender = run_sender(site, port)
        assert mailbox.held.wait(30), "the sender never reached the third message"
        kill(sender)  # the third message arrived, but the sender never heard so
        mailbox.hold_data_at = None
        output = rerun(site, port)
        assert_exactly_once(mailbox)
        assert "1 message stopped while going out and may have arrived" in output
        # The publisher may choose to send it again.
        resent = CliRunner().invoke(
            cli,
            [
                "newsletter",
                "send",
                str(site),
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                str(port),
                "--security",
                "none",
                "--resend-unconfirmed",
            ],
        )
    assert "Sent 1 message;" in resent.output


def test_killed_before_the_text_went_out_then_rerun_sends_it(site: Path) -> None:
    mailbox = Mailbox(hold_rcpt_at=4)
    with smtp_server(mailbox) as port:
        sender = run_sender(site, port)
        assert mailbox.held.wait(30), "the sender never reached the fourth recipient"
        kill(sender)  # the fourth message's recipient was never answered
        mailbox.hold_rcpt_at = None
        output = rerun(site, port)
    assert_exactly_once(mailbox)
    assert "may have arrived" not in output


def test_killed_between_messages_then_rerun_takes_up_where_it_stopped(site: Path) -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        sender = run_sender(site, port, rate="60")  # one a second: killed while waiting
        deadline = time.monotonic() + 30
        while len(mailbox.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        kill(sender)
        ledger = sqlite3.connect(site / "subscribers.ledger.sqlite")
        assert ledger.execute("SELECT state, count(*) FROM messages GROUP BY state").fetchall() == [
            ("sent", 2)
        ]
        ledger.close()
        rerun(site, port)
    assert_exactly_once(mailbox)


def test_two_senders_cannot_share_a_ledger(site: Path) -> None:
    mailbox = Mailbox(hold_data_at=1)
    with smtp_server(mailbox) as port:
        first = run_sender(site, port)
        assert mailbox.held.wait(30)
        second = run_sender(site, port)
        output, _ = second.communicate(timeout=60)
        kill(first)
    assert second.returncode == 1
    assert "another `bilingual newsletter send` is using this ledger" in output


# ----- TLS and credentials


@pytest.fixture
def certificate_authority(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> trustme.CA:
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return ca


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_sends_over_tls_with_credentials_from_the_environment(
    site: Path, certificate_authority: trustme.CA, monkeypatch: pytest.MonkeyPatch, security: str
) -> None:
    context, _ = tls_contexts(certificate_authority)
    authenticator = Authenticator("publisher", "s3cret")
    # With implicit TLS aiosmtpd does not see that the connection is encrypted: let it offer AUTH.
    options = (
        {"tls_context": context, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    mailbox = Mailbox()
    monkeypatch.setenv("BILINGUAL_SMTP_USER", "publisher")
    monkeypatch.setenv("BILINGUAL_SMTP_PASSWORD", "s3cret")
    with smtp_server(mailbox, authenticator=authenticator, auth_required=True, **options) as port:
        result = CliRunner().invoke(
            cli,
            [
                "newsletter",
                "send",
                str(site),
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                str(port),
                "--security",
                security,
                "--rate",
                "0",
            ],
        )
    assert result.exit_code == 0, result.output
    assert len(mailbox.received) == len(EXPECTED)
    assert authenticator.logins == 1


def test_a_wrong_password_is_a_clear_error(
    site: Path, certificate_authority: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, _ = tls_contexts(certificate_authority)
    monkeypatch.setenv("BILINGUAL_SMTP_USER", "publisher")
    monkeypatch.setenv("BILINGUAL_SMTP_PASSWORD", "wrong")
    mailbox = Mailbox()
    with smtp_server(
        mailbox,
        authenticator=Authenticator("publisher", "s3cret"),
        auth_required=True,
        tls_context=context,
        require_starttls=True,
    ) as port:
        result = CliRunner().invoke(
            cli,
            ["newsletter", "send", str(site), "--smtp-host", "127.0.0.1", "--smtp-port", str(port)],
        )
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} refused the login" in result.output
    assert "BILINGUAL_SMTP_PASSWORD" in result.output
    assert "Traceback" not in result.output and mailbox.received == []


def test_an_untrusted_certificate_stops_before_anything_is_sent(site: Path) -> None:
    context, _ = tls_contexts(trustme.CA())  # a CA nobody trusts
    mailbox = Mailbox()
    with (
        smtp_server(mailbox, tls_context=context, require_starttls=True) as port,
        pytest.raises(MailError, match=re.escape("no TLS with 127.0.0.1")),
    ):
        send_newsletter(
            site,
            site / "subscribers.csv",
            site / "ledger.sqlite",
            SmtpSettings("127.0.0.1", port, "starttls"),
            rate=0,
        )
    assert mailbox.received == []


def test_credentials_are_never_read_from_the_site_folder(site: Path) -> None:
    config = site / "bilingual.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'password = "s3cret"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["newsletter", "send", str(site), "--dry-run"])
    assert result.exit_code == 1
    assert "unknown key newsletter.password" in result.output


def test_refuses_to_send_in_clear_to_another_machine(site: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["newsletter", "send", str(site), "--smtp-host", "smtp.example.org", "--security", "none"],
    )
    assert result.exit_code == 1
    assert "refusing to send without TLS to smtp.example.org" in result.output
    assert os.path.exists(site / "subscribers.csv")
