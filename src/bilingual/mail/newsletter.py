"""Send each subscriber, in the editions they chose, the posts the ledger has not seen yet.

Posts go out oldest first, each to the readers who subscribed on or before its date (or to
every reader, from ``since`` on). Before a message's text goes out the ledger says so, and
after the server's answer it says how it went, so a run stopped at any point is taken up by
the next one without sending a message twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from bilingual.errors import MailError
from bilingual.mail.edition import Edition, EditionMaker
from bilingual.mail.ledger import SENDING, Key, Ledger, Record, open_ledger
from bilingual.mail.settings import SmtpSettings
from bilingual.mail.smtp import ACCEPTED, DEFERRED, ConnectionLost, MailServer, Reply
from bilingual.mail.subscribers import BILINGUAL, Subscriber, open_list

RECONNECTS = 3


@dataclass(frozen=True)
class Delivery:
    edition: Edition
    subscriber: Subscriber

    @property
    def key(self) -> Key:
        return Key(self.edition.post.slug, self.edition.key, self.subscriber.address)


@dataclass
class SendReport:
    """What a run did, message by message; ``in_doubt`` were left half-sent by a stopped run."""

    planned: list[Delivery] = field(default_factory=list)
    sent: list[Delivery] = field(default_factory=list)
    refused: list[tuple[Delivery, Reply]] = field(default_factory=list)
    deferred: list[tuple[Delivery, Reply]] = field(default_factory=list)
    lost: list[Delivery] = field(default_factory=list)
    in_doubt: list[Record] = field(default_factory=list)
    unconfirmed: int = 0


Listener = Callable[[Delivery, str, Reply | None], None]


class Pace:
    """At most ``per_minute`` messages a minute (0: as fast as the server takes them)."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
        self.next = max(now, self.next) + self.interval


def send_newsletter(
    site_root: Path,
    list_path: Path,
    ledger_path: Path,
    server: SmtpSettings | None,
    rate: float,
    since: dt.date | None = None,
    dry_run: bool = False,
    resend_unconfirmed: bool = False,
    listener: Listener | None = None,
) -> SendReport:
    """Send what is due (or, with ``dry_run``, only say what it would be)."""
    maker = EditionMaker.for_site(site_root)
    subscribers = open_list(list_path, maker.site.config.site.codes).read()
    report = SendReport(unconfirmed=sum(not subscriber.confirmed for subscriber in subscribers))
    with open_ledger(ledger_path, read_only=dry_run) as ledger:
        if resend_unconfirmed and not dry_run:
            ledger.release_unconfirmed()
        report.in_doubt = ledger.records(SENDING)
        report.planned = plan(maker, subscribers, ledger, since)
        if dry_run or not report.planned:
            return report
        if server is None:
            raise MailError("no SMTP server to send through")
        _Run(maker, ledger, MailServer(server), Pace(rate), report, listener).send()
    return report


def plan(
    maker: EditionMaker, subscribers: list[Subscriber], ledger: Ledger, since: dt.date | None
) -> list[Delivery]:
    """The messages due: post by post, oldest first, reader by reader.

    A reader who changed what they receive gets no language of a post twice: nothing for a
    bilingual e-mail once any edition went, no Persian edition once a bilingual one did.
    """
    site = maker.site
    due = []
    for post in sorted(site.posts, key=lambda post: (post.date or dt.date.min, post.slug)):
        codes = [code for code in site.config.site.codes if post.has(code)]
        for subscriber in subscribers:
            cutoff = since or subscriber.subscribed
            if not subscriber.confirmed or post.date is None or post.date < cutoff:
                continue
            had = ledger.editions(post.slug, subscriber.address)
            if subscriber.language == BILINGUAL and had:
                continue
            for languages in subscriber.editions(codes):
                if not any(set(languages) <= set(edition.split("+")) for edition in had):
                    due.append(Delivery(maker.edition(post.slug, languages), subscriber))
    return due


class _Run:
    def __init__(
        self,
        maker: EditionMaker,
        ledger: Ledger,
        server: MailServer,
        pace: Pace,
        report: SendReport,
        listener: Listener | None,
    ) -> None:
        self.maker, self.ledger, self.server, self.pace = maker, ledger, server, pace
        self.report, self.listener = report, listener
        self.sender = maker.settings.sender.addr_spec

    def send(self) -> None:
        self.server.connect()
        try:
            for delivery in self.report.planned:
                self.pace.wait()
                self._one(delivery)
        finally:
            self.server.close()

    def _one(self, delivery: Delivery) -> None:
        address = delivery.subscriber.address
        message = self.maker.message(delivery.edition, address)
        message_id = str(message["Message-ID"])
        data = message.as_bytes(policy=policy.SMTP if address.isascii() else policy.SMTPUTF8)
        for attempt in range(RECONNECTS + 1):
            try:
                reply = self.server.deliver(
                    self.sender, address, data, lambda: self.ledger.begin(delivery.key, message_id)
                )
                break
            except ConnectionLost as lost:
                self.server.close()
                if lost.in_doubt:  # it may have arrived: the ledger keeps it as sending
                    self.report.lost.append(delivery)
                    self._tell(delivery, "lost", None)
                    return
                if attempt == RECONNECTS:
                    raise MailError(
                        f"lost the connection to {self.server.settings.address}: {lost}",
                        hint="run the command again to send the rest",
                    ) from None
        self._record(delivery, message_id, reply)

    def _record(self, delivery: Delivery, message_id: str, reply: Reply) -> None:
        if reply.outcome == ACCEPTED:
            self.ledger.sent(delivery.key, message_id, str(reply))
            self.report.sent.append(delivery)
        elif reply.outcome == DEFERRED:
            self.ledger.forget(delivery.key)
            self.report.deferred.append((delivery, reply))
        else:
            self.ledger.refused(delivery.key, message_id, str(reply))
            self.report.refused.append((delivery, reply))
        self._tell(delivery, reply.outcome, reply)

    def _tell(self, delivery: Delivery, outcome: str, reply: Reply | None) -> None:
        if self.listener is not None:
            self.listener(delivery, outcome, reply)
